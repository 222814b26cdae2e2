//! `streets.geojson`: every grid line, split at each junction.

use std::path::Path;

use crate::error::Result;
use crate::io::atomic::write_atomically;
use crate::projection::LocalProjection;
use grid::{Layout, grid_to_metres};
use write::write_position;

use super::*;

/// Writes `streets.geojson`: every grid line, split at each junction; every fourth line a main
/// road. Along the planted river bank there are none. Returns how many were written.
pub(super) fn write_streets(
    folder: &Path,
    layout: &Layout,
    plants: &plants::Plants,
    city: &CityFrame,
    projection: &LocalProjection,
) -> Result<usize> {
    let (grid_columns, grid_rows) = (city.grid_columns, city.grid_rows);
    let missing_street = |from: (i64, i64), to: (i64, i64)| {
        let Some(index) = plants.off_street else {
            return false;
        };
        let (column, row) = layout.origin(index);
        let (column, row) = (column as i64, row as i64);
        let (columns, rows) = (layout.block_columns as i64, layout.block_rows as i64);
        let on_west = from.0 == column && to.0 == column && from.1 >= row && to.1 <= row + rows;
        let on_south = from.1 == row && to.1 == row && from.0 >= column && to.0 <= column + columns;
        on_west || on_south
    };
    let mut street_count = 0usize;
    write_atomically(&folder.join("streets.geojson"), |writer| {
        writer
            .write_all(b"{\"type\":\"FeatureCollection\",\"name\":\"streets\",\"features\":[\n")?;
        let mut segments: Vec<StreetSegment> = Vec::new();
        for x in 0..=grid_columns as i64 {
            for y in 0..grid_rows as i64 {
                segments.push(((x, y), (x, y + 1), x % 4 == 0, format!("经{}路", x + 1)));
            }
        }
        for y in 0..=grid_rows as i64 {
            for x in 0..grid_columns as i64 {
                segments.push(((x, y), (x + 1, y), y % 4 == 0, format!("纬{}路", y + 1)));
            }
        }
        for (from, to, main, name) in segments {
            if missing_street(from, to) {
                continue;
            }
            if street_count > 0 {
                writer.write_all(b",\n")?;
            }
            street_count += 1;
            let class = if main { "primary" } else { "residential" };
            write!(
                writer,
                "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"S{street_count:07}\",\"highway\":\"{class}\",\"name\":\"{name}\"}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":["
            )?;
            write_position(writer, city.place(grid_to_metres(from)), projection)?;
            writer.write_all(b",")?;
            write_position(writer, city.place(grid_to_metres(to)), projection)?;
            writer.write_all(b"]}}")?;
        }
        writer.write_all(b"\n]}\n")
    })?;
    Ok(street_count)
}
