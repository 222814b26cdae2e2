//! What every tool reads: the keys and pointer of this frame, and points snapped to vertices,
//! edges and streets.

use eframe::egui::{self, Pos2};
use geo::Coord;
use shequ_core::ops::snap::{SnapKind, SnapTargets, snap};

use crate::app::context::ViewCtx;
use crate::app::map::MapView;

/// How near (screen points) the pointer must be to snap or to pick a vertex or an edge.
pub const PICK_RADIUS: f64 = 9.0;

/// The map point under `screen`, snapped to the nearest vertex, edge or street within reach.
/// The point under `screen`, snapped to what is near (grids' corners and edges too with
/// `grids`).
pub fn snapped(
    ctx: &ViewCtx,
    map: &MapView,
    screen: Pos2,
    grids: bool,
) -> (Coord<f64>, Option<SnapKind>) {
    let point = map.to_metres(screen);
    let tolerance = PICK_RADIUS * map.metres_per_point;
    let Some(session) = ctx.session else {
        return (point, None);
    };
    let targets = SnapTargets {
        plan: session.plan(),
        community_index: session.community_index(),
        street_index: session.street_index(),
        blocks: None,
        grids,
    };
    match snap(point, tolerance, &targets) {
        Some(found) => (found.point, Some(found.kind)),
        None => (point, None),
    }
}

/// The keys and pointer a tool reads this frame.
pub struct ToolInput {
    /// Esc went down.
    pub escape: bool,
    /// Enter went down.
    pub enter: bool,
    /// Backspace went down, outside a text field.
    pub backspace: bool,
    /// Delete went down, outside a text field.
    pub delete: bool,
    /// Shift is held.
    pub shift: bool,
    /// Where the pointer acts (pressed or hovering).
    pub pointer: Option<Pos2>,
}

impl ToolInput {
    /// This frame's keys, and the pointer over the map's `response`.
    pub fn read(ui: &egui::Ui, response: &egui::Response) -> Self {
        let typing = ui.ctx().egui_wants_keyboard_input();
        Self {
            escape: ui.input(|input| input.key_pressed(egui::Key::Escape)),
            enter: ui.input(|input| input.key_pressed(egui::Key::Enter)),
            backspace: !typing && ui.input(|input| input.key_pressed(egui::Key::Backspace)),
            delete: !typing && ui.input(|input| input.key_pressed(egui::Key::Delete)),
            shift: ui.input(|input| input.modifiers.shift),
            pointer: response.interact_pointer_pos().or(response.hover_pos()),
        }
    }
}

/// The points the draw, split and measure tools gather: a click adds one (snapped; to grids
/// too with `grids`), Backspace takes the last back.
pub fn gather_points(
    ctx: &ViewCtx,
    map: &MapView,
    (response, input): (&egui::Response, &ToolInput),
    points: &mut Vec<Coord<f64>>,
    grids: bool,
) {
    if response.clicked()
        && let Some(pointer) = input.pointer
    {
        points.push(snapped(ctx, map, pointer, grids).0);
    }
    if input.backspace {
        points.pop();
    }
}
