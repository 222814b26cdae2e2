//! The `shequ` binary end to end: check, import, export and gen-city, with their exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use geo::Contains;
use serde_json::Value;
use shequ_core::Session;

fn shequ(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shequ"))
        .args(arguments)
        .output()
        .expect("shequ runs")
}

fn sample_plan(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data")
        .join(name)
        .join("plan.shequ.geojson")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn check_json(plan: &Path) -> Value {
    let output = shequ(&[
        "check",
        plan.to_str().expect("utf-8 path"),
        "--format",
        "json",
    ]);
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "{}",
        text(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON report")
}

/// Households per community id, counted without any index: every building against every
/// community boundary.
fn independent_households(plan: &Path) -> Vec<(String, u64)> {
    let session = Session::open(plan).expect("opens");
    session
        .plan()
        .communities()
        .map(|(_, community)| {
            let households = session
                .layers()
                .buildings
                .iter()
                .filter(|building| {
                    building.residential
                        && community.boundary.contains(&building.representative_point)
                })
                .map(|building| u64::from(building.households))
                .sum();
            (community.id.clone(), households)
        })
        .collect()
}

fn reported_households(report: &Value) -> Vec<(String, u64)> {
    report["communities"]
        .as_array()
        .expect("communities")
        .iter()
        .map(|row| {
            (
                row["id"].as_str().expect("id").to_owned(),
                row["households"].as_u64().expect("households"),
            )
        })
        .collect()
}

#[test]
fn check_json_of_the_demo_plan_matches_an_independent_count() {
    let plan = sample_plan("nanchang-demo");
    let report = check_json(&plan);
    assert_eq!(report["schema"], "shequ.check/1");
    assert_eq!(report["communities"].as_array().map(Vec::len), Some(90));
    assert_eq!(reported_households(&report), independent_households(&plan));
    for key in [
        "street_offices",
        "districts",
        "unassigned",
        "cut_buildings",
        "violations",
        "timings_ms",
    ] {
        assert!(report.get(key).is_some(), "missing {key}");
    }
    for key in ["load", "index", "tally", "rules", "total"] {
        assert!(
            report["timings_ms"][key].is_number(),
            "missing timing {key}"
        );
    }
    let first = &report["communities"][0];
    for key in [
        "id",
        "name",
        "type",
        "street_office",
        "district",
        "households",
        "residents",
        "buildings",
        "estimated_households",
    ] {
        assert!(first.get(key).is_some(), "missing community {key}");
    }
}

#[test]
fn check_json_of_the_porto_plan_matches_an_independent_count() {
    let plan = sample_plan("porto");
    let report = check_json(&plan);
    assert_eq!(reported_households(&report), independent_households(&plan));
    assert!(
        report["unassigned"]["households"]
            .as_u64()
            .is_some_and(|households| households > 0)
    );
}

#[test]
fn check_prints_tables_and_violations_and_exits_1_while_errors_remain() {
    let output = shequ(&[
        "check",
        sample_plan("nanchang-demo").to_str().expect("utf-8"),
        "--lang",
        "zh",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("户数 households") && stdout.contains("东湖区"),
        "{stdout}"
    );
    assert!(
        stdout.contains("错误 (") && stdout.contains("警告 ("),
        "{stdout}"
    );
    assert!(stdout.contains("超过 2,000 户上限 (第6条)"), "{stdout}");
    assert!(stdout.contains("Timings:"), "{stdout}");
    let english = text(
        &shequ(&[
            "check",
            sample_plan("nanchang-demo").to_str().expect("utf-8"),
            "--lang",
            "en",
        ])
        .stdout,
    );
    assert!(
        english.contains("Errors (") && english.contains("above the maximum of 2,000 (clause 6)"),
        "{english}"
    );
}

#[test]
fn accepting_every_error_makes_check_exit_0_and_lists_them_apart() {
    let folder = tempfile::tempdir().expect("temp dir");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/nanchang-demo");
    for file in ["plan.shequ.geojson", "buildings.geojson", "streets.geojson"] {
        std::fs::copy(demo.join(file), folder.path().join(file)).expect("copy");
    }
    let plan = folder.path().join("plan.shequ.geojson");
    let plan_text = plan.to_str().expect("utf-8");
    let report = check_json(&plan);
    for violation in report["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter(|row| row["severity"] == "error")
    {
        let ids: Vec<&str> = violation["communities"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(violation["areas"].as_array().into_iter().flatten())
            .filter_map(Value::as_str)
            .collect();
        let ids = if ids.is_empty() {
            violation["buildings"][0]
                .as_str()
                .expect("a building")
                .to_owned()
        } else {
            ids.join(",")
        };
        let rule = violation["rule"].as_str().expect("rule");
        let mut arguments = vec![
            "accept",
            plan_text,
            "--rule",
            rule,
            "--ids",
            &ids,
            "--reason",
            "试点, 按区政府意见保留",
            "--approver",
            "东湖区民政局",
            "--date",
            "2026-11-27",
        ];
        if rule == "community.cuts_building" {
            arguments.extend(["--case", "estate"]);
        }
        let output = shequ(&arguments);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{rule} {ids}: {}",
            text(&output.stderr)
        );
    }
    let output = shequ(&["check", plan_text, "--lang", "en"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("Errors (0)") && stdout.contains("Accepted exceptions ("),
        "{stdout}"
    );
    assert!(
        stdout.contains("approved by 东湖区民政局, 2026-11-27"),
        "{stdout}"
    );
}

#[test]
fn accepting_a_violation_that_does_not_occur_is_refused() {
    let output = shequ(&[
        "accept",
        sample_plan("nanchang-demo").to_str().expect("utf-8"),
        "--rule",
        "community.households",
        "--ids",
        "SQ0050",
        "--reason",
        "x",
        "--approver",
        "y",
        "--out",
        "/nonexistent/never-written.geojson",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("no violation of rule community.households about SQ0050"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn check_with_layers_instead_of_a_plan_gives_the_same_households() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/nanchang-demo");
    let output = shequ(&[
        "check",
        "--buildings",
        folder.join("buildings.geojson").to_str().expect("utf-8"),
        "--communities",
        folder.join("plan.shequ.geojson").to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "{}",
        text(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        reported_households(&report),
        reported_households(&check_json(&sample_plan("nanchang-demo")))
    );
}

#[test]
fn check_with_buildings_in_a_gauss_kruger_zone_and_crs_gives_the_same_households() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/nanchang-demo");
    let folder = tempfile::tempdir().expect("folder");
    let zone_39 = shequ_core::crs::Crs::parse("EPSG:4527").expect("zone 39");
    let mut layer: Value = serde_json::from_str(
        &std::fs::read_to_string(demo.join("buildings.geojson")).expect("read"),
    )
    .expect("json");
    for feature in layer["features"].as_array_mut().expect("features") {
        for ring in feature["geometry"]["coordinates"]
            .as_array_mut()
            .expect("rings")
        {
            for position in ring.as_array_mut().expect("positions") {
                let (longitude, latitude) = (position[0].as_f64(), position[1].as_f64());
                let (x, y) = zone_39
                    .from_wgs84(longitude.expect("lon"), latitude.expect("lat"))
                    .expect("projects");
                *position = serde_json::json!([x, y]);
            }
        }
    }
    let buildings = folder.path().join("buildings.geojson");
    std::fs::write(&buildings, layer.to_string()).expect("write");
    let arguments = |crs: Option<&str>| {
        let mut arguments = vec![
            "check".to_owned(),
            "--buildings".to_owned(),
            buildings.to_string_lossy().into_owned(),
            "--communities".to_owned(),
            demo.join("plan.shequ.geojson")
                .to_string_lossy()
                .into_owned(),
            "--format".to_owned(),
            "json".to_owned(),
        ];
        if let Some(crs) = crs {
            arguments.extend(["--crs".to_owned(), crs.to_owned()]);
        }
        arguments
    };
    let run = |arguments: Vec<String>| {
        let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
        shequ(&arguments)
    };
    let refused = run(arguments(None));
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("EPSG:4527"),
        "{}",
        text(&refused.stderr)
    );
    let output = run(arguments(Some("buildings=EPSG:4527")));
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "{}",
        text(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        reported_households(&report),
        reported_households(&check_json(&sample_plan("nanchang-demo")))
    );
    // Each community says where it landed, in WGS 84.
    let bbox = &report["communities"][0]["bbox_lonlat"];
    assert!(
        bbox[0]
            .as_f64()
            .is_some_and(|west| (115.0..117.0).contains(&west)),
        "{bbox}"
    );
}

#[test]
fn bad_input_exits_with_code_two_and_names_the_file() {
    let folder = tempfile::tempdir().expect("temp dir");
    let broken = folder.path().join("broken.geojson");
    std::fs::write(
        &broken,
        "{\"type\": \"FeatureCollection\", \"features\": [}",
    )
    .expect("write");
    let output = shequ(&[
        "check",
        "--buildings",
        broken.to_str().expect("utf-8"),
        "--communities",
        broken.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("broken.geojson") && stderr.contains("line 1"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_with_code_two() {
    assert_eq!(shequ(&["check"]).status.code(), Some(2));
    assert_eq!(
        shequ(&["check", "--format", "yaml", "x"]).status.code(),
        Some(2)
    );
    assert_eq!(shequ(&["no-such-command"]).status.code(), Some(2));
}

#[test]
fn every_command_has_help_with_the_chinese_terms() {
    let output = shequ(&["--help"]);
    assert!(text(&output.stdout).contains("社区"));
    for command in [
        "check",
        "import",
        "export",
        "gen-city",
        "profile",
        "fix",
        "partition",
        "grids",
    ] {
        let output = shequ(&[command, "--help"]);
        assert_eq!(output.status.code(), Some(0), "{command}");
        let help = text(&output.stdout);
        assert!(
            help.chars()
                .any(|character| ('\u{4e00}'..='\u{9fff}').contains(&character)),
            "{command}: {help}"
        );
    }
}

#[test]
fn import_then_export_writes_a_plan_and_the_approval_files() {
    let folder = tempfile::tempdir().expect("temp dir");
    let porto = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/porto");
    let plan = folder.path().join("porto.shequ.geojson");
    let output = shequ(&[
        "import",
        "--buildings",
        porto
            .join("porto_osm_buildings.geojson")
            .to_str()
            .expect("utf-8"),
        "--streets",
        porto
            .join("porto_osm_roads.geojson")
            .to_str()
            .expect("utf-8"),
        "--communities",
        porto
            .join("porto_osm_parishes_pre2013.geojson")
            .to_str()
            .expect("utf-8"),
        "--out",
        plan.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let written: Value =
        serde_json::from_slice(&std::fs::read(&plan).expect("plan written")).expect("JSON");
    let buildings_path = written["shequ"]["layers"]["buildings"]
        .as_str()
        .expect("relative path");
    assert!(
        buildings_path.ends_with("porto_osm_buildings.geojson") && !buildings_path.starts_with('/'),
        "{buildings_path}"
    );

    let export = folder.path().join("export");
    // Porto has errors (uncovered buildings), which an export still writes.
    let output = shequ(&[
        "export",
        plan.to_str().expect("utf-8"),
        "--out",
        export.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let communities: Value = serde_json::from_slice(
        &std::fs::read(export.join("communities.geojson")).expect("geojson"),
    )
    .expect("JSON");
    assert_eq!(communities["features"].as_array().map(Vec::len), Some(4));
    assert!(
        std::fs::read(export.join("communities.csv"))
            .expect("csv")
            .starts_with(b"\xEF\xBB\xBF")
    );
    assert!(
        tiny_skia::Pixmap::load_png(export.join("map.png")).is_ok(),
        "the export holds a readable map image"
    );
}

/// How many pixels of `map` are within a few levels of `colour` in every channel.
fn pixels_near(map: &tiny_skia::Pixmap, colour: [u8; 3]) -> usize {
    map.pixels()
        .iter()
        .filter(|pixel| {
            [pixel.red(), pixel.green(), pixel.blue()]
                .iter()
                .zip(colour)
                .all(|(channel, wanted)| channel.abs_diff(wanted) <= 6)
        })
        .count()
}

#[test]
fn export_of_the_demo_draws_a_map_sheet_with_clean_and_erring_communities() {
    let folder = tempfile::tempdir().expect("temp dir");
    let plan =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/nanchang-demo/plan.shequ.geojson");
    let output = shequ(&[
        "export",
        plan.to_str().expect("utf-8"),
        "--out",
        folder.path().to_str().expect("utf-8"),
        "--lang",
        "zh",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    for file in [
        "communities.geojson",
        "communities.csv",
        "summary.csv",
        "map.png",
    ] {
        assert!(folder.path().join(file).is_file(), "{file} written");
    }
    let map = tiny_skia::Pixmap::load_png(folder.path().join("map.png")).expect("a PNG");
    // A4 landscape at 200 dpi.
    assert_eq!((map.width(), map.height()), (2340, 1654));
    // The translucent fills over the map's background: green where a community keeps the
    // rules, red where it breaks one (the demo plants errors).
    let over_background = |fill: shequ::theme::Rgba| {
        let background = shequ::theme::MAP_BACKGROUND;
        let opacity = f32::from(fill.3) / 255.0;
        let blend = |under: u8, over: u8| {
            (f32::from(under) * (1.0 - opacity) + f32::from(over) * opacity).round() as u8
        };
        [
            blend(background.0, fill.0),
            blend(background.1, fill.1),
            blend(background.2, fill.2),
        ]
    };
    let clean = pixels_near(&map, over_background(shequ::theme::community_fill(None)));
    let erring = pixels_near(
        &map,
        over_background(shequ::theme::community_fill(Some(
            shequ_core::violation::Severity::Error,
        ))),
    );
    assert!(clean > 500_000, "clean fill pixels: {clean}");
    assert!(erring > 20_000, "error fill pixels: {erring}");
    // Black text (title, labels, legend) is drawn.
    let ink = pixels_near(&map, [25, 30, 45]);
    assert!(ink > 3_000, "ink pixels: {ink}");
}

#[test]
fn export_writes_the_map_sheet_as_pdf_and_svg_on_the_paper_and_scale_asked_for() {
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = sample_plan("nanchang-demo");
    let output = shequ(&[
        "export",
        plan.to_str().expect("utf-8"),
        "--out",
        folder.path().to_str().expect("utf-8"),
        "--lang",
        "zh",
        "--formats",
        "pdf,svg",
        "--paper",
        "a3",
        "--orientation",
        "portrait",
        "--scale",
        "1:5000",
        "--title",
        "东湖区社区调整方案",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        !folder.path().join("map.png").exists(),
        "only what was asked"
    );
    let pdf = std::fs::read(folder.path().join("map.pdf")).expect("a PDF");
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|window| window == needle);
    assert!(pdf.starts_with(b"%PDF-"));
    // An A3 portrait page (297 × 420 mm in points), the font embedded with its Unicode map.
    let media_box = String::from_utf8_lossy(&pdf)
        .split("/MediaBox [0 0 ")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .map(|sides| {
            sides
                .split_whitespace()
                .filter_map(|side| side.parse::<f64>().ok())
                .collect::<Vec<_>>()
        })
        .expect("a page size");
    assert!(
        (media_box[0] - 841.89).abs() < 0.1 && (media_box[1] - 1190.55).abs() < 0.1,
        "A3 portrait: {media_box:?}"
    );
    assert!(has(b"/FontFile3") && has(b"/ToUnicode"));
    let svg = std::fs::read_to_string(folder.path().join("map.svg")).expect("an SVG");
    assert!(svg.contains(r#"width="297mm" height="420mm""#));
    assert!(svg.contains("东湖区社区调整方案") && svg.contains("1:5,000"));
    assert!(svg.contains("@font-face"));
    // The plan file is not changed by the export's layout.
    let settings = std::fs::read_to_string(&plan).expect("reads");
    assert!(!settings.contains("print_layout"));

    let refused = shequ(&[
        "export",
        plan.to_str().expect("utf-8"),
        "--out",
        folder.path().to_str().expect("utf-8"),
        "--scale",
        "large",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("\"large\" is no print scale"));
}

#[test]
fn gen_city_writes_a_plan_that_checks() {
    let folder = tempfile::tempdir().expect("temp dir");
    let output = shequ(&[
        "gen-city",
        "--buildings",
        "2000",
        "--seed",
        "5",
        "--out",
        folder.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report = check_json(&folder.path().join("plan.shequ.geojson"));
    let total: u64 = reported_households(&report)
        .iter()
        .map(|(_, households)| households)
        .sum();
    assert!(total > 0);
}

#[test]
fn profile_print_writes_the_nanchang_profile_with_its_clauses() {
    let output = shequ(&["profile", "--print"]);
    assert_eq!(output.status.code(), Some(0));
    let profile = text(&output.stdout);
    assert!(
        profile.contains("name = \"nanchang-2002\"") && profile.contains("clause = 6"),
        "{profile}"
    );
}

/// A copy of the demo plan and its layers in a temporary folder.
fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().expect("temp dir");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/nanchang-demo");
    for file in ["plan.shequ.geojson", "buildings.geojson", "streets.geojson"] {
        std::fs::copy(demo.join(file), folder.path().join(file)).expect("copy");
    }
    let plan = folder.path().join("plan.shequ.geojson");
    (folder, plan)
}

/// The lon/lat bounds of a community in a plan file: (west, south, east, north).
fn bounds_of(plan: &Path, id: &str) -> (f64, f64, f64, f64) {
    let document: Value =
        serde_json::from_slice(&std::fs::read(plan).expect("read")).expect("JSON");
    let feature = document["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|feature| feature["properties"]["id"] == id)
        .expect("community");
    let mut bounds = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for position in feature["geometry"]["coordinates"][0]
        .as_array()
        .expect("ring")
    {
        let (x, y) = (
            position[0].as_f64().expect("lon"),
            position[1].as_f64().expect("lat"),
        );
        bounds = (
            bounds.0.min(x),
            bounds.1.min(y),
            bounds.2.max(x),
            bounds.3.max(y),
        );
    }
    bounds
}

fn households_by_id(plan: &Path) -> std::collections::BTreeMap<String, u64> {
    reported_households(&check_json(plan)).into_iter().collect()
}

#[test]
fn edit_merges_splits_and_assigns_blocks_from_a_script_conserving_households() {
    let (_folder, plan) = demo_copy();
    let plan_text = plan.to_str().expect("utf-8");
    let before = households_by_id(&plan);

    let output = shequ(&["edit", plan_text, "--merge", "SQ0041,SQ0042"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let merged = households_by_id(&plan);
    assert!(!merged.contains_key("SQ0042"));
    assert_eq!(merged["SQ0041"], before["SQ0041"] + before["SQ0042"]);

    let (west, south, east, north) = bounds_of(&plan, "SQ0041");
    let middle = (west + east) / 2.0;
    let line = format!("{middle} {}, {middle} {}", south - 0.001, north + 0.001);
    let output = shequ(&["edit", plan_text, "--split", "SQ0041", "--line", &line]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let split = households_by_id(&plan);
    assert_eq!(
        split["SQ0041"] + split["SQ0041-2"],
        before["SQ0041"] + before["SQ0042"]
    );

    let (west, south, east, north) = bounds_of(&plan, "SQ0043");
    let point = format!("{},{}", (west + east) / 2.0, (south + north) / 2.0);
    let output = shequ(&[
        "edit",
        plan_text,
        "--assign-block",
        &point,
        "--to",
        "SQ0044",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let assigned = households_by_id(&plan);
    assert!(assigned["SQ0044"] > split["SQ0044"]);
    assert_eq!(
        assigned["SQ0043"] + assigned["SQ0044"],
        split["SQ0043"] + split["SQ0044"]
    );
}

#[test]
fn a_refused_edit_exits_2_and_leaves_the_plan_file_as_it_was() {
    let (_folder, plan) = demo_copy();
    let original = std::fs::read(&plan).expect("read");
    let output = shequ(&[
        "edit",
        plan.to_str().expect("utf-8"),
        "--merge",
        "SQ0041,SQ0090",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("do not touch"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(std::fs::read(&plan).expect("read"), original);
}

#[test]
fn a_merge_naming_a_community_twice_exits_2_names_it_and_leaves_the_plan_file_as_it_was() {
    let (_folder, plan) = demo_copy();
    let original = std::fs::read(&plan).expect("read");
    for ids in [
        "SQ0001,SQ0001",
        "SQ0001,SQ0002,SQ0001",
        "SQ0002,SQ0001,SQ0001",
    ] {
        let output = shequ(&["edit", plan.to_str().expect("utf-8"), "--merge", ids]);
        assert_eq!(output.status.code(), Some(2), "{ids}");
        let message = text(&output.stderr);
        assert!(
            message.contains("SQ0001") && message.contains("more than once"),
            "{ids}: {message}"
        );
        assert_eq!(std::fs::read(&plan).expect("read"), original, "{ids}");
    }
}

#[test]
fn export_writes_its_manifest_last_and_refuses_a_file_as_its_folder() {
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = sample_plan("nanchang-demo");
    let out = folder.path().join("approval");
    let output = shequ(&[
        "export",
        plan.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest"))
            .expect("json");
    let names: Vec<&str> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|file| file["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "communities.geojson",
            "communities.csv",
            "summary.csv",
            "log.csv",
            "approval.xlsx",
            "map.pdf",
            "map.png"
        ]
    );
    let file = folder.path().join("a-file");
    std::fs::write(&file, b"keep me").expect("write");
    let output = shequ(&[
        "export",
        plan.to_str().expect("utf-8"),
        "--out",
        file.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("folder"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(std::fs::read(&file).expect("read"), b"keep me");
}

#[test]
fn import_and_gen_city_refuse_to_overwrite_without_force() {
    let folder = tempfile::tempdir().expect("temp dir");
    let out = folder.path().to_str().expect("utf-8");
    let first = shequ(&["gen-city", "--buildings", "1000", "--out", out]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let again = shequ(&["gen-city", "--buildings", "1000", "--out", out]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again.stderr).contains("--force"),
        "{}",
        text(&again.stderr)
    );
    let forced = shequ(&["gen-city", "--buildings", "1000", "--out", out, "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stderr));
    let plan = folder.path().join("plan.shequ.geojson");
    let before = std::fs::read(&plan).expect("plan");
    let buildings = folder.path().join("buildings.geojson");
    let import = shequ(&[
        "import",
        "--buildings",
        buildings.to_str().expect("utf-8"),
        "--out",
        plan.to_str().expect("utf-8"),
    ]);
    assert_eq!(import.status.code(), Some(2));
    assert!(
        text(&import.stderr).contains("--force"),
        "{}",
        text(&import.stderr)
    );
    assert_eq!(std::fs::read(&plan).expect("plan"), before);
}

#[cfg(unix)]
#[test]
fn a_device_as_a_layer_is_refused_at_once_with_the_path_named() {
    let folder = tempfile::tempdir().expect("temp dir");
    let communities = folder.path().join("communities.geojson");
    std::fs::write(
        &communities,
        br#"{"type":"FeatureCollection","features":[]}"#,
    )
    .expect("write");
    let output = shequ(&[
        "check",
        "--buildings",
        "/dev/zero",
        "--communities",
        communities.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(
        message.contains("/dev/zero") && message.contains("device"),
        "{message}"
    );
}

/// Saves killed at seeded random moments leave the plan either as it was or as saved, always
/// whole, and the next save clears what the killed ones left.
#[test]
fn a_save_killed_at_any_moment_leaves_the_old_or_the_new_plan_and_no_temporaries_after_the_next() {
    let (folder, plan) = demo_copy();
    let original = std::fs::read(&plan).expect("read");
    // Warm the layer caches so that most runs reach the save.
    assert_eq!(
        shequ(&["check", plan.to_str().expect("utf-8")])
            .status
            .code(),
        Some(1)
    );
    let mut random = 0x5eed_u64;
    let mut next = || {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        random
    };
    for _ in 0..12 {
        std::fs::write(&plan, &original).expect("reset");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_shequ"))
            .args([
                "edit",
                plan.to_str().expect("utf-8"),
                "--merge",
                "SQ0041,SQ0042",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("starts");
        std::thread::sleep(std::time::Duration::from_millis(next() % 400));
        child.kill().ok();
        child.wait().expect("ends");
        let now = std::fs::read(&plan).expect("the plan is there");
        let parsed: Value = serde_json::from_slice(&now).expect("the plan is whole JSON");
        let ids: Vec<&str> = parsed["features"]
            .as_array()
            .expect("features")
            .iter()
            .filter_map(|feature| feature["properties"]["id"].as_str())
            .collect();
        assert!(
            now == original || !ids.contains(&"SQ0042"),
            "the plan is the old one or the merged one"
        );
    }
    std::fs::write(&plan, &original).expect("reset");
    let saved = shequ(&[
        "edit",
        plan.to_str().expect("utf-8"),
        "--merge",
        "SQ0041,SQ0042",
    ]);
    assert_eq!(saved.status.code(), Some(0), "{}", text(&saved.stderr));
    let leftovers: Vec<String> = std::fs::read_dir(folder.path())
        .expect("list")
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".saving"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn unclear_errors_are_clear_now() {
    // A read error says its cause once.
    let missing = shequ(&["check", "/no/such/plan.shequ.geojson"]);
    let message = text(&missing.stderr);
    assert_eq!(message.matches("No such file").count(), 1, "{message}");
    // gen-city with one building does not ask about --communities, which was never given.
    let folder = tempfile::tempdir().expect("temp dir");
    let one = shequ(&[
        "gen-city",
        "--buildings",
        "1",
        "--out",
        folder.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(one.status.code(), Some(0), "{}", text(&one.stderr));
    // An unknown profile name lists the built-in ones.
    let (_demo, plan) = demo_copy();
    let mut document: Value =
        serde_json::from_slice(&std::fs::read(&plan).expect("read")).expect("json");
    document["shequ"]["profile"] = serde_json::json!({"name": "shanghai-2020"});
    std::fs::write(&plan, serde_json::to_vec(&document).expect("json")).expect("write");
    let unknown = shequ(&["check", plan.to_str().expect("utf-8")]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("nanchang-2002"),
        "{}",
        text(&unknown.stderr)
    );
    // An exception's date must be a date.
    let (_demo, plan) = demo_copy();
    let original = std::fs::read(&plan).expect("read");
    let dated = shequ(&[
        "accept",
        plan.to_str().expect("utf-8"),
        "--rule",
        "community.households",
        "--ids",
        "SQ0002",
        "--reason",
        "r",
        "--approver",
        "a",
        "--date",
        "not-a-date",
    ]);
    assert_eq!(dated.status.code(), Some(2));
    assert!(
        text(&dated.stderr).contains("YYYY-MM-DD"),
        "{}",
        text(&dated.stderr)
    );
    assert_eq!(std::fs::read(&plan).expect("read"), original);
}

/// The demo with SQ0082 merged into SQ0081 by `shequ edit`, written into `folder`.
fn merged_demo(folder: &Path) -> PathBuf {
    let merged = folder.join("merged.shequ.geojson");
    let output = shequ(&[
        "edit",
        sample_plan("nanchang-demo").to_str().expect("utf-8"),
        "--merge",
        "SQ0081,SQ0082",
        "--out",
        merged.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    merged
}

#[test]
fn compare_of_a_merged_plan_lists_one_transfer_in_every_format() {
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = sample_plan("nanchang-demo");
    let merged = merged_demo(folder.path());
    let compare = |format: &str| {
        let output = shequ(&[
            "compare",
            plan.to_str().expect("utf-8"),
            merged.to_str().expect("utf-8"),
            "--format",
            format,
            "--lang",
            "zh",
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        text(&output.stdout)
    };
    let json: Value = serde_json::from_str(&compare("json")).expect("JSON");
    assert_eq!(json["schema"], "shequ.compare/1");
    let moves: Vec<&Value> = json["transfers"]
        .as_array()
        .expect("transfers")
        .iter()
        .filter(|transfer| transfer["from"] != transfer["to"])
        .collect();
    assert_eq!(moves.len(), 1);
    assert_eq!(
        (moves[0]["from"].as_str(), moves[0]["to"].as_str()),
        (Some("SQ0082"), Some("SQ0081"))
    );
    let csv = compare("csv");
    assert!(
        csv.starts_with("\u{feff}原社区,新社区,户数,人口,楼栋\n"),
        "{csv}"
    );
    assert!(csv.contains("SQ0082,SQ0081,"));
    let table = compare("table");
    assert!(table.contains("SQ0082  新祺周社区  撤销"), "{table}");

    let missing = shequ(&[
        "compare",
        plan.to_str().expect("utf-8"),
        "gone.shequ.geojson",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("gone.shequ.geojson"));
}

#[test]
fn an_edit_is_logged_in_the_plan_and_an_export_compared_with_the_plan_before_carries_the_transfers()
{
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = sample_plan("nanchang-demo");
    let merged = merged_demo(folder.path());

    // The merge is in the new plan's log, with the households of both communities.
    let log = |format: &str| {
        let output = shequ(&[
            "log",
            merged.to_str().expect("utf-8"),
            "--format",
            format,
            "--lang",
            "zh",
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        text(&output.stdout)
    };
    let entries: Value = serde_json::from_str(&log("json")).expect("JSON");
    let entries = entries.as_array().expect("a list");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["step_zh"], "合并");
    assert_eq!(entries[0]["action"], "done");
    let ids: Vec<&str> = entries[0]["communities"]
        .as_array()
        .expect("communities")
        .iter()
        .filter_map(|community| community["id"].as_str())
        .collect();
    assert_eq!(ids, ["SQ0081", "SQ0082"]);
    let csv = log("csv");
    assert!(
        csv.starts_with("\u{feff}时间,操作人,方案,操作,步骤,说明,社区编号"),
        "{csv}"
    );
    assert_eq!(
        csv.lines().count(),
        3,
        "a header and a row a community: {csv}"
    );
    assert!(log("table").contains("合并"));
    // The original plan has no log yet.
    let output = shequ(&["log", plan.to_str().expect("utf-8"), "--lang", "en"]);
    assert!(text(&output.stdout).contains("No changes recorded"));

    let out = folder.path().join("export");
    let output = shequ(&[
        "export",
        merged.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--formats",
        "csv,xlsx,svg",
        "--compare-with",
        plan.to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let transfers = std::fs::read_to_string(out.join("transfers.csv")).expect("transfers.csv");
    assert!(transfers.starts_with("\u{feff}From,To,Households,Residents,Buildings\n"));
    let moved: Vec<&str> = transfers
        .lines()
        .skip(1)
        .filter(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            cells[0] != cells[1]
        })
        .collect();
    assert_eq!(moved.len(), 1, "{transfers}");
    assert!(moved[0].starts_with("SQ0082,SQ0081,"));
    let log_csv = std::fs::read_to_string(out.join("log.csv")).expect("log.csv");
    assert!(log_csv.contains(",方案一,done,merge,"), "{log_csv}");
    let workbook: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("approval.xlsx")).expect("opens");
    let names = calamine::Reader::sheet_names(&workbook);
    assert!(names.iter().any(|name| name == "Change log"), "{names:?}");
    assert!(names.iter().any(|name| name == "Transfers"), "{names:?}");
    // The before-and-after sheet beside the map sheet, titled so, the old boundary dashed.
    let sheet = std::fs::read_to_string(out.join("before_after.svg")).expect("before_after.svg");
    assert!(sheet.contains("before and after"), "the title names it");
    assert!(
        sheet.contains("#78288c"),
        "the boundary before, in its colour"
    );
    assert!(
        sheet.contains("#eb7800"),
        "the buildings that change community"
    );
    assert!(out.join("map.svg").exists());
}

#[test]
fn the_commands_take_a_scenario_by_name_and_compare_two_scenarios_of_one_plan() {
    let (_folder, plan) = demo_copy();
    let path = plan.to_str().expect("utf-8");
    {
        let mut session = Session::open(&plan).expect("opens");
        session.create_scenario("合并方案").expect("creates");
        session.switch_scenario("合并方案").expect("switches");
        let keys = ["SQ0081", "SQ0082"]
            .map(|id| session.plan().key_of(id).expect("there"))
            .to_vec();
        session
            .execute(shequ_core::edit::Command::Merge {
                keys,
                allow_several_parts: false,
            })
            .expect("merges");
        session.switch_scenario("方案一").expect("switches back");
        session.save_as(&plan).expect("saves");
    }
    let communities = |scenario: &str| {
        let output = shequ(&["check", path, "--scenario", scenario, "--format", "json"]);
        assert!(
            output.status.code().is_some_and(|code| code <= 1),
            "{}",
            text(&output.stderr)
        );
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        report["communities"].as_array().expect("communities").len()
    };
    assert_eq!(communities("合并方案") + 1, communities("方案一"));

    let output = shequ(&[
        "compare",
        path,
        "--with-scenario",
        "合并方案",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let comparison: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let moved = comparison["transfers"]
        .as_array()
        .expect("transfers")
        .iter()
        .filter(|transfer| transfer["from"] != transfer["to"])
        .count();
    assert_eq!(moved, 1);

    // Editing a scenario leaves the file showing the scenario it was saved with.
    let output = shequ(&[
        "edit",
        path,
        "--scenario",
        "合并方案",
        "--merge",
        "SQ0083,SQ0084",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("SQ0084"),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(communities("合并方案") + 2, communities("方案一"));
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).expect("reads")).expect("JSON");
    assert_eq!(saved["shequ"]["scenario"], "方案一");

    let out = plan.with_file_name("export");
    let output = shequ(&[
        "export",
        path,
        "--scenario",
        "合并方案",
        "--formats",
        "geojson",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest"))
            .expect("JSON");
    assert_eq!(manifest["scenario"], "合并方案");
    let exported: Value = serde_json::from_slice(
        &std::fs::read(out.join("communities.geojson")).expect("communities"),
    )
    .expect("JSON");
    assert_eq!(exported["scenario"], "合并方案");

    let unknown = shequ(&["check", path, "--scenario", "丙方案"]);
    assert_eq!(unknown.status.code(), Some(2));
    let complaint = text(&unknown.stderr);
    assert!(
        complaint.contains("丙方案") && complaint.contains("合并方案"),
        "{complaint}"
    );
    let alone = shequ(&["compare", path]);
    assert_eq!(alone.status.code(), Some(2));
    assert!(text(&alone.stderr).contains("--with-scenario"));
}

#[test]
fn fix_all_on_the_demo_deletes_the_empty_community_and_lists_what_a_planner_decides() {
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = sample_plan("nanchang-demo");
    let out = folder.path().join("fixed.shequ.geojson");
    let output = shequ(&[
        "fix",
        plan.to_str().expect("utf-8"),
        "--all",
        "--out",
        out.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1), "errors remain for a planner");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["schema"], "shequ.fix/1");
    let applied = report["applied"].as_array().expect("applied");
    assert!(
        applied
            .iter()
            .any(|fix| fix["violation"]["rule"] == "community.empty"),
        "{applied:?}"
    );
    let left = report["left"].as_array().expect("left");
    assert!(!left.is_empty());
    assert!(left.iter().all(|entry| {
        entry["reason_en"]
            .as_str()
            .is_some_and(|reason| !reason.is_empty())
    }));
    let fixed = check_json(&out);
    assert!(
        fixed["communities"]
            .as_array()
            .expect("communities")
            .iter()
            .all(|community| community["id"] != "SQ0014")
    );
    // The original plan is untouched, and the fix is in the new plan's log.
    assert!(
        std::fs::read_to_string(&plan)
            .expect("reads")
            .contains("SQ0014")
    );
    let log = shequ(&["log", out.to_str().expect("utf-8"), "--lang", "en"]);
    assert!(
        text(&log.stdout).contains("delete"),
        "{}",
        text(&log.stdout)
    );

    let wrong = shequ(&[
        "fix",
        plan.to_str().expect("utf-8"),
        "--rule",
        "community.nothing",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(text(&wrong.stderr).contains("community.households"));
    let unchosen = shequ(&[
        "fix",
        plan.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(unchosen.status.code(), Some(2));
}

#[test]
fn an_office_placed_with_edit_gives_walking_figures_in_the_check_report() {
    let (_folder, plan) = demo_copy();
    let plan_text = plan.to_str().expect("utf-8 path");
    let (west, south, east, north) = bounds_of(&plan, "SQ0041");
    let at = format!("{},{}", (west + east) / 2.0, (south + north) / 2.0);
    let output = shequ(&["edit", plan_text, "--place-office", "SQ0041", "--at", &at]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    // The edit itself says what the office gives, and nothing is wrong with where it stands.
    let said = text(&output.stdout);
    assert!(
        said.contains("walking 步行: households within 户数占比 300 m "),
        "{said}"
    );
    assert!(!said.contains("outside"), "{said}");
    let report = check_json(&plan);
    let walking = report["walking"].as_array().expect("walking rows");
    assert_eq!(walking.len(), 1, "only SQ0041 has an office");
    let row = &walking[0];
    assert_eq!(row["community"], "SQ0041");
    let households = report["communities"]
        .as_array()
        .expect("communities")
        .iter()
        .find(|community| community["id"] == "SQ0041")
        .expect("SQ0041")["households"]
        .clone();
    assert_eq!(row["households"], households);
    let within: Vec<(f64, u64)> = row["within"]
        .as_array()
        .expect("within")
        .iter()
        .map(|entry| {
            (
                entry["distance_m"].as_f64().expect("distance"),
                entry["households"].as_u64().expect("households"),
            )
        })
        .collect();
    assert_eq!(
        within
            .iter()
            .map(|(distance, _)| *distance)
            .collect::<Vec<_>>(),
        vec![300.0, 500.0, 1000.0]
    );
    assert!(within.windows(2).all(|pair| pair[0].1 <= pair[1].1));
    assert!(row["farthest_m"].as_f64().expect("farthest") > 0.0);
    let table = shequ(&["check", plan_text, "--lang", "en"]);
    assert!(text(&table.stdout).contains("步行 walking"));

    let bad = shequ(&[
        "edit",
        plan_text,
        "--place-office",
        "SQ0041",
        "--at",
        "north gate",
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains("north gate"));
    // An office placed outside its community is placed, and said to be outside.
    let outside = format!("{},{}", east + 0.01, north + 0.01);
    let output = shequ(&[
        "edit",
        plan_text,
        "--place-office",
        "SQ0041",
        "--at",
        &outside,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("the office lies outside the community"));
}

#[test]
fn partition_of_a_street_office_writes_a_scenario_whose_communities_are_all_within_the_band() {
    let (folder, plan) = demo_copy();
    let plan_text = plan.to_str().expect("utf-8 path");
    let out = folder.path().join("partitioned.shequ.geojson");
    let out_text = out.to_str().expect("utf-8 path");
    let output = shequ(&[
        "partition",
        plan_text,
        "--street-office",
        "滕王阁街道",
        "--seed",
        "5",
        "--scenario",
        "自动划分",
        "--out",
        out_text,
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["schema"], "shequ.partition/1");
    assert_eq!(report["scenario"], "自动划分");
    assert_eq!(report["share_within_band"], 1.0);
    let made = report["communities"].as_array().expect("communities");
    assert!(made.len() >= 10, "{report}");
    // The scenario's check agrees with the report, community by community.
    let checked = shequ(&[
        "check",
        out_text,
        "--scenario",
        "自动划分",
        "--format",
        "json",
    ]);
    let checked: Value = serde_json::from_slice(&checked.stdout).expect("JSON");
    let households: std::collections::BTreeMap<String, u64> = checked["communities"]
        .as_array()
        .expect("communities")
        .iter()
        .map(|row| {
            (
                row["id"].as_str().expect("id").to_owned(),
                row["households"].as_u64().expect("households"),
            )
        })
        .collect();
    for community in made {
        let id = community["id"].as_str().expect("id");
        assert_eq!(
            households.get(id).copied(),
            community["households"].as_u64(),
            "{id}"
        );
    }
    // The plan's own scenario is as it was.
    let before = households_by_id(&plan);
    let kept = shequ(&[
        "check",
        out_text,
        "--scenario",
        "方案一",
        "--format",
        "json",
    ]);
    assert!(kept.status.code().is_some());
    let kept: Value = serde_json::from_slice(&kept.stdout).expect("JSON");
    assert_eq!(
        kept["communities"].as_array().expect("communities").len(),
        before.len()
    );
    // Bad input: a street office the plan lacks, a seed that is not a number.
    let unknown = shequ(&[
        "partition",
        plan_text,
        "--street-office",
        "无此街道",
        "--out",
        out_text,
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("滕王阁街道"));
    let seed = shequ(&[
        "partition",
        plan_text,
        "--all",
        "--seed",
        "abc",
        "--out",
        out_text,
    ]);
    assert_eq!(seed.status.code(), Some(2));
}

#[test]
fn grids_on_the_demo_are_saved_with_the_plan_and_listed_by_check_with_their_codes_and_figures() {
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = sample_plan("nanchang-demo");
    let out = folder.path().join("grids.shequ.geojson");
    let output = shequ(&[
        "grids",
        plan.to_str().expect("utf-8"),
        "--community",
        "SQ0001",
        "--out",
        out.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let drawn: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(drawn["schema"], "shequ.grids/1");
    assert_eq!(drawn["target_households"], 300);
    let report = check_json(&out);
    let grids = report["grids"].as_array().expect("grids");
    assert!(grids.len() >= 2, "{grids:?}");
    let community = report["communities"]
        .as_array()
        .expect("communities")
        .iter()
        .find(|community| community["id"] == "SQ0001")
        .expect("SQ0001")
        .clone();
    let mut households = 0;
    for (number, grid) in grids.iter().enumerate() {
        assert_eq!(grid["community"], "SQ0001");
        assert_eq!(grid["code"], format!("SQ0001{:03}", number + 1));
        households += grid["households"].as_u64().expect("households");
        assert!(grid["residents"].as_u64().is_some() && grid["buildings"].as_u64().is_some());
    }
    assert_eq!(
        households,
        community["households"].as_u64().expect("households")
    );
    // The export writes them as a layer and a table.
    let exported = folder.path().join("export");
    let output = shequ(&[
        "export",
        out.to_str().expect("utf-8"),
        "--out",
        exported.to_str().expect("utf-8"),
        "--formats",
        "geojson,csv",
        "--lang",
        "zh",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let layer: Value = serde_json::from_str(
        &std::fs::read_to_string(exported.join("grids.geojson")).expect("grids.geojson"),
    )
    .expect("GeoJSON");
    assert_eq!(
        layer["features"].as_array().expect("features").len(),
        grids.len()
    );
    assert_eq!(layer["features"][0]["properties"]["code"], "SQ0001001");
    let table = std::fs::read_to_string(exported.join("grids.csv")).expect("grids.csv");
    assert!(
        table.contains("网格编码") && table.contains("SQ0001001"),
        "{table}"
    );
    // A target above the community's households makes it one grid, and says so.
    let output = shequ(&[
        "grids",
        plan.to_str().expect("utf-8"),
        "--community",
        "SQ0001",
        "--target",
        "5000",
        "--out",
        out.to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        text(&output.stderr).contains("each of them is one grid"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        check_json(&out)["grids"].as_array().expect("grids").len(),
        1
    );
    // A target of 0 is refused before anything is read.
    let refused = shequ(&[
        "grids",
        plan.to_str().expect("utf-8"),
        "--target",
        "0",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(refused.status.code(), Some(2));
}

/// Each grid's code and households, as `shequ check --format json` lists them.
fn grid_households(plan: &Path) -> Vec<(String, u64)> {
    check_json(plan)["grids"]
        .as_array()
        .expect("grids")
        .iter()
        .map(|grid| {
            (
                grid["code"].as_str().expect("code").to_owned(),
                grid["households"].as_u64().expect("households"),
            )
        })
        .collect()
}

#[test]
fn edit_splits_merges_and_brushes_blocks_into_grids_by_their_codes() {
    let (_folder, plan) = demo_copy();
    let plan_text = plan.to_str().expect("utf-8");
    let output = shequ(&[
        "grids",
        plan_text,
        "--community",
        "SQ0002",
        "--out",
        plan_text,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let drawn = grid_households(&plan);
    let total: u64 = drawn.iter().map(|(_, households)| households).sum();
    // A line across the community's middle crosses one of its grids from side to side.
    let (west, south, east, north) = bounds_of(&plan, "SQ0002");
    let middle = (south + north) / 2.0;
    let line = format!(
        "{} {middle}, {} {middle}",
        west - 0.0001,
        west + (east - west) / 3.0
    );
    let document: Value =
        serde_json::from_slice(&std::fs::read(&plan).expect("read")).expect("JSON");
    let grid_under = document["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|feature| feature["properties"]["id"] == "SQ0002")
        .and_then(|feature| feature["properties"]["grids"].as_array())
        .expect("grids in the plan file")
        .iter()
        .find(|grid| {
            let ring = grid["boundary"]["coordinates"][0].as_array().expect("ring");
            let latitudes: Vec<f64> = ring
                .iter()
                .map(|position| position[1].as_f64().expect("latitude"))
                .collect();
            let longitudes: Vec<f64> = ring
                .iter()
                .map(|position| position[0].as_f64().expect("longitude"))
                .collect();
            let lowest = latitudes.iter().copied().fold(f64::MAX, f64::min);
            let highest = latitudes.iter().copied().fold(f64::MIN, f64::max);
            let westmost = longitudes.iter().copied().fold(f64::MAX, f64::min);
            lowest < middle && middle < highest && (westmost - west).abs() < 1e-5
        })
        .and_then(|grid| grid["code"].as_str())
        .expect("the grid on the community's west edge at its middle")
        .to_owned();
    let output = shequ(&[
        "edit",
        plan_text,
        "--split-grid",
        &grid_under,
        "--line",
        &line,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("renumbered"),
        "{}",
        text(&output.stdout)
    );
    let split = grid_households(&plan);
    assert_eq!(split.len(), drawn.len() + 1);
    assert_eq!(
        split.iter().map(|(_, households)| households).sum::<u64>(),
        total
    );
    // Two touching grids (the first two of the northern row) merge back.
    let output = shequ(&["edit", plan_text, "--merge-grids", "SQ0002001,SQ0002002"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(grid_households(&plan).len(), split.len() - 1);
    // A street block brushed into a grid: its households move between grids, none are lost.
    let point = format!("{},{}", (west + east) / 2.0, middle);
    let output = shequ(&[
        "edit",
        plan_text,
        "--assign-block",
        &point,
        "--to-grid",
        "SQ0002001",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let brushed = grid_households(&plan);
    assert_eq!(
        brushed
            .iter()
            .map(|(_, households)| households)
            .sum::<u64>(),
        total
    );
    // A code the plan has not is refused, naming it, and the plan is left as it was.
    let before = std::fs::read(&plan).expect("read");
    let output = shequ(&["edit", plan_text, "--merge-grids", "SQ0002001,XX9999001"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("XX9999001"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(std::fs::read(&plan).expect("read"), before);
}
