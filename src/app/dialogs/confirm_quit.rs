//! Quitting with unsaved changes: save and quit, quit without saving, or stay.

use eframe::egui;

use crate::app::context::ViewCtx;
use crate::app::intent::Intent;
use crate::app::state::UiState;

/// The dialog; false once it is closed.
pub fn show(view: &ViewCtx, state: &mut UiState, ui: &mut egui::Ui, out: &mut Vec<Intent>) -> bool {
    let strings = view.strings;
    let mut keep = true;
    ui.label(strings.unsaved_changes);
    ui.horizontal(|ui| {
        if ui.button(strings.save_and_quit).clicked() {
            // Saved at the end of this frame, before the window closes.
            out.push(Intent::Save);
            state.quit_confirmed = true;
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            keep = false;
        }
        if ui.button(strings.quit_without_saving).clicked() {
            state.quit_confirmed = true;
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            keep = false;
        }
        if ui.button(strings.cancel).clicked() {
            keep = false;
        }
    });
    keep
}
