//! The assign-blocks tool: click or brush street blocks into the selected community; a stroke is
//! one undo step.

use eframe::egui;
use shequ_core::edit::{Command, Step};

use super::ToolInput;
use crate::app::ShequApp;
use crate::app::intent::Intent;

/// One frame of the tool.
pub(super) fn handle(app: &mut ShequApp, response: &egui::Response, input: &ToolInput) {
    let Some(&target) = app.selection.first() else {
        if response.clicked() {
            app.message = Some(app.strings().assign_hint.to_owned());
        }
        return;
    };
    if response.drag_started_by(egui::PointerButton::Primary) {
        // A brush stroke is one undo step.
        app.apply(Intent::BeginStep(Step::AssignBlocks));
    }
    if (response.clicked() || response.dragged())
        && let (Some(pointer), Some(session)) = (input.pointer, &mut app.session)
    {
        let point = app.map.to_metres(pointer);
        let block = session.blocks().at(point);
        let inside = block.and_then(|block| {
            geo::InteriorPoint::interior_point(&session.blocks().polygons[block])
        });
        let already = inside.is_some_and(|inside| {
            use geo::Contains;
            session
                .plan()
                .community(target)
                .is_some_and(|community| community.boundary.contains(&inside))
        });
        if let (Some(block), false) = (block, already) {
            app.apply(Intent::Edit(Command::AssignBlocks {
                blocks: vec![block],
                to: target,
            }));
        }
    }
    if response.drag_stopped() {
        app.apply(Intent::EndStep);
    }
}
