//! The office tool: a click inside a community places (or moves) its residents' committee office
//! there, Shift+click its service centre; each is one undoable step, and the community's walking
//! distances follow at once.

use eframe::egui;
use shequ_core::edit::Command;

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
    out: &mut Vec<Intent>,
) {
    if !response.clicked() {
        return;
    }
    let (Some(pointer), Some(session)) = (input.pointer, view.session) else {
        return;
    };
    let point = state.map.to_metres(pointer);
    let Some(key) = MapView::community_at(session, point) else {
        state.message = Some(view.strings.office_click_inside.to_owned());
        return;
    };
    let Some(community) = session.plan().community(key) else {
        return;
    };
    let mut properties = community.properties.clone();
    if input.shift {
        properties.service = Some(point);
    } else {
        properties.office = Some(point);
    }
    out.push(Intent::Select(vec![key]));
    out.push(Intent::Edit(Command::SetProperties {
        key,
        properties: Box::new(properties),
    }));
}
