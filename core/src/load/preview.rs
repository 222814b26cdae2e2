//! A look at the first features of a buildings layer before a plan is made from it: which
//! property each building field is read from (by default or as the planner mapped it), example
//! values, and how many buildings' households come from the data and how many will be estimated.
//! The sample is read once; changing the mapping recomputes the preview from it without touching
//! the file again.

use std::ops::ControlFlow;
use std::path::Path;

use crate::attributes::{Field, FieldMapping, text_of};
use crate::error::Result;
use crate::io::geojson::{
    DEFAULT_MAX_FILE_BYTES, RawFeature, features_to_wgs84, stream_feature_collection,
};
use crate::io::geometry_in::LayerCentre;
use crate::io::shapefile::{EncodingSource, is_shapefile};
use crate::layers::FigureSource;
use crate::load::building::{BuildingOutcome, building_from_feature};
use crate::load::buildings::no_use_warning;
use crate::load::source::{LayerReading, read_whole_layer, system_of};
use crate::profile::RuleProfile;
use crate::projection::LocalProjection;

/// The building fields a preview shows, in the order a planner checks them: those the counts
/// depend on, then the name and the id.
pub fn previewed_fields() -> impl Iterator<Item = Field> {
    crate::load::buildings::BUILDING_FIELDS
        .into_iter()
        .chain([Field::Name, Field::Id])
}

/// The first features of a buildings layer.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildingsSample {
    features: Vec<RawFeature>,
    /// True when the sample is the whole layer.
    pub whole_layer: bool,
    /// Every property name in the sample, in the order first seen.
    pub property_names: Vec<String>,
    /// The layer's coordinate system (given, or from its `.prj` or `crs` member); `None`: WGS 84.
    pub system: Option<String>,
    /// A Shapefile's text encoding and where it came from.
    pub encoding: Option<(&'static str, EncodingSource)>,
    /// A Shapefile's first non-ASCII text values as stored, read as UTF-8 and as GB18030:
    /// `(field, as UTF-8, as GB18030)`, so that a planner sees which reading is right.
    pub text_samples: Vec<(String, String, String)>,
}

/// Where one field is read from in the sample.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPreview {
    /// The field.
    pub field: Field,
    /// The property it is read from (the mapped one, else the first default source present).
    pub source: Option<String>,
    /// True when the planner mapped it (rather than a default name matching).
    pub mapped: bool,
    /// How many sampled features have a value for it.
    pub present: usize,
    /// Up to three distinct example values.
    pub examples: Vec<String>,
}

/// What a mapping makes of the sample.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildingsPreview {
    /// Features in the sample.
    pub features: usize,
    /// True when the sample is the whole layer.
    pub whole_layer: bool,
    /// One row per building field.
    pub fields: Vec<FieldPreview>,
    /// Buildings kept (the others have no usable footprint).
    pub buildings: usize,
    /// Buildings people live in.
    pub residential: usize,
    /// Residential buildings whose households are in the data, and their households.
    pub from_data: (usize, u64),
    /// Residential buildings whose households will be estimated, and the estimate.
    pub estimated: (usize, u64),
    /// Buildings with neither a use nor a household count (they count as no homes).
    pub without_use: usize,
    /// What loading will warn of when most buildings have neither, and what to do.
    pub no_use_warning: Option<String>,
}

impl BuildingsSample {
    /// Reads up to `count` features from the start of the layer at `path` (the rest of the file
    /// is not parsed), in its system and encoding as `reading` gives them or the file says.
    pub fn read(path: &Path, reading: &LayerReading<'_>, count: usize) -> Result<Self> {
        let count = count.max(1);
        let mut features = Vec::new();
        let mut broke_off = false;
        let mut encoding = None;
        let mut text_samples = Vec::new();
        if let Some(layer) = read_whole_layer(path, reading.encoding, count)? {
            broke_off = layer.features.len() == count;
            features = layer.features;
            encoding = layer.encoding;
            if is_shapefile(path) {
                text_samples = crate::io::shapefile::text_samples(path, 3)?;
            }
        } else {
            stream_feature_collection(path, DEFAULT_MAX_FILE_BYTES, count, &mut |_, chunk| {
                features = chunk;
                // A full first chunk may have more after it; stop either way.
                broke_off = features.len() == count;
                Ok(ControlFlow::Break(()))
            })?;
        }
        let system = system_of(path, reading.crs)?;
        if let Some(crs) = &system {
            features_to_wgs84(&mut features, crs);
        }
        let mut property_names: Vec<String> = Vec::new();
        for feature in &features {
            for key in feature.properties.keys() {
                if !property_names.contains(key) {
                    property_names.push(key.clone());
                }
            }
        }
        Ok(Self {
            features,
            whole_layer: !broke_off,
            property_names,
            system: system.map(|crs| crs.name().to_owned()),
            encoding,
            text_samples,
        })
    }

    /// How many features were read.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// True when the layer has no features.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// What `mapping` and `profile` make of the sample.
    pub fn preview(&self, mapping: &FieldMapping, profile: &RuleProfile) -> BuildingsPreview {
        let fields = previewed_fields()
            .map(|field| self.field_preview(field, mapping))
            .collect();
        // Centred as loading will centre it, so that a stray first feature moves nothing.
        let mut centre = LayerCentre::default();
        for feature in &self.features {
            centre.begin_feature();
            if let Some(geometry) = &feature.geometry {
                geometry.for_each_position(&mut |position| centre.add(position));
            }
        }
        let (longitude, latitude) = centre.centre().unwrap_or((0.0, 0.0));
        let projection = LocalProjection::centred_on(longitude, latitude);
        let mut preview = BuildingsPreview {
            features: self.features.len(),
            whole_layer: self.whole_layer,
            fields,
            buildings: 0,
            residential: 0,
            from_data: (0, 0),
            estimated: (0, 0),
            without_use: 0,
            no_use_warning: None,
        };
        for (index, feature) in self.features.iter().enumerate() {
            let BuildingOutcome::Kept(building, _) =
                building_from_feature(feature, index, &projection, mapping, profile)
            else {
                continue;
            };
            preview.buildings += 1;
            if !building.residential {
                preview.without_use += usize::from(building.building_use.is_none());
                continue;
            }
            preview.residential += 1;
            let tally = match building.households_source {
                FigureSource::Data => &mut preview.from_data,
                FigureSource::Estimate => &mut preview.estimated,
            };
            tally.0 += 1;
            tally.1 += u64::from(building.households);
        }
        preview.no_use_warning = no_use_warning(preview.without_use, preview.buildings, mapping)
            .map(|(problem, advice)| {
                format!(
                    "{} buildings {}. {}",
                    crate::format::grouped(preview.without_use as u64),
                    problem.english,
                    advice.english
                )
            });
        preview
    }

    fn field_preview(&self, field: Field, mapping: &FieldMapping) -> FieldPreview {
        let mapped = mapping.override_for(field).map(str::to_owned);
        let source = mapped.clone().or_else(|| {
            self.features.iter().find_map(|feature| {
                mapping
                    .source_key(&feature.properties, field)
                    .map(str::to_owned)
            })
        });
        let mut present = 0;
        let mut examples: Vec<String> = Vec::new();
        if let Some(source) = &source {
            for feature in &self.features {
                let Some(value) = feature
                    .properties
                    .get(source)
                    .filter(|value| !value.is_null())
                else {
                    continue;
                };
                present += 1;
                let text = text_of(value).unwrap_or_else(|| value.to_string());
                if examples.len() < 3 && !examples.contains(&text) {
                    examples.push(text);
                }
            }
        }
        FieldPreview {
            field,
            source,
            mapped: mapped.is_some(),
            present,
            examples,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(features: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("buildings.geojson");
        std::fs::write(
            &path,
            format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#),
        )
        .expect("write");
        (folder, path)
    }

    fn square(properties: &str) -> String {
        format!(
            r#"{{"type":"Feature","properties":{properties},"geometry":{{"type":"Polygon","coordinates":[[[115.9,28.68],[115.9002,28.68],[115.9002,28.6802],[115.9,28.6802],[115.9,28.68]]]}}}}"#
        )
    }

    #[test]
    fn the_preview_counts_households_from_the_data_and_the_estimated_ones() {
        let features = [
            square(r#"{"HH": 40, "building": "residential"}"#),
            square(r#"{"HH": 12, "building": "residential"}"#),
            square(r#"{"building": "residential", "levels": 6}"#),
        ]
        .join(",");
        let (_folder, path) = layer(&features);
        let sample = BuildingsSample::read(&path, &LayerReading::default(), 100).expect("reads");
        assert!(sample.whole_layer);
        assert_eq!(sample.property_names, ["HH", "building", "levels"]);
        let profile = RuleProfile::default();

        // By default no households field is found: all three are estimated.
        let unmapped = sample.preview(&FieldMapping::default(), &profile);
        assert_eq!(unmapped.estimated.0, 3);
        assert_eq!(unmapped.fields[0].source, None);

        let mut mapping = FieldMapping::default();
        mapping.set_source(Field::Households, Some("HH"));
        let mapped = sample.preview(&mapping, &profile);
        assert_eq!(mapped.from_data, (2, 52));
        assert_eq!(mapped.estimated.0, 1);
        let households = &mapped.fields[0];
        assert_eq!(households.source.as_deref(), Some("HH"));
        assert!(households.mapped);
        assert_eq!(
            (households.present, households.examples.clone()),
            (2, vec!["40".to_owned(), "12".to_owned()])
        );
        let usage = mapped
            .fields
            .iter()
            .find(|field| field.field == Field::Use)
            .expect("use row");
        assert_eq!(
            usage.source.as_deref(),
            Some("building"),
            "found by its default name"
        );
        assert!(!usage.mapped);
    }

    #[test]
    fn a_sample_stops_after_the_features_asked_for() {
        let features = vec![square(r#"{"households": 5}"#); 10].join(",");
        let (_folder, path) = layer(&features);
        let sample = BuildingsSample::read(&path, &LayerReading::default(), 4).expect("reads");
        assert_eq!(sample.len(), 4);
        assert!(!sample.whole_layer);
    }
}
