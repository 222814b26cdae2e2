//! The area a partition is limited to (`--area AREA.geojson`): the polygons of a GeoJSON file
//! in longitude/latitude (a FeatureCollection, a Feature or a bare geometry), in the plan's
//! metres.

use std::path::{Path, PathBuf};

use geo::MultiPolygon;
use serde_json::Value;

use crate::io::geojson::RawGeometry;
use crate::io::geometry_in::polygons_in_metres;
use crate::projection::LocalProjection;

/// Why an area file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AreaError {
    /// The file could not be read.
    #[error("{path}: cannot be read ({reason}); give a GeoJSON file of polygons")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file is not GeoJSON.
    #[error("{path}: not GeoJSON ({reason}); give a GeoJSON file of polygons")]
    NotGeoJson {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A feature's geometry cannot be used.
    #[error("{path}: feature {feature}: {problem}")]
    BadFeature {
        /// The file.
        path: PathBuf,
        /// The feature's number (from 1).
        feature: usize,
        /// What is wrong and what to do.
        problem: String,
    },
    /// No polygon in the file.
    #[error("{path}: has no Polygon or MultiPolygon; draw the area as a polygon")]
    NoPolygon {
        /// The file.
        path: PathBuf,
    },
}

/// The polygons of the GeoJSON file at `path`, in the metres of `projection`.
pub fn read_area(
    path: &Path,
    projection: &LocalProjection,
) -> Result<MultiPolygon<f64>, AreaError> {
    let text = std::fs::read_to_string(path).map_err(|error| AreaError::Unreadable {
        path: path.to_path_buf(),
        reason: error.to_string(),
    })?;
    let value: Value = serde_json::from_str(&text).map_err(|error| AreaError::NotGeoJson {
        path: path.to_path_buf(),
        reason: error.to_string(),
    })?;
    let geometries: Vec<Value> = match value.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => value
            .get("features")
            .and_then(Value::as_array)
            .map(|features| {
                features
                    .iter()
                    .map(|feature| feature.get("geometry").cloned().unwrap_or(Value::Null))
                    .collect()
            })
            .unwrap_or_default(),
        Some("Feature") => vec![value.get("geometry").cloned().unwrap_or(Value::Null)],
        Some(_) => vec![value],
        None => {
            return Err(AreaError::NotGeoJson {
                path: path.to_path_buf(),
                reason: "no \"type\" member".to_owned(),
            });
        }
    };
    let mut polygons = Vec::new();
    for (index, geometry) in geometries.into_iter().enumerate() {
        let bad = |problem: String| AreaError::BadFeature {
            path: path.to_path_buf(),
            feature: index + 1,
            problem,
        };
        if geometry.is_null() {
            continue;
        }
        let raw: RawGeometry =
            serde_json::from_value(geometry).map_err(|error| bad(error.to_string()))?;
        if !matches!(
            raw,
            RawGeometry::Polygon { .. } | RawGeometry::MultiPolygon { .. }
        ) {
            continue;
        }
        let converted = polygons_in_metres(Some(&raw), projection)
            .map_err(|problem| bad(problem.describe_one()))?;
        polygons.extend(converted.polygons.0);
    }
    if polygons.is_empty() {
        return Err(AreaError::NoPolygon {
            path: path.to_path_buf(),
        });
    }
    Ok(MultiPolygon::new(polygons))
}
