//! `community.geometry`: a boundary that is not a valid polygon (self-intersection, a ring that
//! touches itself, overlapping parts). Tallies over such a boundary cannot be trusted.

use serde_json::json;

use crate::geometry::problem::BoundaryProblem;
use crate::geometry::validity::boundary_problems;
use crate::lang::Language;
use crate::plan::Community;
use crate::violation::{Location, Severity, Violation};

/// The rule id.
pub const RULE: &str = "community.geometry";

/// Checks one community.
pub fn check(community: &Community, focus: Location, out: &mut Vec<Violation>) {
    let problems = boundary_problems(&community.boundary);
    let Some(first) = problems.first() else {
        return;
    };
    out.push(Violation {
        rule: RULE,
        case: "",
        severity: Severity::Error,
        clause: 0,
        message_zh: format!(
            "{}: 边界几何无效 ({}), 户数统计不可靠, 请修正边界",
            community.properties.name,
            BoundaryProblem::of(first).describe(Language::Chinese)
        ),
        message_en: format!("{}: the boundary is not a valid polygon ({first}); its counts cannot be trusted, fix the boundary", community.properties.name),
        communities: vec![community.id.clone()],
        areas: Vec::new(),
        buildings: Vec::new(),
        figures: json!({"problems": problems.len()}),
        location: focus,
    });
}
