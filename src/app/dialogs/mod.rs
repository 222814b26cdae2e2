//! The dialogs, one file each, shown one at a time in a modal window. Each `show` draws its
//! dialog and answers whether it stays open.

mod accept;
mod confirm_quit;
mod information;
mod new_community;
pub mod new_plan;
mod recovery;

use eframe::egui;

use crate::app::{Dialog, ShequApp};

/// The dialog shown, if any.
pub fn show(app: &mut ShequApp, ctx: &egui::Context) {
    let strings = app.strings();
    let Some(mut dialog) = app.dialog.take() else {
        return;
    };
    let mut keep = true;
    egui::Modal::new(egui::Id::unique("dialog")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        keep = match &mut dialog {
            Dialog::Accept {
                key,
                message,
                reason,
                approver,
            } => accept::show(app, ui, key, message, reason, approver),
            Dialog::NewCommunity {
                boundary,
                id,
                name,
                kind,
            } => new_community::show(app, ui, boundary, id, name, kind),
            Dialog::ConfirmQuit => confirm_quit::show(app, ui),
            Dialog::OfferRecovery { recovery } => recovery::show(app, ui, recovery),
            Dialog::NewPlan(draft) => new_plan::show(app, ui, draft),
            Dialog::Shortcuts => information::show(
                ui,
                strings.shortcuts,
                &format!(
                    "{}\n{}",
                    crate::app::tools::tool_keys_line(strings),
                    strings.shortcuts_text
                ),
                strings.ok,
            ),
            Dialog::About => information::show(ui, strings.about, strings.about_text, strings.ok),
        };
    });
    if keep && app.dialog.is_none() {
        app.dialog = Some(dialog);
    }
}
