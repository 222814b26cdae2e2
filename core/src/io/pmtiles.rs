//! PMTiles v3 (one file: a header, gzip-compressed directories of Hilbert-ordered tile ids, the
//! tiles): a tile set's description and its tiles' bytes, read by ranges from the file. Raster
//! tiles only; decoding is the caller's. Follows the specification's reference reader
//! (protomaps/PMTiles, `python/pmtiles/reader.py`).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::io::mbtiles::TileSetInfo;
use crate::tiles::TileId;

/// The header's length.
const HEADER_LENGTH: usize = 127;

/// Directories nest at most this deep (the specification's limit).
const MOST_DIRECTORY_DEPTH: usize = 4;

/// The header fields a reader needs.
#[derive(Debug, Clone, Copy)]
struct Header {
    root: (u64, u64),
    leaves_offset: u64,
    tiles_offset: u64,
    internal_gzip: bool,
}

/// One directory entry: tiles `tile_id..tile_id + run_length` at `offset` (a leaf directory
/// when `run_length` is 0).
#[derive(Debug, Clone, Copy)]
struct Entry {
    tile_id: u64,
    offset: u64,
    length: u64,
    run_length: u64,
}

/// An open PMTiles file.
#[derive(Debug)]
pub struct PmTiles {
    path: PathBuf,
    file: Mutex<File>,
    /// The file's length: no range read may pass it (a damaged entry cannot ask for gigabytes).
    file_length: u64,
    header: Header,
    info: TileSetInfo,
}

fn refused(path: &Path, problem: impl std::fmt::Display) -> Error {
    Error::Layer {
        path: path.to_path_buf(),
        problem: problem.to_string(),
    }
}

impl PmTiles {
    /// Opens `path` and reads its header; refuses a file that is not PMTiles v3, holds vector
    /// tiles, or compresses its directories or tiles other than with gzip.
    pub fn open(path: &Path) -> Result<Self> {
        let mut file = File::open(path)
            .map_err(|error| refused(path, format!("cannot be opened: {error}")))?;
        let file_length = file
            .metadata()
            .map_err(|error| refused(path, format!("cannot be read: {error}")))?
            .len();
        let mut bytes = [0u8; HEADER_LENGTH];
        file.read_exact(&mut bytes)
            .map_err(|_| refused(path, "is too short to be PMTiles"))?;
        if &bytes[..7] != b"PMTiles" {
            return Err(refused(path, "is not PMTiles (no PMTiles header)"));
        }
        if bytes[7] != 3 {
            return Err(refused(
                path,
                format!(
                    "is PMTiles version {}; shequ reads version 3: convert it with `pmtiles convert`",
                    bytes[7]
                ),
            ));
        }
        let number =
            |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
        let degrees = |at: usize| {
            f64::from(i32::from_le_bytes(
                bytes[at..at + 4].try_into().unwrap_or_default(),
            )) / 1e7
        };
        let (internal, tile_compression, tile_type) = (bytes[97], bytes[98], bytes[99]);
        let format = match tile_type {
            2 => "png",
            3 => "jpg",
            4 => "webp",
            1 => "pbf",
            5 => "avif",
            _ => "unknown",
        };
        if !matches!(tile_type, 2..=4) {
            return Err(refused(
                path,
                format!(
                    "holds {format} tiles; shequ draws raster basemaps (PNG, JPEG, WebP): export the tiles as images"
                ),
            ));
        }
        // 1 none, 2 gzip; 0 (unknown) directories are gzip in practice.
        if !matches!(internal, 0..=2) || !matches!(tile_compression, 0 | 1) {
            return Err(refused(
                path,
                "compresses its directories or tiles in a way shequ does not read (brotli, zstd): convert it with gzip directories and uncompressed tiles",
            ));
        }
        let header = Header {
            root: (number(8), number(16)),
            leaves_offset: number(40),
            tiles_offset: number(56),
            internal_gzip: internal != 1,
        };
        let info = TileSetInfo {
            name: path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default(),
            format: format.to_owned(),
            min_zoom: bytes[100],
            max_zoom: bytes[101],
            bounds: Some([degrees(102), degrees(106), degrees(110), degrees(114)]),
        };
        Ok(Self {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            file_length,
            header,
            info,
        })
    }

    /// What the tile set says of itself.
    pub fn info(&self) -> &TileSetInfo {
        &self.info
    }

    /// A tile's bytes as stored, or `None` where the set has no such tile.
    pub fn tile(&self, tile: TileId) -> Result<Option<Vec<u8>>> {
        let wanted = tile_id(tile);
        let (mut offset, mut length) = self.header.root;
        for _ in 0..MOST_DIRECTORY_DEPTH {
            let entries = self.directory(offset, length)?;
            let Some(entry) = find(&entries, wanted) else {
                return Ok(None);
            };
            if entry.run_length > 0 {
                return self
                    .bytes(self.header.tiles_offset + entry.offset, entry.length)
                    .map(Some);
            }
            offset = self.header.leaves_offset + entry.offset;
            length = entry.length;
        }
        Err(refused(
            &self.path,
            "its directories nest deeper than PMTiles allows",
        ))
    }

    fn bytes(&self, offset: u64, length: u64) -> Result<Vec<u8>> {
        let failed =
            |error: std::io::Error| refused(&self.path, format!("cannot be read: {error}"));
        if offset.saturating_add(length) > self.file_length {
            return Err(refused(
                &self.path,
                "an entry points past the end of the file: the file is damaged or cut short",
            ));
        }
        let mut file = self
            .file
            .lock()
            .map_err(|_| refused(&self.path, "its reader failed earlier"))?;
        file.seek(SeekFrom::Start(offset)).map_err(failed)?;
        let mut bytes = vec![0; usize::try_from(length).unwrap_or(0)];
        file.read_exact(&mut bytes).map_err(failed)?;
        Ok(bytes)
    }

    fn directory(&self, offset: u64, length: u64) -> Result<Vec<Entry>> {
        let stored = self.bytes(offset, length)?;
        let bytes = if self.header.internal_gzip {
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(&stored[..])
                .read_to_end(&mut plain)
                .map_err(|error| {
                    refused(
                        &self.path,
                        format!("a directory cannot be unpacked: {error}"),
                    )
                })?;
            plain
        } else {
            stored
        };
        parse_directory(&bytes).ok_or_else(|| refused(&self.path, "a directory is cut short"))
    }
}

/// A directory's entries from its (uncompressed) bytes: a count, then the tile ids as
/// differences, the run lengths, the lengths and the offsets (0: right after the previous).
fn parse_directory(bytes: &[u8]) -> Option<Vec<Entry>> {
    let mut at = 0;
    let mut next = || -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *bytes.get(at)?;
            at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    };
    let count = usize::try_from(next()?).ok()?;
    // Every entry takes at least four bytes: a count beyond that is a damaged directory.
    if count > bytes.len() {
        return None;
    }
    let mut entries = Vec::with_capacity(count);
    let mut last_id = 0u64;
    for _ in 0..count {
        last_id = last_id.checked_add(next()?)?;
        entries.push(Entry {
            tile_id: last_id,
            offset: 0,
            length: 0,
            run_length: 0,
        });
    }
    for entry in &mut entries {
        entry.run_length = next()?;
    }
    for entry in &mut entries {
        entry.length = next()?;
    }
    for index in 0..count {
        let value = next()?;
        entries[index].offset = if index > 0 && value == 0 {
            entries[index - 1].offset + entries[index - 1].length
        } else {
            value.checked_sub(1)?
        };
    }
    Some(entries)
}

/// The entry holding `wanted`: the last entry at or before it whose run covers it (or a leaf).
fn find(entries: &[Entry], wanted: u64) -> Option<Entry> {
    let after = entries.partition_point(|entry| entry.tile_id <= wanted);
    let entry = *entries.get(after.checked_sub(1)?)?;
    (entry.run_length == 0 || wanted - entry.tile_id < entry.run_length).then_some(entry)
}

/// A tile's id: the tiles of lower zooms, then its place along the Hilbert curve of its zoom.
pub fn tile_id(tile: TileId) -> u64 {
    let lower: u64 = (0..u32::from(tile.zoom))
        .map(|zoom| 1u64 << (2 * zoom))
        .sum();
    let (mut x, mut y) = (u64::from(tile.x), u64::from(tile.y));
    let mut distance = 0u64;
    let mut size = (1u64 << tile.zoom) / 2;
    while size > 0 {
        let east = u64::from(x & size > 0);
        let south = u64::from(y & size > 0);
        distance += size * size * ((3 * east) ^ south);
        if south == 0 {
            if east == 1 {
                // Only the bits below `size` matter from here on.
                x = size - 1 - (x & (size - 1));
                y = size - 1 - (y & (size - 1));
            }
            std::mem::swap(&mut x, &mut y);
        }
        size /= 2;
    }
    lower + distance
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_ids_follow_the_specification() {
        let id = |zoom, x, y| tile_id(TileId { zoom, x, y });
        assert_eq!(id(0, 0, 0), 0);
        assert_eq!(
            [id(1, 0, 0), id(1, 0, 1), id(1, 1, 1), id(1, 1, 0)],
            [1, 2, 3, 4]
        );
        assert_eq!(id(2, 0, 0), 5);
        // As the reference implementation (protomaps/PMTiles `zxy_to_tileid`) gives them.
        assert_eq!(id(2, 3, 0), 20);
        assert_eq!(id(3, 0, 0), 21);
        assert_eq!(id(3, 7, 0), 84);
        assert_eq!(id(3, 5, 2), 76);
        assert_eq!(id(12, 3301, 1703), 19_007_449);
        assert_eq!(id(17, 105_123, 54_321), 19_464_822_369);
    }
}
