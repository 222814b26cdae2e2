//! The map's tools: select, draw a community, edit vertices, split, assign street blocks and
//! measure, one file each. Each turns pointer and key input into intents for the plan.

mod assign_blocks;
mod draw;
mod measure;
mod select;
mod split;
mod vertices;

use eframe::egui::{self, Color32, Pos2, Sense, Shape, Stroke};
use geo::{Coord, LineString, Polygon};

use shequ_core::gesture::VertexDrag;
use shequ_core::ops::snap::{SnapKind, SnapTargets, snap};

use super::ShequApp;
use super::i18n::Strings;
use crate::theme;

/// How near (screen points) the pointer must be to snap or to pick a vertex or an edge.
const PICK_RADIUS: f64 = 9.0;

/// The active tool and what it has gathered so far.
#[derive(Debug, Clone, PartialEq)]
pub enum Tool {
    /// Click to select; Shift adds; drag a box.
    Select {
        /// Where a box selection started.
        box_start: Option<Pos2>,
    },
    /// Click vertices of a new community.
    Draw(Vec<Coord<f64>>),
    /// Drag vertices.
    Vertices(VertexDrag),
    /// Click points of a split line.
    Split(Vec<Coord<f64>>),
    /// Click or brush street blocks into the selected community.
    AssignBlocks,
    /// Click points to measure.
    Measure(Vec<Coord<f64>>),
}

impl Default for Tool {
    fn default() -> Self {
        Tool::Select { box_start: None }
    }
}

/// A kind of tool, without what it gathers while in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolKind {
    /// Select.
    Select,
    /// Draw a new community.
    Draw,
    /// Drag, insert and delete vertices.
    Vertices,
    /// Split along a line.
    Split,
    /// Assign street blocks.
    AssignBlocks,
    /// Measure.
    Measure,
}

/// One row of the tool table: what the toolbar, the keyboard and the shortcuts list show.
pub struct ToolEntry {
    /// The tool.
    pub kind: ToolKind,
    /// Its key.
    pub key: egui::Key,
    /// Its name in the interface.
    pub name: fn(&Strings) -> &'static str,
    /// How it is used, for its tooltip and the status bar.
    pub hint: fn(&Strings) -> &'static str,
}

/// The tools, in toolbar order: the one table the toolbar, the shortcuts and their list read.
pub const TOOLS: [ToolEntry; 6] = [
    ToolEntry {
        kind: ToolKind::Select,
        key: egui::Key::V,
        name: |strings| strings.tool_select,
        hint: |strings| strings.select_hint,
    },
    ToolEntry {
        kind: ToolKind::Draw,
        key: egui::Key::D,
        name: |strings| strings.tool_draw,
        hint: |strings| strings.draw_hint,
    },
    ToolEntry {
        kind: ToolKind::Vertices,
        key: egui::Key::E,
        name: |strings| strings.tool_vertices,
        hint: |strings| strings.vertices_hint,
    },
    ToolEntry {
        kind: ToolKind::Split,
        key: egui::Key::S,
        name: |strings| strings.tool_split,
        hint: |strings| strings.split_hint,
    },
    ToolEntry {
        kind: ToolKind::AssignBlocks,
        key: egui::Key::B,
        name: |strings| strings.tool_assign,
        hint: |strings| strings.assign_hint,
    },
    ToolEntry {
        kind: ToolKind::Measure,
        key: egui::Key::R,
        name: |strings| strings.tool_measure,
        hint: |strings| strings.measure_hint,
    },
];

impl ToolKind {
    /// The tool with nothing gathered yet.
    pub fn start(self) -> Tool {
        match self {
            ToolKind::Select => Tool::default(),
            ToolKind::Draw => Tool::Draw(Vec::new()),
            ToolKind::Vertices => Tool::Vertices(VertexDrag::default()),
            ToolKind::Split => Tool::Split(Vec::new()),
            ToolKind::AssignBlocks => Tool::AssignBlocks,
            ToolKind::Measure => Tool::Measure(Vec::new()),
        }
    }

    /// Its row of [`TOOLS`].
    pub fn entry(self) -> &'static ToolEntry {
        TOOLS
            .iter()
            .find(|entry| entry.kind == self)
            .unwrap_or(&TOOLS[0])
    }
}

impl Tool {
    /// What kind of tool this is.
    pub fn kind(&self) -> ToolKind {
        match self {
            Tool::Select { .. } => ToolKind::Select,
            Tool::Draw(_) => ToolKind::Draw,
            Tool::Vertices(_) => ToolKind::Vertices,
            Tool::Split(_) => ToolKind::Split,
            Tool::AssignBlocks => ToolKind::AssignBlocks,
            Tool::Measure(_) => ToolKind::Measure,
        }
    }

    /// The same tool with nothing gathered.
    pub fn reset(&self) -> Tool {
        self.kind().start()
    }

    /// The tool's name in the interface.
    pub fn name(&self, strings: &Strings) -> &'static str {
        (self.kind().entry().name)(strings)
    }
}

/// The tools and their keys as one line for the shortcuts list ("V 选择   D 绘制 …"), with
/// merge, which is a key but no tool.
pub fn tool_keys_line(strings: &Strings) -> String {
    TOOLS
        .iter()
        .map(|entry| format!("{} {}", entry.key.name(), (entry.name)(strings)))
        .chain(std::iter::once(format!("M {}", strings.tool_merge)))
        .collect::<Vec<_>>()
        .join("   ")
}

/// The length (m) of the line through `points`, and the area (m²) it encloses once it has three
/// points.
pub fn measured(points: &[Coord<f64>]) -> (f64, Option<f64>) {
    use geo::Area;
    let length = points
        .windows(2)
        .map(|pair| (pair[1].x - pair[0].x).hypot(pair[1].y - pair[0].y))
        .sum();
    let area = (points.len() >= 3)
        .then(|| Polygon::new(LineString::new(points.to_vec()), vec![]).unsigned_area());
    (length, area)
}

fn snapped(app: &mut ShequApp, screen: Pos2) -> (Coord<f64>, Option<SnapKind>) {
    let point = app.map.to_metres(screen);
    let tolerance = PICK_RADIUS * app.map.metres_per_point;
    let Some(session) = &app.session else {
        return (point, None);
    };
    let targets = SnapTargets {
        plan: session.plan(),
        community_index: session.community_index(),
        street_index: session.street_index(),
        blocks: None,
    };
    match snap(point, tolerance, &targets) {
        Some(found) => (found.point, Some(found.kind)),
        None => (point, None),
    }
}

/// The map: navigation, the active tool, and painting.
pub fn map_area(app: &mut ShequApp, ui: &mut egui::Ui) {
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
    app.map.rect = response.rect;
    let strings = app.strings();
    if app.session.is_none() {
        painter.rect_filled(response.rect, 0.0, theme::MAP_BACKGROUND.egui());
        painter.text(
            response.rect.center(),
            egui::Align2::CENTER_CENTER,
            strings.no_plan,
            egui::FontId::proportional(18.0),
            Color32::DARK_GRAY,
        );
        return;
    }
    if (!app.map.fitted || app.map.fit_frames_left > 0)
        && let Some(session) = &app.session
    {
        if !app.map.fitted {
            app.map.fit_frames_left = 3;
        }
        app.map.fit_all(session);
    }
    app.map.navigate(ui, &response);
    if response.dragged() || ui.input(|input| input.smooth_scroll_delta != egui::Vec2::ZERO) {
        app.map.fit_frames_left = 0;
    }
    app.cursor = response
        .hover_pos()
        .map(|pointer| app.map.to_metres(pointer));
    let panning = ui.input(|input| input.key_down(egui::Key::Space))
        || response.dragged_by(egui::PointerButton::Middle);
    if !panning {
        handle_tool(app, ui, &response);
    }
    if app.map.layers.blocks
        && let Some(session) = &mut app.session
    {
        session.blocks();
    }
    let highlight = app.highlighted.as_ref().and_then(|key| {
        app.session
            .as_ref()?
            .rules()
            .iter()
            .find(|violation| violation.key() == *key)
            .map(|violation| violation.location.clone())
    });
    if let Some(session) = &app.session {
        app.map.paint(
            &painter,
            session,
            &app.selection,
            highlight.as_ref(),
            strings.households_unit,
        );
    }
    paint_tool(app, &painter, &response);
}

/// The keys and pointer a tool reads this frame.
pub(super) struct ToolInput {
    escape: bool,
    enter: bool,
    backspace: bool,
    delete: bool,
    shift: bool,
    /// Where the pointer acts (pressed or hovering).
    pointer: Option<Pos2>,
}

/// The points the draw, split and measure tools gather: a click adds one (snapped), Backspace
/// takes the last back.
pub(super) fn gather_points(
    app: &mut ShequApp,
    response: &egui::Response,
    input: &ToolInput,
    points: &mut Vec<Coord<f64>>,
) {
    if response.clicked()
        && let Some(pointer) = input.pointer
    {
        points.push(snapped(app, pointer).0);
    }
    if input.backspace {
        points.pop();
    }
}

fn handle_tool(app: &mut ShequApp, ui: &egui::Ui, response: &egui::Response) {
    let typing = ui.ctx().egui_wants_keyboard_input();
    let input = ToolInput {
        escape: ui.input(|input| input.key_pressed(egui::Key::Escape)),
        enter: ui.input(|input| input.key_pressed(egui::Key::Enter)),
        backspace: !typing && ui.input(|input| input.key_pressed(egui::Key::Backspace)),
        delete: !typing && ui.input(|input| input.key_pressed(egui::Key::Delete)),
        shift: ui.input(|input| input.modifiers.shift),
        pointer: response.interact_pointer_pos().or(response.hover_pos()),
    };
    if matches!(app.tool, Tool::Vertices(_)) {
        // Its drag is reached through the app while its intents run.
        vertices::handle(app, ui, response, &input);
        return;
    }
    let mut tool = std::mem::take(&mut app.tool);
    match &mut tool {
        Tool::Select { box_start } => select::handle(app, response, &input, box_start),
        Tool::Draw(points) => draw::handle(app, response, &input, points),
        Tool::Vertices(_) => {}
        Tool::Split(points) => split::handle(app, response, &input, points),
        Tool::AssignBlocks => assign_blocks::handle(app, response, &input),
        Tool::Measure(points) => measure::handle(app, response, &input, points),
    }
    app.tool = tool;
}

fn paint_tool(app: &mut ShequApp, painter: &egui::Painter, response: &egui::Response) {
    let hover = response.hover_pos();
    let stroke = Stroke::new(2.0, theme::DRAFT.egui());
    let points_of = |app: &ShequApp, points: &[Coord<f64>]| -> Vec<Pos2> {
        points
            .iter()
            .map(|point| app.map.to_screen(*point))
            .collect()
    };
    match &app.tool {
        Tool::Draw(points) | Tool::Split(points) | Tool::Measure(points) => {
            let mut screen = points_of(app, points);
            let snap = hover.map(|pointer| snapped(app, pointer));
            if let Some((at, _)) = snap {
                screen.push(app.map.to_screen(at));
            }
            if matches!(app.tool, Tool::Draw(_)) && screen.len() >= 3 {
                painter.add(Shape::convex_polygon(
                    screen.clone(),
                    theme::DRAFT.with_alpha(30).egui(),
                    Stroke::NONE,
                ));
            }
            painter.add(Shape::line(screen.clone(), stroke));
            for point in &screen {
                painter.circle_filled(*point, 3.5, theme::DRAFT.egui());
            }
            if let Some((at, Some(kind))) = snap {
                let marker = app.map.to_screen(at);
                let colour = match kind {
                    SnapKind::CommunityVertex | SnapKind::BlockCorner => theme::SNAP_VERTEX.egui(),
                    SnapKind::CommunityEdge | SnapKind::Street => theme::SNAP_EDGE.egui(),
                };
                painter.rect_stroke(
                    egui::Rect::from_center_size(marker, egui::vec2(12.0, 12.0)),
                    0.0,
                    Stroke::new(2.0, colour),
                    egui::StrokeKind::Middle,
                );
            }
            if let Tool::Measure(points) = &app.tool {
                let mut all = points.clone();
                if let Some((at, _)) = snap {
                    all.push(at);
                }
                let (length, _) = measured(&all);
                if let Some(last) = screen.last() {
                    painter.text(
                        *last + egui::vec2(10.0, -10.0),
                        egui::Align2::LEFT_BOTTOM,
                        format!("{length:.1} m"),
                        egui::FontId::proportional(14.0),
                        Color32::BLACK,
                    );
                }
            }
        }
        Tool::Vertices(_) => {
            // Handles on the selected communities' vertices (or all in view when zoomed in).
            let Some(session) = &app.session else { return };
            let zoomed_in = app.map.metres_per_point < 3.0;
            let keys: Vec<_> = if app.selection.is_empty() && zoomed_in {
                session
                    .community_index()
                    .meeting(app.map.visible())
                    .collect()
            } else {
                app.selection.clone()
            };
            for key in keys {
                let Some(community) = session.plan().community(key) else {
                    continue;
                };
                for polygon in &community.boundary {
                    for coord in polygon.exterior().coords().skip(1) {
                        let at = app.map.to_screen(*coord);
                        if app.map.rect.contains(at) {
                            painter.rect_filled(
                                egui::Rect::from_center_size(at, egui::vec2(7.0, 7.0)),
                                1.0,
                                Color32::WHITE,
                            );
                            painter.rect_stroke(
                                egui::Rect::from_center_size(at, egui::vec2(7.0, 7.0)),
                                1.0,
                                Stroke::new(1.5, theme::SELECTED.egui()),
                                egui::StrokeKind::Middle,
                            );
                        }
                    }
                }
            }
        }
        Tool::Select {
            box_start: Some(start),
        } => {
            if let Some(end) = hover {
                let rect = egui::Rect::from_two_pos(*start, end);
                painter.rect(
                    rect,
                    0.0,
                    theme::DRAFT.with_alpha(25).egui(),
                    Stroke::new(1.0, theme::DRAFT.egui()),
                    egui::StrokeKind::Middle,
                );
            }
        }
        _ => {}
    }
}
