//! `shequ partition PLAN (--street-office NAME | --all | --area AREA.geojson) --out PLAN2`:
//! redraws the geographic communities of the chosen ground as contiguous communities within the
//! band, their boundaries on the streets; prints the partition's report.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use shequ_core::Session;
use shequ_core::lang::Language;
use shequ_core::partition::{PartitionReport, Scope, area::read_area, partition};

use super::check::language_parser;
use super::layers::EXIT_CLEAN;
use super::table::{Align, render};

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartitionFormat {
    /// The figures, then a table of the communities made.
    Table,
    /// JSON, schema `shequ.partition/1`.
    Json,
}

/// `shequ partition PLAN (--street-office NAME | --all | --area AREA.geojson) --out PLAN2`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("ground").required(true).args(["street_office", "all", "area"]))]
pub struct PartitionArguments {
    /// The plan file 方案.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// Redraw the geographic communities of this street office 街道 (by name).
    #[arg(long, value_name = "NAME")]
    pub street_office: Option<String>,
    /// Redraw every street office's geographic communities.
    #[arg(long)]
    pub all: bool,
    /// Redraw the geographic communities whose inside lies in the polygons of this GeoJSON file
    /// (longitude/latitude).
    #[arg(long, value_name = "AREA.geojson")]
    pub area: Option<PathBuf>,
    /// Where the first seeding starts: the same seed gives the same partition.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Where to write the plan with the partition (the plan file itself is not changed).
    #[arg(long, value_name = "PLAN2")]
    pub out: PathBuf,
    /// Keep the partition as a new scenario 方案 of this name (the plan's own communities stay
    /// as they are in their scenario); without it the partition replaces them.
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PartitionFormat::Table)]
    pub format: PartitionFormat,
    /// Language 语言: zh or en; by default Chinese when the system locale is.
    #[arg(long, value_parser = language_parser())]
    pub lang: Option<Language>,
}

pub fn run(arguments: &PartitionArguments) -> anyhow::Result<ExitCode> {
    let language = arguments.lang.unwrap_or_else(Language::from_locale);
    let mut session = Session::open(&arguments.plan)?;
    super::table::print_warnings(session.warnings(), language);
    let scope = match (&arguments.street_office, &arguments.area) {
        (Some(name), _) => Scope::StreetOffice(name.clone()),
        (None, Some(path)) => Scope::Area(read_area(path, session.projection())?),
        (None, None) => Scope::All,
    };
    let started = std::time::Instant::now();
    let made = partition(&session, &scope, arguments.seed)?;
    let elapsed = started.elapsed();
    if let Some(name) = &arguments.scenario {
        session
            .create_scenario(name)
            .map_err(|error| anyhow::anyhow!("--scenario: {error}"))?;
        session
            .switch_scenario(name)
            .map_err(|error| anyhow::anyhow!("--scenario: {error}"))?;
    }
    session.execute(made.command)?;
    session.save_as(&arguments.out)?;
    let text = match arguments.format {
        PartitionFormat::Json => {
            let mut json = serde_json::to_value(&made.report)?;
            if let Some(object) = json.as_object_mut() {
                object.insert(
                    "plan".to_owned(),
                    arguments.out.display().to_string().into(),
                );
                object.insert(
                    "scenario".to_owned(),
                    session.scenario_name().to_owned().into(),
                );
                object.insert(
                    "milliseconds".to_owned(),
                    (elapsed.as_secs_f64() * 1000.0).round().into(),
                );
            }
            serde_json::to_string_pretty(&json)? + "\n"
        }
        PartitionFormat::Table => table(&made.report, language, arguments, elapsed),
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context("could not write the report")?;
    Ok(ExitCode::from(EXIT_CLEAN))
}

fn table(
    report: &PartitionReport,
    language: Language,
    arguments: &PartitionArguments,
    elapsed: std::time::Duration,
) -> String {
    use shequ_core::format::{grouped, percent};
    let pick = |chinese: &'static str, english: &'static str| language.pick(chinese, english);
    let mut text = String::new();
    text.push_str(&format!(
        "{} {} → {} {}\n",
        pick("重新划分社区", "Communities redrawn"),
        report.communities_before,
        report.communities.len(),
        pick("个", "")
    ));
    let rows = [
        (
            pick("户数在范围内", "Within the band"),
            percent(report.share_within_band),
        ),
        (
            pick(
                "平均紧凑度 (Polsby–Popper)",
                "Mean compactness (Polsby–Popper)",
            ),
            format!("{:.2}", report.mean_polsby_popper),
        ),
        (
            pick("边界沿街比例", "Boundary along streets"),
            percent(report.share_on_streets),
        ),
        (
            pick("改变所属社区的户数", "Households changing community"),
            format!(
                "{} / {}",
                grouped(report.households_moved),
                grouped(report.households)
            ),
        ),
        (
            pick("保留不变的社区", "Communities kept as they are"),
            report.kept.len().to_string(),
        ),
        (pick("种子", "Seed"), report.seed.to_string()),
        (
            pick("用时", "Time"),
            format!("{:.2} s", elapsed.as_secs_f64()),
        ),
    ];
    for (label, value) in rows {
        text.push_str(&format!("  {label}: {value}\n"));
    }
    let communities: Vec<Vec<String>> = report
        .communities
        .iter()
        .map(|community| {
            vec![
                community.id.clone(),
                community.name.clone(),
                community.street_office.clone().unwrap_or_default(),
                grouped(community.households),
                if community.within_band { "✓" } else { "✗" }.to_owned(),
                format!("{:.2}", community.polsby_popper),
                percent(community.on_streets),
            ]
        })
        .collect();
    text.push('\n');
    text.push_str(&render(
        &[
            ("id", Align::Left),
            (pick("名称", "name"), Align::Left),
            (pick("街道", "street office"), Align::Left),
            (pick("户数", "households"), Align::Right),
            (pick("范围内", "within"), Align::Left),
            ("Polsby–Popper", Align::Right),
            (pick("沿街", "on streets"), Align::Right),
        ],
        &communities,
    ));
    text.push_str(&format!(
        "\n{} {}{}\n",
        pick("已保存", "Saved"),
        arguments.out.display(),
        arguments
            .scenario
            .as_ref()
            .map(|name| format!(" ({} {name})", pick("方案", "scenario")))
            .unwrap_or_default()
    ));
    text
}
