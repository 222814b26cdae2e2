//! Every file of the bad-input corpus gets a clear error or warning naming the file, the feature
//! and what to do; nothing panics, whatever the bytes.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use shequ_core::attributes::FieldMapping;
use shequ_core::ids::CommunityKey;
use shequ_core::io::geojson::{parse_feature_collection, read_feature_collection};
use shequ_core::layers::FigureSource;
use shequ_core::load::buildings::buildings_from_collection;
use shequ_core::profile::RuleProfile;
use shequ_core::projection::LocalProjection;
use shequ_core::session::{LayerInputs, OpenOptions, Session};
use shequ_core::{Error, Result};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bad_input")
        .join(name)
}

fn load_buildings(name: &str) -> Result<Session> {
    Session::from_layers(
        &LayerInputs {
            buildings: corpus(name),
            communities: Some(corpus("ok_communities.geojson")),
            ..LayerInputs::default()
        },
        RuleProfile::default(),
        OpenOptions::default(),
    )
}

fn load_communities(name: &str) -> Result<Session> {
    Session::from_layers(
        &LayerInputs {
            buildings: corpus("ok_buildings.geojson"),
            communities: Some(corpus(name)),
            ..LayerInputs::default()
        },
        RuleProfile::default(),
        OpenOptions::default(),
    )
}

fn error_text(result: Result<Session>) -> String {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(error) => error.to_string(),
    }
}

fn warnings_text(session: &Session) -> String {
    session
        .warnings()
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_good_fixtures_load_and_count_one_building() {
    let session = load_buildings("ok_buildings.geojson").expect("loads");
    assert_eq!(session.layers().buildings.len(), 1);
    assert_eq!(session.tallies().unassigned().households, 0);
}

#[test]
fn malformed_json_names_the_file_line_and_column() {
    let error = load_buildings("malformed.geojson").expect_err("malformed");
    match &error {
        Error::Malformed { line, column, .. } => assert_eq!((*line, *column), (3, 19)),
        other => panic!("unexpected {other}"),
    }
    let text = error.to_string();
    assert!(
        text.contains("malformed.geojson") && text.contains("line 3"),
        "{text}"
    );
}

#[test]
fn an_empty_file_says_it_is_empty() {
    for name in ["empty.geojson", "whitespace_only.geojson"] {
        let text = error_text(load_buildings(name));
        assert!(text.contains(name) && text.contains("empty"), "{text}");
    }
}

#[test]
fn a_top_level_that_is_not_a_feature_collection_says_what_it_is() {
    let text = error_text(load_buildings("single_feature.geojson"));
    assert!(
        text.contains("a Feature") && text.contains("FeatureCollection"),
        "{text}"
    );
    let text = error_text(load_buildings("top_level_array.geojson"));
    assert!(text.contains("a JSON array"), "{text}");
}

#[test]
fn features_of_the_wrong_geometry_type_are_skipped_with_their_ids() {
    let session = load_buildings("wrong_geometry_types.geojson").expect("loads the polygon");
    assert_eq!(session.layers().buildings.len(), 1);
    let warnings = warnings_text(&session);
    assert!(
        warnings.contains("Point") && warnings.contains("#1 (p1)"),
        "{warnings}"
    );
    assert!(
        warnings.contains("LineString") && warnings.contains("#2 (l1)"),
        "{warnings}"
    );
}

#[test]
fn an_unclosed_ring_is_closed_with_a_warning() {
    let session = load_buildings("unclosed_ring.geojson").expect("loads");
    assert_eq!(session.layers().buildings.len(), 1);
    assert!(
        warnings_text(&session).contains("closed"),
        "{}",
        warnings_text(&session)
    );
}

#[test]
fn a_self_intersecting_footprint_is_kept_with_a_warning_naming_it() {
    let session = load_buildings("self_intersecting.geojson").expect("loads");
    let warnings = warnings_text(&session);
    assert!(
        warnings.contains("self-intersecting") && warnings.contains("bowtie"),
        "{warnings}"
    );
}

#[test]
fn a_ring_with_too_few_positions_is_skipped_with_a_warning() {
    let session = load_buildings("too_few_positions.geojson").expect("loads the good one");
    assert_eq!(session.layers().buildings.len(), 1);
    assert!(
        warnings_text(&session).contains("#1 (two)"),
        "{}",
        warnings_text(&session)
    );
}

#[test]
fn projected_coordinates_are_refused_with_advice_to_reproject() {
    let text = error_text(load_buildings("projected_coordinates.geojson"));
    assert!(
        text.contains("feature 0") && text.contains("utm") && text.contains("EPSG:4326"),
        "{text}"
    );
}

#[test]
fn infinite_and_nan_coordinates_are_malformed_at_their_position() {
    for name in ["infinite_coordinate.geojson", "nan_coordinate.geojson"] {
        let error = load_buildings(name).expect_err("not a finite number");
        assert!(
            matches!(error, Error::Malformed { line: 1, .. }),
            "{name}: {error}"
        );
    }
}

#[test]
fn a_missing_household_field_estimates_households_and_says_so() {
    let session = load_buildings("missing_household_field.geojson").expect("loads");
    let building = &session.layers().buildings[0];
    assert_eq!(building.households_source, FigureSource::Estimate);
    assert!(building.households >= 1);
    let warnings = warnings_text(&session);
    assert!(
        warnings.contains("no household count") && warnings.contains("--field households="),
        "{warnings}"
    );
}

#[test]
fn a_household_value_that_is_not_a_number_is_estimated_with_a_warning() {
    let session = load_buildings("households_not_a_number.geojson").expect("loads");
    assert_eq!(
        session.layers().buildings[0].households_source,
        FigureSource::Estimate
    );
    assert!(
        warnings_text(&session).contains("not a number"),
        "{}",
        warnings_text(&session)
    );
}

#[test]
fn an_unknown_geometry_type_is_named() {
    let text = error_text(load_buildings("unknown_geometry_type.geojson"));
    assert!(text.contains("Hexagon"), "{text}");
}

#[test]
fn a_layer_with_no_usable_footprint_is_an_error() {
    let text = error_text(load_buildings("null_geometry.geojson"));
    assert!(
        text.contains("null_geometry.geojson") && text.contains("no feature has coordinates"),
        "{text}"
    );
}

#[test]
fn a_byte_order_mark_is_accepted() {
    load_buildings("with_byte_order_mark.geojson").expect("loads");
}

#[test]
fn a_community_of_an_unknown_type_is_an_error_listing_the_types() {
    let text = error_text(load_communities("community_unknown_type.geojson"));
    assert!(
        text.contains("village") && text.contains("地缘型") && text.contains("feature 0"),
        "{text}"
    );
}

#[test]
fn duplicate_community_ids_are_an_error_naming_both_features() {
    let text = error_text(load_communities("community_duplicate_ids.geojson"));
    assert!(
        text.contains("feature 1") && text.contains("feature 0") && text.contains("c1"),
        "{text}"
    );
}

#[test]
fn a_missing_file_names_the_path() {
    let text = error_text(load_buildings("no_such_file.geojson"));
    assert!(
        text.contains("no_such_file.geojson") && text.contains("cannot read"),
        "{text}"
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_reading() {
    let error =
        read_feature_collection(&corpus("ok_buildings.geojson"), 10).expect_err("too large");
    assert!(
        matches!(
            error,
            Error::TooLarge {
                limit_bytes: 10,
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("Split the layer"));
}

#[test]
fn a_mapped_field_that_no_feature_has_is_an_error_listing_the_fields() {
    let result = Session::from_layers(
        &LayerInputs {
            buildings: corpus("ok_buildings.geojson"),
            communities: Some(corpus("ok_communities.geojson")),
            fields: FieldMapping::from_assignments(&["households=HH_CNT"]).expect("valid"),
            ..LayerInputs::default()
        },
        RuleProfile::default(),
        OpenOptions::default(),
    );
    let text = error_text(result);
    assert!(
        text.contains("HH_CNT") && text.contains("households"),
        "{text}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, rng_seed: proptest::test_runner::RngSeed::Fixed(2002), ..ProptestConfig::default() })]

    #[test]
    fn no_truncation_or_byte_change_of_a_layer_makes_loading_panic(cut in 0usize..2000, position in 0usize..2000, byte in any::<u8>()) {
        let mut bytes = std::fs::read(corpus("wrong_geometry_types.geojson")).expect("fixture");
        let position = position % bytes.len();
        bytes[position] = byte;
        bytes.truncate(cut.max(1).min(bytes.len()));
        let path = Path::new("mutated.geojson");
        if let Ok(raw) = parse_feature_collection(&bytes, path) {
            let projection = LocalProjection::centred_on(115.9, 28.6);
            let _ = buildings_from_collection(&raw, path, &projection, &FieldMapping::default(), &RuleProfile::default());
        }
    }
}

/// A buildings layer of footprints side by side inside `ok_communities.geojson`'s community, one
/// per set of properties, written as raw bytes (so that tests can put other encodings in).
fn buildings_file(folder: &Path, properties: &[&[u8]]) -> PathBuf {
    let mut text = br#"{"type":"FeatureCollection","features":["#.to_vec();
    for (index, props) in properties.iter().enumerate() {
        if index > 0 {
            text.push(b',');
        }
        let west = 115.8992 + index as f64 * 0.0002;
        text.extend(br#"{"type":"Feature","properties":"#);
        text.extend(*props);
        text.extend(
            format!(
                r#","geometry":{{"type":"Polygon","coordinates":[[[{west},28.5995],[{east},28.5995],[{east},28.5996],[{west},28.5996],[{west},28.5995]]]}}}}"#,
                east = west + 0.0001
            )
            .as_bytes(),
        );
    }
    text.extend(b"]}");
    let path = folder.join("buildings.geojson");
    std::fs::write(&path, text).expect("write");
    path
}

/// Opens layers without their caches (every test parses what it wrote).
fn open_uncached(inputs: LayerInputs) -> Result<Session> {
    Session::from_layers(
        &inputs,
        RuleProfile::default(),
        OpenOptions {
            cache: shequ_core::load::LayerCacheUse::Off,
            ..OpenOptions::default()
        },
    )
}

fn open_buildings(path: &Path, unknown_use_is_residential: bool) -> Result<Session> {
    open_uncached(LayerInputs {
        buildings: path.to_path_buf(),
        communities: Some(corpus("ok_communities.geojson")),
        unknown_use_is_residential,
        ..LayerInputs::default()
    })
}

#[test]
fn impossible_households_residents_floors_and_heights_are_warnings_naming_the_feature() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = buildings_file(
        folder.path(),
        &[
            br#"{"id":"HUGE","building":"residential","households":1e20}"#,
            br#"{"id":"NEGATIVE","building":"residential","households":-5}"#,
            br#"{"id":"CROWD","building":"residential","households":10,"residents":-3}"#,
            br#"{"id":"TOWER","building":"residential","households":10,"floors":1e300}"#,
            br#"{"id":"SPIRE","building":"residential","height":5000}"#,
            br#"{"id":"FINE","building":"residential","households":12}"#,
        ],
    );
    let session = open_buildings(&path, false).expect("loads");
    let warnings = warnings_text(&session);
    for (id, words) in [
        ("HUGE", "above 30,000"),
        ("NEGATIVE", "negative households"),
        ("CROWD", "residents value"),
        ("TOWER", "floors value"),
        ("SPIRE", "a height that"),
    ] {
        let line = warnings
            .lines()
            .find(|line| line.contains(words))
            .unwrap_or_else(|| panic!("a warning says {words}: {warnings}"));
        assert!(line.contains(id), "{line}");
    }
    assert!(!warnings.contains("FINE"), "{warnings}");
    let huge = &session.layers().buildings[0];
    assert!(
        huge.households < 30_000 && huge.households_source == FigureSource::Estimate,
        "1e20 households is estimated instead: {}",
        huge.households
    );
    let tower = &session.layers().buildings[3];
    assert!(tower.floors < 250.0, "{}", tower.floors);
}

#[test]
fn gbk_text_read_as_utf8_is_a_warning_that_names_gbk_and_the_chinese_it_holds() {
    let folder = tempfile::tempdir().expect("temp dir");
    // "住宅" in GBK is two valid UTF-8 characters of other scripts: no parser complains.
    let gbk_use = encoding_rs::GBK.encode("住宅").0.into_owned();
    assert!(std::str::from_utf8(&gbk_use).is_ok());
    let mut properties = br#"{"id":"G1","building":""#.to_vec();
    properties.extend(&gbk_use);
    properties.extend(br#""}"#);
    let path = buildings_file(folder.path(), &[&properties]);
    let session = open_buildings(&path, false).expect("loads");
    let warnings = warnings_text(&session);
    assert!(
        warnings.contains("GBK") && warnings.contains("住宅") && warnings.contains("G1"),
        "{warnings}"
    );
}

#[test]
fn a_layer_without_uses_says_so_and_can_count_them_as_homes() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = buildings_file(
        folder.path(),
        &[
            br#"{"id":"A","height":18}"#,
            br#"{"id":"B","height":21}"#,
            br#"{"id":"C","height":9}"#,
        ],
    );
    let session = open_buildings(&path, false).expect("loads");
    let warnings = warnings_text(&session);
    assert!(
        warnings.contains("no use") && warnings.contains("unknown_use_is_residential"),
        "{warnings}"
    );
    assert_eq!(session.tallies().of(CommunityKey(0)).households, 0);
    let counted = open_buildings(&path, true).expect("loads");
    assert!(counted.tallies().of(CommunityKey(0)).households > 0);
    assert_eq!(
        counted.settings().profile.overrides,
        Some(serde_json::json!({"estimate": {"unknown_use_is_residential": true}})),
        "the choice is kept with the plan"
    );
    assert!(!warnings_text(&counted).contains("no use"));
}

#[test]
fn a_gbk_or_utf16_file_is_an_encoding_error_that_names_the_encoding() {
    let folder = tempfile::tempdir().expect("temp dir");
    // "楼栋" in GBK is not valid UTF-8.
    let mut properties = br#"{"id":"X","name":""#.to_vec();
    properties.extend(encoding_rs::GBK.encode("滕王阁楼栋").0.as_ref());
    properties.extend(br#"","households":3}"#);
    let path = buildings_file(folder.path(), &[&properties]);
    let message = error_text(open_buildings(&path, false));
    assert!(
        message.contains("not UTF-8")
            && message.contains("GBK")
            && message.contains("buildings.geojson"),
        "{message}"
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            std::fs::read_to_string(corpus("ok_buildings.geojson"))
                .expect("read")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(&path, utf16).expect("write");
    let message = error_text(open_buildings(&path, false));
    assert!(message.contains("UTF-16"), "{message}");
}

fn communities_file(folder: &Path, ring: &[(f64, f64)]) -> PathBuf {
    let coordinates: Vec<[f64; 2]> = ring.iter().map(|&(x, y)| [x, y]).collect();
    let text = serde_json::json!({
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "properties": {"id": "WIDE", "type": "地缘型"},
            "geometry": {"type": "Polygon", "coordinates": [coordinates]}
        }]
    });
    let path = folder.join("communities.geojson");
    std::fs::write(&path, text.to_string()).expect("write");
    path
}

fn open_with_communities(communities: &Path) -> Result<Session> {
    open_uncached(LayerInputs {
        buildings: corpus("ok_buildings.geojson"),
        streets: Some(corpus("ok_buildings.geojson")),
        communities: Some(communities.to_path_buf()),
        ..LayerInputs::default()
    })
}

#[test]
fn a_community_across_the_antimeridian_is_an_error_naming_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let communities = communities_file(
        folder.path(),
        &[
            (179.99, 10.0),
            (-179.99, 10.0),
            (-179.99, 10.02),
            (179.99, 10.02),
            (179.99, 10.0),
        ],
    );
    let message = error_text(open_with_communities(&communities));
    assert!(
        message.contains("antimeridian") && message.contains("WIDE"),
        "{message}"
    );
}

#[test]
fn a_world_sized_community_is_checked_in_bounded_time_and_memory() {
    // Edges thousands of kilometres long, far beyond the projection's good range: the
    // follows-streets walk takes at most 10,000 steps an edge instead of one every 5 m.
    let folder = tempfile::tempdir().expect("temp dir");
    let communities = communities_file(
        folder.path(),
        &[
            (-60.0, -60.0),
            (60.0, -60.0),
            (150.0, -60.0),
            (150.0, 60.0),
            (60.0, 60.0),
            (-60.0, 60.0),
            (-60.0, -60.0),
        ],
    );
    let session = open_with_communities(&communities).expect("opens");
    assert_eq!(session.plan().len(), 1);
}
