//! `shequ export`: the approval export of a plan.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use shequ::sheet::export_with_map;
use shequ_core::Session;

use super::layers::EXIT_CLEAN;
use shequ_core::lang::Language;

use super::check::language_parser;

/// `shequ export PLAN --out DIR`.
#[derive(Debug, Args)]
pub struct ExportArguments {
    /// The plan file.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// The folder to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Language of the map sheet 语言: zh or en; by default Chinese when the system locale is.
    #[arg(long, value_parser = language_parser())]
    pub lang: Option<Language>,
}

pub fn run(arguments: &ExportArguments) -> anyhow::Result<ExitCode> {
    let session = Session::open(&arguments.plan)?;
    super::table::print_warnings(session.warnings());
    let language = arguments.lang.unwrap_or_else(Language::from_locale);
    let (files, map) = export_with_map(&session, &arguments.out, language)?;
    println!(
        "Wrote {}, {}, {} and {}, then {} (the list of a complete export).",
        files.communities_geojson.display(),
        files.communities_csv.display(),
        files.summary_csv.display(),
        map.display(),
        arguments
            .out
            .join(shequ_core::export::MANIFEST_FILE_NAME)
            .display()
    );
    Ok(ExitCode::from(EXIT_CLEAN))
}
