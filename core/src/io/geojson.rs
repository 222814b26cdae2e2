//! Typed GeoJSON reading: the file is parsed straight into feature structs whose geometry is
//! already positions, with no `serde_json::Value` tree for coordinates. Properties stay a JSON
//! map because their keys are the user's.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{Error, Result};

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

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct PositionVisitor;
        impl<'de> Visitor<'de> for PositionVisitor {
            type Value = Position;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a position [longitude, latitude]")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut sequence: A,
            ) -> std::result::Result<Position, A::Error> {
                let longitude: f64 = sequence.next_element()?.ok_or_else(|| {
                    de::Error::custom("a position needs a longitude and a latitude")
                })?;
                let latitude: f64 = sequence.next_element()?.ok_or_else(|| {
                    de::Error::custom("a position needs a longitude and a latitude")
                })?;
                while sequence.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Position {
                    longitude,
                    latitude,
                })
            }
        }
        deserializer.deserialize_seq(PositionVisitor)
    }
}

/// A GeoJSON geometry as read.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type")]
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

/// One feature as read.
#[derive(Debug, Clone, Deserialize)]
pub struct RawFeature {
    /// The feature-level id, if any.
    #[serde(default)]
    pub id: Option<Value>,
    /// The geometry; `null` is allowed by RFC 7946.
    #[serde(default)]
    pub geometry: Option<RawGeometry>,
    /// The properties; `null` reads as empty.
    #[serde(default, deserialize_with = "properties_or_empty")]
    pub properties: Map<String, Value>,
}

fn properties_or_empty<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Map<String, Value>, D::Error> {
    Ok(Option::<Map<String, Value>>::deserialize(deserializer)?.unwrap_or_default())
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

/// Reads a FeatureCollection from `path`, refusing files over `max_file_bytes`.
pub fn read_feature_collection(path: &Path, max_file_bytes: u64) -> Result<RawCollection> {
    let metadata = std::fs::metadata(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if metadata.len() > max_file_bytes {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size_bytes: metadata.len(),
            limit_bytes: max_file_bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_feature_collection(&bytes, path)
}

/// Parses a FeatureCollection from bytes; `path` names it in errors.
pub fn parse_feature_collection(bytes: &[u8], path: &Path) -> Result<RawCollection> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    let first = bytes
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .copied();
    if first != Some(b'{') {
        return Err(Error::NotFeatureCollection {
            path: path.to_path_buf(),
            found: match first {
                Some(b'[') => "a JSON array".to_owned(),
                _ => "not a JSON object".to_owned(),
            },
        });
    }
    let shape: CollectionShape =
        serde_json::from_slice(bytes).map_err(|error| malformed(path, &error))?;
    match (shape.kind.as_deref(), shape.features) {
        (Some("FeatureCollection"), Some(features)) => {
            let mut foreign_members = shape.foreign_members;
            foreign_members.remove("type");
            Ok(RawCollection {
                features,
                foreign_members,
            })
        }
        (Some("FeatureCollection"), None) => Err(Error::NotFeatureCollection {
            path: path.to_path_buf(),
            found: "a FeatureCollection without \"features\"".to_owned(),
        }),
        (Some(other), _) => Err(Error::NotFeatureCollection {
            path: path.to_path_buf(),
            found: format!("a {other}"),
        }),
        (None, _) => Err(Error::NotFeatureCollection {
            path: path.to_path_buf(),
            found: "an object without \"type\"".to_owned(),
        }),
    }
}

fn malformed(path: &Path, error: &serde_json::Error) -> Error {
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
    id_value
        .or(feature.id.as_ref())
        .and_then(crate::attributes::text_of)
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
    fn an_empty_file_is_named_as_empty() {
        assert!(matches!(parse("  \n"), Err(Error::EmptyFile { .. })));
    }

    #[test]
    fn a_single_feature_is_not_a_collection() {
        let error = parse(r#"{"type":"Feature","properties":{},"geometry":null}"#)
            .expect_err("not a collection");
        assert!(error.to_string().contains("a Feature"), "{error}");
    }
}
