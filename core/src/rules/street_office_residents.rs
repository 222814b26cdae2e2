//! `street_office.residents` and `street_office.merge_candidate` (clause 1): registered residents
//! per street office 40,000 – 60,000 (a warning outside); under 30,000 a candidate for merging
//! (an error, reported instead of the band warning).

use serde_json::json;

use crate::figures::AreaFigures;
use crate::format::grouped;
use crate::rules::context::RuleContext;
use crate::violation::{Severity, Violation, clause_en, clause_zh};

/// The band rule's id.
pub const RULE: &str = "street_office.residents";
/// The merge rule's id.
pub const MERGE_RULE: &str = "street_office.merge_candidate";

/// Checks every street office.
pub fn check(context: &RuleContext<'_>, offices: &[AreaFigures], out: &mut Vec<Violation>) {
    let band = &context.profile.street_office_residents;
    let clause = band.clause;
    for office in offices {
        let residents = grouped(office.residents);
        let (rule, severity, zh, en) = if office.residents < band.merge_candidate_below {
            let below = grouped(band.merge_candidate_below);
            (
                MERGE_RULE,
                Severity::Error,
                format!("不足 {below} 人, 可考虑撤并"),
                format!("under {below}: a candidate for merging"),
            )
        } else if office.residents < band.minimum || office.residents > band.maximum {
            let (minimum, maximum) = (grouped(band.minimum), grouped(band.maximum));
            (
                RULE,
                Severity::Warning,
                format!("不在 {minimum}–{maximum} 人之间"),
                format!("outside {minimum}–{maximum}"),
            )
        } else {
            continue;
        };
        out.push(Violation {
            rule,
            case: "",
            severity,
            clause,
            message_zh: format!(
                "{}: 常住人口 {residents} 人, {zh}{}",
                office.name,
                clause_zh(clause)
            ),
            message_en: format!(
                "{}: {residents} residents, {en}{}",
                office.name,
                clause_en(clause)
            ),
            communities: Vec::new(),
            areas: vec![office.name.clone()],
            buildings: Vec::new(),
            figures: json!({"residents": office.residents}),
            location: office.location(),
        });
    }
}
