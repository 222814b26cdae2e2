//! A recovery file beside the plan, offered back: restore its edits (unsaved), or discard it.

use std::path::PathBuf;

use eframe::egui;

use crate::app::ShequApp;
use crate::app::intent::Intent;

/// The dialog; false once it is closed.
pub fn show(app: &mut ShequApp, ui: &mut egui::Ui, recovery: &PathBuf) -> bool {
    let strings = app.strings();
    let mut keep = true;
    ui.label(strings.restore_recovery);
    ui.label(recovery.display().to_string());
    ui.horizontal(|ui| {
        if ui.button(strings.restore).clicked() {
            app.apply(Intent::RestoreRecovery(recovery.clone()));
            keep = false;
        }
        if ui.button(strings.discard).clicked() {
            // Already gone is as good as removed.
            std::fs::remove_file(recovery).ok();
            keep = false;
        }
    });
    keep
}
