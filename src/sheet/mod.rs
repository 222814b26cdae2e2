//! The plan's map as a PNG for the approval export, drawn without a window: tiny-skia fills and
//! strokes the shapes, ab_glyph rasterises the bundled font's glyphs. The sheet carries the
//! communities coloured by their worst unaccepted violation with name and households, streets,
//! street-office boundaries over the plan's visible basemaps, a legend, a scale bar, a north arrow,
//! the title, the date and the plan's totals.

mod basemap;
mod canvas;
mod furniture;
mod options;
mod palette;
mod plan;

pub use options::MapImageOptions;

use options::{CHINESE_WORDS, ENGLISH_WORDS, Words};

use std::path::{Path, PathBuf};

use ab_glyph::FontRef;
use anyhow::Context;
use shequ_core::Session;
use shequ_core::export::{ExportOptions, export_for_approval, finish_export};
use shequ_core::format::grouped;
use shequ_core::io::atomic::write_atomically;
use shequ_core::lang::Language;
use shequ_core::report::CheckReport;
use tiny_skia::Pixmap;

use crate::app::fonts::NOTO_SANS_SC;

use canvas::*;
use furniture::*;
use plan::*;

/// The map image's file name in an export folder.
pub const MAP_IMAGE_FILE_NAME: &str = "map.png";

/// Draws the plan's map sheet.
pub fn render_map_image(
    session: &Session,
    report: &CheckReport,
    options: &MapImageOptions,
) -> anyhow::Result<Pixmap> {
    let words = match options.language {
        Language::Chinese => &CHINESE_WORDS,
        Language::English => &ENGLISH_WORDS,
    };
    let pixmap = Pixmap::new(options.width, options.height)
        .context("the map image must be at least 1 × 1 pixels")?;
    let font = FontRef::try_from_slice(NOTO_SANS_SC).context("the bundled font is unreadable")?;
    let mut canvas = Canvas {
        pixmap,
        font,
        clip: None,
    };
    canvas.pixmap.fill(tiny_skia::Color::WHITE);

    let width = options.width as f32;
    let height = options.height as f32;
    let (map_left, map_top) = (40.0, 130.0);
    let (map_width, map_height) = (width - 80.0, height - 130.0 - 70.0);
    canvas.fill_rectangle(
        map_left,
        map_top,
        map_width,
        map_height,
        palette::MAP_BACKGROUND,
    );

    // Title, subtitle and date.
    let title = sheet_title(session, words);
    canvas.text(&title, map_left, 70.0, 44.0, palette::INK);
    let subtitle = format!("{} · {} {}", words.subtitle, words.drawn_on, options.date);
    canvas.text(&subtitle, map_left, 110.0, 24.0, palette::MUTED_INK);

    if let Some(extent) = plan_extent(session) {
        let frame = Frame::fitting(
            extent,
            f64::from(map_left),
            f64::from(map_top),
            f64::from(map_width),
            f64::from(map_height),
        );
        canvas.clip = map_mask(options, map_left, map_top, map_width, map_height);
        basemap::draw_basemaps(
            &mut canvas,
            session,
            &frame,
            [map_left, map_top, map_width, map_height],
        )?;
        draw_plan(&mut canvas, session, &frame, words);
        canvas.clip = None;
        draw_scale_bar(
            &mut canvas,
            &frame,
            map_left + map_width,
            map_top + map_height,
        );
    }
    draw_north_arrow(
        &mut canvas,
        map_left + map_width - 60.0,
        map_top + 30.0,
        words,
    );
    draw_legend(
        &mut canvas,
        map_left + 20.0,
        map_top + map_height - 20.0,
        words,
    );
    canvas.stroke_rectangle(map_left, map_top, map_width, map_height, palette::INK);

    // Totals along the foot of the sheet.
    let errors = report.unaccepted("error").count();
    let warnings = report.unaccepted("warning").count();
    let accepted = report.accepted().count();
    let totals = [
        (words.communities, u64::from(report.city.communities)),
        (words.households_total, report.city.households),
        (words.residents_total, report.city.residents),
        (words.errors_total, errors as u64),
        (words.warnings_total, warnings as u64),
        (words.accepted_total, accepted as u64),
    ]
    .map(|(label, value)| format!("{label} {}", grouped(value)))
    .join(" · ");
    canvas.text(&totals, map_left, height - 28.0, 24.0, palette::INK);
    let credit = "shequ 社区";
    let credit_width = canvas.text_width(credit, 20.0);
    canvas.text(
        credit,
        map_left + map_width - credit_width,
        height - 28.0,
        20.0,
        palette::MUTED_INK,
    );
    Ok(canvas.pixmap)
}

/// Writes the map sheet as a PNG at `path` (atomically: a failed write leaves any previous file).
pub fn write_map_image(
    session: &Session,
    report: &CheckReport,
    options: &MapImageOptions,
    path: &Path,
) -> anyhow::Result<()> {
    let pixmap = render_map_image(session, report, options)?;
    let png = pixmap
        .encode_png()
        .with_context(|| format!("could not encode the map image {}", path.display()))?;
    write_atomically(path, |writer| writer.write_all(&png))?;
    Ok(())
}

/// The approval export (GeoJSON, CSV, the workbook, as `formats` says) and the map sheet beside
/// it, in `folder`, with the manifest written last; the files written, manifest last.
pub fn export_with_map(
    session: &Session,
    folder: &Path,
    options: &ExportOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    let report = CheckReport::of(session);
    let mut files = export_for_approval(session, &report, folder, options)?.written;
    if options.formats.png {
        let map = folder.join(MAP_IMAGE_FILE_NAME);
        write_map_image(
            session,
            &report,
            &MapImageOptions::sheet(options.language),
            &map,
        )?;
        files.push(map);
    }
    let listed: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let manifest = finish_export(folder, session, &listed)?;
    files.push(manifest);
    Ok(files)
}

/// The plan's own title; untitled, the districts it covers and what it is, in the sheet's
/// language ("东湖区 社区划分方案"), else the file's name. Never figures, which go stale.
fn sheet_title(session: &Session, words: &Words) -> String {
    if let Some(title) = &session.settings().title {
        return title.clone();
    }
    let districts: Vec<&str> = session
        .plan()
        .districts
        .iter()
        .map(|district| district.name.as_str())
        .collect();
    if !districts.is_empty() {
        return format!("{} {}", districts.join("、"), words.untitled);
    }
    session
        .plan_path()
        .as_ref()
        .and_then(|path| path.file_stem())
        .map(|stem| stem.to_string_lossy().trim_end_matches(".shequ").to_owned())
        .unwrap_or_else(|| words.untitled.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiny_skia::PremultipliedColorU8;

    #[test]
    fn an_untitled_plan_is_titled_by_its_districts_in_the_sheet_language() {
        let demo = Session::open(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("sample_data/nanchang-demo/plan.shequ.geojson"),
        )
        .expect("demo opens");
        assert_eq!(sheet_title(&demo, &CHINESE_WORDS), "东湖区 社区划分方案");
        assert_eq!(sheet_title(&demo, &ENGLISH_WORDS), "东湖区 Community plan");
    }

    #[test]
    fn scale_bar_lengths_are_the_longest_one_two_five_steps_that_fit() {
        assert_eq!(round_scale_length(740.0), 500.0);
        assert_eq!(round_scale_length(1999.0), 1000.0);
        assert_eq!(round_scale_length(2000.0), 2000.0);
        assert_eq!(round_scale_length(0.5), 1.0);
        assert_eq!(length_text(2000.0), "2 km");
        assert_eq!(length_text(500.0), "500 m");
    }

    #[test]
    fn scale_denominators_are_rounded_to_two_figures() {
        assert_eq!(round_to_two_figures(12_345), 12_000);
        assert_eq!(round_to_two_figures(96), 96);
        assert_eq!(round_to_two_figures(9_960), 10_000);
    }

    #[test]
    fn text_blends_by_coverage_over_the_paper() {
        let paper = PremultipliedColorU8::from_rgba(255, 255, 255, 255).expect("opaque white");
        let half = blend(paper, Colour(0, 0, 0, 255), 0.5);
        assert_eq!((half.red(), half.alpha()), (128, 255));
        assert_eq!(blend(paper, Colour(0, 0, 0, 255), 1.0).red(), 0);
        assert_eq!(blend(paper, Colour(0, 0, 0, 255), 0.0), paper);
    }
}
