//! Blocks too large for one grid divided along the gaps between their buildings, and which of
//! the resulting pieces share a side.

use std::collections::BTreeSet;

use geo::{Area, BoundingRect, Centroid, Coord, Line, LineString, MultiPolygon, Rect};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::geometry::overlay;
use crate::index::extent_union;
use crate::ops::validity::MINIMUM_PART_AREA_M2;
use crate::partition::regions::Unit;
use crate::session::Session;

/// A gap between buildings narrower than this is not a place to draw a grid boundary, m.
const NARROWEST_GAP_M: f64 = 0.5;
/// A cut leaving less than this share of the households on one side is taken only when no
/// better one exists.
const LEAST_SHARE: f64 = 0.2;
/// Sides closer than this are one side, m.
const SIDE_TOLERANCE_M: f64 = 0.05;
/// Two pieces are neighbours when they share at least this length of side, m.
const SHORTEST_SHARED_SIDE_M: f64 = 0.5;

/// `unit` divided, again and again, into halves by straight lines through the gaps between its
/// buildings, until each piece holds at most `target` households or has no gap left to divide
/// along. No building is cut.
pub fn divided(session: &Session, unit: Unit, target: u64) -> Vec<Unit> {
    if unit.households <= target || unit.buildings.len() < 2 {
        return vec![unit];
    }
    match halves(session, &unit) {
        Some((first, second)) => {
            let mut pieces = divided(session, first, target);
            pieces.extend(divided(session, second, target));
            pieces
        }
        None => vec![unit],
    }
}

/// `unit` cut in two along its longer axis (or the other, where no gap crosses the longer one)
/// at the gap between buildings that divides its households most evenly.
fn halves(session: &Session, unit: &Unit) -> Option<(Unit, Unit)> {
    let buildings = &session.layers().buildings;
    let extent = extent_of(unit)?;
    let axes: [usize; 2] = if extent.width() >= extent.height() {
        [0, 1]
    } else {
        [1, 0]
    };
    let along = |coord: Coord<f64>, axis: usize| if axis == 0 { coord.x } else { coord.y };
    let total = unit.households.max(1) as f64;
    let mut best: Option<(f64, usize, f64)> = None;
    for axis in axes {
        let mut spans: Vec<(f64, f64, u64)> = unit
            .buildings
            .iter()
            .map(|&building| {
                let building = &buildings[building as usize];
                let [lower, upper] = building.envelope();
                (
                    along(lower, axis),
                    along(upper, axis),
                    u64::from(building.households),
                )
            })
            .collect();
        spans.sort_by(|first, second| first.0.total_cmp(&second.0));
        let mut reach = f64::NEG_INFINITY;
        let mut before = 0_u64;
        for (index, &(start, end, households)) in spans.iter().enumerate() {
            if index > 0 && start > reach + NARROWEST_GAP_M {
                let share = before as f64 / total;
                // The longer axis is preferred: a cut across it weighs a little less.
                let badness = (share - 0.5).abs() + if axis == axes[0] { 0.0 } else { 0.05 };
                if best.is_none_or(|(lowest, _, _)| badness < lowest) {
                    // On whole decimetres (the gap is at least 0.5 m wide, so it stays in it):
                    // blocks on either side of a street divided at nearly the same place then
                    // meet the street at the same corner, and their pieces join cleanly; cut a
                    // fraction of a millimetre apart, an overlay leaves them touching at a point.
                    let at = ((reach + start) / 2.0 * 10.0).round() / 10.0;
                    best = Some((badness, axis, at));
                }
            }
            reach = reach.max(end);
            before += households;
        }
        if best.is_some_and(|(badness, _, _)| badness <= 0.5 - LEAST_SHARE) {
            break;
        }
    }
    let (_, axis, at) = best?;
    let line: LineString<f64> = if axis == 0 {
        LineString::from(vec![(at, extent.min().y - 1.0), (at, extent.max().y + 1.0)])
    } else {
        LineString::from(vec![(extent.min().x - 1.0, at), (extent.max().x + 1.0, at)])
    };
    let mut sides = [empty_unit(), empty_unit()];
    for piece in overlay::slice(&MultiPolygon::new(unit.polygons.clone()), &[line]) {
        if piece.unsigned_area() < MINIMUM_PART_AREA_M2 {
            continue;
        }
        let Some(centre) = piece.centroid() else {
            continue;
        };
        let side = usize::from(along(centre.0, axis) >= at);
        sides[side].polygons.push(piece);
    }
    for &building in &unit.buildings {
        let record = &buildings[building as usize];
        let side = usize::from(along(record.representative_point, axis) >= at);
        sides[side].buildings.push(building);
        sides[side].households += u64::from(record.households);
    }
    if sides.iter().any(|side| side.polygons.is_empty()) {
        return None;
    }
    let [mut first, mut second] = sides;
    for side in [&mut first, &mut second] {
        side.centre = MultiPolygon::new(side.polygons.clone())
            .centroid()
            .map(|point| point.0)
            .unwrap_or_default();
    }
    Some((first, second))
}

/// The extent of a unit's pieces.
fn extent_of(unit: &Unit) -> Option<Rect<f64>> {
    unit.polygons
        .iter()
        .filter_map(BoundingRect::bounding_rect)
        .map(|rect| [rect.min(), rect.max()])
        .reduce(extent_union)
        .map(|[lower, upper]| Rect::new(lower, upper))
}

fn empty_unit() -> Unit {
    Unit {
        polygons: Vec::new(),
        households: 0,
        centre: Coord::zero(),
        buildings: Vec::new(),
    }
}

/// Which units share a side: a stretch of boundary at least [`SHORTEST_SHARED_SIDE_M`] long on
/// both (within [`SIDE_TOLERANCE_M`]). Unlike the partition's corner test, this finds the two
/// halves of a divided block neighbours of the block beside them, whose side has no corner
/// where the dividing line meets it.
pub fn sharing_a_side(units: &[Unit]) -> Vec<BTreeSet<usize>> {
    let sides: Vec<Vec<Line<f64>>> = units
        .iter()
        .map(|unit| {
            unit.polygons
                .iter()
                .flat_map(|polygon| {
                    std::iter::once(polygon.exterior())
                        .chain(polygon.interiors())
                        .flat_map(|ring| ring.lines().collect::<Vec<_>>())
                })
                .collect()
        })
        .collect();
    let extents: Vec<Option<Rect<f64>>> = units.iter().map(extent_of).collect();
    let tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>> = RTree::bulk_load(
        extents
            .iter()
            .enumerate()
            .filter_map(|(index, extent)| {
                let extent = (*extent)?;
                Some(GeomWithData::new(
                    Rectangle::from_corners(
                        [extent.min().x, extent.min().y],
                        [extent.max().x, extent.max().y],
                    ),
                    index,
                ))
            })
            .collect(),
    );
    let mut adjacent = vec![BTreeSet::new(); units.len()];
    for (index, extent) in extents.iter().enumerate() {
        let Some(extent) = extent else {
            continue;
        };
        let envelope = rstar::AABB::from_corners(
            [
                extent.min().x - SIDE_TOLERANCE_M,
                extent.min().y - SIDE_TOLERANCE_M,
            ],
            [
                extent.max().x + SIDE_TOLERANCE_M,
                extent.max().y + SIDE_TOLERANCE_M,
            ],
        );
        for other in tree.locate_in_envelope_intersecting(&envelope) {
            let other = other.data;
            if other <= index {
                continue;
            }
            let shared: f64 = sides[index]
                .iter()
                .flat_map(|side| sides[other].iter().map(move |next| overlap(side, next)))
                .sum();
            if shared >= SHORTEST_SHARED_SIDE_M {
                adjacent[index].insert(other);
                adjacent[other].insert(index);
            }
        }
    }
    adjacent
}

/// Each unit's sides given the corners of the units beside it that lie on them (within
/// [`SIDE_TOLERANCE_M`]), at those corners' very coordinates, then every corner put on the whole
/// millimetre. Blocks divided on either side of a street meet it at different places, and the
/// overlays that cut them leave the same corner a ten-millionth of a metre apart on two pieces;
/// so their shared sides differ by a hair, and the overlay joining a grid's pieces would leave
/// them touching at points instead of one.
pub fn noded(units: &mut [Unit]) {
    let corners: Vec<Coord<f64>> = units
        .iter()
        .flat_map(|unit| unit.polygons.iter())
        .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
        .flat_map(|ring| ring.coords().copied())
        .collect();
    let tree: RTree<GeomWithData<[f64; 2], usize>> = RTree::bulk_load(
        corners
            .iter()
            .enumerate()
            .map(|(index, corner)| GeomWithData::new([corner.x, corner.y], index))
            .collect(),
    );
    let node = |ring: &LineString<f64>| -> LineString<f64> {
        let mut coords: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len());
        for side in ring.lines() {
            coords.push(side.start);
            let envelope = rstar::AABB::from_corners(
                [
                    side.start.x.min(side.end.x) - SIDE_TOLERANCE_M,
                    side.start.y.min(side.end.y) - SIDE_TOLERANCE_M,
                ],
                [
                    side.start.x.max(side.end.x) + SIDE_TOLERANCE_M,
                    side.start.y.max(side.end.y) + SIDE_TOLERANCE_M,
                ],
            );
            let delta = side.delta();
            let length_squared = delta.x * delta.x + delta.y * delta.y;
            if length_squared <= 0.0 {
                continue;
            }
            let mut on_side: Vec<(f64, Coord<f64>)> = tree
                .locate_in_envelope(&envelope)
                .map(|entry| corners[entry.data])
                .filter_map(|corner| {
                    let along = ((corner.x - side.start.x) * delta.x
                        + (corner.y - side.start.y) * delta.y)
                        / length_squared;
                    let foot = Coord {
                        x: side.start.x + along * delta.x,
                        y: side.start.y + along * delta.y,
                    };
                    let off = (corner.x - foot.x).hypot(corner.y - foot.y);
                    let length = length_squared.sqrt();
                    // Strictly between the ends (by more than the tolerance), and on the side.
                    (along * length > SIDE_TOLERANCE_M
                        && (1.0 - along) * length > SIDE_TOLERANCE_M
                        && off <= SIDE_TOLERANCE_M)
                        .then_some((along, corner))
                })
                .collect();
            on_side.sort_by(|first, second| first.0.total_cmp(&second.0));
            on_side.dedup_by(|first, second| first.1 == second.1);
            coords.extend(on_side.into_iter().map(|(_, corner)| corner));
        }
        if let Some(&first) = coords.first() {
            coords.push(first);
        }
        for coord in &mut coords {
            *coord = Coord {
                x: (coord.x * 1000.0).round() / 1000.0,
                y: (coord.y * 1000.0).round() / 1000.0,
            };
        }
        coords.dedup();
        LineString::new(coords)
    };
    for unit in units.iter_mut() {
        for polygon in &mut unit.polygons {
            let exterior = node(polygon.exterior());
            let interiors = polygon.interiors().iter().map(node).collect();
            *polygon = geo::Polygon::new(exterior, interiors);
        }
    }
}

/// The length two segments run together: nothing unless both ends of `other` lie on the line
/// through `side` (within the tolerance); then the overlap of their projections onto it.
fn overlap(side: &Line<f64>, other: &Line<f64>) -> f64 {
    let direction = side.delta();
    let length = direction.x.hypot(direction.y);
    if length < SIDE_TOLERANCE_M {
        return 0.0;
    }
    let (unit_x, unit_y) = (direction.x / length, direction.y / length);
    let offset = |point: Coord<f64>| {
        let (dx, dy) = (point.x - side.start.x, point.y - side.start.y);
        (dx * unit_x + dy * unit_y, (dx * unit_y - dy * unit_x).abs())
    };
    let (start, start_off) = offset(other.start);
    let (end, end_off) = offset(other.end);
    if start_off > SIDE_TOLERANCE_M || end_off > SIDE_TOLERANCE_M {
        return 0.0;
    }
    let (low, high) = (start.min(end), start.max(end));
    (high.min(length) - low.max(0.0)).max(0.0)
}

#[cfg(test)]
mod tests {
    use geo::{Coord, Line};

    use super::overlap;

    #[test]
    fn collinear_sides_overlap_by_their_common_stretch_and_others_not_at_all() {
        let side = Line::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 10.0, y: 0.0 });
        let along = Line::new(Coord { x: 12.0, y: 0.01 }, Coord { x: 4.0, y: 0.0 });
        assert!((overlap(&side, &along) - 6.0).abs() < 1e-9);
        let apart = Line::new(Coord { x: 0.0, y: 1.0 }, Coord { x: 10.0, y: 1.0 });
        assert_eq!(overlap(&side, &apart), 0.0);
        let across = Line::new(Coord { x: 5.0, y: -5.0 }, Coord { x: 5.0, y: 5.0 });
        assert_eq!(overlap(&side, &across), 0.0);
    }
}
