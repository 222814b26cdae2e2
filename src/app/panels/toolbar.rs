//! The toolbar: the tools with their shortcuts, undo and redo, merge and delete, and the search
//! box.

use eframe::egui::{self, RichText};
use shequ_core::format::grouped;

use super::search_box::search_box;
use crate::app::context::ViewCtx;
use crate::app::intent::Intent;
use crate::app::state::UiState;
use crate::app::tools::kinds::{TOOLS, ToolKind};
use crate::theme;

/// The tools, with their shortcuts.
pub fn toolbar(view: &ViewCtx, state: &mut UiState, ui: &mut egui::Ui, out: &mut Vec<Intent>) {
    let strings = view.strings;
    egui::Panel::top("toolbar").show(ui, |ui| {
        ui.horizontal(|ui| {
            for entry in &TOOLS {
                let active = state.tool.kind() == entry.kind;
                if ui
                    .selectable_label(active, (entry.name)(strings))
                    .on_hover_text(format!("{} ({})", (entry.hint)(strings), entry.key.name()))
                    .clicked()
                {
                    state.tool = entry.kind.start();
                }
            }
            grid_switch(view, state, ui);
            ui.separator();
            if ui
                .add_enabled(
                    view.selection.len() >= 2,
                    egui::Button::new(strings.tool_merge),
                )
                .on_hover_ui(|ui| merge_preview(view, ui))
                .clicked()
            {
                out.push(Intent::MergeSelection);
            }
            let can_undo = view
                .session
                .is_some_and(|session| session.history().undo_step().is_some());
            let can_redo = view
                .session
                .is_some_and(|session| session.history().redo_step().is_some());
            if ui
                .add_enabled(can_undo, egui::Button::new(strings.undo))
                .on_hover_text("Ctrl+Z")
                .clicked()
            {
                out.push(Intent::Undo);
            }
            if ui
                .add_enabled(can_redo, egui::Button::new(strings.redo))
                .on_hover_text("Ctrl+Shift+Z")
                .clicked()
            {
                out.push(Intent::Redo);
            }
            ui.separator();
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                search_box(view, &mut state.search, ui, out);
                ui.separator();
                scenario_switch(view, ui, out);
                let hint = match state.tool.kind() {
                    ToolKind::AssignBlocks if state.edit_grids => strings.grid_blocks_hint,
                    ToolKind::Split if state.edit_grids => strings.grid_split_hint,
                    ToolKind::Vertices if state.edit_grids => strings.grid_vertices_hint,
                    kind => (kind.entry().hint)(strings),
                };
                ui.add(egui::Label::new(RichText::new(hint).weak()).truncate());
            });
        });
    });
}

/// 编辑网格: while on, the vertex, split and blocks tools work on grids. Shown once the plan has
/// grids; turned off when it has none left.
fn grid_switch(view: &ViewCtx, state: &mut UiState, ui: &mut egui::Ui) {
    if !has_grids(view) {
        state.edit_grids = false;
        return;
    }
    ui.separator();
    let strings = view.strings;
    if ui
        .toggle_value(&mut state.edit_grids, strings.grid_mode)
        .on_hover_text(format!("{} (G)", strings.grid_mode_hint))
        .changed()
    {
        grids_edited(state);
    }
}

/// True when some community of the plan has grids.
pub fn has_grids(view: &ViewCtx) -> bool {
    view.session.is_some_and(|session| {
        session
            .plan()
            .communities()
            .any(|(_, community)| !community.properties.grids.is_empty())
    })
}

/// After 编辑网格 is switched: the grids shown while they are edited, and no stroke carried over.
pub fn grids_edited(state: &mut UiState) {
    if state.edit_grids {
        state.map.layers.grids = true;
    }
    state.grid_brush = None;
}

/// The active scenario, and the others to switch to: its label, then the list, left to right
/// in a place of their own in the right-to-left part of the toolbar.
fn scenario_switch(view: &ViewCtx, ui: &mut egui::Ui, out: &mut Vec<Intent>) {
    const WIDTH: f32 = 210.0;
    let Some(session) = view.session else { return };
    let active = session.scenario_name();
    let height = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(
        egui::vec2(WIDTH, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            let label = ui.label(view.strings.scenario_label);
            egui::ComboBox::from_id_salt("scenario switch")
                .selected_text(active)
                .width(WIDTH - label.rect.width() - 2.0 * ui.spacing().item_spacing.x)
                .show_ui(ui, |ui| {
                    for name in session.scenario_names() {
                        if ui.selectable_label(name == active, name).clicked() && name != active {
                            out.push(Intent::SwitchScenario(name.to_owned()));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        },
    );
    ui.separator();
}

/// What the merge would give, shown before it is made: the merged community's figures, or why
/// the merge would be refused.
fn merge_preview(view: &ViewCtx, ui: &mut egui::Ui) {
    let strings = view.strings;
    ui.label(format!("{} (M)", strings.tool_merge));
    let Some(session) = view.session else { return };
    if view.selection.len() < 2 {
        return;
    }
    match session.merge_preview(view.selection) {
        Ok(tally) => {
            ui.label(
                strings
                    .merged_figures
                    .replace("{households}", &grouped(tally.households))
                    .replace("{residents}", &grouped(tally.residents))
                    .replace("{buildings}", &grouped(u64::from(tally.buildings))),
            );
        }
        Err(refusal) => {
            ui.label(RichText::new(refusal.describe(view.language)).color(theme::ERROR.egui()));
        }
    }
}
