//! What every operation checks before it changes anything: the boundaries it would produce are
//! valid polygons with no sliver parts.

use geo::{Area, MultiPolygon, Polygon};

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

    use super::without_slivers;

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
