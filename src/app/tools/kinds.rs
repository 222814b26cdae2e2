//! The tools as data: what each gathers while in use, and the one table of their names, keys and
//! hints that the toolbar, the keyboard and the shortcuts list read.

use eframe::egui::{self, Pos2};
use geo::{Coord, LineString, Polygon};
use shequ_core::gesture::VertexDrag;

use crate::app::i18n::Strings;

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
    /// Click inside a community to place its committee office (Shift: its service centre).
    Office,
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
    /// Place committee offices and service centres.
    Office,
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
pub const TOOLS: [ToolEntry; 7] = [
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
    ToolEntry {
        kind: ToolKind::Office,
        key: egui::Key::O,
        name: |strings| strings.tool_office,
        hint: |strings| strings.office_hint,
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
            ToolKind::Office => Tool::Office,
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
            Tool::Office => ToolKind::Office,
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
