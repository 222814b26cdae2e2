//! `shequ profile --print`: the rule profile as TOML, to copy and change.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use shequ_core::profile::NANCHANG_2002_TOML;
use shequ_core::profile::RuleProfile;

use super::layers::EXIT_CLEAN;

/// `shequ profile --print` or `shequ profile --check FILE`.
#[derive(Debug, Args)]
pub struct ProfileArguments {
    /// Print the default profile (Nanchang 2002) with its comments, to copy and change.
    #[arg(long)]
    pub print: bool,
    /// Check a profile file and say what is wrong, naming the key.
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
}

pub fn run(arguments: &ProfileArguments) -> anyhow::Result<ExitCode> {
    if let Some(path) = &arguments.check {
        shequ_core::io::paths::regular_file_size(path)?;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the profile", path.display()))?;
        let profile = RuleProfile::from_toml(&text, &path.display().to_string())?;
        println!("{}: profile `{}` is valid.", path.display(), profile.name);
    }
    if arguments.print || arguments.check.is_none() {
        print!("{NANCHANG_2002_TOML}");
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}
