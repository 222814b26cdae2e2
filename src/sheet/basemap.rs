//! The plan's visible basemaps under the map sheet: the tiles at the zoom nearest the sheet's
//! resolution, each decoded and drawn through the affine map of its corners (projected one by one,
//! through GCJ-02 → WGS 84 where the basemap is switched), at the basemap's opacity.

use anyhow::Context;
use shequ_core::Session;
use shequ_core::io::tile_file::TileFile;
use shequ_core::tiles::TilePlacement;
use tiny_skia::{FilterQuality, IntSize, Pixmap, PixmapPaint, Transform};

use super::canvas::{Canvas, Frame};

/// The most tiles a basemap draws under one sheet.
const MOST_TILES: usize = 2_000;

/// Draws every visible basemap of `session` in the map rectangle `area` (left, top, width,
/// height in pixels), bottom first. A basemap whose file cannot be read is an error naming it.
pub(crate) fn draw_basemaps(
    canvas: &mut Canvas,
    session: &Session,
    frame: &Frame,
    area: [f32; 4],
) -> anyhow::Result<()> {
    for settings in &session.settings().basemaps {
        if !settings.visible || settings.opacity <= 0.0 {
            continue;
        }
        let file = session.basemap_file(settings);
        let tiles = TileFile::open(&file).with_context(|| {
            format!(
                "basemap {} cannot be drawn under the map sheet: hide it in Layers or fix its path",
                settings.path
            )
        })?;
        let placement = TilePlacement {
            projection: session.projection(),
            gcj02: settings.gcj02,
        };
        let [left, top, width, height] = area.map(f64::from);
        let corners = [
            (left, top),
            (left + width, top),
            (left, top + height),
            (left + width, top + height),
        ]
        .map(|(x, y)| frame.metres(x, y));
        let info = tiles.info();
        let Some(wanted) = placement.tiles_for_view(
            corners,
            1.0 / frame.scale,
            (info.min_zoom, info.max_zoom),
            MOST_TILES,
        ) else {
            continue;
        };
        for tile in wanted {
            let Some(image) = tiles
                .tile(tile)
                .with_context(|| format!("basemap {}", settings.path))?
                .and_then(|bytes| decode(&bytes))
            else {
                continue;
            };
            let pixel = |east: f64, south: f64| frame.pixel(placement.metres_at(tile, east, south));
            draw_tile(canvas, &image, pixel, settings.opacity);
        }
    }
    Ok(())
}

/// Draws `image` where the tile's corners fall: its north-west, north-east and south-west
/// corners fix the affine map (a tile is small enough for the projection to be affine on it).
fn draw_tile(
    canvas: &mut Canvas,
    image: &Pixmap,
    pixel: impl Fn(f64, f64) -> (f32, f32),
    opacity: f32,
) {
    let (north_west, north_east, south_west) = (pixel(0.0, 0.0), pixel(1.0, 0.0), pixel(0.0, 1.0));
    let (width, height) = (image.width() as f32, image.height() as f32);
    let transform = Transform::from_row(
        (north_east.0 - north_west.0) / width,
        (north_east.1 - north_west.1) / width,
        (south_west.0 - north_west.0) / height,
        (south_west.1 - north_west.1) / height,
        north_west.0,
        north_west.1,
    );
    let paint = PixmapPaint {
        opacity: opacity.clamp(0.0, 1.0),
        quality: FilterQuality::Bilinear,
        ..PixmapPaint::default()
    };
    canvas.pixmap.draw_pixmap(
        0,
        0,
        image.as_ref(),
        &paint,
        transform,
        canvas.clip.as_ref(),
    );
}

/// A tile's pixels (premultiplied, as tiny-skia keeps them) from its PNG, JPEG or WebP bytes.
fn decode(bytes: &[u8]) -> Option<Pixmap> {
    let image = image::load_from_memory(bytes).ok()?.to_rgba8();
    let size = IntSize::from_wh(image.width(), image.height())?;
    let mut data = image.into_raw();
    for pixel in data.chunks_exact_mut(4) {
        let alpha = u16::from(pixel[3]);
        for channel in &mut pixel[..3] {
            *channel = ((u16::from(*channel) * alpha + 127) / 255) as u8;
        }
    }
    Pixmap::from_vec(data, size)
}

#[cfg(test)]
mod tests {
    use shequ_core::Session;
    use shequ_core::edit::Command;
    use shequ_core::io::plan_file::BasemapSettings;
    use shequ_core::lang::Language;
    use shequ_core::report::CheckReport;
    use shequ_core::tiles::tiles_covering;

    use crate::sheet::{MapImageOptions, render_map_image};

    /// The demo copied into a folder with a basemap of plain blue tiles over it.
    fn demo_with_blue_basemap() -> (tempfile::TempDir, Session) {
        let folder = tempfile::tempdir().expect("temporary folder");
        let demo =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/nanchang-demo");
        for file in ["plan.shequ.geojson", "buildings.geojson", "streets.geojson"] {
            std::fs::copy(demo.join(file), folder.path().join(file)).expect("copies");
        }
        let session = Session::open(&folder.path().join("plan.shequ.geojson")).expect("opens");
        let mut blue = tiny_skia::Pixmap::new(256, 256).expect("a tile");
        blue.fill(tiny_skia::Color::from_rgba8(0, 0, 255, 255));
        let png = blue.encode_png().expect("encodes");
        let tiles: Vec<_> = (10..=16u8)
            .flat_map(|zoom| {
                tiles_covering([115.7, 28.5, 116.1, 28.8], zoom, 100_000).expect("few")
            })
            .map(|tile| (tile, png.clone()))
            .collect();
        shequ_core::io::mbtiles::write(&folder.path().join("blue.mbtiles"), "blue", "png", &tiles)
            .expect("writes");
        (folder, session)
    }

    fn corner_pixel(session: &Session) -> (u8, u8, u8) {
        let options = MapImageOptions {
            width: 600,
            height: 450,
            language: Language::Chinese,
            date: "2026-12-02".into(),
        };
        let sheet =
            render_map_image(session, &CheckReport::of(session), &options).expect("renders");
        // Just inside the map frame's top-left corner, where no community reaches.
        let pixel = sheet.pixel(45, 135).expect("inside");
        (pixel.red(), pixel.green(), pixel.blue())
    }

    #[test]
    fn a_visible_basemap_is_drawn_under_the_sheet_and_a_hidden_one_is_not() {
        let (_folder, mut session) = demo_with_blue_basemap();
        let bare = corner_pixel(&session);
        let mut basemap = BasemapSettings::new("blue.mbtiles");
        session
            .execute(Command::SetBasemaps {
                basemaps: vec![basemap.clone()],
            })
            .expect("sets");
        assert_eq!(
            corner_pixel(&session),
            (0, 0, 255),
            "the blue tiles show at the corner"
        );
        basemap.visible = false;
        session
            .execute(Command::SetBasemaps {
                basemaps: vec![basemap],
            })
            .expect("sets");
        assert_eq!(corner_pixel(&session), bare);
    }

    #[test]
    fn a_basemap_whose_file_is_gone_is_named_in_the_error() {
        let (_folder, mut session) = demo_with_blue_basemap();
        session
            .execute(Command::SetBasemaps {
                basemaps: vec![BasemapSettings::new("gone.mbtiles")],
            })
            .expect("sets");
        let options = MapImageOptions::sheet(Language::Chinese);
        let error =
            render_map_image(&session, &CheckReport::of(&session), &options).expect_err("refused");
        assert!(format!("{error:#}").contains("gone.mbtiles"), "{error:#}");
    }
}
