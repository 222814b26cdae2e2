//! Esri JSON FeatureSets, as ArcGIS REST services and many city platforms export them: features
//! of `attributes` and a `geometry` of `rings` or `paths`, or of `curveRings` / `curvePaths`
//! whose circular arcs (`{"c": [end, interior]}`) are densified here to at most 0.1 m of chord
//! error, so that a curved boundary is never dropped. The `spatialReference` (by `latestWkid`,
//! `wkid` or `wkt`) says the system. Rings are Esri's: clockwise outer rings, counter-clockwise
//! holes, each hole given to the outer ring that holds it.

use std::path::Path;

use geo::{Contains, Coord, LineString, MultiLineString, MultiPolygon, Polygon};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::io::geojson::{RawFeature, lines_of, polygons_of, start_of_file, value_of_member_at};

/// The largest chord error an arc is densified to, metres.
const CHORD_ERROR_METRES: f64 = 0.1;

/// True when the start of the file at `path` is an Esri JSON FeatureSet rather than GeoJSON.
pub fn is_esri_json(path: &Path) -> bool {
    let is_json = path.extension().is_some_and(|extension| {
        extension.eq_ignore_ascii_case("json") || extension.eq_ignore_ascii_case("geojson")
    });
    let Some(text) = is_json.then(|| start_of_file(path)).flatten() else {
        return false;
    };
    let esri_geometry = ["\"rings\"", "\"paths\"", "\"curveRings\"", "\"curvePaths\""]
        .iter()
        .any(|member| text.contains(member));
    !text.contains("\"FeatureCollection\"")
        && (text.contains("\"geometryType\"") || (text.contains("\"attributes\"") && esri_geometry))
}

/// The system the Esri JSON at `path` declares in its first `spatialReference`, as text.
pub fn declared_system(path: &Path) -> Option<String> {
    let text = start_of_file(path)?;
    let member = text.find("\"spatialReference\"")?;
    system_of(&value_of_member_at(&text, member)?)
}

/// An Esri JSON layer as read.
#[derive(Debug, Clone, PartialEq)]
pub struct EsriLayer {
    /// Its features, positions in its own system.
    pub features: Vec<RawFeature>,
    /// Its system as text `Crs::parse` takes (`EPSG:4490`, a WKT), if it gives one.
    pub system: Option<String>,
    /// Features with circular arcs, densified.
    pub curved_features: usize,
    /// Features with elliptic or Bézier curves, which are read as their end points only.
    pub approximated_features: usize,
}

fn refused(path: &Path, problem: impl std::fmt::Display) -> Error {
    Error::Layer {
        path: path.to_path_buf(),
        problem: format!("{problem}. Export the layer again (Esri JSON or GeoJSON)."),
    }
}

/// The system a `spatialReference` names.
fn system_of(reference: &Value) -> Option<String> {
    let code = reference
        .get("latestWkid")
        .or_else(|| reference.get("wkid"))
        .and_then(Value::as_u64);
    match code {
        // Esri's own number for Web Mercator.
        Some(102_100 | 102_113 | 3857) => Some("EPSG:3857".to_owned()),
        Some(code) => Some(format!("EPSG:{code}")),
        None => reference
            .get("wkt")
            .and_then(Value::as_str)
            .map(str::to_owned),
    }
}

/// The centre of the circle through three points, or `None` when they are in a line.
fn circle_centre(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> Option<Coord<f64>> {
    let determinant = 2.0 * (a.x * (b.y - c.y) + b.x * (c.y - a.y) + c.x * (a.y - b.y));
    if determinant.abs() < 1e-12 {
        return None;
    }
    let (a2, b2, c2) = (
        a.x * a.x + a.y * a.y,
        b.x * b.x + b.y * b.y,
        c.x * c.x + c.y * c.y,
    );
    Some(Coord {
        x: (a2 * (b.y - c.y) + b2 * (c.y - a.y) + c2 * (a.y - b.y)) / determinant,
        y: (a2 * (c.x - b.x) + b2 * (a.x - c.x) + c2 * (b.x - a.x)) / determinant,
    })
}

/// The points after `start` along the circular arc through `interior` to `end`, close enough
/// that no chord strays more than `tolerance` (in the coordinates' units) from the arc.
fn arc_points(
    start: Coord<f64>,
    interior: Coord<f64>,
    end: Coord<f64>,
    tolerance: f64,
) -> Vec<Coord<f64>> {
    let Some(centre) = circle_centre(start, interior, end) else {
        return vec![end];
    };
    let radius = (start.x - centre.x).hypot(start.y - centre.y);
    let angle = |point: Coord<f64>| (point.y - centre.y).atan2(point.x - centre.x);
    let tau = std::f64::consts::TAU;
    let (from, through, to) = (angle(start), angle(interior), angle(end));
    // Counter-clockwise sweeps from `from`; the arc goes the way that passes the interior.
    let counter_clockwise = |target: f64| (target - from).rem_euclid(tau);
    let sweep = if counter_clockwise(through) <= counter_clockwise(to) {
        counter_clockwise(to)
    } else {
        counter_clockwise(to) - tau
    };
    let sweep = if sweep == 0.0 && start != end {
        tau
    } else {
        sweep
    };
    // A chord of angle φ strays r(1 − cos(φ/2)) from its arc.
    let most_angle = if tolerance >= radius {
        std::f64::consts::PI
    } else {
        2.0 * (1.0 - tolerance / radius).acos()
    };
    let steps = ((sweep.abs() / most_angle).ceil() as usize).clamp(1, 10_000);
    (1..=steps)
        .map(|step| {
            if step == steps {
                end
            } else {
                let at = from + sweep * step as f64 / steps as f64;
                Coord {
                    x: centre.x + radius * at.cos(),
                    y: centre.y + radius * at.sin(),
                }
            }
        })
        .collect()
}

/// The curve flags of one ring or path read.
#[derive(Default)]
struct Curves {
    circular: bool,
    other: bool,
}

fn position(value: &Value) -> Option<Coord<f64>> {
    let items = value.as_array()?;
    Some(Coord {
        x: items.first()?.as_f64()?,
        y: items.get(1)?.as_f64()?,
    })
}

/// One ring or path: plain positions, or (in `curveRings`/`curvePaths`) arcs after them.
fn part(values: &Value, tolerance: f64, curves: &mut Curves) -> Option<Vec<Coord<f64>>> {
    let mut points: Vec<Coord<f64>> = Vec::new();
    for value in values.as_array()? {
        if let Some(point) = position(value) {
            points.push(point);
            continue;
        }
        let segment = value.as_object()?;
        let previous = *points.last()?;
        if let Some(arc) = segment.get("c").and_then(Value::as_array) {
            let (end, interior) = (position(arc.first()?)?, position(arc.get(1)?)?);
            curves.circular = true;
            points.extend(arc_points(previous, interior, end, tolerance));
        } else {
            // An elliptic arc ("a") or a Bézier curve ("b"): its end point.
            let end = segment
                .get("a")
                .or_else(|| segment.get("b"))
                .and_then(Value::as_array)
                .and_then(|curve| position(curve.first()?))?;
            curves.other = true;
            points.push(end);
        }
    }
    Some(points)
}

fn signed_area(ring: &[Coord<f64>]) -> f64 {
    ring.windows(2)
        .map(|pair| pair[0].x * pair[1].y - pair[1].x * pair[0].y)
        .sum::<f64>()
        / 2.0
}

/// Esri rings as polygons: clockwise rings are outer rings, the others holes of the outer ring
/// that holds them.
fn polygons(rings: Vec<Vec<Coord<f64>>>) -> MultiPolygon<f64> {
    let (outers, holes): (Vec<_>, Vec<_>) =
        rings.into_iter().partition(|ring| signed_area(ring) <= 0.0);
    let mut polygons: Vec<Polygon<f64>> = outers
        .into_iter()
        .map(|ring| Polygon::new(LineString::new(ring), vec![]))
        .collect();
    for hole in holes {
        let inside = hole.first().and_then(|first| {
            polygons
                .iter()
                .position(|polygon| polygon.contains(&geo::Point::from(*first)))
        });
        match inside {
            Some(index) => polygons[index].interiors_push(LineString::new(hole)),
            // A counter-clockwise ring alone is an outer ring written the other way round.
            None => polygons.push(Polygon::new(LineString::new(hole), vec![])),
        }
    }
    MultiPolygon::new(polygons)
}

/// Reads the first `most` features of the Esri JSON FeatureSet at `path`; arcs are densified to
/// 0.1 m, in degrees for a geographic system (0.1 m ≈ 0.1 / 111,320°).
pub fn read_esri_json(path: &Path, most: usize) -> Result<EsriLayer> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let set: Value = serde_json::from_slice(&bytes).map_err(|error| refused(path, error))?;
    let system = set.get("spatialReference").and_then(system_of);
    let geographic = system.as_deref().is_some_and(|system| {
        matches!(
            system,
            "EPSG:4326" | "EPSG:4490" | "EPSG:4610" | "EPSG:4214"
        )
    });
    let tolerance = if geographic {
        CHORD_ERROR_METRES / 111_320.0
    } else {
        CHORD_ERROR_METRES
    };
    let features = set
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| refused(path, "an Esri JSON FeatureSet needs a \"features\" array"))?;
    let mut layer = EsriLayer {
        features: Vec::new(),
        system,
        curved_features: 0,
        approximated_features: 0,
    };
    for (index, feature) in features.iter().take(most).enumerate() {
        let properties: Map<String, Value> = feature
            .get("attributes")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut curves = Curves::default();
        let geometry = feature
            .get("geometry")
            .filter(|geometry| !geometry.is_null());
        let read = |member: &str, curves: &mut Curves| -> Option<Result<Vec<Vec<Coord<f64>>>>> {
            let parts = geometry?.get(member)?.as_array()?;
            Some(
                parts
                    .iter()
                    .map(|values| part(values, tolerance, curves))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| {
                        refused(
                            path,
                            format!("feature {index}: its \"{member}\" cannot be read"),
                        )
                    }),
            )
        };
        let geometry = if let Some(rings) =
            read("curveRings", &mut curves).or_else(|| read("rings", &mut curves))
        {
            Some(polygons_of(polygons(rings?)))
        } else if let Some(paths) =
            read("curvePaths", &mut curves).or_else(|| read("paths", &mut curves))
        {
            Some(lines_of(MultiLineString::new(
                paths?.into_iter().map(LineString::new).collect(),
            )))
        } else {
            geometry
                .and_then(|geometry| {
                    Some((geometry.get("x")?.as_f64()?, geometry.get("y")?.as_f64()?))
                })
                .map(|(x, y)| crate::io::geojson::RawGeometry::Point {
                    coordinates: crate::io::geojson::Position {
                        longitude: x,
                        latitude: y,
                    },
                })
        };
        layer.curved_features += usize::from(curves.circular);
        layer.approximated_features += usize::from(curves.other);
        layer.features.push(RawFeature {
            id: None,
            geometry,
            properties,
        });
    }
    Ok(layer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_half_circle_is_densified_within_a_tenth_of_a_metre() {
        let points = arc_points(
            Coord { x: -100.0, y: 0.0 },
            Coord { x: 0.0, y: 100.0 },
            Coord { x: 100.0, y: 0.0 },
            0.1,
        );
        // Every point is on the circle, and every chord's middle within 0.1 m of it.
        let mut previous = Coord { x: -100.0, y: 0.0 };
        for point in &points {
            assert!((point.x.hypot(point.y) - 100.0).abs() < 1e-9);
            let middle = Coord {
                x: (previous.x + point.x) / 2.0,
                y: (previous.y + point.y) / 2.0,
            };
            assert!(100.0 - middle.x.hypot(middle.y) <= 0.1 + 1e-9);
            assert!(middle.y >= 0.0, "the arc passes the interior point, above");
            previous = *point;
        }
        assert_eq!(points.last(), Some(&Coord { x: 100.0, y: 0.0 }));
        assert!(points.len() > 20, "{}", points.len());
    }

    #[test]
    fn a_hole_goes_to_the_outer_ring_that_holds_it() {
        let square = |size: f64, clockwise: bool| {
            let mut ring = vec![
                Coord { x: -size, y: -size },
                Coord { x: -size, y: size },
                Coord { x: size, y: size },
                Coord { x: size, y: -size },
                Coord { x: -size, y: -size },
            ];
            if !clockwise {
                ring.reverse();
            }
            ring
        };
        let shapes = polygons(vec![square(10.0, true), square(2.0, false)]);
        assert_eq!(shapes.0.len(), 1);
        assert_eq!(shapes.0[0].interiors().len(), 1);
    }
}
