//! What a split or a drawing would give, shown while it is made: before Enter, each piece is
//! tinted by where its households stand in its band (a grid's: in the grids' range), numbered on
//! the map, and its figures are listed beside the pointer — or why the edit would be refused.

use std::sync::Arc;

use eframe::egui::{self, Color32, Pos2, RichText, Shape, Stroke};
use geo::{Coord, InteriorPoint, LineString, MultiPolygon, TriangulateEarcut};
use shequ_core::format::grouped;
use shequ_core::grids::{GridEditError, split_grid_preview};
use shequ_core::ops::OpError;
use shequ_core::session::PiecePreview;

use crate::app::context::ViewCtx;
use crate::app::map::MapView;
use crate::theme;

/// A community or grid the edit would make, as the preview shows it.
#[derive(Debug, Clone)]
pub struct ShownPiece {
    /// Its boundary, metres.
    pub boundary: MultiPolygon<f64>,
    /// Its households.
    pub households: u64,
    /// Its residents.
    pub residents: u64,
    /// Its buildings.
    pub buildings: u32,
    /// Where its households stand, in words.
    pub verdict: String,
    /// Its tint: clean, or the colour of the verdict's severity.
    pub tint: theme::Rgba,
}

/// What the edit under way would give.
#[derive(Debug, Clone)]
pub enum EditPreview {
    /// The communities or grids it would make, in the order the edit makes them.
    Pieces(Vec<ShownPiece>),
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
    /// A line splitting a management grid.
    GridSplit,
}

/// The community a split line cuts: the first selected, or the one under the middle of the
/// line's first segment.
pub fn split_target(
    view: &ViewCtx,
    points: &[Coord<f64>],
) -> Option<shequ_core::ids::CommunityKey> {
    (view.selection.first().copied())
        .or_else(|| MapView::community_at(view.session?, first_middle(points)?))
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
        Drafting::Split | Drafting::GridSplit => 2,
        Drafting::Draw => 3,
    };
    let mut distinct = points.to_vec();
    distinct.dedup();
    if distinct.len() < enough {
        return None;
    }
    let target = match drafting {
        Drafting::Split => Some(split_target(view, &distinct)?),
        Drafting::GridSplit => {
            MapView::grid_at(session, first_middle(&distinct)?).map(|(key, _)| key)
        }
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
    let preview = Arc::new(match drafting {
        Drafting::GridSplit => of_grid_split(view, distinct),
        Drafting::Split | Drafting::Draw => of_community_edit(view, target, distinct),
    });
    ctx.data_mut(|data| data.insert_temp::<Kept>(id, Arc::new((stamp, preview.clone()))));
    Some(preview)
}

/// The middle of the line's first segment, where a split finds what it splits.
pub(super) fn first_middle(points: &[Coord<f64>]) -> Option<Coord<f64>> {
    let [first, second, ..] = points else {
        return None;
    };
    Some(Coord {
        x: (first.x + second.x) / 2.0,
        y: (first.y + second.y) / 2.0,
    })
}

/// What splitting the community `target` along `points` (or, without one, drawing the
/// outline `points`) would give.
fn of_community_edit(
    view: &ViewCtx,
    target: Option<shequ_core::ids::CommunityKey>,
    points: Vec<Coord<f64>>,
) -> EditPreview {
    let Some(session) = view.session else {
        return EditPreview::Pieces(Vec::new());
    };
    let result = match target {
        Some(key) => session.split_preview(key, &LineString::new(points)),
        None => {
            let mut ring = points;
            ring.push(ring[0]);
            session
                .draw_preview(LineString::new(ring))
                .map(|piece| vec![piece])
        }
    };
    let shown = |piece: PiecePreview| ShownPiece {
        verdict: piece.verdict.describe(view.language),
        tint: piece
            .verdict
            .severity()
            .map_or(theme::CLEAN, theme::severity_ink),
        households: piece.tally.households,
        residents: piece.tally.residents,
        buildings: piece.tally.buildings,
        boundary: piece.boundary,
    };
    match result {
        Ok(pieces) => EditPreview::Pieces(pieces.into_iter().map(shown).collect()),
        Err(refusal) => EditPreview::Refused {
            why: refusal.describe(view.language),
            for_now: refusal == OpError::DoesNotCross,
        },
    }
}

/// What splitting the grid under the middle of the line's first segment would give: each
/// piece against the grids' range of households (a warning outside it, as the rule says).
fn of_grid_split(view: &ViewCtx, points: Vec<Coord<f64>>) -> EditPreview {
    let strings = view.strings;
    let found = view
        .session
        .zip(first_middle(&points))
        .and_then(|(session, middle)| Some((session, MapView::grid_at(session, middle)?)));
    let Some((session, (key, code))) = found else {
        return EditPreview::Refused {
            why: strings.grid_split_no_grid.to_owned(),
            for_now: true,
        };
    };
    let settings = &session.profile().grids;
    let range = settings.minimum_households..=settings.maximum_households;
    let words = |text: &str| {
        text.replace("{minimum}", &grouped(*range.start()))
            .replace("{maximum}", &grouped(*range.end()))
    };
    match split_grid_preview(session, key, &code, &LineString::new(points)) {
        Ok(pieces) => EditPreview::Pieces(
            pieces
                .into_iter()
                .map(|(boundary, figures)| {
                    let within = range.contains(&figures.households);
                    ShownPiece {
                        boundary,
                        households: figures.households,
                        residents: figures.residents,
                        buildings: figures.buildings,
                        verdict: words(if within {
                            strings.grid_within_range
                        } else {
                            strings.grid_outside_range
                        }),
                        tint: if within {
                            theme::CLEAN
                        } else {
                            theme::severity_ink(shequ_core::violation::Severity::Warning)
                        },
                    }
                })
                .collect(),
        ),
        Err(refusal) => EditPreview::Refused {
            for_now: matches!(refusal, GridEditError::DoesNotCross(_)),
            why: refusal.describe(view.language),
        },
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
        let fill = piece.tint.with_alpha(70).egui();
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
                Stroke::new(1.5, piece.tint.egui()),
            ));
        }
        painter.add(Shape::mesh(mesh));
        if let Some(inside) = piece.boundary.interior_point() {
            let at = map.to_screen(inside.0);
            painter.circle(
                at,
                11.0,
                Color32::WHITE,
                Stroke::new(2.0, piece.tint.egui()),
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
                            .replace("{households}", &grouped(piece.households))
                            .replace("{residents}", &grouped(piece.residents))
                            .replace("{buildings}", &grouped(u64::from(piece.buildings)));
                        ui.label(RichText::new(figures).strong());
                        ui.label(RichText::new(&piece.verdict).color(piece.tint.egui()));
                    }
                    ui.add(egui::Label::new(RichText::new(strings.preview_hint).weak()).extend());
                }
            });
        });
}
