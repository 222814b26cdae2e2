//! While comparing: the boundaries before, dashed over the plan; the buildings that changed
//! community marked; the transfer picked in the matrix marked more strongly. While the fixes
//! window is open: the boundaries the chosen fix proposes, dashed too.

use eframe::egui::{self, Pos2, Shape, Stroke};
use geo::Coord;
use shequ_core::Session;

use super::{BUILDINGS_VISIBLE_BELOW_METRES_PER_POINT, MOST_BUILDINGS_DRAWN, MapView};
use crate::app::comparison::ComparisonView;
use crate::theme;

impl MapView {
    /// Paints the comparison over the plan: moved buildings, the picked transfer's buildings and
    /// the old boundaries.
    pub fn paint_comparison(
        &self,
        painter: &egui::Painter,
        session: &Session,
        comparison: &ComparisonView,
    ) {
        let moved = theme::MOVED_BUILDING.egui();
        self.mark_buildings(painter, session, &comparison.moved, moved, false);
        if let Some((_, buildings)) = &comparison.picked {
            let picked = theme::PICKED_TRANSFER.egui();
            self.mark_buildings(painter, session, buildings, picked, true);
        }
        self.paint_old_boundaries(painter, session, comparison);
    }

    /// The boundaries a fix proposes, dashed, so a planner sees where the lines would run
    /// before applying it.
    pub fn paint_proposed(
        &self,
        painter: &egui::Painter,
        boundaries: &[(String, geo::MultiPolygon<f64>)],
    ) {
        let stroke = Stroke::new(2.5, theme::PROPOSED_BOUNDARY.egui());
        let mut shapes = Vec::new();
        for (_, boundary) in boundaries {
            self.dash_rings(boundary, |coord| coord, stroke, &mut shapes);
        }
        painter.extend(shapes);
    }

    /// The rings of `boundary` dashed into `shapes` where they are on screen, each corner
    /// carried into this map's metres by `to_metres`.
    fn dash_rings(
        &self,
        boundary: &geo::MultiPolygon<f64>,
        to_metres: impl Fn(Coord<f64>) -> Coord<f64>,
        stroke: Stroke,
        shapes: &mut Vec<Shape>,
    ) {
        for polygon in boundary {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let points: Vec<Pos2> = ring
                    .coords()
                    .map(|coord| self.to_screen(to_metres(*coord)))
                    .collect();
                if egui::Rect::from_points(&points).intersects(self.rect) {
                    Shape::dashed_line_many(&points, stroke, 7.0, 5.0, shapes);
                }
            }
        }
    }

    /// Buildings marked: zoomed in, their footprints outlined (filled when `strong`); farther
    /// out, a dot each (at most as many as the map draws buildings).
    fn mark_buildings(
        &self,
        painter: &egui::Painter,
        session: &Session,
        buildings: &[u32],
        colour: egui::Color32,
        strong: bool,
    ) {
        let visible = self.visible();
        let (low, high) = (visible.lower(), visible.upper());
        let on_screen = |point: Coord<f64>| {
            point.x >= low[0] && point.x <= high[0] && point.y >= low[1] && point.y <= high[1]
        };
        let all = &session.layers().buildings;
        let zoomed_in = self.metres_per_point < BUILDINGS_VISIBLE_BELOW_METRES_PER_POINT;
        let mut shapes = Vec::new();
        for building in buildings
            .iter()
            .filter_map(|&building| all.get(building as usize))
            .filter(|building| on_screen(building.representative_point))
            .take(MOST_BUILDINGS_DRAWN)
        {
            if zoomed_in {
                for polygon in &building.footprint {
                    let points: Vec<Pos2> = polygon
                        .exterior()
                        .coords()
                        .map(|coord| self.to_screen(*coord))
                        .collect();
                    if strong {
                        shapes.push(Shape::convex_polygon(
                            points[1..].to_vec(),
                            colour.gamma_multiply(0.6),
                            Stroke::NONE,
                        ));
                    }
                    shapes.push(Shape::line(points, Stroke::new(2.0, colour)));
                }
            } else {
                let radius = if strong { 3.5 } else { 2.5 };
                shapes.push(Shape::circle_filled(
                    self.to_screen(building.representative_point),
                    radius,
                    colour,
                ));
            }
        }
        painter.extend(shapes);
    }

    /// The boundaries before of the communities whose boundary changed or that are gone,
    /// dashed. A plan over other layers has its own local metres: its boundaries are carried
    /// over through longitude and latitude.
    fn paint_old_boundaries(
        &self,
        painter: &egui::Painter,
        session: &Session,
        comparison: &ComparisonView,
    ) {
        let (old, new) = (comparison.before.projection(), session.projection());
        let same_metres = old == new;
        let stroke = Stroke::new(2.0, theme::BOUNDARY_BEFORE.egui());
        let mut shapes = Vec::new();
        let to_metres = |coord: Coord<f64>| {
            if same_metres {
                coord
            } else {
                let (longitude, latitude) = old.to_lon_lat(coord);
                new.to_metres(longitude, latitude)
            }
        };
        for boundary in comparison.old_boundaries() {
            self.dash_rings(boundary, to_metres, stroke, &mut shapes);
        }
        painter.extend(shapes);
    }
}
