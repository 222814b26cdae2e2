//! The plan's map as a PNG for the approval export, drawn without a window: tiny-skia fills and
//! strokes the shapes, ab_glyph rasterises the bundled font's glyphs. The sheet carries the
//! communities coloured by their worst unaccepted violation with name and households, streets,
//! street-office boundaries, a legend, a scale bar, a north arrow, the title, the date and the
//! plan's totals.

use std::path::{Path, PathBuf};

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use anyhow::Context;
use geo::{Area, BoundingRect, Coord, InteriorPoint, LineString, MultiPolygon, Rect};
use shequ_core::Session;
use shequ_core::export::{ExportedFiles, export_for_approval, finish_export};
use shequ_core::format::grouped;
use shequ_core::io::atomic::write_atomically;
use shequ_core::lang::Language;
use shequ_core::report::CheckReport;
use shequ_core::violation::Severity;
use tiny_skia::{
    FillRule, Mask, Paint, PathBuilder, Pixmap, PremultipliedColorU8, Stroke, StrokeDash, Transform,
};

use crate::app::fonts::NOTO_SANS_SC;

/// The map image's file name in an export folder.
pub const MAP_IMAGE_FILE_NAME: &str = "map.png";

/// How the sheet is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct MapImageOptions {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The language of the sheet's text.
    pub language: Language,
    /// The date printed on the sheet (YYYY-MM-DD).
    pub date: String,
}

impl MapImageOptions {
    /// An A4-landscape-shaped sheet (2400 × 1700 px, ≈ 200 dpi) dated today.
    pub fn sheet(language: Language) -> Self {
        Self {
            width: 2400,
            height: 1700,
            language,
            date: shequ_core::format::today(),
        }
    }
}

/// An RGB colour with straight alpha.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Colour(u8, u8, u8, u8);

impl Colour {
    fn paint(self) -> Paint<'static> {
        let mut paint = Paint::default();
        paint.set_color_rgba8(self.0, self.1, self.2, self.3);
        paint.anti_alias = true;
        paint
    }
}

/// The sheet's colours, from the one palette of map, panels and sheet.
mod palette {
    use super::Colour;
    use crate::theme::{self, Rgba};

    const fn colour(rgba: Rgba) -> Colour {
        Colour(rgba.0, rgba.1, rgba.2, rgba.3)
    }

    pub const PAPER: Colour = colour(theme::PAPER);
    pub const MAP_BACKGROUND: Colour = colour(theme::MAP_BACKGROUND);
    pub const OUTLINE: Colour = colour(theme::OUTLINE);
    pub const STREET: Colour = colour(theme::STREET);
    pub const MAIN_STREET: Colour = colour(theme::MAIN_STREET);
    pub const STREET_OFFICE: Colour = colour(theme::STREET_OFFICE);
    pub const INK: Colour = colour(theme::INK);
    pub const MUTED_INK: Colour = colour(theme::MUTED_INK);
    pub const LABEL_BACKGROUND: Colour = colour(theme::LABEL_BACKGROUND);

    /// A community's fill.
    pub fn fill(worst: Option<shequ_core::violation::Severity>) -> Colour {
        colour(theme::community_fill(worst))
    }
}

/// Metres → pixels: a uniform scale that fits the plan's extent into the map frame, north up.
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// Pixels per metre.
    scale: f64,
    /// Metres at the frame's centre.
    centre: Coord<f64>,
    /// Pixels at the frame's centre.
    centre_pixel: (f64, f64),
}

impl Frame {
    fn fitting(extent: Rect<f64>, left: f64, top: f64, width: f64, height: f64) -> Self {
        let margin = 0.04;
        let extent_width = extent.width().max(1.0);
        let extent_height = extent.height().max(1.0);
        let scale = ((width * (1.0 - 2.0 * margin)) / extent_width)
            .min((height * (1.0 - 2.0 * margin)) / extent_height);
        Self {
            scale,
            centre: extent.center(),
            centre_pixel: (left + width / 2.0, top + height / 2.0),
        }
    }

    fn pixel(&self, metres: Coord<f64>) -> (f32, f32) {
        (
            (self.centre_pixel.0 + (metres.x - self.centre.x) * self.scale) as f32,
            (self.centre_pixel.1 - (metres.y - self.centre.y) * self.scale) as f32,
        )
    }
}

/// A pixmap and the font to write on it.
struct Canvas {
    pixmap: Pixmap,
    font: FontRef<'static>,
    /// Where shapes may be drawn (the map frame while the plan is drawn), or everywhere.
    clip: Option<Mask>,
}

impl Canvas {
    fn fill_rectangle(&mut self, left: f32, top: f32, width: f32, height: f32, colour: Colour) {
        if let Some(rectangle) = tiny_skia::Rect::from_xywh(left, top, width, height) {
            self.pixmap
                .fill_rect(rectangle, &colour.paint(), Transform::identity(), None);
        }
    }

    fn stroke_rectangle(&mut self, left: f32, top: f32, width: f32, height: f32, colour: Colour) {
        if let Some(rectangle) = tiny_skia::Rect::from_xywh(left, top, width, height) {
            let path = PathBuilder::from_rect(rectangle);
            self.stroke(&path, colour, 1.5, None);
        }
    }

    fn fill(&mut self, path: &tiny_skia::Path, colour: Colour) {
        self.pixmap.fill_path(
            path,
            &colour.paint(),
            FillRule::EvenOdd,
            Transform::identity(),
            self.clip.as_ref(),
        );
    }

    fn stroke(
        &mut self,
        path: &tiny_skia::Path,
        colour: Colour,
        width: f32,
        dash: Option<[f32; 2]>,
    ) {
        let stroke = Stroke {
            width,
            dash: dash.and_then(|[on, off]| StrokeDash::new(vec![on, off], 0.0)),
            ..Stroke::default()
        };
        self.pixmap.stroke_path(
            path,
            &colour.paint(),
            &stroke,
            Transform::identity(),
            self.clip.as_ref(),
        );
    }

    fn text_width(&self, text: &str, size: f32) -> f32 {
        let scaled = self.font.as_scaled(PxScale::from(size));
        let mut width = 0.0;
        let mut previous = None;
        for character in text.chars() {
            let glyph = scaled.glyph_id(character);
            if let Some(previous) = previous {
                width += scaled.kern(previous, glyph);
            }
            width += scaled.h_advance(glyph);
            previous = Some(glyph);
        }
        width
    }

    /// Writes `text` with its baseline at `baseline`, starting at `left`.
    fn text(&mut self, text: &str, left: f32, baseline: f32, size: f32, colour: Colour) {
        let scale = PxScale::from(size);
        let scaled = self.font.as_scaled(scale);
        let width = self.pixmap.width() as i32;
        let height = self.pixmap.height() as i32;
        let pixels = self.pixmap.pixels_mut();
        let mut caret = left;
        let mut previous = None;
        for character in text.chars() {
            let glyph_id = scaled.glyph_id(character);
            if let Some(previous) = previous {
                caret += scaled.kern(previous, glyph_id);
            }
            let glyph = glyph_id.with_scale_and_position(scale, point(caret, baseline));
            caret += scaled.h_advance(glyph_id);
            previous = Some(glyph_id);
            let Some(outlined) = self.font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outlined.px_bounds();
            outlined.draw(|x, y, coverage| {
                let x = bounds.min.x as i32 + x as i32;
                let y = bounds.min.y as i32 + y as i32;
                if (0..width).contains(&x) && (0..height).contains(&y) {
                    let index = (y * width + x) as usize;
                    pixels[index] = blend(pixels[index], colour, coverage);
                }
            });
        }
    }

    /// Writes `text` centred on `centre_x`.
    fn centred_text(
        &mut self,
        text: &str,
        centre_x: f32,
        baseline: f32,
        size: f32,
        colour: Colour,
    ) {
        let width = self.text_width(text, size);
        self.text(text, centre_x - width / 2.0, baseline, size, colour);
    }
}

/// `colour` laid over `destination` with `coverage` (0–1) of the pixel covered.
fn blend(destination: PremultipliedColorU8, colour: Colour, coverage: f32) -> PremultipliedColorU8 {
    let cover = coverage.clamp(0.0, 1.0) * f32::from(colour.3) / 255.0;
    let mix = |source: u8, under: u8| {
        (f32::from(source) * cover + f32::from(under) * (1.0 - cover)).round() as u8
    };
    let alpha = mix(255, destination.alpha());
    PremultipliedColorU8::from_rgba(
        mix(colour.0, destination.red()).min(alpha),
        mix(colour.1, destination.green()).min(alpha),
        mix(colour.2, destination.blue()).min(alpha),
        alpha,
    )
    .unwrap_or(destination)
}

fn multipolygon_path(frame: &Frame, shape: &MultiPolygon<f64>) -> Option<tiny_skia::Path> {
    let mut builder = PathBuilder::new();
    for polygon in shape {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            add_line(&mut builder, frame, ring);
            builder.close();
        }
    }
    builder.finish()
}

fn add_line(builder: &mut PathBuilder, frame: &Frame, line: &LineString<f64>) {
    for (index, coordinate) in line.coords().enumerate() {
        let (x, y) = frame.pixel(*coordinate);
        if index == 0 {
            builder.move_to(x, y);
        } else {
            builder.line_to(x, y);
        }
    }
}

/// The extent to draw: the communities, else the street offices, else the buildings.
fn plan_extent(session: &Session) -> Option<Rect<f64>> {
    let union = |rectangles: &mut dyn Iterator<Item = Rect<f64>>| {
        rectangles.reduce(|first, second| {
            Rect::new(
                Coord {
                    x: first.min().x.min(second.min().x),
                    y: first.min().y.min(second.min().y),
                },
                Coord {
                    x: first.max().x.max(second.max().x),
                    y: first.max().y.max(second.max().y),
                },
            )
        })
    };
    union(
        &mut session
            .plan()
            .communities()
            .filter_map(|(_, community)| community.boundary.bounding_rect()),
    )
    .or_else(|| {
        union(
            &mut session
                .plan()
                .street_offices
                .iter()
                .filter_map(|office| office.boundary.as_ref()?.bounding_rect()),
        )
    })
    .or_else(|| {
        union(&mut session.layers().buildings.iter().map(|building| {
            let [lower, upper] = building.envelope();
            Rect::new(lower, upper)
        }))
    })
}

/// The longest 1-2-5 length not over `most` metres.
fn round_scale_length(most: f64) -> f64 {
    let power = 10f64.powf(most.max(1.0).log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|step| step * power)
        .find(|length| *length <= most)
        .unwrap_or(power)
}

fn length_text(metres: f64) -> String {
    if metres >= 1000.0 {
        format!("{} km", metres / 1000.0)
    } else {
        format!("{metres} m")
    }
}

/// The words on the sheet.
struct Words {
    subtitle: &'static str,
    drawn_on: &'static str,
    legend: &'static str,
    clean: &'static str,
    warnings: &'static str,
    errors: &'static str,
    street_office: &'static str,
    street: &'static str,
    north: &'static str,
    households: &'static str,
    untitled: &'static str,
    communities: &'static str,
    households_total: &'static str,
    residents_total: &'static str,
    errors_total: &'static str,
    warnings_total: &'static str,
    accepted_total: &'static str,
}

const CHINESE_WORDS: Words = Words {
    subtitle: "社区划分方案图",
    drawn_on: "制图日期",
    legend: "图例",
    clean: "符合规定",
    warnings: "有警告",
    errors: "有错误(未接受)",
    street_office: "街道办事处界线",
    street: "道路",
    north: "北",
    households: "户",
    untitled: "社区划分方案",
    communities: "社区",
    households_total: "户数",
    residents_total: "人口",
    errors_total: "错误",
    warnings_total: "警告",
    accepted_total: "已接受例外",
};

const ENGLISH_WORDS: Words = Words {
    subtitle: "Community plan map",
    drawn_on: "drawn",
    legend: "Legend",
    clean: "Within the rules",
    warnings: "Warnings",
    errors: "Errors (not accepted)",
    street_office: "Street-office boundary",
    street: "Street",
    north: "N",
    households: "households",
    untitled: "Community plan",
    communities: "Communities",
    households_total: "households",
    residents_total: "residents",
    errors_total: "errors",
    warnings_total: "warnings",
    accepted_total: "accepted exceptions",
};

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
    let title = session
        .settings()
        .title
        .clone()
        .or_else(|| {
            session
                .plan_path()
                .as_ref()
                .and_then(|path| path.file_stem())
                .map(|stem| stem.to_string_lossy().trim_end_matches(".shequ").to_owned())
        })
        .unwrap_or_else(|| words.untitled.to_owned());
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

/// A mask that lets shapes through inside the map frame only.
fn map_mask(
    options: &MapImageOptions,
    left: f32,
    top: f32,
    width: f32,
    height: f32,
) -> Option<Mask> {
    let mut mask = Mask::new(options.width, options.height)?;
    let frame = tiny_skia::Rect::from_xywh(left, top, width, height)?;
    mask.fill_path(
        &PathBuilder::from_rect(frame),
        FillRule::Winding,
        false,
        Transform::identity(),
    );
    Some(mask)
}

fn draw_plan(canvas: &mut Canvas, session: &Session, frame: &Frame, words: &Words) {
    // Streets under the communities' translucent fills.
    for street in &session.layers().streets {
        let main = street.is_main();
        let mut builder = PathBuilder::new();
        for line in &street.lines {
            add_line(&mut builder, frame, line);
        }
        if let Some(path) = builder.finish() {
            let (colour, width) = if main {
                (palette::MAIN_STREET, 3.0)
            } else {
                (palette::STREET, 1.2)
            };
            canvas.stroke(&path, colour, width, None);
        }
    }
    for (key, community) in session.plan().communities() {
        if let Some(path) = multipolygon_path(frame, &community.boundary) {
            canvas.fill(&path, palette::fill(session.worst_unaccepted_severity(key)));
            canvas.stroke(&path, palette::OUTLINE, 1.4, None);
        }
    }
    for office in &session.plan().street_offices {
        if let Some(path) = office
            .boundary
            .as_ref()
            .and_then(|boundary| multipolygon_path(frame, boundary))
        {
            canvas.stroke(&path, palette::STREET_OFFICE, 3.5, Some([14.0, 7.0]));
        }
    }
    draw_labels(canvas, session, frame, words);
}

/// Name and households of each community at its interior point, the largest first; a label that
/// would overlap one already placed is left out.
fn draw_labels(canvas: &mut Canvas, session: &Session, frame: &Frame, words: &Words) {
    let mut communities: Vec<_> = session
        .plan()
        .communities()
        .map(|(key, community)| (key, community, community.boundary.unsigned_area()))
        .collect();
    communities.sort_by(|first, second| second.2.total_cmp(&first.2));
    let mut placed: Vec<[f32; 4]> = Vec::new();
    let (name_size, figure_size) = (19.0, 16.0);
    for (key, community, _) in communities {
        let Some(anchor) = community.boundary.interior_point() else {
            continue;
        };
        let (x, y) = frame.pixel(anchor.0);
        let figure = format!(
            "{} {}",
            grouped(session.tallies().of(key).households),
            words.households
        );
        let box_width = canvas
            .text_width(&community.name, name_size)
            .max(canvas.text_width(&figure, figure_size))
            + 10.0;
        let box_height = name_size + figure_size + 12.0;
        let rectangle = [
            x - box_width / 2.0,
            y - box_height / 2.0,
            box_width,
            box_height,
        ];
        let overlaps = placed.iter().any(|other| {
            rectangle[0] < other[0] + other[2]
                && other[0] < rectangle[0] + rectangle[2]
                && rectangle[1] < other[1] + other[3]
                && other[1] < rectangle[1] + rectangle[3]
        });
        if overlaps {
            continue;
        }
        placed.push(rectangle);
        canvas.fill_rectangle(
            rectangle[0],
            rectangle[1],
            rectangle[2],
            rectangle[3],
            palette::LABEL_BACKGROUND,
        );
        let top = rectangle[1];
        canvas.centred_text(
            &community.name,
            x,
            top + name_size + 2.0,
            name_size,
            palette::INK,
        );
        canvas.centred_text(
            &figure,
            x,
            top + name_size + figure_size + 6.0,
            figure_size,
            palette::MUTED_INK,
        );
    }
}

/// A four-part black and white scale bar at the frame's lower right corner.
fn draw_scale_bar(canvas: &mut Canvas, frame: &Frame, right: f32, bottom: f32) {
    let length = round_scale_length(300.0 / frame.scale);
    let bar_width = (length * frame.scale) as f32;
    let left = right - 40.0 - bar_width;
    let top = bottom - 50.0;
    canvas.fill_rectangle(
        left - 14.0,
        top - 36.0,
        bar_width + 40.0,
        74.0,
        palette::PAPER,
    );
    for part in 0..4 {
        let part_left = left + bar_width * part as f32 / 4.0;
        let colour = if part % 2 == 0 {
            palette::INK
        } else {
            palette::PAPER
        };
        canvas.fill_rectangle(part_left, top, bar_width / 4.0, 10.0, colour);
    }
    canvas.stroke_rectangle(left, top, bar_width, 10.0, palette::INK);
    canvas.centred_text("0", left, top - 8.0, 18.0, palette::INK);
    canvas.centred_text(
        &length_text(length),
        left + bar_width,
        top - 8.0,
        18.0,
        palette::INK,
    );
    let denominator = (1.0 / (frame.scale * 0.000_127)).round() as u64;
    canvas.centred_text(
        &format!("≈ 1:{}", grouped(round_to_two_figures(denominator))),
        left + bar_width / 2.0,
        top + 32.0,
        16.0,
        palette::MUTED_INK,
    );
}

/// `number` rounded to its two leading figures (1:12,345 → 1:12,000).
fn round_to_two_figures(number: u64) -> u64 {
    let mut unit = 1;
    while number / unit >= 100 {
        unit *= 10;
    }
    (number + unit / 2) / unit * unit
}

/// An arrow pointing up (the local projection's grid north is true north at its centre).
fn draw_north_arrow(canvas: &mut Canvas, centre_x: f32, top: f32, words: &Words) {
    canvas.fill_rectangle(centre_x - 30.0, top - 10.0, 60.0, 110.0, palette::PAPER);
    let tip = top + 34.0;
    let base = top + 92.0;
    let mut left_half = PathBuilder::new();
    left_half.move_to(centre_x, tip);
    left_half.line_to(centre_x - 16.0, base);
    left_half.line_to(centre_x, base - 14.0);
    left_half.close();
    let mut right_half = PathBuilder::new();
    right_half.move_to(centre_x, tip);
    right_half.line_to(centre_x + 16.0, base);
    right_half.line_to(centre_x, base - 14.0);
    right_half.close();
    if let (Some(left_half), Some(right_half)) = (left_half.finish(), right_half.finish()) {
        canvas.fill(&left_half, palette::INK);
        canvas.fill(&right_half, palette::PAPER);
        canvas.stroke(&right_half, palette::INK, 1.5, None);
    }
    canvas.centred_text(words.north, centre_x, top + 26.0, 24.0, palette::INK);
}

/// The legend box, its lower left corner at (`left`, `bottom`).
fn draw_legend(canvas: &mut Canvas, left: f32, bottom: f32, words: &Words) {
    let entries: [(&str, LegendSymbol); 5] = [
        (words.clean, LegendSymbol::Fill(palette::fill(None))),
        (
            words.warnings,
            LegendSymbol::Fill(palette::fill(Some(Severity::Warning))),
        ),
        (
            words.errors,
            LegendSymbol::Fill(palette::fill(Some(Severity::Error))),
        ),
        (
            words.street_office,
            LegendSymbol::Line(palette::STREET_OFFICE, 3.5, true),
        ),
        (
            words.street,
            LegendSymbol::Line(palette::MAIN_STREET, 3.0, false),
        ),
    ];
    let row_height = 34.0;
    let text_size = 19.0;
    let text_width = entries
        .iter()
        .map(|(text, _)| canvas.text_width(text, text_size))
        .fold(canvas.text_width(words.legend, 22.0), f32::max);
    let box_width = 36.0 + 14.0 + text_width + 36.0;
    let box_height = 52.0 + row_height * entries.len() as f32 + 8.0;
    let top = bottom - box_height;
    canvas.fill_rectangle(left, top, box_width, box_height, palette::PAPER);
    canvas.stroke_rectangle(left, top, box_width, box_height, palette::MUTED_INK);
    canvas.text(words.legend, left + 16.0, top + 34.0, 22.0, palette::INK);
    for (row, (text, symbol)) in entries.iter().enumerate() {
        let row_top = top + 50.0 + row_height * row as f32;
        let symbol_left = left + 16.0;
        match *symbol {
            LegendSymbol::Fill(colour) => {
                canvas.fill_rectangle(
                    symbol_left,
                    row_top + 4.0,
                    36.0,
                    22.0,
                    palette::MAP_BACKGROUND,
                );
                canvas.fill_rectangle(symbol_left, row_top + 4.0, 36.0, 22.0, colour);
                canvas.stroke_rectangle(symbol_left, row_top + 4.0, 36.0, 22.0, palette::OUTLINE);
            }
            LegendSymbol::Line(colour, width, dashed) => {
                let mut builder = PathBuilder::new();
                builder.move_to(symbol_left, row_top + 15.0);
                builder.line_to(symbol_left + 36.0, row_top + 15.0);
                if let Some(path) = builder.finish() {
                    canvas.stroke(&path, colour, width, dashed.then_some([9.0, 5.0]));
                }
            }
        }
        canvas.text(
            text,
            symbol_left + 50.0,
            row_top + 23.0,
            text_size,
            palette::INK,
        );
    }
}

/// How a legend row shows its layer.
#[derive(Debug, Clone, Copy)]
enum LegendSymbol {
    Fill(Colour),
    /// Colour, width, dashed.
    Line(Colour, f32, bool),
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

/// The approval export (GeoJSON, CSV) and the map sheet beside it, in `folder`, with the
/// manifest written last.
pub fn export_with_map(
    session: &Session,
    folder: &Path,
    language: Language,
) -> anyhow::Result<(ExportedFiles, PathBuf)> {
    let report = CheckReport::of(session);
    let files = export_for_approval(session, &report, folder)?;
    let map = folder.join(MAP_IMAGE_FILE_NAME);
    write_map_image(session, &report, &MapImageOptions::sheet(language), &map)?;
    finish_export(
        folder,
        session,
        &[
            &files.communities_geojson,
            &files.communities_csv,
            &files.summary_csv,
            &map,
        ],
    )?;
    Ok((files, map))
}

#[cfg(test)]
mod tests {
    use super::*;

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
