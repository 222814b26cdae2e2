//! `shequ log PLAN`: the plan's change log 修改记录 — who changed what, when, and the households
//! of the communities each change touched.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use shequ_core::audit::LOG_MEMBER;
use shequ_core::export::changes::{LOG_COLUMNS, log_rows};
use shequ_core::export::{csv_bytes, headers_in};
use shequ_core::io::plan_file::read_plan_log;
use shequ_core::lang::Language;

use super::check::language_parser;
use super::layers::EXIT_CLEAN;
use super::table::{Align, render};

/// How the log is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// An aligned text table, an entry a line.
    Table,
    /// JSON: the entries as the plan file keeps them.
    Json,
    /// CSV, a row a community each entry touched (UTF-8 with a byte-order mark, for Excel).
    Csv,
}

/// `shequ log PLAN`.
#[derive(Debug, Args)]
pub struct LogArguments {
    /// The plan file 方案.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LogFormat::Table)]
    pub format: LogFormat,
    /// Language 语言: zh or en; by default Chinese when the system locale is.
    #[arg(long, value_parser = language_parser())]
    pub lang: Option<Language>,
}

pub fn run(arguments: &LogArguments) -> anyhow::Result<ExitCode> {
    let language = arguments.lang.unwrap_or_else(Language::from_locale);
    let (log, unreadable) = read_plan_log(&arguments.plan)?;
    if let Some(unreadable) = unreadable {
        eprintln!(
            "{}: {}: shequ.{LOG_MEMBER} {} ({}); {}",
            language.pick("警告", "warning"),
            arguments.plan.display(),
            language.pick("无法读取", "cannot be read"),
            unreadable.error,
            language.pick(
                "方案打开并保存时会原样保留它",
                "opening and saving the plan keeps it unchanged"
            ),
        );
    }
    let text = match arguments.format {
        LogFormat::Json => serde_json::to_string_pretty(&log)? + "\n",
        LogFormat::Csv => String::from_utf8(csv_bytes(
            &headers_in(&LOG_COLUMNS, language),
            &log_rows(&log, language),
        )?)?,
        LogFormat::Table => {
            let pick =
                |chinese: &'static str, english: &'static str| language.pick(chinese, english);
            // A plan of several scenarios says which each change was in.
            let scenarios = log.iter().any(|entry| {
                entry
                    .scenario
                    .as_deref()
                    .is_some_and(|name| name != shequ_core::session::DEFAULT_SCENARIO_NAME)
            });
            let rows: Vec<Vec<String>> = log
                .iter()
                .map(|entry| {
                    let mut what = entry.communities_text();
                    if !entry.detail.is_empty() {
                        what = if what.is_empty() {
                            entry.detail.clone()
                        } else {
                            format!("{what}; {}", entry.detail)
                        };
                    }
                    let mut row = vec![entry.time.replace('T', " "), entry.user.clone()];
                    if scenarios {
                        row.push(entry.scenario.clone().unwrap_or_default());
                    }
                    row.extend([entry.describe(language), what]);
                    row
                })
                .collect();
            if rows.is_empty() {
                pick("没有修改记录\n", "No changes recorded\n").to_owned()
            } else {
                let mut headers = vec![
                    (pick("时间", "time"), Align::Left),
                    (pick("操作人", "user"), Align::Left),
                ];
                if scenarios {
                    headers.push((pick("方案", "scenario"), Align::Left));
                }
                headers.extend([
                    (pick("操作", "change"), Align::Left),
                    (
                        pick(
                            "社区 (户数 前 → 后)",
                            "communities (households before → after)",
                        ),
                        Align::Left,
                    ),
                ]);
                render(&headers, &rows)
            }
        }
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context("could not write the log")?;
    Ok(ExitCode::from(EXIT_CLEAN))
}
