//! `shequ check`: load, index, tally and report.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use shequ_core::Session;
use shequ_core::load::LayerCacheUse;
use shequ_core::profile::RuleProfile;
use shequ_core::report::{CheckReport, ViolationRow};
use shequ_core::session::OpenOptions;

use shequ_core::format::grouped;
use shequ_core::lang::Language;

use super::layers::{EXIT_CLEAN, EXIT_VIOLATIONS, LayerArguments};
use super::table::{Align, WIDEST_MESSAGE, printable, printable_within, render};

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text tables.
    Table,
    /// JSON, schema `shequ.check/1`.
    Json,
}

/// `shequ check PLAN` or `shequ check --buildings B --communities C …`.
#[derive(Debug, Args)]
pub struct CheckArguments {
    /// A plan file 方案 (GeoJSON with a `shequ` member). Or give the layers below instead.
    #[arg(value_name = "PLAN", conflicts_with = "buildings")]
    pub plan: Option<PathBuf>,
    #[command(flatten)]
    pub layers: LayerArguments,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Language of the messages 语言: zh or en; by default Chinese when the system locale is.
    #[arg(long, value_parser = language_parser())]
    pub lang: Option<Language>,
    /// The scenario 方案 to check, where the plan has several (by default the one it was saved
    /// with).
    #[arg(long, value_name = "NAME", requires = "plan")]
    pub scenario: Option<String>,
    /// Parse the layers' GeoJSON even where a cache beside them matches, and write no cache
    /// (the cache, `.NAME.shequ-cache`, makes a second check of the same layers much faster).
    #[arg(long)]
    pub no_cache: bool,
}

/// `--lang zh|en`, listed in the help.
pub fn language_parser() -> impl clap::builder::TypedValueParser<Value = Language> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["zh", "en"]).map(|value| {
        if value == "zh" {
            Language::Chinese
        } else {
            Language::English
        }
    })
}

/// Opens the plan or the layers the arguments name.
pub fn open_session(
    plan: Option<&PathBuf>,
    layers: &LayerArguments,
    cache: LayerCacheUse,
) -> anyhow::Result<Session> {
    let options = OpenOptions {
        cache,
        ..OpenOptions::default()
    };
    match (plan, layers.inputs()?) {
        (Some(plan), _) => Ok(Session::open_with(plan, options)?),
        (None, Some(inputs)) => {
            if inputs.communities.is_none() {
                bail!(
                    "--communities is needed with --buildings: give the community boundaries to check (or a plan file)"
                );
            }
            Ok(Session::from_layers(
                &inputs,
                RuleProfile::default(),
                options,
            )?)
        }
        (None, None) => {
            bail!("give a plan file, or --buildings and --communities (see `shequ check --help`)")
        }
    }
}

pub fn run(arguments: &CheckArguments) -> anyhow::Result<ExitCode> {
    let cache = if arguments.no_cache {
        LayerCacheUse::Off
    } else {
        LayerCacheUse::ReadAndWrite
    };
    let mut session = open_session(arguments.plan.as_ref(), &arguments.layers, cache)?;
    super::scenario::choose_scenario(&mut session, arguments.scenario.as_deref())?;
    let report = CheckReport::of(&session);
    let language = arguments.lang.unwrap_or_else(Language::from_locale);
    // Buffered: standard output flushes at every line, a write call for each of a report's
    // fifteen thousand lines at 1,000 communities.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match arguments.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report).context("writing the report")?;
            writeln!(out)?;
        }
        Format::Table => {
            super::table::print_warnings(session.warnings(), language);
            write!(out, "{}", table_text(&session, &report))?;
            write!(out, "{}", violations_text(&report, language))?;
        }
    }
    out.flush().context("writing the report")?;
    let has_errors = session.unaccepted_errors() > 0;
    // The process ends next: handing a city's million buildings back to the allocator one by one
    // would only delay the exit.
    std::mem::forget(session);
    Ok(ExitCode::from(if has_errors {
        EXIT_VIOLATIONS
    } else {
        EXIT_CLEAN
    }))
}

fn violation_line(row: &ViolationRow, language: Language) -> String {
    let message = language.pick(&row.message_zh, &row.message_en);
    let marker = if row.pre_existing { "" } else { " *" };
    format!(
        "  [{}] {}{marker}\n",
        row.rule,
        printable_within(message, WIDEST_MESSAGE)
    )
}

/// Violations grouped by severity, then the accepted ones, then lapsed exceptions.
pub fn violations_text(report: &CheckReport, language: Language) -> String {
    let mut text = String::new();
    for (severity, heading_zh, heading_en) in
        [("error", "错误", "Errors"), ("warning", "警告", "Warnings")]
    {
        let rows: Vec<&ViolationRow> = report.unaccepted(severity).collect();
        let heading = format!("{} ({})", language.pick(heading_zh, heading_en), rows.len());
        text.push_str(&format!("\n{heading}\n"));
        for row in rows {
            text.push_str(&violation_line(row, language));
        }
    }
    let accepted: Vec<&ViolationRow> = report.accepted().collect();
    if !accepted.is_empty() {
        text.push_str(&format!(
            "\n{} ({})\n",
            language.pick("已接受的例外", "Accepted exceptions"),
            accepted.len()
        ));
        for row in accepted {
            text.push_str(&violation_line(row, language));
            if let Some(exception) = &row.accepted {
                let by = language.pick("批准", "approved by");
                text.push_str(&format!(
                    "      {} — {by} {}, {}\n",
                    printable_within(&exception.reason, WIDEST_MESSAGE),
                    printable(&exception.approver),
                    printable(&exception.date)
                ));
            }
        }
    }
    if !report.lapsed_exceptions.is_empty() {
        let heading = language.pick(
            "已失效的例外 (违规已消失或数字已变, 保存时删除)",
            "Lapsed exceptions (the violation is gone or its figures changed; dropped at the next save)",
        );
        text.push_str(&format!(
            "\n{heading} ({})\n",
            report.lapsed_exceptions.len()
        ));
        for exception in &report.lapsed_exceptions {
            text.push_str(&format!(
                "  [{}] {}\n",
                exception.rule,
                exception.subjects.join(", ")
            ));
        }
    }
    if report.violations.iter().any(|row| !row.pre_existing) {
        text.push_str(language.pick(
            "\n* 打开方案后新出现\n",
            "\n* new since the plan was opened\n",
        ));
    }
    text
}

fn table_text(session: &Session, report: &CheckReport) -> String {
    let mut text = String::new();
    let rows: Vec<Vec<String>> = session
        .plan()
        .communities()
        .zip(&report.communities)
        .map(|((_, community), row)| {
            let estimated = if row.households == 0 {
                String::new()
            } else {
                format!(
                    "{:.0}%",
                    100.0 * row.estimated_households as f64 / row.households as f64
                )
            };
            vec![
                row.id.clone(),
                row.name.clone(),
                community.properties.kind.chinese().to_owned(),
                row.street_office.clone().unwrap_or_default(),
                grouped(row.households),
                grouped(row.residents),
                grouped(u64::from(row.buildings)),
                estimated,
            ]
        })
        .collect();
    text.push_str(&render(
        &[
            ("id", Align::Left),
            ("社区 community", Align::Left),
            ("类型 type", Align::Left),
            ("街道 street office", Align::Left),
            ("户数 households", Align::Right),
            ("人口 residents", Align::Right),
            ("楼栋 buildings", Align::Right),
            ("估算 estimated", Align::Right),
        ],
        &rows,
    ));
    if !report.street_offices.is_empty() {
        text.push('\n');
        let rows: Vec<Vec<String>> = report
            .street_offices
            .iter()
            .map(|office| {
                vec![
                    office.name.clone(),
                    office.district.clone().unwrap_or_default(),
                    office.communities.to_string(),
                    grouped(office.households),
                    grouped(office.residents),
                ]
            })
            .collect();
        text.push_str(&render(
            &[
                ("街道 street office", Align::Left),
                ("区 district", Align::Left),
                ("社区 communities", Align::Right),
                ("户数 households", Align::Right),
                ("人口 residents", Align::Right),
            ],
            &rows,
        ));
    }
    if !report.walking.is_empty() {
        text.push('\n');
        text.push_str(&walking_table(report));
    }
    let total_households: u64 = report.communities.iter().map(|row| row.households).sum();
    text.push_str(&format!(
        "\n{} communities 社区, {} households 户 in communities; {} residential buildings with {} households in no community 未覆盖; {} buildings cut by a boundary 被边界切割.\n",
        grouped(report.communities.len() as u64),
        grouped(total_households),
        grouped(report.unassigned.buildings),
        grouped(report.unassigned.households),
        grouped(report.cut_buildings.len() as u64),
    ));
    let timings = report.timings_ms;
    text.push_str(&format!(
        "Timings: load {:.0} ms{}, index {:.0} ms, tally {:.0} ms, rules {:.0} ms, total {:.0} ms.\n",
        timings.load,
        if timings.layers_from_cache {
            " (from the layers' caches)"
        } else {
            ""
        },
        timings.index,
        timings.tally,
        timings.rules,
        timings.total
    ));
    text
}

/// Walking distances to each placed committee office: the share of households within each of
/// the profile's distances, the farthest building and the households that cannot reach it.
fn walking_table(report: &CheckReport) -> String {
    let distances: Vec<String> = report.walking[0]
        .within
        .iter()
        .map(|within| format!("≤{} m", grouped(within.distance_m.round() as u64)))
        .collect();
    let rows: Vec<Vec<String>> = report
        .walking
        .iter()
        .map(|row| {
            let mut cells = vec![row.community.clone(), grouped(row.households)];
            cells.extend(
                row.within
                    .iter()
                    .map(|within| format!("{:.0}%", within.share * 100.0)),
            );
            cells.push(
                row.farthest_m
                    .map(|metres| format!("{} m", grouped(metres.round() as u64)))
                    .unwrap_or_default(),
            );
            cells.push(grouped(row.unreachable_households));
            cells
        })
        .collect();
    let mut headers: Vec<(&str, Align)> = vec![
        ("步行 walking: 社区 community", Align::Left),
        ("户数 households", Align::Right),
    ];
    headers.extend(distances.iter().map(|label| (label.as_str(), Align::Right)));
    headers.push(("最远 farthest", Align::Right));
    headers.push(("走不到 cannot reach", Align::Right));
    render(&headers, &rows)
}
