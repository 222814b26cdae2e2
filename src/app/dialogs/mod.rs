//! The dialogs, shown one at a time in a modal window.

pub mod new_plan;

use eframe::egui::{self};
use shequ_core::edit::Command;
use shequ_core::format::today;
use shequ_core::plan::{Community, CommunityType};

use crate::app::intent::Intent;
use crate::app::{Dialog, ShequApp};

use crate::app::panels::type_name;

/// The dialog shown, if any.
pub fn show(app: &mut ShequApp, ctx: &egui::Context) {
    let strings = app.strings();
    let Some(mut dialog) = app.dialog.take() else {
        return;
    };
    let mut keep = true;
    egui::Modal::new(egui::Id::unique("dialog")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        match &mut dialog {
            Dialog::Accept {
                key,
                message,
                reason,
                approver,
            } => {
                ui.heading(strings.accept_violation);
                ui.label(message.as_str());
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
            }
            Dialog::NewCommunity {
                boundary,
                id,
                name,
                kind,
            } => {
                ui.heading(strings.new_community);
                egui::Grid::new("new community")
                    .num_columns(2)
                    .show(ui, |ui| {
                        let label = ui.label(strings.community_id);
                        ui.text_edit_singleline(id).labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label(strings.name);
                        ui.text_edit_singleline(name).labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label(strings.community_type);
                        egui::ComboBox::from_id_salt("new type")
                            .selected_text(type_name(app, *kind))
                            .show_ui(ui, |ui| {
                                for option in CommunityType::ALL {
                                    ui.selectable_value(kind, option, type_name(app, option));
                                }
                            })
                            .response
                            .labelled_by(label.id);
                        ui.end_row();
                    });
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(
                            !id.trim().is_empty() && !name.trim().is_empty(),
                            egui::Button::new(strings.create),
                        )
                        .clicked()
                    {
                        let office = app
                            .selection
                            .first()
                            .and_then(|key| app.session.as_ref()?.plan().community(*key))
                            .and_then(|community| community.street_office.clone());
                        let community = Community {
                            street_office: office,
                            ..Community::new(id.trim(), name.trim(), *kind, boundary.clone())
                        };
                        app.apply(Intent::Edit(Command::Create {
                            community: Box::new(community),
                            avoid_overlap: true,
                        }));
                        keep = false;
                    }
                    if ui.button(strings.cancel).clicked() {
                        keep = false;
                    }
                });
            }
            Dialog::ConfirmQuit => {
                ui.label(strings.unsaved_changes);
                ui.horizontal(|ui| {
                    if ui.button(strings.save_and_quit).clicked() {
                        app.save();
                        app.quit_confirmed = true;
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                        keep = false;
                    }
                    if ui.button(strings.quit_without_saving).clicked() {
                        app.quit_confirmed = true;
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                        keep = false;
                    }
                    if ui.button(strings.cancel).clicked() {
                        keep = false;
                    }
                });
            }
            Dialog::OfferRecovery { recovery } => {
                ui.label(strings.restore_recovery);
                ui.label(recovery.display().to_string());
                ui.horizontal(|ui| {
                    if ui.button(strings.restore).clicked() {
                        app.apply(Intent::RestoreRecovery(recovery.clone()));
                        keep = false;
                    }
                    if ui.button(strings.discard).clicked() {
                        let _ = std::fs::remove_file(&*recovery);
                        keep = false;
                    }
                });
            }
            Dialog::NewPlan(draft) => keep = new_plan::show(app, ui, draft),
            Dialog::Shortcuts => {
                ui.heading(strings.shortcuts);
                ui.label(crate::app::tools::tool_keys_line(strings));
                ui.label(strings.shortcuts_text);
                if ui.button(strings.ok).clicked() {
                    keep = false;
                }
            }
            Dialog::About => {
                ui.heading(strings.about);
                ui.label(strings.about_text);
                if ui.button(strings.ok).clicked() {
                    keep = false;
                }
            }
        }
    });
    if keep && app.dialog.is_none() {
        app.dialog = Some(dialog);
    }
}
