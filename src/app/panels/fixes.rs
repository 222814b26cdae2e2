//! The fixes window: for the violation whose "修复…" was clicked, the fixes that apply, best
//! first, each with what it would give — the communities' households before and after, the
//! violations it removes and any it brings — and a button that carries it out as one undo step.
//! The chosen fix's boundaries are drawn dashed on the map; picking a fix shows it there.

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
    let mut chosen = shown.chosen;
    // Fixes found for another state of the plan no longer hold: the window closes.
    if view.session.map(shequ_core::Session::generation) != Some(shown.generation) {
        state.fixes = None;
        return;
    }
    let strings = view.strings;
    let language = view.language;
    let mut open = true;
    let mut fit_to = None;
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
                            // Picking a fix draws its boundaries on the map, dashed.
                            if ui
                                .selectable_label(chosen == index, fix.describe(language))
                                .on_hover_text(strings.fix_show_on_map)
                                .clicked()
                            {
                                chosen = index;
                                fit_to = envelope_of(&fix.outcome.boundaries);
                            }
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
    } else if let Some(shown) = &mut state.fixes {
        shown.chosen = chosen;
    }
    if let Some([lower, upper]) = fit_to {
        state.map.fit(lower, upper);
    }
}

/// The rectangle around the proposed boundaries, if any.
fn envelope_of(boundaries: &[(String, geo::MultiPolygon<f64>)]) -> Option<[geo::Coord<f64>; 2]> {
    boundaries
        .iter()
        .filter_map(|(_, boundary)| shequ_core::index::boundary_envelope(boundary))
        .map(|envelope| {
            let (lower, upper) = (envelope.lower(), envelope.upper());
            [
                geo::Coord {
                    x: lower[0],
                    y: lower[1],
                },
                geo::Coord {
                    x: upper[0],
                    y: upper[1],
                },
            ]
        })
        .reduce(|[low, high], [lower, upper]| {
            shequ_core::index::extent_union([low, high], [lower, upper])
        })
}
