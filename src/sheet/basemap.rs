//! The plan's visible basemaps under the map sheet: the tiles at the zoom nearest the sheet's
//! resolution, each decoded and drawn through the affine map of its corners (projected one by one,
//! through GCJ-02 → WGS 84 where the basemap is switched), at the basemap's opacity.

use anyhow::Context;
use shequ_core::Session;
use shequ_core::io::tile_file::TileFile;
use shequ_core::tiles::TilePlacement;

use super::page::Area;
use super::svg::{Frame, Surface};

/// The most tiles a basemap draws under one sheet.
const MOST_TILES: usize = 2_000;

/// Draws every visible basemap of `session` in the map rectangle `area`, bottom first. A basemap
/// whose file cannot be read is an error naming it.
pub(crate) fn draw_basemaps(
    surface: &mut Surface,
    session: &Session,
    frame: &Frame,
    area: Area,
    dots_per_millimetre: f64,
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
            1.0 / (frame.scale * dots_per_millimetre),
            (info.min_zoom, info.max_zoom),
            MOST_TILES,
        ) else {
            continue;
        };
        for tile in wanted {
            let Some((bytes, media_type, size)) = tiles
                .tile(tile)
                .with_context(|| format!("basemap {}", settings.path))?
                .and_then(embeddable)
            else {
                continue;
            };
            let paper = |east: f64, south: f64| frame.paper(placement.metres_at(tile, east, south));
            // The tile's north-west, north-east and south-west corners fix the affine map (a tile
            // is small enough for the projection to be affine on it).
            let (north_west, north_east, south_west) =
                (paper(0.0, 0.0), paper(1.0, 0.0), paper(0.0, 1.0));
            let (width, height) = (size.0 as f32, size.1 as f32);
            let transform = [
                (north_east.0 - north_west.0) / width,
                (north_east.1 - north_west.1) / width,
                (south_west.0 - north_west.0) / height,
                (south_west.1 - north_west.1) / height,
                north_west.0,
                north_west.1,
            ];
            surface.image(
                &bytes,
                media_type,
                size,
                transform,
                settings.opacity.clamp(0.0, 1.0),
            );
        }
    }
    Ok(())
}

/// A tile as the SVG can carry it: PNG and JPEG as they are, anything else (WebP) made PNG; with
/// its media type and size in pixels. None for bytes that are no image.
fn embeddable(bytes: Vec<u8>) -> Option<(Vec<u8>, &'static str, (u32, u32))> {
    let reader = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .ok()?;
    let media_type = match reader.format()? {
        image::ImageFormat::Png => "image/png",
        image::ImageFormat::Jpeg => "image/jpeg",
        _ => {
            let decoded = reader.decode().ok()?;
            let mut png = std::io::Cursor::new(Vec::new());
            decoded.write_to(&mut png, image::ImageFormat::Png).ok()?;
            return Some((
                png.into_inner(),
                "image/png",
                (decoded.width(), decoded.height()),
            ));
        }
    };
    let size = reader.into_dimensions().ok()?;
    Some((bytes, media_type, size))
}

#[cfg(test)]
mod tests {
    use shequ_core::Session;
    use shequ_core::edit::Command;
    use shequ_core::io::plan_file::BasemapSettings;
    use shequ_core::lang::Language;
    use shequ_core::report::CheckReport;
    use shequ_core::tiles::tiles_covering;

    use crate::sheet::page::Page;
    use crate::sheet::{SheetOptions, draw_sheet};

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
        let tiles: Vec<_> = (10..=14u8)
            .flat_map(|zoom| {
                tiles_covering([115.7, 28.5, 116.1, 28.8], zoom, 100_000).expect("few")
            })
            .map(|tile| (tile, png.clone()))
            .collect();
        shequ_core::io::mbtiles::write(&folder.path().join("blue.mbtiles"), "blue", "png", &tiles)
            .expect("writes");
        (folder, session)
    }

    fn sheet_options(session: &Session) -> SheetOptions {
        SheetOptions {
            date: "2026-12-02".into(),
            dots_per_inch: 50.0,
            ..SheetOptions::of(session, Language::Chinese)
        }
    }

    fn corner_pixel(session: &Session) -> (u8, u8, u8) {
        let options = sheet_options(session);
        let sheet = draw_sheet(session, &CheckReport::of(session), &options)
            .and_then(|sheet| sheet.png_pixels(options.dots_per_inch))
            .expect("renders");
        // Just inside the map frame's top-left corner, where no community reaches.
        let map = Page::of(&options.layout).map;
        let pixels_per_millimetre = options.dots_per_inch / 25.4;
        let pixel = sheet
            .pixel(
                ((map[0] + 1.5) * pixels_per_millimetre) as u32,
                ((map[1] + 1.5) * pixels_per_millimetre) as u32,
            )
            .expect("inside");
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
        let error = draw_sheet(
            &session,
            &CheckReport::of(&session),
            &sheet_options(&session),
        )
        .err()
        .expect("refused");
        assert!(format!("{error:#}").contains("gone.mbtiles"), "{error:#}");
    }
}
