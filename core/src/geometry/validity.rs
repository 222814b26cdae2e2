//! Whether a community boundary is a valid polygon (OGC simple features), in O(n log n).
//!
//! geo's validation compares every edge with every other: a 50,000-vertex boundary took 9.9 s
//! and 200,000 over a minute. Here the edges go into an R-tree of their boxes and each edge is
//! tested only against the edges whose boxes meet its own. A boundary whose rings neither cross
//! nor touch one another (nearly every community) is judged here: valid, or invalid with the
//! problem found, described by geo itself where it is small enough for geo to be quick (so the
//! words stay geo's) and in geo's own terms otherwise. Rings that touch at a point can pass
//! through each other there, which only a closer look tells: such rare boundaries go to geo.

use geo::algorithm::validation::{
    CoordIndex, GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole,
};
use geo::line_intersection::{LineIntersection, line_intersection};
use geo::{Contains, Coord, Line, LineString, MultiPolygon, Polygon, Validation};
use rstar::{AABB, Envelope, RTree, RTreeObject};

/// Boundaries of up to this many edges compare their edges pair by pair rather than through a
/// tree.
const COMPARED_PAIRWISE: usize = 128;

/// Boundaries with up to this many vertices that fail the fast check are described by geo.
const DESCRIBED_BY_GEO: usize = 4_000;

/// What the fast check makes of a boundary.
enum Verdict {
    Valid,
    Invalid(InvalidMultiPolygon),
    /// Rings touch at a point: geo must judge.
    Unsure,
}

/// The problems of `boundary`, first one first; empty when it is valid.
pub fn boundary_problems(boundary: &MultiPolygon<f64>) -> Vec<InvalidMultiPolygon> {
    let problem = match verdict(boundary) {
        Verdict::Valid => return Vec::new(),
        Verdict::Unsure => return boundary.validation_errors(),
        Verdict::Invalid(problem) => problem,
    };
    let vertices: usize = boundary
        .iter()
        .map(|polygon| {
            polygon.exterior().0.len()
                + polygon
                    .interiors()
                    .iter()
                    .map(|ring| ring.0.len())
                    .sum::<usize>()
        })
        .sum();
    if vertices <= DESCRIBED_BY_GEO {
        let described = boundary.validation_errors();
        if !described.is_empty() {
            return described;
        }
    }
    vec![problem]
}

/// One edge of a ring, with where it is.
struct Edge {
    line: Line<f64>,
    polygon: usize,
    /// 0 for the exterior, 1 + the index of a hole.
    ring: usize,
    /// Position of the edge in its ring (repeated positions make no edge).
    position: usize,
    /// Edges in the ring.
    ring_edges: usize,
}

impl RTreeObject for Edge {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners(
            [self.line.start.x, self.line.start.y],
            [self.line.end.x, self.line.end.y],
        )
    }
}

fn role(ring: usize) -> RingRole {
    if ring == 0 {
        RingRole::Exterior
    } else {
        RingRole::Interior(ring - 1)
    }
}

fn in_polygon(polygon: usize, problem: InvalidPolygon) -> InvalidMultiPolygon {
    InvalidMultiPolygon::InvalidPolygon(GeometryIndex(polygon), problem)
}

/// The fast check's verdict.
fn verdict(boundary: &MultiPolygon<f64>) -> Verdict {
    verdict_comparing_pairwise_up_to(boundary, COMPARED_PAIRWISE)
}

/// The fast check's verdict, comparing edges pair by pair up to `pairwise` edges and through a
/// tree above (tests judge both ways).
fn verdict_comparing_pairwise_up_to(boundary: &MultiPolygon<f64>, pairwise: usize) -> Verdict {
    let mut edges = Vec::new();
    for (polygon_index, polygon) in boundary.iter().enumerate() {
        let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
        for (ring_index, ring) in rings.enumerate() {
            if let Some(position) = ring
                .0
                .iter()
                .position(|coord| !coord.x.is_finite() || !coord.y.is_finite())
            {
                return Verdict::Invalid(in_polygon(
                    polygon_index,
                    InvalidPolygon::NonFiniteCoord(role(ring_index), CoordIndex(position)),
                ));
            }
            let ring_lines: Vec<Line<f64>> =
                ring.lines().filter(|line| line.start != line.end).collect();
            if ring_lines.len() < 3 || ring.0.first() != ring.0.last() {
                return Verdict::Invalid(in_polygon(
                    polygon_index,
                    InvalidPolygon::TooFewPointsInRing(role(ring_index)),
                ));
            }
            let ring_edges = ring_lines.len();
            edges.extend(
                ring_lines
                    .into_iter()
                    .enumerate()
                    .map(|(position, line)| Edge {
                        line,
                        polygon: polygon_index,
                        ring: ring_index,
                        position,
                        ring_edges,
                    }),
            );
        }
    }
    let mut touching = false;
    let mut judge = |edge: &Edge, other: &Edge| match meeting(edge, other) {
        Meeting::Apart => None,
        Meeting::Touching => {
            touching = true;
            None
        }
        Meeting::Invalid(problem) => Some(problem),
    };
    if edges.len() <= pairwise {
        // A community of a few dozen corners: comparing boxes pair by pair costs less than
        // building a tree (the rules check a thousand such boundaries at every open).
        for (first, edge) in edges.iter().enumerate() {
            let envelope = edge.envelope();
            for other in &edges[first + 1..] {
                if envelope.intersects(&other.envelope())
                    && let Some(problem) = judge(edge, other)
                {
                    return Verdict::Invalid(problem);
                }
            }
        }
    } else {
        let tree = RTree::bulk_load(edges);
        for edge in tree.iter() {
            for other in tree.locate_in_envelope_intersecting(&edge.envelope()) {
                // Each pair once.
                let ordered = (edge.polygon, edge.ring, edge.position)
                    < (other.polygon, other.ring, other.position);
                if ordered && let Some(problem) = judge(edge, other) {
                    return Verdict::Invalid(problem);
                }
            }
        }
    }
    if touching {
        return Verdict::Unsure;
    }
    match containment_problem(boundary) {
        Some(problem) => Verdict::Invalid(problem),
        None => Verdict::Valid,
    }
}

/// How two edges meet.
enum Meeting {
    Apart,
    /// At a point, where the rings may pass through each other.
    Touching,
    Invalid(InvalidMultiPolygon),
}

/// How two edges meet, and what is wrong there, if anything.
fn meeting(edge: &Edge, other: &Edge) -> Meeting {
    let Some(meeting) = line_intersection(edge.line, other.line) else {
        return Meeting::Apart;
    };
    let proper = matches!(
        meeting,
        LineIntersection::SinglePoint {
            is_proper: true,
            ..
        }
    );
    let collinear = matches!(meeting, LineIntersection::Collinear { .. });
    if edge.polygon != other.polygon {
        // Parts may touch at points, never along a line nor across each other.
        return if proper {
            Meeting::Invalid(InvalidMultiPolygon::ElementsOverlaps(
                GeometryIndex(edge.polygon),
                GeometryIndex(other.polygon),
            ))
        } else if collinear {
            Meeting::Invalid(InvalidMultiPolygon::ElementsTouchOnALine(
                GeometryIndex(edge.polygon),
                GeometryIndex(other.polygon),
            ))
        } else {
            Meeting::Touching
        };
    }
    if edge.ring == other.ring {
        let next = (edge.position + 1) % edge.ring_edges == other.position
            || (other.position + 1) % other.ring_edges == edge.position;
        if next && !collinear {
            return Meeting::Apart;
        }
        return Meeting::Invalid(in_polygon(
            edge.polygon,
            InvalidPolygon::SelfIntersection(role(edge.ring)),
        ));
    }
    // Rings of one polygon may touch at points only.
    let rings = (role(edge.ring), role(other.ring));
    if proper {
        Meeting::Invalid(in_polygon(
            edge.polygon,
            InvalidPolygon::IntersectingRingsOnAnArea(rings.0, rings.1),
        ))
    } else if collinear {
        Meeting::Invalid(in_polygon(
            edge.polygon,
            InvalidPolygon::IntersectingRingsOnALine(rings.0, rings.1),
        ))
    } else {
        Meeting::Touching
    }
}

/// A vertex of `ring` that is not on `around`'s boundary, to tell inside from outside by.
fn vertex_off(ring: &LineString<f64>, around: &Polygon<f64>) -> Option<Coord<f64>> {
    use geo::Intersects;
    ring.0.iter().copied().find(|coord| {
        !around.exterior().intersects(coord)
            && !around.interiors().iter().any(|hole| hole.intersects(coord))
    })
}

/// With no edges crossing: holes inside their exterior and outside each other, and no part inside
/// another.
fn containment_problem(boundary: &MultiPolygon<f64>) -> Option<InvalidMultiPolygon> {
    for (polygon_index, polygon) in boundary.iter().enumerate() {
        let shell = Polygon::new(polygon.exterior().clone(), Vec::new());
        for (hole_index, hole) in polygon.interiors().iter().enumerate() {
            if vertex_off(hole, &shell).is_some_and(|vertex| !shell.contains(&vertex)) {
                return Some(in_polygon(
                    polygon_index,
                    InvalidPolygon::InteriorRingNotContainedInExteriorRing(RingRole::Interior(
                        hole_index,
                    )),
                ));
            }
            for (other_index, other) in polygon.interiors().iter().enumerate() {
                if other_index == hole_index {
                    continue;
                }
                let other_area = Polygon::new(other.clone(), Vec::new());
                if vertex_off(hole, &other_area).is_some_and(|vertex| other_area.contains(&vertex))
                {
                    return Some(in_polygon(
                        polygon_index,
                        InvalidPolygon::IntersectingRingsOnAnArea(
                            RingRole::Interior(hole_index),
                            RingRole::Interior(other_index),
                        ),
                    ));
                }
            }
        }
    }
    // Parts inside one another: a part's boxes are compared first, so most pairs cost nothing.
    let boxes: Vec<Option<geo::Rect<f64>>> = boundary
        .iter()
        .map(geo::BoundingRect::bounding_rect)
        .collect();
    for (first, polygon) in boundary.iter().enumerate() {
        for (second, other) in boundary.iter().enumerate() {
            if first == second {
                continue;
            }
            let (Some(inner), Some(outer)) = (boxes[first], boxes[second]) else {
                continue;
            };
            let box_inside = outer.min().x <= inner.min().x
                && outer.min().y <= inner.min().y
                && inner.max().x <= outer.max().x
                && inner.max().y <= outer.max().y;
            if box_inside
                && vertex_off(polygon.exterior(), other)
                    .is_some_and(|vertex| other.contains(&vertex))
            {
                return Some(InvalidMultiPolygon::ElementsOverlaps(
                    GeometryIndex(second),
                    GeometryIndex(first),
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    fn ring(points: &[(f64, f64)]) -> LineString<f64> {
        let mut coords: Vec<Coord<f64>> = points.iter().map(|&(x, y)| Coord { x, y }).collect();
        coords.push(coords[0]);
        LineString::new(coords)
    }

    #[test]
    fn random_boundaries_are_judged_valid_or_not_as_geo_judges_them() {
        // Polygons with holes and multipolygons of random corners on a coarse grid, so that
        // crossings, touching corners, shared edges and collinear runs are common.
        let mut random = crate::random::SplitMix64(0xb0_0da7);
        let mut invalid = 0;
        let mut decided_here = 0;
        for _ in 0..20_000 {
            let mut polygons = Vec::new();
            let parts = 1 + random.next_u64() % 2;
            for _ in 0..parts {
                let mut corners = |count: u64, offset: f64, size: u64| -> LineString<f64> {
                    let points: Vec<(f64, f64)> = (0..count)
                        .map(|_| {
                            let x = offset + (random.next_u64() % size) as f64;
                            let y = offset + (random.next_u64() % size) as f64;
                            (x, y)
                        })
                        .collect();
                    ring(&points)
                };
                let exterior_corners = 3 + (7 * parts) % 5;
                let exterior = corners(exterior_corners, 0.0, 6);
                let hole = corners(3, 1.0, 4);
                let holes = if (hole.0[0].x as u64).is_multiple_of(2) {
                    vec![hole]
                } else {
                    Vec::new()
                };
                polygons.push(Polygon::new(exterior, holes));
            }
            let boundary = MultiPolygon::new(polygons);
            // geo lets some rings that fold back onto a line pass; they enclose nothing.
            if boundary.iter().any(|polygon| {
                polygon.exterior().0.len() < 4
                    || Polygon::new(polygon.exterior().clone(), vec![]).unsigned_area() == 0.0
                    || polygon
                        .interiors()
                        .iter()
                        .any(|hole| Polygon::new(hole.clone(), vec![]).unsigned_area() == 0.0)
            }) {
                continue;
            }
            let expected = boundary.is_valid();
            invalid += usize::from(!expected);
            decided_here += usize::from(!matches!(verdict(&boundary), Verdict::Unsure));
            let through_a_tree = verdict_comparing_pairwise_up_to(&boundary, 0);
            assert_eq!(
                matches!(through_a_tree, Verdict::Valid),
                matches!(verdict(&boundary), Verdict::Valid),
                "the tree and the pairs agree on {boundary:?}"
            );
            assert_eq!(
                boundary_problems(&boundary).is_empty(),
                expected,
                "{boundary:?}: geo says {:?}",
                boundary.validation_errors()
            );
        }
        assert!(
            invalid > 1_000,
            "the boundaries exercise invalid shapes too: {invalid}"
        );
        assert!(
            decided_here > 5_000,
            "most are judged without geo: {decided_here}"
        );
    }

    #[test]
    fn a_large_crossed_boundary_is_described_in_geo_words() {
        // A 20,000-vertex star-like ring with one crossing near its end.
        let count = 20_000;
        let mut points: Vec<(f64, f64)> = (0..count)
            .map(|index| {
                let angle = index as f64 / count as f64 * std::f64::consts::TAU;
                let radius = 1000.0 + 5.0 * ((index % 2) as f64);
                (radius * angle.cos(), radius * angle.sin())
            })
            .collect();
        let last = points.len() - 1;
        points.swap(last, last - 2);
        let boundary = MultiPolygon::new(vec![Polygon::new(ring(&points), vec![])]);
        let problems = boundary_problems(&boundary);
        assert_eq!(
            problems.first().map(ToString::to_string).as_deref(),
            Some("polygon at index 0 is invalid: exterior ring has a self-intersection")
        );
    }
}
