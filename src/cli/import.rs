//! `shequ import`: a new plan file from layers.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::Args;
use shequ_core::Session;
use shequ_core::profile::RuleProfile;
use shequ_core::session::OpenOptions;

use super::layers::{EXIT_CLEAN, LayerArguments};

/// `shequ import --buildings B --streets S [--communities C] --out PLAN`.
#[derive(Debug, Args)]
pub struct ImportArguments {
    #[command(flatten)]
    pub layers: LayerArguments,
    /// The plan file to write (GeoJSON; `.shequ.geojson` by convention).
    #[arg(long, value_name = "PLAN")]
    pub out: PathBuf,
    /// Replace `--out` if it exists already (by default an existing file is refused).
    #[arg(long)]
    pub force: bool,
}

pub fn run(arguments: &ImportArguments) -> anyhow::Result<ExitCode> {
    if arguments.out.exists() && !arguments.force {
        bail!(
            "{} exists already: give another --out, or --force to replace it",
            arguments.out.display()
        );
    }
    let Some(inputs) = arguments.layers.inputs()? else {
        bail!("--buildings is needed: the buildings layer the plan counts households from");
    };
    let mut session =
        Session::from_layers(&inputs, RuleProfile::default(), OpenOptions::default())?;
    super::table::print_warnings(
        session.warnings(),
        shequ_core::lang::Language::from_locale(),
    );
    session.save_as(&arguments.out)?;
    println!(
        "Wrote {}: {} communities over {} buildings ({} households){}.",
        arguments.out.display(),
        session.plan().len(),
        session.layers().buildings.len(),
        session.layers().total_households(),
        if session.layers().streets.is_empty() {
            String::new()
        } else {
            format!(" and {} streets", session.layers().streets.len())
        }
    );
    Ok(ExitCode::from(EXIT_CLEAN))
}
