//! Quitting with unsaved changes: save and quit, quit without saving, or stay.

use eframe::egui;

use crate::app::ShequApp;

/// The dialog; false once it is closed.
pub fn show(app: &mut ShequApp, ui: &mut egui::Ui) -> bool {
    let strings = app.strings();
    let mut keep = true;
    ui.label(strings.unsaved_changes);
    ui.horizontal(|ui| {
        if ui.button(strings.save_and_quit).clicked() {
            app.save();
            app.quit_confirmed = true;
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            keep = false;
        }
        if ui.button(strings.quit_without_saving).clicked() {
            app.quit_confirmed = true;
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            keep = false;
        }
        if ui.button(strings.cancel).clicked() {
            keep = false;
        }
    });
    keep
}
