//! Accepting a violation as it stands: a reason and an approver, dated today.

use eframe::egui;
use shequ_core::edit::Command;
use shequ_core::format::today;
use shequ_core::violation::ViolationKey;

use crate::app::ShequApp;
use crate::app::intent::Intent;

/// The dialog; false once it is closed.
pub fn show(
    app: &mut ShequApp,
    ui: &mut egui::Ui,
    key: &ViolationKey,
    message: &str,
    reason: &mut String,
    approver: &mut String,
) -> bool {
    let strings = app.strings();
    let mut keep = true;
    ui.heading(strings.accept_violation);
    ui.label(message);
    let label = ui.label(strings.reason);
    ui.add(egui::TextEdit::multiline(reason).desired_rows(2))
        .labelled_by(label.id);
    let label = ui.label(strings.approver);
    ui.text_edit_singleline(approver).labelled_by(label.id);
    ui.horizontal(|ui| {
        let ready = !reason.trim().is_empty() && !approver.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new(strings.ok))
            .clicked()
        {
            let command = Command::Accept {
                key: key.clone(),
                reason: reason.clone(),
                approver: approver.clone(),
                date: today(),
            };
            app.apply(Intent::Edit(command));
            keep = false;
        }
        if ui.button(strings.cancel).clicked() {
            keep = false;
        }
    });
    keep
}
