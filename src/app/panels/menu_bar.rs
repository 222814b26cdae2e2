//! The menu bar: File, Edit, View, Help.

use eframe::egui::{self};

use crate::app::comparison::CompareAgainst;
use crate::app::context::ViewCtx;
use crate::app::file_dialog::FileRequest;
use crate::app::i18n::Language;
use crate::app::intent::Intent;
use crate::app::state::{Dialog, ScenarioNaming, UiState};

use super::violations::open_accept_dialog;
use super::widgets::layer_checkboxes;

/// File, Edit, View, Help, and the language switch at the right.
pub fn menu_bar(view: &ViewCtx, state: &mut UiState, ui: &mut egui::Ui, out: &mut Vec<Intent>) {
    let strings = view.strings;
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(strings.file, |ui| file_menu(view, ui, out));
            ui.menu_button(strings.edit, |ui| edit_menu(view, state, ui, out));
            ui.menu_button(strings.view, |ui| view_menu(view, state, ui, out));
            ui.menu_button(strings.scenario_menu, |ui| {
                scenario_menu(view, state, ui, out)
            });
            ui.menu_button(strings.compare_menu, |ui| compare_menu(view, ui, out));
            ui.menu_button(strings.help, |ui| help_menu(view, state, ui));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let other = match view.language {
                    Language::Chinese => (Language::English, "English"),
                    Language::English => (Language::Chinese, "中文"),
                };
                if ui.button(other.1).on_hover_text(strings.language).clicked() {
                    out.push(Intent::SetLanguage(other.0));
                }
            });
        });
    });
}

/// The plan's scenarios to switch between; new (a copy), rename, delete; the automatic
/// partition.
fn scenario_menu(view: &ViewCtx, state: &mut UiState, ui: &mut egui::Ui, out: &mut Vec<Intent>) {
    let strings = view.strings;
    let Some(session) = view.session else {
        ui.label(strings.nothing_selected);
        return;
    };
    let active = session.scenario_name();
    for name in session.scenario_names() {
        if ui.radio(name == active, name).clicked() && name != active {
            out.push(Intent::SwitchScenario(name.to_owned()));
        }
    }
    ui.separator();
    if ui.button(strings.new_scenario_item).clicked() {
        state.dialog = Some(Dialog::NameScenario {
            naming: ScenarioNaming::New,
            name: next_scenario_name(&session.scenario_names(), view.language),
            focused: false,
        });
    }
    if ui.button(strings.rename_scenario_item).clicked() {
        state.dialog = Some(Dialog::NameScenario {
            naming: ScenarioNaming::Rename(active.to_owned()),
            name: active.to_owned(),
            focused: false,
        });
    }
    if ui
        .add_enabled(
            session.scenario_names().len() > 1,
            egui::Button::new(strings.delete_scenario_item),
        )
        .clicked()
    {
        state.dialog = Some(Dialog::DeleteScenario {
            name: active.to_owned(),
        });
    }
    ui.separator();
    if ui.button(strings.partition_item).clicked() && state.partition.is_none() {
        state.partition = Some(crate::app::state::PartitionWindow {
            seed: 1,
            ..Default::default()
        });
    }
    if ui
        .add_enabled(
            state.drawing_grids.is_none(),
            egui::Button::new(strings.grids_item),
        )
        .on_hover_text(strings.grids_hint)
        .clicked()
    {
        out.push(Intent::DrawGrids);
    }
}

/// "方案二", "方案三"… (or "Scenario 2"…): the first such name not taken.
fn next_scenario_name(taken: &[&str], language: Language) -> String {
    const CHINESE_NUMBERS: [&str; 9] = ["二", "三", "四", "五", "六", "七", "八", "九", "十"];
    (2..)
        .map(|number: usize| match language {
            Language::Chinese => CHINESE_NUMBERS
                .get(number - 2)
                .map_or_else(|| format!("方案{number}"), |word| format!("方案{word}")),
            Language::English => format!("Scenario {number}"),
        })
        .find(|name| !taken.contains(&name.as_str()))
        .unwrap_or_default()
}

/// Compare with the plan as opened, as last saved, or another plan file; end the comparison.
fn compare_menu(view: &ViewCtx, ui: &mut egui::Ui, out: &mut Vec<Intent>) {
    let strings = view.strings;
    let open = view.session.is_some();
    let saved = view
        .session
        .is_some_and(|session| session.plan_path().is_some());
    if ui
        .add_enabled(open, egui::Button::new(strings.compare_with_opened))
        .clicked()
    {
        out.push(Intent::Compare(CompareAgainst::Opened));
    }
    if ui
        .add_enabled(saved, egui::Button::new(strings.compare_with_saved))
        .clicked()
    {
        out.push(Intent::Compare(CompareAgainst::Saved));
    }
    if ui
        .add_enabled(open, egui::Button::new(strings.compare_with_file))
        .clicked()
    {
        out.push(Intent::Choose(FileRequest::CompareWith));
    }
    let others: Vec<&str> = view
        .session
        .map(|session| {
            let active = session.scenario_name();
            session
                .scenario_names()
                .into_iter()
                .filter(|name| *name != active)
                .collect()
        })
        .unwrap_or_default();
    ui.add_enabled_ui(!others.is_empty(), |ui| {
        ui.menu_button(strings.compare_with_scenario, |ui| {
            for name in others {
                if ui.button(name).clicked() {
                    out.push(Intent::Compare(CompareAgainst::Scenario(name.to_owned())));
                }
            }
        });
    });
    ui.separator();
    if ui
        .add_enabled(
            view.comparison.is_some(),
            egui::Button::new(strings.end_comparison),
        )
        .clicked()
    {
        out.push(Intent::EndComparison);
    }
}

/// New, open, recent, save, save as, export, quit.
fn file_menu(view: &ViewCtx, ui: &mut egui::Ui, out: &mut Vec<Intent>) {
    let strings = view.strings;
    if ui.button(strings.new_plan_from_layers).clicked() {
        out.push(Intent::ChooseLayersForNewPlan);
    }
    if ui.button(strings.open_plan).clicked() {
        out.push(Intent::Choose(FileRequest::OpenPlan));
    }
    ui.menu_button(strings.open_recent, |ui| {
        for path in view.recent {
            if ui.button(path.display().to_string()).clicked() {
                out.push(Intent::Open(path.clone()));
            }
        }
    });
    ui.separator();
    if ui
        .add_enabled(
            view.session.is_some(),
            egui::Button::new(strings.save).shortcut_text("Ctrl+S"),
        )
        .clicked()
    {
        out.push(Intent::Save);
    }
    if ui
        .add_enabled(view.session.is_some(), egui::Button::new(strings.save_as))
        .clicked()
    {
        out.push(Intent::Choose(FileRequest::SavePlan));
    }
    if ui
        .add_enabled(
            view.session.is_some(),
            egui::Button::new(strings.export_for_approval),
        )
        .clicked()
    {
        out.push(Intent::Choose(FileRequest::ExportFolder));
    }
    if ui
        .add_enabled(
            view.session.is_some(),
            egui::Button::new(strings.print_preview).shortcut_text("Ctrl+P"),
        )
        .clicked()
    {
        out.push(Intent::OpenPrintPreview);
    }
    ui.separator();
    if ui.button(strings.quit).clicked() {
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// Undo and redo, named by their steps in the interface's language; delete; accept.
fn edit_menu(view: &ViewCtx, state: &mut UiState, ui: &mut egui::Ui, out: &mut Vec<Intent>) {
    let strings = view.strings;
    let (undo, redo) = view
        .session
        .map(|session| {
            let language = view.language;
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
        out.push(Intent::Undo);
    }
    if ui
        .add_enabled(
            redo.is_some(),
            egui::Button::new(format!("{} {}", strings.redo, redo.unwrap_or_default()))
                .shortcut_text("Ctrl+Shift+Z"),
        )
        .clicked()
    {
        out.push(Intent::Redo);
    }
    if ui
        .add_enabled(
            !view.selection.is_empty(),
            egui::Button::new(strings.delete).shortcut_text("Del"),
        )
        .clicked()
    {
        out.push(Intent::DeleteSelection);
    }
    if ui
        .add_enabled(
            state.highlighted.is_some(),
            egui::Button::new(strings.accept_violation),
        )
        .clicked()
    {
        open_accept_dialog(view, state);
    }
    ui.separator();
    if ui
        .add_enabled(
            view.session.is_some(),
            egui::Button::new(strings.open_change_log),
        )
        .clicked()
    {
        out.push(Intent::OpenChangeLog);
    }
}

/// Layers, zoom, language.
fn view_menu(view: &ViewCtx, state: &mut UiState, ui: &mut egui::Ui, out: &mut Vec<Intent>) {
    let strings = view.strings;
    ui.menu_button(strings.layers, |ui| {
        layer_checkboxes(view, &mut state.map, ui)
    });
    if ui
        .add(egui::Button::new(strings.zoom_to_all).shortcut_text("Home"))
        .clicked()
        && let Some(session) = view.session
    {
        state.map.fit_all(session);
    }
    if ui
        .add_enabled(
            !view.selection.is_empty(),
            egui::Button::new(strings.zoom_to_selection),
        )
        .clicked()
    {
        out.push(Intent::ZoomToSelection);
    }
    if ui
        .add_enabled(
            view.session.is_some(),
            egui::Button::new(strings.open_charts),
        )
        .clicked()
        && state.charts.is_none()
    {
        state.charts = Some(Default::default());
    }
    let mut built_in = view.built_in_file_dialog;
    if ui
        .checkbox(&mut built_in, strings.use_built_in_file_dialog)
        .on_hover_text(strings.use_built_in_file_dialog_hint)
        .changed()
    {
        out.push(Intent::SetBuiltInFileDialog(built_in));
    }
    ui.menu_button(strings.language, |ui| {
        let mut language = view.language;
        ui.radio_value(&mut language, Language::Chinese, "中文");
        ui.radio_value(&mut language, Language::English, "English");
        if language != view.language {
            out.push(Intent::SetLanguage(language));
        }
    });
}

/// Shortcuts and About.
fn help_menu(view: &ViewCtx, state: &mut UiState, ui: &mut egui::Ui) {
    let strings = view.strings;
    if ui.button(strings.shortcuts).clicked() {
        state.dialog = Some(Dialog::Shortcuts);
    }
    if ui.button(strings.about).clicked() {
        state.dialog = Some(Dialog::About);
    }
}
