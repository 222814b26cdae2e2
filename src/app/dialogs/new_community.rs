//! Naming a newly drawn community: id, name and type; it joins the street office of the
//! community selected when it was drawn.

use eframe::egui;
use geo::MultiPolygon;
use shequ_core::edit::Command;
use shequ_core::plan::{Community, CommunityType};

use crate::app::context::ViewCtx;
use crate::app::intent::Intent;

/// The dialog for `boundary`, with the id, name and type being typed; false once it is closed.
pub fn show(
    view: &ViewCtx,
    ui: &mut egui::Ui,
    boundary: &MultiPolygon<f64>,
    (id, name, kind): (&mut String, &mut String, &mut CommunityType),
    out: &mut Vec<Intent>,
) -> bool {
    let strings = view.strings;
    let mut keep = true;
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
                .selected_text(view.type_name(*kind))
                .show_ui(ui, |ui| {
                    for option in CommunityType::ALL {
                        ui.selectable_value(kind, option, view.type_name(option));
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
            let office = view
                .selection
                .first()
                .and_then(|key| view.session?.plan().community(*key))
                .and_then(|community| community.properties.street_office.clone());
            let mut community = Community::new(id.trim(), name.trim(), *kind, boundary.clone());
            community.properties.street_office = office;
            out.push(Intent::Edit(Command::Create {
                community: Box::new(community),
                avoid_overlap: true,
            }));
            keep = false;
        }
        if ui.button(strings.cancel).clicked() {
            keep = false;
        }
    });
    keep
}
