//! The plan file: a save and reload keeps every community, unknown members and properties
//! survive, older files load, newer ones are refused clearly, and the approval export is
//! readable by QGIS and Excel.

mod support;

use std::path::Path;

use serde_json::{Value, json};
use shequ_core::Session;
use shequ_core::export::export_for_approval;
use shequ_core::load::LayerCacheUse;
use shequ_core::report::CheckReport;
use shequ_core::session::OpenOptions;
use support::{demo_copy, demo_folder};

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("read")).expect("valid JSON")
}

#[test]
fn saving_and_reopening_keeps_every_community_and_its_figures() {
    let (folder, plan) = demo_copy();
    let mut session = Session::open(&plan).expect("opens");
    let saved = folder.path().join("saved.shequ.geojson");
    session.save_as(&saved).expect("saves");
    let reopened = Session::open(&saved).expect("reopens");
    assert_eq!(reopened.plan().len(), session.plan().len());
    for ((key, before), (again_key, after)) in session
        .plan()
        .communities()
        .zip(reopened.plan().communities())
    {
        assert_eq!(before.id, after.id);
        assert_eq!(before.properties.name, after.properties.name);
        assert_eq!(before.properties.kind, after.properties.kind);
        assert_eq!(
            before.properties.street_office,
            after.properties.street_office
        );
        assert_eq!(
            session.tallies().of(key).households,
            reopened.tallies().of(again_key).households
        );
        for (a, b) in before.boundary.0[0]
            .exterior()
            .coords()
            .zip(after.boundary.0[0].exterior().coords())
        {
            // Seven decimals of a degree are about a centimetre.
            assert!(
                (a.x - b.x).abs() < 0.02 && (a.y - b.y).abs() < 0.02,
                "{a:?} → {b:?}"
            );
        }
    }
    assert_eq!(
        reopened.plan().street_offices.len(),
        session.plan().street_offices.len()
    );
}

#[test]
fn unknown_members_and_properties_survive_a_round_trip() {
    let (folder, plan) = demo_copy();
    let mut document = read_json(&plan);
    document["crs_note"] = json!("kept at the top level");
    document["shequ"]["accepted_exceptions_of_a_newer_version"] = json!([{"rule": "x"}]);
    document["shequ"]["layers"]["tiles"] = json!("future.pmtiles");
    document["features"][0]["properties"]["survey_year"] = json!(2023);
    std::fs::write(&plan, serde_json::to_vec(&document).expect("serialise")).expect("write");

    let mut session = Session::open(&plan).expect("opens");
    let saved = folder.path().join("saved.shequ.geojson");
    session.save_as(&saved).expect("saves");
    let written = read_json(&saved);
    assert_eq!(written["crs_note"], json!("kept at the top level"));
    assert_eq!(
        written["shequ"]["accepted_exceptions_of_a_newer_version"],
        json!([{"rule": "x"}])
    );
    assert_eq!(written["shequ"]["layers"]["tiles"], json!("future.pmtiles"));
    assert_eq!(
        written["features"][0]["properties"]["survey_year"],
        json!(2023)
    );
    assert_eq!(written["shequ"]["generator"]["command"], json!("gen-city"));
}

#[test]
fn a_minimal_version_one_plan_without_optional_members_loads() {
    let (folder, _) = demo_copy();
    let plan = folder.path().join("minimal.shequ.geojson");
    let text = r#"{"type":"FeatureCollection","shequ":{"format_version":1,"layers":{"buildings":"buildings.geojson"}},
      "features":[{"type":"Feature","properties":{"name":"整个城市"},"geometry":{"type":"Polygon","coordinates":[[[115.85,28.63],[115.95,28.63],[115.95,28.73],[115.85,28.73],[115.85,28.63]]]}}]}"#;
    std::fs::write(&plan, text).expect("write");
    let session = Session::open(&plan).expect("a plan with only the required members opens");
    assert_eq!(session.plan().len(), 1);
    assert_eq!(
        session.tallies().of(session.plan().keys()[0]).buildings as usize,
        session.layers().buildings.len()
    );
}

#[test]
fn a_plan_of_a_newer_format_is_refused_with_advice_to_update() {
    let (_folder, plan) = demo_copy();
    let mut document = read_json(&plan);
    document["shequ"]["format_version"] = json!(99);
    std::fs::write(&plan, serde_json::to_vec(&document).expect("serialise")).expect("write");
    let error = Session::open(&plan).expect_err("newer format");
    assert!(error.to_string().contains("newer shequ"), "{error}");
}

#[test]
fn a_plain_geojson_layer_is_not_mistaken_for_a_plan() {
    let error = Session::open(&demo_folder().join("buildings.geojson")).expect_err("not a plan");
    assert!(error.to_string().contains("shequ import"), "{error}");
}

#[test]
fn the_export_writes_geojson_features_and_a_csv_excel_reads_as_utf8() {
    let session = Session::open(&demo_folder().join("plan.shequ.geojson")).expect("opens");
    let report = CheckReport::of(&session);
    let folder = tempfile::tempdir().expect("temp dir");
    export_for_approval(
        &session,
        &report,
        folder.path(),
        &shequ_core::export::ExportOptions::new(shequ_core::lang::Language::Chinese),
    )
    .expect("exports");

    let geojson = read_json(&folder.path().join("communities.geojson"));
    let features = geojson["features"].as_array().expect("features");
    assert_eq!(features.len(), session.plan().len());
    let first = &features[0]["properties"];
    assert_eq!(first["id"], json!(report.communities[0].id));
    assert_eq!(first["households"], json!(report.communities[0].households));
    for key in [
        "name",
        "type",
        "street_office",
        "district",
        "residents",
        "buildings",
        "estimate_share",
        "violations",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }

    let csv = std::fs::read(folder.path().join("communities.csv")).expect("csv");
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 byte-order mark for Excel"
    );
    let text = String::from_utf8(csv[3..].to_vec()).expect("UTF-8");
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .expect("header")
            .starts_with("编号,名称,类型,街道,区,户数"),
        "Chinese headers under Chinese"
    );
    assert_eq!(lines.count(), session.plan().len());
    assert!(text.contains(&report.communities[0].name));
}

#[test]
fn a_recovery_copy_holds_the_unsaved_edits_and_leaves_the_plan_unsaved() {
    let (folder, plan) = demo_copy();
    let mut session = Session::open(&plan).expect("opens");
    let key = session.plan().key_of("SQ0050").expect("exists");
    let mut properties = session
        .plan()
        .community(key)
        .expect("exists")
        .properties
        .clone();
    properties.name = "恢复测试社区".to_owned();
    properties.notes = "东侧两栋待核实\n(街道办意见)".to_owned();
    session
        .execute(shequ_core::edit::Command::SetProperties {
            key,
            properties: Box::new(properties),
        })
        .expect("renames");
    let recovery = folder.path().join(".plan.shequ.geojson.recovery.geojson");
    session.write_copy(&recovery).expect("writes the copy");
    assert!(session.is_dirty(), "a recovery copy is not a save");
    assert_eq!(session.plan_path(), Some(plan.as_path()));
    let restored = Session::open_recovery(&recovery, &plan).expect("the copy opens");
    let community = restored
        .plan()
        .community(restored.plan().key_of("SQ0050").expect("exists"))
        .expect("exists");
    assert_eq!(community.properties.name, "恢复测试社区");
    assert_eq!(
        community.properties.notes, "东侧两栋待核实\n(街道办意见)",
        "notes survive the file"
    );
    assert!(restored.is_dirty(), "restored edits are not saved yet");
    assert_eq!(restored.plan_path(), Some(plan.as_path()));
    let original = Session::open(&plan).expect("the plan file is untouched");
    assert_ne!(
        original
            .plan()
            .community(original.plan().key_of("SQ0050").expect("exists"))
            .map(|community| community.properties.name.as_str()),
        Some("恢复测试社区")
    );
}

#[test]
fn a_second_open_reads_the_layer_caches_and_finds_exactly_what_parsing_finds() {
    let (folder, plan) = demo_copy();
    let parsed = Session::open_with(
        &plan,
        OpenOptions {
            cache: LayerCacheUse::Off,
            ..OpenOptions::default()
        },
    )
    .expect("opens");
    assert!(!parsed.timings().layers_from_cache);
    let cache = |layer: &str| folder.path().join(format!(".{layer}.shequ-cache"));
    assert!(!cache("buildings.geojson").exists(), "Off writes no cache");

    let first = Session::open(&plan).expect("opens and writes the caches");
    assert!(!first.timings().layers_from_cache);
    assert!(cache("buildings.geojson").exists() && cache("streets.geojson").exists());
    let second = Session::open(&plan).expect("opens from the caches");
    assert!(second.timings().layers_from_cache);
    assert_eq!(second.layers().buildings, parsed.layers().buildings);
    assert_eq!(second.layers().streets, parsed.layers().streets);
    assert_eq!(second.projection(), parsed.projection());
    let report = |session: &Session| {
        let mut report = serde_json::to_value(CheckReport::of(session)).expect("JSON");
        report["timings_ms"] = Value::Null;
        report
    };
    assert_eq!(report(&second), report(&parsed));

    // A changed layer is parsed again (and its cache rewritten).
    let buildings = folder.path().join("buildings.geojson");
    let mut text = std::fs::read_to_string(&buildings).expect("read");
    text.push('\n');
    std::fs::write(&buildings, text).expect("touch the layer");
    let third = Session::open(&plan).expect("opens");
    assert!(!third.timings().layers_from_cache);
    assert_eq!(third.layers().buildings, parsed.layers().buildings);
}

#[test]
fn a_damaged_cache_is_ignored_and_the_layer_parsed() {
    let (folder, plan) = demo_copy();
    let parsed = Session::open(&plan).expect("opens and writes the caches");
    let cache = folder.path().join(".buildings.geojson.shequ-cache");
    let mut bytes = std::fs::read(&cache).expect("cache");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&cache, bytes).expect("damage");
    let reopened = Session::open(&plan).expect("opens");
    assert!(!reopened.timings().layers_from_cache);
    assert_eq!(reopened.layers().buildings, parsed.layers().buildings);
}

#[test]
fn the_approval_workbook_has_its_sheets_in_chinese_with_numbers_as_numbers() {
    use calamine::Reader;
    let session = Session::open(&demo_folder().join("plan.shequ.geojson")).expect("opens");
    let report = CheckReport::of(&session);
    let folder = tempfile::tempdir().expect("temp dir");
    let mut options = shequ_core::export::ExportOptions::new(shequ_core::lang::Language::Chinese);
    options.formats = shequ_core::export::ExportFormats::parse("xlsx").expect("formats");
    let written = export_for_approval(&session, &report, folder.path(), &options)
        .expect("exports")
        .written;
    assert_eq!(written, vec![folder.path().join("approval.xlsx")]);
    let mut workbook = calamine::open_workbook_auto(&written[0]).expect("opens");
    assert_eq!(
        workbook.sheet_names(),
        [
            "社区",
            "街道",
            "区",
            "全市",
            "违规",
            "已接受例外",
            "修改记录"
        ]
    );
    let communities = workbook.worksheet_range("社区").expect("sheet");
    let rows: Vec<_> = communities.rows().collect();
    assert_eq!(rows.len(), session.plan().len() + 1);
    assert_eq!(rows[0][5], calamine::Data::String("户数".to_owned()));
    assert_eq!(
        rows[1][5],
        calamine::Data::Float(report.communities[0].households as f64)
    );
    let city = workbook.worksheet_range("全市").expect("sheet");
    let households: f64 = report
        .communities
        .iter()
        .map(|row| row.households as f64)
        .sum();
    assert_eq!(
        city.rows().nth(1).expect("row")[3],
        calamine::Data::Float(households)
    );
}
