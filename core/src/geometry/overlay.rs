//! Boolean operations and slicing through i_overlay (the engine geo's `BooleanOps` uses), called
//! directly for two things geo does not expose: keeping collinear vertices, so that a vertex a
//! community shares with its neighbour survives a union or a difference, and slicing a polygon by
//! polylines (split, street blocks). Output vertices within a tenth of a millimetre of an input
//! vertex are put back exactly on it, undoing the integer snapping of the engine, so shared
//! vertices stay bit-for-bit shared.

use std::collections::HashMap;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::core::solver::Solver;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};
use i_overlay::float::string_overlay::FloatStringOverlay;
use i_overlay::string::rule::StringRule;

/// Output vertices this close to an input vertex are snapped back onto it, metres.
const RESNAP_M: f64 = 1e-4;

type Path = Vec<[f64; 2]>;
type Shape = Vec<Path>;

fn options() -> OverlayOptions<f64> {
    OverlayOptions {
        preserve_input_collinear: true,
        preserve_output_collinear: true,
        ..OverlayOptions::default()
    }
}

fn ring_path(ring: &LineString<f64>) -> Path {
    let mut path: Path = ring.coords().map(|coord| [coord.x, coord.y]).collect();
    if path.len() > 1 && path.first() == path.last() {
        path.pop();
    }
    path
}

/// A MultiPolygon as i_overlay shapes (outer ring, then holes).
pub fn shapes_of(boundary: &MultiPolygon<f64>) -> Vec<Shape> {
    boundary
        .iter()
        .map(|polygon| {
            std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .map(ring_path)
                .collect()
        })
        .collect()
}

/// Puts output coordinates back on the input vertices they came from.
struct Resnapper {
    cells: HashMap<(i64, i64), Vec<Coord<f64>>>,
}

impl Resnapper {
    fn new<'a>(inputs: impl Iterator<Item = &'a [f64; 2]>) -> Self {
        let mut cells: HashMap<(i64, i64), Vec<Coord<f64>>> = HashMap::new();
        for point in inputs {
            let coord = Coord {
                x: point[0],
                y: point[1],
            };
            cells.entry(Self::cell(coord)).or_default().push(coord);
        }
        Self { cells }
    }

    fn cell(coord: Coord<f64>) -> (i64, i64) {
        (
            (coord.x / RESNAP_M).floor() as i64,
            (coord.y / RESNAP_M).floor() as i64,
        )
    }

    fn snap(&self, coord: Coord<f64>) -> Coord<f64> {
        let (cx, cy) = Self::cell(coord);
        let mut best: Option<(f64, Coord<f64>)> = None;
        for dx in -1..=1 {
            for dy in -1..=1 {
                for candidate in self.cells.get(&(cx + dx, cy + dy)).into_iter().flatten() {
                    let distance = (candidate.x - coord.x).hypot(candidate.y - coord.y);
                    if distance <= RESNAP_M && best.is_none_or(|(closest, _)| distance < closest) {
                        best = Some((distance, *candidate));
                    }
                }
            }
        }
        best.map_or(coord, |(_, candidate)| candidate)
    }
}

fn to_multipolygon(shapes: Vec<Shape>, resnapper: &Resnapper) -> MultiPolygon<f64> {
    let ring = |path: &Path| {
        let mut coords: Vec<Coord<f64>> = path
            .iter()
            .map(|point| {
                resnapper.snap(Coord {
                    x: point[0],
                    y: point[1],
                })
            })
            .collect();
        coords.dedup();
        if let Some(&first) = coords.first() {
            coords.push(first);
        }
        LineString::new(coords)
    };
    MultiPolygon::new(
        shapes
            .iter()
            .filter(|shape| !shape.is_empty())
            .map(|shape| Polygon::new(ring(&shape[0]), shape[1..].iter().map(ring).collect()))
            .collect(),
    )
}

fn overlay(subject: &[Shape], clip: &[Shape], rule: OverlayRule) -> MultiPolygon<f64> {
    let resnapper = Resnapper::new(subject.iter().chain(clip).flatten().flatten());
    let shapes = FloatOverlay::with_subj_and_clip_custom(
        &subject.to_vec(),
        &clip.to_vec(),
        options(),
        Solver::default(),
    )
    .overlay(rule, FillRule::NonZero);
    to_multipolygon(shapes, &resnapper)
}

/// The union of boundaries, keeping every vertex.
pub fn union(boundaries: &[&MultiPolygon<f64>]) -> MultiPolygon<f64> {
    let subject: Vec<Shape> = boundaries
        .iter()
        .flat_map(|boundary| shapes_of(boundary))
        .collect();
    overlay(&subject, &[], OverlayRule::Subject)
}

/// A corner of one boundary this close to a side of the other lies on it, metres.
const NODE_TOLERANCE_M: f64 = 1e-3;

/// The union of two boundaries that meet along sides digitised apart — a block cut from one
/// community along the streets, beside the neighbour whose side has no corner where the street
/// meets it. The corners of each that lie on a side of the other (to the millimetre) are first
/// put into that side, so that the shared sides match corner for corner and the union is one
/// piece rather than two touching ones.
pub fn union_noded(first: &MultiPolygon<f64>, second: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    union(&[&noded(first, second), &noded(second, first)])
}

/// `boundary` with each corner of `other` that lies on one of its sides (strictly between the
/// side's ends) put into that side.
fn noded(boundary: &MultiPolygon<f64>, other: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let corners: Vec<Coord<f64>> = super::rings(other)
        .flat_map(|ring| ring.coords().copied())
        .collect();
    let node = |ring: &LineString<f64>| -> LineString<f64> {
        let mut coords = Vec::with_capacity(ring.0.len());
        for side in ring.lines() {
            coords.push(side.start);
            let delta = side.delta();
            let length = delta.x.hypot(delta.y);
            if length <= 2.0 * NODE_TOLERANCE_M {
                continue;
            }
            let (low_x, high_x) = (side.start.x.min(side.end.x), side.start.x.max(side.end.x));
            let (low_y, high_y) = (side.start.y.min(side.end.y), side.start.y.max(side.end.y));
            let mut on_side: Vec<(f64, Coord<f64>)> = corners
                .iter()
                .filter(|corner| {
                    (low_x - NODE_TOLERANCE_M..=high_x + NODE_TOLERANCE_M).contains(&corner.x)
                        && (low_y - NODE_TOLERANCE_M..=high_y + NODE_TOLERANCE_M)
                            .contains(&corner.y)
                })
                .filter_map(|&corner| {
                    let offset = corner - side.start;
                    let along = (offset.x * delta.x + offset.y * delta.y) / length;
                    let off = (offset.x * delta.y - offset.y * delta.x).abs() / length;
                    (along > NODE_TOLERANCE_M
                        && along < length - NODE_TOLERANCE_M
                        && off <= NODE_TOLERANCE_M)
                        .then_some((along, corner))
                })
                .collect();
            on_side.sort_by(|first, second| first.0.total_cmp(&second.0));
            coords.extend(on_side.into_iter().map(|(_, corner)| corner));
        }
        coords.dedup();
        if let Some(&first) = coords.first() {
            coords.push(first);
        }
        LineString::new(coords)
    };
    MultiPolygon::new(
        boundary
            .iter()
            .map(|polygon| {
                Polygon::new(
                    node(polygon.exterior()),
                    polygon.interiors().iter().map(node).collect(),
                )
            })
            .collect(),
    )
}

/// `boundary` minus `removed`, keeping every vertex.
pub fn difference(
    boundary: &MultiPolygon<f64>,
    removed: &[&MultiPolygon<f64>],
) -> MultiPolygon<f64> {
    let clip: Vec<Shape> = removed
        .iter()
        .flat_map(|boundary| shapes_of(boundary))
        .collect();
    overlay(&shapes_of(boundary), &clip, OverlayRule::Difference)
}

/// The ground `boundary` shares with `other`, keeping every vertex.
pub fn intersection(boundary: &MultiPolygon<f64>, other: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    overlay(
        &shapes_of(boundary),
        &shapes_of(other),
        OverlayRule::Intersect,
    )
}

/// `boundary` cut along `lines` into pieces (a line that does not cross it leaves it whole).
pub fn slice(boundary: &MultiPolygon<f64>, lines: &[LineString<f64>]) -> Vec<Polygon<f64>> {
    let shapes = shapes_of(boundary);
    let paths: Vec<Path> = lines
        .iter()
        .map(|line| line.coords().map(|coord| [coord.x, coord.y]).collect())
        .collect();
    let resnapper = Resnapper::new(
        shapes
            .iter()
            .flatten()
            .flatten()
            .chain(paths.iter().flatten()),
    );
    let pieces = FloatStringOverlay::with_shape_and_string(&shapes, &paths)
        .build_graph_view(FillRule::NonZero)
        .map(|graph| graph.extract_shapes_custom(StringRule::Slice, options()))
        .unwrap_or_default();
    to_multipolygon(pieces, &resnapper).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    fn square(x0: f64, y0: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (x0, y0),
                (x0 + size, y0),
                (x0 + size, y0 + size),
                (x0, y0 + size),
                (x0, y0),
            ]),
            vec![],
        )])
    }

    #[test]
    fn a_union_of_neighbours_keeps_the_vertices_they_share_with_others() {
        // Left square with a vertex in the middle of its top edge, as a third neighbour would need.
        let left = MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (10.0, 0.0),
                (10.0, 10.0),
                (5.0, 10.0),
                (0.0, 10.0),
                (0.0, 0.0),
            ]),
            vec![],
        )]);
        let merged = union(&[&left, &square(10.0, 0.0, 10.0)]);
        assert_eq!(merged.0.len(), 1);
        assert!((merged.unsigned_area() - 200.0).abs() < 1e-9);
        assert!(
            merged.0[0]
                .exterior()
                .coords()
                .any(|coord| *coord == Coord { x: 5.0, y: 10.0 })
        );
    }

    #[test]
    fn a_line_across_a_square_slices_it_in_two() {
        let line = LineString::from(vec![(-1.0, 3.0), (11.0, 3.0)]);
        let pieces = slice(&square(0.0, 0.0, 10.0), &[line]);
        assert_eq!(pieces.len(), 2);
        let mut areas: Vec<f64> = pieces.iter().map(|piece| piece.unsigned_area()).collect();
        areas.sort_by(f64::total_cmp);
        assert!(
            (areas[0] - 30.0).abs() < 1e-6 && (areas[1] - 70.0).abs() < 1e-6,
            "{areas:?}"
        );
    }

    #[test]
    fn a_line_that_stops_inside_does_not_slice() {
        let line = LineString::from(vec![(-1.0, 3.0), (5.0, 3.0)]);
        assert_eq!(slice(&square(0.0, 0.0, 10.0), &[line]).len(), 1);
    }

    /// The east community of the fixes test, beside the block cut from the middle community
    /// along a cross street: the block's corner where the street meets the shared side lies a
    /// fraction of a micrometre off the community's straight side.
    fn side_by_side() -> (MultiPolygon<f64>, MultiPolygon<f64>) {
        let polygon = |corners: &[(f64, f64)]| {
            MultiPolygon::new(vec![Polygon::new(
                LineString::from(corners.to_vec()),
                Vec::new(),
            )])
        };
        let block = polygon(&[
            (-50.03773784637451, -0.010143110751570816),
            (-50.03816503084704, -99.98113045149903),
            (50.03816503084704, -99.98113045149903),
            (50.03773784637451, -0.010143110751570816),
            (50.03773736953735, 0.003118207455216293),
            (-50.03773784637451, 0.003118207455216293),
        ]);
        let community = polygon(&[
            (50.03816503084704, -99.98113045149903),
            (250.19082520275106, -99.97856403734619),
            (250.18655178648913, 99.98392414897185),
            (50.03731034759566, 99.98135763043139),
        ]);
        (block, community)
    }

    #[test]
    fn a_block_beside_a_community_whose_side_lacks_its_corner_joins_it_in_one_piece() {
        let (block, community) = side_by_side();
        assert_eq!(
            union(&[&community, &block]).0.len(),
            2,
            "the engine alone leaves two touching pieces"
        );
        let joined = union_noded(&community, &block);
        assert_eq!(joined.0.len(), 1, "{joined:?}");
        let area = |shape: &MultiPolygon<f64>| shape.unsigned_area();
        assert!((area(&joined) - area(&community) - area(&block)).abs() < 1e-3);
    }
}
