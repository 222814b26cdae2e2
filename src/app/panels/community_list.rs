//! The left panel: layers and the sortable, filterable community list.

use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};
use shequ_core::format::grouped;
use shequ_core::ids::CommunityKey;
use shequ_core::plan::{Community, CommunityType};
use shequ_core::violation::Severity;

use shequ_core::Session;

use crate::app::context::ViewCtx;
use crate::app::i18n::Strings;
use crate::app::intent::Intent;
use crate::app::state::{SortColumn, UiState};
use crate::theme;

use super::basemap_layers::basemap_rows;
use super::widgets::layer_checkboxes;

/// A community's errors and warnings that no exception accepts, and how many are accepted.
fn violation_counts(session: &Session, key: CommunityKey) -> (usize, usize, usize) {
    let (errors, warnings) =
        session
            .unaccepted_violations_of(key)
            .fold((0, 0), |(errors, warnings), violation| {
                match violation.severity {
                    Severity::Error => (errors + 1, warnings),
                    Severity::Warning => (errors, warnings + 1),
                }
            });
    let accepted = session.rules().of_community(key).count() - errors - warnings;
    (errors, warnings, accepted)
}

/// Layers and the sortable, filterable community list.
pub fn left_panel(view: &ViewCtx, state: &mut UiState, ui: &mut egui::Ui, out: &mut Vec<Intent>) {
    let strings = view.strings;
    egui::Panel::left("communities")
        .resizable(true)
        .default_size(430.0)
        .show(ui, |ui| {
            egui::CollapsingHeader::new(strings.layers)
                .default_open(false)
                .show(ui, |ui| {
                    layer_checkboxes(view, &mut state.map, ui);
                    basemap_rows(view, &mut state.basemaps, ui, out);
                });
            ui.horizontal(|ui| {
                ui.heading(strings.communities);
                let label = ui.label(strings.filter);
                ui.add(
                    egui::TextEdit::singleline(&mut state.list_filter)
                        .hint_text(strings.filter)
                        .desired_width(160.0),
                )
                .labelled_by(label.id);
            });
            let Some(session) = view.session else { return };
            let rows = listed_rows(session, &state.list_filter, state.list_sort);
            let counts = |key: CommunityKey| violation_counts(session, key);
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
                            let arrow = if state.list_sort.0 == column {
                                if state.list_sort.1 { " ▲" } else { " ▼" }
                            } else {
                                ""
                            };
                            // Headers never wrap ("Violation/s"): the column widens.
                            let button = egui::Button::new(
                                RichText::new(format!("{label}{arrow}")).strong(),
                            )
                            .wrap_mode(egui::TextWrapMode::Extend);
                            if ui.add(button).clicked() {
                                sort_clicked = Some(column);
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(22.0, rows.len(), |mut row| {
                        let (key, community) = rows[row.index()];
                        row.set_selected(view.selection.contains(&key));
                        let tally = session.tallies().of(key);
                        row.col(|ui| {
                            let selected = view.selection.contains(&key);
                            if ui
                                .add(
                                    egui::Button::selectable(selected, &community.properties.name)
                                        .frame_when_inactive(false),
                                )
                                .clicked()
                            {
                                let shift = ui.input(|input| input.modifiers.shift);
                                clicked = Some((key, shift));
                            }
                        });
                        // Rows are one line high: a type name widens its column; a long street
                        // office is cut with "…" rather than wrapped over the next row.
                        row.col(|ui| {
                            ui.add(
                                egui::Label::new(view.type_name(community.properties.kind))
                                    .extend(),
                            );
                        });
                        row.col(|ui| {
                            ui.add(
                                egui::Label::new(
                                    community.properties.street_office.as_deref().unwrap_or(""),
                                )
                                .truncate(),
                            );
                        });
                        row.col(|ui| households_bar(ui, tally.households, community, band));
                        row.col(|ui| {
                            ui.label(grouped(tally.residents));
                        });
                        row.col(|ui| violation_marks(ui, strings, counts(key)));
                        if row.response().clicked() {
                            clicked = Some((
                                key,
                                row.response().ctx.input(|input| input.modifiers.shift),
                            ));
                        }
                    });
                });
            apply_clicks(state, sort_clicked, clicked, out);
        });
}

/// The communities the filter lets through (name, id or street office), sorted.
fn listed_rows<'a>(
    session: &'a Session,
    filter: &str,
    sort: (SortColumn, bool),
) -> Vec<(CommunityKey, &'a Community)> {
    let filter = filter.trim().to_lowercase();
    let mut rows: Vec<(CommunityKey, &Community)> = session
        .plan()
        .communities()
        .filter(|(_, community)| {
            filter.is_empty()
                || community.properties.name.to_lowercase().contains(&filter)
                || community.id.to_lowercase().contains(&filter)
                || community
                    .properties
                    .street_office
                    .as_deref()
                    .is_some_and(|office| office.to_lowercase().contains(&filter))
        })
        .collect();
    let (column, ascending) = sort;
    let counts = |key: CommunityKey| violation_counts(session, key);
    rows.sort_by(|(a_key, a), (b_key, b)| {
        let ordering = match column {
            SortColumn::Id => a.id.cmp(&b.id),
            SortColumn::Name => a.properties.name.cmp(&b.properties.name),
            SortColumn::Type => a.properties.kind.cmp(&b.properties.kind),
            SortColumn::StreetOffice => a.properties.street_office.cmp(&b.properties.street_office),
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
    rows
}

/// The households as a bar against the band (red outside it) with the number over it.
fn households_bar(
    ui: &mut egui::Ui,
    households: u64,
    community: &Community,
    band: &shequ_core::profile::CommunityHouseholds,
) {
    let maximum = band.maximum.max(1) as f32;
    let share = (households as f32 / (maximum * 1.5)).clamp(0.0, 1.0);
    let outside = households < band.minimum
        || (households > band.maximum
            && !community.properties.new_estate
            && community.properties.kind != CommunityType::WorkUnit);
    let colour = if outside {
        theme::ERROR.egui()
    } else {
        theme::CLEAN.egui()
    };
    let (rect, _) = ui.allocate_exact_size(egui::vec2(90.0, 16.0), egui::Sense::hover());
    ui.painter().rect_filled(
        egui::Rect::from_min_size(rect.min, egui::vec2(rect.width() * share, rect.height())),
        2.0,
        colour.gamma_multiply(0.5),
    );
    let text_colour = ui.visuals().text_color();
    ui.painter().text(
        rect.right_center(),
        egui::Align2::RIGHT_CENTER,
        grouped(households),
        egui::FontId::proportional(13.0),
        text_colour,
    );
}

/// "● 2 ▲ 1": unaccepted errors and warnings in their colours; ✓ when there are none (its
/// tooltip says how many breaks are accepted).
fn violation_marks(
    ui: &mut egui::Ui,
    strings: &Strings,
    (errors, warnings, accepted): (usize, usize, usize),
) {
    // One line, however narrow the column: "● 1 ▲ 1" side by side.
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        if errors > 0 {
            ui.label(RichText::new(format!("● {errors}")).color(theme::ERROR.egui()));
        }
        if warnings > 0 {
            ui.label(RichText::new(format!("▲ {warnings}")).color(theme::WARNING.egui()));
        }
        if errors == 0 && warnings == 0 {
            let mark = ui.label(RichText::new("✓").color(theme::CLEAN.egui()));
            if accepted > 0 {
                mark.on_hover_text(format!("{} {accepted}", strings.accepted));
            }
        }
    });
}

/// A click on a column header sorts by it (again: the other way); a click on a row selects it
/// and zooms to it, with Shift adds or removes it.
fn apply_clicks(
    state: &mut UiState,
    sort_clicked: Option<SortColumn>,
    clicked: Option<(CommunityKey, bool)>,
    out: &mut Vec<Intent>,
) {
    if let Some(column) = sort_clicked {
        state.list_sort = if state.list_sort.0 == column {
            (column, !state.list_sort.1)
        } else {
            (column, true)
        };
    }
    match clicked {
        Some((key, true)) => out.push(Intent::ToggleSelected(key)),
        Some((key, false)) => out.push(Intent::SelectAndZoom(vec![key])),
        None => {}
    }
}
