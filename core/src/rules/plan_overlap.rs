//! `plan.overlap` (clause 6): two communities share more than the tolerance area. Every building
//! there is counted twice.

use geo::{Area, BooleanOps, BoundingRect, Intersects};
use serde_json::json;

use crate::format::grouped;
use crate::ids::CommunityKey;
use crate::rules::context::RuleContext;
use crate::violation::{Location, Severity, Violation, clause_en, clause_zh};

/// The rule id.
pub const RULE: &str = "plan.overlap";

/// Checks one pair of communities (`first` < `second`).
pub fn check_pair(
    context: &RuleContext<'_>,
    first: CommunityKey,
    second: CommunityKey,
) -> Option<Violation> {
    let (a, b) = (
        context.plan.community(first)?,
        context.plan.community(second)?,
    );
    // Neighbours share edges, so a full intersects test would almost always say yes after
    // comparing every pair of edges; the envelopes sort out the rest for the price of eight
    // comparisons, and the intersection itself decides.
    let (Some(first_envelope), Some(second_envelope)) =
        (a.boundary.bounding_rect(), b.boundary.bounding_rect())
    else {
        return None;
    };
    if !first_envelope.intersects(&second_envelope) {
        return None;
    }
    let shared = a.boundary.intersection(&b.boundary);
    let area = shared.unsigned_area();
    if area <= context.profile.geometry.overlap_tolerance_m2 {
        return None;
    }
    let clause = context.profile.geometry.clause;
    let rounded = grouped(area.round() as u64);
    let households_twice: u64 = {
        let (members_a, members_b) = (
            &context.tallies.of(first).members,
            &context.tallies.of(second).members,
        );
        members_a
            .iter()
            .filter(|building| members_b.binary_search(building).is_ok())
            .map(|&building| u64::from(context.layers.buildings[building as usize].households))
            .sum()
    };
    Some(Violation {
        rule: RULE,
        case: "",
        severity: Severity::Error,
        clause,
        message_zh: format!(
            "{} 与 {} 重叠 {rounded} m², {} 户被重复统计{}",
            a.properties.name,
            b.properties.name,
            grouped(households_twice),
            clause_zh(clause)
        ),
        message_en: format!(
            "{} and {} overlap by {rounded} m²; {} households are counted twice{}",
            a.properties.name,
            b.properties.name,
            grouped(households_twice),
            clause_en(clause)
        ),
        communities: vec![a.id.clone(), b.id.clone()],
        areas: Vec::new(),
        buildings: Vec::new(),
        figures: json!({"area_m2": area.round(), "households": households_twice}),
        location: Location::Areas(shared),
    })
}
