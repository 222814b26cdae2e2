//! The approval export: `communities.geojson` (RFC 7946, one Feature per community with its
//! figures and violations), `communities.csv` and `summary.csv` (street offices, districts and the
//! whole plan with targets and funding), and the workbook `approval.xlsx` (see [`workbook`]).
//! The CSV files are UTF-8 with a byte-order mark, so Excel shows Chinese text.

pub mod changes;
pub mod gis;
pub mod grids;
mod spreadsheet;
pub mod workbook;

use spreadsheet::write_csv;
pub use spreadsheet::{csv_bytes, headers_in};

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::figures::{AreaFigures, community_figures};
use crate::ids::CommunityKey;
use crate::io::atomic::write_atomically;
use crate::io::geojson_out::multipolygon_json;
use crate::io::plan_file::write_feature_collection;
use crate::lang::Language;
use crate::plan::Community;
use crate::report::{CheckReport, CommunityRow, ViolationRow};
use crate::rules::targets::targets_text;
use crate::session::Session;

/// Which files an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportFormats {
    /// `communities.geojson`.
    pub geojson: bool,
    /// `communities.csv` and `summary.csv`.
    pub csv: bool,
    /// `approval.xlsx`.
    pub xlsx: bool,
    /// The map sheet as an image, `map.png` (drawn by the app crate, as the next two).
    pub png: bool,
    /// The map sheet for print, `map.pdf` (the Chinese font embedded, its text extractable).
    pub pdf: bool,
    /// The map sheet as vector graphics, `map.svg` (the font's used glyphs embedded).
    pub svg: bool,
    /// `communities.shp` and its companions.
    pub shp: bool,
    /// `communities.gpkg`.
    pub gpkg: bool,
}

impl Default for ExportFormats {
    /// What an approval needs: GeoJSON, CSV, the workbook and the map sheet as PNG and PDF (the
    /// GIS formats and the SVG when asked for).
    fn default() -> Self {
        Self::from_list(&["geojson", "csv", "xlsx", "png", "pdf"])
    }
}

/// How an export is written.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Which files.
    pub formats: ExportFormats,
    /// The language of the workbook and the map sheet.
    pub language: Language,
    /// The system of the Shapefile and the GeoPackage (GeoJSON is WGS 84, as RFC 7946 says).
    pub crs: crate::crs::Crs,
    /// The Shapefile's text encoding (UTF-8, or GBK for older tools).
    pub encoding: &'static encoding_rs::Encoding,
    /// The plan compared with another, whose transfers the export adds (`transfers.csv` and a
    /// workbook sheet).
    pub comparison: Option<crate::compare::Comparison>,
}

impl ExportOptions {
    /// The default formats in `language`, WGS 84, UTF-8.
    pub fn new(language: Language) -> Self {
        Self {
            formats: ExportFormats::default(),
            language,
            crs: crate::crs::Crs::wgs84(),
            encoding: encoding_rs::UTF_8,
            comparison: None,
        }
    }
}

impl ExportFormats {
    /// The formats of a comma-separated list (`geojson,csv,xlsx,shp,gpkg,png,pdf,svg`).
    pub fn parse(list: &str) -> std::result::Result<Self, String> {
        let names: Vec<String> = list
            .split(',')
            .map(|name| name.trim().to_ascii_lowercase())
            .filter(|name| !name.is_empty())
            .collect();
        if let Some(other) = names
            .iter()
            .find(|name| !FORMAT_NAMES.contains(&name.as_str()))
        {
            return Err(format!(
                "\"{other}\" is no export format: choose from {}",
                FORMAT_NAMES.join(", ")
            ));
        }
        if names.is_empty() {
            return Err(format!(
                "no export format given: choose from {}",
                FORMAT_NAMES.join(", ")
            ));
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        Ok(Self::from_list(&names))
    }

    fn from_list(names: &[&str]) -> Self {
        let has = |name: &str| names.contains(&name);
        Self {
            geojson: has("geojson"),
            csv: has("csv"),
            xlsx: has("xlsx"),
            png: has("png"),
            pdf: has("pdf"),
            svg: has("svg"),
            shp: has("shp"),
            gpkg: has("gpkg"),
        }
    }
}

/// The export formats by name.
const FORMAT_NAMES: [&str; 8] = ["geojson", "csv", "xlsx", "shp", "gpkg", "png", "pdf", "svg"];

/// The files an export wrote, in the order written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportedFiles {
    /// Their paths.
    pub written: Vec<PathBuf>,
}

/// The columns of `communities.csv`: (English, Chinese) headers, as `--lang` chooses.
const COMMUNITY_COLUMNS: [(&str, &str); 22] = [
    ("id", "编号"),
    ("name", "名称"),
    ("type", "类型"),
    ("street_office", "街道"),
    ("district", "区"),
    ("households", "户数"),
    ("residents", "人口"),
    ("buildings", "楼栋"),
    ("estimated_households", "估算户数"),
    ("estimate_share", "估算户数占比"),
    ("deputy_directors", "副主任"),
    ("funding_yuan", "年度经费(元)"),
    ("city_funding_yuan", "市级经费(元)"),
    ("district_funding_yuan", "区级经费(元)"),
    ("funding_channel", "经费渠道"),
    ("required_space_m2", "应配办公及服务用房(平方米)"),
    ("police_officers", "社区民警"),
    ("errors", "错误"),
    ("warnings", "警告"),
    ("accepted", "已接受例外"),
    ("violations_zh", "违规(中文)"),
    ("violations_en", "违规(英文)"),
];

/// The columns of `summary.csv`: (English, Chinese) headers.
const SUMMARY_COLUMNS: [(&str, &str); 18] = [
    ("level", "层级"),
    ("name", "名称"),
    ("district", "区"),
    ("communities", "社区数"),
    ("geographic", "地缘型"),
    ("work_unit", "单位型"),
    ("residential_estate", "单元型"),
    ("street_offices", "街道数"),
    ("households", "户数"),
    ("residents", "人口"),
    ("budget_funding_yuan", "财政经费(元)"),
    ("city_funding_yuan", "市级经费(元)"),
    ("district_funding_yuan", "区级经费(元)"),
    ("work_unit_funding_yuan", "单位经费(元)"),
    ("deputy_directors", "副主任"),
    ("police_officers", "社区民警"),
    ("targets_zh", "目标"),
    ("violations_zh", "违规"),
];

fn round_share(share: f64) -> f64 {
    (share * 1000.0).round() / 1000.0
}

/// Violations about community `id`.
fn violations_of<'a>(
    report: &'a CheckReport,
    id: &'a str,
) -> impl Iterator<Item = &'a ViolationRow> + 'a {
    report
        .violations
        .iter()
        .filter(move |row| row.communities.iter().any(|community| community == id))
}

fn violation_json(row: &ViolationRow) -> Value {
    json!({
        "rule": row.rule,
        "severity": row.severity,
        "clause": row.clause,
        "message_zh": row.message_zh,
        "message_en": row.message_en,
        "accepted": row.accepted,
    })
}

fn joined_messages<'a>(rows: impl Iterator<Item = &'a ViolationRow>, language: Language) -> String {
    rows.map(|row| language.pick(&row.message_zh, &row.message_en))
        .collect::<Vec<_>>()
        .join("; ")
}

fn summary_row(
    level: &str,
    area: &AreaFigures,
    targets: String,
    violations: String,
) -> Vec<String> {
    let by_type = |kind: &str| {
        area.communities_by_type
            .get(kind)
            .copied()
            .unwrap_or(0)
            .to_string()
    };
    vec![
        level.to_owned(),
        area.name.clone(),
        area.district.clone().unwrap_or_default(),
        area.communities.to_string(),
        by_type("geographic"),
        by_type("work_unit"),
        by_type("residential_estate"),
        area.street_offices.to_string(),
        area.households.to_string(),
        area.residents.to_string(),
        area.budget_funding.to_string(),
        area.city_funding.to_string(),
        area.district_funding.to_string(),
        area.work_unit_funding.to_string(),
        area.deputy_directors.to_string(),
        area.police_officers.to_string(),
        targets,
        violations,
    ]
}

/// The export's manifest: written last, so that a folder holding one holds a whole export.
pub const MANIFEST_FILE_NAME: &str = "manifest.json";

/// Readies `folder` for an export: refuses a path that is a file, creates the folder, and
/// removes the manifest of an earlier export, so that an export that fails part-way leaves no
/// manifest beside a mix of old and new files.
pub fn begin_export(folder: &Path) -> Result<()> {
    if folder.exists() && !folder.is_dir() {
        return Err(Error::Write {
            path: folder.to_path_buf(),
            source: std::io::Error::other(
                "this is a file; the export needs a folder to write its files into (give --out a folder)",
            ),
        });
    }
    std::fs::create_dir_all(folder).map_err(|source| Error::Write {
        path: folder.to_path_buf(),
        source,
    })?;
    match std::fs::remove_file(folder.join(MANIFEST_FILE_NAME)) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(Error::Write {
            path: folder.join(MANIFEST_FILE_NAME),
            source: error,
        }),
        _ => Ok(()),
    }
}

/// Writes the manifest (each file's name, size and checksum) once every file of the export is in
/// place: the mark of a complete export.
pub fn finish_export(folder: &Path, session: &Session, files: &[&Path]) -> Result<PathBuf> {
    let mut listed = Vec::with_capacity(files.len());
    for file in files {
        let bytes = std::fs::read(file).map_err(|source| Error::Read {
            path: file.to_path_buf(),
            source,
        })?;
        listed.push(json!({
            "name": file.file_name().map(|name| name.to_string_lossy().into_owned()),
            "bytes": bytes.len(),
            "fnv1a64": format!("{:016x}", fnv1a64(&bytes)),
        }));
    }
    let manifest = json!({
        "schema": "shequ.export/1",
        "plan": session.plan_path().map(|path| path.display().to_string()),
        "scenario": session.scenario_name(),
        "date": crate::format::today(),
        "files": listed,
    });
    let path = folder.join(MANIFEST_FILE_NAME);
    write_atomically(&path, |file| {
        serde_json::to_writer_pretty(&mut *file, &manifest).map_err(std::io::Error::other)?;
        file.write_all(b"\n")
    })?;
    Ok(path)
}

/// FNV-1a, 64 bits: enough to tell one export's file from another's.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Writes the approval export of `session` into `folder` (created if missing); the caller adds
/// its own files and then [`finish_export`].
pub fn export_for_approval(
    session: &Session,
    report: &CheckReport,
    folder: &Path,
    options: &ExportOptions,
) -> Result<ExportedFiles> {
    let formats = &options.formats;
    begin_export(folder)?;
    let mut written = Vec::new();
    let communities_geojson = folder.join("communities.geojson");
    let communities_csv = folder.join("communities.csv");
    let summary_csv = folder.join("summary.csv");
    let (features, csv_rows): (Vec<Value>, Vec<Vec<String>>) = session
        .plan()
        .communities()
        .zip(&report.communities)
        .map(|((key, community), row)| {
            community_export(session, report, (key, community, row), options.language)
        })
        .unzip();
    if formats.geojson {
        // A plan of several scenarios names the one exported.
        let mut members = Map::new();
        if session.scenario_names().len() > 1 {
            members.insert("scenario".to_owned(), json!(session.scenario_name()));
        }
        write_atomically(&communities_geojson, |writer| {
            write_feature_collection(writer, &members, features.into_iter())
        })?;
        written.push(communities_geojson);
    }
    if formats.csv {
        write_csv(
            &communities_csv,
            &headers_in(&COMMUNITY_COLUMNS, options.language),
            &csv_rows,
        )?;
        write_csv(
            &summary_csv,
            &headers_in(&SUMMARY_COLUMNS, options.language),
            &summary_rows(session, report, options.language),
        )?;
        written.extend([communities_csv, summary_csv]);
        let log_csv = folder.join(changes::LOG_FILE_NAME);
        write_csv(
            &log_csv,
            &headers_in(&changes::LOG_COLUMNS, options.language),
            &changes::log_rows(session.log(), options.language),
        )?;
        written.push(log_csv);
        if let Some(comparison) = &options.comparison {
            let transfers_csv = folder.join(changes::TRANSFERS_FILE_NAME);
            write_csv(
                &transfers_csv,
                &headers_in(&changes::TRANSFER_COLUMNS, options.language),
                &changes::transfer_rows(comparison),
            )?;
            written.push(transfers_csv);
        }
    }
    written.extend(grids::write_grids(
        folder,
        session,
        report,
        (formats.geojson, formats.csv),
        options.language,
    )?);
    if formats.xlsx {
        let path = folder.join(workbook::WORKBOOK_FILE_NAME);
        let what_changed = workbook::Changes {
            log: session.log(),
            comparison: options.comparison.as_ref(),
        };
        workbook::write_workbook(&path, report, &what_changed, options.language)?;
        written.push(path);
    }
    if formats.shp {
        written.extend(gis::write_shapefile(
            folder,
            session,
            report,
            &options.crs,
            options.encoding,
        )?);
    }
    if formats.gpkg {
        written.push(gis::write_geopackage(
            folder,
            session,
            report,
            &options.crs,
        )?);
    }
    Ok(ExportedFiles { written })
}

/// One community as a GeoJSON feature (figures, funding channel, violations) and as a CSV row.
fn community_export(
    session: &Session,
    report: &CheckReport,
    (key, community, row): (CommunityKey, &Community, &CommunityRow),
    language: Language,
) -> (Value, Vec<String>) {
    let tally = session.tallies().of(key);
    let figures = community_figures(community, tally, session.profile());
    let violations: Vec<&ViolationRow> = violations_of(report, &row.id).collect();
    let count = |severity: &str| {
        violations
            .iter()
            .filter(|violation| violation.severity == severity && violation.accepted.is_none())
            .count()
    };
    let accepted = violations
        .iter()
        .filter(|violation| violation.accepted.is_some())
        .count();
    let channel = if figures.budget_funded {
        "city_and_district_budget"
    } else {
        "original_channel"
    };
    let mut properties = Map::new();
    properties.insert("id".into(), json!(row.id));
    properties.insert("name".into(), json!(row.name));
    properties.insert("type".into(), json!(row.kind));
    properties.insert("type_zh".into(), json!(community.properties.kind.chinese()));
    properties.insert("street_office".into(), json!(row.street_office));
    properties.insert("district".into(), json!(row.district));
    properties.insert("households".into(), json!(row.households));
    properties.insert("residents".into(), json!(row.residents));
    properties.insert("buildings".into(), json!(row.buildings));
    properties.insert(
        "estimated_households".into(),
        json!(row.estimated_households),
    );
    properties.insert(
        "estimate_share".into(),
        json!(round_share(tally.estimated_share())),
    );
    properties.insert(
        "figures".into(),
        serde_json::to_value(&figures).unwrap_or(Value::Null),
    );
    properties.insert("funding_channel".into(), json!(channel));
    properties.insert(
        "violations".into(),
        Value::Array(
            violations
                .iter()
                .map(|violation| violation_json(violation))
                .collect(),
        ),
    );
    let feature = json!({
        "type": "Feature",
        "properties": properties,
        "geometry": multipolygon_json(&community.boundary, session.projection()),
    });
    let csv_row = vec![
        row.id.clone(),
        row.name.clone(),
        language
            .pick(community.properties.kind.chinese(), row.kind)
            .to_owned(),
        row.street_office.clone().unwrap_or_default(),
        row.district.clone().unwrap_or_default(),
        row.households.to_string(),
        row.residents.to_string(),
        row.buildings.to_string(),
        row.estimated_households.to_string(),
        round_share(tally.estimated_share()).to_string(),
        figures.deputy_directors.to_string(),
        figures.funding.total().to_string(),
        figures.city_funding.to_string(),
        figures.district_funding.to_string(),
        language
            .pick(
                if figures.budget_funded {
                    "市区两级财政"
                } else {
                    "原渠道"
                },
                channel,
            )
            .to_owned(),
        figures.required_space_m2.to_string(),
        figures.police_officers.to_string(),
        count("error").to_string(),
        count("warning").to_string(),
        accepted.to_string(),
        joined_messages(violations.iter().copied(), Language::Chinese),
        joined_messages(violations.iter().copied(), Language::English),
    ];
    (feature, csv_row)
}

/// The street offices, districts and city with their targets and the violations about them.
fn summary_rows(session: &Session, report: &CheckReport, language: Language) -> Vec<Vec<String>> {
    let about_area = |name: &str| {
        joined_messages(
            report
                .violations
                .iter()
                .filter(|row| row.areas.iter().any(|area| area == name)),
            Language::Chinese,
        )
    };
    let mut summary = Vec::new();
    for office in &report.street_offices {
        summary.push(summary_row(
            language.pick("街道", "street_office"),
            office,
            targets_text(session.profile(), "street_office", &office.name),
            about_area(&office.name),
        ));
    }
    for district in &report.districts {
        summary.push(summary_row(
            language.pick("区", "district"),
            district,
            targets_text(session.profile(), "district", &district.name),
            about_area(&district.name),
        ));
    }
    let city_messages = joined_messages(
        report
            .violations
            .iter()
            .filter(|row| row.areas.iter().any(|area| area.starts_with("city:"))),
        Language::Chinese,
    );
    summary.push(summary_row(
        language.pick("市", "city"),
        &report.city,
        targets_text(session.profile(), "city", ""),
        city_messages,
    ));
    summary
}
