//! `community.follows_streets` (clause 6): a geographic community (地缘型) is bounded by streets
//! and roads, so most of its boundary should run along street centrelines. The boundary is walked
//! in short steps; a step counts as on a street when its middle lies within the profile's distance
//! of a centreline. The stretches off the streets are the location.

use geo::{Coord, LineString, MultiLineString};
use serde_json::json;

use crate::format::percent;
use crate::plan::{Community, CommunityType};
use crate::rules::context::RuleContext;
use crate::violation::{Location, Severity, Violation, clause_en, clause_zh};

/// The rule id.
pub const RULE: &str = "community.follows_streets";

/// Longest step along the boundary, metres.
const STEP_M: f64 = 5.0;

/// Most steps along one boundary segment: a segment longer than 50 km takes longer steps, so
/// that a stray boundary (a world-sized community) costs time and memory in proportion to its
/// vertices, not its length.
const MOST_STEPS_PER_SEGMENT: f64 = 10_000.0;

/// The share of `community`'s boundary length near streets, and the stretches that are not.
pub fn street_share(
    context: &RuleContext<'_>,
    community: &Community,
) -> (f64, MultiLineString<f64>) {
    let distance = context.profile.geometry.street_distance_m;
    let mut total = 0.0;
    let mut near = 0.0;
    let mut off_stretches: Vec<LineString<f64>> = Vec::new();
    let mut current: Vec<Coord<f64>> = Vec::new();
    for polygon in &community.boundary {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for segment in ring.lines() {
                let length = segment.dx().hypot(segment.dy());
                let steps = (length / STEP_M).ceil().clamp(1.0, MOST_STEPS_PER_SEGMENT) as usize;
                // The streets near this boundary segment, fetched once for all its steps.
                let envelope = rstar::AABB::from_corners(
                    [
                        segment.start.x.min(segment.end.x) - distance,
                        segment.start.y.min(segment.end.y) - distance,
                    ],
                    [
                        segment.start.x.max(segment.end.x) + distance,
                        segment.start.y.max(segment.end.y) + distance,
                    ],
                );
                let nearby = context.street_index.segments_meeting(envelope);
                for step in 0..steps {
                    let at =
                        |fraction: f64| segment.start + (segment.end - segment.start) * fraction;
                    let (from, to) = (
                        at(step as f64 / steps as f64),
                        at((step + 1) as f64 / steps as f64),
                    );
                    let middle = at((step as f64 + 0.5) / steps as f64);
                    let step_length = length / steps as f64;
                    total += step_length;
                    if nearby.iter().any(|&(start, end)| {
                        squared_distance_to_segment(middle, start, end) <= distance * distance
                    }) {
                        near += step_length;
                        if current.len() >= 2 {
                            off_stretches.push(LineString::new(std::mem::take(&mut current)));
                        }
                        current.clear();
                    } else {
                        if current.last() != Some(&from) {
                            if current.len() >= 2 {
                                off_stretches.push(LineString::new(std::mem::take(&mut current)));
                            }
                            current = vec![from];
                        }
                        current.push(to);
                    }
                }
            }
            if current.len() >= 2 {
                off_stretches.push(LineString::new(std::mem::take(&mut current)));
            }
            current.clear();
        }
    }
    let share = if total > 0.0 { near / total } else { 1.0 };
    (share, MultiLineString::new(off_stretches))
}

/// Squared distance from `point` to the segment from `start` to `end`.
fn squared_distance_to_segment(point: Coord<f64>, start: Coord<f64>, end: Coord<f64>) -> f64 {
    let along = end - start;
    let length_squared = along.x * along.x + along.y * along.y;
    let t = if length_squared > 0.0 {
        (((point.x - start.x) * along.x + (point.y - start.y) * along.y) / length_squared)
            .clamp(0.0, 1.0)
    } else {
        0.0
    };
    let closest = start + along * t;
    (point.x - closest.x).powi(2) + (point.y - closest.y).powi(2)
}

/// Checks one community.
pub fn check(context: &RuleContext<'_>, community: &Community, out: &mut Vec<Violation>) {
    if community.properties.kind != CommunityType::Geographic || context.street_index.is_empty() {
        return;
    }
    let minimum = context.profile.geometry.street_share_minimum;
    let (share, off_stretches) = street_share(context, community);
    if share >= minimum {
        return;
    }
    let clause = context.profile.geometry.clause;
    let distance = context.profile.geometry.street_distance_m;
    let rounded = (share * 1000.0).round() / 1000.0;
    out.push(Violation {
        rule: RULE,
        case: "",
        severity: Severity::Warning,
        clause,
        message_zh: format!(
            "{}: 边界仅 {} 沿街巷 ({} 米内), 地缘型社区应以街巷、道路为界 (至少 {}){}",
            community.properties.name,
            percent(share),
            distance,
            percent(minimum),
            clause_zh(clause)
        ),
        message_en: format!(
            "{}: only {} of the boundary follows streets (within {} m); a geographic community should be bounded by streets (at least {}){}",
            community.properties.name,
            percent(share),
            distance,
            percent(minimum),
            clause_en(clause)
        ),
        communities: vec![community.id.clone()],
        areas: Vec::new(),
        buildings: Vec::new(),
        figures: json!({"street_share": rounded}),
        location: Location::Lines(off_stretches),
    });
}
