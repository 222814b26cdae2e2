//! The dialogs, one file each, shown one at a time in a modal window. Each `show` draws its
//! dialog and answers whether it stays open.

mod accept;
mod confirm_quit;
mod information;
mod load_warnings;
mod new_community;
pub mod new_plan;
mod recovery;
mod scenario;

use eframe::egui;

use crate::app::context::ViewCtx;
use crate::app::file_dialog::Answer;
use crate::app::intent::Intent;
use crate::app::state::{Dialog, UiState};
use crate::app::tools::kinds::tool_keys_line;

/// The dialog shown, if any.
pub fn show(view: &ViewCtx, state: &mut UiState, ctx: &egui::Context, out: &mut Vec<Intent>) {
    let strings = view.strings;
    if let Some(file_dialog) = &mut state.file_dialog {
        // The built-in file dialog stands in for the system's, which would block the window:
        // the dialog that asked for a file waits, hidden, until it is answered.
        match file_dialog.show(ctx) {
            Answer::Waiting => {}
            Answer::Chosen(path) => {
                out.push(Intent::Chosen(file_dialog.request(), path));
                state.file_dialog = None;
            }
            Answer::Cancelled => state.file_dialog = None,
        }
        return;
    }
    let Some(mut dialog) = state.dialog.take() else {
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
            } => accept::show(view, ui, (key, message), reason, approver, out),
            Dialog::NewCommunity {
                boundary,
                id,
                name,
                kind,
            } => new_community::show(view, ui, boundary, (id, name, kind), out),
            Dialog::ConfirmQuit => confirm_quit::show(view, state, ui, out),
            Dialog::LoadWarnings => load_warnings::show(view, ui),
            Dialog::OfferRecovery { recovery } => recovery::show(view, ui, recovery, out),
            Dialog::NewPlan(draft) => new_plan::show(view, &mut state.loading, ui, draft, out),
            Dialog::Shortcuts => information::show(
                ui,
                strings.shortcuts,
                &format!("{}\n{}", tool_keys_line(strings), strings.shortcuts_text),
                strings.ok,
            ),
            Dialog::About => information::show(ui, strings.about, strings.about_text, strings.ok),
            Dialog::NameScenario {
                naming,
                name,
                focused,
            } => scenario::show_naming(view, ui, naming, (name, focused), out),
            Dialog::DeleteScenario { name } => scenario::show_delete(view, ui, name, out),
        };
    });
    if keep && state.dialog.is_none() {
        state.dialog = Some(dialog);
    }
}
