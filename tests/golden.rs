//! The contracts others build on, as golden files (insta; `INSTA_UPDATE=always cargo test --test
//! golden` accepts a deliberate change): `shequ check --format json` (schema `shequ.check/1`,
//! timings left out), the CSV headers of the approval export, and its communities GeoJSON — all
//! of a small generated city with every kind of planted violation.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn shequ(arguments: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_shequ"))
        .args(arguments)
        .env("LANG", "C")
        .output()
        .expect("the binary runs")
}

/// A 1,000-building city (four communities, planted violations) in a fresh folder.
fn small_city() -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().expect("temp dir");
    let output = shequ(&[
        "gen-city",
        "--buildings",
        "1000",
        "--seed",
        "7",
        "--out",
        folder.path().to_str().expect("utf-8"),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let plan = folder.path().join("plan.shequ.geojson");
    (folder, plan)
}

/// `text` with the temporary folder's path written as `<folder>`.
fn without_folder(text: &str, folder: &Path) -> String {
    text.replace(&folder.display().to_string(), "<folder>")
}

#[test]
fn check_json_keeps_its_shape() {
    let (folder, plan) = small_city();
    let output = shequ(&[
        "check",
        plan.to_str().expect("utf-8"),
        "--format",
        "json",
        "--no-cache",
    ]);
    let mut report: Value = serde_json::from_slice(&output.stdout).expect("json");
    report
        .as_object_mut()
        .expect("an object")
        .remove("timings_ms");
    let text = serde_json::to_string_pretty(&report).expect("json");
    insta::assert_snapshot!(without_folder(&text, folder.path()));
}

#[test]
fn the_export_keeps_its_csv_headers_and_geojson() {
    let (folder, plan) = small_city();
    // The headers (and type names) follow --lang: Chinese for the district, English for scripts.
    let export = |language: &str| {
        let out = folder.path().join(format!("approval-{language}"));
        let output = shequ(&[
            "export",
            plan.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
            "--lang",
            language,
        ]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        out
    };
    let header = |out: &std::path::Path, name: &str| {
        let text = std::fs::read_to_string(out.join(name)).expect("csv");
        text.trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let english = export("en");
    let out = export("zh");
    insta::assert_snapshot!(
        "csv_headers",
        format!(
            "communities.csv (zh): {}\nsummary.csv (zh): {}\ncommunities.csv (en): {}\nsummary.csv (en): {}",
            header(&out, "communities.csv"),
            header(&out, "summary.csv"),
            header(&english, "communities.csv"),
            header(&english, "summary.csv")
        )
    );
    let geojson = std::fs::read_to_string(out.join("communities.geojson")).expect("geojson");
    let pretty: Value = serde_json::from_str(&geojson).expect("json");
    insta::assert_snapshot!(
        "communities_geojson",
        without_folder(
            &serde_json::to_string_pretty(&pretty).expect("json"),
            folder.path()
        )
    );
}
