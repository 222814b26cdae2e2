//! `shequ gen-city`: a deterministic synthetic city.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use shequ_core::gen_city::{CityOptions, generate_city};

use super::layers::EXIT_CLEAN;

/// `shequ gen-city --buildings N --seed S --out DIR`.
#[derive(Debug, Args)]
pub struct GenCityArguments {
    /// How many buildings 楼栋 (1,000 to 1,000,000 is the tested range).
    #[arg(long, value_name = "N")]
    pub buildings: usize,
    /// How many communities 社区; by default one per 1,000 buildings (at least 4).
    #[arg(long, value_name = "N")]
    pub communities: Option<usize>,
    /// The seed: the same seed and sizes give the same files.
    #[arg(long, default_value_t = 2002)]
    pub seed: u64,
    /// Do not plant deliberate violations (by default a few are, and listed in the plan).
    #[arg(long)]
    pub no_planted_violations: bool,
    /// Give every residential building its households in the data (none left to estimate), for
    /// exact comparisons with other tools.
    #[arg(long)]
    pub households_for_all: bool,
    /// The folder to write buildings.geojson, streets.geojson and plan.shequ.geojson into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the files of a city generated there before (by default they are refused).
    #[arg(long)]
    pub force: bool,
}

pub fn run(arguments: &GenCityArguments) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let existing: Vec<&str> = ["buildings.geojson", "streets.geojson", "plan.shequ.geojson"]
        .into_iter()
        .filter(|name| arguments.out.join(name).exists())
        .collect();
    if !existing.is_empty() && !arguments.force {
        anyhow::bail!(
            "{} holds {} already: give another --out, or --force to replace them",
            arguments.out.display(),
            existing.join(", ")
        );
    }
    let summary = generate_city(
        &CityOptions {
            buildings: arguments.buildings,
            communities: arguments.communities,
            seed: arguments.seed,
            plant_violations: !arguments.no_planted_violations,
            households_for_all: arguments.households_for_all,
        },
        &arguments.out,
    )?;
    println!(
        "Wrote {}: {} buildings, {} streets, {} communities in {} street offices, {} households in the data ({:.1} s).",
        arguments.out.display(),
        summary.buildings,
        summary.streets,
        summary.communities,
        summary.street_offices,
        summary.households_in_data,
        start.elapsed().as_secs_f64()
    );
    for (kind, ids) in &summary.planted {
        println!("  planted {kind}: {}", ids.join(", "));
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}
