//! "New plan from layers": the planner picks the buildings, streets and (optionally) existing
//! boundaries, sees which property each building field is read from with example values, can map
//! a field to another property, and sees how many buildings' households come from the data and
//! how many will be estimated — before the plan is made.

pub mod draft;

use std::path::Path;

use eframe::egui::{self, RichText};
use shequ_core::Session;
use shequ_core::attributes::Field;
use shequ_core::format::grouped;
use shequ_core::io::shapefile::EncodingSource;
use shequ_core::load::preview::{BuildingsPreview, BuildingsSample};
use shequ_core::profile::RuleProfile;
use shequ_core::session::OpenOptions;

use crate::app::context::ViewCtx;
use crate::app::file_dialog::FileRequest;
use crate::app::i18n::{Language, Strings};
use crate::app::intent::Intent;
use crate::app::loading::Loading;
use crate::theme;
use draft::{DraftLayer, NewPlanDraft};

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

/// Shows the dialog; false once it is closed (created or cancelled).
pub fn show(
    view: &ViewCtx,
    loading: &mut Option<Loading>,
    ui: &mut egui::Ui,
    draft: &mut NewPlanDraft,
    out: &mut Vec<Intent>,
) -> bool {
    let strings = view.strings;
    let language = view.language;
    ui.set_max_width(760.0);
    ui.heading(strings.new_plan_from_layers.trim_end_matches('…'));
    layer_choices(ui, strings, draft, out);
    if let Some(error) = &draft.error {
        ui.label(RichText::new(error).color(theme::ERROR.egui()));
    }
    if let (Some(sample), Some(preview)) = (draft.sample.clone(), draft.preview.clone()) {
        source_details(ui, strings, &sample);
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
fn layer_choices(
    ui: &mut egui::Ui,
    strings: &Strings,
    draft: &mut NewPlanDraft,
    out: &mut Vec<Intent>,
) {
    egui::Grid::new("new plan layers")
        .num_columns(5)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label("");
            ui.label("");
            ui.label("");
            ui.label(RichText::new(strings.coordinate_system).weak())
                .on_hover_text(strings.coordinate_system_hint);
            ui.label(RichText::new(strings.text_encoding).weak());
            ui.end_row();
            for (layer, name) in [
                (DraftLayer::Buildings, strings.buildings),
                (DraftLayer::Streets, strings.streets),
                (DraftLayer::Communities, strings.existing_boundaries),
            ] {
                layer_row(ui, strings, draft, (layer, name), out);
                ui.end_row();
            }
        });
    if let Err(problem) = draft.systems() {
        ui.label(RichText::new(problem).color(theme::ERROR.egui()));
    }
}

/// One layer: its file, choose (and clear), its coordinate system and, for a Shapefile, the
/// encoding of its text.
fn layer_row(
    ui: &mut egui::Ui,
    strings: &Strings,
    draft: &mut NewPlanDraft,
    (layer, name): (DraftLayer, &str),
    out: &mut Vec<Intent>,
) {
    let path = match layer {
        DraftLayer::Buildings => draft.buildings.clone(),
        DraftLayer::Streets => draft.streets.clone(),
        DraftLayer::Communities => draft.communities.clone(),
    };
    let label = ui.label(name);
    match (draft.tables_of(layer).map(<[_]>::to_vec), &path) {
        (Some(tables), Some(current)) => {
            // A GeoPackage of several feature tables: one is chosen, with its features shown.
            let file = shequ_core::io::geopackage::geopackage_of(current)
                .map(|(file, _)| file)
                .unwrap_or_else(|| current.clone());
            let chosen =
                shequ_core::io::geopackage::geopackage_of(current).and_then(|(_, table)| table);
            egui::ComboBox::from_id_salt(("geopackage table", layer as u8))
                .selected_text(format!(
                    "{} : {}",
                    file_name(Some(&file), strings),
                    chosen.as_deref().unwrap_or(strings.not_chosen)
                ))
                .show_ui(ui, |ui| {
                    for (table, features) in &tables {
                        let text = format!("{table} ({})", grouped(*features));
                        if ui
                            .selectable_label(chosen.as_deref() == Some(table), text)
                            .clicked()
                        {
                            let mut with_table = file.clone().into_os_string();
                            with_table.push(format!(":{table}"));
                            let tables_kept = draft.geopackage_tables.clone();
                            draft.set_layer(layer, with_table.into());
                            draft.geopackage_tables = tables_kept;
                        }
                    }
                });
        }
        _ => {
            ui.label(file_name(path.as_deref(), strings));
        }
    }
    ui.horizontal(|ui| {
        if ui.button(strings.choose).clicked() {
            out.push(Intent::Choose(FileRequest::Layer(layer)));
        }
        let optional = layer != DraftLayer::Buildings;
        if optional && path.is_some() && ui.button(strings.clear).clicked() {
            match layer {
                DraftLayer::Streets => draft.streets = None,
                _ => draft.communities = None,
            }
        }
    });
    let system = ui
        .add(
            egui::TextEdit::singleline(draft.system_text(layer))
                .hint_text(strings.encoding_automatic)
                .desired_width(150.0),
        )
        .labelled_by(label.id)
        .on_hover_text(strings.coordinate_system_hint);
    let is_shapefile = path
        .as_deref()
        .is_some_and(shequ_core::io::shapefile::is_shapefile);
    let mut encoding_changed = false;
    if is_shapefile {
        let chosen = *draft.encoding(layer);
        let shown = chosen.map_or(strings.encoding_automatic, |encoding| encoding.name());
        egui::ComboBox::from_id_salt(("encoding", layer as u8))
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for (option, text) in [
                    (None, strings.encoding_automatic),
                    (Some(encoding_rs::UTF_8), "UTF-8"),
                    (Some(encoding_rs::GB18030), "GBK / GB18030"),
                ] {
                    encoding_changed |= ui
                        .selectable_value(draft.encoding(layer), option, text)
                        .changed();
                }
            });
    } else {
        ui.label("");
    }
    let system_done = system.lost_focus() && draft.systems().is_ok();
    if layer == DraftLayer::Buildings && (system_done || encoding_changed) {
        draft.reread_buildings();
    }
}

/// The buildings' system and encoding as found, and their text read both ways.
fn source_details(ui: &mut egui::Ui, strings: &Strings, sample: &BuildingsSample) {
    let system = sample.system.as_deref().unwrap_or("WGS 84");
    let mut line = format!("{}: {system}", strings.coordinate_system);
    if let Some((encoding, source)) = sample.encoding {
        let index = match source {
            EncodingSource::Given => 0,
            EncodingSource::CodePageFile => 1,
            EncodingSource::LanguageDriver => 2,
            EncodingSource::Detected => 3,
        };
        line.push_str(&format!(
            " · {}: {encoding} ({})",
            strings.text_encoding, strings.encoding_sources[index]
        ));
    }
    ui.label(RichText::new(line).weak());
    if !sample.text_samples.is_empty() {
        ui.label(RichText::new(strings.read_as).weak());
        egui::Grid::new("text read both ways")
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                ui.label(RichText::new(strings.field).strong());
                ui.label(RichText::new("UTF-8").strong());
                ui.label(RichText::new("GBK / GB18030").strong());
                ui.end_row();
                for (field, as_utf8, as_gb18030) in &sample.text_samples {
                    ui.label(field);
                    ui.label(shortened(as_utf8, 24));
                    ui.label(shortened(as_gb18030, 24));
                    ui.end_row();
                }
            });
    }
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
