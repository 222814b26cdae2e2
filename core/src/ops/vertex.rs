//! Moving, inserting and deleting boundary vertices with shared borders kept shared: every
//! community that has a vertex at the point (within a millimetre) moves it too, and a vertex
//! inserted on an edge two communities share is inserted on both sides, so no gap or overlap
//! opens along the border.

use geo::{Coord, MultiPolygon};
use rstar::AABB;

use crate::ids::CommunityKey;
use crate::index::CommunityIndex;
use crate::ops::OpError;
use crate::plan::Plan;

/// Two vertices this close are the same, shared vertex, metres.
pub const SAME_VERTEX_M: f64 = 1e-3;

fn same(a: Coord<f64>, b: Coord<f64>) -> bool {
    (a.x - b.x).abs() <= SAME_VERTEX_M && (a.y - b.y).abs() <= SAME_VERTEX_M
}

fn around(point: Coord<f64>, distance: f64) -> AABB<[f64; 2]> {
    AABB::from_corners(
        [point.x - distance, point.y - distance],
        [point.x + distance, point.y + distance],
    )
}

/// Applies `change` to every ring of every community near `point`, returning the boundaries that
/// changed.
fn change_rings(
    plan: &Plan,
    index: &CommunityIndex,
    point: Coord<f64>,
    mut change: impl FnMut(&mut Vec<Coord<f64>>) -> bool,
) -> Vec<(CommunityKey, MultiPolygon<f64>)> {
    let mut keys: Vec<CommunityKey> = index.meeting(around(point, SAME_VERTEX_M)).collect();
    keys.sort();
    let mut changed = Vec::new();
    for key in keys {
        let Some(community) = plan.community(key) else {
            continue;
        };
        let mut boundary = community.boundary.clone();
        let mut any = false;
        for polygon in boundary.0.iter_mut() {
            polygon.exterior_mut(|ring| any |= change_closed_ring(&mut ring.0, &mut change));
            polygon.interiors_mut(|rings| {
                for ring in rings {
                    any |= change_closed_ring(&mut ring.0, &mut change);
                }
            });
        }
        if any {
            changed.push((key, boundary));
        }
    }
    changed
}

/// Works on a closed ring as an open list of distinct corners, then closes it again.
fn change_closed_ring(
    ring: &mut Vec<Coord<f64>>,
    change: &mut impl FnMut(&mut Vec<Coord<f64>>) -> bool,
) -> bool {
    if ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    let changed = change(ring);
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    changed
}

/// New boundaries after moving the vertex at `from` to `to` in every community that has it.
pub fn move_vertex(
    plan: &Plan,
    index: &CommunityIndex,
    from: Coord<f64>,
    to: Coord<f64>,
) -> Result<Vec<(CommunityKey, MultiPolygon<f64>)>, OpError> {
    let changed = change_rings(plan, index, from, |ring| {
        let mut any = false;
        for coord in ring.iter_mut() {
            if same(*coord, from) {
                *coord = to;
                any = true;
            }
        }
        any
    });
    if changed.is_empty() {
        return Err(OpError::NoVertexThere);
    }
    Ok(changed)
}

/// New boundaries after inserting `at` on the edge from `start` to `end`, in every community that
/// has that edge (either way round).
pub fn insert_vertex(
    plan: &Plan,
    index: &CommunityIndex,
    start: Coord<f64>,
    end: Coord<f64>,
    at: Coord<f64>,
) -> Result<Vec<(CommunityKey, MultiPolygon<f64>)>, OpError> {
    let changed = change_rings(plan, index, start, |ring| {
        let count = ring.len();
        let mut insert_at = None;
        for position in 0..count {
            let (a, b) = (ring[position], ring[(position + 1) % count]);
            if (same(a, start) && same(b, end)) || (same(a, end) && same(b, start)) {
                insert_at = Some(position + 1);
                break;
            }
        }
        match insert_at {
            Some(position) => {
                ring.insert(position, at);
                true
            }
            None => false,
        }
    });
    if changed.is_empty() {
        return Err(OpError::NoEdgeThere);
    }
    Ok(changed)
}

/// New boundaries after deleting the vertex at `at` from every community that has it; refused
/// when a ring would keep fewer than three corners.
pub fn delete_vertex(
    plan: &Plan,
    index: &CommunityIndex,
    at: Coord<f64>,
) -> Result<Vec<(CommunityKey, MultiPolygon<f64>)>, OpError> {
    let mut too_small = false;
    let changed = change_rings(plan, index, at, |ring| {
        let before = ring.len();
        ring.retain(|coord| !same(*coord, at));
        if ring.len() < 3 && ring.len() != before {
            too_small = true;
        }
        ring.len() != before
    });
    if too_small {
        return Err(OpError::TooFewVertices);
    }
    if changed.is_empty() {
        return Err(OpError::NoVertexThere);
    }
    Ok(changed)
}

/// The community vertex nearest `point` within `tolerance` metres.
pub fn nearest_vertex(
    plan: &Plan,
    index: &CommunityIndex,
    point: Coord<f64>,
    tolerance: f64,
) -> Option<Coord<f64>> {
    let mut best: Option<(f64, Coord<f64>)> = None;
    for key in index.meeting(around(point, tolerance)) {
        let Some(community) = plan.community(key) else {
            continue;
        };
        for polygon in &community.boundary {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for coord in ring.coords() {
                    let distance = (coord.x - point.x).hypot(coord.y - point.y);
                    if distance <= tolerance && best.is_none_or(|(closest, _)| distance < closest) {
                        best = Some((distance, *coord));
                    }
                }
            }
        }
    }
    best.map(|(_, coord)| coord)
}
