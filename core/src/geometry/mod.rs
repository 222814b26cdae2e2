//! Small geometry of the core's own, below everything that knows what a building or a community
//! is: a footprint's representative point and validity, what makes a boundary invalid, and the
//! polygon overlay (union, difference, slicing) through i_overlay.

pub mod footprint;
pub mod overlay;
pub mod problem;
pub mod validity;
pub mod representative_point;

use geo::{BoundingRect, Euclidean, Intersects, Length, LineString, MultiPolygon, Rect};

/// Every ring of `shape`: each part's exterior, then its holes.
pub fn rings(shape: &MultiPolygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    shape
        .iter()
        .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
}

/// The length of every ring of `shape`, m.
pub fn perimeter(shape: &MultiPolygon<f64>) -> f64 {
    rings(shape).map(|ring| Euclidean.length(ring)).sum()
}

/// True when `shape`'s extent meets `within`: the cheap test before an overlay.
pub fn extent_meets(shape: &MultiPolygon<f64>, within: Rect<f64>) -> bool {
    shape
        .bounding_rect()
        .is_some_and(|extent| extent.intersects(&within))
}
