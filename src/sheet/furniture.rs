//! What frames the map: scale bar, north arrow and legend.

use shequ_core::format::grouped;
use shequ_core::violation::Severity;
use tiny_skia::PathBuilder;

use super::canvas::*;
use super::options::*;
use super::palette;

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

/// A four-part black and white scale bar at the frame's lower right corner.
pub(crate) fn draw_scale_bar(canvas: &mut Canvas, frame: &Frame, right: f32, bottom: f32) {
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
pub(crate) fn round_to_two_figures(number: u64) -> u64 {
    let mut unit = 1;
    while number / unit >= 100 {
        unit *= 10;
    }
    (number + unit / 2) / unit * unit
}

/// An arrow pointing up (the local projection's grid north is true north at its centre).
pub(crate) fn draw_north_arrow(canvas: &mut Canvas, centre_x: f32, top: f32, words: &Words) {
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
pub(crate) fn draw_legend(canvas: &mut Canvas, left: f32, bottom: f32, words: &Words) {
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
pub(crate) enum LegendSymbol {
    Fill(Colour),
    /// Colour, width, dashed.
    Line(Colour, f32, bool),
}
