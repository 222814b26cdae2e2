//! `community.crosses_street_office` (clause 1): where street-office boundaries are given, every
//! community lies in one street office. A community sharing more than the overlap tolerance with
//! two or more street offices crosses a street-office boundary. A share counts only when it is
//! more than the profile's share of the community's area too, so the slivers two layers digitised
//! apart leave along a shared edge do not.

use geo::{Area, MultiPolygon};
use serde_json::json;

use crate::plan::Community;
use crate::rules::context::RuleContext;
use crate::violation::{Location, Severity, Violation, clause_en, clause_zh};

/// The rule id.
pub const RULE: &str = "community.crosses_street_office";

/// Checks one community.
pub fn check(context: &RuleContext<'_>, community: &Community, out: &mut Vec<Violation>) {
    let tolerance = context.profile.geometry.overlap_tolerance_m2.max(
        context.profile.geometry.street_office_share_minimum * community.boundary.unsigned_area(),
    );
    let mut inside: Vec<(&str, MultiPolygon<f64>)> = Vec::new();
    for (office, shared) in context.plan.street_office_shares(&community.boundary) {
        if shared.unsigned_area() > tolerance {
            inside.push((office.name.as_str(), shared));
        }
    }
    if inside.len() < 2 {
        return;
    }
    let clause = context.profile.street_office_residents.clause;
    let names: Vec<String> = inside.iter().map(|(name, _)| (*name).to_owned()).collect();
    // The parts outside the community's own street office (or, without one, outside the largest).
    let own = community.properties.street_office.as_deref();
    let home = inside
        .iter()
        .position(|(name, _)| Some(*name) == own)
        .or_else(|| {
            (0..inside.len()).max_by(|&a, &b| {
                inside[a]
                    .1
                    .unsigned_area()
                    .total_cmp(&inside[b].1.unsigned_area())
            })
        })
        .unwrap_or(0);
    let outside = MultiPolygon::new(
        inside
            .iter()
            .enumerate()
            .filter(|(index, _)| *index != home)
            .flat_map(|(_, (_, part))| part.0.clone())
            .collect(),
    );
    out.push(Violation {
        rule: RULE,
        case: "",
        severity: Severity::Error,
        clause,
        message_zh: format!(
            "{}: 跨越 {} 个街道 ({}){}",
            community.properties.name,
            names.len(),
            names.join("、"),
            clause_zh(clause)
        ),
        message_en: format!(
            "{}: lies in {} street offices ({}){}",
            community.properties.name,
            names.len(),
            names.join(", "),
            clause_en(clause)
        ),
        communities: vec![community.id.clone()],
        areas: names.clone(),
        buildings: Vec::new(),
        figures: json!({"street_offices": names}),
        location: Location::Areas(outside),
    });
}
