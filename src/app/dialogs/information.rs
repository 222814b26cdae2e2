//! A dialog that only informs (the shortcuts, About): a heading, text and OK.

use eframe::egui;

/// The dialog; false once it is closed.
pub fn show(ui: &mut egui::Ui, heading: &str, text: &str, ok: &str) -> bool {
    ui.heading(heading);
    ui.label(text);
    !ui.button(ok).clicked()
}
