//! Small geometry of the core's own, below everything that knows what a building or a community
//! is: a footprint's representative point and validity, what makes a boundary invalid, and the
//! polygon overlay (union, difference, slicing) through i_overlay.

pub mod footprint;
pub mod overlay;
pub mod problem;
pub mod validity;
pub mod representative_point;

use geo::{LineString, MultiPolygon};

/// Every ring of `shape`: each part's exterior, then its holes.
pub fn rings(shape: &MultiPolygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    shape
        .iter()
        .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
}
