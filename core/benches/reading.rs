//! Reading a buildings layer of 100k buildings (1M with `SHEQU_BENCH_MILLION=1`) as GeoJSON in
//! WGS 84, as a UTF-8 Shapefile in WGS 84, as the same Shapefile in CGCS2000 Gauss-Krüger zone
//! 39 (EPSG:4527, so reprojection is in the figure) and as a GeoPackage table. The Shapefile and
//! GeoPackage are written here from the generated city through the `shapefile`, `dbase`,
//! `rusqlite` and `wkb` crates, once, into `target/bench-cities/`.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use dbase::{FieldName, FieldValue, Record, TableWriterBuilder};
use serde_json::Value;
use shapefile::{Point, Polygon, PolygonRing};
use shequ_core::attributes::FieldMapping;
use shequ_core::crs::Crs;
use shequ_core::load::{LayerReading, load_buildings};
use shequ_core::profile::RuleProfile;
use shequ_core::progress::LoadProgress;
use shequ_core::testing::{geopackage_blob, geopackage_catalogue, register_feature_table};

/// A generated building: its outer rings (WGS 84) and properties.
struct Footprint {
    rings: Vec<Vec<(f64, f64)>>,
    id: String,
    building_use: String,
    floors: f64,
    households: Option<f64>,
}

fn footprints(geojson: &Path) -> Vec<Footprint> {
    let layer: Value =
        serde_json::from_slice(&std::fs::read(geojson).expect("the city's buildings"))
            .expect("GeoJSON");
    let positions = |ring: &Value| -> Vec<(f64, f64)> {
        ring.as_array()
            .expect("ring")
            .iter()
            .map(|at| (at[0].as_f64().expect("x"), at[1].as_f64().expect("y")))
            .collect()
    };
    layer["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|feature| {
            let geometry = &feature["geometry"];
            let polygons: Vec<&Value> = match geometry["type"].as_str() {
                Some("Polygon") => vec![&geometry["coordinates"]],
                _ => geometry["coordinates"]
                    .as_array()
                    .expect("polygons")
                    .iter()
                    .collect(),
            };
            let properties = &feature["properties"];
            Footprint {
                // The generated footprints have no holes.
                rings: polygons
                    .iter()
                    .map(|polygon| positions(&polygon[0]))
                    .collect(),
                id: properties["id"].as_str().unwrap_or_default().to_owned(),
                building_use: properties["building"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                floors: properties["floors"].as_f64().unwrap_or(1.0),
                households: properties["households"].as_f64(),
            }
        })
        .collect()
}

/// The footprints as a UTF-8 Shapefile in `crs` (WGS 84 when `None`), outer rings clockwise.
fn write_shapefile(footprints: &[Footprint], path: &Path, crs: Option<&Crs>) {
    let field = |name: &str| FieldName::try_from(name).expect("a short name");
    let table =
        TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(encoding_rs::UTF_8))
            .add_character_field(field("id"), 12)
            .add_character_field(field("building"), 16)
            .add_numeric_field(field("floors"), 4, 0)
            .add_numeric_field(field("households"), 6, 0);
    let mut writer = shapefile::Writer::from_path(path, table).expect("writer");
    for footprint in footprints {
        let rings = footprint
            .rings
            .iter()
            .map(|ring| {
                let mut points: Vec<Point> = ring
                    .iter()
                    .map(|(x, y)| {
                        let (x, y) = crs.map_or((*x, *y), |crs| {
                            crs.from_wgs84(*x, *y).expect("inside the zone")
                        });
                        Point::new(x, y)
                    })
                    .collect();
                let area: f64 = points
                    .windows(2)
                    .map(|pair| pair[0].x * pair[1].y - pair[1].x * pair[0].y)
                    .sum();
                if area > 0.0 {
                    points.reverse();
                }
                PolygonRing::Outer(points)
            })
            .collect();
        let mut record = Record::default();
        record.insert(
            "id".to_owned(),
            FieldValue::Character(Some(footprint.id.clone())),
        );
        record.insert(
            "building".to_owned(),
            FieldValue::Character(Some(footprint.building_use.clone())),
        );
        record.insert(
            "floors".to_owned(),
            FieldValue::Numeric(Some(footprint.floors)),
        );
        record.insert(
            "households".to_owned(),
            FieldValue::Numeric(footprint.households),
        );
        writer
            .write_shape_and_record(&Polygon::with_rings(rings), &record)
            .expect("written");
    }
    drop(writer);
    std::fs::write(path.with_extension("cpg"), "UTF-8").expect("cpg");
    if let Some(crs) = crs {
        let wkt = crs.wkt().expect("the zone's WKT");
        std::fs::write(path.with_extension("prj"), wkt).expect("prj");
    }
}

/// The footprints as a GeoPackage table `buildings` in WGS 84.
fn write_geopackage(footprints: &[Footprint], path: &Path) {
    let mut connection = rusqlite::Connection::open(path).expect("sqlite");
    geopackage_catalogue(&connection).expect("catalogue");
    connection
        .execute(
            "CREATE TABLE buildings (fid INTEGER PRIMARY KEY, geom BLOB, id TEXT, building TEXT, floors REAL, households INTEGER)",
            [],
        )
        .expect("schema");
    register_feature_table(&connection, "buildings", "MULTIPOLYGON", 4326).expect("registered");
    let transaction = connection.transaction().expect("transaction");
    {
        let mut insert = transaction
            .prepare("INSERT INTO buildings (geom, id, building, floors, households) VALUES (?1, ?2, ?3, ?4, ?5)")
            .expect("insert");
        for footprint in footprints {
            let polygons = footprint
                .rings
                .iter()
                .map(|ring| {
                    geo::Polygon::new(
                        ring.iter()
                            .map(|(x, y)| geo::coord! {x: *x, y: *y})
                            .collect(),
                        vec![],
                    )
                })
                .collect();
            let blob = geopackage_blob(
                Some(&geo::Geometry::MultiPolygon(geo::MultiPolygon::new(
                    polygons,
                ))),
                4326,
            );
            insert
                .execute(rusqlite::params![
                    blob,
                    footprint.id,
                    footprint.building_use,
                    footprint.floors,
                    footprint.households.map(|households| households as i64)
                ])
                .expect("row");
        }
    }
    transaction.commit().expect("committed");
}

/// The city of `buildings` buildings in every format read here, written once.
fn layers(buildings: usize) -> Vec<(&'static str, PathBuf, Option<Crs>)> {
    let plan = common::city(buildings);
    let folder = plan.parent().expect("the city's folder").to_path_buf();
    let geojson = folder.join("buildings.geojson");
    let (shp, shp_zone, gpkg) = (
        folder.join("buildings.shp"),
        folder.join("buildings-gk.shp"),
        folder.join("buildings.gpkg"),
    );
    let zone_39 = Crs::parse("EPSG:4527").expect("zone 39");
    if !shp.exists() || !shp_zone.exists() || !gpkg.exists() {
        let footprints = footprints(&geojson);
        write_shapefile(&footprints, &shp, None);
        write_shapefile(&footprints, &shp_zone, Some(&zone_39));
        let _ = std::fs::remove_file(&gpkg);
        write_geopackage(&footprints, &gpkg);
    }
    vec![
        ("geojson", geojson, None),
        ("shapefile", shp, None),
        ("shapefile_zone_39", shp_zone, Some(zone_39)),
        ("geopackage", gpkg, None),
    ]
}

fn benchmarks(criterion: &mut Criterion) {
    let (mapping, profile) = (FieldMapping::default(), RuleProfile::default());
    for buildings in common::sizes(&[]) {
        let mut group = criterion.benchmark_group(format!("read_buildings_{buildings}"));
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(if buildings >= 1_000_000 {
            60
        } else {
            10
        }));
        for (format, path, crs) in layers(buildings) {
            let reading = LayerReading {
                crs: crs.as_ref(),
                encoding: None,
            };
            group.bench_with_input(
                BenchmarkId::from_parameter(format),
                &path,
                |bencher, path| {
                    bencher.iter(|| {
                        load_buildings(
                            path,
                            &reading,
                            &mapping,
                            &profile,
                            u64::MAX,
                            &LoadProgress::default(),
                        )
                        .expect("reads")
                    })
                },
            );
        }
        group.finish();
    }
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
