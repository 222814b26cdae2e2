//! Moving, inserting and deleting boundary vertices with shared borders kept shared: every
//! community and every management grid that has a vertex at the point (within a millimetre)
//! moves it too, and a vertex inserted on an edge two of them share is inserted on both sides,
//! so no gap or overlap opens along the border — between communities, between grids, or
//! between a community and the grids along its edge.

use geo::{Coord, MultiPolygon, Rect};
use rstar::AABB;

use crate::geometry::{extent_meets, rings};
use crate::ids::CommunityKey;
use crate::index::CommunityIndex;
use crate::ops::{OpError, validity};
use crate::plan::{Grid, Plan};

/// What a vertex edit changes: community boundaries, and whole grid lists of communities
/// whose grids changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VertexChanges {
    /// New boundaries of the communities that had the vertex or edge.
    pub boundaries: Vec<(CommunityKey, MultiPolygon<f64>)>,
    /// New grids of the communities one of whose grids had it.
    pub grids: Vec<(CommunityKey, Vec<Grid>)>,
}

impl VertexChanges {
    fn is_empty(&self) -> bool {
        self.boundaries.is_empty() && self.grids.is_empty()
    }
}

/// Which boundaries a vertex may be picked from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VertexLayers {
    /// Community boundaries only.
    Communities,
    /// Community boundaries and their management grids.
    CommunitiesAndGrids,
}

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

/// Applies `change` to every ring of every community near `point` and of every grid with a
/// vertex at `point`, returning what changed. Changed grids must stay valid polygons.
fn change_rings(
    plan: &Plan,
    index: &CommunityIndex,
    point: Coord<f64>,
    mut change: impl FnMut(&mut Vec<Coord<f64>>) -> bool,
) -> Result<VertexChanges, OpError> {
    Ok(VertexChanges {
        boundaries: change_communities(plan, index, point, &mut change),
        grids: change_grids(
            plan,
            extent_of([point], SAME_VERTEX_M),
            |boundary| has_vertex(boundary, point),
            &mut change,
        )?,
    })
}

/// Applies `change` to every ring of every community near `point`, returning the boundaries
/// that changed.
fn change_communities(
    plan: &Plan,
    index: &CommunityIndex,
    point: Coord<f64>,
    change: &mut impl FnMut(&mut Vec<Coord<f64>>) -> bool,
) -> Vec<(CommunityKey, MultiPolygon<f64>)> {
    let mut keys: Vec<CommunityKey> = index.meeting(around(point, SAME_VERTEX_M)).collect();
    keys.sort();
    let mut changed = Vec::new();
    for key in keys {
        let Some(community) = plan.community(key) else {
            continue;
        };
        let mut boundary = community.boundary.clone();
        if change_boundary(&mut boundary, change) {
            changed.push((key, boundary));
        }
    }
    changed
}

/// Applies `change` to every ring of every grid that `touches` picks, returning each changed
/// community's grids; refused when a changed grid is no longer a valid polygon.
fn change_grids(
    plan: &Plan,
    within: Rect<f64>,
    touches: impl Fn(&MultiPolygon<f64>) -> bool,
    change: &mut impl FnMut(&mut Vec<Coord<f64>>) -> bool,
) -> Result<Vec<(CommunityKey, Vec<Grid>)>, OpError> {
    let mut changed = Vec::new();
    // Every community's grids are looked at, not only those the index finds: a grid dragged
    // beyond its community's extent must still be found where it now is. Their extents are
    // looked at first: finding the corners on an edge costs more than finding an extent.
    for (key, community) in plan.communities() {
        let picked: Vec<usize> = (community.properties.grids.iter().enumerate())
            .filter(|(_, grid)| extent_meets(&grid.boundary, within) && touches(&grid.boundary))
            .map(|(position, _)| position)
            .collect();
        if picked.is_empty() {
            continue;
        }
        let mut grids = community.properties.grids.clone();
        let mut any = false;
        for position in picked {
            let boundary = &mut grids[position].boundary;
            if change_boundary(boundary, change) {
                validity::check_boundary(boundary)?;
                any = true;
            }
        }
        if any {
            changed.push((key, grids));
        }
    }
    Ok(changed)
}

/// The rectangle around `points`, grown by `margin` on every side.
fn extent_of(points: impl IntoIterator<Item = Coord<f64>>, margin: f64) -> Rect<f64> {
    let mut points = points.into_iter();
    let first = points.next().unwrap_or(Coord { x: 0.0, y: 0.0 });
    let (mut low, mut high) = (first, first);
    for point in points {
        low = Coord {
            x: low.x.min(point.x),
            y: low.y.min(point.y),
        };
        high = Coord {
            x: high.x.max(point.x),
            y: high.y.max(point.y),
        };
    }
    let grow = Coord {
        x: margin,
        y: margin,
    };
    Rect::new(low - grow, high + grow)
}

/// A corner standing on an edge closer than this lies on it, m (overlays place the corners
/// where grid boundaries meet a community's edge within micrometres of it).
const ON_EDGE_M: f64 = 0.01;

/// Where `point` lies along the segment from `start` to `end`, as a share of its length: `Some`
/// only strictly between its ends and within [`ON_EDGE_M`] of it.
fn along(point: Coord<f64>, start: Coord<f64>, end: Coord<f64>) -> Option<f64> {
    let direction = end - start;
    let length_squared = direction.x * direction.x + direction.y * direction.y;
    if length_squared == 0.0 || same(point, start) || same(point, end) {
        return None;
    }
    let offset = point - start;
    let share = (offset.x * direction.x + offset.y * direction.y) / length_squared;
    let foot = start + direction * share;
    let off_the_edge = (point.x - foot.x).hypot(point.y - foot.y);
    (share > 0.0 && share < 1.0 && off_the_edge <= ON_EDGE_M).then_some(share)
}

/// The other ends of every community and grid edge that ends at `point`.
fn far_ends(plan: &Plan, index: &CommunityIndex, point: Coord<f64>) -> Vec<Coord<f64>> {
    let mut ends = Vec::new();
    let mut gather = |boundary: &MultiPolygon<f64>| {
        for line in rings(boundary).flat_map(|ring| ring.lines()) {
            if same(line.start, point) {
                ends.push(line.end);
            } else if same(line.end, point) {
                ends.push(line.start);
            }
        }
    };
    for key in index.meeting(around(point, SAME_VERTEX_M)) {
        if let Some(community) = plan.community(key) {
            gather(&community.boundary);
        }
    }
    let here = extent_of([point], SAME_VERTEX_M);
    for (_, community) in plan.communities() {
        for grid in &community.properties.grids {
            if extent_meets(&grid.boundary, here) {
                gather(&grid.boundary);
            }
        }
    }
    ends
}

/// True when one of the boundary's rings has a corner at `point`.
fn has_vertex(boundary: &MultiPolygon<f64>, point: Coord<f64>) -> bool {
    has_corner(boundary, |coord| same(coord, point))
}

/// True when one of the boundary's corners is one that `picks` picks.
fn has_corner(boundary: &MultiPolygon<f64>, picks: impl Fn(Coord<f64>) -> bool) -> bool {
    rings(boundary).any(|ring| ring.coords().any(|coord| picks(*coord)))
}

/// Replaces each corner of `ring` that `replacement` gives a new place for; true when any.
fn replace_corners(
    ring: &mut [Coord<f64>],
    replacement: impl Fn(Coord<f64>) -> Option<Coord<f64>>,
) -> bool {
    let mut any = false;
    for coord in ring.iter_mut() {
        if let Some(new) = replacement(*coord) {
            *coord = new;
            any = true;
        }
    }
    any
}

/// Applies `change` to each ring of `boundary`; true when any changed.
fn change_boundary(
    boundary: &mut MultiPolygon<f64>,
    change: &mut impl FnMut(&mut Vec<Coord<f64>>) -> bool,
) -> bool {
    let mut any = false;
    for polygon in boundary.0.iter_mut() {
        polygon.exterior_mut(|ring| any |= change_closed_ring(&mut ring.0, change));
        polygon.interiors_mut(|rings| {
            for ring in rings {
                any |= change_closed_ring(&mut ring.0, change);
            }
        });
    }
    any
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

/// New boundaries and grids after moving the vertex at `from` to `to` in every community and
/// grid that has it. A grid corner standing on an edge that ends at `from` (where a grid
/// boundary meets a community's edge, or another grid's) keeps its place along that edge as
/// the edge swings, so grids stay inside their community and do not open gaps between them.
pub fn move_vertex(
    plan: &Plan,
    index: &CommunityIndex,
    from: Coord<f64>,
    to: Coord<f64>,
) -> Result<VertexChanges, OpError> {
    let moved = |coord: Coord<f64>| same(coord, from).then_some(to);
    let boundaries =
        change_communities(plan, index, from, &mut |ring| replace_corners(ring, moved));
    // A grid corner goes with the vertex, or keeps its place along an edge that swings with it.
    let ends = far_ends(plan, index, from);
    let followed = |coord: Coord<f64>| {
        moved(coord).or_else(|| {
            (ends.iter())
                .find_map(|&end| along(coord, from, end).map(|share| to + (end - to) * share))
        })
    };
    let touches =
        |boundary: &MultiPolygon<f64>| has_corner(boundary, |coord| followed(coord).is_some());
    let swept = extent_of(ends.iter().copied().chain([from]), ON_EDGE_M);
    let grids = change_grids(plan, swept, touches, &mut |ring| {
        replace_corners(ring, followed)
    })?;
    let changed = VertexChanges { boundaries, grids };
    if changed.is_empty() {
        return Err(OpError::NoVertexThere);
    }
    Ok(changed)
}

/// New boundaries and grids after inserting `at` on the edge from `start` to `end`, in every
/// community that has that edge (either way round) and every grid with an edge through `at`
/// (its own corners may divide the community's edge).
pub fn insert_vertex(
    plan: &Plan,
    index: &CommunityIndex,
    start: Coord<f64>,
    end: Coord<f64>,
    at: Coord<f64>,
) -> Result<VertexChanges, OpError> {
    let boundaries = change_communities(plan, index, start, &mut |ring| {
        insert_where(ring, at, |a, b| {
            (same(a, start) && same(b, end)) || (same(a, end) && same(b, start))
        })
    });
    let through = |a: Coord<f64>, b: Coord<f64>| along(at, a, b).is_some();
    let touches = |boundary: &MultiPolygon<f64>| {
        rings(boundary).any(|ring| ring.lines().any(|line| through(line.start, line.end)))
    };
    let here = extent_of([at], ON_EDGE_M);
    let grids = change_grids(plan, here, touches, &mut |ring| {
        insert_where(ring, at, through)
    })?;
    let changed = VertexChanges { boundaries, grids };
    if changed.is_empty() {
        return Err(OpError::NoEdgeThere);
    }
    Ok(changed)
}

/// Inserts `at` after the first corner whose edge to the next one `is_the_edge` says; true
/// when it did.
fn insert_where(
    ring: &mut Vec<Coord<f64>>,
    at: Coord<f64>,
    is_the_edge: impl Fn(Coord<f64>, Coord<f64>) -> bool,
) -> bool {
    let count = ring.len();
    let position =
        (0..count).find(|&position| is_the_edge(ring[position], ring[(position + 1) % count]));
    match position {
        Some(position) => {
            ring.insert(position + 1, at);
            true
        }
        None => false,
    }
}

/// New boundaries and grids after deleting the vertex at `at` from every community and grid
/// that has it; refused when a ring would keep fewer than three corners.
pub fn delete_vertex(
    plan: &Plan,
    index: &CommunityIndex,
    at: Coord<f64>,
) -> Result<VertexChanges, OpError> {
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
    let changed = changed?;
    if changed.is_empty() {
        return Err(OpError::NoVertexThere);
    }
    Ok(changed)
}

/// The vertex nearest `point` within `tolerance` metres, of a community boundary or, when
/// `layers` says so, of a management grid.
pub fn nearest_vertex(
    plan: &Plan,
    index: &CommunityIndex,
    point: Coord<f64>,
    tolerance: f64,
    layers: VertexLayers,
) -> Option<Coord<f64>> {
    let mut best: Option<(f64, Coord<f64>)> = None;
    let mut consider = |boundary: &MultiPolygon<f64>| {
        for coord in rings(boundary).flat_map(|ring| ring.coords()) {
            let distance = (coord.x - point.x).hypot(coord.y - point.y);
            if distance <= tolerance && best.is_none_or(|(closest, _)| distance < closest) {
                best = Some((distance, *coord));
            }
        }
    };
    for key in index.meeting(around(point, tolerance)) {
        if let Some(community) = plan.community(key) {
            consider(&community.boundary);
        }
    }
    if layers == VertexLayers::CommunitiesAndGrids {
        let near = extent_of([point], tolerance);
        for (_, community) in plan.communities() {
            for grid in &community.properties.grids {
                if extent_meets(&grid.boundary, near) {
                    consider(&grid.boundary);
                }
            }
        }
    }
    best.map(|(_, coord)| coord)
}
