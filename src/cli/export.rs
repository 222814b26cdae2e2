//! `shequ export`: the approval export of a plan.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use shequ::sheet::export_with_map;
use shequ_core::Session;
use shequ_core::crs::Crs;
use shequ_core::export::{ExportFormats, ExportOptions};
use shequ_core::load::encoding_of;

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
    /// sheet).
    #[arg(long, value_name = "LIST", default_value = "geojson,csv,xlsx,png", value_parser = formats_parser)]
    pub formats: ExportFormats,
    /// The coordinate system 坐标系 of the Shapefile and the GeoPackage (EPSG:N, a PROJ string, a
    /// .prj/WKT file…); WGS 84 by default. GeoJSON stays WGS 84, as RFC 7946 requires.
    #[arg(long, value_name = "CRS")]
    pub crs: Option<String>,
    /// The Shapefile's text encoding 编码: utf-8 (default) or gbk, for older tools.
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,
}

fn formats_parser(list: &str) -> Result<ExportFormats, String> {
    ExportFormats::parse(list)
}

pub fn run(arguments: &ExportArguments) -> anyhow::Result<ExitCode> {
    let session = Session::open(&arguments.plan)?;
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
    let files = export_with_map(&session, &arguments.out, &options)?;
    for file in &files {
        println!("Wrote {}", file.display());
    }
    println!("(The last is the list of a complete export.)");
    Ok(ExitCode::from(EXIT_CLEAN))
}
