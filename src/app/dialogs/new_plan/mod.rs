//! "New plan from layers": the planner picks the buildings, streets and (optionally) existing
//! boundaries, sees which property each building field is read from with example values, can map
//! a field to another property, and sees how many buildings' households come from the data and
//! how many will be estimated — before the plan is made.

pub mod draft;

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};
use shequ_core::Session;
use shequ_core::attributes::Field;
use shequ_core::format::grouped;
use shequ_core::load::preview::{BuildingsPreview, BuildingsSample};
use shequ_core::profile::RuleProfile;
use shequ_core::session::OpenOptions;

use crate::app::context::ViewCtx;
use crate::app::i18n::{Language, Strings};
use crate::app::loading::Loading;
use crate::theme;
use draft::NewPlanDraft;

/// A field's name in the interface.
pub fn field_name(field: Field, language: Language) -> &'static str {
    let (zh, en) = match field {
        Field::Households => ("户数", "Households"),
        Field::Residents => ("人口", "Residents"),
        Field::Floors => ("层数", "Floors"),
        Field::Height => ("高度", "Height"),
        Field::Use => ("用途", "Use"),
        Field::Estate => ("小区", "Estate"),
        Field::WorkUnit => ("单位", "Work unit"),
        Field::Name => ("名称", "Name"),
        Field::Id => ("编号", "Id"),
        _ => (field.key(), field.key()),
    };
    language.pick(zh, en)
}

fn file_name(path: Option<&Path>, strings: &Strings) -> String {
    path.and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| strings.not_chosen.to_owned())
}

/// `text` cut to `most` characters, with an ellipsis when cut.
fn shortened(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(most - 1).collect();
        cut.push('…');
        cut
    }
}

fn pick_layer(title: &str) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(title)
        .add_filter("GeoJSON, Shapefile", &["geojson", "json", "shp"])
        .pick_file()
}

/// Shows the dialog; false once it is closed (created or cancelled).
pub fn show(
    view: &ViewCtx,
    loading: &mut Option<Loading>,
    ui: &mut egui::Ui,
    draft: &mut NewPlanDraft,
) -> bool {
    let strings = view.strings;
    let language = view.language;
    ui.set_max_width(760.0);
    ui.heading(strings.new_plan_from_layers.trim_end_matches('…'));
    layer_choices(ui, strings, draft);
    if let Some(error) = &draft.error {
        ui.label(RichText::new(error).color(theme::ERROR.egui()));
    }
    if let (Some(sample), Some(preview)) = (draft.sample.clone(), draft.preview.clone()) {
        ui.separator();
        ui.label(RichText::new(strings.attribute_mapping).strong());
        ui.label(
            RichText::new(format!(
                "{} {} {}",
                strings.previewed_features,
                grouped(preview.features as u64),
                if preview.whole_layer {
                    strings.whole_layer
                } else {
                    strings.start_of_layer
                }
            ))
            .weak(),
        );
        mapping_table(ui, strings, language, draft, &sample, &preview);
        ui.separator();
        household_counts(ui, strings, draft, &preview);
    }
    ui.separator();
    create_or_cancel(loading, ui, strings, draft)
}

/// The buildings, streets and boundaries chosen, each with its button.
fn layer_choices(ui: &mut egui::Ui, strings: &Strings, draft: &mut NewPlanDraft) {
    egui::Grid::new("new plan layers")
        .num_columns(3)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label(strings.buildings);
            ui.label(file_name(draft.buildings.as_deref(), strings));
            if ui.button(strings.choose).clicked()
                && let Some(path) = pick_layer(strings.buildings)
            {
                draft.set_buildings(path);
            }
            ui.end_row();
            ui.label(strings.streets);
            ui.label(file_name(draft.streets.as_deref(), strings));
            ui.horizontal(|ui| {
                if ui.button(strings.choose).clicked() {
                    draft.streets = pick_layer(strings.streets).or(draft.streets.take());
                }
                if draft.streets.is_some() && ui.button(strings.clear).clicked() {
                    draft.streets = None;
                }
            });
            ui.end_row();
            ui.label(strings.existing_boundaries);
            ui.label(file_name(draft.communities.as_deref(), strings));
            ui.horizontal(|ui| {
                if ui.button(strings.choose).clicked() {
                    draft.communities =
                        pick_layer(strings.existing_boundaries).or(draft.communities.take());
                }
                if draft.communities.is_some() && ui.button(strings.clear).clicked() {
                    draft.communities = None;
                }
            });
            ui.end_row();
        });
}

/// One row a building field: where it is read from (remappable), how many features have it,
/// examples.
fn mapping_table(
    ui: &mut egui::Ui,
    strings: &Strings,
    language: Language,
    draft: &mut NewPlanDraft,
    sample: &BuildingsSample,
    preview: &BuildingsPreview,
) {
    let mut change: Option<(Field, Option<String>)> = None;
    egui::Grid::new("new plan mapping")
        .num_columns(4)
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new(strings.field).strong());
            ui.label(RichText::new(strings.source_property).strong());
            ui.label(RichText::new(strings.with_value).strong());
            ui.label(RichText::new(strings.examples).strong());
            ui.end_row();
            for row in &preview.fields {
                let label = ui.label(field_name(row.field, language));
                let shown = match (&row.source, row.mapped) {
                    (Some(source), true) => source.clone(),
                    (Some(source), false) => format!("{} ({source})", strings.automatic),
                    (None, _) => format!("{} ({})", strings.automatic, strings.none_found),
                };
                egui::ComboBox::from_id_salt(("source", row.field.key()))
                    .width(190.0)
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        if ui
                            .selectable_label(!row.mapped, strings.automatic)
                            .clicked()
                        {
                            change = Some((row.field, None));
                        }
                        for name in &sample.property_names {
                            let chosen = row.mapped && row.source.as_ref() == Some(name);
                            if ui.selectable_label(chosen, name).clicked() {
                                change = Some((row.field, Some(name.clone())));
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.label(format!(
                    "{} / {}",
                    grouped(row.present as u64),
                    grouped(preview.features as u64)
                ));
                ui.label(
                    row.examples
                        .iter()
                        .map(|example| shortened(example, 24))
                        .collect::<Vec<_>>()
                        .join(", "),
                );
                ui.end_row();
            }
        });
    if let Some((field, source)) = change {
        draft.set_source(field, source.as_deref());
    }
}

/// How many buildings are homes, and whose households come from the data or will be estimated;
/// a layer without uses said in red, with the choice to count them as homes.
fn household_counts(
    ui: &mut egui::Ui,
    strings: &Strings,
    draft: &mut NewPlanDraft,
    preview: &BuildingsPreview,
) {
    let households = strings.households_unit;
    ui.label(format!(
        "{}: {} / {}",
        strings.residential_buildings,
        grouped(preview.residential as u64),
        grouped(preview.buildings as u64)
    ));
    ui.label(format!(
        "{}: {} · {} {households}",
        strings.households_from_data,
        grouped(preview.from_data.0 as u64),
        grouped(preview.from_data.1)
    ));
    let estimated = format!(
        "{}: {} · ≈ {} {households}",
        strings.households_estimated,
        grouped(preview.estimated.0 as u64),
        grouped(preview.estimated.1)
    );
    ui.label(if preview.estimated.0 > 0 {
        RichText::new(estimated).color(theme::WARNING.egui())
    } else {
        RichText::new(estimated)
    });
    if preview.no_use_warning.is_some() || draft.unknown_use_is_residential {
        if preview.no_use_warning.is_some() {
            ui.label(
                RichText::new(
                    strings
                        .no_use_warning
                        .replace("{}", &grouped(preview.without_use as u64)),
                )
                .color(theme::ERROR.egui()),
            );
        }
        let mut residential = draft.unknown_use_is_residential;
        if ui
            .checkbox(&mut residential, strings.unknown_use_residential)
            .changed()
        {
            draft.set_unknown_use_is_residential(residential);
        }
    }
}

/// Create (the plan opens in the background) or Cancel; false once either is pressed.
fn create_or_cancel(
    loading: &mut Option<Loading>,
    ui: &mut egui::Ui,
    strings: &Strings,
    draft: &NewPlanDraft,
) -> bool {
    let mut open = true;
    ui.horizontal(|ui| {
        let inputs = draft.inputs();
        if ui
            .add_enabled(inputs.is_some(), egui::Button::new(strings.create))
            .clicked()
            && let Some(inputs) = inputs
        {
            let label = inputs.buildings.clone();
            *loading = Some(Loading::start(&label, move |progress| {
                Session::from_layers(
                    &inputs,
                    RuleProfile::default(),
                    OpenOptions {
                        progress: Some(progress),
                        ..OpenOptions::default()
                    },
                )
            }));
            open = false;
        }
        if ui.button(strings.cancel).clicked() {
            open = false;
        }
    });
    open
}
