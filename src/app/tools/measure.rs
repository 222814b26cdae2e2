//! The measure tool: click points; the length (and from three points the enclosed area) shows on
//! the map and in the status bar.

use eframe::egui;
use geo::Coord;

use super::ToolInput;
use super::gather_points;
use crate::app::ShequApp;

/// One frame of the tool.
pub(super) fn handle(
    app: &mut ShequApp,
    response: &egui::Response,
    input: &ToolInput,
    points: &mut Vec<Coord<f64>>,
) {
    gather_points(app, response, input, points);
    if input.escape {
        points.clear();
    }
}
