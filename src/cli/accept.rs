//! `shequ accept`: accept one violation with a reason, an approver and a date, saved in the plan.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use shequ_core::Session;
use shequ_core::format::today;
use shequ_core::violation::ViolationKey;

use super::layers::EXIT_CLEAN;

/// `shequ accept PLAN --rule R --ids A[,B] --reason … --approver …`.
#[derive(Debug, Args)]
pub struct AcceptArguments {
    /// The plan file 方案.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// The rule id, e.g. community.households (see `shequ check`).
    #[arg(long)]
    pub rule: String,
    /// The ids the violation is about: community ids, or a street office or district name, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub ids: Vec<String>,
    /// The case, where a rule breaks twice for the same ids: `old_town` (community.space) or
    /// `estate` (community.cuts_building).
    #[arg(long)]
    pub case: Option<String>,
    /// Why it is acceptable 理由.
    #[arg(long)]
    pub reason: String,
    /// Who approved it 批准人.
    #[arg(long)]
    pub approver: String,
    /// The date (YYYY-MM-DD); today by default.
    #[arg(long)]
    pub date: Option<String>,
    /// Write the plan here instead of over PLAN.
    #[arg(long, value_name = "PLAN")]
    pub out: Option<PathBuf>,
}

pub fn run(arguments: &AcceptArguments) -> anyhow::Result<ExitCode> {
    let mut session = Session::open(&arguments.plan)?;
    let mut subjects: Vec<String> = arguments
        .ids
        .iter()
        .map(|id| id.trim().to_owned())
        .collect();
    subjects.sort();
    let key = ViolationKey {
        rule: arguments.rule.clone(),
        case: arguments.case.clone().unwrap_or_default(),
        subjects,
    };
    let date = arguments.date.clone().unwrap_or_else(today);
    session.accept(&key, &arguments.reason, &arguments.approver, &date)?;
    let out = arguments.out.as_ref().unwrap_or(&arguments.plan);
    session.save_as(out)?;
    println!(
        "Accepted {} for {} ({}); saved {}.",
        key.rule,
        key.subjects.join(", "),
        date,
        out.display()
    );
    Ok(ExitCode::from(EXIT_CLEAN))
}
