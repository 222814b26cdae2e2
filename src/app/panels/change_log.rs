//! The change log window (修改记录): every committed change, newest first, with who made it,
//! when, and the households of the communities it touched; filtered by community, person and
//! date; a click on an entry selects its communities that still exist and shows them. The
//! person the log names is set here.

use eframe::egui::{self, RichText};
use shequ_core::audit::LogEntry;

use crate::app::context::ViewCtx;
use crate::app::intent::Intent;
use crate::app::state::{LogFilter, UiState};

/// The log window, while open.
pub fn change_log_window(
    view: &ViewCtx,
    state: &mut UiState,
    ctx: &egui::Context,
    out: &mut Vec<Intent>,
) {
    let (Some(filter), Some(session)) = (&mut state.log_window, view.session) else {
        return;
    };
    let strings = view.strings;
    let mut open = true;
    egui::Window::new(strings.change_log)
        .id(egui::Id::unique("change log window"))
        .open(&mut open)
        .default_width(640.0)
        .default_height(420.0)
        .resizable(true)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label(strings.log_user);
                let mut name = view.user_name.to_owned();
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut name)
                            .hint_text(session.user())
                            .desired_width(140.0),
                    )
                    .labelled_by(label.id);
                if response.changed() {
                    out.push(Intent::SetUserName(name));
                }
                ui.label(RichText::new(strings.log_user_hint).weak());
            });
            ui.separator();
            filters(view, filter, session.log(), ui);
            ui.separator();
            entries(view, filter, session, ui, out);
        });
    if !open {
        state.log_window = None;
    }
}

fn filters(view: &ViewCtx, filter: &mut LogFilter, log: &[LogEntry], ui: &mut egui::Ui) {
    let strings = view.strings;
    let mut users: Vec<&str> = log.iter().map(|entry| entry.user.as_str()).collect();
    users.sort_unstable();
    users.dedup();
    let mut dates: Vec<&str> = log.iter().map(LogEntry::date).collect();
    dates.sort_unstable();
    dates.dedup();
    ui.horizontal(|ui| {
        let label = ui.label(strings.communities);
        ui.add(
            egui::TextEdit::singleline(&mut filter.community)
                .hint_text(strings.filter)
                .desired_width(120.0),
        )
        .labelled_by(label.id);
        let choice =
            |ui: &mut egui::Ui, label: &str, chosen: &mut Option<String>, values: &[&str]| {
                let label = ui.label(label);
                egui::ComboBox::from_id_salt(label.id)
                    .selected_text(chosen.clone().unwrap_or_else(|| strings.all.to_owned()))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(chosen, None, strings.all);
                        for value in values {
                            ui.selectable_value(chosen, Some((*value).to_owned()), *value);
                        }
                    })
                    .response
                    .labelled_by(label.id);
            };
        choice(ui, strings.log_user, &mut filter.user, &users);
        choice(ui, strings.sheet_date, &mut filter.date, &dates);
    });
}

/// True when `entry` passes the filter.
fn shown(filter: &LogFilter, entry: &LogEntry) -> bool {
    let community = filter.community.trim();
    (community.is_empty()
        || entry
            .communities
            .iter()
            .any(|touched| touched.id.contains(community) || touched.name.contains(community)))
        && filter.user.as_ref().is_none_or(|user| &entry.user == user)
        && filter.date.as_ref().is_none_or(|date| entry.date() == date)
}

fn entries(
    view: &ViewCtx,
    filter: &LogFilter,
    session: &shequ_core::Session,
    ui: &mut egui::Ui,
    out: &mut Vec<Intent>,
) {
    let strings = view.strings;
    let log = session.log();
    let listed: Vec<&LogEntry> = log
        .iter()
        .rev()
        .filter(|entry| shown(filter, entry))
        .collect();
    if listed.is_empty() {
        ui.label(if log.is_empty() {
            strings.no_changes_recorded
        } else {
            strings.none_found
        });
        return;
    }
    ui.label(RichText::new(strings.log_click_hint).weak());
    // A plan of several scenarios says which each change was in.
    let scenarios = session.scenario_names().len() > 1;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("change log")
                .striped(true)
                .num_columns(if scenarios { 5 } else { 4 })
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    ui.strong(strings.log_time);
                    ui.strong(strings.log_user);
                    if scenarios {
                        ui.strong(strings.scenario_menu);
                    }
                    ui.strong(strings.log_change);
                    ui.strong(strings.log_communities);
                    ui.end_row();
                    for entry in listed {
                        let time = entry.time.replace('T', " ");
                        let time = time.get(..19).unwrap_or(&time).to_owned();
                        let mut cells =
                            vec![ui.selectable_label(false, time), ui.label(&entry.user)];
                        if scenarios {
                            cells.push(ui.label(entry.scenario.as_deref().unwrap_or_default()));
                        }
                        cells.push(ui.label(entry.describe(view.language)));
                        cells.push(ui.label(what_changed(entry)));
                        let clicked = cells.iter().any(|response| response.clicked());
                        ui.end_row();
                        if clicked {
                            let keys: Vec<_> = entry
                                .communities
                                .iter()
                                .filter_map(|touched| session.plan().key_of(&touched.id))
                                .collect();
                            if !keys.is_empty() {
                                out.push(Intent::SelectAndZoom(keys));
                            }
                        }
                    }
                });
        });
}

/// The communities with their households, and what else the entry concerns.
fn what_changed(entry: &LogEntry) -> String {
    let communities = entry.communities_text();
    match (communities.is_empty(), entry.detail.is_empty()) {
        (_, true) => communities,
        (true, false) => entry.detail.clone(),
        (false, false) => format!("{communities}\n{}", entry.detail),
    }
}
