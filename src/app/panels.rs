//! The panels around the map: menu bar, toolbar, status bar, the community list with the layers,
//! the inspector, the violations, and the dialogs.

use eframe::egui::{self, Color32, RichText};
use egui_extras::{Column, TableBuilder};
use shequ_core::edit::{Command, CommunityProperties};
use shequ_core::figures::community_figures;
use shequ_core::format::{grouped, today};
use shequ_core::ids::CommunityKey;
use shequ_core::plan::{Community, CommunityType};
use shequ_core::violation::Severity;

use super::i18n::Language;
use super::tools::Tool;
use super::{Dialog, ShequApp};

/// The community list's sort columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    /// Id.
    Id,
    /// Name.
    Name,
    /// Type.
    Type,
    /// Street office.
    StreetOffice,
    /// Households.
    Households,
    /// Residents.
    Residents,
    /// Violations.
    Violations,
}

fn type_name(app: &ShequApp, kind: CommunityType) -> &'static str {
    let names = app.strings().type_names;
    match kind {
        CommunityType::Geographic => names[0],
        CommunityType::WorkUnit => names[1],
        CommunityType::ResidentialEstate => names[2],
    }
}

/// File, Edit, View, Help.
pub fn menu_bar(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(strings.file, |ui| {
                if ui.button(strings.new_plan_from_layers).clicked() {
                    app.new_plan_dialog();
                }
                if ui.button(strings.open_plan).clicked() {
                    app.open_dialog();
                }
                ui.menu_button(strings.open_recent, |ui| {
                    for path in app.preferences.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            app.open(&path);
                        }
                    }
                });
                ui.separator();
                if ui
                    .add_enabled(
                        app.session.is_some(),
                        egui::Button::new(strings.save).shortcut_text("Ctrl+S"),
                    )
                    .clicked()
                {
                    app.save();
                }
                if ui
                    .add_enabled(app.session.is_some(), egui::Button::new(strings.save_as))
                    .clicked()
                {
                    app.save_as();
                }
                if ui
                    .add_enabled(
                        app.session.is_some(),
                        egui::Button::new(strings.export_for_approval),
                    )
                    .clicked()
                {
                    app.export_dialog();
                }
                ui.separator();
                if ui.button(strings.quit).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button(strings.edit, |ui| {
                let (undo, redo) = app
                    .session
                    .as_ref()
                    .map(|session| {
                        let language = app.preferences.language;
                        (
                            session
                                .history()
                                .undo_step()
                                .map(|step| step.describe(language)),
                            session
                                .history()
                                .redo_step()
                                .map(|step| step.describe(language)),
                        )
                    })
                    .unwrap_or_default();
                if ui
                    .add_enabled(
                        undo.is_some(),
                        egui::Button::new(format!("{} {}", strings.undo, undo.unwrap_or_default()))
                            .shortcut_text("Ctrl+Z"),
                    )
                    .clicked()
                {
                    app.undo();
                }
                if ui
                    .add_enabled(
                        redo.is_some(),
                        egui::Button::new(format!("{} {}", strings.redo, redo.unwrap_or_default()))
                            .shortcut_text("Ctrl+Shift+Z"),
                    )
                    .clicked()
                {
                    app.redo();
                }
                if ui
                    .add_enabled(
                        !app.selection.is_empty(),
                        egui::Button::new(strings.delete).shortcut_text("Del"),
                    )
                    .clicked()
                {
                    app.delete_selection();
                }
                if ui
                    .add_enabled(
                        app.highlighted.is_some(),
                        egui::Button::new(strings.accept_violation),
                    )
                    .clicked()
                {
                    open_accept_dialog(app);
                }
            });
            ui.menu_button(strings.view, |ui| {
                ui.menu_button(strings.layers, |ui| layer_checkboxes(app, ui));
                if ui
                    .add(egui::Button::new(strings.zoom_to_all).shortcut_text("Home"))
                    .clicked()
                    && let Some(session) = &app.session
                {
                    app.map.fit_all(session);
                }
                if ui
                    .add_enabled(
                        !app.selection.is_empty(),
                        egui::Button::new(strings.zoom_to_selection),
                    )
                    .clicked()
                {
                    app.zoom_to_selection();
                }
                ui.menu_button(strings.language, |ui| {
                    ui.radio_value(&mut app.preferences.language, Language::Chinese, "中文");
                    ui.radio_value(&mut app.preferences.language, Language::English, "English");
                });
            });
            ui.menu_button(strings.help, |ui| {
                if ui.button(strings.shortcuts).clicked() {
                    app.dialog = Some(Dialog::Shortcuts);
                }
                if ui.button(strings.about).clicked() {
                    app.dialog = Some(Dialog::About);
                }
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let other = match app.preferences.language {
                    Language::Chinese => (Language::English, "English"),
                    Language::English => (Language::Chinese, "中文"),
                };
                if ui.button(other.1).on_hover_text(strings.language).clicked() {
                    app.preferences.language = other.0;
                }
            });
        });
    });
}

fn layer_checkboxes(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    let layers = &mut app.map.layers;
    ui.checkbox(&mut layers.buildings, strings.buildings);
    ui.checkbox(&mut layers.streets, strings.streets);
    ui.checkbox(&mut layers.blocks, strings.blocks);
    ui.checkbox(&mut layers.communities, strings.communities);
    ui.checkbox(&mut layers.street_offices, strings.street_offices);
    ui.checkbox(&mut layers.labels, strings.labels);
    ui.radio_value(
        &mut app.map.colour_by_street_office,
        false,
        strings.colour_by_band,
    );
    ui.radio_value(
        &mut app.map.colour_by_street_office,
        true,
        strings.colour_by_street_office,
    );
}

/// The tools, with their shortcuts.
pub fn toolbar(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    egui::Panel::top("toolbar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let tools = [
                (
                    Tool::default(),
                    strings.tool_select,
                    "V",
                    strings.select_hint,
                ),
                (
                    Tool::default_draw(),
                    strings.tool_draw,
                    "D",
                    strings.draw_hint,
                ),
                (
                    Tool::Vertices(Default::default()),
                    strings.tool_vertices,
                    "E",
                    strings.vertices_hint,
                ),
                (
                    Tool::Split(Vec::new()),
                    strings.tool_split,
                    "S",
                    strings.split_hint,
                ),
                (
                    Tool::AssignBlocks,
                    strings.tool_assign,
                    "B",
                    strings.assign_hint,
                ),
                (
                    Tool::Measure(Vec::new()),
                    strings.tool_measure,
                    "R",
                    strings.measure_hint,
                ),
            ];
            for (tool, label, key, hint) in tools {
                let active = app.tool.same_kind(&tool);
                if ui
                    .selectable_label(active, label)
                    .on_hover_text(format!("{hint} ({key})"))
                    .clicked()
                {
                    app.tool = tool;
                }
            }
            ui.separator();
            if ui
                .add_enabled(
                    app.selection.len() >= 2,
                    egui::Button::new(strings.tool_merge),
                )
                .on_hover_text("M")
                .clicked()
            {
                app.merge_selection();
            }
            let can_undo = app
                .session
                .as_ref()
                .is_some_and(|session| session.history().undo_step().is_some());
            let can_redo = app
                .session
                .as_ref()
                .is_some_and(|session| session.history().redo_step().is_some());
            if ui
                .add_enabled(can_undo, egui::Button::new(strings.undo))
                .on_hover_text("Ctrl+Z")
                .clicked()
            {
                app.undo();
            }
            if ui
                .add_enabled(can_redo, egui::Button::new(strings.redo))
                .on_hover_text("Ctrl+Shift+Z")
                .clicked()
            {
                app.redo();
            }
            ui.separator();
            let hint = match app.tool {
                Tool::Select { .. } => strings.select_hint,
                Tool::Draw(_) => strings.draw_hint,
                Tool::Vertices(_) => strings.vertices_hint,
                Tool::Split(_) => strings.split_hint,
                Tool::AssignBlocks => strings.assign_hint,
                Tool::Measure(_) => strings.measure_hint,
            };
            ui.label(RichText::new(hint).weak());
        });
    });
}

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
                let (length, area) = super::tools::measured(points);
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
                    RichText::new(strings.unsaved).color(Color32::from_rgb(200, 120, 0))
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
                ui.label(RichText::new(message).color(Color32::from_rgb(170, 40, 40)));
            }
        });
    });
}

fn violation_counts(app: &ShequApp, key: CommunityKey) -> (usize, usize) {
    let Some(session) = &app.session else {
        return (0, 0);
    };
    session
        .rules()
        .of_community(key)
        .fold((0, 0), |(errors, warnings), violation| {
            match violation.severity {
                Severity::Error => (errors + 1, warnings),
                Severity::Warning => (errors, warnings + 1),
            }
        })
}

/// Layers and the sortable, filterable community list.
pub fn left_panel(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    egui::Panel::left("communities")
        .resizable(true)
        .default_size(430.0)
        .show(ui, |ui| {
            egui::CollapsingHeader::new(strings.layers)
                .default_open(false)
                .show(ui, |ui| layer_checkboxes(app, ui));
            ui.horizontal(|ui| {
                ui.heading(strings.communities);
                let label = ui.label(strings.filter);
                ui.add(
                    egui::TextEdit::singleline(&mut app.list_filter)
                        .hint_text(strings.filter)
                        .desired_width(160.0),
                )
                .labelled_by(label.id);
            });
            let Some(session) = &app.session else { return };
            let filter = app.list_filter.trim().to_lowercase();
            let mut rows: Vec<(CommunityKey, &Community)> = session
                .plan()
                .communities()
                .filter(|(_, community)| {
                    filter.is_empty()
                        || community.name.to_lowercase().contains(&filter)
                        || community.id.to_lowercase().contains(&filter)
                        || community
                            .street_office
                            .as_deref()
                            .is_some_and(|office| office.to_lowercase().contains(&filter))
                })
                .collect();
            let (column, ascending) = app.list_sort;
            let counts = |key: CommunityKey| violation_counts(app, key);
            rows.sort_by(|(a_key, a), (b_key, b)| {
                let ordering = match column {
                    SortColumn::Id => a.id.cmp(&b.id),
                    SortColumn::Name => a.name.cmp(&b.name),
                    SortColumn::Type => a.kind.cmp(&b.kind),
                    SortColumn::StreetOffice => a.street_office.cmp(&b.street_office),
                    SortColumn::Households => session
                        .tallies()
                        .of(*a_key)
                        .households
                        .cmp(&session.tallies().of(*b_key).households),
                    SortColumn::Residents => session
                        .tallies()
                        .of(*a_key)
                        .residents
                        .cmp(&session.tallies().of(*b_key).residents),
                    SortColumn::Violations => counts(*a_key).cmp(&counts(*b_key)),
                };
                if ascending {
                    ordering
                } else {
                    ordering.reverse()
                }
            });
            let band = &session.profile().community_households;
            let mut clicked = None;
            let mut sort_clicked = None;
            TableBuilder::new(ui)
                .striped(true)
                .sense(egui::Sense::click())
                .column(Column::auto().at_least(110.0))
                .column(Column::auto().at_least(56.0))
                .column(Column::auto().at_least(80.0))
                .column(Column::auto().at_least(90.0))
                .column(Column::auto().at_least(60.0))
                .column(Column::remainder().at_least(70.0))
                .header(22.0, |mut header| {
                    for (column, label) in [
                        (SortColumn::Name, strings.name),
                        (SortColumn::Type, strings.community_type),
                        (SortColumn::StreetOffice, strings.street_office),
                        (SortColumn::Households, strings.households),
                        (SortColumn::Residents, strings.residents),
                        (SortColumn::Violations, strings.violations),
                    ] {
                        header.col(|ui| {
                            let arrow = if app.list_sort.0 == column {
                                if app.list_sort.1 { " ▲" } else { " ▼" }
                            } else {
                                ""
                            };
                            if ui
                                .button(RichText::new(format!("{label}{arrow}")).strong())
                                .clicked()
                            {
                                sort_clicked = Some(column);
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(22.0, rows.len(), |mut row| {
                        let (key, community) = rows[row.index()];
                        row.set_selected(app.selection.contains(&key));
                        let tally = session.tallies().of(key);
                        row.col(|ui| {
                            let selected = app.selection.contains(&key);
                            if ui
                                .add(
                                    egui::Button::selectable(selected, &community.name)
                                        .frame_when_inactive(false),
                                )
                                .clicked()
                            {
                                let shift = ui.input(|input| input.modifiers.shift);
                                clicked = Some((key, shift));
                            }
                        });
                        row.col(|ui| {
                            ui.label(type_name(app, community.kind));
                        });
                        row.col(|ui| {
                            ui.label(community.street_office.as_deref().unwrap_or(""));
                        });
                        row.col(|ui| {
                            let maximum = band.maximum.max(1) as f32;
                            let share = (tally.households as f32 / (maximum * 1.5)).clamp(0.0, 1.0);
                            let colour = if tally.households < band.minimum
                                || (tally.households > band.maximum
                                    && !community.new_estate
                                    && community.kind != CommunityType::WorkUnit)
                            {
                                Color32::from_rgb(200, 60, 60)
                            } else {
                                Color32::from_rgb(70, 150, 80)
                            };
                            let (rect, _) = ui
                                .allocate_exact_size(egui::vec2(90.0, 16.0), egui::Sense::hover());
                            ui.painter().rect_filled(
                                egui::Rect::from_min_size(
                                    rect.min,
                                    egui::vec2(rect.width() * share, rect.height()),
                                ),
                                2.0,
                                colour.gamma_multiply(0.5),
                            );
                            let text_colour = ui.visuals().text_color();
                            ui.painter().text(
                                rect.right_center(),
                                egui::Align2::RIGHT_CENTER,
                                grouped(tally.households),
                                egui::FontId::proportional(13.0),
                                text_colour,
                            );
                        });
                        row.col(|ui| {
                            ui.label(grouped(tally.residents));
                        });
                        row.col(|ui| {
                            let (errors, warnings) = counts(key);
                            if errors > 0 {
                                ui.label(
                                    RichText::new(format!("● {errors}"))
                                        .color(Color32::from_rgb(200, 40, 40)),
                                );
                            }
                            if warnings > 0 {
                                ui.label(
                                    RichText::new(format!("▲ {warnings}"))
                                        .color(Color32::from_rgb(200, 130, 0)),
                                );
                            }
                        });
                        if row.response().clicked() {
                            clicked = Some((
                                key,
                                row.response().ctx.input(|input| input.modifiers.shift),
                            ));
                        }
                    });
                });
            if let Some(column) = sort_clicked {
                app.list_sort = if app.list_sort.0 == column {
                    (column, !app.list_sort.1)
                } else {
                    (column, true)
                };
            }
            match clicked {
                Some((key, true)) => {
                    if let Some(position) =
                        app.selection.iter().position(|selected| *selected == key)
                    {
                        app.selection.remove(position);
                    } else {
                        app.selection.push(key);
                    }
                }
                Some((key, false)) => app.select_and_zoom(key),
                None => {}
            }
        });
}

/// The selected community: its attributes (editable), live figures and violations.
pub fn inspector(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    egui::Panel::right("inspector")
        .resizable(true)
        .default_size(330.0)
        .show(ui, |ui| {
            ui.heading(strings.inspector);
            ui.separator();
            let Some(session) = &app.session else { return };
            let key = match app.selection.as_slice() {
                [] => {
                    ui.label(strings.nothing_selected);
                    return;
                }
                [key] => *key,
                keys => {
                    ui.label(format!("{} ({})", strings.several_selected, keys.len()));
                    let households: u64 = keys
                        .iter()
                        .map(|key| session.tallies().of(*key).households)
                        .sum();
                    ui.label(format!("{}: {}", strings.households, grouped(households)));
                    return;
                }
            };
            let Some(community) = session.plan().community(key).cloned() else {
                return;
            };
            let tally = session.tallies().of(key).clone();
            let figures = community_figures(&community, &tally, session.profile());
            let offices: Vec<String> = session
                .plan()
                .street_offices
                .iter()
                .map(|office| office.name.clone())
                .collect();
            let violations: Vec<(Severity, String)> = session
                .rules()
                .of_community(key)
                .map(|violation| {
                    (
                        violation.severity,
                        violation.message(app.preferences.language).to_owned(),
                    )
                })
                .collect();
            let mut properties = CommunityProperties::of(&community);
            let before = properties.clone();
            egui::Grid::new("attributes")
                .num_columns(2)
                .spacing([8.0, 6.0])
                .show(ui, |ui| {
                    ui.label(strings.community_id);
                    ui.label(&community.id);
                    ui.end_row();
                    let label = ui.label(strings.name);
                    if let Some(name) = drafted_text_edit(
                        ui,
                        &mut app.name_draft,
                        key,
                        &community.name,
                        TextField::Name,
                        label.id,
                    ) && !name.is_empty()
                    {
                        properties.name = name;
                    }
                    ui.end_row();
                    let label = ui.label(strings.community_type);
                    egui::ComboBox::from_id_salt("type")
                        .selected_text(type_name(app, properties.kind))
                        .show_ui(ui, |ui| {
                            for kind in CommunityType::ALL {
                                ui.selectable_value(
                                    &mut properties.kind,
                                    kind,
                                    type_name(app, kind),
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label(strings.street_office);
                    egui::ComboBox::from_id_salt("street_office")
                        .selected_text(properties.street_office.clone().unwrap_or_default())
                        .show_ui(ui, |ui| {
                            for office in &offices {
                                ui.selectable_value(
                                    &mut properties.street_office,
                                    Some(office.clone()),
                                    office,
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                    ui.label(strings.district);
                    ui.label(properties.district.clone().unwrap_or_default());
                    ui.end_row();
                });
            ui.horizontal_wrapped(|ui| {
                ui.checkbox(&mut properties.new_estate, strings.new_estate);
                ui.checkbox(&mut properties.old_town, strings.old_town);
                ui.checkbox(&mut properties.locked, strings.locked);
            });
            let label = ui.label(strings.notes);
            if let Some(notes) = drafted_text_edit(
                ui,
                &mut app.notes_draft,
                key,
                &community.notes,
                TextField::Notes,
                label.id,
            ) {
                properties.notes = notes;
            }
            if properties != before {
                app.execute(Command::SetProperties {
                    key,
                    properties: Box::new(properties),
                });
            }
            ui.separator();
            ui.heading(strings.figures);
            egui::Grid::new("figures")
                .num_columns(2)
                .spacing([8.0, 4.0])
                .show(ui, |ui| {
                    let mut row = |label: &str, value: String| {
                        ui.label(label);
                        ui.label(RichText::new(value).strong());
                        ui.end_row();
                    };
                    row(strings.households, grouped(tally.households));
                    row(strings.residents, grouped(tally.residents));
                    row(strings.buildings_count, grouped(u64::from(tally.buildings)));
                    row(
                        strings.estimated_share,
                        format!("{:.0}%", tally.estimated_share() * 100.0),
                    );
                    row(
                        strings.deputy_directors,
                        figures.deputy_directors.to_string(),
                    );
                    row(strings.police_officers, figures.police_officers.to_string());
                    row(
                        strings.required_space,
                        format!("{} m²", grouped(figures.required_space_m2.round() as u64)),
                    );
                });
            ui.label(RichText::new(strings.funding).strong());
            egui::Grid::new("funding").num_columns(2).show(ui, |ui| {
                let lines = figures.funding;
                for (label, value) in [
                    (strings.funding_office, lines.office),
                    (strings.funding_pay, lines.pay),
                    (strings.funding_insurance, lines.social_insurance),
                    (strings.funding_development, lines.development),
                    (strings.funding_city_fund, lines.city_special_fund),
                    (strings.funding_total, lines.total()),
                ] {
                    ui.label(label);
                    ui.label(grouped(value));
                    ui.end_row();
                }
            });
            if !figures.budget_funded {
                ui.label(RichText::new(strings.original_channel).weak());
            }
            ui.separator();
            ui.heading(strings.violations);
            if violations.is_empty() {
                ui.label(
                    RichText::new(strings.no_violations).color(Color32::from_rgb(46, 125, 50)),
                );
            }
            for (severity, message) in violations {
                let colour = if severity == Severity::Error {
                    Color32::from_rgb(200, 40, 40)
                } else {
                    Color32::from_rgb(200, 130, 0)
                };
                ui.label(RichText::new(message).color(colour));
            }
        });
}

/// One line of the violations panel: key, severity, clause, rule, message, exception, communities.
type ViolationLine = (
    shequ_core::violation::ViolationKey,
    Severity,
    u32,
    &'static str,
    String,
    Option<String>,
    Vec<String>,
);

/// All violations, filterable, each with its clause; a click shows it, "Accept…" records an
/// exception.
pub fn violations_panel(app: &mut ShequApp, ui: &mut egui::Ui) {
    let strings = app.strings();
    egui::Panel::bottom("violations")
        .resizable(true)
        .default_size(190.0)
        .show(ui, |ui| {
            let Some(session) = &app.session else { return };
            let language = app.preferences.language;
            let offices: Vec<String> = session
                .plan()
                .street_offices
                .iter()
                .map(|office| office.name.clone())
                .collect();
            ui.horizontal(|ui| {
                ui.heading(strings.violations);
                let label = ui.label(format!("{}/{}", strings.errors, strings.warnings));
                egui::ComboBox::from_id_salt("severity")
                    .selected_text(match app.violation_filter.errors_only {
                        None => strings.all,
                        Some(true) => strings.errors,
                        Some(false) => strings.warnings,
                    })
                    .show_ui(ui, |ui| {
                        ui.selectable_value(
                            &mut app.violation_filter.errors_only,
                            None,
                            strings.all,
                        );
                        ui.selectable_value(
                            &mut app.violation_filter.errors_only,
                            Some(true),
                            strings.errors,
                        );
                        ui.selectable_value(
                            &mut app.violation_filter.errors_only,
                            Some(false),
                            strings.warnings,
                        );
                    })
                    .response
                    .labelled_by(label.id);
                let label = ui.label(strings.rule);
                egui::ComboBox::from_id_salt("rule")
                    .selected_text(app.violation_filter.rule.unwrap_or(strings.rule))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut app.violation_filter.rule, None, strings.all);
                        for rule in shequ_core::rules::RULE_IDS {
                            ui.selectable_value(&mut app.violation_filter.rule, Some(rule), rule);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                let label = ui.label(strings.street_office);
                egui::ComboBox::from_id_salt("office")
                    .selected_text(
                        app.violation_filter
                            .street_office
                            .clone()
                            .unwrap_or_else(|| strings.street_office.to_owned()),
                    )
                    .show_ui(ui, |ui| {
                        ui.selectable_value(
                            &mut app.violation_filter.street_office,
                            None,
                            strings.all,
                        );
                        for office in offices {
                            ui.selectable_value(
                                &mut app.violation_filter.street_office,
                                Some(office.clone()),
                                office,
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.checkbox(&mut app.violation_filter.mine_only, strings.mine_only);
            });
            let filter = app.violation_filter.clone();
            let rows: Vec<ViolationLine> = session
                .violations()
                .into_iter()
                .filter(|checked| match filter.errors_only {
                    None => true,
                    Some(true) => checked.violation.severity == Severity::Error,
                    Some(false) => checked.violation.severity == Severity::Warning,
                })
                .filter(|checked| {
                    filter
                        .rule
                        .is_none_or(|rule| checked.violation.rule == rule)
                })
                .filter(|checked| !filter.mine_only || !checked.pre_existing)
                .filter(|checked| {
                    filter.street_office.as_ref().is_none_or(|office| {
                        checked.violation.areas.contains(office)
                            || checked.violation.communities.iter().any(|id| {
                                session
                                    .plan()
                                    .key_of(id)
                                    .and_then(|key| session.plan().community(key))
                                    .and_then(|community| community.street_office.as_ref())
                                    == Some(office)
                            })
                    })
                })
                .map(|checked| {
                    let violation = checked.violation;
                    (
                        violation.key(),
                        violation.severity,
                        violation.clause,
                        violation.rule,
                        violation.message(language).to_owned(),
                        checked.accepted.map(|exception| {
                            format!(
                                "{} — {} {}",
                                exception.reason, exception.approver, exception.date
                            )
                        }),
                        violation.communities.clone(),
                    )
                })
                .collect();
            let mut clicked = None;
            let mut accept = None;
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    for (key, severity, clause, rule, message, accepted, communities) in rows {
                        ui.horizontal(|ui| {
                            let (symbol, colour) = if severity == Severity::Error {
                                ("●", Color32::from_rgb(200, 40, 40))
                            } else {
                                ("▲", Color32::from_rgb(200, 130, 0))
                            };
                            ui.label(RichText::new(symbol).color(colour));
                            ui.label(RichText::new(rule).monospace().weak());
                            if clause > 0 {
                                ui.label(match language {
                                    Language::Chinese => format!("第{clause}条"),
                                    Language::English => format!("cl. {clause}"),
                                });
                            }
                            let selected = app.highlighted.as_ref() == Some(&key);
                            if ui.selectable_label(selected, &message).clicked() {
                                clicked = Some((key.clone(), communities.clone()));
                            }
                            match accepted {
                                Some(text) => {
                                    ui.label(
                                        RichText::new(format!("✓ {} ({text})", strings.accepted))
                                            .color(Color32::from_rgb(46, 125, 50)),
                                    );
                                }
                                None => {
                                    if ui.small_button(strings.accept).clicked() {
                                        accept = Some((key.clone(), message.clone()));
                                    }
                                }
                            }
                        });
                    }
                });
            if let Some((key, communities)) = clicked {
                app.highlighted = Some(key.clone());
                let keys: Vec<CommunityKey> = communities
                    .iter()
                    .filter_map(|id| app.session.as_ref()?.plan().key_of(id))
                    .collect();
                if !keys.is_empty() {
                    app.selection = keys;
                }
                let bounds = app.session.as_ref().and_then(|session| {
                    session
                        .rules()
                        .iter()
                        .find(|violation| violation.key() == key)
                        .and_then(|violation| violation.location.bounds())
                });
                if let Some([low, high]) = bounds {
                    app.map.fit(
                        geo::Coord {
                            x: low.x - 80.0,
                            y: low.y - 80.0,
                        },
                        geo::Coord {
                            x: high.x + 80.0,
                            y: high.y + 80.0,
                        },
                    );
                }
            }
            if let Some((key, message)) = accept {
                app.dialog = Some(Dialog::Accept {
                    key,
                    message,
                    reason: String::new(),
                    approver: String::new(),
                });
            }
        });
}

fn open_accept_dialog(app: &mut ShequApp) {
    let Some(key) = app.highlighted.clone() else {
        return;
    };
    let language = app.preferences.language;
    let message = app.session.as_ref().and_then(|session| {
        session
            .rules()
            .iter()
            .find(|violation| violation.key() == key)
            .map(|violation| violation.message(language).to_owned())
    });
    if let Some(message) = message {
        app.dialog = Some(Dialog::Accept {
            key,
            message,
            reason: String::new(),
            approver: String::new(),
        });
    }
}

/// The dialog shown, if any.
pub fn dialogs(app: &mut ShequApp, ctx: &egui::Context) {
    let strings = app.strings();
    let Some(mut dialog) = app.dialog.take() else {
        return;
    };
    let mut keep = true;
    egui::Modal::new(egui::Id::unique("dialog")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        match &mut dialog {
            Dialog::Accept {
                key,
                message,
                reason,
                approver,
            } => {
                ui.heading(strings.accept_violation);
                ui.label(message.as_str());
                let label = ui.label(strings.reason);
                ui.add(egui::TextEdit::multiline(reason).desired_rows(2))
                    .labelled_by(label.id);
                let label = ui.label(strings.approver);
                ui.text_edit_singleline(approver).labelled_by(label.id);
                ui.horizontal(|ui| {
                    let ready = !reason.trim().is_empty() && !approver.trim().is_empty();
                    if ui
                        .add_enabled(ready, egui::Button::new(strings.ok))
                        .clicked()
                    {
                        let command = Command::Accept {
                            key: key.clone(),
                            reason: reason.clone(),
                            approver: approver.clone(),
                            date: today(),
                        };
                        app.execute(command);
                        keep = false;
                    }
                    if ui.button(strings.cancel).clicked() {
                        keep = false;
                    }
                });
            }
            Dialog::NewCommunity {
                boundary,
                id,
                name,
                kind,
            } => {
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
                            .selected_text(type_name(app, *kind))
                            .show_ui(ui, |ui| {
                                for option in CommunityType::ALL {
                                    ui.selectable_value(kind, option, type_name(app, option));
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
                        let office = app
                            .selection
                            .first()
                            .and_then(|key| app.session.as_ref()?.plan().community(*key))
                            .and_then(|community| community.street_office.clone());
                        let community = Community {
                            id: id.trim().to_owned(),
                            name: name.trim().to_owned(),
                            kind: *kind,
                            street_office: office,
                            district: None,
                            new_estate: false,
                            old_town: false,
                            locked: false,
                            office_area_m2: None,
                            service_area_m2: None,
                            notes: String::new(),
                            boundary: boundary.clone(),
                            other_properties: Default::default(),
                        };
                        app.execute(Command::Create {
                            community: Box::new(community),
                            avoid_overlap: true,
                        });
                        keep = false;
                    }
                    if ui.button(strings.cancel).clicked() {
                        keep = false;
                    }
                });
            }
            Dialog::ConfirmQuit => {
                ui.label(strings.unsaved_changes);
                ui.horizontal(|ui| {
                    if ui.button(strings.save_and_quit).clicked() {
                        app.save();
                        app.quit_confirmed = true;
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                        keep = false;
                    }
                    if ui.button(strings.quit_without_saving).clicked() {
                        app.quit_confirmed = true;
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                        keep = false;
                    }
                    if ui.button(strings.cancel).clicked() {
                        keep = false;
                    }
                });
            }
            Dialog::OfferRecovery { recovery } => {
                ui.label(strings.restore_recovery);
                ui.label(recovery.display().to_string());
                ui.horizontal(|ui| {
                    if ui.button(strings.restore).clicked() {
                        let plan_path =
                            app.session.as_ref().and_then(|session| session.plan_path());
                        let restored = plan_path.map(|plan_path| {
                            shequ_core::Session::open_recovery(recovery, plan_path)
                        });
                        match restored {
                            Some(Ok(session)) => {
                                app.session = Some(session);
                                app.selection.clear();
                                app.map.fitted = false;
                            }
                            Some(Err(error)) => app.message = Some(error.to_string()),
                            None => {}
                        }
                        keep = false;
                    }
                    if ui.button(strings.discard).clicked() {
                        let _ = std::fs::remove_file(&*recovery);
                        keep = false;
                    }
                });
            }
            Dialog::NewPlan(draft) => keep = super::new_plan::show(app, ui, draft),
            Dialog::Shortcuts => {
                ui.heading(strings.shortcuts);
                ui.label(strings.shortcuts_text);
                if ui.button(strings.ok).clicked() {
                    keep = false;
                }
            }
            Dialog::About => {
                ui.heading(strings.about);
                ui.label(strings.about_text);
                if ui.button(strings.ok).clicked() {
                    keep = false;
                }
            }
        }
    });
    if keep && app.dialog.is_none() {
        app.dialog = Some(dialog);
    }
}

/// The inspector's text fields.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TextField {
    Name,
    Notes,
}

/// A text field over `current` that edits a draft, so that typing is one undo step rather than
/// one a key: returns the trimmed text when the planner finishes (Enter on the name, or leaving
/// the field) and it differs from `current`.
fn drafted_text_edit(
    ui: &mut egui::Ui,
    draft: &mut Option<(CommunityKey, String)>,
    key: CommunityKey,
    current: &str,
    field: TextField,
    label: egui::Id,
) -> Option<String> {
    let edit_id = egui::Id::unique(("inspector text", field as u8));
    // The draft lives while the field has focus; in the frame the focus leaves (Escape,
    // a click elsewhere), the draft is what the planner typed and is committed.
    let mut text = match draft {
        Some((draft_key, text)) if *draft_key == key => text.clone(),
        _ => current.to_owned(),
    };
    let editor = match field {
        TextField::Name => egui::TextEdit::singleline(&mut text).desired_width(180.0),
        TextField::Notes => egui::TextEdit::multiline(&mut text)
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    };
    let response = ui.add(editor.id(edit_id)).labelled_by(label);
    let committed = response.lost_focus()
        || (field == TextField::Name
            && response.has_focus()
            && ui.input(|input| input.key_pressed(egui::Key::Enter)));
    *draft = (response.has_focus() && !committed).then(|| (key, text.clone()));
    let text = text.trim();
    (committed && text != current).then(|| text.to_owned())
}
