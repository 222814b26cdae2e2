//! A GeoPackage feature table of polygons read straight into flat runs ([`ParsedFeatures`]) on
//! all cores: each task reads a range of row ids through a connection of its own, only the
//! geometry and the columns a conversion reads, and walks each WKB polygon's rings without
//! building a geometry. A feature that is not a polygon is handed on as a [`RawFeature`] for
//! the conversion to judge, as before.

use std::path::Path;
use std::sync::Mutex;

use geo_traits::to_geo::ToGeoGeometry;
use geo_traits::{
    CoordTrait, GeometryTrait, GeometryType, LineStringTrait, MultiPolygonTrait, PolygonTrait,
};
use rayon::prelude::*;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use serde_json::Map;

use super::{
    chosen_table, geometry_column_of, geopackage_of, json_of, open, refused, row_count, wkb_of,
};
use crate::error::Result;
use crate::io::flat_features::{
    FeatureWriter, ParsedFeatures, PlainValue, PropertySlots, number_runs,
};
use crate::io::geojson::{Position, RawFeature, geometry_of_geo};
use crate::io::shapefile::RunSizes;

/// Reads the GeoPackage layer at `path` (`FILE.gpkg[:TABLE]`) in runs of flat features keeping
/// the columns of `slots`, handing them to `take` in row order with the index of each run's
/// first feature. `expect` learns the row count first.
pub fn read_geopackage_flat(
    path: &Path,
    slots: &PropertySlots,
    sizes: RunSizes,
    expect: &mut dyn FnMut(usize),
    take: &mut dyn FnMut(Vec<(usize, ParsedFeatures)>) -> Result<()>,
) -> Result<()> {
    let (file, table) =
        geopackage_of(path).ok_or_else(|| refused(path, "is not a GeoPackage path"))?;
    let connection = open(&file)?;
    let table = chosen_table(&connection, &file, table.as_deref())?;
    let geometry_column = geometry_column_of(&connection, &file, &table)?;
    let quoted = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let rows = row_count(&connection, &file, &table)?;
    expect(rows as usize);
    // A feature table has integer row ids to split the reading on; a view registered as one
    // has none, and is read in one run.
    let row_ids: Option<(i64, i64)> = connection
        .query_row(
            &format!("SELECT min(rowid), max(rowid) FROM {}", quoted(&table)),
            [],
            |row| Ok((row.get::<_, Option<i64>>(0)?, row.get::<_, Option<i64>>(1)?)),
        )
        .ok()
        .and_then(|(first, last)| Some((first?, last?)));
    let columns: Vec<String> = {
        let statement = connection
            .prepare(&format!("SELECT * FROM {} LIMIT 0", quoted(&table)))
            .map_err(|error| refused(&file, error))?;
        statement.column_names().map(str::to_owned).collect()
    };
    let kept: Vec<(u8, &str)> = slots
        .keys()
        .filter(|(_, key)| columns.iter().any(|column| column == key) && *key != geometry_column)
        .collect();
    let (row_id, range) = if row_ids.is_some() {
        ("rowid", " WHERE rowid >= ?1 AND rowid < ?2 ORDER BY rowid")
    } else {
        ("NULL", "")
    };
    let query = format!(
        "SELECT {row_id}, {}{} FROM {}{range}",
        quoted(&geometry_column),
        kept.iter()
            .map(|(_, key)| format!(", {}", quoted(key)))
            .collect::<String>(),
        quoted(&table)
    );
    let first_keys: Vec<String> = columns
        .iter()
        .filter(|column| **column != geometry_column)
        .cloned()
        .collect();
    let connections = Mutex::new(vec![connection]);
    let reading = TableReading {
        file: &file,
        table: &table,
        query: &query,
        kept: &kept,
        connections: &connections,
    };
    let Some((first_row, last_row)) = row_ids else {
        if rows > 0 {
            let run = reading.run(None)?;
            take(number_runs(vec![run], &mut 0, || first_keys.clone()))?;
        }
        return Ok(());
    };
    // Row ids are usually 1…n; the ranges follow them, gaps or not.
    let per_run = sizes.per_run.max(1) as i64;
    let per_call = sizes.per_call.max(sizes.per_run).max(1) as i64;
    let mut taken = 0;
    let mut call_start = first_row;
    while call_start <= last_row {
        let call_end = call_start
            .saturating_add(per_call)
            .min(last_row.saturating_add(1));
        let runs: Vec<ParsedFeatures> = (call_start..call_end)
            .step_by(per_run as usize)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|start| reading.run(Some((start, start.saturating_add(per_run).min(call_end)))))
            .collect::<Result<_>>()?;
        take(number_runs(runs, &mut taken, || first_keys.clone()))?;
        call_start = call_end;
    }
    Ok(())
}

/// What each task reads with.
struct TableReading<'a> {
    file: &'a Path,
    table: &'a str,
    query: &'a str,
    kept: &'a [(u8, &'a str)],
    /// Connections not in use: SQLite reads on many connections at once.
    connections: &'a Mutex<Vec<Connection>>,
}

impl TableReading<'_> {
    /// The rows whose ids are in `start..end` (all of them: `None`), as a flat run.
    fn run(&self, ids: Option<(i64, i64)>) -> Result<ParsedFeatures> {
        let pooled = self
            .connections
            .lock()
            .map_or(None, |mut connections| connections.pop());
        let connection = match pooled {
            Some(connection) => connection,
            None => open(self.file)?,
        };
        let run = self.read(&connection, ids);
        if let Ok(mut connections) = self.connections.lock() {
            connections.push(connection);
        }
        run
    }

    fn read(&self, connection: &Connection, ids: Option<(i64, i64)>) -> Result<ParsedFeatures> {
        let file = self.file;
        let mut statement = connection
            .prepare_cached(self.query)
            .map_err(|error| refused(file, error))?;
        let mut rows = match ids {
            Some((start, end)) => statement.query([start, end]),
            None => statement.query([]),
        }
        .map_err(|error| refused(file, error))?;
        let expected = ids.map_or(0, |(start, end)| usize::try_from(end - start).unwrap_or(0));
        let mut features = ParsedFeatures::with_capacity(expected, expected * 8);
        while let Some(row) = rows.next().map_err(|error| refused(file, error))? {
            let row_id: Option<i64> = row.get(0).map_err(|error| refused(file, error))?;
            let which = row_id.map_or_else(|| "a row".to_owned(), |id| format!("row {id}"));
            let problem = |problem: String| {
                refused(
                    file,
                    format!("table \"{}\", {which}: {problem}", self.table),
                )
            };
            let write_values = |writer: &mut FeatureWriter<'_>| {
                for (column, (slot, _)) in self.kept.iter().enumerate() {
                    let value = row.get_ref(column + 2).unwrap_or(ValueRef::Null);
                    let text;
                    let plain = match value {
                        ValueRef::Null | ValueRef::Blob(_) => PlainValue::Null,
                        ValueRef::Integer(number) => PlainValue::Integer(number),
                        ValueRef::Real(number) => PlainValue::Number(number),
                        ValueRef::Text(bytes) => {
                            text = String::from_utf8_lossy(bytes);
                            PlainValue::Text(text.trim())
                        }
                    };
                    writer.value(*slot, plain);
                }
            };
            let blob = match row.get_ref(1).map_err(|error| refused(file, error))? {
                ValueRef::Blob(blob) => Some(blob),
                _ => None,
            };
            let wkb = match blob {
                Some(blob) => wkb_of(blob).map_err(problem)?,
                None => None,
            };
            let Some(wkb) = wkb else {
                features.push_feature(false, write_values);
                continue;
            };
            let geometry = wkb::reader::read_wkb(wkb)
                .map_err(|error| problem(format!("a geometry that cannot be read ({error})")))?;
            match geometry.as_type() {
                GeometryType::Polygon(polygon) => features.push_feature(true, |writer| {
                    write_polygon(writer, polygon);
                    write_values(writer);
                }),
                GeometryType::MultiPolygon(polygons) => features.push_feature(true, |writer| {
                    for polygon in polygons.polygons() {
                        write_polygon(writer, &polygon);
                    }
                    write_values(writer);
                }),
                _ => {
                    let properties: Map<String, serde_json::Value> = self
                        .kept
                        .iter()
                        .enumerate()
                        .map(|(column, (_, key))| {
                            let value = row.get_ref(column + 2).unwrap_or(ValueRef::Null);
                            ((*key).to_owned(), json_of(value))
                        })
                        .collect();
                    features.push_raw(RawFeature {
                        id: None,
                        geometry: geometry.try_to_geometry().map(geometry_of_geo),
                        properties,
                    });
                }
            }
        }
        Ok(features)
    }
}

/// Writes a WKB polygon's rings, outer ring first; Z and M are dropped. A polygon without an
/// outer ring (an empty one) adds nothing.
fn write_polygon(writer: &mut FeatureWriter<'_>, polygon: &impl PolygonTrait<T = f64>) {
    let Some(exterior) = polygon.exterior() else {
        return;
    };
    let position = |coordinate: &dyn CoordTrait<T = f64>| Position {
        longitude: coordinate.x(),
        latitude: coordinate.y(),
    };
    writer.ring(exterior.coords().map(|coordinate| position(&coordinate)));
    for interior in polygon.interiors() {
        writer.ring(interior.coords().map(|coordinate| position(&coordinate)));
    }
    writer.end_polygon();
}
