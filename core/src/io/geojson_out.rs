//! Geometry in metres to RFC 7946 GeoJSON geometry (lon/lat, 7 decimals, counter-clockwise outer
//! rings as the RFC recommends), built as the `geojson` crate's types.

use geo::{LineString, MultiLineString, MultiPolygon, Orient, orient::Direction};
use geojson::{Geometry, GeometryValue, Position};
use serde_json::Value;

use crate::projection::LocalProjection;

fn ring_positions(ring: &LineString<f64>, projection: &LocalProjection) -> Vec<Position> {
    ring.coords()
        .map(|coord| Position::from(projection.to_lon_lat_rounded(*coord)))
        .collect()
}

fn geometry_json(value: GeometryValue) -> Value {
    // A geometry of finite numbers always serialises; the fallback only keeps the signature total.
    serde_json::to_value(Geometry::new(value)).unwrap_or(Value::Null)
}

/// A MultiPolygon as a GeoJSON Polygon (one part) or MultiPolygon geometry.
pub fn multipolygon_json(boundary: &MultiPolygon<f64>, projection: &LocalProjection) -> Value {
    let oriented = boundary.orient(Direction::Default);
    let mut polygons: Vec<Vec<Vec<Position>>> = oriented
        .iter()
        .map(|polygon| {
            std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .map(|ring| ring_positions(ring, projection))
                .collect()
        })
        .collect();
    if polygons.len() == 1 {
        geometry_json(GeometryValue::Polygon {
            coordinates: polygons.remove(0),
        })
    } else {
        geometry_json(GeometryValue::MultiPolygon {
            coordinates: polygons,
        })
    }
}

/// A MultiLineString as a GeoJSON MultiLineString geometry.
pub fn multilinestring_json(lines: &MultiLineString<f64>, projection: &LocalProjection) -> Value {
    geometry_json(GeometryValue::MultiLineString {
        coordinates: lines
            .iter()
            .map(|line| ring_positions(line, projection))
            .collect(),
    })
}

/// A point in metres as a GeoJSON Point geometry.
pub fn point_json(point: geo::Coord<f64>, projection: &LocalProjection) -> Value {
    geometry_json(GeometryValue::new_point(
        projection.to_lon_lat_rounded(point),
    ))
}
