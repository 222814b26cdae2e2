//! The inspector: the selected community's attributes (editable), live figures and violations.

use eframe::egui::{self, RichText};
use shequ_core::edit::Command;
use shequ_core::figures::{CommunityFigures, community_figures};
use shequ_core::format::grouped;
use shequ_core::ids::CommunityKey;
use shequ_core::plan::Community;
use shequ_core::plan::CommunityType;
use shequ_core::tally::CommunityTally;
use shequ_core::violation::Severity;

use crate::app::context::ViewCtx;
use crate::app::i18n::Strings;
use crate::app::intent::Intent;
use crate::app::state::UiState;
use crate::theme;

use super::widgets::{TextField, drafted_text_edit};

/// The selected community: its attributes (editable), live figures and violations.
pub fn inspector(view: &ViewCtx, state: &mut UiState, ui: &mut egui::Ui, out: &mut Vec<Intent>) {
    let strings = view.strings;
    egui::Panel::right("inspector")
        .resizable(true)
        .default_size(330.0)
        .show(ui, |ui| {
            ui.heading(strings.inspector);
            ui.separator();
            let Some(session) = view.session else { return };
            let key = match view.selection {
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
            let violations: Vec<(Severity, String, bool)> = session
                .rules()
                .of_community(key)
                .map(|violation| {
                    let accepted = session.exception_for(violation).is_some();
                    (
                        violation.severity,
                        violation.message(view.language).to_owned(),
                        accepted,
                    )
                })
                .collect();
            // The whole inspector scrolls, so the violations stay within reach however the
            // panels are sized.
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    attributes(view, state, ui, (key, &community), &offices, out);
                    ui.separator();
                    if let Some(comparison) = view.comparison {
                        before_and_after(ui, strings, comparison, &community.id);
                        ui.separator();
                    }
                    figures_section(ui, strings, &tally, &figures);
                    ui.separator();
                    walking_section(ui, view, session, (key, &community), out);
                    ui.separator();
                    if !community.properties.grids.is_empty() {
                        grids_section(ui, view, state, (key, &community), out);
                        ui.separator();
                    }
                    violations_section(ui, strings, violations);
                });
        });
}

/// While comparing: the community's households, residents and buildings before and after.
fn before_and_after(
    ui: &mut egui::Ui,
    strings: &Strings,
    comparison: &crate::app::comparison::ComparisonView,
    id: &str,
) {
    use shequ_core::compare::ChangeStatus;
    let Some(change) = comparison
        .comparison
        .communities
        .iter()
        .find(|change| change.id == id)
    else {
        return;
    };
    let status = match change.status {
        ChangeStatus::Unchanged => strings.status_unchanged,
        ChangeStatus::Changed => strings.status_changed,
        ChangeStatus::New => strings.status_new,
        ChangeStatus::Removed => strings.status_removed,
    };
    ui.strong(format!("{} ({status})", strings.before_after));
    egui::Grid::new("before and after")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            let rows = [
                (
                    strings.households,
                    change.households_before,
                    change.households_after,
                ),
                (
                    strings.residents,
                    change.residents_before,
                    change.residents_after,
                ),
                (
                    strings.buildings,
                    u64::from(change.buildings_before),
                    u64::from(change.buildings_after),
                ),
            ];
            for (label, before, after) in rows {
                ui.label(label);
                let sign = match after.cmp(&before) {
                    std::cmp::Ordering::Greater => "+",
                    std::cmp::Ordering::Less => "−",
                    std::cmp::Ordering::Equal => "±",
                };
                ui.label(format!(
                    "{} → {}  ({sign}{})",
                    grouped(before),
                    grouped(after),
                    grouped(after.abs_diff(before))
                ));
                ui.end_row();
            }
        });
}

/// The attributes, editable; a change is one undoable step (names and notes when the field is
/// left).
fn attributes(
    view: &ViewCtx,
    state: &mut UiState,
    ui: &mut egui::Ui,
    (key, community): (CommunityKey, &Community),
    offices: &[String],
    out: &mut Vec<Intent>,
) {
    let strings = view.strings;
    let mut properties = community.properties.clone();
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
                &mut state.name_draft,
                key,
                &community.properties.name,
                TextField::Name,
                label.id,
            ) && !name.is_empty()
            {
                properties.name = name;
            }
            ui.end_row();
            let label = ui.label(strings.community_type);
            egui::ComboBox::from_id_salt("type")
                .selected_text(view.type_name(properties.kind))
                .show_ui(ui, |ui| {
                    for kind in CommunityType::ALL {
                        ui.selectable_value(&mut properties.kind, kind, view.type_name(kind));
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(strings.street_office);
            egui::ComboBox::from_id_salt("street_office")
                .selected_text(properties.street_office.clone().unwrap_or_default())
                .show_ui(ui, |ui| {
                    for office in offices {
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
        &mut state.notes_draft,
        key,
        &community.properties.notes,
        TextField::Notes,
        label.id,
    ) {
        properties.notes = notes;
    }
    if properties != before {
        out.push(Intent::Edit(Command::SetProperties {
            key,
            properties: Box::new(properties),
        }));
    }
}

/// Households, residents, staffing, space and funding, as they stand.
fn figures_section(
    ui: &mut egui::Ui,
    strings: &Strings,
    tally: &CommunityTally,
    figures: &CommunityFigures,
) {
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
        let lines = &figures.funding;
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
}

/// The community's management grids: each code with its households and residents, those
/// outside the profile's range marked.
fn grids_section(
    ui: &mut egui::Ui,
    view: &ViewCtx,
    state: &mut UiState,
    (key, community): (CommunityKey, &Community),
    out: &mut Vec<Intent>,
) {
    let Some(session) = view.session else {
        return;
    };
    let strings = view.strings;
    // Ticks of grids this community no longer has (another community's, or merged) go.
    state.checked_grids.retain(|code| {
        community
            .properties
            .grids
            .iter()
            .any(|grid| &grid.code == code)
    });
    let Some(counted) = session.rules().grids_of(key) else {
        return;
    };
    let (grids, outside) = (&counted.grids, &counted.outside);
    let settings = &session.profile().grids;
    let range = settings.minimum_households..=settings.maximum_households;
    ui.heading(format!("{} ({})", strings.grids_heading, grids.len()));
    egui::Grid::new("grids")
        .num_columns(3)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            for grid in grids {
                let mut ticked = state.checked_grids.contains(&grid.code);
                if ui.checkbox(&mut ticked, &grid.code).changed() {
                    if ticked {
                        state.checked_grids.push(grid.code.clone());
                    } else {
                        state.checked_grids.retain(|code| code != &grid.code);
                    }
                }
                let households = RichText::new(format!(
                    "{} {}",
                    grouped(grid.households),
                    strings.households_unit
                ));
                ui.label(if range.contains(&grid.households) {
                    households
                } else {
                    households.color(theme::ERROR.egui())
                });
                ui.label(format!("{} {}", strings.residents, grouped(grid.residents)));
                ui.end_row();
            }
        });
    if !outside.is_empty() {
        ui.colored_label(
            theme::ERROR.egui(),
            format!(
                "{} {}",
                grouped(outside.len() as u64),
                strings.grids_homes_outside
            ),
        );
    }
    ui.horizontal(|ui| {
        let merge = ui.add_enabled(
            state.checked_grids.len() >= 2,
            egui::Button::new(strings.grids_merge),
        );
        if merge.clicked() {
            match shequ_core::grids::merge_grids(session, key, &state.checked_grids) {
                Ok(command) => {
                    out.push(Intent::Edit(command));
                    state.checked_grids.clear();
                }
                Err(error) => state.message = Some(error.describe(view.language)),
            }
        }
        let idle = state.drawing_grids.is_none();
        if ui
            .add_enabled(idle, egui::Button::new(strings.grids_redraw))
            .clicked()
        {
            out.push(Intent::DrawGrids);
        }
    });
    ui.horizontal(|ui| {
        use shequ_core::profile::GridCodes;
        ui.label(strings.grids_codes)
            .on_hover_text(strings.grids_codes_hint);
        let current = settings.codes_after_edits;
        for (codes, label) in [
            (GridCodes::ReadingOrder, strings.grids_codes_reading_order),
            (GridCodes::Kept, strings.grids_codes_kept),
        ] {
            if ui
                .selectable_label(current == codes, label)
                .on_hover_text(strings.grids_codes_hint)
                .clicked()
                && current != codes
            {
                out.push(Intent::SetGridCodes(codes));
            }
        }
    });
}

/// Walking distances to the committee office: the share of households within each of the
/// profile's distances, the farthest building, those that cannot reach it; or how to place one.
fn walking_section(
    ui: &mut egui::Ui,
    view: &ViewCtx,
    session: &shequ_core::Session,
    (key, community): (CommunityKey, &Community),
    out: &mut Vec<Intent>,
) {
    let strings = view.strings;
    ui.heading(strings.walking);
    let Some(walking) = session.rules().walking_of(key) else {
        ui.label(RichText::new(strings.walking_no_office).weak());
        return;
    };
    egui::Grid::new("walking")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            for ((distance, households), (_, share)) in walking.within.iter().zip(walking.shares())
            {
                let label = strings
                    .walking_within
                    .replace("{distance}", &format!("{} m", grouped(*distance as u64)));
                ui.label(label);
                ui.label(
                    RichText::new(format!(
                        "{:.0}% ({} {})",
                        share * 100.0,
                        grouped(*households),
                        strings.households_unit
                    ))
                    .strong(),
                );
                ui.end_row();
            }
            if let Some((_, metres)) = walking.farthest {
                ui.label(strings.walking_farthest);
                ui.label(RichText::new(format!("{} m", grouped(metres.round() as u64))).strong());
                ui.end_row();
            }
            if !walking.unreachable.is_empty() {
                ui.label(strings.walking_unreachable);
                ui.label(
                    RichText::new(format!(
                        "{} ({} {})",
                        grouped(walking.unreachable.len() as u64),
                        grouped(walking.unreachable_households),
                        strings.households_unit
                    ))
                    .color(theme::WARNING.egui()),
                );
                ui.end_row();
            }
        });
    if walking.office_outside {
        ui.label(RichText::new(strings.walking_office_outside).color(theme::WARNING.egui()));
    }
    ui.horizontal(|ui| {
        let mut properties = community.properties.clone();
        if ui.button(strings.remove_office).clicked() {
            properties.office = None;
        }
        if community.properties.service.is_some() && ui.button(strings.remove_service).clicked() {
            properties.service = None;
        }
        if properties != community.properties {
            out.push(Intent::Edit(Command::SetProperties {
                key,
                properties: Box::new(properties),
            }));
        }
    });
}

/// The community's violations in their severity's colour.
fn violations_section(
    ui: &mut egui::Ui,
    strings: &Strings,
    violations: Vec<(Severity, String, bool)>,
) {
    ui.heading(strings.violations);
    if violations.iter().all(|(_, _, accepted)| *accepted) {
        ui.label(RichText::new(strings.no_violations).color(theme::CLEAN.egui()));
    }
    for (severity, message, accepted) in violations {
        if accepted {
            ui.label(
                RichText::new(format!("✓ {} · {message}", strings.accepted))
                    .color(theme::CLEAN.egui()),
            );
            continue;
        }
        let colour = if severity == Severity::Error {
            theme::ERROR.egui()
        } else {
            theme::WARNING.egui()
        };
        ui.label(RichText::new(message).color(colour));
    }
}
