//! `community.contiguous` (clause 6): a community in more than one part.

use geo::{Area, MultiPolygon};
use serde_json::json;

use crate::plan::Community;
use crate::violation::{Location, Severity, Violation, clause_en, clause_zh};

/// The rule id.
pub const RULE: &str = "community.contiguous";

/// Checks one community; `clause` is the clause of community division.
pub fn check(community: &Community, clause: u32, out: &mut Vec<Violation>) {
    let parts = community.boundary.0.len();
    if parts <= 1 {
        return;
    }
    // The largest part is the community; the others are what to look at.
    let mut polygons = community.boundary.0.clone();
    polygons.sort_by(|a, b| b.unsigned_area().total_cmp(&a.unsigned_area()));
    let stray = MultiPolygon::new(polygons.split_off(1));
    out.push(Violation {
        rule: RULE,
        case: "",
        severity: Severity::Warning,
        clause,
        message_zh: format!(
            "{}: 由 {parts} 块不相连的区域组成{}",
            community.properties.name,
            clause_zh(clause)
        ),
        message_en: format!(
            "{}: made of {parts} separate parts{}",
            community.properties.name,
            clause_en(clause)
        ),
        communities: vec![community.id.clone()],
        areas: Vec::new(),
        buildings: Vec::new(),
        figures: json!({"parts": parts}),
        location: Location::Areas(stray),
    });
}
