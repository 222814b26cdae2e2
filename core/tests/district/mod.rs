//! What the district-data tests share: the demo's files, opening layers without caches, the
//! households per community, and writers of the formats a district office hands over (a GBK
//! Shapefile in a Gauss-Krüger zone, a GeoPackage in a city grid), made through the crates
//! themselves.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use dbase::{FieldName, FieldValue, Record, TableWriterBuilder};
use geo::Winding;
use serde_json::Value;
use shapefile::{Point, Polygon, PolygonRing};
use shequ_core::Session;
use shequ_core::crs::Crs;
use shequ_core::load::LayerCacheUse;
use shequ_core::profile::RuleProfile;
use shequ_core::session::{LayerInputs, OpenOptions};
use shequ_core::testing::{geopackage_blob, geopackage_catalogue, register_feature_table};

/// The bundled demo's folder.
pub fn demo_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sample_data/nanchang-demo")
}

/// A JSON file.
pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

/// A session from layers, caches left alone.
pub fn open(inputs: &LayerInputs) -> Session {
    Session::from_layers(
        inputs,
        RuleProfile::default(),
        OpenOptions {
            cache: LayerCacheUse::Off,
            ..OpenOptions::default()
        },
    )
    .expect("opens")
}

/// Households per community id.
pub fn households(session: &Session) -> Vec<(String, u64)> {
    session
        .plan()
        .communities()
        .map(|(key, community)| (community.id.clone(), session.tallies().of(key).households))
        .collect()
}

/// Layers with nothing but their paths set.
pub fn layer_inputs(buildings: PathBuf, communities: Option<PathBuf>) -> LayerInputs {
    LayerInputs {
        buildings,
        streets: None,
        communities,
        fields: Default::default(),
        unknown_use_is_residential: false,
        systems: Default::default(),
        encodings: Default::default(),
        register: None,
    }
}

/// The outer ring of a GeoJSON polygon's first ring, taken into `crs`.
fn ring_in(ring: &Value, crs: &Crs) -> Vec<geo::Coord<f64>> {
    ring.as_array()
        .expect("ring")
        .iter()
        .map(|position| {
            let (x, y) = crs
                .from_wgs84(
                    position[0].as_f64().expect("lon"),
                    position[1].as_f64().expect("lat"),
                )
                .expect("projects");
            geo::coord! {x: x, y: y}
        })
        .collect()
}

/// A dBASE field name.
pub fn field(name: &str) -> FieldName {
    FieldName::try_from(name).expect("a field name of at most 10 bytes")
}

/// A text cell of a JSON value.
pub fn text(value: Option<&Value>) -> FieldValue {
    FieldValue::Character(value.and_then(Value::as_str).map(str::to_owned))
}

/// A number cell of a JSON value.
pub fn number(value: Option<&Value>) -> FieldValue {
    FieldValue::Numeric(value.and_then(Value::as_f64))
}

/// CGCS2000 3-degree Gauss-Krüger zone 39 as a `.prj` holds it.
pub const ZONE_39_PRJ: &str = r#"PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 39",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",117],PARAMETER["scale_factor",1],PARAMETER["false_easting",39500000],PARAMETER["false_northing",0],UNIT["metre",1]]"#;

/// The demo's buildings as `楼栋.shp` in zone 39, with Chinese field names and values in GBK
/// (two bytes a character, so 户数 is 4 of the 10 bytes a dBASE name may have) and no `.cpg`.
pub fn write_gbk_buildings(folder: &Path) -> PathBuf {
    let zone_39 = Crs::parse("EPSG:4527").expect("zone 39");
    let layer = read_json(&demo_folder().join("buildings.geojson"));
    let path = folder.join("楼栋.shp");
    let table =
        TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(encoding_rs::GBK))
            .add_character_field(field("编号"), 20)
            .add_character_field(field("用途"), 20)
            .add_numeric_field(field("层数"), 4, 0)
            .add_numeric_field(field("户数"), 6, 0)
            .add_character_field(field("小区"), 40)
            .add_character_field(field("单位"), 40);
    let mut writer = shapefile::Writer::from_path(&path, table).expect("writer");
    for feature in layer["features"].as_array().expect("features") {
        let outer: Vec<Point> = ring_in(&feature["geometry"]["coordinates"][0], &zone_39)
            .into_iter()
            .map(|coord| Point::new(coord.x, coord.y))
            .collect();
        let polygon = Polygon::with_rings(vec![PolygonRing::Outer(outer)]);
        let properties = &feature["properties"];
        let use_in_chinese = match properties["building"].as_str() {
            Some("residential") => Some("住宅"),
            Some(other) => Some(other),
            None => None,
        };
        let mut record = Record::default();
        record.insert("编号".to_owned(), text(properties.get("id")));
        record.insert(
            "用途".to_owned(),
            FieldValue::Character(use_in_chinese.map(str::to_owned)),
        );
        record.insert("层数".to_owned(), number(properties.get("floors")));
        record.insert("户数".to_owned(), number(properties.get("households")));
        record.insert("小区".to_owned(), text(properties.get("estate")));
        record.insert("单位".to_owned(), text(properties.get("work_unit")));
        writer
            .write_shape_and_record(&polygon, &record)
            .expect("written");
    }
    drop(writer);
    std::fs::write(folder.join("楼栋.prj"), ZONE_39_PRJ).expect("prj");
    std::fs::remove_file(folder.join("楼栋.cpg")).ok();
    field_names_in_gbk(&path);
    path
}

/// The `dbase` writer stores field names as UTF-8 whatever the table's encoding; a GBK export
/// stores them in GBK, as here.
fn field_names_in_gbk(shp: &Path) {
    let dbf = shp.with_extension("dbf");
    let mut bytes = std::fs::read(&dbf).expect("dbf");
    let mut at = 32;
    while bytes[at] != 0x0D {
        let name = &bytes[at..at + 11];
        let end = name.iter().position(|byte| *byte == 0).unwrap_or(11);
        let text = std::str::from_utf8(&name[..end])
            .expect("utf-8 name")
            .to_owned();
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let mut padded = [0u8; 11];
        padded[..gbk.len()].copy_from_slice(&gbk);
        bytes[at..at + 11].copy_from_slice(&padded);
        at += 32;
    }
    std::fs::write(&dbf, bytes).expect("write");
}

/// Clears the `.dbf`'s language-driver byte, as many exports leave it.
pub fn clear_language_driver(shp: &Path) {
    let dbf = shp.with_extension("dbf");
    let mut bytes = std::fs::read(&dbf).expect("dbf");
    bytes[29] = 0;
    std::fs::write(&dbf, bytes).expect("write");
}

/// A city grid of its own (organisation NONE in the GeoPackage): transverse Mercator on
/// 115.8°E with a false northing of −3,000 km.
pub const CITY_GRID_WKT: &str = r#"PROJCS["Nanchang city grid",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",115.8],PARAMETER["scale_factor",1],PARAMETER["false_easting",50000],PARAMETER["false_northing",-3000000],UNIT["metre",1]]"#;

/// The demo plan's communities as the table 社区 of a GeoPackage in the city grid, beside a
/// tile table (which is no layer).
pub fn write_communities_geopackage(folder: &Path) -> PathBuf {
    let grid = Crs::parse(CITY_GRID_WKT).expect("the city grid");
    let plan = read_json(&demo_folder().join("plan.shequ.geojson"));
    let path = folder.join("社区.gpkg");
    let connection = rusqlite::Connection::open(&path).expect("sqlite");
    geopackage_catalogue(&connection).expect("catalogue");
    connection
        .execute_batch(
            r#"
            CREATE TABLE "社区" (fid INTEGER PRIMARY KEY, geom BLOB, id TEXT, name TEXT,
                type TEXT, street_office TEXT, district TEXT);
            CREATE TABLE tiles (id INTEGER PRIMARY KEY, zoom_level INTEGER, tile_data BLOB);
            INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES ('tiles', 'tiles', 100000);
            "#,
        )
        .expect("schema");
    register_feature_table(&connection, "社区", "MULTIPOLYGON", 100_000).expect("registered");
    connection
        .execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES ('city grid', 100000, 'NONE', 100000, ?1, '')",
            [CITY_GRID_WKT],
        )
        .expect("srs");
    for feature in plan["features"].as_array().expect("features") {
        let geometry = &feature["geometry"];
        let polygons: Vec<&Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["coordinates"]],
            _ => geometry["coordinates"]
                .as_array()
                .expect("parts")
                .iter()
                .collect(),
        };
        let multipolygon = geo::MultiPolygon::new(
            polygons
                .into_iter()
                .map(|rings| {
                    let rings = rings.as_array().expect("rings");
                    geo::Polygon::new(
                        geo::LineString::new(ring_in(&rings[0], &grid)),
                        rings[1..]
                            .iter()
                            .map(|ring| geo::LineString::new(ring_in(ring, &grid)))
                            .collect(),
                    )
                })
                .collect(),
        );
        let blob = geopackage_blob(Some(&geo::Geometry::MultiPolygon(multipolygon)), 100_000);
        let properties = &feature["properties"];
        let text = |key: &str| properties[key].as_str().map(str::to_owned);
        connection
            .execute(
                r#"INSERT INTO "社区" (geom, id, name, type, street_office, district) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"#,
                rusqlite::params![
                    blob,
                    text("id"),
                    text("name"),
                    text("type"),
                    text("street_office"),
                    text("district")
                ],
            )
            .expect("row");
    }
    path
}

/// The demo plan's communities as an Esri JSON FeatureSet in zone 39 (wkid 4527), outer rings
/// clockwise as Esri writes them; the first community's first edge is a circular arc bulging
/// a millimetre from its chord (`curveRings`).
pub fn write_communities_esri_json(folder: &Path) -> PathBuf {
    use serde_json::json;
    let zone_39 = Crs::parse("EPSG:4527").expect("zone 39");
    let plan = read_json(&demo_folder().join("plan.shequ.geojson"));
    let mut features = Vec::new();
    for (index, feature) in plan["features"]
        .as_array()
        .expect("features")
        .iter()
        .enumerate()
    {
        let geometry = &feature["geometry"];
        let polygons: Vec<&Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["coordinates"]],
            _ => geometry["coordinates"]
                .as_array()
                .expect("parts")
                .iter()
                .collect(),
        };
        let mut rings: Vec<Vec<Value>> = Vec::new();
        for rings_of_polygon in polygons {
            for (ring_index, ring) in rings_of_polygon
                .as_array()
                .expect("rings")
                .iter()
                .enumerate()
            {
                let mut points = ring_in(ring, &zone_39);
                // Esri: outer rings clockwise, holes counter-clockwise.
                let clockwise = geo::LineString::new(points.clone()).is_cw();
                if clockwise != (ring_index == 0) {
                    points.reverse();
                }
                rings.push(
                    points
                        .iter()
                        .map(|point| json!([point.x, point.y]))
                        .collect(),
                );
            }
        }
        let geometry = if index == 0 {
            let first = &rings[0];
            let (start, end) = (&first[0], &first[1]);
            let middle = |axis: usize| {
                (start[axis].as_f64().expect("x") + end[axis].as_f64().expect("y")) / 2.0
            };
            let (dx, dy) = (
                end[0].as_f64().expect("x") - start[0].as_f64().expect("x"),
                end[1].as_f64().expect("y") - start[1].as_f64().expect("y"),
            );
            let length = dx.hypot(dy);
            // A millimetre off the chord, to its left.
            let interior = json!([
                middle(0) - dy / length * 0.001,
                middle(1) + dx / length * 0.001
            ]);
            let mut curved = vec![start.clone(), json!({"c": [end.clone(), interior]})];
            curved.extend(first[2..].iter().cloned());
            let mut curve_rings = vec![curved];
            curve_rings.extend(rings[1..].iter().cloned());
            json!({"curveRings": curve_rings})
        } else {
            json!({"rings": rings})
        };
        let properties = &feature["properties"];
        features.push(json!({
            "attributes": {
                "id": properties["id"],
                "name": properties["name"],
                "type": properties["type"],
                "street_office": properties["street_office"],
                "district": properties["district"],
            },
            "geometry": geometry,
        }));
    }
    let set = json!({
        "displayFieldName": "name",
        "geometryType": "esriGeometryPolygon",
        "spatialReference": {"wkid": 4527, "latestWkid": 4527},
        "features": features,
    });
    let path = folder.join("communities.json");
    std::fs::write(&path, set.to_string()).expect("write");
    path
}
