//! MBTiles (SQLite, rows counted from the south): a tile set's description and its tiles' bytes.
//! The tiles are returned as stored (PNG, JPEG or WebP); decoding is the caller's.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{Error, Result};
use crate::tiles::TileId;

/// What a tile set says of itself in its `metadata` table.
#[derive(Debug, Clone, PartialEq)]
pub struct TileSetInfo {
    /// Its name, or the file's name.
    pub name: String,
    /// The tiles' format as stored (`png`, `jpg`, `webp`, `pbf`…).
    pub format: String,
    /// The lowest zoom it holds.
    pub min_zoom: u8,
    /// The highest zoom it holds.
    pub max_zoom: u8,
    /// West, south, east, north (degrees), where it says.
    pub bounds: Option<[f64; 4]>,
}

impl TileSetInfo {
    /// True for raster tiles shequ can draw.
    pub fn is_raster(&self) -> bool {
        matches!(self.format.as_str(), "png" | "jpg" | "jpeg" | "webp")
    }
}

/// An open MBTiles file.
#[derive(Debug)]
pub struct MbTiles {
    path: PathBuf,
    connection: Connection,
    info: TileSetInfo,
}

fn refused(path: &Path, problem: impl std::fmt::Display) -> Error {
    Error::Layer {
        path: path.to_path_buf(),
        problem: problem.to_string(),
    }
}

impl MbTiles {
    /// Opens `path` read-only and reads its description; refuses a file that is not MBTiles or
    /// holds vector tiles.
    pub fn open(path: &Path) -> Result<Self> {
        if !path.is_file() {
            return Err(refused(path, "no such basemap file: check the path"));
        }
        let connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|error| refused(path, format!("cannot be opened as SQLite: {error}")))?;
        let metadata: Vec<(String, String)> = connection
            .prepare("SELECT name, value FROM metadata")
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect()
            })
            .map_err(|error| {
                refused(
                    path,
                    format!("is not MBTiles (no metadata table: {error}): give an .mbtiles file of raster tiles"),
                )
            })?;
        let value = |name: &str| {
            metadata
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.trim().to_owned())
        };
        let (lowest, highest): (Option<u8>, Option<u8>) = connection
            .query_row(
                "SELECT min(zoom_level), max(zoom_level) FROM tiles",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|error| refused(path, format!("is not MBTiles (no tiles table: {error})")))?;
        let (Some(min_zoom), Some(max_zoom)) = (lowest, highest) else {
            return Err(refused(path, "holds no tiles"));
        };
        let bounds = value("bounds").and_then(|text| {
            let numbers: Vec<f64> = text
                .split(',')
                .map(|part| part.trim().parse())
                .collect::<std::result::Result<_, _>>()
                .ok()?;
            <[f64; 4]>::try_from(numbers).ok()
        });
        let info = TileSetInfo {
            name: value("name").unwrap_or_else(|| {
                path.file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_default()
            }),
            format: value("format")
                .unwrap_or_else(|| "png".to_owned())
                .to_lowercase(),
            min_zoom,
            max_zoom,
            bounds,
        };
        if !info.is_raster() {
            return Err(refused(
                path,
                format!(
                    "holds {} tiles; shequ draws raster basemaps (PNG, JPEG, WebP): export the tiles as images",
                    info.format
                ),
            ));
        }
        Ok(Self {
            path: path.to_path_buf(),
            connection,
            info,
        })
    }

    /// What the tile set says of itself.
    pub fn info(&self) -> &TileSetInfo {
        &self.info
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A tile's bytes as stored, or `None` where the set has no such tile.
    pub fn tile(&self, tile: TileId) -> Result<Option<Vec<u8>>> {
        let rows = 1u32 << tile.zoom;
        let row_from_south = rows - 1 - tile.y.min(rows - 1);
        self.connection
            .query_row(
                "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                (tile.zoom, tile.x, row_from_south),
                |row| row.get(0),
            )
            .optional()
            .map_err(|error| refused(&self.path, format!("tile {tile:?} cannot be read: {error}")))
    }
}

/// Writes a small MBTiles file of `tiles` (XYZ ids with their bytes) in `format`: for tests and
/// fixtures.
pub fn write(path: &Path, name: &str, format: &str, tiles: &[(TileId, Vec<u8>)]) -> Result<()> {
    let failed = |error: rusqlite::Error| refused(path, format!("cannot be written: {error}"));
    let connection = Connection::open(path).map_err(failed)?;
    connection
        .execute_batch(
            "CREATE TABLE metadata (name TEXT, value TEXT);
             CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
             CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
        )
        .map_err(failed)?;
    for (key, value) in [("name", name), ("format", format)] {
        connection
            .execute("INSERT INTO metadata VALUES (?1, ?2)", (key, value))
            .map_err(failed)?;
    }
    for (tile, bytes) in tiles {
        let row_from_south = (1u32 << tile.zoom) - 1 - tile.y;
        connection
            .execute(
                "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)",
                (tile.zoom, tile.x, row_from_south, bytes),
            )
            .map_err(failed)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_written_by_xyz_row_are_read_back_by_the_same_row() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("test.mbtiles");
        let tile = TileId {
            zoom: 3,
            x: 6,
            y: 2,
        };
        write(&path, "test", "png", &[(tile, vec![1, 2, 3])]).expect("writes");
        let tiles = MbTiles::open(&path).expect("opens");
        assert_eq!(tiles.info().min_zoom, 3);
        assert_eq!(tiles.info().max_zoom, 3);
        assert_eq!(tiles.tile(tile).expect("reads"), Some(vec![1, 2, 3]));
        assert_eq!(
            tiles.tile(TileId { y: 5, ..tile }).expect("reads"),
            None,
            "the row is counted from the north"
        );
    }

    #[test]
    fn a_file_that_is_not_mbtiles_or_holds_vector_tiles_is_refused_with_what_to_do() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let not_sqlite = folder.path().join("plain.mbtiles");
        std::fs::write(&not_sqlite, "not a database").expect("writes");
        let error = MbTiles::open(&not_sqlite).expect_err("refused").to_string();
        assert!(error.contains("plain.mbtiles"), "{error}");
        let vector = folder.path().join("vector.mbtiles");
        write(
            &vector,
            "vector",
            "pbf",
            &[(
                TileId {
                    zoom: 0,
                    x: 0,
                    y: 0,
                },
                vec![0],
            )],
        )
        .expect("writes");
        let error = MbTiles::open(&vector).expect_err("refused").to_string();
        assert!(error.contains("raster"), "{error}");
    }
}
