//! What a split or a drawing would give, shown while it is made: before Enter, each piece is
//! tinted by where its households stand in its band, numbered on the map, and its figures are
//! listed beside the pointer — or why the edit would be refused.

use std::sync::Arc;

use eframe::egui::{self, Color32, Pos2, RichText, Shape, Stroke};
use geo::{Coord, InteriorPoint, LineString, TriangulateEarcut};
use shequ_core::format::grouped;
use shequ_core::ops::OpError;
use shequ_core::session::PiecePreview;

use crate::app::context::ViewCtx;
use crate::app::map::MapView;
use crate::theme;

/// What the edit under way would give.
#[derive(Debug, Clone)]
pub enum EditPreview {
    /// The communities it would make, in the order the edit makes them.
    Pieces(Vec<PiecePreview>),
    /// Why it would be refused, and whether that is only for now: a split line that does not
    /// cross the community yet is a line still being drawn.
    Refused {
        /// Why, in the interface language.
        why: String,
        /// True while more points may make it possible.
        for_now: bool,
    },
}

/// Which edit is under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drafting {
    /// A split line.
    Split,
    /// A new community's outline.
    Draw,
}

/// The community a split line cuts: the first selected, or the one under the middle of the
/// line's first segment.
pub fn split_target(
    view: &ViewCtx,
    points: &[Coord<f64>],
) -> Option<shequ_core::ids::CommunityKey> {
    view.selection.first().copied().or_else(|| {
        let session = view.session?;
        let [first, second, ..] = points else {
            return None;
        };
        let middle = Coord {
            x: (first.x + second.x) / 2.0,
            y: (first.y + second.y) / 2.0,
        };
        MapView::community_at(session, middle)
    })
}

/// The preview of the points clicked so far and the point under the pointer; `None` until there
/// are enough points for the edit. Kept between frames while nothing changes.
pub fn of_draft(
    view: &ViewCtx,
    ctx: &egui::Context,
    drafting: Drafting,
    points: &[Coord<f64>],
) -> Option<Arc<EditPreview>> {
    let session = view.session?;
    let enough = match drafting {
        Drafting::Split => 2,
        Drafting::Draw => 3,
    };
    let mut distinct = points.to_vec();
    distinct.dedup();
    if distinct.len() < enough {
        return None;
    }
    let target = match drafting {
        Drafting::Split => Some(split_target(view, &distinct)?),
        Drafting::Draw => None,
    };
    let stamp = (
        session.generation(),
        target,
        drafting,
        distinct
            .iter()
            .map(|point| (point.x.to_bits(), point.y.to_bits()))
            .collect::<Vec<_>>(),
    );
    let id = egui::Id::unique("edit preview");
    type Kept = Arc<(StampOf, Arc<EditPreview>)>;
    type StampOf = (
        u64,
        Option<shequ_core::ids::CommunityKey>,
        Drafting,
        Vec<(u64, u64)>,
    );
    if let Some(kept) = ctx.data(|data| data.get_temp::<Kept>(id))
        && kept.0 == stamp
    {
        return Some(kept.1.clone());
    }
    let result = match target {
        Some(key) => session
            .split_preview(key, &LineString::new(distinct))
            .map(EditPreview::Pieces),
        None => {
            let mut ring = distinct;
            ring.push(ring[0]);
            session
                .draw_preview(LineString::new(ring))
                .map(|piece| EditPreview::Pieces(vec![piece]))
        }
    };
    let preview = Arc::new(result.unwrap_or_else(|refusal| EditPreview::Refused {
        why: refusal.describe(view.language),
        for_now: refusal == OpError::DoesNotCross,
    }));
    ctx.data_mut(|data| data.insert_temp::<Kept>(id, Arc::new((stamp, preview.clone()))));
    Some(preview)
}

/// The tint of a piece: its households against its band.
fn tint(piece: &PiecePreview) -> theme::Rgba {
    match piece.verdict.severity() {
        None => theme::CLEAN,
        Some(severity) => theme::severity_ink(severity),
    }
}

/// The number of the `index`th piece, ① ② ③ …
fn number(index: usize) -> char {
    char::from_u32(0x2460 + index as u32).unwrap_or('•')
}

/// Tints each piece and numbers it on the map.
pub fn paint(preview: &EditPreview, map: &MapView, painter: &egui::Painter) {
    let EditPreview::Pieces(pieces) = preview else {
        return;
    };
    for (index, piece) in pieces.iter().enumerate() {
        let fill = tint(piece).with_alpha(70).egui();
        let mut mesh = egui::Mesh::default();
        for polygon in &piece.boundary {
            for triangle in polygon.earcut_triangles_iter() {
                for corner in [triangle.v1(), triangle.v2(), triangle.v3()] {
                    let at = map.to_screen(corner);
                    mesh.indices.push(mesh.vertices.len() as u32);
                    mesh.colored_vertex(at, fill);
                }
            }
            let outline: Vec<Pos2> = polygon
                .exterior()
                .coords()
                .map(|&coord| map.to_screen(coord))
                .collect();
            painter.add(Shape::closed_line(
                outline,
                Stroke::new(1.5, tint(piece).egui()),
            ));
        }
        painter.add(Shape::mesh(mesh));
        if let Some(inside) = piece.boundary.interior_point() {
            let at = map.to_screen(inside.0);
            painter.circle(
                at,
                11.0,
                Color32::WHITE,
                Stroke::new(2.0, tint(piece).egui()),
            );
            painter.text(
                at,
                egui::Align2::CENTER_CENTER,
                number(index),
                egui::FontId::proportional(15.0),
                theme::INK.egui(),
            );
        }
    }
}

/// Lists each piece's figures and verdict beside the pointer, or why the edit would be refused.
pub fn show_figures(
    view: &ViewCtx,
    ctx: &egui::Context,
    preview: &EditPreview,
    map_response: &egui::Response,
    pointer: Pos2,
) {
    let strings = view.strings;
    egui::Area::new(egui::Id::unique("edit preview figures"))
        .order(egui::Order::Tooltip)
        .fixed_pos(pointer + egui::vec2(18.0, 18.0))
        .accessibility_parent(map_response.id)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| match preview {
                EditPreview::Refused { why, for_now } => {
                    let text = RichText::new(why);
                    ui.label(if *for_now {
                        text.weak()
                    } else {
                        text.color(theme::ERROR.egui())
                    });
                }
                EditPreview::Pieces(pieces) => {
                    for (index, piece) in pieces.iter().enumerate() {
                        let figures = strings
                            .piece_figures
                            .replace("{number}", &number(index).to_string())
                            .replace("{households}", &grouped(piece.tally.households))
                            .replace("{residents}", &grouped(piece.tally.residents))
                            .replace("{buildings}", &grouped(u64::from(piece.tally.buildings)));
                        ui.label(RichText::new(figures).strong());
                        ui.label(
                            RichText::new(piece.verdict.describe(view.language))
                                .color(tint(piece).egui()),
                        );
                    }
                    ui.add(egui::Label::new(RichText::new(strings.preview_hint).weak()).extend());
                }
            });
        });
}
