//! A recovery file beside the plan, offered back: restore its edits (unsaved), or discard it.

use std::path::PathBuf;

use eframe::egui;

use crate::app::context::ViewCtx;
use crate::app::intent::Intent;

/// The dialog; false once it is closed.
pub fn show(view: &ViewCtx, ui: &mut egui::Ui, recovery: &PathBuf, out: &mut Vec<Intent>) -> bool {
    let strings = view.strings;
    let mut keep = true;
    ui.label(strings.restore_recovery);
    ui.label(recovery.display().to_string());
    ui.horizontal(|ui| {
        if ui.button(strings.restore).clicked() {
            out.push(Intent::RestoreRecovery(recovery.clone()));
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
