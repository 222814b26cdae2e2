//! Fixtures the tests and benchmarks share (feature `test-support`): the catalogue tables of a
//! GeoPackage and its geometry blobs, so that each test writes only its own feature tables; the
//! first two grids of a community that merge into one piece.

use rusqlite::Connection;

/// Creates the catalogue a GeoPackage reader looks for: `gpkg_spatial_ref_sys` (with WGS 84),
/// `gpkg_contents` and `gpkg_geometry_columns`, without any feature table.
pub fn geopackage_catalogue(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch(
        "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY,
            organization TEXT, organization_coordsys_id INTEGER, definition TEXT,
            description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT,
            identifier TEXT, description TEXT, last_change TEXT, min_x REAL, min_y REAL,
            max_x REAL, max_y REAL, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT,
            geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);
        INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, '', '');",
    )
}

/// Lists `table` (created by the caller, its geometry in column `geom`) as a feature table of
/// `geometry_type` in the system `srs_id`.
pub fn register_feature_table(
    connection: &Connection,
    table: &str,
    geometry_type: &str,
    srs_id: i32,
) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES (?1, 'features', ?2)",
        rusqlite::params![table, srs_id],
    )?;
    connection.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
        rusqlite::params![table, geometry_type, srs_id],
    )?;
    Ok(())
}

/// A geometry as a GeoPackage blob: "GP", version 0, flags (little-endian, no envelope; empty
/// when `geometry` is `None`), the system's id, then WKB.
pub fn geopackage_blob(geometry: Option<&geo::Geometry<f64>>, srs_id: i32) -> Vec<u8> {
    let flags = if geometry.is_some() { 1 } else { 0b1_0001 };
    let mut blob = vec![b'G', b'P', 0, flags];
    blob.extend_from_slice(&srs_id.to_le_bytes());
    let empty = geo::Geometry::MultiPolygon(geo::MultiPolygon::new(vec![]));
    wkb::writer::write_geometry(
        &mut blob,
        geometry.unwrap_or(&empty),
        &wkb::writer::WriteOptions::default(),
    )
    .expect("a geometry WKB holds");
    blob
}

/// The positions of the first two of `grids` (in their order) that share a side: their union is
/// one piece. For tests that merge grids.
pub fn touching_grids(grids: &[crate::plan::Grid]) -> Option<(usize, usize)> {
    use geo::BooleanOps;
    (0..grids.len())
        .flat_map(|first| (first + 1..grids.len()).map(move |second| (first, second)))
        .find(|&(first, second)| grids[first].boundary.union(&grids[second].boundary).0.len() == 1)
}
