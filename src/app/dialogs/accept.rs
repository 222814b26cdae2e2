//! Accepting a violation as it stands: a reason and an approver, dated today.

use eframe::egui;
use shequ_core::edit::Command;
use shequ_core::format::today;
use shequ_core::violation::ViolationKey;

use crate::app::context::ViewCtx;
use crate::app::intent::Intent;

/// The dialog on the violation `key` that reads `message`; false once it is closed.
pub fn show(
    view: &ViewCtx,
    ui: &mut egui::Ui,
    (key, message): (&ViolationKey, &str),
    reason: &mut String,
    approver: &mut String,
    out: &mut Vec<Intent>,
) -> bool {
    let strings = view.strings;
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
            out.push(Intent::Edit(command));
            keep = false;
        }
        if ui.button(strings.cancel).clicked() {
            keep = false;
        }
    });
    keep
}
