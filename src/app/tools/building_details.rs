//! The building under the pointer, where buildings are drawn — and the one clicked or found,
//! pinned in a window: its outline, and its id, households and residents (from the data, or
//! estimated and how), floors, use, estate, work unit and community — what a planner checks
//! before trusting a count.

use eframe::egui::{self, RichText, Stroke};
use shequ_core::Session;
use shequ_core::attributes::Field;
use shequ_core::format::grouped;
use shequ_core::layers::{Building, FigureSource};

use crate::app::context::ViewCtx;
use crate::app::dialogs::new_plan::field_name;
use crate::app::map::{BUILDINGS_VISIBLE_BELOW_METRES_PER_POINT, MapView};
use crate::app::state::UiState;
use crate::theme;

/// The building under the pointer, if buildings are drawn and the pointer rests on one.
pub fn hovered(view: &ViewCtx, map: &MapView, response: &egui::Response) -> Option<u32> {
    let session = view.session?;
    let drawn =
        map.layers.buildings && map.metres_per_point < BUILDINGS_VISIBLE_BELOW_METRES_PER_POINT;
    if !drawn || response.dragged() {
        return None;
    }
    let pointer = response.hover_pos()?;
    session.building_at(map.to_metres(pointer))
}

/// Outlines `building` and shows its details beside the pointer.
pub fn show(
    view: &ViewCtx,
    map: &MapView,
    painter: &egui::Painter,
    response: &egui::Response,
    building: u32,
) {
    let Some(session) = view.session else { return };
    let Some(details) = session.layers().buildings.get(building as usize) else {
        return;
    };
    map.outline_footprint(
        painter,
        &details.footprint,
        Stroke::new(2.5, theme::SELECTED.egui()),
    );
    response.clone().on_hover_ui_at_pointer(|ui| {
        ui.label(RichText::new(title(view, details)).strong());
        details_grid(ui, view, session, (building, details));
    });
}

/// The pinned building: outlined, its details in a window until closed.
pub fn show_pinned(
    view: &ViewCtx,
    state: &mut UiState,
    ctx: &egui::Context,
    painter: &egui::Painter,
) {
    let (Some(session), Some(index)) = (view.session, state.pinned_building) else {
        return;
    };
    let Some(building) = session.layers().buildings.get(index as usize) else {
        state.pinned_building = None;
        return;
    };
    state.map.outline_footprint(
        painter,
        &building.footprint,
        Stroke::new(3.0, theme::SELECTED.egui()),
    );
    let mut open = true;
    egui::Window::new(title(view, building))
        .id(egui::Id::unique("pinned building"))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .pivot(egui::Align2::RIGHT_TOP)
        .default_pos(state.map.rect.right_top() + egui::vec2(-12.0, 12.0))
        .show(ctx, |ui| details_grid(ui, view, session, (index, building)));
    if !open {
        state.pinned_building = None;
    }
}

/// "楼栋 B0001517".
fn title(view: &ViewCtx, building: &Building) -> String {
    format!("{} {}", view.strings.building, building.source_id)
}

/// The details as a two-column table.
fn details_grid(
    ui: &mut egui::Ui,
    view: &ViewCtx,
    session: &Session,
    (index, building): (u32, &Building),
) {
    let strings = view.strings;
    let language = view.language;
    let profile = session.profile();
    egui::Grid::new("building details")
        .num_columns(2)
        .spacing([12.0, 3.0])
        .show(ui, |ui| {
            let mut row = |name: &str, value: String| {
                ui.label(RichText::new(name).weak());
                ui.label(value);
                ui.end_row();
            };
            // A count, and where it came from: the data, or the estimate with its terms.
            let figure = |count: u32, source: FigureSource, estimate: String| {
                let how = match source {
                    FigureSource::Data => strings.from_the_data.to_owned(),
                    FigureSource::Estimate => estimate,
                };
                format!("{} ({how})", grouped(u64::from(count)))
            };
            if building.residential {
                let households = figure(
                    building.households,
                    building.households_source,
                    strings
                        .households_estimated_as
                        .replace("{area}", &format!("{:.0}", building.footprint_area_m2))
                        .replace("{floors}", &format!("{:.0}", building.floors))
                        .replace("{ratio}", &format!("{}", profile.estimate.net_ratio))
                        .replace("{size}", &format!("{}", profile.estimate.dwelling_size_m2)),
                );
                row(field_name(Field::Households, language), households);
                let residents = figure(
                    building.residents,
                    building.residents_source,
                    strings
                        .residents_estimated_as
                        .replace("{size}", &format!("{}", profile.estimate.household_size)),
                );
                row(field_name(Field::Residents, language), residents);
            } else {
                row(
                    field_name(Field::Households, language),
                    strings.not_residential.to_owned(),
                );
            }
            row(
                field_name(Field::Floors, language),
                format!("{:.0}", building.floors),
            );
            row(
                field_name(Field::Use, language),
                building
                    .building_use
                    .as_deref()
                    .unwrap_or(strings.none)
                    .to_owned(),
            );
            let labels = building.labels.as_deref();
            for (field, value) in [
                (
                    Field::Estate,
                    labels.and_then(|labels| labels.estate.as_deref()),
                ),
                (
                    Field::WorkUnit,
                    labels.and_then(|labels| labels.work_unit.as_deref()),
                ),
                (
                    Field::Name,
                    labels.and_then(|labels| labels.name.as_deref()),
                ),
            ] {
                if let Some(value) = value {
                    row(field_name(field, language), value.to_owned());
                }
            }
            let key = MapView::community_at(session, building.representative_point);
            let community = key
                .and_then(|key| session.plan().community(key))
                .map_or_else(
                    || strings.in_no_community.to_owned(),
                    |community| format!("{} ({})", community.properties.name, community.id),
                );
            row(strings.community, community);
            // How far it walks to its community's committee office, where one is placed.
            let walked = key
                .and_then(|key| session.rules().walking_of(key))
                .and_then(|walking| {
                    walking
                        .distances
                        .iter()
                        .find(|(member, _)| *member == index)
                });
            if let Some(&(_, distance)) = walked {
                row(
                    strings.walking,
                    distance.map_or_else(
                        || strings.walking_unreachable.to_owned(),
                        |metres| format!("{} m", grouped(metres.round() as u64)),
                    ),
                );
            }
        });
}
