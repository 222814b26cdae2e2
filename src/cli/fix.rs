//! `shequ fix PLAN`: carries out the best fix of each matching violation in turn, re-checking
//! after each and skipping a fix that would add an error; prints what it did and what it left
//! for a person, with why.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use shequ_core::Session;
use shequ_core::fixes::{FixReport, fix_in_turn};
use shequ_core::lang::Language;
use shequ_core::violation::Severity;

use super::check::language_parser;
use super::layers::{EXIT_CLEAN, EXIT_VIOLATIONS};
use super::table::{Align, render};

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FixFormat {
    /// Aligned text tables: the fixes carried out, then what was left.
    Table,
    /// JSON, schema `shequ.fix/1`.
    Json,
}

/// `shequ fix PLAN (--all | --rule RULE | --community ID) --out PLAN2`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("which").required(true).multiple(true).args(["all", "rule", "community"]))]
pub struct FixArguments {
    /// The plan file 方案.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// Fix every violation that has a fix.
    #[arg(long)]
    pub all: bool,
    /// Only violations of this rule (e.g. community.households, community.empty).
    #[arg(long, value_name = "RULE")]
    pub rule: Option<String>,
    /// Only violations about this community (its id).
    #[arg(long, value_name = "ID")]
    pub community: Option<String>,
    /// Where to write the fixed plan (the plan file itself is not changed).
    #[arg(long, value_name = "PLAN2")]
    pub out: PathBuf,
    /// The scenario 方案 to fix, where the plan has several.
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FixFormat::Table)]
    pub format: FixFormat,
    /// Language 语言: zh or en; by default Chinese when the system locale is.
    #[arg(long, value_parser = language_parser())]
    pub lang: Option<Language>,
}

pub fn run(arguments: &FixArguments) -> anyhow::Result<ExitCode> {
    let language = arguments.lang.unwrap_or_else(Language::from_locale);
    let mut session = Session::open(&arguments.plan)?;
    super::table::print_warnings(session.warnings(), language);
    super::scenario::choose_scenario(&mut session, arguments.scenario.as_deref())?;
    if let Some(rule) = &arguments.rule
        && !shequ_core::rules::RULE_IDS.contains(&rule.as_str())
    {
        anyhow::bail!(
            "--rule: no rule is named \"{rule}\"; the rules are: {}",
            shequ_core::rules::RULE_IDS.join(", ")
        );
    }
    if let Some(id) = &arguments.community
        && session.plan().key_of(id).is_none()
    {
        anyhow::bail!("--community: the plan has no community with the id \"{id}\"");
    }
    let report = fix_in_turn(&mut session, |violation| {
        arguments
            .rule
            .as_deref()
            .is_none_or(|rule| violation.rule == rule)
            && arguments
                .community
                .as_ref()
                .is_none_or(|id| violation.communities.contains(id))
    });
    session.save_as(&arguments.out)?;
    let text = match arguments.format {
        FixFormat::Json => {
            let json = serde_json::json!({
                "schema": "shequ.fix/1",
                "plan": arguments.out.display().to_string(),
                "applied": report.applied,
                "left": report.left,
            });
            serde_json::to_string_pretty(&json)? + "\n"
        }
        FixFormat::Table => tables(&report, language, &arguments.out),
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context("could not write the report")?;
    let errors_left = session
        .violations()
        .iter()
        .any(|checked| checked.accepted.is_none() && checked.violation.severity == Severity::Error);
    Ok(ExitCode::from(if errors_left {
        EXIT_VIOLATIONS
    } else {
        EXIT_CLEAN
    }))
}

fn tables(report: &FixReport, language: Language, out: &std::path::Path) -> String {
    let pick = |chinese: &'static str, english: &'static str| language.pick(chinese, english);
    let mut text = String::new();
    let applied: Vec<Vec<String>> = report
        .applied
        .iter()
        .map(|fix| {
            vec![
                format!(
                    "{} {}",
                    fix.violation.rule,
                    fix.violation.subjects.join(",")
                ),
                language
                    .pick(&fix.description_zh, &fix.description_en)
                    .to_owned(),
            ]
        })
        .collect();
    text.push_str(&format!(
        "{} ({})\n",
        pick("已修复", "Fixed"),
        report.applied.len()
    ));
    text.push_str(&render(
        &[
            (pick("违规", "violation"), Align::Left),
            (pick("修复", "fix"), Align::Left),
        ],
        &applied,
    ));
    let left: Vec<Vec<String>> = report
        .left
        .iter()
        .map(|left| {
            vec![
                language.pick(&left.message_zh, &left.message_en).to_owned(),
                language.pick(&left.reason_zh, &left.reason_en).to_owned(),
            ]
        })
        .collect();
    text.push_str(&format!(
        "\n{} ({})\n",
        pick("需人工处理", "Left for a planner"),
        report.left.len()
    ));
    text.push_str(&render(
        &[
            (pick("违规", "violation"), Align::Left),
            (pick("原因", "why"), Align::Left),
        ],
        &left,
    ));
    text.push_str(&format!(
        "\n{} {}\n",
        pick("已保存", "Saved"),
        out.display()
    ));
    text
}
