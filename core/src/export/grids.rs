//! The management grids (网格) in the approval export, where the plan has them: `grids.geojson`
//! (one feature per grid with its code, community and figures) and `grids.csv`.

use std::path::{Path, PathBuf};

use serde_json::{Map, json};

use super::spreadsheet::{headers_in, write_csv};
use crate::error::Result;
use crate::grid_figures::GridFigures;
use crate::io::atomic::write_atomically;
use crate::io::geojson_out::multipolygon_json;
use crate::io::plan_file::write_feature_collection;
use crate::lang::Language;
use crate::report::CheckReport;
use crate::session::Session;

/// The grids layer's file names.
pub const GRIDS_GEOJSON: &str = "grids.geojson";
/// The grids table's file name.
pub const GRIDS_CSV: &str = "grids.csv";

/// The grids table's columns (English, Chinese).
const GRID_COLUMNS: [(&str, &str); 6] = [
    ("code", "网格编码"),
    ("community", "社区编号"),
    ("community_name", "社区名称"),
    ("households", "户数"),
    ("residents", "人口"),
    ("buildings", "楼栋数"),
];

/// Writes the grids as GeoJSON and/or CSV into `folder`; nothing when the plan has none.
pub fn write_grids(
    folder: &Path,
    session: &Session,
    report: &CheckReport,
    (geojson, csv): (bool, bool),
    language: Language,
) -> Result<Vec<PathBuf>> {
    if report.grids.is_empty() {
        return Ok(Vec::new());
    }
    let plan = session.plan();
    let name_of = |grid: &GridFigures| {
        plan.key_of(&grid.community)
            .and_then(|key| plan.community(key))
            .map(|community| community.properties.name.clone())
            .unwrap_or_default()
    };
    let mut written = Vec::new();
    if geojson {
        let features = super::gis::grids_with_figures(session, report).map(|(boundary, grid)| {
            json!({
                "type": "Feature",
                "properties": {
                    "code": grid.code,
                    "community": grid.community,
                    "community_name": name_of(grid),
                    "households": grid.households,
                    "residents": grid.residents,
                    "buildings": grid.buildings,
                },
                "geometry": multipolygon_json(boundary, session.projection()),
            })
        });
        let path = folder.join(GRIDS_GEOJSON);
        write_atomically(&path, |writer| {
            write_feature_collection(writer, &Map::new(), features)
        })?;
        written.push(path);
    }
    if csv {
        let rows: Vec<Vec<String>> = report
            .grids
            .iter()
            .map(|grid| {
                vec![
                    grid.code.clone(),
                    grid.community.clone(),
                    name_of(grid),
                    grid.households.to_string(),
                    grid.residents.to_string(),
                    grid.buildings.to_string(),
                ]
            })
            .collect();
        let path = folder.join(GRIDS_CSV);
        write_csv(&path, &headers_in(&GRID_COLUMNS, language), &rows)?;
        written.push(path);
    }
    Ok(written)
}
