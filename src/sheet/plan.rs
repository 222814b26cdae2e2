//! The plan on the sheet: communities, streets, street offices and labels.

use geo::{Area as _, BoundingRect, InteriorPoint, Intersects, Rect};
use shequ_core::Session;
use shequ_core::format::grouped;
use shequ_core::index::extent_union;
use shequ_core::io::print_layout::PrintScale;

use super::options::*;
use super::page::{Area, bottom, overlaps, right};
use super::palette;
use super::svg::*;

/// The extent to draw: the communities, else the street offices, else the buildings.
pub(crate) fn plan_extent(session: &Session) -> Option<Rect<f64>> {
    let union = |rectangles: &mut dyn Iterator<Item = Rect<f64>>| {
        rectangles
            .map(|rectangle| [rectangle.min(), rectangle.max()])
            .reduce(extent_union)
            .map(|[lower, upper]| Rect::new(lower, upper))
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

/// The frame that shows `extent` in the paper rectangle `map` at the layout's scale: at 1:N as
/// asked, or, to fit, at the round scale (two leading figures) nearest that still shows it all.
pub(crate) fn frame_for(extent: Rect<f64>, map: Area, scale: PrintScale) -> Frame {
    let denominator = match scale {
        PrintScale::OneTo(denominator) => f64::from(denominator),
        PrintScale::Fit => {
            let margin = 0.96;
            let millimetres_per_metre = (f64::from(map[2]) * margin / extent.width().max(1.0))
                .min(f64::from(map[3]) * margin / extent.height().max(1.0));
            round_up_to_two_figures(1000.0 / millimetres_per_metre)
        }
    };
    Frame {
        scale: 1000.0 / denominator,
        centre: extent.center(),
        centre_on_paper: (
            f64::from(map[0] + map[2] / 2.0),
            f64::from(map[1] + map[3] / 2.0),
        ),
    }
}

/// `number` rounded up to its two leading figures (12,345 → 13,000).
pub(crate) fn round_up_to_two_figures(number: f64) -> f64 {
    let mut unit = 1.0;
    while number / unit >= 100.0 {
        unit *= 10.0;
    }
    (number / unit).ceil() * unit
}

/// Streets, communities coloured by their worst unaccepted violation, street offices, and the
/// labels that fit in the map frame `map` clear of the furniture drawn over it.
pub(crate) fn draw_plan(
    surface: &mut Surface,
    (session, before): (&Session, Option<&Session>),
    frame: &Frame,
    (map, furniture): (Area, &[Area]),
    unit: f32,
    words: &Words,
) {
    let ground = frame.ground_under(map);
    let visible =
        |bounds: Option<Rect<f64>>| bounds.is_some_and(|bounds| bounds.intersects(&ground));
    // Streets under the communities' translucent fills; main streets last, over the others.
    for main in [false, true] {
        let mut path = PathData::default();
        for street in session
            .layers()
            .streets
            .iter()
            .filter(|street| street.is_main() == main)
        {
            for line in &street.lines {
                if visible(line.bounding_rect()) {
                    path.add_line(frame, line, false);
                }
            }
        }
        let line = if main {
            Line::solid(palette::MAIN_STREET, 0.55 * unit)
        } else {
            Line::solid(palette::STREET, 0.22 * unit)
        };
        surface.path(&path, None, Some(line));
    }
    for (key, community) in session.plan().communities() {
        if !visible(community.boundary.bounding_rect()) {
            continue;
        }
        let path = PathData::of_multipolygon(frame, &community.boundary);
        surface.path(
            &path,
            Some(palette::fill(session.worst_unaccepted_severity(key))),
            Some(Line::solid(palette::OUTLINE, 0.25 * unit)),
        );
    }
    for office in &session.plan().street_offices {
        if let Some(boundary) = office
            .boundary
            .as_ref()
            .filter(|boundary| visible(boundary.bounding_rect()))
        {
            surface.path(
                &PathData::of_multipolygon(frame, boundary),
                None,
                Some(Line {
                    colour: palette::STREET_OFFICE,
                    width: 0.65 * unit,
                    dash: Some([2.6 * unit, 1.3 * unit]),
                }),
            );
        }
    }
    if let Some(before) = before {
        super::before_after::draw_before(surface, session, before, frame, map, unit);
    }
    draw_labels(surface, session, frame, (map, furniture), unit, words);
}

/// Name and households of each community at its interior point, the largest first; a label that
/// would overlap one already placed or the furniture, or leave the map frame, is left out.
pub(crate) fn draw_labels(
    surface: &mut Surface,
    session: &Session,
    frame: &Frame,
    (map, furniture): (Area, &[Area]),
    unit: f32,
    words: &Words,
) {
    let mut communities: Vec<_> = session
        .plan()
        .communities()
        .map(|(key, community)| (key, community, community.boundary.unsigned_area()))
        .collect();
    communities.sort_by(|first, second| second.2.total_cmp(&first.2));
    let mut placed: Vec<Area> = furniture.to_vec();
    let (name_size, figure_size) = (2.5 * unit, 2.1 * unit);
    for (key, community, _) in communities {
        let Some(anchor) = community.boundary.interior_point() else {
            continue;
        };
        let (x, y) = frame.paper(anchor.0);
        let figure = format!(
            "{} {}",
            grouped(session.tallies().of(key).households),
            words.households
        );
        let box_width = surface
            .text_width(&community.properties.name, name_size)
            .max(surface.text_width(&figure, figure_size))
            + 1.6 * unit;
        let box_height = name_size + figure_size + 2.0 * unit;
        let rectangle = [
            x - box_width / 2.0,
            y - box_height / 2.0,
            box_width,
            box_height,
        ];
        let outside = rectangle[0] < map[0]
            || rectangle[1] < map[1]
            || right(rectangle) > right(map)
            || bottom(rectangle) > bottom(map);
        if outside || placed.iter().any(|other| overlaps(rectangle, *other)) {
            continue;
        }
        placed.push(rectangle);
        surface.rectangle(rectangle, Some(palette::LABEL_BACKGROUND), None);
        let top = rectangle[1];
        surface.text(
            &community.properties.name,
            (x, top + name_size + 0.3 * unit),
            name_size,
            palette::INK,
            Anchor::Middle,
        );
        surface.text(
            &figure,
            (x, top + name_size + figure_size + 0.9 * unit),
            figure_size,
            palette::MUTED_INK,
            Anchor::Middle,
        );
    }
}
