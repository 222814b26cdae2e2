//! What frames the map: scale bar, north arrow and legend.

use shequ_core::format::grouped;
use shequ_core::violation::Severity;

use super::options::*;
use super::page::{Area, bottom, right};
use super::palette;
use super::svg::*;

/// The longest 1-2-5 length not over `most` metres.
pub(crate) fn round_scale_length(most: f64) -> f64 {
    let power = 10f64.powf(most.max(1.0).log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|step| step * power)
        .find(|length| *length <= most)
        .unwrap_or(power)
}

pub(crate) fn length_text(metres: f64) -> String {
    if metres >= 1000.0 {
        format!("{} km", metres / 1000.0)
    } else {
        format!("{metres} m")
    }
}

/// The scale as printed: "1:5,000".
pub(crate) fn scale_text(frame: &Frame) -> String {
    format!("1:{}", grouped((1000.0 / frame.scale).round() as u64))
}

/// The scale bar's length on the ground and on paper.
fn scale_bar_length(frame: &Frame, map: Area) -> (f64, f32) {
    let length = round_scale_length(f64::from(map[2]) * 0.2 / frame.scale);
    (length, (length * frame.scale) as f32)
}

/// Where the scale bar goes, with its paper background: the map's lower right corner.
pub(crate) fn scale_bar_box(frame: &Frame, map: Area, unit: f32) -> Area {
    let (_, bar_width) = scale_bar_length(frame, map);
    let left = right(map) - 8.0 * unit - bar_width;
    let top = bottom(map) - 9.0 * unit;
    [
        left - 4.0 * unit,
        top - 5.5 * unit,
        bar_width + 10.0 * unit,
        13.0 * unit,
    ]
}

/// A four-part black and white scale bar with the scale under it, in [`scale_bar_box`].
pub(crate) fn draw_scale_bar(surface: &mut Surface, frame: &Frame, map: Area, unit: f32) {
    let (length, bar_width) = scale_bar_length(frame, map);
    let bar_height = 1.4 * unit;
    let background = scale_bar_box(frame, map, unit);
    let (left, top) = (background[0] + 4.0 * unit, background[1] + 5.5 * unit);
    surface.rectangle(background, Some(palette::PAPER), None);
    for part in 0..4 {
        let colour = if part % 2 == 0 {
            palette::INK
        } else {
            palette::PAPER
        };
        surface.rectangle(
            [
                left + bar_width * part as f32 / 4.0,
                top,
                bar_width / 4.0,
                bar_height,
            ],
            Some(colour),
            None,
        );
    }
    surface.rectangle(
        [left, top, bar_width, bar_height],
        None,
        Some(Line::solid(palette::INK, 0.25 * unit)),
    );
    let label_size = 2.6 * unit;
    surface.text(
        "0",
        (left, top - 1.2 * unit),
        label_size,
        palette::INK,
        Anchor::Middle,
    );
    surface.text(
        &length_text(length),
        (left + bar_width, top - 1.2 * unit),
        label_size,
        palette::INK,
        Anchor::Middle,
    );
    surface.text(
        &scale_text(frame),
        (left + bar_width / 2.0, top + bar_height + 3.4 * unit),
        label_size,
        palette::INK,
        Anchor::Middle,
    );
}

/// Where the north arrow goes, with its paper background: the map's upper right corner.
pub(crate) fn north_arrow_box(map: Area, unit: f32) -> Area {
    [
        right(map) - 14.0 * unit,
        map[1] + 3.0 * unit,
        10.0 * unit,
        18.0 * unit,
    ]
}

/// An arrow pointing up (the local projection's grid north is true north at its centre), its
/// letter above it, in [`north_arrow_box`].
pub(crate) fn draw_north_arrow(surface: &mut Surface, map: Area, unit: f32, words: &Words) {
    let background = north_arrow_box(map, unit);
    let (centre_x, top) = (background[0] + background[2] / 2.0, background[1]);
    surface.rectangle(background, Some(palette::PAPER), None);
    let tip = top + 6.5 * unit;
    let base = top + 16.5 * unit;
    let half = 3.0 * unit;
    let notch = base - 2.5 * unit;
    let mut left_half = PathData::default();
    left_half
        .move_to((centre_x, tip))
        .line_to((centre_x - half, base))
        .line_to((centre_x, notch))
        .close();
    let mut right_half = PathData::default();
    right_half
        .move_to((centre_x, tip))
        .line_to((centre_x + half, base))
        .line_to((centre_x, notch))
        .close();
    surface.path(&left_half, Some(palette::INK), None);
    surface.path(
        &right_half,
        Some(palette::PAPER),
        Some(Line::solid(palette::INK, 0.25 * unit)),
    );
    surface.text(
        words.north,
        (centre_x, top + 5.0 * unit),
        4.0 * unit,
        palette::INK,
        Anchor::Middle,
    );
}

/// The legend in `area`: the fills by worst violation, street-office boundaries and streets.
pub(crate) fn draw_legend(
    surface: &mut Surface,
    area: Area,
    unit: f32,
    words: &Words,
    before_after: bool,
) {
    let mut entries: Vec<(&str, LegendSymbol)> = vec![
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
            LegendSymbol::Line(Line {
                colour: palette::STREET_OFFICE,
                width: 0.65 * unit,
                dash: Some([2.0 * unit, 1.0 * unit]),
            }),
        ),
        (
            words.street,
            LegendSymbol::Line(Line::solid(palette::MAIN_STREET, 0.55 * unit)),
        ),
    ];
    if before_after {
        entries.extend([
            (
                words.boundary_before,
                LegendSymbol::Line(Line {
                    colour: palette::BOUNDARY_BEFORE,
                    width: 0.5 * unit,
                    dash: Some([1.6 * unit, 0.9 * unit]),
                }),
            ),
            (
                words.moved_buildings,
                LegendSymbol::Fill(palette::MOVED_BUILDING),
            ),
        ]);
    }
    surface.rectangle(
        area,
        Some(palette::PAPER),
        Some(Line::solid(palette::MUTED_INK, 0.2 * unit)),
    );
    let left = area[0] + 3.0 * unit;
    surface.text(
        words.legend,
        (left, area[1] + 6.5 * unit),
        3.6 * unit,
        palette::INK,
        Anchor::Start,
    );
    let row_height = ((area[3] - 10.0 * unit) / entries.len() as f32).min(6.2 * unit);
    let (symbol_width, symbol_height) = (8.0 * unit, 4.0 * unit);
    for (row, (text, symbol)) in entries.iter().enumerate() {
        let row_top = area[1] + 10.0 * unit + row_height * row as f32;
        let symbol_area = [left, row_top, symbol_width, symbol_height];
        match *symbol {
            LegendSymbol::Fill(colour) => {
                surface.rectangle(symbol_area, Some(palette::MAP_BACKGROUND), None);
                surface.rectangle(
                    symbol_area,
                    Some(colour),
                    Some(Line::solid(palette::OUTLINE, 0.25 * unit)),
                );
            }
            LegendSymbol::Line(line) => {
                let mut path = PathData::default();
                let middle = row_top + symbol_height / 2.0;
                path.move_to((left, middle))
                    .line_to((left + symbol_width, middle));
                surface.path(&path, None, Some(line));
            }
        }
        surface.text(
            text,
            (
                left + symbol_width + 2.5 * unit,
                row_top + symbol_height - 0.6 * unit,
            ),
            3.0 * unit,
            palette::INK,
            Anchor::Start,
        );
    }
}

/// How a legend row shows its layer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum LegendSymbol {
    Fill(Colour),
    Line(Line),
}
