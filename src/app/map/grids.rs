//! The communities' management grids (网格) on the map: thin dashed boundaries inside each
//! community, and each grid's three-digit number where the grid is large enough on screen to
//! carry it.

use eframe::egui::{self, Align2, FontId, Pos2, Shape, Stroke};
use geo::{BoundingRect, Contains, Coord, InteriorPoint};
use rstar::AABB;
use shequ_core::Session;
use shequ_core::ids::CommunityKey;

use super::MapView;
use crate::theme;

/// A grid narrower than this on screen carries no number, px.
const NUMBERED_FROM_PX: f32 = 48.0;

impl MapView {
    /// The grid holding `point`: its community and its code.
    pub fn grid_at(session: &Session, point: Coord<f64>) -> Option<(CommunityKey, String)> {
        let envelope = AABB::from_point([point.x, point.y]);
        session.community_index().meeting(envelope).find_map(|key| {
            let community = session.plan().community(key)?;
            let grid = community
                .properties
                .grids
                .iter()
                .find(|grid| grid.boundary.contains(&point))?;
            Some((key, grid.code.clone()))
        })
    }

    /// The grids of the visible communities that have them.
    pub(super) fn paint_grids(
        &self,
        painter: &egui::Painter,
        session: &Session,
        visible_communities: &[CommunityKey],
    ) {
        let stroke = Stroke::new(1.0, theme::GRID_BOUNDARY.egui());
        let mut shapes = Vec::new();
        for &key in visible_communities {
            let Some(community) = session.plan().community(key) else {
                continue;
            };
            for grid in &community.properties.grids {
                for polygon in &grid.boundary {
                    let points: Vec<Pos2> = polygon
                        .exterior()
                        .coords()
                        .map(|coord| self.to_screen(*coord))
                        .collect();
                    if egui::Rect::from_points(&points).intersects(self.rect) {
                        Shape::dashed_line_many(&points, stroke, 4.0, 3.0, &mut shapes);
                    }
                }
                let Some(extent) = grid.boundary.bounding_rect() else {
                    continue;
                };
                let width = self.to_screen(extent.max()).x - self.to_screen(extent.min()).x;
                if width < NUMBERED_FROM_PX {
                    continue;
                }
                if let Some(inside) = grid.boundary.interior_point() {
                    // The community's code is on its label; the grid's own number suffices here.
                    let number = grid
                        .code
                        .get(grid.code.len().saturating_sub(3)..)
                        .unwrap_or("");
                    painter.text(
                        self.to_screen(inside.0),
                        Align2::CENTER_CENTER,
                        number,
                        FontId::proportional(11.0),
                        theme::GRID_BOUNDARY.egui(),
                    );
                }
            }
        }
        painter.extend(shapes);
    }
}
