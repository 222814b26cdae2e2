//! Street blocks: the areas the street network encloses (its faces), clipped to the data's
//! extent. Derived once, by slicing the extent along every street centreline; a dead-end street
//! inside a block does not split it.

use geo::{Area, BoundingRect, Coord, LineString, MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::geometry::overlay::slice;
use crate::layers::{Building, Street};
use crate::ops::validity::MINIMUM_PART_AREA_M2;

/// The street blocks, indexed by envelope.
#[derive(Debug, Clone, Default)]
pub struct Blocks {
    /// The blocks, in the order the slicing gave them.
    pub polygons: Vec<Polygon<f64>>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>,
}

/// The rectangle around every building and street, a little larger so the outer blocks close.
pub fn data_extent(buildings: &[Building], streets: &[Street]) -> Option<[Coord<f64>; 2]> {
    let mut bounds: Option<[Coord<f64>; 2]> = None;
    let mut grow = |lower: Coord<f64>, upper: Coord<f64>| {
        bounds = Some(match bounds {
            None => [lower, upper],
            Some([low, high]) => [
                Coord {
                    x: low.x.min(lower.x),
                    y: low.y.min(lower.y),
                },
                Coord {
                    x: high.x.max(upper.x),
                    y: high.y.max(upper.y),
                },
            ],
        });
    };
    for building in buildings {
        let [lower, upper] = building.envelope();
        grow(lower, upper);
    }
    for street in streets {
        if let Some(rect) = street.lines.bounding_rect() {
            grow(rect.min(), rect.max());
        }
    }
    bounds
}

impl Blocks {
    /// Slices `extent` along every street.
    pub fn derive(streets: &[Street], extent: [Coord<f64>; 2]) -> Self {
        let [low, high] = extent;
        let area = MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (low.x, low.y),
                (high.x, low.y),
                (high.x, high.y),
                (low.x, high.y),
                (low.x, low.y),
            ]),
            vec![],
        )]);
        let lines: Vec<LineString<f64>> = streets
            .iter()
            .flat_map(|street| street.lines.0.iter().cloned())
            .collect();
        let polygons: Vec<Polygon<f64>> = slice(&area, &lines)
            .into_iter()
            .filter(|polygon| polygon.unsigned_area() >= MINIMUM_PART_AREA_M2)
            .collect();
        let tree = RTree::bulk_load(
            polygons
                .iter()
                .enumerate()
                .filter_map(|(index, polygon)| {
                    let rect = polygon.bounding_rect()?;
                    Some(GeomWithData::new(
                        Rectangle::from_corners(
                            [rect.min().x, rect.min().y],
                            [rect.max().x, rect.max().y],
                        ),
                        index as u32,
                    ))
                })
                .collect(),
        );
        Self { polygons, tree }
    }

    /// The block containing `point`, if any.
    pub fn at(&self, point: Coord<f64>) -> Option<usize> {
        use geo::Contains;
        self.tree
            .locate_all_at_point(&[point.x, point.y])
            .map(|entry| entry.data as usize)
            .find(|&index| self.polygons[index].contains(&point))
    }

    /// Blocks whose envelope meets `envelope`.
    pub fn meeting(&self, envelope: AABB<[f64; 2]>) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|entry| entry.data as usize)
    }

    /// How many blocks there are.
    pub fn len(&self) -> usize {
        self.polygons.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.polygons.is_empty()
    }
}
