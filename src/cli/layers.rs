//! What the commands share: their exit codes and the layers given on the command line instead of
//! a plan file.

use std::path::PathBuf;

use clap::Args;
use shequ_core::attributes::FieldMapping;
use shequ_core::io::register::{RegisterCount, RegisterSpec};
use shequ_core::load::{LayerEncodings, LayerSystems};
use shequ_core::session::LayerInputs;

/// Exit code when the plan has no error-level violation.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code when some error-level violation remains.
pub const EXIT_VIOLATIONS: u8 = 1;
/// Exit code for bad input or usage.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Layers given on the command line instead of a plan file.
#[derive(Debug, Clone, Args)]
pub struct LayerArguments {
    /// Buildings 楼栋 layer: Polygon / MultiPolygon features in GeoJSON, Esri JSON (.json, by
    /// content), a Shapefile (.shp with its .shx and .dbf) or a GeoPackage (FILE.gpkg, or
    /// FILE.gpkg:TABLE when it holds several); WGS 84 lon/lat unless the file or --crs says
    /// otherwise.
    #[arg(long, value_name = "FILE")]
    pub buildings: Option<PathBuf>,
    /// Streets 街巷 layer: LineString / MultiLineString features (road-area polygons accepted),
    /// in any of the buildings' formats.
    #[arg(long, value_name = "FILE")]
    pub streets: Option<PathBuf>,
    /// Existing community boundaries 社区边界: Polygon / MultiPolygon features, in any of the
    /// buildings' formats.
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
    /// A layer's coordinate system when it is not WGS 84 longitude/latitude, e.g.
    /// `--crs buildings=EPSG:4527` (CGCS2000 Gauss-Krüger zone 39). LAYER: buildings, streets,
    /// communities; CRS: EPSG:N (Xi'an 80 / Beijing 54 codes take the city's datum shift after
    /// them: "EPSG:2383 +towgs84=…"), gcj02 (Amap, Tencent), bd09 (Baidu), a PROJ string, or a
    /// .prj/WKT file. A Shapefile's .prj, a GeoPackage table's system, an Esri JSON's
    /// spatialReference or a GeoJSON's `crs` member is read when none is given.
    #[arg(long = "crs", value_name = "LAYER=CRS")]
    pub systems: Vec<String>,
    /// A Shapefile layer's text encoding when its `.cpg` is missing or wrong, e.g.
    /// `--encoding buildings=gbk`: utf-8, gbk or gb18030. Without it: the `.cpg`, else the
    /// `.dbf`'s language driver, else detected (not UTF-8: GB18030, the superset of GBK).
    #[arg(long = "encoding", value_name = "LAYER=ENCODING")]
    pub encodings: Vec<String>,
    /// A household register 户籍表 to take the buildings' households from: a CSV (UTF-8 or GBK)
    /// or Excel file, `FILE:SHEET` for a sheet other than the first. Needs --join, and either
    /// --table-households or --table-count-rows.
    #[arg(long, value_name = "FILE[:SHEET]")]
    pub households_table: Option<String>,
    /// How the register joins the buildings: BUILDING_FIELD=TABLE_FIELD, e.g.
    /// `--join 楼栋编码=楼栋编码` (the buildings' field becomes their id).
    #[arg(
        long,
        value_name = "BUILDING_FIELD=TABLE_FIELD",
        requires = "households_table"
    )]
    pub join: Option<String>,
    /// The register's column of households, for a register of one row per building.
    #[arg(
        long,
        value_name = "COLUMN",
        requires = "households_table",
        conflicts_with = "table_count_rows"
    )]
    pub table_households: Option<String>,
    /// Count the register's rows per building, for a register of one row per household.
    #[arg(long, requires = "households_table")]
    pub table_count_rows: bool,
    /// The register's column of residents (one row per building), if it has one.
    #[arg(long, value_name = "COLUMN", requires = "table_households")]
    pub table_residents: Option<String>,
}

impl LayerArguments {
    /// The layers as the core takes them; `None` when no buildings layer was given.
    pub fn inputs(&self) -> anyhow::Result<Option<LayerInputs>> {
        let Some(buildings) = &self.buildings else {
            return Ok(None);
        };
        let register = self.register()?;
        let fields = FieldMapping::from_assignments(&self.fields)?;
        Ok(Some(LayerInputs {
            buildings: buildings.clone(),
            streets: self.streets.clone(),
            communities: self.communities.clone(),
            fields,
            unknown_use_is_residential: self.unknown_use_residential,
            systems: LayerSystems::from_assignments(&self.systems)
                .map_err(|problem| anyhow::anyhow!("--crs: {problem}"))?,
            encodings: LayerEncodings::from_assignments(&self.encodings)
                .map_err(|problem| anyhow::anyhow!("--encoding: {problem}"))?,
            register,
        }))
    }

    /// The household register, when one was given.
    fn register(&self) -> anyhow::Result<Option<RegisterSpec>> {
        let Some(table) = &self.households_table else {
            return Ok(None);
        };
        let Some((building_field, table_field)) =
            self.join.as_deref().and_then(|join| join.split_once('='))
        else {
            anyhow::bail!(
                "--households-table needs --join BUILDING_FIELD=TABLE_FIELD: which property of the buildings and which column of the register hold the same key"
            );
        };
        let households = match (&self.table_households, self.table_count_rows) {
            (Some(column), false) => RegisterCount::Column(column.clone()),
            (None, true) => RegisterCount::CountRows,
            _ => anyhow::bail!(
                "--households-table needs --table-households COLUMN (one row per building) or --table-count-rows (one row per household)"
            ),
        };
        let (path, sheet) = RegisterSpec::split_file_and_sheet(table);
        Ok(Some(RegisterSpec {
            path,
            sheet,
            building_field: building_field.trim().to_owned(),
            table_field: table_field.trim().to_owned(),
            households,
            residents: self.table_residents.clone(),
        }))
    }
}
