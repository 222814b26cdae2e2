//! The menu bar: File, Edit, View, Help.

use eframe::egui::{self};

use crate::app::i18n::Language;
use crate::app::intent::Intent;
use crate::app::{Dialog, ShequApp};

use super::*;

/// File, Edit, View, Help, and the language switch at the right.
pub fn menu_bar(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(strings.file, |ui| file_menu(app, ui));
            ui.menu_button(strings.edit, |ui| edit_menu(app, ui));
            ui.menu_button(strings.view, |ui| view_menu(app, ui));
            ui.menu_button(strings.help, |ui| help_menu(app, ui));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let other = match app.preferences.language {
                    Language::Chinese => (Language::English, "English"),
                    Language::English => (Language::Chinese, "中文"),
                };
                if ui.button(other.1).on_hover_text(strings.language).clicked() {
                    app.preferences.language = other.0;
                }
            });
        });
    });
}

/// New, open, recent, save, save as, export, quit.
fn file_menu(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    if ui.button(strings.new_plan_from_layers).clicked() {
        app.new_plan_dialog();
    }
    if ui.button(strings.open_plan).clicked() {
        app.open_dialog();
    }
    ui.menu_button(strings.open_recent, |ui| {
        for path in app.preferences.recent.clone() {
            if ui.button(path.display().to_string()).clicked() {
                app.open(&path);
            }
        }
    });
    ui.separator();
    if ui
        .add_enabled(
            app.session.is_some(),
            egui::Button::new(strings.save).shortcut_text("Ctrl+S"),
        )
        .clicked()
    {
        app.save();
    }
    if ui
        .add_enabled(app.session.is_some(), egui::Button::new(strings.save_as))
        .clicked()
    {
        app.save_as();
    }
    if ui
        .add_enabled(
            app.session.is_some(),
            egui::Button::new(strings.export_for_approval),
        )
        .clicked()
    {
        app.export_dialog();
    }
    ui.separator();
    if ui.button(strings.quit).clicked() {
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// Undo and redo, named by their steps in the interface's language; delete; accept.
fn edit_menu(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    let (undo, redo) = app
        .session
        .as_ref()
        .map(|session| {
            let language = app.preferences.language;
            (
                session
                    .history()
                    .undo_step()
                    .map(|step| step.describe(language)),
                session
                    .history()
                    .redo_step()
                    .map(|step| step.describe(language)),
            )
        })
        .unwrap_or_default();
    if ui
        .add_enabled(
            undo.is_some(),
            egui::Button::new(format!("{} {}", strings.undo, undo.unwrap_or_default()))
                .shortcut_text("Ctrl+Z"),
        )
        .clicked()
    {
        app.apply(Intent::Undo);
    }
    if ui
        .add_enabled(
            redo.is_some(),
            egui::Button::new(format!("{} {}", strings.redo, redo.unwrap_or_default()))
                .shortcut_text("Ctrl+Shift+Z"),
        )
        .clicked()
    {
        app.apply(Intent::Redo);
    }
    if ui
        .add_enabled(
            !app.selection.is_empty(),
            egui::Button::new(strings.delete).shortcut_text("Del"),
        )
        .clicked()
    {
        app.delete_selection();
    }
    if ui
        .add_enabled(
            app.highlighted.is_some(),
            egui::Button::new(strings.accept_violation),
        )
        .clicked()
    {
        open_accept_dialog(app);
    }
}

/// Layers, zoom, language.
fn view_menu(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    ui.menu_button(strings.layers, |ui| layer_checkboxes(app, ui));
    if ui
        .add(egui::Button::new(strings.zoom_to_all).shortcut_text("Home"))
        .clicked()
        && let Some(session) = &app.session
    {
        app.map.fit_all(session);
    }
    if ui
        .add_enabled(
            !app.selection.is_empty(),
            egui::Button::new(strings.zoom_to_selection),
        )
        .clicked()
    {
        app.zoom_to_selection();
    }
    ui.menu_button(strings.language, |ui| {
        ui.radio_value(&mut app.preferences.language, Language::Chinese, "中文");
        ui.radio_value(&mut app.preferences.language, Language::English, "English");
    });
}

/// Shortcuts and About.
fn help_menu(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    if ui.button(strings.shortcuts).clicked() {
        app.dialog = Some(Dialog::Shortcuts);
    }
    if ui.button(strings.about).clicked() {
        app.dialog = Some(Dialog::About);
    }
}

pub(crate) fn layer_checkboxes(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    let layers = &mut app.map.layers;
    ui.checkbox(&mut layers.buildings, strings.buildings);
    ui.checkbox(&mut layers.streets, strings.streets);
    ui.checkbox(&mut layers.blocks, strings.blocks);
    ui.checkbox(&mut layers.communities, strings.communities);
    ui.checkbox(&mut layers.street_offices, strings.street_offices);
    ui.checkbox(&mut layers.labels, strings.labels);
    ui.radio_value(
        &mut app.map.colour_by_street_office,
        false,
        strings.colour_by_band,
    );
    ui.radio_value(
        &mut app.map.colour_by_street_office,
        true,
        strings.colour_by_street_office,
    );
}
