//! The measure tool: click points; the length (and from three points the enclosed area) shows on
//! the map and in the status bar.

use eframe::egui;
use geo::Coord;

use super::input::{ToolInput, gather_points};
use crate::app::context::ViewCtx;
use crate::app::map::MapView;

/// One frame of the tool.
pub(super) fn handle(
    view: &ViewCtx,
    map: &MapView,
    response: &egui::Response,
    input: &ToolInput,
    points: &mut Vec<Coord<f64>>,
) {
    gather_points(view, map, (response, input), points, false);
    if input.escape {
        points.clear();
    }
}
