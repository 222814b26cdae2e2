//! `community.households` (clause 6): households within the band of the community's type.
//! Normal: 1,000 – 2,000. A newly built estate: from 1,000, no upper limit, a warning above 3,000.
//! Work-unit: at least 1,000. An empty community is `community.empty`'s, not this rule's.

use serde_json::json;

use crate::format::grouped;
use crate::ids::CommunityKey;
use crate::plan::{Community, CommunityType};
use crate::rules::context::RuleContext;
use crate::violation::{Location, Severity, Violation, clause_en, clause_zh};

/// The rule id.
pub const RULE: &str = "community.households";

/// Checks one community.
pub fn check(
    context: &RuleContext<'_>,
    key: CommunityKey,
    community: &Community,
    focus: Location,
    out: &mut Vec<Violation>,
) {
    let households = context.tallies.of(key).households;
    if households == 0 {
        return;
    }
    let band = &context.profile.community_households;
    let clause = band.clause;
    let (name, figure) = (&community.properties.name, grouped(households));
    let mut report = |severity: Severity, zh: String, en: String| {
        out.push(Violation {
            rule: RULE,
            case: "",
            severity,
            clause,
            message_zh: format!("{name}: {figure} 户, {zh}{}", clause_zh(clause)),
            message_en: format!("{name}: {figure} households, {en}{}", clause_en(clause)),
            communities: vec![community.id.clone()],
            areas: Vec::new(),
            buildings: Vec::new(),
            figures: json!({"households": households}),
            location: focus.clone(),
        });
    };
    if community.properties.kind == CommunityType::WorkUnit {
        if households < band.work_unit_minimum {
            let minimum = grouped(band.work_unit_minimum);
            report(
                Severity::Error,
                format!("低于单位型社区 {minimum} 户下限"),
                format!("below the work-unit minimum of {minimum}"),
            );
        }
    } else if community.properties.new_estate {
        if households < band.new_estate_minimum {
            let minimum = grouped(band.new_estate_minimum);
            report(
                Severity::Error,
                format!("低于 {minimum} 户下限"),
                format!("below the minimum of {minimum}"),
            );
        } else if households > band.new_estate_warning_above {
            let above = grouped(band.new_estate_warning_above);
            report(
                Severity::Warning,
                format!("新建小区超过 {above} 户, 请确认规模"),
                format!("a new estate above {above}; confirm its size"),
            );
        }
    } else if households < band.minimum {
        let minimum = grouped(band.minimum);
        report(
            Severity::Error,
            format!("低于 {minimum} 户下限"),
            format!("below the minimum of {minimum}"),
        );
    } else if households > band.maximum {
        let maximum = grouped(band.maximum);
        report(
            Severity::Error,
            format!("超过 {maximum} 户上限"),
            format!("above the maximum of {maximum}"),
        );
    }
}
