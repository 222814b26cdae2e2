//! The command line: `check`, `import`, `export`, `gen-city`, `profile`.

mod accept;
mod check;
mod edit;
mod export;
mod gen_city;
mod import;
mod profile;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use shequ_core::attributes::FieldMapping;
use shequ_core::session::LayerInputs;

/// Exit code when the plan has no error-level violation.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code when some error-level violation remains.
pub const EXIT_VIOLATIONS: u8 = 1;
/// Exit code for bad input or usage.
pub const EXIT_BAD_INPUT: u8 = 2;

/// shequ 社区 — draw and check urban community (社区) boundaries against the city's regulation.
///
/// Communities are of three types: geographic 地缘型, work-unit 单位型 and residential-estate
/// 单元型; each belongs to a street office 街道 in a district 区. Households 户数 and residents 人口
/// are counted building by building.
/// Run without a command, it opens the desktop editor on PLAN (or the bundled demo plan); given a
/// buildings layer instead of a plan, it opens "New plan from layers" on it.
#[derive(Debug, Parser)]
#[command(name = "shequ", version, about, long_about = None, args_conflicts_with_subcommands = true)]
pub struct Arguments {
    /// What to do; without one, the desktop editor opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The plan to open in the desktop editor 方案 (the bundled demo by default), or a buildings
    /// layer to start a plan from.
    #[arg(value_name = "PLAN")]
    pub plan: Option<PathBuf>,
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
    /// Generate a synthetic city 生成示例城市 (streets, buildings, communities) for demos and benchmarks.
    GenCity(gen_city::GenCityArguments),
    /// Show the rule profile 规则配置 (every figure of the regulation, with its clause 条款).
    Profile(profile::ProfileArguments),
}

/// Layers given on the command line instead of a plan file.
#[derive(Debug, Clone, Args)]
pub struct LayerArguments {
    /// Buildings 楼栋 layer: GeoJSON Polygon / MultiPolygon in lon/lat.
    #[arg(long, value_name = "FILE")]
    pub buildings: Option<PathBuf>,
    /// Streets 街巷 layer: GeoJSON LineString / MultiLineString (road-area polygons accepted).
    #[arg(long, value_name = "FILE")]
    pub streets: Option<PathBuf>,
    /// Existing community boundaries 社区边界: GeoJSON Polygon / MultiPolygon.
    #[arg(long, value_name = "FILE")]
    pub communities: Option<PathBuf>,
    /// Which source field holds a figure, e.g. `--field households=HH_CNT` (户数). Fields: id,
    /// households, residents, floors, height, use, estate, work_unit, name, class, type,
    /// street_office, district, new_estate, old_town, locked, office_area_m2, service_area_m2.
    #[arg(long = "field", value_name = "NAME=SOURCE")]
    pub fields: Vec<String>,
    /// Count buildings that have no use (用途) as residential, their households estimated from
    /// footprint × floors: for footprint layers without uses, where nearly every building is
    /// housing. Recorded in the plan's profile overrides.
    #[arg(long)]
    pub unknown_use_residential: bool,
}

impl LayerArguments {
    /// The layers as the core takes them; `None` when no buildings layer was given.
    pub fn inputs(&self) -> anyhow::Result<Option<LayerInputs>> {
        let Some(buildings) = &self.buildings else {
            return Ok(None);
        };
        Ok(Some(LayerInputs {
            buildings: buildings.clone(),
            streets: self.streets.clone(),
            communities: self.communities.clone(),
            fields: FieldMapping::from_assignments(&self.fields)?,
            unknown_use_is_residential: self.unknown_use_residential,
        }))
    }
}

/// Runs a command and gives the process's exit code.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check(arguments) => check::run(&arguments),
        Command::Import(arguments) => import::run(&arguments),
        Command::Export(arguments) => export::run(&arguments),
        Command::Accept(arguments) => accept::run(&arguments),
        Command::Edit(arguments) => edit::run(&arguments),
        Command::GenCity(arguments) => gen_city::run(&arguments),
        Command::Profile(arguments) => profile::run(&arguments),
    }
}
