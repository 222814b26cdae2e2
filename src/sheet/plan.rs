//! The plan on the sheet: communities, streets, street offices and labels.

use geo::{Area, BoundingRect, Coord, InteriorPoint, Rect};
use shequ_core::Session;
use shequ_core::format::grouped;
use tiny_skia::{FillRule, Mask, PathBuilder, Transform};

use super::canvas::*;
use super::options::*;
use super::palette;

/// The extent to draw: the communities, else the street offices, else the buildings.
pub(crate) fn plan_extent(session: &Session) -> Option<Rect<f64>> {
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

/// A mask that lets shapes through inside the map frame only.
pub(crate) fn map_mask(
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

pub(crate) fn draw_plan(canvas: &mut Canvas, session: &Session, frame: &Frame, words: &Words) {
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
pub(crate) fn draw_labels(canvas: &mut Canvas, session: &Session, frame: &Frame, words: &Words) {
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
            .text_width(&community.properties.name, name_size)
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
            &community.properties.name,
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
