//! What loading the layers found: each warning with its file, how many features it concerns,
//! the first of them, and what the planner can do. The status bar's warning count opens it.

use eframe::egui::{self, RichText};
use shequ_core::format::grouped;

use crate::app::context::ViewCtx;
use crate::theme;

/// The dialog; false once it is closed.
pub fn show(view: &ViewCtx, ui: &mut egui::Ui) -> bool {
    let strings = view.strings;
    ui.set_min_width(640.0);
    ui.heading(strings.load_warnings);
    let warnings = view
        .session
        .map(|session| session.warnings())
        .unwrap_or_default();
    egui::ScrollArea::vertical()
        .max_height(420.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for warning in warnings {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("▲").color(theme::WARNING.egui()));
                    let file = warning
                        .path
                        .file_name()
                        .map(|name| name.to_string_lossy().into_owned())
                        .unwrap_or_else(|| warning.path.display().to_string());
                    ui.label(RichText::new(file).strong())
                        .on_hover_text(warning.path.display().to_string());
                });
                // One sentence: "3 个要素的轮廓自相交…" / "3 features have a self-intersecting…".
                ui.label(format!(
                    "{} {}{}{}",
                    grouped(warning.count as u64),
                    strings.features,
                    view.language.pick("", " "),
                    warning.problem_in(view.language)
                ));
                if !warning.first_features.is_empty() {
                    ui.label(
                        RichText::new(format!(
                            "{}: {}",
                            strings.first_features,
                            warning.first_features.join(", ")
                        ))
                        .weak(),
                    );
                }
                let advice = warning.advice_in(view.language);
                if !advice.is_empty() {
                    ui.label(RichText::new(advice).italics());
                }
                ui.separator();
            }
        });
    !ui.button(strings.ok).clicked()
}
