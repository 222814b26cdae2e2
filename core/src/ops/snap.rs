//! Snapping a pointer position to what a planner means: a community vertex, a block corner or
//! (while grids are edited) a grid corner first, then a point on a community edge, a grid edge or
//! a street centreline, within a tolerance.

use geo::{Closest, ClosestPoint, Coord, Line, MultiPolygon, Point};
use rstar::AABB;

use crate::geometry::rings;
use crate::index::{CommunityIndex, StreetIndex};
use crate::ops::blocks::Blocks;
use crate::plan::Plan;

/// What a position snapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapKind {
    /// A vertex of a community boundary.
    CommunityVertex,
    /// A corner of a street block.
    BlockCorner,
    /// A point on a community boundary edge.
    CommunityEdge,
    /// A point on a street centreline.
    Street,
    /// A corner of a management grid.
    GridVertex,
    /// A point on a management grid's edge.
    GridEdge,
}

impl SnapKind {
    /// Vertices win over edges within the tolerance.
    fn is_vertex(self) -> bool {
        matches!(
            self,
            SnapKind::CommunityVertex | SnapKind::BlockCorner | SnapKind::GridVertex
        )
    }
}

/// A snapped position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// Where it snapped to, metres.
    pub point: Coord<f64>,
    /// To what.
    pub kind: SnapKind,
    /// How far the pointer was from it, metres.
    pub distance: f64,
}

fn distance(a: Coord<f64>, b: Coord<f64>) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// What to snap to.
pub struct SnapTargets<'a> {
    /// Communities.
    pub plan: &'a Plan,
    /// Communities by envelope.
    pub community_index: &'a CommunityIndex,
    /// Street centrelines.
    pub street_index: &'a StreetIndex,
    /// Street blocks, once derived.
    pub blocks: Option<&'a Blocks>,
    /// The communities' management grids too (while they are edited).
    pub grids: bool,
}

/// The best snap for `point` within `tolerance` metres, if any.
pub fn snap(point: Coord<f64>, tolerance: f64, targets: &SnapTargets<'_>) -> Option<Snap> {
    let window = AABB::from_corners(
        [point.x - tolerance, point.y - tolerance],
        [point.x + tolerance, point.y + tolerance],
    );
    let mut candidates: Vec<Snap> = Vec::new();
    let mut offer = |at: Coord<f64>, kind: SnapKind| {
        let distance = distance(at, point);
        if distance <= tolerance {
            candidates.push(Snap {
                point: at,
                kind,
                distance,
            });
        }
    };
    let mut offer_boundary = |boundary: &MultiPolygon<f64>, vertex: SnapKind, edge: SnapKind| {
        for segment in rings(boundary).flat_map(|ring| ring.lines()) {
            offer(segment.start, vertex);
            if let Closest::SinglePoint(on) | Closest::Intersection(on) =
                Line::new(segment.start, segment.end).closest_point(&Point(point))
            {
                offer(on.0, edge);
            }
        }
    };
    for key in targets.community_index.meeting(window) {
        let Some(community) = targets.plan.community(key) else {
            continue;
        };
        offer_boundary(
            &community.boundary,
            SnapKind::CommunityVertex,
            SnapKind::CommunityEdge,
        );
        if targets.grids {
            for grid in &community.properties.grids {
                offer_boundary(&grid.boundary, SnapKind::GridVertex, SnapKind::GridEdge);
            }
        }
    }
    if let Some(blocks) = targets.blocks {
        for block in blocks.meeting(window) {
            for corner in blocks.polygons[block].exterior().coords() {
                offer(*corner, SnapKind::BlockCorner);
            }
        }
    }
    if let Some(on_street) = targets.street_index.nearest_point(point, tolerance) {
        offer(on_street, SnapKind::Street);
    }
    let best = |vertices: bool| {
        candidates
            .iter()
            .filter(|candidate| candidate.kind.is_vertex() == vertices)
            .min_by(|a, b| a.distance.total_cmp(&b.distance))
            .copied()
    };
    best(true).or_else(|| best(false))
}
