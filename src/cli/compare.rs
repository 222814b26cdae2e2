//! `shequ compare OLD NEW`: who moves where, building by building.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use shequ_core::Session;
use shequ_core::compare::{ChangeStatus, Comparison, compare};
use shequ_core::export::changes::{TRANSFER_COLUMNS, transfer_rows};
use shequ_core::export::{csv_bytes, headers_in};
use shequ_core::format::grouped;
use shequ_core::lang::Language;
use shequ_core::session::OpenOptions;

use super::check::language_parser;
use super::layers::EXIT_CLEAN;
use super::table::{Align, render};

/// How the comparison is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// Aligned text tables: changed communities, transfers, street offices, violations.
    Table,
    /// JSON, schema `shequ.compare/1`.
    Json,
    /// The transfers as CSV (UTF-8 with a byte-order mark, for Excel).
    Csv,
}

/// `shequ compare OLD NEW`.
#[derive(Debug, Args)]
pub struct CompareArguments {
    /// The plan before 原方案.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The plan after 新方案, over the same buildings; without it, two scenarios of OLD are
    /// compared (--with-scenario).
    #[arg(value_name = "NEW")]
    pub new: Option<PathBuf>,
    /// OLD's scenario 方案 (by default the one it was saved with).
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// NEW's scenario, or without NEW another scenario of OLD.
    #[arg(long, value_name = "NAME")]
    pub with_scenario: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,
    /// Language of the headers 语言: zh or en; by default Chinese when the system locale is.
    #[arg(long, value_parser = language_parser())]
    pub lang: Option<Language>,
}

pub fn run(arguments: &CompareArguments) -> anyhow::Result<ExitCode> {
    let language = arguments.lang.unwrap_or_else(Language::from_locale);
    // The new plan shares the old one's layers where it names the same: they are read and
    // indexed once.
    let mut before = Session::open(&arguments.old)?;
    super::scenario::choose_scenario(&mut before, arguments.scenario.as_deref())?;
    let after = match (&arguments.new, &arguments.with_scenario) {
        (Some(new), with_scenario) => {
            let mut after =
                Session::open_beside(new, &before.shared_layers(), OpenOptions::default())?;
            super::scenario::choose_scenario(&mut after, with_scenario.as_deref())?;
            after
        }
        (None, Some(name)) => before
            .scenario_session(name)
            .map_err(|error| anyhow::anyhow!("--with-scenario: {error}"))?,
        (None, None) => anyhow::bail!(
            "give NEW, the plan to compare with, or --with-scenario NAME to compare two scenarios of {}",
            arguments.old.display()
        ),
    };
    super::table::print_warnings(before.warnings(), language);
    super::table::print_warnings(after.warnings(), language);
    let comparison = compare(&before, &after)?;
    let text = match arguments.format {
        CompareFormat::Json => serde_json::to_string_pretty(&comparison)? + "\n",
        CompareFormat::Csv => transfers_csv(&comparison, language)?,
        CompareFormat::Table => tables(&comparison, language),
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context("could not write the comparison")?;
    Ok(ExitCode::from(EXIT_CLEAN))
}

/// "—" for no community.
fn community_or_none(id: &Option<String>) -> String {
    id.clone().unwrap_or_else(|| "—".to_owned())
}

fn transfers_csv(comparison: &Comparison, language: Language) -> anyhow::Result<String> {
    let bytes = csv_bytes(
        &headers_in(&TRANSFER_COLUMNS, language),
        &transfer_rows(comparison),
    )?;
    Ok(String::from_utf8(bytes)?)
}

fn tables(comparison: &Comparison, language: Language) -> String {
    let pick = |chinese: &'static str, english: &'static str| language.pick(chinese, english);
    let mut text = String::new();
    let changed: Vec<Vec<String>> = comparison
        .communities
        .iter()
        .filter(|community| community.status != ChangeStatus::Unchanged)
        .map(|community| {
            vec![
                community.id.clone(),
                community
                    .name_after
                    .clone()
                    .or_else(|| community.name_before.clone())
                    .unwrap_or_default(),
                match community.status {
                    ChangeStatus::Unchanged => pick("未变", "unchanged"),
                    ChangeStatus::Changed => pick("调整", "changed"),
                    ChangeStatus::New => pick("新增", "new"),
                    ChangeStatus::Removed => pick("撤销", "removed"),
                }
                .to_owned(),
                format!(
                    "{} → {}",
                    grouped(community.households_before),
                    grouped(community.households_after)
                ),
                format!(
                    "{} → {}",
                    grouped(community.residents_before),
                    grouped(community.residents_after)
                ),
                format!("{:.0}", community.boundary_change_m),
            ]
        })
        .collect();
    text.push_str(pick("变化的社区\n", "Communities that changed\n"));
    text.push_str(&render(
        &[
            (pick("编号", "id"), Align::Left),
            (pick("名称", "name"), Align::Left),
            (pick("变化", "status"), Align::Left),
            (pick("户数", "households"), Align::Right),
            (pick("人口", "residents"), Align::Right),
            (pick("边界移动(米)", "boundary moved (m)"), Align::Right),
        ],
        &changed,
    ));
    let moves: Vec<Vec<String>> = comparison
        .transfers
        .iter()
        .filter(|transfer| transfer.from != transfer.to)
        .map(|transfer| {
            vec![
                community_or_none(&transfer.from),
                community_or_none(&transfer.to),
                grouped(transfer.households),
                grouped(transfer.residents),
                grouped(u64::from(transfer.buildings)),
            ]
        })
        .collect();
    text.push_str(pick(
        "\n迁移(按楼栋)\n",
        "\nTransfers (building by building)\n",
    ));
    text.push_str(&render(
        &[
            (pick("原社区", "from"), Align::Left),
            (pick("新社区", "to"), Align::Left),
            (pick("户数", "households"), Align::Right),
            (pick("人口", "residents"), Align::Right),
            (pick("楼栋", "buildings"), Align::Right),
        ],
        &moves,
    ));
    let offices: Vec<Vec<String>> = comparison
        .street_offices
        .iter()
        .filter(|office| {
            office.households_before != office.households_after
                || office.communities_before != office.communities_after
        })
        .map(|office| {
            vec![
                office.name.clone(),
                format!(
                    "{} → {}",
                    office.communities_before, office.communities_after
                ),
                format!(
                    "{} → {}",
                    grouped(office.households_before),
                    grouped(office.households_after)
                ),
                format!(
                    "{} → {}",
                    grouped(office.residents_before),
                    grouped(office.residents_after)
                ),
            ]
        })
        .collect();
    text.push_str(pick("\n变化的街道\n", "\nStreet offices that changed\n"));
    text.push_str(&render(
        &[
            (pick("街道", "street office"), Align::Left),
            (pick("社区", "communities"), Align::Right),
            (pick("户数", "households"), Align::Right),
            (pick("人口", "residents"), Align::Right),
        ],
        &offices,
    ));
    text.push_str(&format!(
        "\n{} {} · {} {}\n",
        pick("消除的违规:", "Violations fixed:"),
        comparison.violations_fixed.len(),
        pick("新增的违规:", "violations introduced:"),
        comparison.violations_new.len()
    ));
    text
}
