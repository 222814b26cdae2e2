//! Reading a streets layer: centrelines in metres (lines, or the rings of road-area polygons).

use std::path::Path;

use rayon::prelude::*;

use crate::attributes::{Field, FieldMapping};
use crate::error::Result;
use crate::io::feature_blocks::{Streamed, read_features_in_parallel};
use crate::io::flat_features::{
    FeatureView, GeometryFamily, ParsedFeatures, PropertySlots, Reading,
};
use crate::io::geojson::RawCollection;
use crate::io::geojson::features_to_wgs84;
use crate::io::geometry_in::{GeometryProblem, flat_lines_in_metres, lines_in_metres};
use crate::io::paths::regular_file_size;
use crate::io::warnings::{LoadWarning, WarningCollector};
use crate::layers::Street;
use crate::load::building::id_value_text;
use crate::load::buildings::not_lon_lat;
use crate::load::source::{LayerReading, read_whole_layer};
use crate::projection::LocalProjection;

/// Street properties read: id, class and name.
const STREET_FIELDS: [Field; 3] = [Field::Id, Field::StreetClass, Field::Name];

/// A streets layer parsed and waiting for the buildings' projection to be converted.
pub enum ParsedStreets {
    /// Parsed flat, in runs from the first feature on.
    Flat {
        /// The runs in file order.
        runs: Vec<ParsedFeatures>,
        /// The properties the runs kept.
        slots: PropertySlots,
    },
    /// Parsed by serde: a file of unusual shape.
    Raw(RawCollection),
}

/// Parses the streets layer at `path` (flat on all cores; an unusual file by serde, which says
/// what is wrong), refusing files over `max_file_bytes`; positions in `crs` are taken to WGS 84.
pub fn parse_streets(
    path: &Path,
    reading: &LayerReading<'_>,
    mapping: &FieldMapping,
    max_file_bytes: u64,
) -> Result<ParsedStreets> {
    let mut parsed = match read_whole_layer(path, reading.encoding, usize::MAX)? {
        Some(layer) => ParsedStreets::Raw(RawCollection {
            features: layer.features,
            foreign_members: serde_json::Map::new(),
        }),
        None => parse_streets_as_given(path, mapping, max_file_bytes)?,
    };
    if let Some(crs) = reading.crs {
        match &mut parsed {
            ParsedStreets::Flat { runs, .. } => runs.iter_mut().for_each(|run| run.to_wgs84(crs)),
            ParsedStreets::Raw(collection) => features_to_wgs84(&mut collection.features, crs),
        }
    }
    Ok(parsed)
}

fn parse_streets_as_given(
    path: &Path,
    mapping: &FieldMapping,
    max_file_bytes: u64,
) -> Result<ParsedStreets> {
    let within_limit = regular_file_size(path)? <= max_file_bytes;
    if within_limit {
        let slots = PropertySlots::new(mapping, STREET_FIELDS);
        let reading = Reading {
            slots: &slots,
            family: GeometryFamily::Lines,
        };
        let mut runs = Vec::new();
        let streamed = read_features_in_parallel(path, reading, &mut |parsed| {
            runs.extend(parsed.into_iter().map(|(_, run)| run));
            Ok(())
        })?;
        if streamed == Streamed::Done {
            return Ok(ParsedStreets::Flat { runs, slots });
        }
    }
    crate::io::geojson::read_feature_collection(path, max_file_bytes).map(ParsedStreets::Raw)
}

/// Converts a parsed streets layer: centrelines in metres.
pub fn streets_from_parsed(
    parsed: &ParsedStreets,
    path: &Path,
    projection: &LocalProjection,
    mapping: &FieldMapping,
) -> Result<(Vec<Street>, Vec<LoadWarning>)> {
    let (runs, slots) = match parsed {
        ParsedStreets::Raw(raw) => return streets_from_collection(raw, path, projection, mapping),
        ParsedStreets::Flat { runs, slots } => (runs, slots),
    };
    let mut first_indices = Vec::with_capacity(runs.len());
    let mut features = 0;
    for run in runs {
        first_indices.push(features);
        features += run.len();
    }
    let converted: Vec<Vec<StreetOutcome>> = runs
        .par_iter()
        .zip(first_indices)
        .map(|(run, first_index)| {
            (0..run.len())
                .map(|offset| {
                    street_from_view(
                        run.view(offset, slots),
                        first_index + offset,
                        projection,
                        mapping,
                    )
                })
                .collect()
        })
        .collect();
    add_streets(converted.into_iter().flatten(), features, path)
}

/// A street, or why its feature was not one (with the feature's id).
type StreetOutcome = std::result::Result<Street, (GeometryProblem, String)>;

fn street_from_view(
    feature: FeatureView<'_>,
    index: usize,
    projection: &LocalProjection,
    mapping: &FieldMapping,
) -> StreetOutcome {
    let source_id = id_value_text(mapping, &feature, index);
    let lines = match feature {
        FeatureView::Raw(raw) => lines_in_metres(raw.geometry.as_ref(), projection),
        FeatureView::Flat { polygons, .. } => flat_lines_in_metres(polygons, projection),
    };
    match lines {
        Ok(lines) => Ok(Street {
            source_id,
            lines,
            class: mapping.text(&feature, Field::StreetClass),
            name: mapping.text(&feature, Field::Name),
        }),
        Err(problem) => Err((problem, source_id)),
    }
}

/// The streets in file order, with what was skipped as warnings; a position that is not
/// longitude/latitude is an error naming the feature.
fn add_streets(
    outcomes: impl Iterator<Item = StreetOutcome>,
    features: usize,
    path: &Path,
) -> Result<(Vec<Street>, Vec<LoadWarning>)> {
    let mut warnings = WarningCollector::new(path);
    let mut streets = Vec::with_capacity(features);
    for (index, outcome) in outcomes.enumerate() {
        match outcome {
            Ok(street) => streets.push(street),
            Err((GeometryProblem::NotLonLat(position), source_id)) => {
                return Err(not_lon_lat(path, index, source_id, position));
            }
            Err((problem, source_id)) => {
                let (sentence, advice) = problem.describe();
                warnings.add(sentence, advice, index, &source_id);
            }
        }
    }
    Ok((streets, warnings.finish()))
}

/// Reads the streets layer: centrelines in metres.
pub fn streets_from_collection(
    raw: &RawCollection,
    path: &Path,
    projection: &LocalProjection,
    mapping: &FieldMapping,
) -> Result<(Vec<Street>, Vec<LoadWarning>)> {
    let outcomes = raw.features.iter().enumerate().map(|(index, feature)| {
        street_from_view(FeatureView::Raw(feature), index, projection, mapping)
    });
    add_streets(outcomes, raw.features.len(), path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streets_read_flat_equal_streets_read_by_serde() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"s1","properties":{"highway":"primary","name":"八一大道"},"geometry":{"type":"LineString","coordinates":[[115.9,28.6],[115.91,28.6],[115.91,28.6]]}},
            {"type":"Feature","properties":{"fclass":"residential","name":"\u6587\u6559\u8def","id":5},"geometry":{"type":"MultiLineString","coordinates":[[[115.9,28.61],[115.91,28.61]],[[115.92,28.61],[115.93,28.62]]]}},
            {"type":"Feature","properties":{"name":"广场"},"geometry":{"type":"Polygon","coordinates":[[[115.9,28.6],[115.901,28.6],[115.901,28.601],[115.9,28.6]]]}},
            {"type":"Feature","properties":{"name":"断头路"},"geometry":{"type":"LineString","coordinates":[[115.9,28.6]]}},
            {"type":"Feature","properties":{},"geometry":null}
        ]}"#;
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("streets.geojson");
        std::fs::write(&path, text).expect("write");
        let mapping = FieldMapping::default();
        let projection = LocalProjection::centred_on(115.9, 28.6);
        let parsed =
            parse_streets(&path, &LayerReading::default(), &mapping, u64::MAX).expect("parses");
        assert!(matches!(parsed, ParsedStreets::Flat { .. }));
        let flat = streets_from_parsed(&parsed, &path, &projection, &mapping).expect("converts");
        let raw = crate::io::geojson::read_feature_collection(&path, u64::MAX).expect("parses");
        let serde = streets_from_collection(&raw, &path, &projection, &mapping).expect("converts");
        assert_eq!(flat, serde);
        assert_eq!(flat.0.len(), 3);
        assert_eq!(flat.0[1].name.as_deref(), Some("文教路"));
        assert_eq!(flat.0[1].lines.0.len(), 2);
    }
}
