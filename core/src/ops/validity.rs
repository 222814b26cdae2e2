//! What every operation checks before it changes anything: the boundaries it would produce are
//! valid polygons with no sliver parts.

use geo::{Area, MultiPolygon};

use crate::geometry::problem::BoundaryProblem;
use crate::geometry::validity::boundary_problems;
use crate::ops::OpError;

/// A part smaller than this is a sliver, not a community, m².
pub const MINIMUM_PART_AREA_M2: f64 = 1.0;

/// `boundary` without its sliver parts: what an overlay leaves along an edge two boundaries
/// digitised apart share, which no planner drew.
pub fn without_slivers(boundary: MultiPolygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon::new(
        boundary
            .0
            .into_iter()
            .filter(|part| part.unsigned_area() >= MINIMUM_PART_AREA_M2)
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
