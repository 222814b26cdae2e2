//! The assign-blocks tool: click or brush street blocks into the selected community; a stroke is
//! one undo step.

use eframe::egui;
use shequ_core::edit::{Command, Step};

use super::input::ToolInput;
use crate::app::context::ViewCtx;
use crate::app::intent::Intent;
use crate::app::state::UiState;

/// One frame of the tool.
pub(super) fn handle(
    view: &ViewCtx,
    state: &mut UiState,
    response: &egui::Response,
    input: &ToolInput,
    out: &mut Vec<Intent>,
) {
    let Some(&target) = view.selection.first() else {
        if response.clicked() {
            state.message = Some(view.strings.assign_hint.to_owned());
        }
        return;
    };
    if response.drag_started_by(egui::PointerButton::Primary) {
        // A brush stroke is one undo step.
        out.push(Intent::BeginStep(Step::AssignBlocks));
    }
    // The blocks were derived before the frame began (see `ShequApp::show`).
    if (response.clicked() || response.dragged())
        && let (Some(pointer), Some(session)) = (input.pointer, view.session)
        && let Some(blocks) = session.derived_blocks()
    {
        let point = state.map.to_metres(pointer);
        let block = blocks.at(point);
        let inside =
            block.and_then(|block| geo::InteriorPoint::interior_point(&blocks.polygons[block]));
        let already = inside.is_some_and(|inside| {
            use geo::Contains;
            session
                .plan()
                .community(target)
                .is_some_and(|community| community.boundary.contains(&inside))
        });
        if let (Some(block), false) = (block, already) {
            out.push(Intent::Edit(Command::AssignBlocks {
                blocks: vec![block],
                to: target,
            }));
        }
    }
    if response.drag_stopped() {
        out.push(Intent::EndStep);
    }
}
