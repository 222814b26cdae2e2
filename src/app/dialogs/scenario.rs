//! Naming a scenario (方案): a new one, a copy of the active scenario, or the active one renamed;
//! and deleting one, which cannot be undone.

use eframe::egui;

use crate::app::context::ViewCtx;
use crate::app::intent::Intent;
use crate::app::state::ScenarioNaming;

/// The name dialog; false once it is closed.
pub fn show_naming(
    view: &ViewCtx,
    ui: &mut egui::Ui,
    naming: &ScenarioNaming,
    (name, focused): (&mut String, &mut bool),
    out: &mut Vec<Intent>,
) -> bool {
    let strings = view.strings;
    let mut keep = true;
    ui.heading(match naming {
        ScenarioNaming::New => strings.new_scenario,
        ScenarioNaming::Rename(_) => strings.rename_scenario,
    });
    if let ScenarioNaming::New = naming {
        ui.label(strings.new_scenario_hint);
    }
    let taken = view.session.is_some_and(|session| {
        session
            .scenario_names()
            .iter()
            .any(|existing| *existing == name.trim())
    });
    let unchanged = matches!(naming, ScenarioNaming::Rename(from) if from == name.trim());
    let submitted = ui
        .horizontal(|ui| {
            let label = ui.label(strings.scenario_name);
            let response = ui.text_edit_singleline(name).labelled_by(label.id);
            // The field has the keyboard when the dialog opens.
            if !*focused {
                response.request_focus();
                *focused = true;
            }
            response.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter))
        })
        .inner;
    let acceptable = !name.trim().is_empty() && (!taken || unchanged);
    if taken && !unchanged {
        ui.colored_label(crate::theme::ERROR.egui(), strings.scenario_name_taken);
    }
    ui.horizontal(|ui| {
        let confirmed = submitted;
        if ui
            .add_enabled(acceptable, egui::Button::new(strings.ok))
            .clicked()
            || (confirmed && acceptable)
        {
            let name = name.trim().to_owned();
            out.push(match naming {
                ScenarioNaming::New => Intent::CreateScenario(name),
                ScenarioNaming::Rename(from) => Intent::RenameScenario {
                    from: from.clone(),
                    to: name,
                },
            });
            keep = false;
        }
        if ui.button(strings.cancel).clicked() {
            keep = false;
        }
    });
    keep
}

/// Asks before deleting a scenario; false once it is closed.
pub fn show_delete(view: &ViewCtx, ui: &mut egui::Ui, name: &str, out: &mut Vec<Intent>) -> bool {
    let strings = view.strings;
    let mut keep = true;
    ui.label(strings.delete_scenario_question.replace("{name}", name));
    ui.horizontal(|ui| {
        if ui.button(strings.delete).clicked() {
            out.push(Intent::DeleteScenario(name.to_owned()));
            keep = false;
        }
        if ui.button(strings.cancel).clicked() {
            keep = false;
        }
    });
    keep
}
