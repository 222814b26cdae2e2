//! The comparison window while the plan is compared: what it is compared with, what changed
//! (communities, buildings, households, violations), and the transfer matrix — rows the
//! communities before, columns after, each cell the households that went from one to the other;
//! a click marks that transfer's buildings on the map and shows them.

use std::collections::{BTreeSet, HashMap};

use eframe::egui::{self, RichText};
use shequ_core::compare::{ChangeStatus, Comparison};
use shequ_core::format::grouped;

use crate::app::comparison::{CompareAgainst, ComparisonView, TransferCell, TransferOrder};
use crate::app::context::ViewCtx;
use crate::app::i18n::Strings;
use crate::app::intent::Intent;
use crate::theme;

/// At most this many communities are rows (and columns) of the matrix: those that gave (or
/// received) most households.
const MATRIX_LIMIT: usize = 30;

/// The comparison window, while comparing.
pub fn comparison_window(view: &ViewCtx, ctx: &egui::Context, out: &mut Vec<Intent>) {
    let Some(comparison) = view.comparison else {
        return;
    };
    let strings = view.strings;
    let mut open = true;
    egui::Window::new(strings.comparison_title)
        .id(egui::Id::unique("comparison window"))
        .open(&mut open)
        .default_pos(ctx.content_rect().left_bottom() + egui::vec2(300.0, -420.0))
        .default_width(520.0)
        .resizable(true)
        .show(ctx, |ui| {
            summary(strings, comparison, ui);
            ui.separator();
            transfer_matrix(strings, comparison, ui, out);
        });
    if !open {
        out.push(Intent::EndComparison);
    }
}

fn summary(strings: &Strings, view: &ComparisonView, ui: &mut egui::Ui) {
    let against = match &view.against {
        CompareAgainst::Opened => strings.plan_as_opened.to_owned(),
        CompareAgainst::Saved => strings.plan_as_saved.to_owned(),
        CompareAgainst::File(path) => path.file_name().map_or_else(
            || path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        ),
        CompareAgainst::Scenario(name) => name.clone(),
    };
    ui.label(format!("{}: {against}", strings.compared_with));
    let comparison = &view.comparison;
    let count = |status: ChangeStatus| {
        comparison
            .communities
            .iter()
            .filter(|change| change.status == status)
            .count()
    };
    ui.label(format!(
        "{}: {} {} · {} {} · {} {}",
        strings.communities,
        strings.status_changed,
        count(ChangeStatus::Changed),
        strings.status_new,
        count(ChangeStatus::New),
        strings.status_removed,
        count(ChangeStatus::Removed),
    ));
    let moved_households: u64 = comparison
        .transfers
        .iter()
        .filter(|transfer| transfer.from != transfer.to)
        .map(|transfer| transfer.households)
        .sum();
    ui.label(format!(
        "{} {} · {} {}",
        strings.moved_buildings,
        grouped(view.moved.len() as u64),
        strings.moved_households,
        grouped(moved_households),
    ));
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!(
                "{} {}",
                strings.violations_fixed,
                comparison.violations_fixed.len()
            ))
            .color(theme::CLEAN.egui()),
        );
        ui.label("·");
        let introduced = comparison.violations_new.len();
        let colour = if introduced > 0 {
            theme::ERROR.egui()
        } else {
            ui.visuals().text_color()
        };
        ui.label(
            RichText::new(format!("{} {introduced}", strings.violations_introduced)).color(colour),
        );
    });
    ui.label(RichText::new(strings.dashed_before).weak());
}

/// The households of each (from, to) pair, and the communities that gave and received any.
struct Matrix {
    cells: HashMap<TransferCell, (u64, u32)>,
    rows: Vec<Option<String>>,
    columns: Vec<Option<String>>,
    cut_rows: usize,
    cut_columns: usize,
}

impl Matrix {
    fn of(comparison: &Comparison, order: TransferOrder) -> Self {
        let cells: HashMap<TransferCell, (u64, u32)> = comparison
            .transfers
            .iter()
            .map(|transfer| {
                (
                    (transfer.from.clone(), transfer.to.clone()),
                    (transfer.households, transfer.buildings),
                )
            })
            .collect();
        let mut given: HashMap<Option<String>, u64> = HashMap::new();
        let mut received: HashMap<Option<String>, u64> = HashMap::new();
        for transfer in comparison
            .transfers
            .iter()
            .filter(|transfer| transfer.from != transfer.to)
        {
            *given.entry(transfer.from.clone()).or_default() += transfer.households;
            *received.entry(transfer.to.clone()).or_default() += transfer.households;
        }
        let (rows, cut_rows) = ordered(given, order);
        let (columns, cut_columns) = ordered(received, order);
        Self {
            cells,
            rows,
            columns,
            cut_rows,
            cut_columns,
        }
    }
}

/// The communities in `order` (no community last by id), at most [`MATRIX_LIMIT`] of them
/// (those that moved most), and how many were left out.
fn ordered(
    moved: HashMap<Option<String>, u64>,
    order: TransferOrder,
) -> (Vec<Option<String>>, usize) {
    let mut by_moved: Vec<(Option<String>, u64)> = moved.into_iter().collect();
    by_moved.sort_by(|(first_id, first), (second_id, second)| {
        second.cmp(first).then_with(|| first_id.cmp(second_id))
    });
    let cut = by_moved.len().saturating_sub(MATRIX_LIMIT);
    by_moved.truncate(MATRIX_LIMIT);
    let mut ids: Vec<Option<String>> = by_moved.into_iter().map(|(id, _)| id).collect();
    if order == TransferOrder::ById {
        let kept: BTreeSet<(bool, Option<String>)> =
            ids.drain(..).map(|id| (id.is_none(), id)).collect();
        ids = kept.into_iter().map(|(_, id)| id).collect();
    }
    (ids, cut)
}

fn transfer_matrix(
    strings: &Strings,
    view: &ComparisonView,
    ui: &mut egui::Ui,
    out: &mut Vec<Intent>,
) {
    ui.horizontal(|ui| {
        ui.strong(strings.transfers);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            for (order, label) in [
                (TransferOrder::ByMoved, strings.sort_by_moved),
                (TransferOrder::ById, strings.sort_by_id),
            ] {
                if ui.selectable_label(view.order == order, label).clicked() {
                    out.push(Intent::SetTransferOrder(order));
                }
            }
        });
    });
    let matrix = Matrix::of(&view.comparison, view.order);
    if matrix.rows.is_empty() {
        ui.label(strings.no_transfers);
        return;
    }
    ui.label(RichText::new(strings.pick_cell_hint).weak());
    if matrix.cut_rows > 0 || matrix.cut_columns > 0 {
        ui.label(RichText::new(strings.largest_only).weak());
    }
    let names = community_names(&view.comparison);
    let name_of = |id: &Option<String>| match id {
        Some(id) => names
            .get(id.as_str())
            .cloned()
            .unwrap_or_else(|| id.clone()),
        None => strings.no_community.to_owned(),
    };
    let picked = view.picked.as_ref().map(|(cell, _)| cell);
    egui::ScrollArea::both().max_height(320.0).show(ui, |ui| {
        egui::Grid::new("transfer matrix")
            .striped(true)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                ui.label(RichText::new(strings.from_to).weak());
                for column in &matrix.columns {
                    ui.strong(name_of(column))
                        .on_hover_text(column.clone().unwrap_or_default());
                }
                ui.end_row();
                for row in &matrix.rows {
                    ui.strong(name_of(row))
                        .on_hover_text(row.clone().unwrap_or_default());
                    for column in &matrix.columns {
                        let cell = (row.clone(), column.clone());
                        match matrix.cells.get(&cell) {
                            Some(&(households, buildings)) => {
                                let text = RichText::new(grouped(households));
                                let text = if row == column { text.weak() } else { text };
                                let response = ui
                                    .selectable_label(picked == Some(&cell), text)
                                    .on_hover_text(format!(
                                        "{} → {}: {} {} · {} {}",
                                        name_of(row),
                                        name_of(column),
                                        grouped(households),
                                        strings.households_unit,
                                        grouped(u64::from(buildings)),
                                        strings.buildings,
                                    ));
                                if response.clicked() {
                                    out.push(Intent::PickTransfer(cell));
                                }
                            }
                            None => {
                                ui.label(RichText::new("·").weak());
                            }
                        }
                    }
                    ui.end_row();
                }
            });
    });
}

/// Each community id's name, after where it has one, else before.
fn community_names(comparison: &Comparison) -> HashMap<&str, String> {
    comparison
        .communities
        .iter()
        .filter_map(|change| {
            let name = change.name_after.as_ref().or(change.name_before.as_ref())?;
            Some((change.id.as_str(), name.clone()))
        })
        .collect()
}
