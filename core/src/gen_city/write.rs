//! Writing generated layers as GeoJSON quickly: numbers straight to the file, no JSON tree.

use std::io::Write;

use geo::Coord;

use crate::projection::{LocalProjection, round_degrees};

/// Writes `[lon,lat]` of a point in metres.
pub fn write_position(
    writer: &mut dyn Write,
    coord: Coord<f64>,
    projection: &LocalProjection,
) -> std::io::Result<()> {
    let (longitude, latitude) = projection.to_lon_lat(coord);
    write!(
        writer,
        "[{},{}]",
        round_degrees(longitude),
        round_degrees(latitude)
    )
}

/// Writes a list of positions; `close` repeats the first at the end (a polygon ring).
pub fn write_positions(
    writer: &mut dyn Write,
    coords: &[Coord<f64>],
    close: bool,
    projection: &LocalProjection,
) -> std::io::Result<()> {
    writer.write_all(b"[")?;
    let closing = if close { coords.first() } else { None };
    for (index, coord) in coords.iter().chain(closing).enumerate() {
        if index > 0 {
            writer.write_all(b",")?;
        }
        write_position(writer, *coord, projection)?;
    }
    writer.write_all(b"]")
}
