//! The automatic partition window (方案 → 自动划分…): the ground (a street office or every one)
//! and the seed; once computed, the partition's figures and communities, its boundaries dashed
//! on the map; applied to this scenario as one undo step, or kept as a new scenario.

use std::collections::BTreeSet;

use eframe::egui::{self, RichText};
use shequ_core::format::{grouped, percent};

use crate::app::context::ViewCtx;
use crate::app::intent::Intent;
use crate::app::state::UiState;
use crate::theme;

/// The partition window, while open.
pub fn partition_window(
    view: &ViewCtx,
    state: &mut UiState,
    ctx: &egui::Context,
    out: &mut Vec<Intent>,
) {
    let (Some(window), Some(session)) = (&mut state.partition, view.session) else {
        return;
    };
    let strings = view.strings;
    let working = match window.working.as_ref().map(|slot| slot.get()) {
        Some(Some(done)) => {
            window.result = Some(done.clone());
            window.working = None;
            false
        }
        Some(None) => {
            // Looked at again shortly: the background work does not wake the window itself.
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
            true
        }
        None => false,
    };
    // A partition worked out for another state of the plan no longer holds.
    let current = window
        .result
        .as_ref()
        .is_some_and(|(generation, _)| *generation == session.generation());
    let mut open = true;
    let mut close = false;
    egui::Window::new(strings.partition_title)
        .id(egui::Id::unique("partition window"))
        .open(&mut open)
        .default_width(460.0)
        .show(ctx, |ui| {
            ui.label(RichText::new(strings.partition_hint).weak());
            ui.separator();
            let offices: BTreeSet<&str> = session
                .plan()
                .communities()
                .filter_map(|(_, community)| community.properties.street_office.as_deref())
                .collect();
            egui::Grid::new("partition choices")
                .num_columns(2)
                .show(ui, |ui| {
                    let label = ui.label(strings.partition_ground);
                    egui::ComboBox::from_id_salt("partition ground")
                        .selected_text(
                            window
                                .street_office
                                .as_deref()
                                .unwrap_or(strings.partition_all_offices),
                        )
                        .show_ui(ui, |ui| {
                            ui.selectable_value(
                                &mut window.street_office,
                                None,
                                strings.partition_all_offices,
                            );
                            for office in &offices {
                                ui.selectable_value(
                                    &mut window.street_office,
                                    Some((*office).to_owned()),
                                    *office,
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label(strings.partition_seed);
                    ui.add(egui::DragValue::new(&mut window.seed))
                        .labelled_by(label.id);
                    ui.end_row();
                });
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!working, egui::Button::new(strings.partition_compute))
                    .clicked()
                {
                    out.push(Intent::ComputePartition);
                }
                if working {
                    ui.spinner();
                    ui.label(RichText::new(strings.partition_working).weak());
                }
            });
            let Some((_, result)) = &window.result else {
                return;
            };
            ui.separator();
            if !current {
                ui.label(strings.partition_out_of_date);
                return;
            }
            let made = match result {
                Ok(made) => made,
                Err(reason) => {
                    ui.colored_label(theme::ERROR.egui(), reason);
                    return;
                }
            };
            let report = &made.report;
            egui::Grid::new("partition figures")
                .num_columns(2)
                .show(ui, |ui| {
                    let rows = [
                        (
                            strings.partition_communities,
                            format!(
                                "{} → {}",
                                report.communities_before,
                                report.communities.len()
                            ),
                        ),
                        (
                            strings.partition_within_band,
                            percent(report.share_within_band),
                        ),
                        (
                            strings.partition_compactness,
                            format!("{:.2}", report.mean_polsby_popper),
                        ),
                        (
                            strings.partition_on_streets,
                            percent(report.share_on_streets),
                        ),
                        (
                            strings.partition_households_moved,
                            format!(
                                "{} / {}",
                                grouped(report.households_moved),
                                grouped(report.households)
                            ),
                        ),
                        (strings.partition_kept, report.kept.len().to_string()),
                    ];
                    for (label, value) in rows {
                        ui.label(label);
                        ui.label(value);
                        ui.end_row();
                    }
                });
            ui.horizontal(|ui| {
                if ui.button(strings.partition_apply).clicked() {
                    out.push(Intent::Edit(made.command.clone()));
                    close = true;
                }
                if ui.button(strings.partition_as_scenario).clicked() {
                    let taken = session.scenario_names();
                    let base = strings.partition_scenario_name;
                    let name = std::iter::once(base.to_owned())
                        .chain((2..).map(|number| format!("{base} {number}")))
                        .find(|name| !taken.contains(&name.as_str()))
                        .unwrap_or_else(|| base.to_owned());
                    out.push(Intent::PartitionAsScenario(name));
                }
            });
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(180.0)
                .show(ui, |ui| {
                    for community in &report.communities {
                        let colour = if community.within_band {
                            ui.visuals().text_color()
                        } else {
                            theme::ERROR.egui()
                        };
                        // A new community is named after its id: the id is not said twice.
                        let name = if community.name.contains(&community.id) {
                            community.name.clone()
                        } else {
                            format!("{} ({})", community.name, community.id)
                        };
                        ui.label(
                            RichText::new(format!(
                                "{name}  {} {}",
                                grouped(community.households),
                                strings.households_unit
                            ))
                            .color(colour),
                        );
                    }
                });
        });
    if !open || close {
        state.partition = None;
    }
}
