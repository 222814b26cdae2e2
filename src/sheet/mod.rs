//! The plan's map sheet for approval and print, drawn without a window: the paper of the plan's
//! print layout (A4 or A3, either way up) with the title band, the map at its scale (communities
//! coloured by their worst unaccepted violation with name and households, streets, street-office
//! boundaries over the visible basemaps), scale bar, north arrow, legend, a table of figures and
//! the approval block. One drawing ([`svg::Surface`]) makes all three files: PNG, PDF and SVG.

mod basemap;
mod before_after;
mod furniture;
mod options;
mod output;
mod page;
mod palette;
mod plan;
mod svg;
mod tables;

pub use options::SheetOptions;

use options::Words;

use std::path::{Path, PathBuf};

use ab_glyph::FontRef;
use anyhow::Context;
use shequ_core::Session;
use shequ_core::export::{ExportFormats, ExportOptions, export_for_approval, finish_export};
use shequ_core::io::atomic::write_atomically;
use shequ_core::io::print_layout::PrintLayout;
use shequ_core::lang::Language;
use shequ_core::report::CheckReport;

use crate::app::fonts::NOTO_SANS_SC;

use furniture::*;
use page::{Page, bottom, right};
use plan::*;
use svg::{Anchor, Line, Surface};
use tables::*;

/// The map sheet's file name in an export folder, without its extension.
const SHEET_FILE_STEM: &str = "map";

/// The before-and-after sheet's file name, without its extension.
const BEFORE_AFTER_FILE_STEM: &str = "before_after";

/// The sheet drawn, ready to be written in any of its formats.
pub struct DrawnSheet {
    surface: Surface,
    /// The paper's width and height (mm).
    size: (f32, f32),
    /// The SVG read back for drawing, once, for the PNG and the PDF alike.
    tree: std::cell::OnceCell<resvg::usvg::Tree>,
}

impl DrawnSheet {
    /// The paper's width and height in millimetres.
    pub fn paper_mm(&self) -> (f32, f32) {
        self.size
    }

    fn document(&self, embedded_font: Option<&[u8]>) -> String {
        self.surface.document(
            f64::from(self.size.0),
            f64::from(self.size.1),
            embedded_font,
        )
    }

    /// The SVG without an embedded font (the bundled one is at hand), read for drawing.
    fn tree(&self) -> anyhow::Result<&resvg::usvg::Tree> {
        if let Some(tree) = self.tree.get() {
            return Ok(tree);
        }
        let tree = output::tree(&self.document(None))?;
        Ok(self.tree.get_or_init(|| tree))
    }

    /// The sheet as pixels at `dots_per_inch` (white paper).
    pub fn png_pixels(&self, dots_per_inch: f32) -> anyhow::Result<tiny_skia::Pixmap> {
        output::png_pixels(self.tree()?, dots_per_inch)
    }

    /// The sheet as a PNG file's bytes at `dots_per_inch`.
    pub fn png(&self, dots_per_inch: f32) -> anyhow::Result<Vec<u8>> {
        self.png_pixels(dots_per_inch)?
            .encode_png()
            .context("the map sheet could not be encoded as PNG")
    }

    /// The sheet as a one-page PDF, the font embedded as a subset and the text extractable.
    pub fn pdf(&self) -> anyhow::Result<Vec<u8>> {
        output::pdf_bytes(self.tree()?)
    }

    /// The sheet as an SVG file, the glyphs it uses embedded as an OpenType font.
    pub fn svg(&self) -> anyhow::Result<String> {
        let font = output::font_subset(self.surface.characters())?;
        Ok(self.document(Some(&font)))
    }
}

/// Draws the plan's map sheet.
pub fn draw_sheet(
    session: &Session,
    report: &CheckReport,
    options: &SheetOptions,
) -> anyhow::Result<DrawnSheet> {
    draw_sheet_over(session, None, report, options)
}

/// The before-and-after sheet: the plan as [`draw_sheet`] draws it, with `before` over it (its
/// boundaries that moved or went, dashed, and the buildings that change community), titled so.
pub fn draw_before_after_sheet(
    session: &Session,
    before: &Session,
    report: &CheckReport,
    options: &SheetOptions,
) -> anyhow::Result<DrawnSheet> {
    draw_sheet_over(session, Some(before), report, options)
}

fn draw_sheet_over(
    session: &Session,
    before: Option<&Session>,
    report: &CheckReport,
    options: &SheetOptions,
) -> anyhow::Result<DrawnSheet> {
    let words = options.words();
    let page = Page::of(&options.layout);
    let unit = page.unit;
    let font = FontRef::try_from_slice(NOTO_SANS_SC).context("the bundled font is unreadable")?;
    let mut surface = Surface::new(font);
    surface.rectangle(
        page.border,
        None,
        Some(Line::solid(palette::INK, 0.35 * unit)),
    );

    // Title, subtitle and date.
    let header = page.header;
    let title = options
        .layout
        .title
        .clone()
        .filter(|title| !title.trim().is_empty())
        .unwrap_or_else(|| sheet_title(session, words));
    let title = match (before, options.language) {
        (None, _) => title,
        (Some(_), Language::Chinese) => format!("{title}（{}）", words.before_after),
        (Some(_), Language::English) => format!("{title} — {}", words.before_after),
    };
    // A long title (a plan over many districts) is set smaller, down to two thirds, then cut.
    let mut title_size = 6.4 * unit;
    while surface.text_width(&title, title_size) > header[2] && title_size > 4.3 * unit {
        title_size *= 0.95;
    }
    surface.text(
        &surface.fitted(&title, title_size, header[2]),
        (header[0], header[1] + 7.0 * unit),
        title_size,
        palette::INK,
        Anchor::Start,
    );
    let subtitle = options
        .layout
        .subtitle
        .as_deref()
        .filter(|subtitle| !subtitle.trim().is_empty())
        .unwrap_or(words.subtitle);
    let second_line = header[1] + 13.5 * unit;
    let date = format!("{} {}", words.drawn_on, options.date);
    let subtitle_room = header[2] - surface.text_width(&date, 3.0 * unit) - 6.0 * unit;
    surface.text(
        &surface.fitted(subtitle, 3.4 * unit, subtitle_room),
        (header[0], second_line),
        3.4 * unit,
        palette::MUTED_INK,
        Anchor::Start,
    );
    surface.text(
        &date,
        (right(header), second_line),
        3.0 * unit,
        palette::MUTED_INK,
        Anchor::End,
    );

    let map = page.map;
    surface.rectangle(map, Some(palette::MAP_BACKGROUND), None);
    if let Some(extent) = plan_extent(session) {
        let frame = frame_for(extent, map, options.layout.scale);
        surface.begin_clip(map);
        basemap::draw_basemaps(
            &mut surface,
            session,
            &frame,
            map,
            f64::from(options.dots_per_inch) / 25.4,
        )?;
        let furniture = [scale_bar_box(&frame, map, unit), north_arrow_box(map, unit)];
        draw_plan(
            &mut surface,
            (session, before),
            &frame,
            (map, &furniture),
            unit,
            words,
        );
        surface.end_clip();
        draw_scale_bar(&mut surface, &frame, map, unit);
    }
    draw_north_arrow(&mut surface, map, unit, words);
    surface.rectangle(map, None, Some(Line::solid(palette::INK, 0.3 * unit)));

    draw_legend(&mut surface, page.legend, unit, words, before.is_some());
    draw_figures(&mut surface, report, page.figures, unit, words);
    draw_approval(
        &mut surface,
        &options.layout,
        &options.date,
        page.approval,
        unit,
        words,
    );
    surface.text(
        "shequ 社区",
        (right(page.border), bottom(page.border) + 4.0 * unit),
        2.4 * unit,
        palette::MUTED_INK,
        Anchor::End,
    );
    Ok(DrawnSheet {
        surface,
        size: page.size,
        tree: std::cell::OnceCell::new(),
    })
}

/// A file format of the map sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    /// Pixels, at the options' resolution.
    Png,
    /// One page for print.
    Pdf,
    /// Vector graphics.
    Svg,
}

impl SheetFormat {
    /// Every format.
    pub const ALL: [SheetFormat; 3] = [SheetFormat::Pdf, SheetFormat::Svg, SheetFormat::Png];

    /// The sheet's file name in this format, in an export folder and offered by a save dialog:
    /// `map.pdf`.
    pub fn file_name(self) -> String {
        format!("{SHEET_FILE_STEM}.{}", self.extension())
    }

    /// The file extension, which is also the format's name on the command line.
    pub fn extension(self) -> &'static str {
        match self {
            SheetFormat::Png => "png",
            SheetFormat::Pdf => "pdf",
            SheetFormat::Svg => "svg",
        }
    }

    fn wanted(self, formats: ExportFormats) -> bool {
        match self {
            SheetFormat::Png => formats.png,
            SheetFormat::Pdf => formats.pdf,
            SheetFormat::Svg => formats.svg,
        }
    }
}

impl DrawnSheet {
    /// The sheet's file in `format`.
    pub fn bytes(&self, format: SheetFormat, dots_per_inch: f32) -> anyhow::Result<Vec<u8>> {
        match format {
            SheetFormat::Png => self.png(dots_per_inch),
            SheetFormat::Pdf => self.pdf(),
            SheetFormat::Svg => self.svg().map(String::into_bytes),
        }
    }

    /// Writes the sheet in `format` at `path`, atomically (a failed write leaves any previous
    /// file as it was).
    pub fn write(
        &self,
        format: SheetFormat,
        dots_per_inch: f32,
        path: &Path,
    ) -> anyhow::Result<()> {
        let bytes = self.bytes(format, dots_per_inch)?;
        write_atomically(path, |writer| writer.write_all(&bytes))
            .with_context(|| format!("could not write the map sheet {}", path.display()))?;
        Ok(())
    }
}

/// Writes the map sheet in each of `formats`' sheet formats (PNG, PDF, SVG) into `folder` as
/// `map.png`, `map.pdf`, `map.svg`, each atomically (a failed write leaves any previous file);
/// the files written.
pub fn write_sheets(
    session: &Session,
    report: &CheckReport,
    options: &SheetOptions,
    formats: ExportFormats,
    folder: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let wanted: Vec<SheetFormat> = SheetFormat::ALL
        .into_iter()
        .filter(|format| format.wanted(formats))
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let sheet = draw_sheet(session, report, options)?;
    let mut written = Vec::new();
    for format in wanted {
        let path = folder.join(format.file_name());
        sheet.write(format, options.dots_per_inch, &path)?;
        written.push(path);
    }
    Ok(written)
}

/// The approval export (GeoJSON, CSV, the workbook, as `formats` says) and the map sheet beside
/// it (PNG, PDF, SVG as asked), in `folder`, with the manifest written last; the files written,
/// manifest last.
/// With `before` (the plan compared with), the before-and-after sheet too: `before_after.pdf`
/// and so on, in the same formats as the map sheet.
pub fn export_with_map(
    session: &Session,
    folder: &Path,
    options: &ExportOptions,
    layout: &PrintLayout,
    before: Option<&Session>,
) -> anyhow::Result<Vec<PathBuf>> {
    let report = CheckReport::of(session);
    let mut files = export_for_approval(session, &report, folder, options)?.written;
    let sheet_options = SheetOptions::with_layout(layout.clone(), options.language);
    files.extend(write_sheets(
        session,
        &report,
        &sheet_options,
        options.formats,
        folder,
    )?);
    if let Some(before) = before {
        let wanted: Vec<SheetFormat> = SheetFormat::ALL
            .into_iter()
            .filter(|format| format.wanted(options.formats))
            .collect();
        if !wanted.is_empty() {
            let sheet = draw_before_after_sheet(session, before, &report, &sheet_options)?;
            for format in wanted {
                let path = folder.join(format!("{BEFORE_AFTER_FILE_STEM}.{}", format.extension()));
                sheet.write(format, sheet_options.dots_per_inch, &path)?;
                files.push(path);
            }
        }
    }
    let listed: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let manifest = finish_export(folder, session, &listed)?;
    files.push(manifest);
    Ok(files)
}

/// The sheet's title when the layout gives none, in `language`.
pub fn default_title(session: &Session, language: Language) -> String {
    sheet_title(session, options::words_in(language))
}

/// The sheet's subtitle when the layout gives none, in `language`.
pub fn default_subtitle(language: Language) -> &'static str {
    options::words_in(language).subtitle
}

/// The plan's own title; untitled, the districts it covers and what it is, in the sheet's
/// language ("东湖区 社区划分方案"), else the file's name. Never figures, which go stale.
fn sheet_title(session: &Session, words: &Words) -> String {
    let title = plan_title(session, words);
    // A plan of several scenarios names the one on the sheet.
    if session.scenario_names().len() > 1 {
        return format!("{title}（{}）", session.scenario_name());
    }
    title
}

fn plan_title(session: &Session, words: &Words) -> String {
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
    use options::{CHINESE_WORDS, ENGLISH_WORDS};
    use shequ_core::io::print_layout::{Orientation, Paper, PrintLayout, PrintScale};

    fn demo() -> Session {
        Session::open(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("sample_data/nanchang-demo/plan.shequ.geojson"),
        )
        .expect("demo opens")
    }

    fn options(layout: PrintLayout) -> SheetOptions {
        SheetOptions {
            layout,
            language: Language::Chinese,
            date: "2026-12-02".into(),
            dots_per_inch: 96.0,
        }
    }

    #[test]
    fn an_untitled_plan_is_titled_by_its_districts_in_the_sheet_language() {
        let demo = demo();
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
    fn a_fitted_scale_is_rounded_up_to_two_figures_so_the_plan_still_fits() {
        assert_eq!(round_up_to_two_figures(12_345.0), 13_000.0);
        assert_eq!(round_up_to_two_figures(96.0), 96.0);
        assert_eq!(round_up_to_two_figures(9_910.0), 10_000.0);
        let extent = geo::Rect::new((0.0, 0.0), (4_000.0, 2_000.0));
        let frame = frame_for(extent, [0.0, 0.0, 200.0, 150.0], PrintScale::Fit);
        // 200 mm × 0.96 for 4 km is 1:20,834; rounded up, 1:21,000.
        assert_eq!(scale_text(&frame), "1:21,000");
        let fixed = frame_for(extent, [0.0, 0.0, 200.0, 150.0], PrintScale::OneTo(5_000));
        assert_eq!(scale_text(&fixed), "1:5,000");
        // At 1:5,000 one metre is 0.2 mm of paper.
        assert!((fixed.scale - 0.2).abs() < 1e-12);
    }

    #[test]
    fn the_before_and_after_sheet_draws_the_old_boundary_and_the_moved_buildings() {
        let mut merged = demo();
        let keys = ["SQ0081", "SQ0082"]
            .map(|id| merged.plan().key_of(id).expect("there"))
            .to_vec();
        merged
            .execute(shequ_core::edit::Command::Merge {
                keys,
                allow_several_parts: false,
            })
            .expect("merges");
        let before = merged.as_opened();
        let report = CheckReport::of(&merged);
        let options = options(PrintLayout::default());
        let document = draw_before_after_sheet(&merged, &before, &report, &options)
            .expect("draws")
            .document(None);
        for text in [
            "调整前后对照",
            "调整前边界",
            "变更社区的楼栋",
            "#78288c",
            "#eb7800",
        ] {
            assert!(document.contains(text), "{text} on the sheet");
        }
        let plain = draw_sheet(&merged, &report, &options)
            .expect("draws")
            .document(None);
        assert!(!plain.contains("#78288c") && !plain.contains("调整前边界"));
    }

    #[test]
    fn the_sheet_has_the_papers_size_and_every_part_of_the_layout() {
        let demo = demo();
        let report = CheckReport::of(&demo);
        let layout = PrintLayout {
            paper: Paper::A3,
            orientation: Orientation::Portrait,
            title: Some("东湖区社区调整方案 <草案>".into()),
            organisation: "东湖区民政局".into(),
            ..PrintLayout::default()
        };
        let sheet = draw_sheet(&demo, &report, &options(layout)).expect("draws");
        assert_eq!(sheet.paper_mm(), (297.0, 420.0));
        let document = sheet.document(None);
        assert!(document.contains(r#"width="297mm" height="420mm""#));
        for text in [
            "东湖区社区调整方案 &lt;草案&gt;",
            "图例",
            "主要指标",
            "编制单位",
            "东湖区民政局",
            "审核",
            "审批",
            "2026-12-02",
            "1:",
        ] {
            assert!(document.contains(text), "{text} on the sheet");
        }
        let pixels = sheet.png_pixels(50.0).expect("draws");
        // 297 × 420 mm at 50 dpi.
        assert_eq!((pixels.width(), pixels.height()), (585, 827));
    }

    #[test]
    fn a_title_too_long_for_the_paper_is_set_smaller_then_cut_with_an_ellipsis() {
        let demo = demo();
        let long = "东湖区、西湖区、青云谱区、青山湖区、新建区、红谷滩区、南昌县、安义县、进贤县"
            .repeat(3);
        let layout = PrintLayout {
            title: Some(long.clone()),
            ..PrintLayout::default()
        };
        let sheet = draw_sheet(&demo, &CheckReport::of(&demo), &options(layout)).expect("draws");
        let document = sheet.document(None);
        assert!(!document.contains(&long));
        let page = Page::of(&PrintLayout::default());
        let title = document
            .lines()
            .find(|line| line.contains("东湖区、西湖区") && line.contains('…'))
            .expect("the title, cut");
        let text = title
            .split('>')
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .expect("its text");
        let size: f32 = title
            .split("font-size=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|size| size.parse().ok())
            .expect("its size");
        assert!((4.0..6.4).contains(&size), "set smaller: {size}");
        assert!(sheet.surface.text_width(text, size) <= page.header[2]);
    }

    #[test]
    fn the_pdf_embeds_the_font_with_a_unicode_map_and_the_svg_embeds_a_subset() {
        let demo = demo();
        let sheet = draw_sheet(
            &demo,
            &CheckReport::of(&demo),
            &options(PrintLayout::default()),
        )
        .expect("draws");
        let pdf = sheet.pdf().expect("writes");
        assert!(pdf.starts_with(b"%PDF-"));
        let has = |needle: &[u8]| pdf.windows(needle.len()).any(|window| window == needle);
        // A CID font with its CFF program embedded, and the map back to Unicode for extraction.
        assert!(has(b"/FontFile3") && has(b"/ToUnicode") && has(b"/CIDFontType0"));
        let svg = sheet.svg().expect("writes");
        let font_start = svg.find("base64,").expect("an embedded font") + 7;
        let font_length = svg[font_start..].find(')').expect("its end");
        // Only the sheet's glyphs: far smaller than the 2.9 MB bundled font.
        assert!(font_length < 200_000, "{font_length} bytes of base64");
    }
}
