//! Whether a building footprint is a valid polygon (OGC simple features), fast for the small
//! rings nearly every building has, and without geo's `relate` where it would panic.

use geo::{Area, Coord, LineString, MultiPolygon, Polygon, Validation};

/// Rings of up to this many positions are validated directly.
const DIRECTLY_VALIDATED_RING: usize = 32;

/// True when a footprint is valid (OGC simple features). Every ring is judged on its own first:
/// directly when it has a few positions (nearly every building; geo's full validation builds a
/// topology graph and cost 8 % of a city's load when used for every building, perf), else by geo.
/// Only footprints whose rings are all simple go on to geo's checks between rings and between
/// polygons. Those use `relate`, which panics ("topology position conflict") on rings that cross
/// or fold back, and geo relates a multipolygon's polygons before judging the later ones.
pub fn footprint_is_valid(footprint: &MultiPolygon<f64>) -> bool {
    let rings_simple = footprint.iter().all(|polygon| {
        std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .all(ring_is_simple)
    });
    if !rings_simple {
        return false;
    }
    match footprint.0.as_slice() {
        [polygon] if polygon.interiors().is_empty() => true,
        _ => footprint.is_valid(),
    }
}

/// True when a closed ring is simple and encloses something.
fn ring_is_simple(ring: &LineString<f64>) -> bool {
    if ring.0.len() <= DIRECTLY_VALIDATED_RING {
        return simple_ring_is_valid(&ring.0);
    }
    // geo lets a ring that folds back onto a line pass; it encloses nothing.
    let alone = Polygon::new(ring.clone(), vec![]);
    alone.is_valid() && alone.unsigned_area() > 0.0
}

/// A closed ring is valid when it has three distinct corners, no two edges that do not follow
/// each other meet, and no edge folds back over the one before it.
fn simple_ring_is_valid(ring: &[Coord<f64>]) -> bool {
    use geo::Line;
    use geo::line_intersection::{LineIntersection, line_intersection};
    if ring.len() < 4 || ring.first() != ring.last() {
        return false;
    }
    // Repeated positions are allowed; they make no edge.
    let edges: Vec<Line<f64>> = ring
        .windows(2)
        .filter(|pair| pair[0] != pair[1])
        .map(|pair| Line::new(pair[0], pair[1]))
        .collect();
    if edges.len() < 3 {
        return false;
    }
    let count = edges.len();
    // Edges whose boxes are apart cannot meet: most pairs are settled by comparisons alone.
    let apart = |a: &Line<f64>, b: &Line<f64>| {
        a.start.x.max(a.end.x) < b.start.x.min(b.end.x)
            || b.start.x.max(b.end.x) < a.start.x.min(a.end.x)
            || a.start.y.max(a.end.y) < b.start.y.min(b.end.y)
            || b.start.y.max(b.end.y) < a.start.y.min(a.end.y)
    };
    for first in 0..count {
        for second in first + 1..count {
            if apart(&edges[first], &edges[second]) {
                continue;
            }
            let adjacent = second == first + 1 || (first == 0 && second == count - 1);
            match line_intersection(edges[first], edges[second]) {
                None => {}
                Some(LineIntersection::SinglePoint { .. }) if adjacent => {}
                Some(_) => return false,
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipolygon_with_a_crossed_ring_is_invalid_without_asking_geo_to_relate_it() {
        // geo's own multipolygon validation relates the first polygon with the second before
        // judging the second, and panics on this one ("topology position conflict").
        let polygon = |ring: &[(f64, f64)], holes: &[&[(f64, f64)]]| {
            Polygon::new(
                LineString::from(ring.to_vec()),
                holes
                    .iter()
                    .map(|hole| LineString::from(hole.to_vec()))
                    .collect(),
            )
        };
        let footprint = MultiPolygon::new(vec![
            polygon(
                &[(0.0, 4.5), (10.5, 4.5), (1.5, 4.5), (0.0, 4.5)],
                &[&[(3.0, 4.5), (1.5, 4.5), (4.5, 6.0), (3.0, 4.5)]],
            ),
            polygon(
                &[
                    (6.0, 4.5),
                    (9.0, 4.5),
                    (12.0, 0.75),
                    (9.0, 4.5),
                    (0.0, 1.5),
                    (12.0, 5.25),
                    (6.0, 4.5),
                ],
                &[],
            ),
        ]);
        assert!(!footprint_is_valid(&footprint));
    }

    #[test]
    fn small_rings_are_judged_as_geo_judges_them() {
        // Random rings on a coarse grid, so that crossings, touching corners, repeated and
        // collinear positions are common; a fixed seed keeps the run reproducible.
        let mut random = crate::random::SplitMix64(0x5eed_2002);
        let mut next = |below: u64| random.next_u64() % below;
        let mut invalid = 0;
        for _ in 0..20_000 {
            let corners = 3 + next(6) as usize;
            let mut ring: Vec<Coord<f64>> = (0..corners)
                .map(|_| Coord {
                    x: next(5) as f64,
                    y: next(5) as f64,
                })
                .collect();
            ring.push(ring[0]);
            let footprint =
                MultiPolygon::new(vec![Polygon::new(LineString::new(ring.clone()), vec![])]);
            if footprint.unsigned_area() == 0.0 {
                // geo lets some rings that fold back onto a line pass; they enclose nothing and
                // are not simple, so they are invalid here.
                assert!(!footprint_is_valid(&footprint), "{ring:?}");
                continue;
            }
            let expected = footprint.is_valid();
            invalid += usize::from(!expected);
            assert_eq!(footprint_is_valid(&footprint), expected, "{ring:?}");
        }
        assert!(
            invalid > 1_000,
            "the rings exercise invalid shapes too: {invalid}"
        );
    }
}
