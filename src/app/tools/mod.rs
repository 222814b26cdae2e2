//! The map's tools: select, draw a community, edit vertices, split, assign street blocks,
//! measure and place offices, one file each. Each turns pointer and key input into intents for the plan.

mod assign_blocks;
mod building_details;
mod draw;
pub mod input;
pub mod kinds;
mod measure;
mod office;
mod preview;
mod select;
mod split;
pub mod vertices;

use eframe::egui::{self, Color32, Pos2, Sense, Shape, Stroke};
use geo::Coord;
use shequ_core::ops::snap::SnapKind;

use crate::app::context::ViewCtx;
use crate::app::intent::Intent;
use crate::app::state::UiState;
use crate::theme;
use input::{ToolInput, snapped};
use kinds::{Tool, measured};

/// The map: navigation, the active tool, and painting.
pub fn map_area(view: &ViewCtx, state: &mut UiState, ui: &mut egui::Ui, out: &mut Vec<Intent>) {
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
    state.map.rect = response.rect;
    let strings = view.strings;
    let Some(session) = view.session else {
        painter.rect_filled(response.rect, 0.0, theme::MAP_BACKGROUND.egui());
        painter.text(
            response.rect.center(),
            egui::Align2::CENTER_CENTER,
            strings.no_plan,
            egui::FontId::proportional(18.0),
            Color32::DARK_GRAY,
        );
        return;
    };
    if !state.map.fitted || state.map.fit_frames_left > 0 {
        // Fitted again in the first few frames, while the panels settle their sizes.
        state.map.fit_frames_left = if state.map.fitted {
            state.map.fit_frames_left - 1
        } else {
            3
        };
        state.map.fit_all(session);
    }
    state.map.navigate(ui, &response);
    if response.dragged() || ui.input(|input| input.smooth_scroll_delta != egui::Vec2::ZERO) {
        state.map.fit_frames_left = 0;
    }
    state.cursor = response
        .hover_pos()
        .map(|pointer| state.map.to_metres(pointer));
    let panning = ui.input(|input| input.key_down(egui::Key::Space))
        || response.dragged_by(egui::PointerButton::Middle);
    if !panning {
        handle_tool(view, state, ui, &response, out);
    }
    let highlight = state.highlighted.as_ref().and_then(|key| {
        session
            .rules()
            .iter()
            .find(|violation| violation.key() == *key)
            .map(|violation| violation.location.clone())
    });
    state.map.paint_background(&painter);
    state
        .basemaps
        .paint(&painter, &state.map, session, ui.ctx());
    state.map.paint(
        &painter,
        session,
        view.selection,
        highlight.as_ref(),
        strings.households_unit,
    );
    if let Some(comparison) = view.comparison {
        state.map.paint_comparison(&painter, session, comparison);
    }
    if let Some(shown) = &state.fixes
        && let Ok(fixes) = &shown.fixes
        && let Some(fix) = fixes.get(shown.chosen)
    {
        state.map.paint_proposed(&painter, &fix.outcome.boundaries);
    }
    if let Some(window) = &state.partition
        && let Some((generation, Ok(made))) = &window.result
        && *generation == session.generation()
    {
        state.map.paint_proposed(&painter, &made.boundaries);
    }
    show_preview(view, state, ui.ctx(), &painter, &response);
    paint_tool(view, state, &painter, &response);
    if let Some(found) = &state.mark {
        state.map.paint_found(&painter, session, found);
    }
    if matches!(state.tool, Tool::Select { box_start: None })
        && let Some(building) = building_details::hovered(view, &state.map, &response)
    {
        if response.clicked() {
            state.pinned_building = Some(building);
        }
        building_details::show(view, &state.map, &painter, &response, building);
    }
    building_details::show_pinned(view, state, ui.ctx(), &painter);
    crate::app::map::legend::show(view, &mut state.map, session, ui.ctx());
}

/// While a split line or a new outline is drawn, what it would give with the pointer's point.
fn show_preview(
    view: &ViewCtx,
    state: &UiState,
    ctx: &egui::Context,
    painter: &egui::Painter,
    response: &egui::Response,
) {
    let (drafting, points) = match &state.tool {
        Tool::Split(points) if state.edit_grids => (preview::Drafting::GridSplit, points),
        Tool::Split(points) => (preview::Drafting::Split, points),
        Tool::Draw(points) => (preview::Drafting::Draw, points),
        _ => return,
    };
    let Some(pointer) = response.hover_pos() else {
        return;
    };
    let mut draft = points.clone();
    let grids = drafting == preview::Drafting::GridSplit;
    draft.push(snapped(view, &state.map, pointer, grids).0);
    if let Some(found) = preview::of_draft(view, ctx, drafting, &draft) {
        preview::paint(&found, &state.map, painter);
        preview::show_figures(view, ctx, &found, response, pointer);
    }
}

fn handle_tool(
    view: &ViewCtx,
    state: &mut UiState,
    ui: &egui::Ui,
    response: &egui::Response,
    out: &mut Vec<Intent>,
) {
    let input = ToolInput::read(ui, response);
    if let Tool::Vertices(drag) = &state.tool {
        // Its drag lives in the tool; update.rs moves it as the drag intents are carried out.
        vertices::handle(view, state, drag.is_dragging(), ui, response, &input, out);
        return;
    }
    let mut tool = std::mem::take(&mut state.tool);
    match &mut tool {
        Tool::Select { box_start } => select::handle(view, state, response, &input, box_start, out),
        Tool::Draw(points) => draw::handle(view, state, response, &input, points),
        Tool::Vertices(_) => {}
        Tool::Split(points) => split::handle(view, state, response, &input, points, out),
        Tool::AssignBlocks if state.edit_grids => {
            assign_blocks::handle_on_grids(view, state, response, &input, out);
        }
        Tool::AssignBlocks => assign_blocks::handle(view, state, response, &input, out),
        Tool::Measure(points) => measure::handle(view, &state.map, response, &input, points),
        Tool::Office => office::handle(view, state, response, &input, out),
    }
    state.tool = tool;
}

fn paint_tool(view: &ViewCtx, state: &UiState, painter: &egui::Painter, response: &egui::Response) {
    let hover = response.hover_pos();
    let stroke = Stroke::new(2.0, theme::DRAFT.egui());
    let map = &state.map;
    let points_of = |points: &[Coord<f64>]| -> Vec<Pos2> {
        points.iter().map(|point| map.to_screen(*point)).collect()
    };
    match &state.tool {
        Tool::Draw(points) | Tool::Split(points) | Tool::Measure(points) => {
            let mut screen = points_of(points);
            let grids = state.edit_grids && matches!(state.tool, Tool::Split(_));
            let snap = hover.map(|pointer| snapped(view, map, pointer, grids));
            if let Some((at, _)) = snap {
                screen.push(map.to_screen(at));
            }
            if matches!(state.tool, Tool::Draw(_)) && screen.len() >= 3 {
                painter.add(Shape::convex_polygon(
                    screen.clone(),
                    theme::DRAFT.with_alpha(30).egui(),
                    Stroke::NONE,
                ));
            }
            painter.add(Shape::line(screen.clone(), stroke));
            for point in &screen {
                painter.circle_filled(*point, 3.5, theme::DRAFT.egui());
            }
            if let Some((at, Some(kind))) = snap {
                let marker = map.to_screen(at);
                let colour = match kind {
                    SnapKind::CommunityVertex | SnapKind::BlockCorner | SnapKind::GridVertex => {
                        theme::SNAP_VERTEX.egui()
                    }
                    SnapKind::CommunityEdge | SnapKind::Street | SnapKind::GridEdge => {
                        theme::SNAP_EDGE.egui()
                    }
                };
                painter.rect_stroke(
                    egui::Rect::from_center_size(marker, egui::vec2(12.0, 12.0)),
                    0.0,
                    Stroke::new(2.0, colour),
                    egui::StrokeKind::Middle,
                );
            }
            if let Tool::Measure(points) = &state.tool {
                let mut all = points.clone();
                if let Some((at, _)) = snap {
                    all.push(at);
                }
                let (length, _) = measured(&all);
                if let Some(last) = screen.last() {
                    painter.text(
                        *last + egui::vec2(10.0, -10.0),
                        egui::Align2::LEFT_BOTTOM,
                        format!("{length:.1} m"),
                        egui::FontId::proportional(14.0),
                        Color32::BLACK,
                    );
                }
            }
        }
        Tool::Vertices(_) => {
            // Handles on the selected communities' vertices (or all in view when zoomed in).
            let Some(session) = view.session else { return };
            let zoomed_in = map.metres_per_point < 3.0;
            let keys: Vec<_> = if view.selection.is_empty() && zoomed_in {
                session.community_index().meeting(map.visible()).collect()
            } else {
                view.selection.to_vec()
            };
            let handle = |at: Pos2, size: f32, colour: Color32| {
                if map.rect.contains(at) {
                    let square = egui::Rect::from_center_size(at, egui::vec2(size, size));
                    painter.rect_filled(square, 1.0, Color32::WHITE);
                    painter.rect_stroke(
                        square,
                        1.0,
                        Stroke::new(1.5, colour),
                        egui::StrokeKind::Middle,
                    );
                }
            };
            for key in keys {
                let Some(community) = session.plan().community(key) else {
                    continue;
                };
                if state.edit_grids {
                    // Grid corners under the community's own, smaller and in the grids' colour.
                    for grid in &community.properties.grids {
                        for polygon in &grid.boundary {
                            for coord in polygon.exterior().coords().skip(1) {
                                handle(map.to_screen(*coord), 6.0, theme::GRID_BOUNDARY.egui());
                            }
                        }
                    }
                }
                for polygon in &community.boundary {
                    for coord in polygon.exterior().coords().skip(1) {
                        handle(map.to_screen(*coord), 7.0, theme::SELECTED.egui());
                    }
                }
            }
        }
        Tool::Select {
            box_start: Some(start),
        } => {
            if let Some(end) = hover {
                let rect = egui::Rect::from_two_pos(*start, end);
                painter.rect(
                    rect,
                    0.0,
                    theme::DRAFT.with_alpha(25).egui(),
                    Stroke::new(1.0, theme::DRAFT.egui()),
                    egui::StrokeKind::Middle,
                );
            }
        }
        _ => {}
    }
}
