//! The sheet's tables: the plan's figures (totals and each street office) and the approval
//! block (编制单位, 审核, 审批, 日期) with the names the layout gives or room to sign.

use shequ_core::format::grouped;
use shequ_core::io::print_layout::PrintLayout;
use shequ_core::report::CheckReport;

use super::options::*;
use super::page::{Area, bottom, right};
use super::palette;
use super::svg::*;

/// The totals in pairs, two to a row, then a row per street office (name, communities,
/// households, residents) while they fit; the rest summed in one last row.
pub(crate) fn draw_figures(
    surface: &mut Surface,
    report: &CheckReport,
    area: Area,
    unit: f32,
    words: &Words,
) {
    let rule = Line::solid(palette::MUTED_INK, 0.2 * unit);
    surface.rectangle(area, Some(palette::PAPER), Some(rule));
    let (left, width) = (area[0] + 3.0 * unit, area[2] - 6.0 * unit);
    let text_size = 2.8 * unit;
    let row_height = 4.8 * unit;
    surface.text(
        words.figures,
        (left, area[1] + 6.5 * unit),
        3.6 * unit,
        palette::INK,
        Anchor::Start,
    );
    let totals = [
        (words.communities, u64::from(report.city.communities)),
        (words.households_total, report.city.households),
        (words.residents_total, report.city.residents),
        (
            words.errors_total,
            report.unaccepted("error").count() as u64,
        ),
        (
            words.warnings_total,
            report.unaccepted("warning").count() as u64,
        ),
        (words.accepted_total, report.accepted().count() as u64),
    ];
    let mut baseline = area[1] + 12.0 * unit;
    for pair in totals.chunks(2) {
        for (column, (label, value)) in pair.iter().enumerate() {
            let column_left = left + column as f32 * width / 2.0;
            let column_right = column_left + width / 2.0 - 2.0 * unit;
            surface.text(
                label,
                (column_left, baseline),
                text_size,
                palette::MUTED_INK,
                Anchor::Start,
            );
            surface.text(
                &grouped(*value),
                (column_right, baseline),
                text_size,
                palette::INK,
                Anchor::End,
            );
        }
        baseline += row_height;
    }
    let offices = &report.street_offices;
    if offices.is_empty() {
        return;
    }
    // Columns: the name, then three figures right-aligned.
    let figure_columns = [0.42, 0.7, 1.0].map(|share| left + width * share);
    let header_top = baseline - row_height + 1.6 * unit;
    let mut path = PathData::default();
    path.move_to((left, header_top))
        .line_to((left + width, header_top));
    surface.path(&path, None, Some(rule));
    baseline += 0.6 * unit;
    let headers = [
        words.communities,
        words.households_total,
        words.residents_total,
    ];
    let name_width = figure_columns[0] - left - 8.0 * unit;
    surface.text(
        &surface.fitted(words.street_offices, text_size, name_width),
        (left, baseline),
        text_size,
        palette::MUTED_INK,
        Anchor::Start,
    );
    for (header, column) in headers.iter().zip(figure_columns) {
        surface.text(
            header,
            (column, baseline),
            text_size,
            palette::MUTED_INK,
            Anchor::End,
        );
    }
    baseline += row_height;
    let rows_that_fit = ((bottom(area) - 1.5 * unit - baseline) / row_height)
        .floor()
        .max(0.0) as usize
        + 1;
    let shown = if offices.len() <= rows_that_fit {
        offices.len()
    } else {
        rows_that_fit.saturating_sub(1)
    };
    for office in &offices[..shown] {
        let name = surface.fitted(&office.name, text_size, name_width);
        let figures = [
            u64::from(office.communities),
            office.households,
            office.residents,
        ];
        surface.text(
            &name,
            (left, baseline),
            text_size,
            palette::INK,
            Anchor::Start,
        );
        for (figure, column) in figures.iter().zip(figure_columns) {
            surface.text(
                &grouped(*figure),
                (column, baseline),
                text_size,
                palette::INK,
                Anchor::End,
            );
        }
        baseline += row_height;
    }
    let rest = &offices[shown..];
    if !rest.is_empty() && rows_that_fit > 0 {
        let label = format!("{} ({})", words.other_street_offices, rest.len());
        let figures = [
            rest.iter()
                .map(|office| u64::from(office.communities))
                .sum::<u64>(),
            rest.iter().map(|office| office.households).sum(),
            rest.iter().map(|office| office.residents).sum(),
        ];
        surface.text(
            &label,
            (left, baseline),
            text_size,
            palette::MUTED_INK,
            Anchor::Start,
        );
        for (figure, column) in figures.iter().zip(figure_columns) {
            surface.text(
                &grouped(*figure),
                (column, baseline),
                text_size,
                palette::MUTED_INK,
                Anchor::End,
            );
        }
    }
}

/// The approval block: four ruled rows of label and name (blank where a name is signed by hand).
pub(crate) fn draw_approval(
    surface: &mut Surface,
    layout: &PrintLayout,
    date: &str,
    area: Area,
    unit: f32,
    words: &Words,
) {
    let rule = Line::solid(palette::INK, 0.25 * unit);
    surface.rectangle(area, Some(palette::PAPER), Some(rule));
    let rows = [
        (words.organisation, layout.organisation.as_str()),
        (words.reviewer, layout.reviewer.as_str()),
        (words.approver, layout.approver.as_str()),
        (words.date, date),
    ];
    let row_height = area[3] / rows.len() as f32;
    let label_width = 20.0 * unit;
    let text_size = 3.0 * unit;
    let mut path = PathData::default();
    path.move_to((area[0] + label_width, area[1]))
        .line_to((area[0] + label_width, bottom(area)));
    for row in 1..rows.len() {
        let y = area[1] + row_height * row as f32;
        path.move_to((area[0], y)).line_to((right(area), y));
    }
    surface.path(&path, None, Some(rule));
    for (row, (label, value)) in rows.iter().enumerate() {
        let baseline = area[1] + row_height * row as f32 + row_height / 2.0 + text_size * 0.38;
        surface.text(
            label,
            (area[0] + label_width / 2.0, baseline),
            text_size,
            palette::INK,
            Anchor::Middle,
        );
        let value = surface.fitted(value, text_size, area[2] - label_width - 4.0 * unit);
        surface.text(
            &value,
            (area[0] + label_width + 2.0 * unit, baseline),
            text_size,
            palette::INK,
            Anchor::Start,
        );
    }
}
