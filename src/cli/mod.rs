//! The command line: `check`, `import`, `accept`, `edit`, `export`, `compare`, `log`, `fix`,
//! `gen-city`, `profile`.

mod accept;
mod check;
mod compare;
mod edit;
mod export;
mod fix;
mod gen_city;
mod grids;
mod import;
mod layers;
mod log;
mod partition;
mod profile;
mod scenario;
mod table;

pub use layers::EXIT_BAD_INPUT;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// shequ 社区 — draw and check urban community (社区) boundaries against the city's regulation.
///
/// Communities are of three types: geographic 地缘型, work-unit 单位型 and residential-estate
/// 单元型; each belongs to a street office 街道 in a district 区. Households 户数 and residents 人口
/// are counted building by building.
/// Run without a command, it opens the desktop editor on PLAN (or the bundled demo plan); given
/// layers instead of a plan (buildings, then streets and existing boundaries if wanted), it opens
/// "New plan from layers" on them.
#[derive(Debug, Parser)]
#[command(name = "shequ", version, about, long_about = None, args_conflicts_with_subcommands = true)]
pub struct Arguments {
    /// What to do; without one, the desktop editor opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The plan to open in the desktop editor 方案 (the bundled demo by default), or the layers to
    /// start a plan from: buildings, streets, existing boundaries (GeoJSON, Esri JSON, Shapefile
    /// or FILE.gpkg[:TABLE]).
    #[arg(value_name = "PLAN | LAYERS", num_args = 0..=3)]
    pub plan: Vec<PathBuf>,
    /// A basemap under the plan in the desktop editor: a raster MBTiles or PMTiles file (PNG, JPEG
    /// or WebP tiles); the plan remembers it once saved. May be given more than once, bottom first.
    #[arg(long, value_name = "TILES.mbtiles|.pmtiles")]
    pub basemap: Vec<PathBuf>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a plan 检查方案: households 户数 and residents 人口 per community 社区, street office 街道
    /// and district 区, unassigned and cut buildings. Exit 0: no error; 1: errors remain; 2: bad input.
    Check(check::CheckArguments),
    /// Start a plan file 新建方案 from layers: buildings 楼栋, streets 街巷 and optional existing
    /// community boundaries 社区边界.
    Import(import::ImportArguments),
    /// Accept one violation 接受例外 with a reason, an approver and a date; saved in the plan.
    Accept(accept::AcceptArguments),
    /// Edit a plan from a script 编辑方案: merge, split along a line, or give a street block to a
    /// community; saved atomically.
    Edit(edit::EditArguments),
    /// Write the approval export 报批导出: communities.geojson and communities.csv.
    Export(export::ExportArguments),
    /// Compare two plans 方案对比 over the same buildings: each community before and after, the
    /// households that move from one community to another building by building, street offices,
    /// and the violations fixed and introduced.
    Compare(compare::CompareArguments),
    /// Fix violations 修复违规: carry out the best fix of each matching violation in turn (delete
    /// an empty community, merge one below its band, split one above it along its streets, give
    /// uncovered buildings to a neighbour, settle overlaps, cut buildings and communities across
    /// street offices), re-checking after each; list what was left for a person and why.
    Fix(fix::FixArguments),
    /// Automatic partition 自动划分: redraw the geographic communities of a street office (or of
    /// all, or of an area) as contiguous communities within the band, bounded by streets, no
    /// building or estate cut; locked, work-unit and estate communities kept; prints the share
    /// within the band, compactness, boundary along streets and households moved.
    Partition(partition::PartitionArguments),
    /// Management grids 网格: subdivide each community into grids of about the target households
    /// (the profile's 300 by default) along its streets and the gaps between buildings, no
    /// building cut, coded after CJ/T 213-2005 (community code + three digits, rows north to
    /// south, west to east within a row); prints each grid's households and its rules' findings.
    Grids(grids::GridsArguments),
    /// The plan's change log 修改记录: who changed what and when, with the households of the
    /// communities each change touched (undo and redo included).
    Log(log::LogArguments),
    /// Generate a synthetic city 生成示例城市 (streets, buildings, communities) for demos and benchmarks.
    GenCity(gen_city::GenCityArguments),
    /// Show the rule profile 规则配置 (every figure of the regulation, with its clause 条款).
    Profile(profile::ProfileArguments),
}

/// Runs a command and gives the process's exit code.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check(arguments) => check::run(&arguments),
        Command::Import(arguments) => import::run(&arguments),
        Command::Export(arguments) => export::run(&arguments),
        Command::Compare(arguments) => compare::run(&arguments),
        Command::Log(arguments) => log::run(&arguments),
        Command::Fix(arguments) => fix::run(&arguments),
        Command::Partition(arguments) => partition::run(&arguments),
        Command::Grids(arguments) => grids::run(&arguments),
        Command::Accept(arguments) => accept::run(&arguments),
        Command::Edit(arguments) => edit::run(&arguments),
        Command::GenCity(arguments) => gen_city::run(&arguments),
        Command::Profile(arguments) => profile::run(&arguments),
    }
}
