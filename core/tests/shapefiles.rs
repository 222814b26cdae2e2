//! Shapefile layers count exactly as the same layers in GeoJSON: the demo's buildings written
//! (through the `shapefile` and `dbase` crates) as a Shapefile in CGCS2000 Gauss-Krüger zone 39
//! with a `.prj`, Chinese field names and values in GBK and no `.cpg`, and its streets as a
//! UTF-8 Shapefile with a `.cpg`.

mod district;

use std::path::{Path, PathBuf};

use dbase::{Record, TableWriterBuilder};
use district::{
    clear_language_driver, demo_folder, field, households, open, read_json, text,
    write_gbk_buildings,
};
use serde_json::Value;
use shapefile::{Point, Polyline};
use shequ_core::io::shapefile::{EncodingSource, dbf_encoding, read_shapefile, text_samples};
use shequ_core::load::{LayerEncodings, LayerSystems};
use shequ_core::session::LayerInputs;

/// The demo's streets as a UTF-8 Shapefile in WGS 84 with its `.cpg`.
fn write_streets(folder: &Path) -> PathBuf {
    let layer = read_json(&demo_folder().join("streets.geojson"));
    let path = folder.join("streets.shp");
    let table =
        TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(encoding_rs::UTF_8))
            .add_character_field(field("name"), 60)
            .add_character_field(field("highway"), 20);
    let mut writer = shapefile::Writer::from_path(&path, table).expect("writer");
    for feature in layer["features"].as_array().expect("features") {
        let geometry = &feature["geometry"];
        let parts: Vec<Vec<Point>> = match geometry["type"].as_str() {
            Some("LineString") => vec![geometry["coordinates"].clone()],
            _ => geometry["coordinates"].as_array().expect("parts").clone(),
        }
        .iter()
        .map(|part| {
            part.as_array()
                .expect("positions")
                .iter()
                .map(|position| {
                    Point::new(
                        position[0].as_f64().expect("x"),
                        position[1].as_f64().expect("y"),
                    )
                })
                .collect()
        })
        .collect();
        let properties = &feature["properties"];
        let mut record = Record::default();
        record.insert("name".to_owned(), text(properties.get("name")));
        record.insert("highway".to_owned(), text(properties.get("highway")));
        writer
            .write_shape_and_record(&Polyline::with_parts(parts), &record)
            .expect("written");
    }
    drop(writer);
    std::fs::write(folder.join("streets.cpg"), "UTF-8").expect("cpg");
    path
}

#[test]
fn a_gbk_shapefile_in_a_gauss_kruger_zone_counts_as_the_same_geojson_in_wgs84() {
    let folder = tempfile::tempdir().expect("folder");
    let buildings = write_gbk_buildings(folder.path());
    let streets = write_streets(folder.path());

    let (encoding, source) = dbf_encoding(&buildings, None).expect("from the header");
    assert_eq!(
        (encoding.name(), source),
        ("gb18030", EncodingSource::LanguageDriver)
    );
    clear_language_driver(&buildings);
    let (encoding, source) = dbf_encoding(&buildings, None).expect("detected");
    assert_eq!(
        (encoding.name(), source),
        ("gb18030", EncodingSource::Detected)
    );
    let (encoding, source) = dbf_encoding(&streets, None).expect("from the .cpg");
    assert_eq!(
        (encoding.name(), source),
        ("UTF-8", EncodingSource::CodePageFile)
    );
    let first = read_shapefile(&buildings, None, 1).expect("reads");
    let keys: Vec<&String> = first.features[0].properties.keys().collect();
    assert_eq!(keys, ["编号", "用途", "层数", "户数", "小区", "单位"]);
    // The samples show the same text read both ways: mojibake as UTF-8, Chinese as GB18030.
    let samples = text_samples(&buildings, 3).expect("samples");
    assert!(
        samples
            .iter()
            .any(|(name, _, gb18030)| name == "用途" && gb18030 == "住宅"),
        "{samples:?}"
    );

    let demo = demo_folder();
    let plan = demo.join("plan.shequ.geojson");
    let expected = households(&open(&LayerInputs {
        buildings: demo.join("buildings.geojson"),
        streets: Some(demo.join("streets.geojson")),
        communities: Some(plan.clone()),
        fields: Default::default(),
        unknown_use_is_residential: false,
        systems: LayerSystems::default(),
        encodings: LayerEncodings::default(),
        register: None,
    }));
    let session = open(&LayerInputs {
        buildings,
        streets: Some(streets),
        communities: Some(plan),
        fields: Default::default(),
        unknown_use_is_residential: false,
        systems: LayerSystems::default(),
        encodings: LayerEncodings::default(),
        register: None,
    });
    assert_eq!(session.layers().streets.len(), {
        let layer = read_json(&demo.join("streets.geojson"));
        layer["features"].as_array().expect("features").len()
    });
    assert_eq!(households(&session), expected);
}

#[test]
fn an_encoding_given_by_the_planner_is_the_one_read_with() {
    // Forcing the wrong encoding is the planner's choice and it shows: 住宅 in GBK read as
    // UTF-8 is "סլ" (which the buildings' conversion then names as GBK in a warning).
    let folder = tempfile::tempdir().expect("folder");
    let buildings = write_gbk_buildings(folder.path());
    clear_language_driver(&buildings);
    let wrong = read_shapefile(&buildings, Some(encoding_rs::UTF_8), 5).expect("reads");
    let right = read_shapefile(&buildings, None, 5).expect("reads");
    let use_of = |layer: &shequ_core::io::shapefile::ShapefileLayer| {
        layer.features[0]
            .properties
            .values()
            .nth(1)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    assert_eq!(use_of(&right).as_deref(), Some("住宅"));
    assert_ne!(use_of(&wrong).as_deref(), Some("住宅"));
}

#[test]
fn a_shapefile_missing_a_companion_or_with_counts_that_disagree_is_refused_by_name() {
    let folder = tempfile::tempdir().expect("folder");
    let buildings = write_gbk_buildings(folder.path());
    let dbf = buildings.with_extension("dbf");
    let kept = std::fs::read(&dbf).expect("dbf");
    std::fs::remove_file(&dbf).expect("remove");
    let missing = read_shapefile(&buildings, None, usize::MAX).expect_err("no .dbf");
    assert!(missing.to_string().contains("楼栋.dbf"), "{missing}");

    // The .dbf of another export, with one record fewer.
    let mut short = kept.clone();
    let records = u32::from_le_bytes([short[4], short[5], short[6], short[7]]) - 1;
    short[4..8].copy_from_slice(&records.to_le_bytes());
    std::fs::write(&dbf, short).expect("write");
    let disagree = read_shapefile(&buildings, None, usize::MAX).expect_err("counts differ");
    assert!(
        disagree.to_string().contains("different exports"),
        "{disagree}"
    );

    std::fs::write(&dbf, kept).expect("write");
    std::fs::remove_file(buildings.with_extension("shx")).expect("remove");
    let no_index = read_shapefile(&buildings, None, usize::MAX).expect_err("no .shx");
    assert!(no_index.to_string().contains(".shx"), "{no_index}");
}
