//! The fixes window: for the violation whose "修复…" was clicked, the fixes that apply, best
//! first, each with what it would give — the communities' households before and after, the
//! violations it removes and any it brings — and a button that carries it out as one undo step.

use eframe::egui::{self, RichText};
use shequ_core::format::grouped;

use crate::app::context::ViewCtx;
use crate::app::intent::Intent;
use crate::app::state::UiState;
use crate::theme;

/// The fixes window, while open.
pub fn fixes_window(
    view: &ViewCtx,
    state: &mut UiState,
    ctx: &egui::Context,
    out: &mut Vec<Intent>,
) {
    let Some(shown) = &state.fixes else {
        return;
    };
    // Fixes found for another state of the plan no longer hold: the window closes.
    if view.session.map(shequ_core::Session::generation) != Some(shown.generation) {
        state.fixes = None;
        return;
    }
    let strings = view.strings;
    let language = view.language;
    let mut open = true;
    egui::Window::new(strings.fixes_title)
        .id(egui::Id::unique("fixes window"))
        .open(&mut open)
        .default_width(480.0)
        .show(ctx, |ui| {
            ui.label(RichText::new(&shown.message).strong());
            ui.separator();
            match &shown.fixes {
                Err(no_fix) => {
                    ui.label(no_fix.describe(language));
                }
                Ok(fixes) => {
                    for (index, fix) in fixes.iter().enumerate() {
                        ui.horizontal(|ui| {
                            ui.label(format!("{}.", index + 1));
                            ui.label(fix.describe(language));
                        });
                        let figure = |households: Option<u64>| {
                            households.map_or_else(|| "—".to_owned(), grouped)
                        };
                        for community in &fix.outcome.communities {
                            ui.label(
                                RichText::new(format!(
                                    "    {} ({}) {} → {} {}",
                                    community.name,
                                    community.id,
                                    figure(community.households_before),
                                    figure(community.households_after),
                                    strings.households_unit
                                ))
                                .weak(),
                            );
                        }
                        ui.horizontal(|ui| {
                            ui.label(
                                RichText::new(format!(
                                    "{} {}",
                                    strings.violations_fixed,
                                    fix.outcome.removed.len()
                                ))
                                .color(theme::CLEAN.egui()),
                            );
                            let added = fix.outcome.added.len();
                            let colour = if fix.outcome.added_errors > 0 {
                                theme::ERROR.egui()
                            } else {
                                ui.visuals().text_color()
                            };
                            ui.label(
                                RichText::new(format!("{} {added}", strings.violations_introduced))
                                    .color(colour),
                            );
                            if ui.button(strings.apply_fix).clicked() {
                                out.push(Intent::Edit(fix.command.clone()));
                                out.push(Intent::CloseFixes);
                            }
                        });
                        ui.separator();
                    }
                }
            }
        });
    if !open {
        state.fixes = None;
    }
}
