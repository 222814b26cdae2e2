//! The legend of the communities' colouring, at the map's lower right: what each fill means under
//! the colouring chosen (violations, households against the band, type, street office, walking
//! distance).

use std::collections::BTreeSet;

use eframe::egui::{self, Color32, RichText};
use shequ_core::Session;
use shequ_core::format::grouped;
use shequ_core::rules::community_households::BandVerdict;
use shequ_core::violation::Severity;

use super::{Colouring, MapView};
use crate::app::context::ViewCtx;
use crate::theme;

/// The most street offices the legend lists; the rest are counted.
const MOST_STREET_OFFICES_LISTED: usize = 8;

/// The legend for `map`'s colouring, over the map's lower-right corner (clicks pass through);
/// remembered in the map so that labels keep clear of it.
pub fn show(view: &ViewCtx, map: &mut MapView, session: &Session, ctx: &egui::Context) {
    if !map.layers.communities {
        map.legend_rect = None;
        return;
    }
    let strings = view.strings;
    let entries = entries(view, map, session);
    let shown = egui::Area::new(egui::Id::unique("map legend"))
        .order(egui::Order::Middle)
        .pivot(egui::Align2::RIGHT_BOTTOM)
        .fixed_pos(map.rect.right_bottom() + egui::vec2(-10.0, -10.0))
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(RichText::new(map.colouring.name(strings)).strong());
                for (colour, text) in entries {
                    ui.horizontal(|ui| {
                        let (swatch, _) =
                            ui.allocate_exact_size(egui::vec2(16.0, 12.0), egui::Sense::hover());
                        // As the fill shows on the map: over the map's background.
                        if colour != Color32::TRANSPARENT {
                            ui.painter()
                                .rect_filled(swatch, 2.0, theme::MAP_BACKGROUND.egui());
                            ui.painter().rect_filled(swatch, 2.0, colour);
                            ui.painter().rect_stroke(
                                swatch,
                                2.0,
                                egui::Stroke::new(1.0, theme::OUTLINE.egui()),
                                egui::StrokeKind::Inside,
                            );
                        }
                        ui.label(text);
                    });
                }
            });
        });
    // The next frame's labels keep clear of it.
    map.legend_rect = Some(shown.response.rect);
}

/// Each fill of the colouring with what it means.
fn entries(view: &ViewCtx, map: &MapView, session: &Session) -> Vec<(Color32, String)> {
    let strings = view.strings;
    match map.colouring {
        Colouring::Violations => [Some(Severity::Error), Some(Severity::Warning), None]
            .into_iter()
            .zip(strings.legend_violations)
            .map(|(worst, text)| (theme::community_fill(worst).egui(), text.to_owned()))
            .collect(),
        Colouring::Households => {
            // A community of each verdict, at the bound it stands against.
            let band = &session.profile().community_households;
            [
                (
                    BandVerdict::BelowMinimum(band.minimum),
                    format!(" (< {})", grouped(band.minimum)),
                ),
                (
                    BandVerdict::Within,
                    format!(" ({}–{})", grouped(band.minimum), grouped(band.maximum)),
                ),
                (
                    BandVerdict::AboveMaximum(band.maximum),
                    format!(" (> {})", grouped(band.maximum)),
                ),
                (
                    BandVerdict::NewEstateAbove(band.new_estate_warning_above),
                    format!(" (> {})", grouped(band.new_estate_warning_above)),
                ),
            ]
            .into_iter()
            .zip(strings.legend_band)
            .map(|((verdict, figure), text)| {
                (theme::band_fill(verdict).egui(), format!("{text}{figure}"))
            })
            .collect()
        }
        Colouring::Type => theme::TYPE_FILLS
            .iter()
            .zip(strings.type_names)
            .map(|(fill, name)| (fill.egui(), name.to_owned()))
            .collect(),
        Colouring::StreetOffice => {
            let offices: BTreeSet<&str> = session
                .community_index()
                .meeting(map.visible())
                .filter_map(|key| session.plan().community(key))
                .map(|community| community.properties.street_office.as_deref().unwrap_or(""))
                .collect();
            let mut listed: Vec<(Color32, String)> = offices
                .iter()
                .take(MOST_STREET_OFFICES_LISTED)
                .map(|&office| {
                    let name = if office.is_empty() {
                        strings.none
                    } else {
                        office
                    };
                    (super::colour_for(office), name.to_owned())
                })
                .collect();
            if offices.len() > MOST_STREET_OFFICES_LISTED {
                listed.push((
                    Color32::TRANSPARENT,
                    strings.legend_more.replace(
                        "{count}",
                        &(offices.len() - MOST_STREET_OFFICES_LISTED).to_string(),
                    ),
                ));
            }
            listed
        }
        Colouring::Walking => super::walking::legend_entries(&session.profile().walking, strings),
    }
}
