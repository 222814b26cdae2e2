//! `community.cuts_building` (clause 6): the boundary cuts building footprints. A warning; an
//! error when a residential-estate community cuts a building of an estate, because clause 6 makes
//! such a community one whole estate.

use geo::MultiPolygon;
use serde_json::json;

use crate::ids::CommunityKey;
use crate::plan::{Community, CommunityType};
use crate::rules::context::RuleContext;
use crate::violation::{Location, Severity, Violation, clause_en, clause_zh};

/// The rule id.
pub const RULE: &str = "community.cuts_building";

/// Checks one community.
pub fn check(
    context: &RuleContext<'_>,
    key: CommunityKey,
    community: &Community,
    out: &mut Vec<Violation>,
) {
    let cut = &context.tallies.of(key).cut_buildings;
    if cut.is_empty() {
        return;
    }
    let buildings = &context.layers.buildings;
    let estate_community = community.properties.kind == CommunityType::ResidentialEstate;
    let (estate_cuts, other_cuts): (Vec<u32>, Vec<u32>) = cut.iter().partition(|&&building| {
        estate_community && buildings[building as usize].estate().is_some()
    });
    let clause = context.profile.geometry.clause;
    for (cuts, severity) in [
        (estate_cuts, Severity::Error),
        (other_cuts, Severity::Warning),
    ] {
        if cuts.is_empty() {
            continue;
        }
        // By id, not by file order, so that the message does not change with the file's order.
        let mut ids: Vec<String> = cuts
            .iter()
            .map(|&building| buildings[building as usize].source_id.to_string())
            .collect();
        ids.sort();
        let footprints = MultiPolygon::new(
            cuts.iter()
                .flat_map(|&building| buildings[building as usize].footprint.0.clone())
                .collect(),
        );
        let (what_zh, what_en) = if severity == Severity::Error {
            ("切割小区楼栋", "cuts estate buildings")
        } else {
            ("切割楼栋", "cuts buildings")
        };
        out.push(Violation {
            rule: RULE,
            case: if severity == Severity::Error {
                "estate"
            } else {
                ""
            },
            severity,
            clause,
            message_zh: format!(
                "{}: 边界{what_zh} {} 栋 ({}){}",
                community.properties.name,
                ids.len(),
                preview(&ids),
                clause_zh(clause)
            ),
            message_en: format!(
                "{}: the boundary {what_en}: {} ({}){}",
                community.properties.name,
                ids.len(),
                preview(&ids),
                clause_en(clause)
            ),
            communities: vec![community.id.clone()],
            areas: Vec::new(),
            figures: json!({"buildings": ids}),
            buildings: ids,
            location: Location::Areas(footprints),
        });
    }
}

/// The first few ids, for a message.
pub fn preview(ids: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = ids
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        text.push_str(", …");
    }
    text
}
