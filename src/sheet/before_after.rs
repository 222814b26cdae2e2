//! The before-and-after sheet: the plan as it is, with the plan it is compared with over it —
//! the boundaries that moved or went, dashed, and the buildings that change community, filled.

use std::borrow::Cow;
use std::collections::HashMap;

use geo::{BoundingRect, Intersects, MapCoords, MultiPolygon};
use shequ_core::Session;
use shequ_core::compare::moved_buildings;

use super::palette;
use super::svg::*;

/// Draws `before` over `session`'s plan on the map `area` (the frame clipped to it already).
pub(crate) fn draw_before(
    surface: &mut Surface,
    session: &Session,
    before: &Session,
    frame: &Frame,
    area: [f32; 4],
    unit: f32,
) {
    let ground = frame.ground_under(area);
    // The buildings first, under the dashed lines.
    if let Ok(moved) = moved_buildings(before, session) {
        let mut path = PathData::default();
        for building in moved
            .iter()
            .filter_map(|&index| session.layers().buildings.get(index as usize))
        {
            for polygon in &building.footprint {
                if polygon
                    .bounding_rect()
                    .is_some_and(|bounds| bounds.intersects(&ground))
                {
                    path.add_line(frame, polygon.exterior(), true);
                }
            }
        }
        if !path.is_empty() {
            surface.path(&path, Some(palette::MOVED_BUILDING), None);
        }
    }
    let now: HashMap<&str, &MultiPolygon<f64>> = session
        .plan()
        .communities()
        .map(|(_, community)| (community.id.as_str(), &community.boundary))
        .collect();
    let (old, new) = (before.projection(), session.projection());
    let line = Line {
        colour: palette::BOUNDARY_BEFORE,
        width: 0.5 * unit,
        dash: Some([1.6 * unit, 0.9 * unit]),
    };
    for (_, community) in before.plan().communities() {
        if now.get(community.id.as_str()) == Some(&&community.boundary) {
            continue;
        }
        // A plan over other layers has local metres of its own.
        let boundary: Cow<'_, MultiPolygon<f64>> = if old == new {
            Cow::Borrowed(&community.boundary)
        } else {
            Cow::Owned(community.boundary.map_coords(|coord| {
                let (longitude, latitude) = old.to_lon_lat(coord);
                new.to_metres(longitude, latitude)
            }))
        };
        if boundary
            .bounding_rect()
            .is_some_and(|bounds| bounds.intersects(&ground))
        {
            surface.path(
                &PathData::of_multipolygon(frame, &boundary),
                None,
                Some(line),
            );
        }
    }
}
