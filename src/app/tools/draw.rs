//! The draw tool: click vertices (snapping), Enter or double-click names the new community,
//! Backspace removes the last point, Esc cancels.

use eframe::egui;
use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::input::{ToolInput, gather_points};
use crate::app::context::ViewCtx;
use crate::app::state::{Dialog, UiState};

/// One frame of the tool.
pub(super) fn handle(
    view: &ViewCtx,
    state: &mut UiState,
    response: &egui::Response,
    input: &ToolInput,
    points: &mut Vec<Coord<f64>>,
) {
    gather_points(view, &state.map, (response, input), points, false);
    let finish = input.enter || response.double_clicked();
    if finish && points.len() >= 3 {
        let mut ring = points.clone();
        ring.dedup();
        ring.push(ring[0]);
        let count = view
            .session
            .map_or(0, |session| session.plan().slot_count());
        state.dialog = Some(Dialog::NewCommunity {
            boundary: MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])]),
            id: format!("NEW{:03}", count + 1),
            name: String::new(),
            kind: shequ_core::plan::CommunityType::Geographic,
        });
        points.clear();
    }
    if input.escape {
        points.clear();
    }
}
