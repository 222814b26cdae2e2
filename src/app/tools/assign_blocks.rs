//! The assign-blocks tool: click or brush street blocks into the selected community; a stroke is
//! one undo step. On grids (the toolbar's 编辑网格) a stroke starts inside a grid and brushes
//! blocks of its community into that grid.

use eframe::egui;
use shequ_core::edit::{Command, Step};

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

/// One frame of the tool on grids: the grid under the press receives the blocks brushed over.
pub(super) fn handle_on_grids(
    view: &ViewCtx,
    state: &mut UiState,
    response: &egui::Response,
    input: &ToolInput,
    out: &mut Vec<Intent>,
) {
    let (Some(session), Some(pointer)) = (view.session, input.pointer) else {
        return;
    };
    let point = state.map.to_metres(pointer);
    if response.clicked() {
        state.message = Some(view.strings.grid_blocks_hint.to_owned());
        return;
    }
    if response.drag_started_by(egui::PointerButton::Primary) {
        if MapView::grid_at(session, point).is_none() {
            state.message = Some(view.strings.grid_blocks_hint.to_owned());
            return;
        }
        state.grid_brush = Some(point);
        // A stroke is one undo step.
        out.push(Intent::BeginStep(Step::Grids));
    }
    // The grid is looked up where the stroke began, each time: a grid the stroke empties goes
    // and the others are renumbered, so its code may change during the stroke; its ground at the
    // stroke's start stays its own.
    if response.dragged()
        && let Some(start) = state.grid_brush
        && let Some((key, code)) = MapView::grid_at(session, start)
        && let Some(blocks) = session.derived_blocks()
        && let Some(block) = blocks.at(point)
    {
        let already =
            geo::InteriorPoint::interior_point(&blocks.polygons[block]).is_some_and(|inside| {
                MapView::grid_at(session, inside.0).as_ref() == Some(&(key, code.clone()))
            });
        if !already {
            match shequ_core::grids::give_blocks_to_grid(session, key, &code, &[block]) {
                Ok(command) => out.push(Intent::Edit(command)),
                // Brushing past the community's edge is not a mistake worth a message per block.
                Err(shequ_core::grids::GridEditError::OutsideCommunity(_)) => {}
                Err(error) => state.message = Some(error.describe(view.language)),
            }
        }
    }
    if response.drag_stopped() && state.grid_brush.take().is_some() {
        out.push(Intent::EndStep);
    }
}
