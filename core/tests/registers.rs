//! Household registers give the households the buildings layer does not: the demo's buildings
//! with their household counts taken out, joined to a register (an Excel sheet of one row per
//! building, or a GBK CSV of one row per household), count exactly as the demo with its counts.

mod district;

use std::path::{Path, PathBuf};

use district::{demo_folder, households, open};

use serde_json::Value;
use shequ_core::Session;
use shequ_core::io::register::{RegisterCount, RegisterSpec};
use shequ_core::load::LayerCacheUse;
use shequ_core::profile::RuleProfile;
use shequ_core::session::{LayerInputs, OpenOptions};

fn inputs(buildings: PathBuf, register: Option<RegisterSpec>) -> LayerInputs {
    LayerInputs {
        buildings,
        streets: None,
        communities: Some(demo_folder().join("plan.shequ.geojson")),
        fields: Default::default(),
        unknown_use_is_residential: false,
        systems: Default::default(),
        encodings: Default::default(),
        register,
    }
}

/// The demo's buildings without their household counts (written to `folder`), and the counts
/// taken out, by building code.
fn buildings_without_counts(folder: &Path) -> (PathBuf, Vec<(String, u64)>) {
    let mut layer: Value = serde_json::from_str(
        &std::fs::read_to_string(demo_folder().join("buildings.geojson")).expect("read"),
    )
    .expect("json");
    let mut counts = Vec::new();
    for feature in layer["features"].as_array_mut().expect("features") {
        let properties = feature["properties"].as_object_mut().expect("properties");
        let code = properties["id"].as_str().expect("id").to_owned();
        // The layer's id is under another name, as a district's building code would be.
        properties.insert("楼栋编码".to_owned(), Value::String(code.clone()));
        properties.remove("id");
        if let Some(households) = properties
            .remove("households")
            .and_then(|value| value.as_u64())
        {
            counts.push((code, households));
        }
    }
    let path = folder.join("buildings.geojson");
    std::fs::write(&path, layer.to_string()).expect("write");
    (path, counts)
}

#[test]
fn an_excel_register_of_one_row_per_building_gives_the_counts_the_layer_lost() {
    let folder = tempfile::tempdir().expect("folder");
    let expected = households(&open(&inputs(
        demo_folder().join("buildings.geojson"),
        None,
    )));
    let (buildings, counts) = buildings_without_counts(folder.path());
    let without = households(&open(&inputs(buildings.clone(), None)));
    assert_ne!(without, expected, "the estimate differs from the data");

    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("户籍").expect("name");
    sheet.write_string(0, 0, "编码").expect("header");
    sheet.write_string(0, 1, "户数").expect("header");
    for (row, (code, households)) in counts.iter().enumerate() {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, code).expect("code");
        sheet
            .write_number(row, 1, *households as f64)
            .expect("households");
    }
    // A row for a building that is not in the layer.
    let last = counts.len() as u32 + 1;
    sheet.write_string(last, 0, "B9999999").expect("code");
    sheet.write_number(last, 1, 40.0).expect("households");
    let register = folder.path().join("register.xlsx");
    workbook.save(&register).expect("saved");

    let spec = RegisterSpec {
        path: register,
        sheet: Some("户籍".to_owned()),
        building_field: "楼栋编码".to_owned(),
        table_field: "编码".to_owned(),
        households: RegisterCount::Column("户数".to_owned()),
        residents: None,
    };
    let session = open(&inputs(buildings, Some(spec)));
    assert_eq!(households(&session), expected);
    let unmatched = session
        .warnings()
        .iter()
        .find(|warning| warning.problem.contains("match no building"))
        .expect("the stray row is named");
    assert!(unmatched.problem.contains("B9999999"), "{unmatched}");

    // Saved, the plan keeps the register and its join, and opens to the same counts.
    let plan = folder.path().join("plan.shequ.geojson");
    let mut session = session;
    session.save_as(&plan).expect("saves");
    assert!(
        std::fs::read_to_string(&plan)
            .expect("read")
            .contains("\"table_field\": \"编码\"")
    );
    assert_eq!(
        households(&Session::open(&plan).expect("reopens")),
        expected
    );
}

#[test]
fn a_gbk_csv_of_one_row_per_household_is_counted_per_building() {
    let folder = tempfile::tempdir().expect("folder");
    let expected = households(&open(&inputs(
        demo_folder().join("buildings.geojson"),
        None,
    )));
    let (buildings, counts) = buildings_without_counts(folder.path());
    let mut text = String::from("户号,楼栋编码,户主\n");
    for (code, households) in &counts {
        for household in 0..*households {
            text.push_str(&format!("{code}-{household},{code},户主{household}\n"));
        }
    }
    let register = folder.path().join("户籍.csv");
    std::fs::write(&register, encoding_rs::GBK.encode(&text).0).expect("write");
    let spec = RegisterSpec {
        path: register,
        sheet: None,
        building_field: "楼栋编码".to_owned(),
        table_field: "楼栋编码".to_owned(),
        households: RegisterCount::CountRows,
        residents: None,
    };
    assert_eq!(households(&open(&inputs(buildings, Some(spec)))), expected);
}

#[test]
fn a_register_without_its_key_column_is_refused_with_the_columns_it_has() {
    let folder = tempfile::tempdir().expect("folder");
    let (buildings, _) = buildings_without_counts(folder.path());
    let register = folder.path().join("register.csv");
    std::fs::write(&register, "code,households\nB0000001,3\n").expect("write");
    let spec = RegisterSpec {
        path: register,
        sheet: None,
        building_field: "楼栋编码".to_owned(),
        table_field: "楼栋编码".to_owned(),
        households: RegisterCount::Column("households".to_owned()),
        residents: None,
    };
    let error = Session::from_layers(
        &inputs(buildings, Some(spec)),
        RuleProfile::default(),
        OpenOptions {
            cache: LayerCacheUse::Off,
            ..OpenOptions::default()
        },
    )
    .expect_err("no key column");
    let message = error.to_string();
    assert!(
        message.contains("register.csv") && message.contains("\"code\""),
        "{message}"
    );
}
