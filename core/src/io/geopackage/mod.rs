//! GeoPackage layers (`rusqlite` with its bundled SQLite; geometries through the `wkb` crate):
//! the feature tables listed in `gpkg_contents`, one picked as `FILE.gpkg:TABLE` (no suffix
//! needed when there is one), its coordinate system from `gpkg_spatial_ref_sys` (an EPSG code,
//! or an organisation of its own with the WKT it defines). Z and M are dropped; an empty
//! geometry is a feature without one (loading warns of it). Tile and attribute tables are not
//! layers and are named as such.

use std::path::{Path, PathBuf};

use geo_traits::to_geo::ToGeoGeometry;
use rusqlite::{Connection, OpenFlags, types::ValueRef};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::io::geojson::{RawFeature, geometry_of_geo};

mod flat;

pub use flat::read_geopackage_flat;

/// The GeoPackage file and table a layer path names (`FILE.gpkg` or `FILE.gpkg:TABLE`), or
/// `None` when it names no GeoPackage.
pub fn geopackage_of(path: &Path) -> Option<(PathBuf, Option<String>)> {
    let text = path.to_string_lossy();
    let lower = text.to_ascii_lowercase();
    let at = lower.rfind(".gpkg")?;
    let end = at + ".gpkg".len();
    match &text[end..] {
        "" => Some((path.to_path_buf(), None)),
        rest => rest
            .strip_prefix(':')
            .filter(|table| !table.is_empty())
            .map(|table| (PathBuf::from(&text[..end]), Some(table.to_owned()))),
    }
}

pub(super) fn refused(path: &Path, problem: impl std::fmt::Display) -> Error {
    Error::Layer {
        path: path.to_path_buf(),
        problem: problem.to_string(),
    }
}

pub(super) fn open(file: &Path) -> Result<Connection> {
    if !file.is_file() {
        return Err(refused(
            file,
            "no such GeoPackage: check the path (a table is named as FILE.gpkg:TABLE)",
        ));
    }
    let connection = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|error| refused(file, format!("cannot be opened as SQLite: {error}")))?;
    connection
        .query_row("SELECT count(*) FROM gpkg_contents", [], |row| {
            row.get::<_, i64>(0)
        })
        .map_err(|error| {
            refused(
                file,
                format!(
                    "is not a GeoPackage ({error}): export the layer again as GeoPackage, GeoJSON or Shapefile"
                ),
            )
        })?;
    Ok(connection)
}

/// A table of `gpkg_contents`: its name, its kind (`features`, `tiles`, `attributes`…) and,
/// for a feature table, its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentsTable {
    /// The table's name.
    pub name: String,
    /// `features`, `tiles`, `attributes`…
    pub kind: String,
    /// How many rows a feature table has.
    pub rows: Option<u64>,
}

/// The tables the GeoPackage lists, feature tables with their row counts.
pub fn contents(file: &Path) -> Result<Vec<ContentsTable>> {
    let connection = open(file)?;
    let mut tables = list_contents(&connection, file)?;
    for table in &mut tables {
        if table.kind == "features" {
            table.rows = Some(row_count(&connection, file, &table.name)?);
        }
    }
    Ok(tables)
}

/// The tables `gpkg_contents` lists, without their row counts (counting a table of a million
/// rows reads all of it).
fn list_contents(connection: &Connection, file: &Path) -> Result<Vec<ContentsTable>> {
    let mut statement = connection
        .prepare("SELECT table_name, data_type FROM gpkg_contents ORDER BY table_name")
        .map_err(|error| refused(file, error))?;
    statement
        .query_map([], |row| {
            Ok(ContentsTable {
                name: row.get(0)?,
                kind: row.get(1)?,
                rows: None,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|error| refused(file, error))
}

/// How many rows `table` has.
pub(super) fn row_count(connection: &Connection, file: &Path, table: &str) -> Result<u64> {
    connection
        .query_row(
            &format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\"")),
            [],
            |row| row.get::<_, i64>(0),
        )
        .map(|rows| rows.max(0) as u64)
        .map_err(|error| refused(file, format!("table \"{table}\": {error}")))
}

/// The feature table `table` names, or the only one; an error lists them when it must choose.
pub(super) fn chosen_table(
    connection: &Connection,
    file: &Path,
    table: Option<&str>,
) -> Result<String> {
    let tables = list_contents(connection, file)?;
    let features: Vec<&ContentsTable> = tables
        .iter()
        .filter(|table| table.kind == "features")
        .collect();
    let listing = || {
        features
            .iter()
            .map(|table| {
                // Counted only for this message; a table that cannot be counted shows 0.
                let rows = row_count(connection, file, &table.name).unwrap_or(0);
                format!("{} ({rows} features)", table.name)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match table {
        Some(name) => match tables.iter().find(|found| found.name == name) {
            Some(found) if found.kind == "features" => Ok(found.name.clone()),
            Some(found) => Err(refused(
                file,
                format!(
                    "table \"{name}\" holds {}, not features; its feature tables are {}",
                    found.kind,
                    listing()
                ),
            )),
            None => Err(refused(
                file,
                format!(
                    "has no table \"{name}\"; its feature tables are {}",
                    listing()
                ),
            )),
        },
        None => match features.as_slice() {
            [only] => Ok(only.name.clone()),
            [] => Err(refused(
                file,
                "has no feature table (only tiles or attributes): it holds no layer",
            )),
            _ => Err(refused(
                file,
                format!(
                    "has several feature tables: name one as {}:TABLE — {}",
                    file.display(),
                    listing()
                ),
            )),
        },
    }
}

/// The coordinate system a table's geometries are in, as text `Crs::parse` takes (`EPSG:4547`
/// or the WKT of an organisation of its own); `None` when undefined (taken as WGS 84).
fn table_system(connection: &Connection, file: &Path, table: &str) -> Result<Option<String>> {
    let (organisation, code, definition): (String, i64, String) = connection
        .query_row(
            "SELECT s.organization, s.organization_coordsys_id, s.definition \
             FROM gpkg_geometry_columns g JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id \
             WHERE g.table_name = ?1",
            [table],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .map_err(|error| {
            refused(
                file,
                format!("table \"{table}\" has no geometry column: {error}"),
            )
        })?;
    if organisation.eq_ignore_ascii_case("EPSG") {
        return Ok(Some(format!("EPSG:{code}")));
    }
    let definition = definition.trim();
    Ok(
        (!definition.is_empty() && !definition.eq_ignore_ascii_case("undefined"))
            .then(|| definition.to_owned()),
    )
}

/// The coordinate system the GeoPackage layer at `path` declares, as text.
pub fn declared_system(path: &Path) -> Result<Option<String>> {
    let Some((file, table)) = geopackage_of(path) else {
        return Ok(None);
    };
    let connection = open(&file)?;
    let table = chosen_table(&connection, &file, table.as_deref())?;
    table_system(&connection, &file, &table)
}

/// The standard WKB inside a GeoPackage geometry blob (after its `GP` header and envelope), or
/// `None` for an empty geometry.
pub(super) fn wkb_of(blob: &[u8]) -> std::result::Result<Option<&[u8]>, String> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err("a geometry that is not GeoPackage binary (no GP header)".to_owned());
    }
    let flags = blob[3];
    let envelope_bytes = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        other => return Err(format!("a geometry header with envelope kind {other}")),
    };
    if flags & 0b1_0000 != 0 {
        return Ok(None);
    }
    blob.get(8 + envelope_bytes..)
        .filter(|wkb| !wkb.is_empty())
        .map(Some)
        .ok_or_else(|| "a truncated geometry".to_owned())
}

pub(super) fn json_of(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null | ValueRef::Blob(_) => Value::Null,
        ValueRef::Integer(number) => Value::from(number),
        ValueRef::Real(number) => {
            serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number)
        }
        ValueRef::Text(text) => Value::String(String::from_utf8_lossy(text).trim().to_owned()),
    }
}

/// The name of `table`'s geometry column.
pub(super) fn geometry_column_of(
    connection: &Connection,
    file: &Path,
    table: &str,
) -> Result<String> {
    connection
        .query_row(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?1",
            [table],
            |row| row.get(0),
        )
        .map_err(|error| {
            refused(
                file,
                format!("table \"{table}\" has no geometry column: {error}"),
            )
        })
}

/// Reads the first `most` features of the GeoPackage layer at `path` (`FILE.gpkg[:TABLE]`),
/// positions in the table's own system.
pub fn read_geopackage(path: &Path, most: usize) -> Result<Vec<RawFeature>> {
    let (file, table) =
        geopackage_of(path).ok_or_else(|| refused(path, "is not a GeoPackage path"))?;
    let connection = open(&file)?;
    let table = chosen_table(&connection, &file, table.as_deref())?;
    let geometry_column = geometry_column_of(&connection, &file, &table)?;
    let mut statement = connection
        .prepare(&format!("SELECT * FROM \"{}\"", table.replace('"', "\"\"")))
        .map_err(|error| refused(&file, error))?;
    let names: Vec<String> = statement.column_names().map(str::to_owned).collect();
    let mut rows = statement.query([]).map_err(|error| refused(&file, error))?;
    let mut features = Vec::new();
    while let Some(row) = rows.next().map_err(|error| refused(&file, error))? {
        if features.len() >= most {
            break;
        }
        let index = features.len();
        let mut properties = Map::new();
        let mut geometry = None;
        for (column, name) in names.iter().enumerate() {
            let value = row.get_ref(column).map_err(|error| refused(&file, error))?;
            if *name == geometry_column {
                if let ValueRef::Blob(blob) = value {
                    let problem = |problem: String| {
                        refused(
                            &file,
                            format!("table \"{table}\", feature {index}: {problem}"),
                        )
                    };
                    if let Some(wkb) = wkb_of(blob).map_err(problem)? {
                        let read = wkb::reader::read_wkb(wkb).map_err(|error| {
                            problem(format!("a geometry that cannot be read ({error})"))
                        })?;
                        geometry = read.try_to_geometry().map(geometry_of_geo);
                    }
                }
            } else {
                properties.insert(name.clone(), json_of(value));
            }
        }
        features.push(RawFeature {
            id: None,
            geometry,
            properties,
        });
    }
    Ok(features)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layer_path_names_the_file_and_the_table_after_its_colon() {
        assert_eq!(
            geopackage_of(Path::new("/data/城区.gpkg:buildings")),
            Some((
                PathBuf::from("/data/城区.gpkg"),
                Some("buildings".to_owned())
            ))
        );
        assert_eq!(
            geopackage_of(Path::new("/data/城区.GPKG")),
            Some((PathBuf::from("/data/城区.GPKG"), None))
        );
        assert_eq!(geopackage_of(Path::new("/data/buildings.geojson")), None);
    }

    #[test]
    fn an_empty_geometry_and_a_broken_header_are_told_apart() {
        let empty = [b'G', b'P', 0, 0b1_0000, 0, 0, 0, 0];
        assert_eq!(wkb_of(&empty), Ok(None));
        assert!(wkb_of(b"XX\0\0\0\0\0\0\x01").is_err());
        let truncated = [b'G', b'P', 0, 0b10, 0, 0, 0, 0, 1, 2, 3];
        assert!(wkb_of(&truncated).is_err());
    }
}
