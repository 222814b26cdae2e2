//! The select tool: click selects, Shift+click adds or removes, a dragged box selects what it
//! meets, Delete deletes the selection.

use eframe::egui;

use super::input::ToolInput;
use crate::app::context::ViewCtx;
use crate::app::intent::Intent;
use crate::app::map::MapView;
use crate::app::state::UiState;

/// One frame of the tool.
pub(super) fn handle(
    view: &ViewCtx,
    state: &mut UiState,
    response: &egui::Response,
    input: &ToolInput,
    box_start: &mut Option<egui::Pos2>,
    out: &mut Vec<Intent>,
) {
    if response.clicked()
        && let (Some(pointer), Some(session)) = (input.pointer, view.session)
    {
        let point = state.map.to_metres(pointer);
        match MapView::community_at(session, point) {
            Some(key) if input.shift => out.push(Intent::ToggleSelected(key)),
            Some(key) => out.push(Intent::Select(vec![key])),
            None if !input.shift => out.push(Intent::Select(Vec::new())),
            None => {}
        }
    }
    if response.drag_started_by(egui::PointerButton::Primary) {
        *box_start = response.interact_pointer_pos();
    }
    if response.drag_stopped()
        && let (Some(start), Some(end), Some(session)) =
            (box_start.take(), input.pointer, view.session)
    {
        let (a, b) = (state.map.to_metres(start), state.map.to_metres(end));
        let envelope =
            rstar::AABB::from_corners([a.x.min(b.x), a.y.min(b.y)], [a.x.max(b.x), a.y.max(b.y)]);
        let mut selection = if input.shift {
            view.selection.to_vec()
        } else {
            Vec::new()
        };
        for key in session.community_index().meeting(envelope) {
            if !selection.contains(&key) {
                selection.push(key);
            }
        }
        out.push(Intent::Select(selection));
    }
    if input.delete {
        out.push(Intent::DeleteSelection);
    }
}
