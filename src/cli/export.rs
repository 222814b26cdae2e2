//! `shequ export`: the approval export of a plan.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use shequ_core::Session;
use shequ_core::io::export::export_for_approval;
use shequ_core::report::CheckReport;

use super::EXIT_CLEAN;

/// `shequ export PLAN --out DIR`.
#[derive(Debug, Args)]
pub struct ExportArguments {
    /// The plan file.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// The folder to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(arguments: &ExportArguments) -> anyhow::Result<ExitCode> {
    let session = Session::open(&arguments.plan)?;
    for warning in &session.warnings {
        eprintln!("warning: {warning}");
    }
    let report = CheckReport::of(&session);
    let files = export_for_approval(&session, &report, &arguments.out)?;
    println!(
        "Wrote {}, {} and {}.",
        files.communities_geojson.display(),
        files.communities_csv.display(),
        files.summary_csv.display()
    );
    Ok(ExitCode::from(EXIT_CLEAN))
}
