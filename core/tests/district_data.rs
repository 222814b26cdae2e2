//! A district office's data as it comes: buildings as a GBK Shapefile in CGCS2000 Gauss-Krüger
//! zone 39 (no `.cpg`) without household counts, communities as a GeoPackage table in the city's
//! own grid, households in an Excel register. The plan made from them counts exactly what the
//! same data in GeoJSON WGS 84 counts.

mod district;

use shequ_core::io::geopackage::{contents, read_geopackage};
use shequ_core::io::register::{RegisterCount, RegisterSpec};

use district::{
    clear_language_driver, demo_folder, households, layer_inputs, open, read_json,
    write_communities_geopackage, write_gbk_buildings,
};

#[test]
fn a_gbk_shapefile_a_geopackage_in_a_city_grid_and_an_excel_register_count_as_geojson() {
    let folder = tempfile::tempdir().expect("folder");
    let demo = demo_folder();
    let expected = households(&open(&layer_inputs(
        demo.join("buildings.geojson"),
        Some(demo.join("plan.shequ.geojson")),
    )));

    let buildings = write_gbk_buildings(folder.path());
    clear_language_driver(&buildings);
    let communities = write_communities_geopackage(folder.path());
    // The register holds the households the Shapefile also has; the Shapefile's own counts are
    // replaced by the register's (and agree).
    let layer = read_json(&demo.join("buildings.geojson"));
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "楼栋编号").expect("header");
    sheet.write_string(0, 1, "户数").expect("header");
    let mut row = 1;
    for feature in layer["features"].as_array().expect("features") {
        let properties = &feature["properties"];
        if let Some(households) = properties["households"].as_f64() {
            sheet
                .write_string(row, 0, properties["id"].as_str().expect("id"))
                .expect("code");
            sheet.write_number(row, 1, households).expect("households");
            row += 1;
        }
    }
    let register = folder.path().join("户籍.xlsx");
    workbook.save(&register).expect("saved");

    let mut inputs = layer_inputs(buildings, Some(communities));
    inputs.register = Some(RegisterSpec {
        path: register,
        sheet: None,
        building_field: "编号".to_owned(),
        table_field: "楼栋编号".to_owned(),
        households: RegisterCount::Column("户数".to_owned()),
        residents: None,
    });
    let session = open(&inputs);
    assert_eq!(households(&session), expected);
    // Every row found its building; the residential buildings the data has no count for have
    // no row either, and are estimated as before (and said to be).
    let estimated = session
        .layers()
        .buildings
        .iter()
        .filter(|building| building.households_source == shequ_core::layers::FigureSource::Estimate)
        .count();
    let warnings = session.warnings();
    assert!(
        warnings
            .iter()
            .all(|warning| !warning.problem.contains("match no building")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|warning| warning.problem.contains("no row") && warning.count == estimated),
        "{warnings:?}"
    );
}

#[test]
fn a_geopackage_lists_its_tables_and_a_tile_table_is_no_layer() {
    let folder = tempfile::tempdir().expect("folder");
    let communities = write_communities_geopackage(folder.path());
    let tables = contents(&communities).expect("contents");
    let kinds: Vec<(&str, &str, Option<u64>)> = tables
        .iter()
        .map(|table| (table.name.as_str(), table.kind.as_str(), table.rows))
        .collect();
    assert_eq!(
        kinds,
        [("tiles", "tiles", None), ("社区", "features", Some(90))]
    );
    let with_table = folder.path().join("社区.gpkg:社区");
    assert_eq!(read_geopackage(&with_table, 3).expect("reads").len(), 3);
    let tiles = read_geopackage(&folder.path().join("社区.gpkg:tiles"), 3).expect_err("tiles");
    assert!(tiles.to_string().contains("not features"), "{tiles}");
    let missing = read_geopackage(&folder.path().join("社区.gpkg:roads"), 3).expect_err("none");
    assert!(
        missing.to_string().contains("社区 (90 features)"),
        "{missing}"
    );
    let not_sqlite = folder.path().join("fake.gpkg");
    std::fs::write(&not_sqlite, "not a database").expect("write");
    let error = read_geopackage(&not_sqlite, 3).expect_err("not SQLite");
    assert!(error.to_string().contains("fake.gpkg"), "{error}");
}

#[test]
fn communities_in_an_esri_json_featureset_with_a_curve_count_as_the_geojson() {
    let folder = tempfile::tempdir().expect("folder");
    let demo = demo_folder();
    let expected = households(&open(&layer_inputs(
        demo.join("buildings.geojson"),
        Some(demo.join("plan.shequ.geojson")),
    )));
    let communities = district::write_communities_esri_json(folder.path());
    let session = open(&layer_inputs(
        demo.join("buildings.geojson"),
        Some(communities),
    ));
    assert_eq!(households(&session), expected);
    let curved = session
        .warnings()
        .iter()
        .find(|warning| warning.problem.contains("circular arcs"))
        .expect("the curved feature is counted");
    assert_eq!(curved.count, 1);
}

#[test]
fn communities_exported_as_a_gbk_shapefile_and_a_geopackage_in_zone_39_read_back_the_same() {
    use shequ_core::export::{ExportFormats, ExportOptions, export_for_approval};
    let demo = demo_folder();
    let session = shequ_core::Session::open(&demo.join("plan.shequ.geojson")).expect("opens");
    let report = shequ_core::report::CheckReport::of(&session);
    let folder = tempfile::tempdir().expect("folder");
    let mut options = ExportOptions::new(shequ_core::lang::Language::Chinese);
    options.formats = ExportFormats::parse("shp,gpkg").expect("formats");
    options.crs = shequ_core::crs::Crs::parse("EPSG:4527").expect("zone 39");
    options.encoding = encoding_rs::GB18030;
    let written = export_for_approval(&session, &report, folder.path(), &options)
        .expect("exports")
        .written;
    let names: Vec<String> = written
        .iter()
        .map(|path| {
            path.file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            "communities.shp",
            "communities.shx",
            "communities.dbf",
            "communities.cpg",
            "communities.prj",
            "communities.gpkg"
        ]
    );
    let expected = households(&session);
    for layer in ["communities.shp", "communities.gpkg:communities"] {
        let reopened = open(&layer_inputs(
            demo.join("buildings.geojson"),
            Some(folder.path().join(layer)),
        ));
        assert_eq!(households(&reopened), expected, "{layer}");
        let names: Vec<&str> = reopened
            .plan()
            .communities()
            .map(|(_, community)| community.properties.name.as_str())
            .collect();
        assert_eq!(
            names[0], report.communities[0].name,
            "{layer}: GBK names read back"
        );
    }
    // The .dbf is GBK: its bytes are not UTF-8.
    let dbf = std::fs::read(folder.path().join("communities.dbf")).expect("dbf");
    assert!(std::str::from_utf8(&dbf[dbf.len().saturating_sub(2000)..]).is_err());
}
