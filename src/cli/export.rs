//! `shequ export`: the approval export of a plan.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use shequ::sheet::export_with_map;
use shequ_core::Session;
use shequ_core::compare::compare;
use shequ_core::crs::Crs;
use shequ_core::export::{ExportFormats, ExportOptions};
use shequ_core::io::print_layout::{Orientation, Paper, PrintScale};
use shequ_core::load::encoding_of;
use shequ_core::session::OpenOptions;

use super::layers::EXIT_CLEAN;
use shequ_core::lang::Language;

use super::check::language_parser;

/// `shequ export PLAN --out DIR`.
#[derive(Debug, Args)]
pub struct ExportArguments {
    /// The plan file.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// The folder to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Language of the map sheet 语言: zh or en; by default Chinese when the system locale is.
    #[arg(long, value_parser = language_parser())]
    pub lang: Option<Language>,
    /// What to write 格式, comma-separated: geojson (communities.geojson), csv (communities.csv
    /// and summary.csv), xlsx (approval.xlsx: communities, street offices, districts, city,
    /// violations, accepted exceptions), shp (communities.shp with .shx, .dbf, .cpg, .prj), gpkg
    /// (communities.gpkg: communities, street_offices, violations), png (map.png, the map
    /// sheet as an image), pdf (map.pdf, the sheet for print, Chinese font embedded), svg
    /// (map.svg, the sheet as vector graphics).
    #[arg(long, value_name = "LIST", default_value = "geojson,csv,xlsx,png,pdf", value_parser = formats_parser)]
    pub formats: ExportFormats,
    /// The coordinate system 坐标系 of the Shapefile and the GeoPackage (EPSG:N, a PROJ string, a
    /// .prj/WKT file…); WGS 84 by default. GeoJSON stays WGS 84, as RFC 7946 requires.
    #[arg(long, value_name = "CRS")]
    pub crs: Option<String>,
    /// The Shapefile's text encoding 编码: utf-8 (default) or gbk, for older tools.
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,
    /// The map sheet's paper 纸张: a4 or a3 (by default the plan's print layout, else A4).
    #[arg(long, value_parser = paper_parser)]
    pub paper: Option<Paper>,
    /// The paper's orientation 方向: landscape or portrait.
    #[arg(long, value_parser = orientation_parser)]
    pub orientation: Option<Orientation>,
    /// The map's scale 比例尺: fit, or 1:N such as 1:5000.
    #[arg(long, value_name = "SCALE", value_parser = scale_parser)]
    pub scale: Option<PrintScale>,
    /// The map sheet's title 标题 (by default the plan's title).
    #[arg(long)]
    pub title: Option<String>,
    /// The scenario 方案 to export, where the plan has several (by default the one it was saved
    /// with); the export names it.
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Compare with this plan 对比方案 (the plan before, over the same buildings) and add the
    /// transfers (transfers.csv and a sheet in approval.xlsx) and the before-and-after map
    /// sheet (before_after.pdf, .png, .svg as --formats asks).
    #[arg(long, value_name = "OLD")]
    pub compare_with: Option<PathBuf>,
}

fn paper_parser(text: &str) -> Result<Paper, String> {
    Paper::ALL
        .into_iter()
        .find(|paper| paper.name().eq_ignore_ascii_case(text.trim()))
        .ok_or_else(|| format!("\"{text}\" is no paper size: choose a4 or a3"))
}

fn orientation_parser(text: &str) -> Result<Orientation, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "landscape" => Ok(Orientation::Landscape),
        "portrait" => Ok(Orientation::Portrait),
        _ => Err(format!(
            "\"{text}\" is no orientation: choose landscape or portrait"
        )),
    }
}

fn scale_parser(text: &str) -> Result<PrintScale, String> {
    PrintScale::parse(text)
}

fn formats_parser(list: &str) -> Result<ExportFormats, String> {
    ExportFormats::parse(list)
}

pub fn run(arguments: &ExportArguments) -> anyhow::Result<ExitCode> {
    let mut session = Session::open(&arguments.plan)?;
    super::scenario::choose_scenario(&mut session, arguments.scenario.as_deref())?;
    let language = arguments.lang.unwrap_or_else(Language::from_locale);
    super::table::print_warnings(session.warnings(), language);
    let mut options = ExportOptions::new(language);
    options.formats = arguments.formats;
    if let Some(crs) = &arguments.crs {
        options.crs = Crs::parse(crs).map_err(|error| anyhow::anyhow!("--crs: {error}"))?;
    }
    if let Some(label) = &arguments.encoding {
        options.encoding =
            encoding_of(label).map_err(|problem| anyhow::anyhow!("--encoding: {problem}"))?;
    }
    let before = match &arguments.compare_with {
        Some(old) => {
            let before =
                Session::open_beside(old, &session.shared_layers(), OpenOptions::default())?;
            super::table::print_warnings(before.warnings(), language);
            options.comparison = Some(compare(&before, &session)?);
            Some(before)
        }
        None => None,
    };
    // The flags apply to this export only: the plan file is not written.
    let mut layout = session.settings().print_layout.clone();
    layout.paper = arguments.paper.unwrap_or(layout.paper);
    layout.orientation = arguments.orientation.unwrap_or(layout.orientation);
    layout.scale = arguments.scale.unwrap_or(layout.scale);
    if let Some(title) = &arguments.title {
        layout.title = Some(title.clone());
    }
    let files = export_with_map(&session, &arguments.out, &options, &layout, before.as_ref())?;
    for file in &files {
        println!("Wrote {}", file.display());
    }
    println!("(The last is the list of a complete export.)");
    Ok(ExitCode::from(EXIT_CLEAN))
}
