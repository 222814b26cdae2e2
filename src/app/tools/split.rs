//! The split tool: click a line across the selected community (or the one under its middle), Enter
//! splits it. On grids (the toolbar's 编辑网格) it splits the grid under the middle of the
//! line's first segment.

use eframe::egui;
use geo::{Coord, LineString};
use shequ_core::edit::Command;

use super::input::{ToolInput, gather_points};
use super::preview::{first_middle, split_target};
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
    points: &mut Vec<Coord<f64>>,
    out: &mut Vec<Intent>,
) {
    gather_points(
        view,
        &state.map,
        (response, input),
        points,
        state.edit_grids,
    );
    if (input.enter || response.double_clicked()) && points.len() >= 2 {
        let line = LineString::new(points.clone());
        if state.edit_grids {
            split_grid(view, state, line, out);
        } else if let Some(key) = split_target(view, points) {
            out.push(Intent::Edit(Command::Split { key, line }));
        }
        points.clear();
    }
    if input.escape {
        points.clear();
    }
}

/// Splits the grid under the middle of the line's first segment, or says why it cannot.
fn split_grid(view: &ViewCtx, state: &mut UiState, line: LineString<f64>, out: &mut Vec<Intent>) {
    let Some(session) = view.session else { return };
    let found = first_middle(&line.0).and_then(|middle| MapView::grid_at(session, middle));
    let Some((key, code)) = found else {
        state.message = Some(view.strings.grid_split_no_grid.to_owned());
        return;
    };
    match shequ_core::grids::split_grid(session, key, &code, &line) {
        Ok(command) => out.push(Intent::Edit(command)),
        Err(error) => state.message = Some(error.describe(view.language)),
    }
}
