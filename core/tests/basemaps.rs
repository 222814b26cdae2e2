//! Basemap tile files: a PMTiles file written by the reference implementation (see
//! `fixtures/make_pmtiles.py`) read tile by tile, runs and missing tiles included; both formats
//! opened through one type.

use std::path::{Path, PathBuf};

use shequ_core::io::tile_file::TileFile;
use shequ_core::tiles::TileId;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiles.pmtiles")
}

fn contains(bytes: &[u8], text: &str) -> bool {
    bytes
        .windows(text.len())
        .any(|window| window == text.as_bytes())
}

#[test]
fn every_tile_of_a_pmtiles_file_from_the_reference_writer_is_found_where_it_was_put() {
    let tiles = TileFile::open(&fixture()).expect("opens");
    assert!(matches!(tiles, TileFile::PmTiles(_)));
    let info = tiles.info();
    assert_eq!(
        (info.min_zoom, info.max_zoom, info.format.as_str()),
        (0, 4, "png")
    );
    for zoom in 0..4u8 {
        for x in 0..1u32 << zoom {
            for y in 0..1u32 << zoom {
                let bytes = tiles
                    .tile(TileId { zoom, x, y })
                    .expect("reads")
                    .expect("present");
                assert!(
                    contains(&bytes, &format!("tile {zoom}/{x}/{y}")),
                    "{zoom}/{x}/{y}"
                );
            }
        }
    }
    // Zoom 4 is one tile stored once for all 256 (a run).
    for (x, y) in [(0, 0), (9, 3), (15, 15)] {
        let bytes = tiles
            .tile(TileId { zoom: 4, x, y })
            .expect("reads")
            .expect("present");
        assert!(contains(&bytes, "tile zoom 4"));
    }
    assert_eq!(
        tiles
            .tile(TileId {
                zoom: 5,
                x: 0,
                y: 0
            })
            .expect("reads"),
        None
    );
}

#[test]
fn an_mbtiles_file_opens_through_the_same_type_and_a_stranger_is_refused() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("small.mbtiles");
    let tile = TileId {
        zoom: 2,
        x: 1,
        y: 3,
    };
    shequ_core::io::mbtiles::write(&path, "small", "png", &[(tile, b"png bytes".to_vec())])
        .expect("writes");
    let tiles = TileFile::open(&path).expect("opens");
    assert!(matches!(tiles, TileFile::MbTiles(_)));
    assert_eq!(
        tiles.tile(tile).expect("reads"),
        Some(b"png bytes".to_vec())
    );
    let stranger = folder.path().join("notes.txt");
    std::fs::write(&stranger, "PMTile? no").expect("writes");
    let error = TileFile::open(&stranger).expect_err("refused").to_string();
    assert!(error.contains("notes.txt"), "{error}");
}

#[test]
fn a_cut_short_pmtiles_file_is_refused_tile_by_tile_without_a_panic() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let whole = std::fs::read(fixture()).expect("reads");
    let cut = folder.path().join("cut.pmtiles");
    std::fs::write(&cut, &whole[..whole.len() / 2]).expect("writes");
    let tiles = TileFile::open(&cut).expect("the header is whole");
    let mut refused = 0;
    for x in 0..8 {
        for y in 0..8 {
            if tiles.tile(TileId { zoom: 3, x, y }).is_err() {
                refused += 1;
            }
        }
    }
    assert!(
        refused > 0,
        "tiles past the cut are refused, not read as garbage"
    );
}
