//! `community.empty` (clause 6): a community with no households.

use serde_json::json;

use crate::ids::CommunityKey;
use crate::plan::Community;
use crate::rules::context::RuleContext;
use crate::violation::{Location, Severity, Violation, clause_en, clause_zh};

/// The rule id.
pub const RULE: &str = "community.empty";

/// Checks one community.
pub fn check(
    context: &RuleContext<'_>,
    key: CommunityKey,
    community: &Community,
    focus: Location,
    out: &mut Vec<Violation>,
) {
    let tally = context.tallies.of(key);
    if tally.households > 0 {
        return;
    }
    let clause = context.profile.community_households.clause;
    out.push(Violation {
        rule: RULE,
        case: "",
        severity: Severity::Error,
        clause,
        message_zh: format!(
            "{}: 没有住户 ({} 栋楼){}",
            community.properties.name,
            tally.buildings,
            clause_zh(clause)
        ),
        message_en: format!(
            "{}: no households ({} buildings){}",
            community.properties.name,
            tally.buildings,
            clause_en(clause)
        ),
        communities: vec![community.id.clone()],
        areas: Vec::new(),
        buildings: Vec::new(),
        figures: json!({"households": 0, "buildings": tally.buildings}),
        location: focus,
    });
}
