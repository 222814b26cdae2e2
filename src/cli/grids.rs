//! `shequ grids PLAN [--target N] [--community ID]… --out PLAN2`: draws each community's
//! management grids (网格) of about the target households, coded after CJ/T 213-2005, and prints
//! them with their figures and what their rules find.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde_json::json;
use shequ_core::Session;
use shequ_core::format::grouped;
use shequ_core::grids::draw_grids;
use shequ_core::lang::Language;
use shequ_core::report::CheckReport;

use super::check::language_parser;
use super::layers::EXIT_CLEAN;
use super::table::{Align, render};

/// How the grids are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GridsFormat {
    /// A table of the grids, then their violations.
    Table,
    /// JSON, schema `shequ.grids/1`.
    Json,
}

/// `shequ grids PLAN [--target N] [--community ID]… --out PLAN2`.
#[derive(Debug, Args)]
pub struct GridsArguments {
    /// The plan file 方案.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// Households a grid is drawn to hold; by default the profile's (300).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub target: Option<u64>,
    /// Draw the grids of this community only (by id; repeat for several); by default every
    /// unlocked community's.
    #[arg(long, value_name = "ID")]
    pub community: Vec<String>,
    /// Where to write the plan with its grids (the plan file itself is not changed).
    #[arg(long, value_name = "PLAN2")]
    pub out: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GridsFormat::Table)]
    pub format: GridsFormat,
    /// Language 语言: zh or en; by default Chinese when the system locale is.
    #[arg(long, value_parser = language_parser())]
    pub lang: Option<Language>,
}

pub fn run(arguments: &GridsArguments) -> anyhow::Result<ExitCode> {
    let language = arguments.lang.unwrap_or_else(Language::from_locale);
    let mut session = Session::open(&arguments.plan)?;
    super::table::print_warnings(session.warnings(), language);
    let mut keys = Vec::new();
    for id in &arguments.community {
        let key = session.plan().key_of(id).with_context(|| {
            format!(
                "--community {id}: {} has no community with this id",
                arguments.plan.display()
            )
        })?;
        keys.push(key);
    }
    let target = arguments
        .target
        .unwrap_or(session.profile().grids.target_households);
    let started = std::time::Instant::now();
    let (command, drawn) = draw_grids(&session, &keys, target);
    let elapsed = started.elapsed();
    // A target above a community's households is no error (the community is one grid), but the
    // planner should know that is why.
    let above: Vec<&str> = drawn
        .communities
        .iter()
        .filter(|community| community.households.iter().sum::<u64>() < target)
        .map(|community| community.community.as_str())
        .collect();
    if !above.is_empty() {
        let shown = above
            .iter()
            .take(10)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let more = if above.len() > 10 { ", …" } else { "" };
        eprintln!(
            "{}",
            match language {
                Language::Chinese => format!(
                    "注意: 目标 {} 户超过 {} 个社区的户数 ({shown}{more}), 这些社区各为一个网格",
                    grouped(target),
                    above.len()
                ),
                Language::English => format!(
                    "note: the target of {} households is above the households of {} communities ({shown}{more}); each of them is one grid",
                    grouped(target),
                    above.len()
                ),
            }
        );
    }
    // Grids already as they would be drawn leave nothing to do.
    if !drawn.communities.is_empty() {
        session.execute(command)?;
    }
    session.save_as(&arguments.out)?;
    let report = CheckReport::of(&session);
    let violations: Vec<_> = report
        .violations
        .iter()
        .filter(|row| row.rule.starts_with("grid."))
        .collect();
    let text = match arguments.format {
        GridsFormat::Json => {
            let json = json!({
                "schema": "shequ.grids/1",
                "plan": arguments.out.display().to_string(),
                "target_households": drawn.target_households,
                "communities_drawn": drawn.communities.len(),
                "grids": report.grids,
                "violations": violations,
                "milliseconds": (elapsed.as_secs_f64() * 1000.0).round(),
            });
            serde_json::to_string_pretty(&json)? + "\n"
        }
        GridsFormat::Table => {
            let pick =
                |chinese: &'static str, english: &'static str| language.pick(chinese, english);
            let rows: Vec<Vec<String>> = report
                .grids
                .iter()
                .map(|grid| {
                    vec![
                        grid.code.clone(),
                        grid.community.clone(),
                        grouped(grid.households),
                        grouped(grid.residents),
                        grouped(u64::from(grid.buildings)),
                    ]
                })
                .collect();
            let (grids, communities) = (report.grids.len(), drawn.communities.len());
            let (target, seconds) = (grouped(target), elapsed.as_secs_f64());
            let mut text = if language == Language::Chinese {
                format!(
                    "网格 {grids} 个, {communities} 个社区重新划分 (目标 {target} 户, {seconds:.2} s)\n\n"
                )
            } else {
                format!(
                    "{grids} grids, {communities} communities drawn (target {target} households, {seconds:.2} s)\n\n"
                )
            };
            text.push_str(&render(
                &[
                    (pick("网格编码", "grid code"), Align::Left),
                    (pick("社区", "community"), Align::Left),
                    (pick("户数", "households"), Align::Right),
                    (pick("人口", "residents"), Align::Right),
                    (pick("楼栋", "buildings"), Align::Right),
                ],
                &rows,
            ));
            for violation in &violations {
                let message = language.pick(&violation.message_zh, &violation.message_en);
                text.push_str(&format!("  {} {message}\n", violation.severity));
            }
            text.push_str(&format!(
                "\n{} {}\n",
                pick("已保存", "Saved"),
                arguments.out.display()
            ));
            text
        }
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context("could not write the report")?;
    Ok(ExitCode::from(EXIT_CLEAN))
}
