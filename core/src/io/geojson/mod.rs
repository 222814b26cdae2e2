//! Typed GeoJSON reading: the file is parsed straight into feature structs whose geometry is
//! already positions, with no `serde_json::Value` tree for coordinates. Properties stay a JSON
//! map because their keys are the user's.

use std::path::Path;

use serde::Deserialize;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::io::encoding::file_encoding_problem;
use crate::io::paths::regular_file_size;

mod stream;

pub use stream::stream_feature_collection;

/// The largest layer file read unless the caller says otherwise: 4 GiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 4 << 30;

/// A longitude/latitude position (any third value, an altitude, is dropped).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    /// Longitude in degrees.
    pub longitude: f64,
    /// Latitude in degrees.
    pub latitude: f64,
}

/// A GeoJSON geometry as read (through the `geojson` crate).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "geojson::Geometry")]
pub enum RawGeometry {
    /// A point.
    Point {
        /// Its position.
        coordinates: Position,
    },
    /// Several points.
    MultiPoint {
        /// Their positions.
        coordinates: Vec<Position>,
    },
    /// A line.
    LineString {
        /// Its positions.
        coordinates: Vec<Position>,
    },
    /// Several lines.
    MultiLineString {
        /// Their positions.
        coordinates: Vec<Vec<Position>>,
    },
    /// A polygon: outer ring, then holes.
    Polygon {
        /// Its rings.
        coordinates: Vec<Vec<Position>>,
    },
    /// Several polygons.
    MultiPolygon {
        /// Their rings.
        coordinates: Vec<Vec<Vec<Position>>>,
    },
    /// A collection of geometries.
    GeometryCollection {
        /// The members.
        geometries: Vec<RawGeometry>,
    },
}

impl RawGeometry {
    /// The GeoJSON type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            RawGeometry::Point { .. } => "Point",
            RawGeometry::MultiPoint { .. } => "MultiPoint",
            RawGeometry::LineString { .. } => "LineString",
            RawGeometry::MultiLineString { .. } => "MultiLineString",
            RawGeometry::Polygon { .. } => "Polygon",
            RawGeometry::MultiPolygon { .. } => "MultiPolygon",
            RawGeometry::GeometryCollection { .. } => "GeometryCollection",
        }
    }

    /// Changes every position with `change`.
    pub fn change_positions(&mut self, change: &mut impl FnMut(&mut Position)) {
        match self {
            RawGeometry::Point { coordinates } => change(coordinates),
            RawGeometry::MultiPoint { coordinates } | RawGeometry::LineString { coordinates } => {
                coordinates.iter_mut().for_each(change)
            }
            RawGeometry::MultiLineString { coordinates } | RawGeometry::Polygon { coordinates } => {
                coordinates.iter_mut().flatten().for_each(change)
            }
            RawGeometry::MultiPolygon { coordinates } => {
                coordinates.iter_mut().flatten().flatten().for_each(change)
            }
            RawGeometry::GeometryCollection { geometries } => {
                for geometry in geometries {
                    geometry.change_positions(change);
                }
            }
        }
    }

    /// Calls `visit` with every position.
    pub fn for_each_position(&self, visit: &mut impl FnMut(Position)) {
        match self {
            RawGeometry::Point { coordinates } => visit(*coordinates),
            RawGeometry::MultiPoint { coordinates } | RawGeometry::LineString { coordinates } => {
                coordinates.iter().copied().for_each(visit)
            }
            RawGeometry::MultiLineString { coordinates } | RawGeometry::Polygon { coordinates } => {
                coordinates.iter().flatten().copied().for_each(visit)
            }
            RawGeometry::MultiPolygon { coordinates } => coordinates
                .iter()
                .flatten()
                .flatten()
                .copied()
                .for_each(visit),
            RawGeometry::GeometryCollection { geometries } => {
                for geometry in geometries {
                    geometry.for_each_position(visit);
                }
            }
        }
    }
}

/// One feature as read: parsed by the `geojson` crate (which checks the feature's and each
/// geometry's type, and the depth of coordinates for it), then held as positions.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "geojson::Feature")]
pub struct RawFeature {
    /// The feature-level id, if any.
    pub id: Option<Value>,
    /// The geometry; `null` is allowed by RFC 7946.
    pub geometry: Option<RawGeometry>,
    /// The properties; `null` reads as empty.
    pub properties: Map<String, Value>,
}

impl TryFrom<geojson::Feature> for RawFeature {
    type Error = String;

    fn try_from(feature: geojson::Feature) -> std::result::Result<Self, String> {
        Ok(RawFeature {
            id: feature.id.map(|id| match id {
                geojson::feature::Id::String(text) => Value::String(text),
                geojson::feature::Id::Number(number) => Value::Number(number),
            }),
            geometry: feature.geometry.map(RawGeometry::try_from).transpose()?,
            properties: feature.properties.unwrap_or_default(),
        })
    }
}

const POSITION_TOO_SHORT: &str = "a position needs a longitude and a latitude";

fn position(position: geojson::Position) -> std::result::Result<Position, String> {
    match position.as_slice() {
        // Any third value, an altitude, is dropped.
        [longitude, latitude, ..] => Ok(Position {
            longitude: *longitude,
            latitude: *latitude,
        }),
        _ => Err(POSITION_TOO_SHORT.to_owned()),
    }
}

fn positions(list: Vec<geojson::Position>) -> std::result::Result<Vec<Position>, String> {
    list.into_iter().map(position).collect()
}

fn rings(list: Vec<Vec<geojson::Position>>) -> std::result::Result<Vec<Vec<Position>>, String> {
    list.into_iter().map(positions).collect()
}

impl TryFrom<geojson::Geometry> for RawGeometry {
    type Error = String;

    fn try_from(geometry: geojson::Geometry) -> std::result::Result<Self, String> {
        use geojson::GeometryValue as Read;
        Ok(match geometry.value {
            Read::Point { coordinates } => RawGeometry::Point {
                coordinates: position(coordinates)?,
            },
            Read::MultiPoint { coordinates } => RawGeometry::MultiPoint {
                coordinates: positions(coordinates)?,
            },
            Read::LineString { coordinates } => RawGeometry::LineString {
                coordinates: positions(coordinates)?,
            },
            Read::MultiLineString { coordinates } => RawGeometry::MultiLineString {
                coordinates: rings(coordinates)?,
            },
            Read::Polygon { coordinates } => RawGeometry::Polygon {
                coordinates: rings(coordinates)?,
            },
            Read::MultiPolygon { coordinates } => RawGeometry::MultiPolygon {
                coordinates: coordinates
                    .into_iter()
                    .map(rings)
                    .collect::<std::result::Result<_, _>>()?,
            },
            Read::GeometryCollection { geometries } => RawGeometry::GeometryCollection {
                geometries: geometries
                    .into_iter()
                    .map(RawGeometry::try_from)
                    .collect::<std::result::Result<_, _>>()?,
            },
        })
    }
}

impl Position {
    /// This position (in `crs`) as WGS 84 longitude/latitude. One that cannot be (outside the
    /// projection's domain) becomes not-a-number, which the conversion names as not
    /// longitude/latitude.
    pub fn to_wgs84(&mut self, crs: &crate::crs::Crs) {
        (self.longitude, self.latitude) = crs
            .to_wgs84(self.longitude, self.latitude)
            .unwrap_or((f64::NAN, f64::NAN));
    }
}

/// Takes every feature's positions from `crs` to WGS 84 longitude/latitude.
pub fn features_to_wgs84(features: &mut [RawFeature], crs: &crate::crs::Crs) {
    for feature in features {
        if let Some(geometry) = &mut feature.geometry {
            geometry.change_positions(&mut |position| position.to_wgs84(crs));
        }
    }
}

/// The coordinate system a GeoJSON file declares in the legacy (2008) `crs` member near its
/// start — `{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}` — as text
/// [`crate::crs::Crs::parse`] takes (`EPSG:4547`); `None` when it declares none.
pub fn declared_crs(path: &Path) -> Option<String> {
    let text = start_of_file(path)?;
    // The member is near the start, before the features; a "crs" inside a feature's properties
    // would come after `"features"`.
    let member = text.find("\"crs\"")?;
    if text
        .find("\"features\"")
        .is_some_and(|features| features < member)
    {
        return None;
    }
    let value = value_of_member_at(&text, member)?;
    let name = value.pointer("/properties/name")?.as_str()?;
    crs_name_of_urn(name)
}

/// The first 64 KiB of the file at `path` as text, where a JSON layer declares what it is.
pub(crate) fn start_of_file(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut start = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(1 << 16)
        .read_to_end(&mut start)
        .ok()?;
    Some(String::from_utf8_lossy(&start).into_owned())
}

/// The JSON value of the member whose quoted name begins at `member` in `text`.
pub(crate) fn value_of_member_at(text: &str, member: usize) -> Option<Value> {
    let value_start = member + text[member..].find(':')? + 1;
    serde_json::Deserializer::from_str(&text[value_start..])
        .into_iter::<Value>()
        .next()?
        .ok()
}

/// `urn:ogc:def:crs:EPSG::4547`, `urn:ogc:def:crs:OGC:1.3:CRS84`, `EPSG:4547` as `EPSG:4547`
/// or `EPSG:4326`.
fn crs_name_of_urn(name: &str) -> Option<String> {
    let upper = name.trim().to_ascii_uppercase();
    if upper.ends_with("CRS84") {
        return Some("EPSG:4326".to_owned());
    }
    let code = upper.rsplit(':').next()?.trim();
    (upper.contains("EPSG") && code.parse::<u32>().is_ok()).then(|| format!("EPSG:{code}"))
}

/// `geo` coordinates as positions.
pub fn positions_of(coords: impl Iterator<Item = geo::Coord<f64>>) -> Vec<Position> {
    coords
        .map(|coord| Position {
            longitude: coord.x,
            latitude: coord.y,
        })
        .collect()
}

/// A `geo` MultiPolygon as a geometry of positions.
pub fn polygons_of(polygons: geo::MultiPolygon<f64>) -> RawGeometry {
    RawGeometry::MultiPolygon {
        coordinates: polygons
            .into_iter()
            .map(|polygon| {
                let (exterior, interiors) = polygon.into_inner();
                std::iter::once(exterior)
                    .chain(interiors)
                    .map(|ring| positions_of(ring.into_inner().into_iter()))
                    .collect()
            })
            .collect(),
    }
}

/// A `geo` MultiLineString as a geometry of positions.
pub fn lines_of(lines: geo::MultiLineString<f64>) -> RawGeometry {
    RawGeometry::MultiLineString {
        coordinates: lines
            .into_iter()
            .map(|line| positions_of(line.into_inner().into_iter()))
            .collect(),
    }
}

/// A `geo` geometry (as a binary format gives it) as a geometry of positions.
pub fn geometry_of_geo(geometry: geo::Geometry<f64>) -> RawGeometry {
    match geometry {
        geo::Geometry::Point(point) => RawGeometry::Point {
            coordinates: Position {
                longitude: point.x(),
                latitude: point.y(),
            },
        },
        geo::Geometry::MultiPoint(points) => RawGeometry::MultiPoint {
            coordinates: positions_of(points.into_iter().map(|point| point.0)),
        },
        geo::Geometry::Line(line) => RawGeometry::LineString {
            coordinates: positions_of([line.start, line.end].into_iter()),
        },
        geo::Geometry::LineString(line) => RawGeometry::LineString {
            coordinates: positions_of(line.into_inner().into_iter()),
        },
        geo::Geometry::MultiLineString(lines) => lines_of(lines),
        geo::Geometry::Polygon(polygon) => polygons_of(geo::MultiPolygon::new(vec![polygon])),
        geo::Geometry::MultiPolygon(polygons) => polygons_of(polygons),
        geo::Geometry::Rect(rect) => polygons_of(geo::MultiPolygon::new(vec![rect.to_polygon()])),
        geo::Geometry::Triangle(triangle) => {
            polygons_of(geo::MultiPolygon::new(vec![triangle.to_polygon()]))
        }
        geo::Geometry::GeometryCollection(collection) => RawGeometry::GeometryCollection {
            geometries: collection.into_iter().map(geometry_of_geo).collect(),
        },
    }
}

/// A FeatureCollection as read, with its foreign members (such as a plan's `shequ`).
#[derive(Debug, Clone)]
pub struct RawCollection {
    /// The features in file order.
    pub features: Vec<RawFeature>,
    /// Every top-level member other than `type` and `features`, in file order.
    pub foreign_members: Map<String, Value>,
}

#[derive(Deserialize)]
struct CollectionShape {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    features: Option<Vec<RawFeature>>,
    #[serde(flatten)]
    foreign_members: Map<String, Value>,
}

/// The bytes of a layer file, refusing files over `max_file_bytes` before reading them.
fn read_layer_bytes(path: &Path, max_file_bytes: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let size = regular_file_size(path)?;
    let too_large = |size_bytes| Error::TooLarge {
        path: path.to_path_buf(),
        size_bytes,
        limit_bytes: max_file_bytes,
    };
    if size > max_file_bytes {
        return Err(too_large(size));
    }
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    // The limit holds while reading too: a file that grows past it is not read to the end.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    std::fs::File::open(path)
        .map_err(read_error)?
        .take(max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > max_file_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// No attribute needs a longer text than this: a file holding one is refused before serde would
/// copy it into memory (a layer holding a 1 GB text took 22.6 s and 7.2 GB).
pub const MOST_TEXT_BYTES: usize = 16 << 20;

/// The line of the first JSON string longer than `most` bytes, if any (one pass over the bytes,
/// minding escapes).
fn overlong_text_line(bytes: &[u8], most: usize) -> Option<usize> {
    let (mut inside, mut escaped, mut start, mut line, mut start_line) = (false, false, 0, 1, 1);
    for (at, &byte) in bytes.iter().enumerate() {
        if byte == b'\n' {
            line += 1;
        }
        if !inside {
            if byte == b'"' {
                (inside, start, start_line) = (true, at, line);
            }
        } else if escaped {
            escaped = false;
        } else if byte == b'\\' {
            escaped = true;
        } else if byte == b'"' {
            inside = false;
        } else if at - start > most {
            return Some(start_line);
        }
    }
    None
}

/// The JSON text without a byte-order mark, once it is known to be a non-empty JSON object.
fn json_object<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a [u8]> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(line) = overlong_text_line(bytes, MOST_TEXT_BYTES) {
        return Err(Error::Malformed {
            path: path.to_path_buf(),
            line,
            column: 1,
            message: format!(
                "a text value runs on for more than {} MB, more than any attribute needs",
                MOST_TEXT_BYTES >> 20
            ),
        });
    }
    match bytes
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .copied()
    {
        None => Err(Error::EmptyFile {
            path: path.to_path_buf(),
        }),
        Some(b'{') => Ok(bytes),
        Some(_) if let Some(problem) = file_encoding_problem(bytes) => Err(Error::Encoding {
            path: path.to_path_buf(),
            problem,
        }),
        Some(first) => Err(Error::NotFeatureCollection {
            path: path.to_path_buf(),
            found: if first == b'[' {
                "a JSON array".to_owned()
            } else {
                "not a JSON object".to_owned()
            },
        }),
    }
}

/// Checks that an object read as a layer was a FeatureCollection with features.
fn check_collection(kind: Option<&str>, has_features: bool, path: &Path) -> Result<()> {
    let found = match (kind, has_features) {
        (Some("FeatureCollection"), true) => return Ok(()),
        (Some("FeatureCollection"), false) => "a FeatureCollection without \"features\"".to_owned(),
        (Some(other), _) => format!("a {other}"),
        (None, _) => "an object without \"type\"".to_owned(),
    };
    Err(Error::NotFeatureCollection {
        path: path.to_path_buf(),
        found,
    })
}

/// Reads a FeatureCollection from `path`, refusing files over `max_file_bytes`.
pub fn read_feature_collection(path: &Path, max_file_bytes: u64) -> Result<RawCollection> {
    parse_feature_collection(&read_layer_bytes(path, max_file_bytes)?, path)
}

/// Parses a FeatureCollection from bytes; `path` names it in errors.
pub fn parse_feature_collection(bytes: &[u8], path: &Path) -> Result<RawCollection> {
    let bytes = json_object(bytes, path)?;
    let shape: CollectionShape =
        serde_json::from_slice(bytes).map_err(|error| malformed(path, bytes, &error))?;
    check_collection(shape.kind.as_deref(), shape.features.is_some(), path)?;
    let mut foreign_members = shape.foreign_members;
    foreign_members.remove("type");
    Ok(RawCollection {
        features: shape.features.unwrap_or_default(),
        foreign_members,
    })
}

fn malformed(path: &Path, bytes: &[u8], error: &serde_json::Error) -> Error {
    if let Some(problem) = file_encoding_problem(bytes) {
        return Error::Encoding {
            path: path.to_path_buf(),
            problem,
        };
    }
    // serde_json appends " at line L column C" to its message; the error carries them apart.
    let message = error.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(head, _)| head)
        .to_owned();
    Error::Malformed {
        path: path.to_path_buf(),
        line: error.line(),
        column: error.column(),
        message,
    }
}

/// A label for a feature in messages: its id property, feature id, or `-`.
pub fn feature_label(feature: &RawFeature, id_value: Option<&Value>) -> String {
    use crate::attributes::FieldValue;
    label_of(
        id_value.map(FieldValue::Json),
        feature.id.as_ref().map(FieldValue::Json),
    )
}

/// A label for a feature in messages from its id property and its feature-level id.
pub fn label_of(
    id_value: Option<crate::attributes::FieldValue<'_>>,
    feature_id: Option<crate::attributes::FieldValue<'_>>,
) -> String {
    id_value
        .or(feature_id)
        .and_then(crate::attributes::FieldValue::text)
        .unwrap_or_else(|| "-".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<RawCollection> {
        parse_feature_collection(text.as_bytes(), Path::new("test.geojson"))
    }

    #[test]
    fn a_collection_with_a_foreign_member_keeps_it() {
        let collection = parse(
            r#"{"type":"FeatureCollection","shequ":{"format_version":1},"features":[
            {"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[1,2,3]}}]}"#,
        )
        .expect("valid");
        assert_eq!(collection.features.len(), 1);
        assert!(collection.foreign_members.contains_key("shequ"));
        assert_eq!(
            collection.features[0].geometry,
            Some(RawGeometry::Point {
                coordinates: Position {
                    longitude: 1.0,
                    latitude: 2.0
                }
            })
        );
    }

    #[test]
    fn malformed_json_reports_line_and_column() {
        let error =
            parse("{\"type\":\"FeatureCollection\",\n\"features\": [,]}").expect_err("broken");
        match error {
            Error::Malformed { line, column, .. } => assert_eq!((line, column), (2, 14)),
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn geometry_members_are_read_in_any_order_with_altitudes_dropped() {
        let collection = parse(
            r#"{"features":[{"geometry":{"coordinates":[[[1,2,9],[3,4],[5,6],[1,2]]],"bbox":[1,2,5,6],"type":"Polygon"},"type":"Feature","properties":{}}],"type":"FeatureCollection"}"#,
        )
        .expect("valid");
        let position = |longitude, latitude| Position {
            longitude,
            latitude,
        };
        assert_eq!(
            collection.features[0].geometry,
            Some(RawGeometry::Polygon {
                coordinates: vec![vec![
                    position(1.0, 2.0),
                    position(3.0, 4.0),
                    position(5.0, 6.0),
                    position(1.0, 2.0)
                ]]
            })
        );
    }

    #[test]
    fn coordinates_of_the_wrong_depth_for_the_type_are_malformed() {
        let error = parse(r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[1,2]}}]}"#)
            .expect_err("a position is not rings");
        assert!(matches!(error, Error::Malformed { .. }), "{error}");
    }

    #[test]
    fn an_empty_file_is_named_as_empty() {
        assert!(matches!(parse("  \n"), Err(Error::EmptyFile { .. })));
    }

    #[test]
    fn a_single_feature_is_not_a_collection() {
        let error = parse(r#"{"type":"Feature","properties":{},"geometry":null}"#)
            .expect_err("not a collection");
        assert!(error.to_string().contains("a Feature"), "{error}");
    }

    #[test]
    fn a_feature_without_its_type_is_refused_at_its_line_as_rfc_7946_requires() {
        let error = parse(
            "{\"type\":\"FeatureCollection\",\"features\":[\n{\"properties\":{},\"geometry\":null}]}",
        )
        .expect_err("a feature needs its type");
        let message = error.to_string();
        assert!(
            message.contains("line 2") && message.contains("`type`"),
            "{message}"
        );
    }

    #[test]
    fn a_position_of_one_number_is_refused() {
        let error = parse(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[1],[2,3]]}}]}"#,
        )
        .expect_err("a position needs two numbers");
        assert!(
            error.to_string().contains("longitude and a latitude"),
            "{error}"
        );
    }

    #[test]
    fn an_overlong_text_is_found_with_its_line_and_escaped_quotes_do_not_end_it() {
        let text = format!(
            "{{\n\"a\": \"short\",\n\"b\": \"{}\\\"{}\"}}",
            "x".repeat(30),
            "y".repeat(30)
        );
        assert_eq!(overlong_text_line(text.as_bytes(), 40), Some(3));
        assert_eq!(overlong_text_line(text.as_bytes(), 100), None);
    }
}
