//! The select tool: click selects, Shift+click adds or removes, a dragged box selects what it
//! meets, Delete deletes the selection.

use eframe::egui;

use super::ToolInput;
use crate::app::ShequApp;
use crate::app::map::MapView;

/// One frame of the tool.
pub(super) fn handle(
    app: &mut ShequApp,
    response: &egui::Response,
    input: &ToolInput,
    box_start: &mut Option<egui::Pos2>,
) {
    if response.clicked()
        && let (Some(pointer), Some(session)) = (input.pointer, &app.session)
    {
        let point = app.map.to_metres(pointer);
        match MapView::community_at(session, point) {
            Some(key) if input.shift => {
                if let Some(position) = app.selection.iter().position(|selected| *selected == key) {
                    app.selection.remove(position);
                } else {
                    app.selection.push(key);
                }
            }
            Some(key) => app.selection = vec![key],
            None if !input.shift => app.selection.clear(),
            None => {}
        }
    }
    if response.drag_started_by(egui::PointerButton::Primary) {
        *box_start = response.interact_pointer_pos();
    }
    if response.drag_stopped()
        && let (Some(start), Some(end), Some(session)) =
            (box_start.take(), input.pointer, &app.session)
    {
        let (a, b) = (app.map.to_metres(start), app.map.to_metres(end));
        let envelope =
            rstar::AABB::from_corners([a.x.min(b.x), a.y.min(b.y)], [a.x.max(b.x), a.y.max(b.y)]);
        if !input.shift {
            app.selection.clear();
        }
        for key in session.community_index().meeting(envelope) {
            if !app.selection.contains(&key) {
                app.selection.push(key);
            }
        }
    }
    if input.delete {
        app.delete_selection();
    }
}
