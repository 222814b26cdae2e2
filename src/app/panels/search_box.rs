//! The search box at the toolbar's end (Ctrl+F): as the planner types, what the plan holds by that
//! name is listed under it — communities, street offices, streets (also by pinyin initials),
//! buildings by id, a typed longitude and latitude. ↑ ↓ choose, Enter or a click shows it.

use eframe::egui::{self, Key, RichText};
use shequ_core::Session;
use shequ_core::search::{Found, SearchHit};

use crate::app::context::ViewCtx;
use crate::app::intent::Intent;
use crate::app::map::MapView;
use crate::app::state::SearchState;

/// The search box's id, so Ctrl+F can give it the keyboard.
pub fn search_box_id() -> egui::Id {
    egui::Id::unique("search box")
}

/// The box, and the hits under it while it is in use.
pub fn search_box(
    view: &ViewCtx,
    search: &mut SearchState,
    ui: &mut egui::Ui,
    out: &mut Vec<Intent>,
) {
    let strings = view.strings;
    let Some(session) = view.session else {
        return;
    };
    // Laid out right to left: the box first, its label before it.
    let response = ui.add(
        egui::TextEdit::singleline(&mut search.query)
            .id(search_box_id())
            .hint_text(format!("{} (Ctrl+F)", strings.search))
            .desired_width(220.0),
    );
    let label = ui.label(strings.search);
    let response = response
        .labelled_by(label.id)
        .on_hover_text(strings.search_hint);
    if response.changed() || response.gained_focus() {
        search.open = true;
        search.highlighted = 0;
    }
    refresh_hits(session, search);
    if response.has_focus() {
        let (down, up) = ui.input_mut(|input| {
            (
                input.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
                input.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
            )
        });
        let last = search.hits.len().saturating_sub(1);
        if down {
            search.highlighted = (search.highlighted + 1).min(last);
        }
        if up {
            search.highlighted = search.highlighted.saturating_sub(1);
        }
    }
    if response.lost_focus() {
        let (enter, escape) = ui.input_mut(|input| {
            (
                input.consume_key(egui::Modifiers::NONE, Key::Enter),
                input.key_pressed(Key::Escape),
            )
        });
        if enter && let Some(hit) = search.hits.get(search.highlighted) {
            out.push(Intent::ShowFound(hit.clone()));
            search.open = false;
        }
        if escape {
            search.open = false;
        }
    }
    if search.open && !search.query.trim().is_empty() {
        hit_list(view, session, search, ui.ctx(), &response, out);
    }
}

/// Searches again when the query or the plan changed.
fn refresh_hits(session: &Session, search: &mut SearchState) {
    let stamp = (search.query.clone(), session.generation());
    if search.hits_for.as_ref() != Some(&stamp) {
        search.hits = session.search(&search.query);
        search.highlighted = search.highlighted.min(search.hits.len().saturating_sub(1));
        search.hits_for = Some(stamp);
    }
}

/// The hits, under the box; closed by a click anywhere else.
fn hit_list(
    view: &ViewCtx,
    session: &Session,
    search: &mut SearchState,
    ctx: &egui::Context,
    box_response: &egui::Response,
    out: &mut Vec<Intent>,
) {
    let strings = view.strings;
    let area = egui::Area::new(egui::Id::unique("search hits"))
        .order(egui::Order::Foreground)
        .fixed_pos(box_response.rect.left_bottom() + egui::vec2(0.0, 2.0))
        .accessibility_parent(box_response.id)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_min_width(box_response.rect.width().max(280.0));
                if search.hits.is_empty() {
                    ui.label(RichText::new(strings.no_results).weak());
                }
                for (index, hit) in search.hits.iter().enumerate() {
                    let text = format!("{} · {}", kind_name(view, &hit.found), hit.title);
                    let row = ui
                        .selectable_label(index == search.highlighted, text)
                        .on_hover_text(detail(view, session, hit));
                    if row.clicked() {
                        out.push(Intent::ShowFound(hit.clone()));
                        search.open = false;
                    }
                }
            });
        });
    let pressed_elsewhere = ctx.input(|input| {
        input.pointer.any_pressed()
            && input.pointer.interact_pos().is_some_and(|at| {
                !area.response.rect.contains(at) && !box_response.rect.contains(at)
            })
    });
    if pressed_elsewhere {
        search.open = false;
    }
}

/// What kind of thing a hit is, in the interface language.
fn kind_name(view: &ViewCtx, found: &Found) -> &'static str {
    let strings = view.strings;
    match found {
        Found::Community(_) => strings.community,
        Found::StreetOffice { .. } => strings.street_office,
        Found::Street { .. } => strings.street_kind,
        Found::Building(_) => strings.building,
        Found::Place(_) => strings.place_kind,
        Found::Grid { .. } => strings.grids_heading,
    }
}

/// A line more about a hit: a community's id and street office, how many communities or street
/// segments, the community a building or a place is in.
fn detail(view: &ViewCtx, session: &Session, hit: &SearchHit) -> String {
    let strings = view.strings;
    let community_name = |point| {
        MapView::community_at(session, point)
            .and_then(|key| session.plan().community(key))
            .map_or_else(
                || strings.in_no_community.to_owned(),
                |community| format!("{} ({})", community.properties.name, community.id),
            )
    };
    match &hit.found {
        Found::Community(key) => {
            session
                .plan()
                .community(*key)
                .map_or_else(String::new, |community| {
                    match &community.properties.street_office {
                        Some(office) => format!("{} · {office}", community.id),
                        None => community.id.clone(),
                    }
                })
        }
        Found::StreetOffice { communities, .. } => strings
            .communities_count
            .replace("{count}", &communities.len().to_string()),
        Found::Street { streets, .. } => strings
            .streets_count
            .replace("{count}", &streets.len().to_string()),
        Found::Building(index) => session
            .layers()
            .buildings
            .get(*index as usize)
            .map_or_else(String::new, |building| {
                community_name(building.representative_point)
            }),
        Found::Place(point) => community_name(*point),
        Found::Grid { community, .. } => session
            .plan()
            .community(*community)
            .map_or_else(String::new, |community| {
                format!("{} ({})", community.properties.name, community.id)
            }),
    }
}
