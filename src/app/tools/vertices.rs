//! The vertex tool: drag a vertex (shared ones move together, households update while dragging),
//! double-click an edge to insert one, Delete removes the hovered one, Esc aborts a drag. On
//! grids (the toolbar's 编辑网格) the grids' vertices and edges can be picked too; a vertex a
//! grid shares with its community moves both.

use eframe::egui::{self, Pos2};
use geo::{Coord, MultiPolygon};
use shequ_core::edit::Command;
use shequ_core::ops::vertex::VertexLayers;

use super::input::{PICK_RADIUS, ToolInput};
use crate::app::context::ViewCtx;
use crate::app::intent::{DragEvent, Intent};
use crate::app::map::MapView;
use crate::app::state::UiState;

/// One frame of the tool: `dragging` while a vertex is held.
pub(super) fn handle(
    view: &ViewCtx,
    state: &UiState,
    dragging: bool,
    ui: &egui::Ui,
    response: &egui::Response,
    input: &ToolInput,
    out: &mut Vec<Intent>,
) {
    let (pointer, escape, delete) = (input.pointer, input.escape, input.delete);
    let (map, layers) = (&state.map, picked_layers(state.edit_grids));
    let transform = map.gesture_transform();
    // The vertex is picked where the button went down, not where the drag was noticed.
    let press_origin = ui.input(|input| input.pointer.press_origin());
    if response.drag_started_by(egui::PointerButton::Primary)
        && let Some(pointer) = press_origin.or(response.interact_pointer_pos())
    {
        let screen = map.gesture_point(pointer);
        out.push(Intent::Drag(DragEvent::Press(transform, screen)));
    }
    if dragging
        && response.dragged()
        && let Some(pointer) = response.interact_pointer_pos()
    {
        let screen = map.gesture_point(pointer);
        out.push(Intent::Drag(DragEvent::Move(transform, screen)));
    }
    if response.drag_stopped() {
        out.push(Intent::Drag(DragEvent::Release));
    }
    if escape {
        out.push(Intent::Drag(DragEvent::Escape));
    }
    if response.double_clicked()
        && let Some(pointer) = pointer
    {
        insert_vertex_near(view, map, pointer, layers, out);
    }
    if delete && let Some(pointer) = response.hover_pos() {
        delete_vertex_near(view, map, pointer, layers, out);
    }
}

/// Whose vertices the tool picks: grids' too while the tools work on grids.
pub fn picked_layers(edit_grids: bool) -> VertexLayers {
    if edit_grids {
        VertexLayers::CommunitiesAndGrids
    } else {
        VertexLayers::Communities
    }
}

/// An edge (start, end) and the point on it nearest the pointer.
type EdgePick = (Coord<f64>, Coord<f64>, Coord<f64>);

fn nearest_edge(
    view: &ViewCtx,
    map: &MapView,
    screen: Pos2,
    layers: VertexLayers,
) -> Option<EdgePick> {
    let session = view.session?;
    let point = map.to_metres(screen);
    let tolerance = PICK_RADIUS * map.metres_per_point;
    let envelope = rstar::AABB::from_corners(
        [point.x - tolerance, point.y - tolerance],
        [point.x + tolerance, point.y + tolerance],
    );
    let mut best: Option<(f64, EdgePick)> = None;
    let mut consider = |boundary: &MultiPolygon<f64>| {
        for polygon in boundary {
            for segment in polygon.exterior().lines() {
                let along = segment.end - segment.start;
                let length_squared = along.x * along.x + along.y * along.y;
                if length_squared == 0.0 {
                    continue;
                }
                let t = (((point.x - segment.start.x) * along.x
                    + (point.y - segment.start.y) * along.y)
                    / length_squared)
                    .clamp(0.05, 0.95);
                let on = segment.start + along * t;
                let distance = (on.x - point.x).hypot(on.y - point.y);
                if distance <= tolerance && best.is_none_or(|(closest, _)| distance < closest) {
                    best = Some((distance, (segment.start, segment.end, on)));
                }
            }
        }
    };
    for key in session.community_index().meeting(envelope) {
        let Some(community) = session.plan().community(key) else {
            continue;
        };
        consider(&community.boundary);
        if layers == VertexLayers::CommunitiesAndGrids {
            for grid in &community.properties.grids {
                consider(&grid.boundary);
            }
        }
    }
    best.map(|(_, edge)| edge)
}

fn insert_vertex_near(
    view: &ViewCtx,
    map: &MapView,
    screen: Pos2,
    layers: VertexLayers,
    out: &mut Vec<Intent>,
) {
    if let Some((start, end, at)) = nearest_edge(view, map, screen, layers) {
        out.push(Intent::Edit(Command::InsertVertex { start, end, at }));
    }
}

fn delete_vertex_near(
    view: &ViewCtx,
    map: &MapView,
    screen: Pos2,
    layers: VertexLayers,
    out: &mut Vec<Intent>,
) {
    let Some(session) = view.session else { return };
    let point = map.to_metres(screen);
    let tolerance = PICK_RADIUS * map.metres_per_point;
    if let Some(vertex) = shequ_core::ops::vertex::nearest_vertex(
        session.plan(),
        session.community_index(),
        point,
        tolerance,
        layers,
    ) {
        out.push(Intent::Edit(Command::DeleteVertex { at: vertex }));
    }
}
