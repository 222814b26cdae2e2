//! The violations panel: every violation, filterable, with its clause and "Accept…".

use eframe::egui::{self, RichText};
use shequ_core::Session;
use shequ_core::ids::CommunityKey;
use shequ_core::rules::rule_name;
use shequ_core::violation::{Severity, ViolationKey};

use crate::app::context::ViewCtx;
use crate::app::i18n::{Language, Strings};
use crate::app::intent::Intent;
use crate::app::state::{Dialog, UiState, ViolationFilter};
use crate::theme;

/// One line of the violations panel: key, severity, clause, rule, message, exception, communities.
type ViolationLine = (
    ViolationKey,
    Severity,
    u32,
    &'static str,
    String,
    Option<String>,
    Vec<String>,
);

/// All violations, filterable, each with its clause; a click shows it, "Accept…" records an
/// exception.
pub fn violations_panel(
    view: &ViewCtx,
    state: &mut UiState,
    ui: &mut egui::Ui,
    out: &mut Vec<Intent>,
) {
    let strings = view.strings;
    egui::Panel::bottom("violations")
        .resizable(true)
        // Tall enough for the heading, the filters and ten rows.
        .default_size(300.0)
        .show(ui, |ui| {
            let Some(session) = view.session else {
                // Hold the panel's height while a plan loads: the panel keeps the size its first
                // frames take, and an empty one would open three rows high.
                ui.allocate_space(ui.available_size());
                return;
            };
            let language = view.language;
            let offices: Vec<String> = session
                .plan()
                .street_offices
                .iter()
                .map(|office| office.name.clone())
                .collect();
            filter_bar(ui, &mut state.violation_filter, strings, language, &offices);
            let rows = filtered_lines(session, &state.violation_filter, language);
            let mut clicked = None;
            let mut accept = None;
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    for (key, severity, clause, rule, message, accepted, communities) in rows {
                        ui.horizontal(|ui| {
                            let (symbol, colour) = if severity == Severity::Error {
                                ("●", theme::ERROR.egui())
                            } else {
                                ("▲", theme::WARNING.egui())
                            };
                            ui.label(RichText::new(symbol).color(colour));
                            ui.label(RichText::new(rule_name(rule, language)).weak())
                                .on_hover_text(rule);
                            if clause > 0 {
                                ui.label(match language {
                                    Language::Chinese => format!("第{clause}条"),
                                    Language::English => format!("cl. {clause}"),
                                });
                            }
                            let selected = state.highlighted.as_ref() == Some(&key);
                            if ui.selectable_label(selected, &message).clicked() {
                                clicked = Some((key.clone(), communities.clone()));
                            }
                            match accepted {
                                Some(text) => {
                                    ui.label(
                                        RichText::new(format!("✓ {} ({text})", strings.accepted))
                                            .color(theme::CLEAN.egui()),
                                    );
                                }
                                None => {
                                    if ui.small_button(strings.accept).clicked() {
                                        accept = Some((key.clone(), message.clone()));
                                    }
                                    if shequ_core::fixes::has_fixes(rule)
                                        && ui.small_button(strings.fix_violation).clicked()
                                    {
                                        out.push(Intent::ShowFixes(key.clone()));
                                    }
                                }
                            }
                        });
                    }
                });
            if let Some((key, communities)) = clicked {
                show_violation(session, state, key, &communities, out);
            }
            if let Some((key, message)) = accept {
                state.dialog = Some(Dialog::Accept {
                    key,
                    message,
                    reason: String::new(),
                    approver: String::new(),
                });
            }
        });
}

/// Opens "Accept…" on the violation last clicked.
pub fn open_accept_dialog(view: &ViewCtx, state: &mut UiState) {
    let Some(key) = state.highlighted.clone() else {
        return;
    };
    let language = view.language;
    let message = view.session.and_then(|session| {
        session
            .rules()
            .iter()
            .find(|violation| violation.key() == key)
            .map(|violation| violation.message(language).to_owned())
    });
    if let Some(message) = message {
        state.dialog = Some(Dialog::Accept {
            key,
            message,
            reason: String::new(),
            approver: String::new(),
        });
    }
}

/// The filters: severity, rule, street office, and only the violations the planner's edits made.
fn filter_bar(
    ui: &mut egui::Ui,
    filter: &mut ViolationFilter,
    strings: &Strings,
    language: Language,
    offices: &[String],
) {
    ui.horizontal(|ui| {
        ui.heading(strings.violations);
        let label = ui.label(format!("{}/{}", strings.errors, strings.warnings));
        egui::ComboBox::from_id_salt("severity")
            .selected_text(match filter.errors_only {
                None => strings.all,
                Some(true) => strings.errors,
                Some(false) => strings.warnings,
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.errors_only, None, strings.all);
                ui.selectable_value(&mut filter.errors_only, Some(true), strings.errors);
                ui.selectable_value(&mut filter.errors_only, Some(false), strings.warnings);
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(strings.rule);
        egui::ComboBox::from_id_salt("rule")
            .selected_text(
                filter
                    .rule
                    .map_or(strings.rule, |rule| rule_name(rule, language)),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.rule, None, strings.all);
                for rule in shequ_core::rules::RULE_IDS {
                    ui.selectable_value(&mut filter.rule, Some(rule), rule_name(rule, language))
                        .on_hover_text(rule);
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(strings.street_office);
        egui::ComboBox::from_id_salt("office")
            .selected_text(
                filter
                    .street_office
                    .clone()
                    .unwrap_or_else(|| strings.street_office.to_owned()),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.street_office, None, strings.all);
                for office in offices {
                    ui.selectable_value(&mut filter.street_office, Some(office.clone()), office);
                }
            })
            .response
            .labelled_by(label.id);
        ui.checkbox(&mut filter.mine_only, strings.mine_only);
    });
}

/// The violations the filter lets through, as the panel shows them.
fn filtered_lines(
    session: &Session,
    filter: &ViolationFilter,
    language: Language,
) -> Vec<ViolationLine> {
    session
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
                            .and_then(|community| community.properties.street_office.as_ref())
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
        .collect()
}

/// Highlights a violation, selects its communities and zooms to where it is.
fn show_violation(
    session: &Session,
    state: &mut UiState,
    key: ViolationKey,
    communities: &[String],
    out: &mut Vec<Intent>,
) {
    state.highlighted = Some(key.clone());
    let keys: Vec<CommunityKey> = communities
        .iter()
        .filter_map(|id| session.plan().key_of(id))
        .collect();
    if !keys.is_empty() {
        out.push(Intent::Select(keys));
    }
    let bounds = session
        .rules()
        .iter()
        .find(|violation| violation.key() == key)
        .and_then(|violation| violation.location.bounds());
    if let Some([low, high]) = bounds {
        state.map.fit(
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
