//! The status bar: cursor, scale, tool, selection, saved state, totals and the load warnings
//! (a click lists them).

use eframe::egui::{self, RichText};
use shequ_core::format::grouped;

use shequ_core::Session;
use shequ_core::violation::Severity;

use crate::app::context::ViewCtx;
use crate::app::state::{Dialog, UiState};
use crate::app::tools::kinds::{Tool, measured};
use crate::theme;

/// Cursor, scale, tool, selection, saved state and totals.
pub fn status_bar(view: &ViewCtx, state: &mut UiState, ui: &mut egui::Ui) {
    let strings = view.strings;
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            // First, where the cursor's coordinates coming and going cannot move it.
            if let Some(session) = view.session
                && !session.warnings().is_empty()
            {
                let count: usize = session.warnings().len();
                let button = egui::Button::new(
                    RichText::new(format!("▲ {}: {count}", strings.load_warnings))
                        .color(theme::WARNING.egui()),
                )
                .frame_when_inactive(false);
                if ui
                    .add(button)
                    .on_hover_text(strings.show_load_warnings)
                    .clicked()
                {
                    state.dialog = Some(Dialog::LoadWarnings);
                }
                ui.separator();
            }
            if let (Some(cursor), Some(session)) = (state.cursor, view.session) {
                let (longitude, latitude) = session.projection().to_lon_lat(cursor);
                ui.monospace(format!("{longitude:.6}, {latitude:.6}"));
            }
            ui.separator();
            ui.label(format!(
                "{} 1:{}",
                strings.scale,
                grouped(state.map.scale_denominator().round() as u64)
            ));
            ui.separator();
            ui.label(format!("{}: {}", strings.tool, state.tool.name(strings)));
            if let Tool::Measure(points) = &state.tool
                && points.len() >= 2
            {
                let (length, area) = measured(points);
                ui.label(match area {
                    Some(area) => format!(
                        "{} {length:.1} m · {} {} m²",
                        strings.length,
                        strings.area,
                        grouped(area.round() as u64)
                    ),
                    None => format!("{} {length:.1} m", strings.length),
                });
            }
            ui.separator();
            if let Some(session) = view.session {
                let (errors, warnings) = violation_totals(state, session);
                let selected_households: u64 = view
                    .selection
                    .iter()
                    .map(|key| session.tallies().of(*key).households)
                    .sum();
                ui.label(format!(
                    "{}: {} · {} {}",
                    strings.selection,
                    view.selection.len(),
                    grouped(selected_households),
                    strings.households
                ));
                ui.separator();
                ui.label(if session.is_dirty() {
                    RichText::new(strings.unsaved).color(theme::UNSAVED.egui())
                } else {
                    RichText::new(strings.saved)
                });
                ui.separator();
                let households: u64 = session
                    .plan()
                    .communities()
                    .map(|(key, _)| session.tallies().of(key).households)
                    .sum();
                ui.label(format!(
                    "{}: {} {} · {} {} · {} {} · {} {}",
                    strings.totals,
                    session.plan().len(),
                    strings.communities,
                    grouped(households),
                    strings.households,
                    errors,
                    strings.errors,
                    warnings,
                    strings.warnings
                ));
            }
            if let Some(notice) = &state.notice {
                ui.separator();
                ui.label(notice);
            }
            if state.drawing_grids.is_some() {
                // Last, so that nothing else moves while it lasts.
                ui.separator();
                ui.spinner();
                ui.label(strings.grids_working);
            } else if let Some(message) = &state.message {
                ui.separator();
                ui.label(RichText::new(message).color(theme::ERROR.egui()));
            }
        });
    });
}

/// Unaccepted errors and warnings, recounted only when the plan or its exceptions changed.
fn violation_totals(state: &mut UiState, session: &Session) -> (usize, usize) {
    let stamp = (session.generation(), session.settings().exceptions.len());
    if let Some((generation, exceptions, totals)) = state.totals_cache
        && (generation, exceptions) == stamp
    {
        return totals;
    }
    let mut totals = (0, 0);
    for checked in session.violations() {
        if checked.accepted.is_none() {
            match checked.violation.severity {
                Severity::Error => totals.0 += 1,
                Severity::Warning => totals.1 += 1,
            }
        }
    }
    state.totals_cache = Some((stamp.0, stamp.1, totals));
    totals
}
