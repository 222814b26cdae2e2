//! What every operation checks before it changes anything: the boundaries it would produce are
//! valid polygons with no sliver parts.

use geo::{Area, Coord, LineString, MultiPolygon, Polygon};

use crate::geometry::problem::BoundaryProblem;
use crate::geometry::validity::boundary_problems;
use crate::ops::OpError;

/// A part smaller than this is a sliver, not a community, m².
pub const MINIMUM_PART_AREA_M2: f64 = 1.0;

/// `boundary` without its sliver parts and sliver holes: what an overlay leaves along an edge
/// two boundaries digitised apart share, which no planner drew. (A sliver hole, a few
/// centimetres wide, collapses when the plan is written to 7 decimals, into a ring the file
/// can no longer be read with.)
pub fn without_slivers(boundary: MultiPolygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon::new(
        boundary
            .0
            .into_iter()
            .filter(|part| part.unsigned_area() >= MINIMUM_PART_AREA_M2)
            .map(|part| {
                let (exterior, interiors) = part.into_inner();
                let holes = interiors
                    .into_iter()
                    .filter(|hole| {
                        Polygon::new(hole.clone(), Vec::new()).unsigned_area()
                            >= MINIMUM_PART_AREA_M2
                    })
                    .collect();
                Polygon::new(exterior, holes)
            })
            .collect(),
    )
}

/// A spike narrower than this is overlay noise, m: where a grid's edge (drawn to the
/// millimetre) runs beside its community's edge, cutting one by the other leaves a ring that
/// runs out along the edge and doubles back on itself, a spike no planner drew.
pub const SPIKE_WIDTH_M: f64 = 0.01;

/// `boundary` without spikes narrower than [`SPIKE_WIDTH_M`] (corners where a ring turns back
/// on itself) and then without sliver parts and holes.
pub fn without_spikes(boundary: MultiPolygon<f64>) -> MultiPolygon<f64> {
    let parts = boundary.0.into_iter().filter_map(|part| {
        let (exterior, interiors) = part.into_inner();
        let exterior = ring_without_spikes(exterior)?;
        let holes = interiors
            .into_iter()
            .filter_map(ring_without_spikes)
            .collect();
        Some(Polygon::new(exterior, holes))
    });
    without_slivers(MultiPolygon::new(parts.collect()))
}

/// `ring` with every spike corner taken out, again until none is left; `None` when fewer than
/// three corners remain.
fn ring_without_spikes(ring: LineString<f64>) -> Option<LineString<f64>> {
    let mut corners = ring.0;
    if corners.len() > 1 && corners.first() == corners.last() {
        corners.pop();
    }
    corners.dedup();
    loop {
        let count = corners.len();
        if count < 3 {
            return None;
        }
        let spike = (0..count).find(|&index| {
            let before = corners[(index + count - 1) % count];
            let after = corners[(index + 1) % count];
            is_spike(before, corners[index], after)
        });
        match spike {
            Some(index) => {
                corners.remove(index);
                corners.dedup();
            }
            None => break,
        }
    }
    corners.push(corners[0]);
    Some(LineString::new(corners))
}

/// True when the ring turns back at `tip` (an acute corner) and the triangle the corner makes
/// is narrower than [`SPIKE_WIDTH_M`] across its longest side.
fn is_spike(before: Coord<f64>, tip: Coord<f64>, after: Coord<f64>) -> bool {
    let (back, on) = (before - tip, after - tip);
    let turning_back = back.x * on.x + back.y * on.y > 0.0;
    let twice_area = (back.x * on.y - back.y * on.x).abs();
    let length = |vector: Coord<f64>| vector.x.hypot(vector.y);
    let longest = length(back).max(length(on)).max(length(after - before));
    turning_back && longest > 0.0 && twice_area / longest < SPIKE_WIDTH_M
}

/// Refuses an invalid boundary (self-intersection, too few corners) or one with a sliver part.
pub fn check_boundary(boundary: &MultiPolygon<f64>) -> Result<(), OpError> {
    if boundary.0.is_empty() {
        return Err(OpError::Empty);
    }
    if let Some(problem) = boundary_problems(boundary).first() {
        return Err(OpError::Invalid {
            problem: BoundaryProblem::of(problem),
            detail: problem.to_string(),
        });
    }
    if let Some(part) = boundary
        .iter()
        .find(|part| part.unsigned_area() < MINIMUM_PART_AREA_M2)
    {
        return Err(OpError::Sliver(part.unsigned_area()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use geo::{LineString, MultiPolygon, Polygon};

    use super::{without_slivers, without_spikes};

    #[test]
    fn a_hairline_spike_is_cut_off_and_a_sharp_real_corner_kept() {
        // A 100 m square whose east side runs 17 m up a hairline (half a millimetre wide) and
        // back, and a sharp tooth 20 m long and 5 m wide at its west.
        let ring = LineString::from(vec![
            (0.0, 0.0),
            (100.0, 0.0),
            (100.0, 50.0),
            (100.0005, 67.0),
            (100.001, 50.0),
            (100.0, 100.0),
            (0.0, 100.0),
            (0.0, 60.0),
            (-20.0, 55.5),
            (0.0, 55.0),
            (0.0, 0.0),
        ]);
        let cleaned = without_spikes(MultiPolygon::new(vec![Polygon::new(ring, Vec::new())]));
        let corners = &cleaned.0[0].exterior().0;
        assert!(
            corners
                .iter()
                .all(|corner| corner.y <= 100.0 && corner.x < 100.01)
        );
        assert!(
            !corners.iter().any(|corner| corner.y == 67.0),
            "{corners:?}"
        );
        assert!(
            corners.iter().any(|corner| corner.x == -20.0),
            "{corners:?}"
        );
    }

    #[test]
    fn sliver_holes_are_dropped_and_real_holes_kept() {
        let square = |x: f64, y: f64, width: f64, height: f64| {
            LineString::from(vec![
                (x, y),
                (x + width, y),
                (x + width, y + height),
                (x, y + height),
                (x, y),
            ])
        };
        let boundary = MultiPolygon::new(vec![Polygon::new(
            square(0.0, 0.0, 100.0, 100.0),
            vec![
                square(10.0, 10.0, 20.0, 20.0),
                square(50.0, 10.0, 30.0, 0.01),
            ],
        )]);
        let cleaned = without_slivers(boundary);
        assert_eq!(cleaned.0.len(), 1);
        assert_eq!(
            cleaned.0[0].interiors().len(),
            1,
            "the 30 m × 1 cm hole is gone"
        );
    }
}
