//! Web map tiles as MBTiles and PMTiles store them (XYZ, Web Mercator, 256-pixel tiles): which
//! tile holds a point, where a tile's corners are, and the zoom that shows a tile pixel per screen
//! pixel; and where a tile set's tiles lie in a plan's local metres. Nothing here reads a file.

use std::f64::consts::PI;

use geo::Coord;

use crate::crs::{gcj02_to_wgs84, wgs84_to_gcj02};
use crate::projection::LocalProjection;

/// Web Mercator's latitude limit (degrees).
pub const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// Metres per pixel at the equator at zoom 0, for 256-pixel tiles.
const EQUATOR_METRES_PER_PIXEL: f64 = 156_543.033_928;

/// One tile: its zoom, column (x, from the west) and row (y, from the north).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    /// Zoom, 0 for the whole world in one tile.
    pub zoom: u8,
    /// Column, from the antimeridian eastwards.
    pub x: u32,
    /// Row, from the north (XYZ; MBTiles stores rows from the south).
    pub y: u32,
}

impl TileId {
    /// The tile's north-west corner, longitude and latitude.
    pub fn north_west(self) -> (f64, f64) {
        corner(self.zoom, f64::from(self.x), f64::from(self.y))
    }

    /// A point of the tile at fractions (0–1 east, 0–1 south) of its width and height.
    pub fn point_at(self, east: f64, south: f64) -> (f64, f64) {
        corner(
            self.zoom,
            f64::from(self.x) + east,
            f64::from(self.y) + south,
        )
    }

    /// The tile one zoom out that holds this one, and where in it (fractions east and south of
    /// its north-west corner, and its share of the width): for drawing a coarser tile while this
    /// one loads.
    pub fn parent(self) -> Option<(TileId, [f64; 3])> {
        let zoom = self.zoom.checked_sub(1)?;
        Some((
            TileId {
                zoom,
                x: self.x / 2,
                y: self.y / 2,
            },
            [
                f64::from(self.x % 2) * 0.5,
                f64::from(self.y % 2) * 0.5,
                0.5,
            ],
        ))
    }
}

/// Longitude and latitude of a fractional tile position at `zoom`.
fn corner(zoom: u8, x: f64, y: f64) -> (f64, f64) {
    let tiles = f64::from(1u32 << zoom);
    let longitude = x / tiles * 360.0 - 180.0;
    let latitude = (PI * (1.0 - 2.0 * y / tiles)).sinh().atan().to_degrees();
    (longitude, latitude)
}

/// The tile at `zoom` that holds a point (clamped to the world).
pub fn tile_at(longitude: f64, latitude: f64, zoom: u8) -> TileId {
    let tiles = f64::from(1u32 << zoom);
    let latitude = latitude.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    let x = (longitude + 180.0) / 360.0 * tiles;
    let y = (1.0 - (latitude.tan() + 1.0 / latitude.cos()).ln() / PI) / 2.0 * tiles;
    let last = tiles - 1.0;
    TileId {
        zoom,
        x: x.clamp(0.0, last) as u32,
        y: y.clamp(0.0, last) as u32,
    }
}

/// The zoom whose tile pixels are `metres_per_pixel` on the ground at `latitude`, rounded to the
/// nearest level and kept within `lowest..=highest` (beyond the highest, its tiles are enlarged).
pub fn zoom_for(metres_per_pixel: f64, latitude: f64, lowest: u8, highest: u8) -> u8 {
    let at_zero = EQUATOR_METRES_PER_PIXEL * latitude.to_radians().cos();
    let zoom = (at_zero / metres_per_pixel.max(1e-6)).log2().round();
    (zoom.max(0.0) as u8).clamp(lowest, highest.max(lowest))
}

/// The tiles at `zoom` covering a longitude/latitude box (west, south, east, north), or `None`
/// when there would be more than `most`.
pub fn tiles_covering(bounds: [f64; 4], zoom: u8, most: usize) -> Option<Vec<TileId>> {
    let [west, south, east, north] = bounds;
    let north_west = tile_at(west, north, zoom);
    let south_east = tile_at(east, south, zoom);
    let columns = (south_east.x - north_west.x + 1) as usize;
    let rows = (south_east.y - north_west.y + 1) as usize;
    if columns * rows > most {
        return None;
    }
    Some(
        (north_west.y..=south_east.y)
            .flat_map(|y| (north_west.x..=south_east.x).map(move |x| TileId { zoom, x, y }))
            .collect(),
    )
}

/// Where a tile set's tiles lie in a plan's local metres: through the plan's projection, and
/// shifted from GCJ-02 onto WGS 84 where the tiles are drawn in GCJ-02.
#[derive(Debug, Clone, Copy)]
pub struct TilePlacement<'a> {
    /// The plan's local metres ⇄ longitude and latitude.
    pub projection: &'a LocalProjection,
    /// The tiles are drawn in GCJ-02.
    pub gcj02: bool,
}

impl TilePlacement<'_> {
    /// The tiles covering a view whose corners are `corners` (metres), at the zoom nearest
    /// `metres_per_pixel` within `lowest..=highest`; `None` when there would be more than `most`.
    pub fn tiles_for_view(
        &self,
        corners: [Coord<f64>; 4],
        metres_per_pixel: f64,
        (lowest, highest): (u8, u8),
        most: usize,
    ) -> Option<Vec<TileId>> {
        let bounds = corners.iter().fold(
            [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
            |[west, south, east, north], &corner| {
                let (longitude, latitude) = self.projection.to_lon_lat(corner);
                let (longitude, latitude) = if self.gcj02 {
                    wgs84_to_gcj02(longitude, latitude)
                } else {
                    (longitude, latitude)
                };
                [
                    west.min(longitude),
                    south.min(latitude),
                    east.max(longitude),
                    north.max(latitude),
                ]
            },
        );
        let zoom = zoom_for(
            metres_per_pixel,
            (bounds[1] + bounds[3]) / 2.0,
            lowest,
            highest,
        );
        tiles_covering(bounds, zoom, most)
    }

    /// A point of `tile` (fractions east and south of its north-west corner) in local metres.
    pub fn metres_at(&self, tile: TileId, east: f64, south: f64) -> Coord<f64> {
        let (mut longitude, mut latitude) = tile.point_at(east, south);
        if self.gcj02 {
            (longitude, latitude) = gcj02_to_wgs84(longitude, latitude);
        }
        self.projection.to_metres(longitude, latitude)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_lies_in_the_tile_whose_corners_surround_it() {
        let (longitude, latitude) = (115.8921, 28.6764);
        for zoom in [0, 5, 12, 17, 19] {
            let tile = tile_at(longitude, latitude, zoom);
            let (west, north) = tile.north_west();
            let (east, south) = tile.point_at(1.0, 1.0);
            assert!((west..east).contains(&longitude), "zoom {zoom}");
            assert!((south..north).contains(&latitude), "zoom {zoom}");
        }
    }

    #[test]
    fn zoom_zero_is_the_world_and_the_zoom_follows_the_ground_resolution() {
        assert_eq!(
            tile_at(0.0, 0.0, 0),
            TileId {
                zoom: 0,
                x: 0,
                y: 0
            }
        );
        let (west, north) = TileId {
            zoom: 0,
            x: 0,
            y: 0,
        }
        .north_west();
        assert_eq!(west, -180.0);
        assert!((north - MAX_LATITUDE).abs() < 1e-12);
        // At the equator zoom 17 is about 1.19 m a pixel.
        assert_eq!(zoom_for(1.19, 0.0, 0, 22), 17);
        assert_eq!(zoom_for(1.19, 0.0, 0, 15), 15, "kept to the highest level");
        assert_eq!(
            zoom_for(100_000.0, 0.0, 3, 15),
            3,
            "kept to the lowest level"
        );
    }

    #[test]
    fn the_tiles_covering_a_box_are_counted_and_capped() {
        let bounds = [115.85, 28.65, 115.93, 28.70];
        let tiles = tiles_covering(bounds, 14, 100).expect("few");
        assert!(tiles.len() >= 4);
        assert!(tiles_covering(bounds, 20, 100).is_none());
        let (parent, [east, south, share]) = tiles[0].parent().expect("has one");
        assert_eq!(parent.zoom, 13);
        assert!(east == 0.0 || east == 0.5);
        assert!(south == 0.0 || south == 0.5);
        assert_eq!(share, 0.5);
    }

    #[test]
    fn a_gcj02_tile_set_is_placed_so_its_tile_holds_the_point_it_was_drawn_at() {
        let projection = LocalProjection::centred_on(115.89, 28.67);
        let point = projection.to_metres(115.8921, 28.6764);
        for gcj02 in [false, true] {
            let placement = TilePlacement {
                projection: &projection,
                gcj02,
            };
            let [tile] = placement
                .tiles_for_view([point; 4], 0.3, (17, 17), 4)
                .expect("one tile")[..]
            else {
                panic!("one tile for one point");
            };
            let north_west = placement.metres_at(tile, 0.0, 0.0);
            let south_east = placement.metres_at(tile, 1.0, 1.0);
            assert!(
                (north_west.x..south_east.x).contains(&point.x),
                "gcj02 {gcj02}"
            );
            assert!(
                (south_east.y..north_west.y).contains(&point.y),
                "gcj02 {gcj02}"
            );
        }
    }
}
