//! Every reader given damaged input answers with a result or an error, never a panic: seeded
//! mutations (bit flips, truncations, spliced-in pieces, huge numbers, deep nesting) of a good
//! buildings layer (through the flat reader and through serde), a plan file, a layer cache and a
//! rule profile. A modest number of cases runs in `cargo test`; `SHEQU_PROPTEST_CASES=5000`
//! runs more.

mod support;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use shequ_core::Session;
use shequ_core::io::geojson::parse_feature_collection;
use shequ_core::load::LayerCacheUse;
use shequ_core::profile::{NANCHANG_2002_TOML, RuleProfile};
use shequ_core::session::{LayerInputs, OpenOptions};

/// One change to a document.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit {
        at: usize,
        bit: u8,
    },
    Truncate {
        at: usize,
    },
    Splice {
        at: usize,
        piece: &'static str,
    },
    Duplicate {
        from: usize,
        length: usize,
        to: usize,
    },
}

/// Pieces that stress a reader where they land.
const PIECES: [&str; 12] = [
    "1e308",
    "-1e400",
    "99999999999999999999999",
    "NaN",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "{\"type\":",
    "\\u0000",
    "\"\\ud800\"",
    ",,,",
    "null",
    "\u{feff}",
    "\"住宅\"",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        3 => (any::<usize>(), 0..PIECES.len()).prop_map(|(at, piece)| Mutation::Splice { at, piece: PIECES[piece] }),
        2 => (any::<usize>(), 1usize..200, any::<usize>()).prop_map(|(from, length, to)| Mutation::Duplicate { from, length, to }),
    ]
}

fn mutated(original: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for mutation in mutations {
        if bytes.is_empty() {
            break;
        }
        match *mutation {
            Mutation::FlipBit { at, bit } => {
                let at = at % bytes.len();
                bytes[at] ^= 1 << bit;
            }
            Mutation::Truncate { at } => bytes.truncate(at % bytes.len()),
            Mutation::Splice { at, piece } => {
                let at = at % bytes.len();
                bytes.splice(at..at, piece.bytes());
            }
            Mutation::Duplicate { from, length, to } => {
                let from = from % bytes.len();
                let end = (from + length).min(bytes.len());
                let piece = bytes[from..end].to_vec();
                let to = to % bytes.len();
                bytes.splice(to..to, piece);
            }
        }
    }
    bytes
}

fn runner(seed: u64) -> TestRunner {
    TestRunner::new(Config {
        cases: support::proptest_cases(48),
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    })
}

fn demo_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sample_data/nanchang-demo")
        .join(name)
}

/// The first few hundred features of the demo's buildings: enough structure, quick to read.
fn small_buildings_layer() -> Vec<u8> {
    let text = std::fs::read_to_string(demo_file("buildings.geojson")).expect("demo buildings");
    let mut document: serde_json::Value = serde_json::from_str(&text).expect("json");
    if let Some(features) = document["features"].as_array_mut() {
        features.truncate(300);
    }
    serde_json::to_vec(&document).expect("json")
}

#[test]
fn damaged_buildings_layers_give_a_result_or_an_error_through_both_readers() {
    let original = small_buildings_layer();
    let folder = tempfile::tempdir().expect("temp dir");
    let buildings = folder.path().join("buildings.geojson");
    let communities =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input/ok_communities.geojson");
    runner(0xf022)
        .run(&proptest::collection::vec(mutation(), 1..6), |mutations| {
            let bytes = mutated(&original, &mutations);
            // serde's reader of whole collections.
            let _ = parse_feature_collection(&bytes, &buildings);
            // The flat reader, falling back on serde's stream reader.
            std::fs::write(&buildings, &bytes).expect("write");
            let _ = Session::from_layers(
                &LayerInputs {
                    buildings: buildings.clone(),
                    communities: Some(communities.clone()),
                    ..LayerInputs::default()
                },
                RuleProfile::default(),
                OpenOptions {
                    cache: LayerCacheUse::Off,
                    ..OpenOptions::default()
                },
            );
            Ok(())
        })
        .expect("no reader panics");
}

#[test]
fn damaged_plan_files_give_a_result_or_an_error() {
    let folder = tempfile::tempdir().expect("temp dir");
    for name in ["buildings.geojson", "streets.geojson"] {
        std::fs::copy(demo_file(name), folder.path().join(name)).expect("copy");
    }
    let original = std::fs::read(demo_file("plan.shequ.geojson")).expect("plan");
    let plan = folder.path().join("plan.shequ.geojson");
    runner(0x91a7)
        .run(&proptest::collection::vec(mutation(), 1..4), |mutations| {
            std::fs::write(&plan, mutated(&original, &mutations)).expect("write");
            let _ = Session::open(&plan);
            Ok(())
        })
        .expect("no plan reader panics");
}

#[test]
fn damaged_layer_caches_are_ignored_or_read_never_crash() {
    let folder = tempfile::tempdir().expect("temp dir");
    let buildings = folder.path().join("buildings.geojson");
    std::fs::write(&buildings, small_buildings_layer()).expect("write");
    let inputs = LayerInputs {
        buildings: buildings.clone(),
        communities: Some(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input/ok_communities.geojson"),
        ),
        ..LayerInputs::default()
    };
    let open = || Session::from_layers(&inputs, RuleProfile::default(), OpenOptions::default());
    let first = open().expect("writes the cache");
    let households = first.layers().total_households();
    let cache = folder.path().join(".buildings.geojson.shequ-cache");
    let original = std::fs::read(&cache).expect("the cache was written");
    runner(0xcac4e)
        .run(&proptest::collection::vec(mutation(), 1..4), |mutations| {
            std::fs::write(&cache, mutated(&original, &mutations)).expect("write");
            let session = open().expect("a damaged cache is parsed afresh");
            prop_assert_eq!(session.layers().total_households(), households);
            Ok(())
        })
        .expect("no cache damage changes a count or crashes");
}

#[test]
fn damaged_profiles_give_a_profile_or_an_error() {
    let original = NANCHANG_2002_TOML.as_bytes();
    runner(0x70a1)
        .run(&proptest::collection::vec(mutation(), 1..4), |mutations| {
            let bytes = mutated(original, &mutations);
            if let Ok(text) = std::str::from_utf8(&bytes) {
                let _ = RuleProfile::from_toml(text, "fuzzed");
            }
            Ok(())
        })
        .expect("no profile reader panics");
}

/// A small Shapefile (30 squares, a Chinese text field in GBK), its three files' bytes.
fn small_shapefile(folder: &Path) -> PathBuf {
    use dbase::{FieldName, FieldValue, Record, TableWriterBuilder};
    let path = folder.join("small.shp");
    let table =
        TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(encoding_rs::GBK))
            .add_character_field(FieldName::try_from("use").expect("name"), 12)
            .add_numeric_field(FieldName::try_from("households").expect("name"), 6, 0);
    let mut writer = shapefile::Writer::from_path(&path, table).expect("writer");
    for index in 0..30 {
        let (x, y) = (115.9 + f64::from(index) * 0.001, 28.6);
        let ring = vec![
            shapefile::Point::new(x, y),
            shapefile::Point::new(x, y + 0.0005),
            shapefile::Point::new(x + 0.0005, y + 0.0005),
            shapefile::Point::new(x + 0.0005, y),
            shapefile::Point::new(x, y),
        ];
        let mut record = Record::default();
        record.insert(
            "use".to_owned(),
            FieldValue::Character(Some("住宅".to_owned())),
        );
        record.insert("households".to_owned(), FieldValue::Numeric(Some(12.0)));
        writer
            .write_shape_and_record(
                &shapefile::Polygon::with_rings(vec![shapefile::PolygonRing::Outer(ring)]),
                &record,
            )
            .expect("written");
    }
    path
}

#[test]
fn damaged_shapefiles_give_a_result_or_an_error() {
    let folder = tempfile::tempdir().expect("temp dir");
    let shp = small_shapefile(folder.path());
    let originals: Vec<(PathBuf, Vec<u8>)> = ["shp", "shx", "dbf"]
        .iter()
        .map(|extension| {
            let path = shp.with_extension(extension);
            let bytes = std::fs::read(&path).expect("read");
            (path, bytes)
        })
        .collect();
    runner(0x5bf1)
        .run(
            &(0..3usize, proptest::collection::vec(mutation(), 1..4)),
            |(file, mutations)| {
                for (path, bytes) in &originals {
                    std::fs::write(path, bytes).expect("restore");
                }
                let (path, bytes) = &originals[file];
                std::fs::write(path, mutated(bytes, &mutations)).expect("write");
                let _ = shequ_core::io::shapefile::read_shapefile(&shp, None, usize::MAX);
                let _ = shequ_core::io::shapefile::text_samples(&shp, 3);
                Ok(())
            },
        )
        .expect("no Shapefile reader panics");
}

#[test]
fn damaged_geopackages_and_esri_json_give_a_result_or_an_error() {
    let folder = tempfile::tempdir().expect("temp dir");
    // A GeoPackage of one table of three squares.
    let gpkg = folder.path().join("small.gpkg");
    {
        let connection = rusqlite::Connection::open(&gpkg).expect("sqlite");
        connection
            .execute_batch(
                "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT, organization_coordsys_id INTEGER, definition TEXT, description TEXT);
                 INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, '', '');
                 CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, srs_id INTEGER);
                 INSERT INTO gpkg_contents VALUES ('b', 'features', 4326);
                 CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);
                 INSERT INTO gpkg_geometry_columns VALUES ('b', 'geom', 'POLYGON', 4326, 0, 0);
                 CREATE TABLE b (fid INTEGER PRIMARY KEY, geom BLOB, name TEXT);",
            )
            .expect("schema");
        for index in 0..3 {
            let x = 115.9 + f64::from(index) * 0.001;
            let square = geo::Geometry::Polygon(geo::Polygon::new(
                geo::LineString::from(vec![(x, 28.6), (x, 28.601), (x + 0.001, 28.601), (x, 28.6)]),
                vec![],
            ));
            let mut blob = vec![b'G', b'P', 0, 1, 0xE6, 0x10, 0, 0];
            wkb::writer::write_geometry(&mut blob, &square, &Default::default()).expect("wkb");
            connection
                .execute("INSERT INTO b (geom, name) VALUES (?1, '住宅')", [blob])
                .expect("row");
        }
    }
    let gpkg_bytes = std::fs::read(&gpkg).expect("read");
    let esri = folder.path().join("small.json");
    let esri_text = r#"{"geometryType":"esriGeometryPolygon","spatialReference":{"wkid":4490},"features":[{"attributes":{"name":"住宅"},"geometry":{"curveRings":[[[115.9,28.6],[115.9,28.601],{"c":[[115.901,28.601],[115.9005,28.6012]]},[115.9,28.6]]]}},{"attributes":{},"geometry":{"rings":[[[115.9,28.6],[115.9,28.601],[115.901,28.6],[115.9,28.6]]]}}]}"#;
    runner(0x69c0)
        .run(&proptest::collection::vec(mutation(), 1..4), |mutations| {
            std::fs::write(&gpkg, mutated(&gpkg_bytes, &mutations)).expect("write");
            let _ = shequ_core::io::geopackage::read_geopackage(&gpkg, usize::MAX);
            let _ = shequ_core::io::geopackage::contents(&gpkg);
            std::fs::write(&esri, mutated(esri_text.as_bytes(), &mutations)).expect("write");
            let _ = shequ_core::io::esri_json::read_esri_json(&esri, usize::MAX);
            let _ = shequ_core::io::esri_json::declared_system(&esri);
            Ok(())
        })
        .expect("no GeoPackage or Esri JSON reader panics");
}

#[test]
fn damaged_registers_give_a_result_or_an_error() {
    use shequ_core::io::register::{RegisterCount, RegisterSpec, read_table, register_figures};
    let folder = tempfile::tempdir().expect("temp dir");
    let csv = folder.path().join("register.csv");
    let csv_text = encoding_rs::GBK
        .encode("楼栋编码,户数\nB1,3\nB2,4\n\"B3\",5\n")
        .0
        .into_owned();
    let xlsx = folder.path().join("register.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "楼栋编码").expect("cell");
    sheet.write_string(0, 1, "户数").expect("cell");
    sheet.write_string(1, 0, "B1").expect("cell");
    sheet.write_number(1, 1, 3.0).expect("cell");
    let xlsx_bytes = workbook.save_to_buffer().expect("xlsx");
    runner(0x4e61)
        .run(&proptest::collection::vec(mutation(), 1..4), |mutations| {
            std::fs::write(&csv, mutated(&csv_text, &mutations)).expect("write");
            std::fs::write(&xlsx, mutated(&xlsx_bytes, &mutations)).expect("write");
            for path in [&csv, &xlsx] {
                if let Ok(table) = read_table(path, None) {
                    let spec = RegisterSpec {
                        path: path.to_path_buf(),
                        sheet: None,
                        building_field: "id".to_owned(),
                        table_field: "楼栋编码".to_owned(),
                        households: RegisterCount::Column("户数".to_owned()),
                        residents: None,
                    };
                    let _ = register_figures(&table, &spec);
                }
            }
            Ok(())
        })
        .expect("no register reader panics");
}
