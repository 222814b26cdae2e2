//! Geometry in metres to RFC 7946 GeoJSON geometry (lon/lat, 7 decimals, counter-clockwise outer
//! rings as the RFC recommends).

use geo::{LineString, MultiLineString, MultiPolygon, Orient, orient::Direction};
use serde_json::{Value, json};

use crate::projection::LocalProjection;

fn ring_json(ring: &LineString<f64>, projection: &LocalProjection) -> Value {
    Value::Array(
        ring.coords()
            .map(|coord| {
                let [longitude, latitude] = projection.to_lon_lat_rounded(*coord);
                json!([longitude, latitude])
            })
            .collect(),
    )
}

/// A MultiPolygon as a GeoJSON Polygon (one part) or MultiPolygon geometry.
pub fn multipolygon_json(boundary: &MultiPolygon<f64>, projection: &LocalProjection) -> Value {
    let oriented = boundary.orient(Direction::Default);
    let polygons: Vec<Value> = oriented
        .iter()
        .map(|polygon| {
            let rings: Vec<Value> = std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .map(|ring| ring_json(ring, projection))
                .collect();
            Value::Array(rings)
        })
        .collect();
    if polygons.len() == 1 {
        json!({"type": "Polygon", "coordinates": polygons[0]})
    } else {
        json!({"type": "MultiPolygon", "coordinates": polygons})
    }
}

/// A MultiLineString as a GeoJSON MultiLineString geometry.
pub fn multilinestring_json(lines: &MultiLineString<f64>, projection: &LocalProjection) -> Value {
    json!({
        "type": "MultiLineString",
        "coordinates": lines.iter().map(|line| ring_json(line, projection)).collect::<Vec<_>>(),
    })
}
