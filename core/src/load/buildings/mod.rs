//! Reading a buildings layer: features parsed flat block by block on all cores (or by serde for
//! an unusual file), each converted by [`super::building`], and the layer-wide checks after.

use std::ops::ControlFlow;
use std::path::Path;

use rayon::prelude::*;

use crate::attributes::{Field, FieldMapping, FieldValues};
use crate::error::{Error, Result};
use crate::io::feature_blocks::{Streamed, read_features_in_parallel};
use crate::io::flat_features::{
    FeatureView, GeometryFamily, ParsedFeatures, PropertySlots, Reading,
};
use crate::io::geojson::{Position, RawCollection, label_of};
use crate::io::geometry_in::GeometryProblem;
use crate::io::paths::regular_file_size;
use crate::io::warnings::{LoadWarning, WarningCollector};
use crate::lang::Words;
use crate::layers::{Building, FigureSource, Interner};
use crate::load::source::{LayerReading, read_whole_layer};
use crate::profile::RuleProfile;

mod in_progress;
mod tables;

use in_progress::BuildingsInProgress;

use tables::load_table_buildings;

use super::building::{BuildingNote, BuildingOutcome, building_from_view, id_value_text};
use crate::progress::LoadProgress;
use crate::projection::LocalProjection;

/// Checks that every field the mapping names explicitly is present in at least one feature.
fn check_mapped_fields_exist(
    raw: &RawCollection,
    path: &Path,
    mapping: &FieldMapping,
    fields: &[Field],
) -> Result<()> {
    for field in fields {
        let Some(source) = mapping.override_for(*field) else {
            continue;
        };
        if !raw
            .features
            .iter()
            .any(|feature| feature.properties.contains_key(source))
        {
            let first_keys: Vec<String> = raw
                .features
                .first()
                .map(|feature| feature.properties.keys().cloned().collect())
                .unwrap_or_default();
            return Err(missing_field_error(path, *field, source, &first_keys));
        }
    }
    Ok(())
}

/// Fields of the buildings layer that a mapping may name explicitly.
pub(crate) const BUILDING_FIELDS: [Field; 7] = [
    Field::Households,
    Field::Residents,
    Field::Floors,
    Field::Height,
    Field::Use,
    Field::Estate,
    Field::WorkUnit,
];

/// The properties a building is made from: those a mapping may name, its id and its name.
fn building_slots(mapping: &FieldMapping) -> PropertySlots {
    PropertySlots::new(
        mapping,
        BUILDING_FIELDS.into_iter().chain([Field::Id, Field::Name]),
    )
}

/// What a feature said while it was converted, besides the building it gave.
enum ConversionEvent {
    /// The building at this position of the run's buildings was repaired or estimated.
    Note(BuildingNote, usize),
    /// The feature was skipped; its label.
    Skipped(GeometryProblem, String),
    /// A position is not longitude/latitude: the layer cannot be read. The feature's label.
    NotLonLat(Position, String),
}

/// The buildings of a run of features, and what the features said, by feature index.
struct ConvertedRun {
    buildings: Vec<Building>,
    events: Vec<(usize, ConversionEvent)>,
}

/// Converts `count` features (the first at `first_index`, each given by `feature`) in order.
fn convert_run<'a>(
    count: usize,
    feature: impl Fn(usize) -> FeatureView<'a>,
    first_index: usize,
    projection: &LocalProjection,
    mapping: &FieldMapping,
    profile: &RuleProfile,
) -> ConvertedRun {
    let mut run = ConvertedRun {
        buildings: Vec::with_capacity(count),
        events: Vec::new(),
    };
    let mut uses = Interner::default();
    for offset in 0..count {
        let index = first_index + offset;
        let view = feature(offset);
        match building_from_view(view, index, projection, mapping, profile, &mut uses) {
            BuildingOutcome::Kept(building, notes) => {
                for note in notes {
                    run.events
                        .push((index, ConversionEvent::Note(note, run.buildings.len())));
                }
                run.buildings.push(building);
            }
            BuildingOutcome::Skipped(GeometryProblem::NotLonLat(position)) => {
                let label = label_of(view.field_value(mapping, Field::Id), view.feature_id());
                run.events
                    .push((index, ConversionEvent::NotLonLat(position, label)));
            }
            BuildingOutcome::Skipped(problem) => {
                let label = id_value_text(mapping, &view, index);
                run.events
                    .push((index, ConversionEvent::Skipped(problem, label)));
            }
        }
    }
    run
}

/// The error of a layer whose feature at `index` has a position that is not longitude/latitude.
pub(crate) fn not_lon_lat(
    path: &Path,
    index: usize,
    feature_id: String,
    position: Position,
) -> Error {
    Error::Feature {
        path: path.to_path_buf(),
        feature_index: index,
        feature_id,
        problem: GeometryProblem::NotLonLat(position).describe_one(),
    }
}

/// Adds converted runs to the layer in progress, in order.
fn add_runs(
    runs: Vec<ConvertedRun>,
    path: &Path,
    buildings: &mut Vec<Building>,
    warnings: &mut WarningCollector,
) -> Result<()> {
    runs.into_iter()
        .try_for_each(|run| add_run(run, path, buildings, warnings))
}

/// Adds a converted run to the layer in progress, recording what its features said; a position
/// that is not longitude/latitude is an error naming the feature.
fn add_run(
    mut run: ConvertedRun,
    path: &Path,
    buildings: &mut Vec<Building>,
    warnings: &mut WarningCollector,
) -> Result<()> {
    for (index, event) in run.events {
        match event {
            ConversionEvent::Note(note, building) => {
                let (problem, advice) = note.describe();
                warnings.add(problem, advice, index, &run.buildings[building].source_id);
            }
            ConversionEvent::Skipped(problem, label) => {
                let (sentence, advice) = problem.describe();
                warnings.add(sentence, advice, index, &label);
            }
            ConversionEvent::NotLonLat(position, label) => {
                return Err(not_lon_lat(path, index, label, position));
            }
        }
    }
    buildings.append(&mut run.buildings);
    Ok(())
}

/// The layer-wide checks after every feature was converted.
fn finish_buildings(
    path: &Path,
    mapping: &FieldMapping,
    features: usize,
    buildings: &[Building],
    warnings: &mut WarningCollector,
) -> Result<()> {
    if buildings.is_empty() {
        return Err(Error::Layer {
            path: path.to_path_buf(),
            problem: format!(
                "no usable building footprint among {features} features. The buildings layer needs Polygon or MultiPolygon features in longitude/latitude."
            ),
        });
    }
    let residential = buildings
        .iter()
        .filter(|building| building.residential)
        .count();
    let estimated = buildings
        .iter()
        .filter(|building| {
            building.residential && building.households_source == FigureSource::Estimate
        })
        .count();
    let without_use = buildings
        .iter()
        .filter(|building| building.building_use.is_none() && !building.residential)
        .count();
    if let Some((problem, advice)) = no_use_warning(without_use, buildings.len(), mapping) {
        warnings.add_file_problem(problem, advice, without_use);
    }
    if residential > 0 && estimated == residential {
        let looked_for = match mapping.override_for(Field::Households) {
            Some(source) => source.to_owned(),
            None => Field::Households.default_sources().join(", "),
        };
        warnings.add_file_problem(
            Words::new(
                format!("（全部住宅楼栋）没有户数（查找了 {looked_for}），户数按占地面积 × 层数估算"),
                format!(
                    "(all residential buildings) have no household count (looked for {looked_for}); households were estimated from footprint × floors"
                ),
            ),
            Words::new(
                "如果户数在另一个名称的字段中，请用 --field households=字段名 给出。",
                "If the households are in a field of another name, give it with --field households=NAME.",
            ),
            estimated,
        );
    }
    Ok(())
}

/// The warning for a layer where most buildings have neither a use nor a household count, so
/// that they count as no homes at all: `without` of `total` buildings.
pub fn no_use_warning(
    without: usize,
    total: usize,
    mapping: &FieldMapping,
) -> Option<(Words, Words)> {
    (total > 0 && without * 2 > total).then(|| {
        let total = crate::format::grouped(total as u64);
        let looked_for = match mapping.override_for(Field::Use) {
            Some(source) => source.to_owned(),
            None => Field::Use.default_sources().join(", "),
        };
        (
            Words::new(
                format!("（共 {total} 栋）既没有用途（查找了 {looked_for}）也没有户数，按非住宅计，没有户数"),
                format!(
                    "(of {total} buildings) have no use (looked for {looked_for}) and no household count, so they count as non-residential, with no households"
                ),
            ),
            Words::new(
                "请用 --field use=字段名 对应存放用途的字段；若几乎全是住宅，可用 --unknown-use-residential 把它们计为住宅并估算户数（应用中：从图层新建方案；方案规则中：[estimate] 下 unknown_use_is_residential = true）。",
                "Map the field that holds the use with --field use=NAME, or, where nearly every building is housing, count them as homes with households estimated: --unknown-use-residential (in the app: New plan from layers; in a plan's profile: unknown_use_is_residential = true under [estimate]).",
            ),
        )
    })
}

fn missing_field_error(path: &Path, field: Field, source: &str, first_keys: &[String]) -> Error {
    let mut found: Vec<&str> = first_keys.iter().map(String::as_str).collect();
    found.truncate(20);
    Error::Layer {
        path: path.to_path_buf(),
        problem: format!(
            "the field `{source}` mapped to {} is in no feature. Fields of the first feature: {}. Give the right name with --field {}=NAME.",
            field.key(),
            if found.is_empty() {
                "none".to_owned()
            } else {
                found.join(", ")
            },
            field.key()
        ),
    }
}

/// Reads the buildings layer: footprints in metres, households from data or estimated.
pub fn buildings_from_collection(
    raw: &RawCollection,
    path: &Path,
    projection: &LocalProjection,
    mapping: &FieldMapping,
    profile: &RuleProfile,
) -> Result<(Vec<Building>, Vec<LoadWarning>)> {
    check_mapped_fields_exist(raw, path, mapping, &BUILDING_FIELDS)?;
    let mut warnings = WarningCollector::new(path);
    let mut buildings = Vec::with_capacity(raw.features.len());
    let features = &raw.features;
    let runs: Vec<ConvertedRun> = features
        .par_chunks(CONVERTED_TOGETHER)
        .enumerate()
        .map(|(number, run)| {
            convert_run(
                run.len(),
                |offset| FeatureView::Raw(&run[offset]),
                number * CONVERTED_TOGETHER,
                projection,
                mapping,
                profile,
            )
        })
        .collect();
    add_runs(runs, path, &mut buildings, &mut warnings)?;
    finish_buildings(path, mapping, raw.features.len(), &buildings, &mut warnings)?;
    Ok((buildings, warnings.finish()))
}

/// Features parsed before being converted: bounded, so a large layer is never whole in memory.
/// The first this many features with coordinates fix the projection, whichever reader parsed them.
const STREAM_CHUNK: usize = 16_384;

/// Features converted as one task on one core.
const CONVERTED_TOGETHER: usize = 1_024;

/// Reads the buildings layer from a file block by block (features parsed flat on all cores; an
/// unusual file goes through the serde stream reader instead), converting them on all cores as
/// soon as they are parsed, so neither the file nor the parsed features are ever held whole. The
/// projection is centred on the first [`STREAM_CHUNK`] features' extent, stray features left out
/// (see [`crate::io::geometry_in::LayerCentre`]): a city is far smaller
/// than the distance over which the transverse Mercator's scale error would matter (2.8 × 10⁻⁶
/// at 15 km, 1.1 × 10⁻⁵ at 30 km). Positions in `crs` are taken to WGS 84 as they are parsed.
pub fn load_buildings(
    path: &Path,
    reading: &LayerReading<'_>,
    mapping: &FieldMapping,
    profile: &RuleProfile,
    max_file_bytes: u64,
    progress: &LoadProgress,
) -> Result<LoadedBuildings> {
    let crs = reading.crs;
    if let Some(loaded) = load_table_buildings(path, reading, mapping, profile, progress)? {
        return Ok(loaded);
    }
    if let Some(layer) = read_whole_layer(path, reading.encoding, usize::MAX)? {
        progress.expect_features(layer.features.len() as u64);
        let mut conversion =
            BuildingsInProgress::new(path, crs, mapping, profile, layer.features.len() as u64);
        let mut features = layer.features;
        let mut first = 0;
        while !features.is_empty() {
            let rest = features.split_off(features.len().min(STREAM_CHUNK));
            let chunk = std::mem::replace(&mut features, rest);
            let count = chunk.len();
            conversion.take_counted(progress, vec![(first, ParsedFeatures::from_raw(chunk))])?;
            first += count;
        }
        let (buildings, mut warnings, projection) = conversion.finish()?;
        warnings.extend(layer.warnings);
        return Ok((buildings, warnings, projection));
    }
    let within_limit = regular_file_size(path)? <= max_file_bytes;
    let expected = expected_features(path);
    progress.expect_features(expected);
    if within_limit {
        let mut conversion = BuildingsInProgress::new(path, crs, mapping, profile, expected);
        let slots = conversion.slots.clone();
        let reading = Reading {
            slots: &slots,
            family: GeometryFamily::Polygons,
        };
        let streamed = read_features_in_parallel(path, reading, &mut |runs| {
            conversion.take_counted(progress, runs)
        })?;
        if streamed == Streamed::Done {
            return conversion.finish();
        }
        // Not the plain shape: read it again with the reader that says what is wrong.
        progress.restart_features();
    }
    let mut conversion = BuildingsInProgress::new(path, crs, mapping, profile, expected);
    crate::io::geojson::stream_feature_collection(
        path,
        max_file_bytes,
        STREAM_CHUNK,
        &mut |first, chunk| {
            conversion.take_counted(progress, vec![(first, ParsedFeatures::from_raw(chunk))])?;
            Ok(ControlFlow::Continue(()))
        },
    )?;
    conversion.finish()
}

/// A buildings layer as read: its buildings, what loading found, and the projection to metres.
type LoadedBuildings = (Vec<Building>, Vec<LoadWarning>, LocalProjection);

/// An estimate of the features in the layer at `path` from its first megabyte (0 when it
/// cannot be read: the parse will say why).
fn expected_features(path: &Path) -> u64 {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return 0;
    };
    let file_bytes = file.metadata().map(|metadata| metadata.len()).unwrap_or(0);
    let mut sample = Vec::with_capacity(1 << 20);
    if file.take(1 << 20).read_to_end(&mut sample).is_err() {
        return 0;
    }
    crate::progress::estimate_features(&sample, file_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A layer of the shapes both readers must agree on: flat features, ones only serde reads,
    /// repeated keys, escapes, nulls, holes, unclosed rings and skipped geometries.
    const MIXED_BUILDINGS: &str = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","id":17,"properties":{"building":"residential","floors":6,"households":"12"},
         "geometry":{"type":"Polygon","coordinates":[[[115.90,28.60],[115.9003,28.60],[115.9003,28.6002],[115.90,28.6002],[115.90,28.60]]]}},
        {"type":"Feature","properties":{"id":"B\u0032","building":"\u4f4f\u5b85","floors":null,"height":21.5,"小区":"青山湖"},
         "geometry":{"type":"MultiPolygon","coordinates":[[[[115.901,28.60],[115.9016,28.60],[115.9016,28.6006],[115.901,28.6006]],
           [[115.9012,28.6002],[115.9014,28.6002],[115.9014,28.6004],[115.9012,28.6004],[115.9012,28.6002]]],
           [[[115.902,28.60],[115.9022,28.60],[115.9022,28.6002],[115.902,28.60]]]]}},
        {"type":"Feature","properties":{"id":"B3","building":"office","households":4,"households":"many"},
         "geometry":{"type":"Polygon","coordinates":[[[115.903,28.60],[115.9033,28.6003],[115.9033,28.60],[115.903,28.6003],[115.903,28.60]]]}},
        {"type":"Feature","properties":{"id":"P1","building":"residential"},"geometry":{"type":"Point","coordinates":[115.9,28.6]}},
        {"type":"Feature","properties":null,"geometry":null},
        {"type":"Feature","properties":{"id":"B6","residents":7,"building":"apartments"},
         "geometry":{"coordinates":[[[115.904,28.60],[115.9043,28.60],[115.9043,28.6003],[115.904,28.60]]],"type":"Polygon"}},
        {"type":"Feature","properties":{"id":"B7"},"geometry":{"type":"Polygon","coordinates":[[[115.905,28.60],[115.905,28.60]]]}}
    ]}"#;

    #[test]
    fn buildings_read_flat_equal_buildings_read_by_serde() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("buildings.geojson");
        std::fs::write(&path, MIXED_BUILDINGS).expect("write");
        let mapping = FieldMapping::default();
        let profile = RuleProfile::default();
        let slots = building_slots(&mapping);
        let reading = Reading {
            slots: &slots,
            family: GeometryFamily::Polygons,
        };
        assert_eq!(
            read_features_in_parallel(&path, reading, &mut |_| Ok(())).expect("reads"),
            Streamed::Done,
            "the flat reader takes the layer (asking serde for the odd feature)"
        );
        let (flat, flat_warnings, projection) = load_buildings(
            &path,
            &LayerReading::default(),
            &mapping,
            &profile,
            u64::MAX,
            &LoadProgress::default(),
        )
        .expect("loads");
        let raw = crate::io::geojson::read_feature_collection(&path, u64::MAX).expect("parses");
        let (serde, serde_warnings) =
            buildings_from_collection(&raw, &path, &projection, &mapping, &profile)
                .expect("converts");
        assert_eq!(flat, serde);
        assert_eq!(flat_warnings, serde_warnings);
        assert_eq!(
            flat.len(),
            4,
            "the point, the null and the two-position ring are skipped"
        );
        assert_eq!(flat[0].source_id.as_ref(), "17");
        assert_eq!(flat[1].source_id.as_ref(), "B2");
        assert_eq!(flat[1].estate(), Some("青山湖"));
        assert!(
            flat[1].residential,
            "住宅 spelt with escapes is residential"
        );
    }

    #[test]
    fn a_position_that_is_not_longitude_latitude_is_the_same_error_either_way() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":"A"},"geometry":{"type":"Polygon","coordinates":[[[115.9,28.6],[115.91,28.6],[115.91,28.61],[115.9,28.6]]]}},
            {"type":"Feature","properties":{"id":"Z9"},"geometry":{"type":"Polygon","coordinates":[[[500000,3000000],[500010,3000000],[500010,3000010],[500000,3000000]]]}}
        ]}"#;
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("buildings.geojson");
        std::fs::write(&path, text).expect("write");
        let flat = load_buildings(
            &path,
            &LayerReading::default(),
            &FieldMapping::default(),
            &RuleProfile::default(),
            u64::MAX,
            &LoadProgress::default(),
        )
        .expect_err("not lon/lat")
        .to_string();
        let raw = crate::io::geojson::read_feature_collection(&path, u64::MAX).expect("parses");
        let projection = LocalProjection::centred_on(115.9, 28.6);
        let serde = buildings_from_collection(
            &raw,
            &path,
            &projection,
            &FieldMapping::default(),
            &RuleProfile::default(),
        )
        .expect_err("not lon/lat")
        .to_string();
        assert_eq!(flat, serde);
        assert!(flat.contains("Z9"), "{flat}");
    }
}
