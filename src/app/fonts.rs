//! The bundled Noto Sans CJK SC subset (GB2312 and every character of the sample data and the
//! interface), first in every family so Chinese shows with Chinese glyph forms; egui's own fonts
//! follow for symbols.

use std::sync::Arc;

use eframe::egui;

/// The font file, built into the binary.
pub const NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Subset.otf");

/// Installs the bundled font into `ctx`.
pub fn install(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "noto_sans_sc".to_owned(),
        Arc::new(egui::FontData::from_static(NOTO_SANS_SC)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .insert(0, "noto_sans_sc".to_owned());
    }
    ctx.set_fonts(fonts);
}
