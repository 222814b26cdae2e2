//! Where each part of the sheet goes on the paper: the title band, the map frame, and the legend,
//! the table of figures and the approval block beside the map (landscape) or under it (portrait).
//! All in millimetres; on A3 every size grows by √2, as the paper does.

use shequ_core::io::print_layout::{Orientation, PrintLayout};

/// A rectangle of paper: left, top, width, height (mm).
pub(crate) type Area = [f32; 4];

/// The parts of a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page {
    /// The paper's width and height (mm).
    pub(crate) size: (f32, f32),
    /// One millimetre of an A4 sheet's furniture on this paper.
    pub(crate) unit: f32,
    /// The neat line around everything.
    pub(crate) border: Area,
    /// Title, subtitle and date.
    pub(crate) header: Area,
    /// The map frame.
    pub(crate) map: Area,
    /// The legend's box.
    pub(crate) legend: Area,
    /// The table of figures' box.
    pub(crate) figures: Area,
    /// The approval block's box.
    pub(crate) approval: Area,
}

/// The legend's height in A4 millimetres (title and six rows).
const LEGEND_HEIGHT: f32 = 44.0;
/// The approval block's height in A4 millimetres (four rows of 7 mm and its padding).
const APPROVAL_HEIGHT: f32 = 30.0;

impl Page {
    pub(crate) fn of(layout: &PrintLayout) -> Self {
        let (width, height) = layout.page_mm();
        let (width, height) = (width as f32, height as f32);
        let unit = (width.min(height) / 210.0).max(1.0);
        let margin = 10.0 * unit;
        let border = [margin, margin, width - 2.0 * margin, height - 2.0 * margin];
        let gap = 4.0 * unit;
        let inner = inset(border, gap);
        let header = [inner[0], inner[1], inner[2], 17.0 * unit];
        let body_top = header[1] + header[3] + gap / 2.0;
        let body = [inner[0], body_top, inner[2], bottom(inner) - body_top];
        let (map, legend, figures, approval) = match layout.orientation {
            Orientation::Landscape => {
                let side_width = 74.0 * unit;
                let side_left = right(body) - side_width;
                let map = [body[0], body[1], body[2] - side_width - gap, body[3]];
                let legend = [side_left, body[1], side_width, LEGEND_HEIGHT * unit];
                let approval_height = APPROVAL_HEIGHT * unit;
                let approval = [
                    side_left,
                    bottom(body) - approval_height,
                    side_width,
                    approval_height,
                ];
                let figures_top = bottom(legend) + gap;
                let figures = [
                    side_left,
                    figures_top,
                    side_width,
                    approval[1] - gap - figures_top,
                ];
                (map, legend, figures, approval)
            }
            Orientation::Portrait => {
                let strip_height = 62.0 * unit;
                let map = [body[0], body[1], body[2], body[3] - strip_height - gap];
                let strip_top = bottom(map) + gap;
                let column = (body[2] - 2.0 * gap) / 10.0;
                let legend = [body[0], strip_top, 3.0 * column, strip_height];
                let figures = [right(legend) + gap, strip_top, 4.0 * column, strip_height];
                let approval = [
                    right(figures) + gap,
                    strip_top + strip_height - APPROVAL_HEIGHT * unit,
                    3.0 * column,
                    APPROVAL_HEIGHT * unit,
                ];
                (map, legend, figures, approval)
            }
        };
        Self {
            size: (width, height),
            unit,
            border,
            header,
            map,
            legend,
            figures,
            approval,
        }
    }
}

pub(crate) fn right(area: Area) -> f32 {
    area[0] + area[2]
}

pub(crate) fn bottom(area: Area) -> f32 {
    area[1] + area[3]
}

/// True when the two areas share some paper (touching edges do not count).
pub(crate) fn overlaps(first: Area, second: Area) -> bool {
    first[0] < right(second)
        && second[0] < right(first)
        && first[1] < bottom(second)
        && second[1] < bottom(first)
}

pub(crate) fn inset(area: Area, by: f32) -> Area {
    [
        area[0] + by,
        area[1] + by,
        (area[2] - 2.0 * by).max(0.0),
        (area[3] - 2.0 * by).max(0.0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use shequ_core::io::print_layout::Paper;

    fn inside(inner: Area, outer: Area) -> bool {
        inner[0] >= outer[0] - 0.01
            && inner[1] >= outer[1] - 0.01
            && right(inner) <= right(outer) + 0.01
            && bottom(inner) <= bottom(outer) + 0.01
    }

    #[test]
    fn every_part_lies_inside_the_border_and_none_overlaps_another_on_every_paper() {
        for paper in Paper::ALL {
            for orientation in [Orientation::Landscape, Orientation::Portrait] {
                let page = Page::of(&PrintLayout {
                    paper,
                    orientation,
                    ..PrintLayout::default()
                });
                let parts = [
                    page.header,
                    page.map,
                    page.legend,
                    page.figures,
                    page.approval,
                ];
                for (index, part) in parts.iter().enumerate() {
                    assert!(
                        inside(*part, page.border),
                        "{paper:?} {orientation:?} {index}"
                    );
                    assert!(
                        part[2] > 20.0 && part[3] > 15.0,
                        "{paper:?} {orientation:?} {index}"
                    );
                    for other in &parts[index + 1..] {
                        assert!(
                            !overlaps(*part, *other),
                            "{paper:?} {orientation:?} {index}"
                        );
                    }
                }
                // The map takes most of the paper.
                let paper_area = page.size.0 * page.size.1;
                assert!(page.map[2] * page.map[3] > 0.4 * paper_area);
            }
        }
    }

    #[test]
    fn a3_furniture_is_the_a4_furniture_grown_by_the_square_root_of_two() {
        let a3 = Page::of(&PrintLayout {
            paper: Paper::A3,
            ..PrintLayout::default()
        });
        assert!((a3.unit - 297.0 / 210.0).abs() < 1e-4);
        assert_eq!(a3.size, (420.0, 297.0));
    }
}
