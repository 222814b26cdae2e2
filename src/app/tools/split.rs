//! The split tool: click a line across the selected community (or the one under its middle), Enter
//! splits it.

use eframe::egui;
use geo::{Coord, LineString};
use shequ_core::edit::Command;

use super::input::{ToolInput, gather_points};
use super::preview::split_target;
use crate::app::context::ViewCtx;
use crate::app::intent::Intent;
use crate::app::map::MapView;

/// One frame of the tool.
pub(super) fn handle(
    view: &ViewCtx,
    map: &MapView,
    response: &egui::Response,
    input: &ToolInput,
    points: &mut Vec<Coord<f64>>,
    out: &mut Vec<Intent>,
) {
    gather_points(view, map, response, input, points);
    if (input.enter || response.double_clicked()) && points.len() >= 2 {
        let line = LineString::new(points.clone());
        if let Some(key) = split_target(view, points) {
            out.push(Intent::Edit(Command::Split { key, line }));
        }
        points.clear();
    }
    if input.escape {
        points.clear();
    }
}
