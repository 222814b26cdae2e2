//! A basemap's tile file, MBTiles or PMTiles, told apart by its first bytes.

use std::io::Read;
use std::path::Path;

use crate::error::Result;
use crate::io::mbtiles::{MbTiles, TileSetInfo};
use crate::io::pmtiles::PmTiles;
use crate::tiles::TileId;

/// An open tile file.
#[derive(Debug)]
pub enum TileFile {
    /// SQLite MBTiles.
    MbTiles(MbTiles),
    /// PMTiles v3.
    PmTiles(PmTiles),
}

impl TileFile {
    /// Opens `path` as PMTiles when it starts as one, else as MBTiles.
    pub fn open(path: &Path) -> Result<Self> {
        let mut start = [0u8; 7];
        let is_pmtiles = std::fs::File::open(path)
            .and_then(|mut file| file.read_exact(&mut start))
            .is_ok()
            && &start == b"PMTiles";
        if is_pmtiles {
            PmTiles::open(path).map(TileFile::PmTiles)
        } else {
            MbTiles::open(path).map(TileFile::MbTiles)
        }
    }

    /// What the tile set says of itself.
    pub fn info(&self) -> &TileSetInfo {
        match self {
            TileFile::MbTiles(tiles) => tiles.info(),
            TileFile::PmTiles(tiles) => tiles.info(),
        }
    }

    /// A tile's bytes as stored, or `None` where the set has no such tile.
    pub fn tile(&self, tile: TileId) -> Result<Option<Vec<u8>>> {
        match self {
            TileFile::MbTiles(tiles) => tiles.tile(tile),
            TileFile::PmTiles(tiles) => tiles.tile(tile),
        }
    }
}
