//! Buildings from a Shapefile or a GeoPackage table are read flat on all cores (only the fields
//! a building is made from decoded); these tests hold that path to the general reader, which
//! makes a property map of every field of every feature, on the shapes a district's data has:
//! holes, several parts, Chinese text in GBK, blank and negative values, a record marked
//! deleted, an empty geometry and a feature that is no polygon.

use std::path::{Path, PathBuf};

use dbase::{FieldValue, Record, TableWriterBuilder};
use shapefile::{Point, Polygon, PolygonRing};
use shequ_core::attributes::FieldMapping;
use shequ_core::io::geojson::RawCollection;
use shequ_core::io::geopackage::read_geopackage;
use shequ_core::io::shapefile::read_shapefile;
use shequ_core::load::buildings::buildings_from_collection;
use shequ_core::load::{LayerReading, load_buildings};
use shequ_core::profile::RuleProfile;
use shequ_core::progress::LoadProgress;
use shequ_core::testing::{geopackage_blob, geopackage_catalogue, register_feature_table};

/// A square of `side` degrees with its lower-left corner at (`west`, `south`), clockwise.
fn square(west: f64, south: f64, side: f64) -> Vec<(f64, f64)> {
    vec![
        (west, south),
        (west, south + side),
        (west + side, south + side),
        (west + side, south),
        (west, south),
    ]
}

fn counter_clockwise(mut ring: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    ring.reverse();
    ring
}

/// The test's buildings: each a list of polygons (outer ring clockwise, then holes
/// counter-clockwise), an id, a use, floors and households (`None`: blank).
type TestBuilding = (
    Vec<Vec<Vec<(f64, f64)>>>,
    &'static str,
    &'static str,
    f64,
    Option<f64>,
);

fn buildings() -> Vec<TestBuilding> {
    let (x, y) = (115.90, 28.68);
    vec![
        (
            vec![vec![square(x, y, 0.0002)]],
            "甲1",
            "住宅",
            6.0,
            Some(12.0),
        ),
        (
            vec![vec![
                square(x + 0.001, y, 0.0004),
                counter_clockwise(square(x + 0.0011, y + 0.0001, 0.0001)),
            ]],
            "甲2",
            "住宅",
            18.0,
            Some(120.0),
        ),
        (
            vec![
                vec![square(x + 0.002, y, 0.0002)],
                vec![square(x + 0.0025, y, 0.0002)],
            ],
            "甲3",
            "商业",
            3.0,
            None,
        ),
        (
            vec![vec![square(x + 0.003, y, 0.0002)]],
            "甲4",
            "住宅",
            5.0,
            Some(-3.0),
        ),
        (
            vec![vec![square(x + 0.004, y, 0.0002)]],
            "甲5",
            "住宅",
            7.0,
            Some(30.0),
        ),
        (
            vec![vec![square(x + 0.005, y, 0.0002)]],
            "甲6",
            "",
            4.0,
            None,
        ),
    ]
}

/// The buildings as a GBK Shapefile; the fifth record is then marked deleted in the `.dbf`.
fn write_shapefile(folder: &Path) -> PathBuf {
    let path = folder.join("楼栋.shp");
    let field = |name: &str| dbase::FieldName::try_from(name).expect("a short name");
    let table =
        TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(encoding_rs::GBK))
            .add_character_field(field("编号"), 20)
            .add_character_field(field("用途"), 20)
            .add_numeric_field(field("层数"), 10, 0)
            .add_numeric_field(field("户数"), 10, 0);
    let mut writer = shapefile::Writer::from_path(&path, table).expect("writer");
    for (polygons, id, building_use, floors, households) in buildings() {
        let rings: Vec<PolygonRing<Point>> = polygons
            .iter()
            .flat_map(|rings| {
                rings.iter().enumerate().map(|(number, ring)| {
                    let points = ring.iter().map(|(x, y)| Point::new(*x, *y)).collect();
                    if number == 0 {
                        PolygonRing::Outer(points)
                    } else {
                        PolygonRing::Inner(points)
                    }
                })
            })
            .collect();
        let mut record = Record::default();
        let text = |text: &str| FieldValue::Character((!text.is_empty()).then(|| text.to_owned()));
        record.insert("编号".to_owned(), text(id));
        record.insert("用途".to_owned(), text(building_use));
        record.insert("层数".to_owned(), FieldValue::Numeric(Some(floors)));
        record.insert("户数".to_owned(), FieldValue::Numeric(households));
        writer
            .write_shape_and_record(&Polygon::with_rings(rings), &record)
            .expect("written");
    }
    drop(writer);
    let dbf = path.with_extension("dbf");
    let mut bytes = std::fs::read(&dbf).expect("dbf");
    let header_length = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
    let record_length = usize::from(u16::from_le_bytes([bytes[10], bytes[11]]));
    bytes[header_length + 4 * record_length] = b'*';
    std::fs::write(&dbf, bytes).expect("dbf");
    path
}

/// The buildings as a GeoPackage table in WGS 84, with a row whose geometry is empty, one whose
/// geometry is NULL and one that is a point.
fn write_geopackage(folder: &Path) -> PathBuf {
    let path = folder.join("楼栋.gpkg");
    let connection = rusqlite::Connection::open(&path).expect("sqlite");
    geopackage_catalogue(&connection).expect("catalogue");
    connection
        .execute_batch(
            r#"
            CREATE TABLE "楼栋" (fid INTEGER PRIMARY KEY, geom BLOB, "编号" TEXT, "用途" TEXT,
                "层数" REAL, "户数" INTEGER, "备注" TEXT);
            CREATE VIEW "住宅楼" AS SELECT * FROM "楼栋" WHERE "用途" = '住宅';
            "#,
        )
        .expect("schema");
    for table in ["楼栋", "住宅楼"] {
        register_feature_table(&connection, table, "GEOMETRY", 4326).expect("registered");
    }
    let blob_of = |geometry: Option<geo::Geometry>| geopackage_blob(geometry.as_ref(), 4326);
    /// A row: its geometry blob (`None`: NULL), id, use, floors and households.
    type Row = (
        Option<Vec<u8>>,
        &'static str,
        &'static str,
        f64,
        Option<f64>,
    );
    let mut rows: Vec<Row> = buildings()
        .into_iter()
        .map(|(polygons, id, building_use, floors, households)| {
            let line = |ring: &Vec<(f64, f64)>| {
                geo::LineString::from(
                    ring.iter()
                        .map(|(x, y)| geo::coord! {x: *x, y: *y})
                        .collect::<Vec<_>>(),
                )
            };
            let polygons: Vec<geo::Polygon> = polygons
                .iter()
                .map(|rings| {
                    geo::Polygon::new(line(&rings[0]), rings[1..].iter().map(line).collect())
                })
                .collect();
            let geometry = if polygons.len() == 1 {
                geo::Geometry::Polygon(polygons[0].clone())
            } else {
                geo::Geometry::MultiPolygon(geo::MultiPolygon::new(polygons))
            };
            (
                Some(blob_of(Some(geometry))),
                id,
                building_use,
                floors,
                households,
            )
        })
        .collect();
    rows.push((Some(blob_of(None)), "乙1", "住宅", 3.0, Some(4.0)));
    rows.push((None, "乙2", "住宅", 3.0, Some(5.0)));
    rows.push((
        Some(blob_of(Some(geo::Geometry::Point(
            geo::point! {x: 115.91, y: 28.68},
        )))),
        "乙3",
        "住宅",
        3.0,
        Some(6.0),
    ));
    for (blob, id, building_use, floors, households) in rows {
        connection
            .execute(
                r#"INSERT INTO "楼栋" (geom, "编号", "用途", "层数", "户数", "备注") VALUES (?1, ?2, ?3, ?4, ?5, 'x')"#,
                rusqlite::params![
                    blob,
                    id,
                    (!building_use.is_empty()).then_some(building_use),
                    floors,
                    households.map(|households| households as i64)
                ],
            )
            .expect("row");
    }
    path
}

/// The buildings of `path` read flat, with the default mapping and profile.
fn read_flat(
    path: &Path,
) -> (
    Vec<shequ_core::layers::Building>,
    Vec<shequ_core::io::warnings::LoadWarning>,
    shequ_core::projection::LocalProjection,
) {
    load_buildings(
        path,
        &LayerReading::default(),
        &FieldMapping::default(),
        &RuleProfile::default(),
        u64::MAX,
        &LoadProgress::default(),
    )
    .expect("reads")
}

/// The buildings of `path` read flat, and as the general reader makes them from `raw`.
fn both_ways(path: &Path, raw: Vec<shequ_core::io::geojson::RawFeature>) {
    let (mapping, profile) = (FieldMapping::default(), RuleProfile::default());
    let (flat, flat_warnings, projection) = load_buildings(
        path,
        &LayerReading::default(),
        &mapping,
        &profile,
        u64::MAX,
        &LoadProgress::default(),
    )
    .expect("read flat");
    let collection = RawCollection {
        features: raw,
        foreign_members: Default::default(),
    };
    let (general, general_warnings) =
        buildings_from_collection(&collection, path, &projection, &mapping, &profile)
            .expect("read in general");
    assert_eq!(flat, general);
    let problems = |warnings: &[shequ_core::io::warnings::LoadWarning]| -> Vec<(String, usize)> {
        warnings
            .iter()
            .filter(|warning| !warning.problem.contains("deleted"))
            .map(|warning| (warning.problem.clone(), warning.count))
            .collect()
    };
    assert_eq!(problems(&flat_warnings), problems(&general_warnings));
}

#[test]
fn buildings_read_flat_from_a_shapefile_are_the_buildings_the_general_reader_makes() {
    let folder = tempfile::tempdir().expect("folder");
    let path = write_shapefile(folder.path());
    let raw = read_shapefile(&path, None, usize::MAX)
        .expect("reads")
        .features;
    assert_eq!(raw.len(), 5, "the deleted record is left out");
    both_ways(&path, raw);

    let (buildings, warnings, _) = read_flat(&path);
    let ids: Vec<&str> = buildings
        .iter()
        .map(|building| &*building.source_id)
        .collect();
    assert_eq!(ids, ["甲1", "甲2", "甲3", "甲4", "甲6"]);
    assert_eq!(buildings[0].households, 12);
    assert_eq!(buildings[1].footprint.0[0].interiors().len(), 1);
    assert_eq!(buildings[2].footprint.0.len(), 2);
    assert!(
        warnings
            .iter()
            .any(|warning| warning.problem.contains("deleted") && warning.count == 1),
        "{warnings:?}"
    );
}

#[test]
fn buildings_read_flat_from_a_geopackage_are_the_buildings_the_general_reader_makes() {
    let folder = tempfile::tempdir().expect("folder");
    let file = write_geopackage(folder.path());
    let path = PathBuf::from(format!("{}:楼栋", file.display()));
    let raw = read_geopackage(&path, usize::MAX).expect("reads");
    assert_eq!(raw.len(), 9);
    both_ways(&path, raw);
    // A view registered as a feature table has no row ids to split the reading on.
    let view = PathBuf::from(format!("{}:住宅楼", file.display()));
    let raw = read_geopackage(&view, usize::MAX).expect("reads the view");
    assert_eq!(raw.len(), 7);
    both_ways(&view, raw);

    let (buildings, _, _) = read_flat(&path);
    let ids: Vec<&str> = buildings
        .iter()
        .map(|building| &*building.source_id)
        .collect();
    assert_eq!(ids, ["甲1", "甲2", "甲3", "甲4", "甲5", "甲6"]);
    assert_eq!(buildings[1].households, 120);
    assert_eq!(buildings[1].footprint.0[0].interiors().len(), 1);
}
