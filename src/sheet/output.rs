//! The sheet's SVG made into its three files: a PNG (resvg), a PDF (svg2pdf: the font embedded
//! as a subset, its text extractable) and the SVG itself with the used glyphs of the font embedded.

use std::sync::{Arc, OnceLock};

use ab_glyph::{Font, FontRef};
use anyhow::{Context, anyhow};
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg;

use crate::app::fonts::NOTO_SANS_SC;

/// CSS pixels per inch, the unit usvg measures the page in.
const CSS_PIXELS_PER_INCH: f32 = 96.0;

/// The bundled font, the only one the sheet is drawn with (the system's fonts never change it).
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut database = usvg::fontdb::Database::new();
            database.load_font_source(usvg::fontdb::Source::Binary(Arc::new(NOTO_SANS_SC)));
            Arc::new(database)
        })
        .clone()
}

/// The sheet's SVG read for drawing.
pub(crate) fn tree(svg: &str) -> anyhow::Result<usvg::Tree> {
    let options = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).context("the map sheet's drawing could not be read back")
}

/// The sheet as pixels at `dots_per_inch`.
pub(crate) fn png_pixels(tree: &usvg::Tree, dots_per_inch: f32) -> anyhow::Result<Pixmap> {
    let zoom = dots_per_inch / CSS_PIXELS_PER_INCH;
    let size =
        tree.size().to_int_size().scale_by(zoom).ok_or_else(|| {
            anyhow!("the map sheet cannot be drawn at {dots_per_inch} dots per inch")
        })?;
    let mut pixmap = Pixmap::new(size.width(), size.height())
        .ok_or_else(|| anyhow!("the map sheet at {dots_per_inch} dpi is too large to draw"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        tree,
        Transform::from_scale(zoom, zoom),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// The sheet as a one-page PDF of the paper's size, its text real text in the embedded font.
pub(crate) fn pdf_bytes(tree: &usvg::Tree) -> anyhow::Result<Vec<u8>> {
    svg2pdf::to_pdf(
        tree,
        svg2pdf::ConversionOptions::default(),
        // One CSS pixel is 1/96 inch: the page comes out at the paper's size.
        svg2pdf::PageOptions {
            dpi: CSS_PIXELS_PER_INCH,
        },
    )
    .map_err(|error| anyhow!("the map sheet could not be written as PDF: {error}"))
}

/// The bundled font cut down to `characters` (and what OpenType needs besides), a standalone
/// OpenType font with a Unicode cmap that browsers and Inkscape accept in an `@font-face`.
pub(crate) fn font_subset(characters: impl Iterator<Item = char>) -> anyhow::Result<Vec<u8>> {
    let face = FontRef::try_from_slice(NOTO_SANS_SC).context("the bundled font is unreadable")?;
    let mut glyphs: Vec<u16> = std::iter::once(0)
        .chain(characters.map(|character| face.glyph_id(character).0))
        .collect();
    glyphs.sort_unstable();
    glyphs.dedup();
    let data = allsorts::binary::read::ReadScope::new(NOTO_SANS_SC)
        .read::<allsorts::font_data::FontData<'_>>()
        .context("the bundled font is unreadable")?;
    let provider = data
        .table_provider(0)
        .context("the bundled font is unreadable")?;
    allsorts::subset::subset(
        &provider,
        &glyphs,
        &allsorts::subset::SubsetProfile::Minimal,
        allsorts::subset::CmapTarget::Unicode,
    )
    .map_err(|error| anyhow!("the font could not be cut down for the SVG file: {error}"))
}
