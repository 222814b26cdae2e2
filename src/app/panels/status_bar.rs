//! The status bar: cursor, scale, tool, selection, saved state and totals.

use eframe::egui::{self, RichText};
use shequ_core::format::grouped;

use crate::app::ShequApp;
use crate::app::tools::Tool;
use crate::theme;

/// Cursor, scale, tool, selection, saved state and totals.
pub fn status_bar(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let (Some(cursor), Some(session)) = (app.cursor, &app.session) {
                let (longitude, latitude) = session.projection().to_lon_lat(cursor);
                ui.monospace(format!("{longitude:.6}, {latitude:.6}"));
            }
            ui.separator();
            ui.label(format!(
                "{} 1:{}",
                strings.scale,
                grouped(app.map.scale_denominator().round() as u64)
            ));
            ui.separator();
            ui.label(format!("{}: {}", strings.tool, app.tool.name(strings)));
            if let Tool::Measure(points) = &app.tool
                && points.len() >= 2
            {
                let (length, area) = crate::app::tools::measured(points);
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
            let (errors, warnings) = app.violation_totals();
            if let Some(session) = &app.session {
                let selected_households: u64 = app
                    .selection
                    .iter()
                    .map(|key| session.tallies().of(*key).households)
                    .sum();
                ui.label(format!(
                    "{}: {} · {} {}",
                    strings.selection,
                    app.selection.len(),
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
            if let Some(notice) = &app.notice {
                ui.separator();
                ui.label(notice);
            }
            if let Some(message) = &app.message {
                ui.separator();
                ui.label(RichText::new(message).color(theme::ERROR.egui()));
            }
        });
    });
}
