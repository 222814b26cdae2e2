//! Geometry in metres to RFC 7946 GeoJSON geometry (lon/lat, 7 decimals, counter-clockwise outer
//! rings as the RFC recommends), built as the `geojson` crate's types.

use geo::{LineString, MultiLineString, MultiPolygon, Orient, Polygon, orient::Direction};
use geojson::{Geometry, GeometryValue, Position};
use serde_json::Value;

use crate::projection::LocalProjection;

fn ring_positions(ring: &LineString<f64>, projection: &LocalProjection) -> Vec<Position> {
    ring.coords()
        .map(|coord| Position::from(projection.to_lon_lat_rounded(*coord)))
        .collect()
}

/// A polygon's rings rounded to 7 decimals, positions that round onto the one before dropped;
/// a hole that collapses on rounding (fewer than four positions left) is left out, and a polygon
/// whose outer ring collapses is none. Written as it was, such a ring would make the file one
/// shequ itself refuses to read.
fn polygon_positions(
    polygon: &Polygon<f64>,
    projection: &LocalProjection,
) -> Option<Vec<Vec<Position>>> {
    let rounded = |ring: &LineString<f64>| {
        let mut positions = ring_positions(ring, projection);
        positions.dedup();
        // Three distinct positions make a ring with an inside; looking further is not needed.
        let mut distinct: Vec<&Position> = Vec::with_capacity(3);
        for position in &positions {
            if distinct.len() == 3 {
                break;
            }
            if !distinct.contains(&position) {
                distinct.push(position);
            }
        }
        let enough = positions.len() >= 4 && distinct.len() >= 3;
        enough.then_some(positions)
    };
    let exterior = rounded(polygon.exterior())?;
    Some(
        std::iter::once(exterior)
            .chain(polygon.interiors().iter().filter_map(rounded))
            .collect(),
    )
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
        .filter_map(|polygon| polygon_positions(polygon, projection))
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

#[cfg(test)]
mod tests {
    use geo::{LineString, MultiPolygon, Polygon};

    use super::multipolygon_json;
    use crate::projection::LocalProjection;

    #[test]
    fn a_hole_that_collapses_when_rounded_to_seven_decimals_is_not_written() {
        let projection = LocalProjection::centred_on(115.9, 28.68);
        let ring = |points: &[(f64, f64)]| LineString::from(points.to_vec());
        let boundary = MultiPolygon::new(vec![Polygon::new(
            ring(&[
                (0.0, 0.0),
                (100.0, 0.0),
                (100.0, 100.0),
                (0.0, 100.0),
                (0.0, 0.0),
            ]),
            vec![
                ring(&[
                    (10.0, 10.0),
                    (30.0, 10.0),
                    (30.0, 30.0),
                    (10.0, 30.0),
                    (10.0, 10.0),
                ]),
                // 6 m long, 1 mm wide: one position apart at 7 decimals.
                ring(&[(50.0, 50.0), (56.0, 50.0), (56.0, 50.001), (50.0, 50.0)]),
            ],
        )]);
        let written = multipolygon_json(&boundary, &projection);
        let rings = written["coordinates"]
            .as_array()
            .expect("a polygon's rings");
        assert_eq!(
            rings.len(),
            2,
            "the outer ring and the real hole: {written}"
        );
    }
}
