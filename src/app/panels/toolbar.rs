//! The toolbar: the tools with their shortcuts, undo and redo, merge and delete.

use eframe::egui::{self, RichText};

use crate::app::ShequApp;
use crate::app::intent::Intent;
use crate::app::tools::TOOLS;

/// The tools, with their shortcuts.
pub fn toolbar(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    egui::Panel::top("toolbar").show(ui, |ui| {
        ui.horizontal(|ui| {
            for entry in &TOOLS {
                let active = app.tool.kind() == entry.kind;
                if ui
                    .selectable_label(active, (entry.name)(strings))
                    .on_hover_text(format!("{} ({})", (entry.hint)(strings), entry.key.name()))
                    .clicked()
                {
                    app.tool = entry.kind.start();
                }
            }
            ui.separator();
            if ui
                .add_enabled(
                    app.selection.len() >= 2,
                    egui::Button::new(strings.tool_merge),
                )
                .on_hover_text("M")
                .clicked()
            {
                app.merge_selection();
            }
            let can_undo = app
                .session
                .as_ref()
                .is_some_and(|session| session.history().undo_step().is_some());
            let can_redo = app
                .session
                .as_ref()
                .is_some_and(|session| session.history().redo_step().is_some());
            if ui
                .add_enabled(can_undo, egui::Button::new(strings.undo))
                .on_hover_text("Ctrl+Z")
                .clicked()
            {
                app.apply(Intent::Undo);
            }
            if ui
                .add_enabled(can_redo, egui::Button::new(strings.redo))
                .on_hover_text("Ctrl+Shift+Z")
                .clicked()
            {
                app.apply(Intent::Redo);
            }
            ui.separator();
            let hint = (app.tool.kind().entry().hint)(strings);
            ui.label(RichText::new(hint).weak());
        });
    });
}
