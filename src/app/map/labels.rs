//! Community labels: name and households where they fit, households alone where space is tight,
//! chosen in the same order every frame (selected first, then larger communities first) so the
//! labels shown do not flicker as the map moves; a community larger than the view keeps its label
//! inside the visible part.

use eframe::egui::{self, Color32, Pos2, Rect, vec2};
use geo::{Contains, Coord};
use shequ_core::Session;
use shequ_core::format::grouped;
use shequ_core::ids::CommunityKey;

use super::MapView;
use crate::theme;

/// How far (screen points) from the map's edge a label moved inside the view keeps.
const EDGE_MARGIN: f32 = 40.0;

impl MapView {
    pub(super) fn paint_labels(
        &self,
        painter: &egui::Painter,
        session: &Session,
        visible: &[CommunityKey],
        selection: &[CommunityKey],
        households_word: &str,
    ) {
        let mut order: Vec<(bool, f64, CommunityKey)> = visible
            .iter()
            .filter_map(|&key| {
                let shape = self.shapes.get(&key)?;
                Some((!selection.contains(&key), -shape.area_m2, key))
            })
            .collect();
        order.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut placed: Vec<Rect> = self.legend_rect.into_iter().collect();
        let font = egui::FontId::proportional(13.0);
        for (_, _, key) in order {
            let Some(community) = session.plan().community(key) else {
                continue;
            };
            let Some(anchor) = self.label_anchor(session, key) else {
                continue;
            };
            let households = format!(
                "{} {households_word}",
                grouped(session.tallies().of(key).households)
            );
            let full = format!("{}\n{households}", community.properties.name);
            for text in [full, households] {
                let galley = painter.layout(text, font.clone(), theme::INK.egui(), 200.0);
                let rect =
                    self.kept_inside(Rect::from_center_size(anchor, galley.size()).expand(2.0));
                if placed.iter().any(|other| other.intersects(rect)) {
                    continue;
                }
                painter.rect_filled(rect, 3.0, theme::LABEL_BACKGROUND.egui());
                painter.galley(rect.min + vec2(2.0, 2.0), galley, Color32::BLACK);
                placed.push(rect);
                break;
            }
        }
    }

    /// Where a community's label is centred on screen: its label point when that is in view,
    /// else the point of the view nearest to it, when that point is inside the community.
    fn label_anchor(&self, session: &Session, key: CommunityKey) -> Option<Pos2> {
        let shape = self.shapes.get(&key)?;
        let at = self.to_screen(shape.label_at);
        if self.rect.shrink(4.0).contains(at) {
            return Some(at);
        }
        let inner = self.rect.shrink(EDGE_MARGIN);
        if !inner.is_positive() {
            return None;
        }
        let nearest = inner.clamp(at);
        let metres: Coord<f64> = self.to_metres(nearest);
        session
            .plan()
            .community(key)
            .is_some_and(|community| community.boundary.contains(&metres))
            .then_some(nearest)
    }

    /// `rect` moved the least to lie inside the map (a label at the edge is not cut off).
    fn kept_inside(&self, rect: Rect) -> Rect {
        let bounds = self.rect.shrink(2.0);
        let mut shift = vec2(0.0, 0.0);
        if rect.left() < bounds.left() {
            shift.x = bounds.left() - rect.left();
        } else if rect.right() > bounds.right() {
            shift.x = bounds.right() - rect.right();
        }
        if rect.top() < bounds.top() {
            shift.y = bounds.top() - rect.top();
        } else if rect.bottom() > bounds.bottom() {
            shift.y = bounds.bottom() - rect.bottom();
        }
        rect.translate(shift)
    }
}
