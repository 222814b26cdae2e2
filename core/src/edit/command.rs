//! Every change to a plan, as data. High-level commands (move a vertex, merge, split, assign
//! blocks…) are resolved by the geometry operations into primitive changes (replace a boundary,
//! insert or remove a community, set properties, set the exceptions); the inverse of any command
//! is a batch of primitives.

use geo::{Coord, LineString};

use crate::exception::AcceptedException;
use crate::ids::CommunityKey;
use crate::lang::Language;
use crate::plan::{Community, CommunityProperties, Grid};
use crate::violation::ViolationKey;

/// A change to a plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Primitive: replace a community's boundary.
    ReplaceBoundary {
        /// Which community.
        key: CommunityKey,
        /// The new boundary, metres.
        boundary: geo::MultiPolygon<f64>,
    },
    /// Primitive: put a community into a slot (a new one, or one restored by undo).
    Insert {
        /// The slot.
        key: CommunityKey,
        /// The community.
        community: Box<Community>,
    },
    /// Primitive: take a community out of its slot.
    Remove {
        /// The slot.
        key: CommunityKey,
    },
    /// Primitive: set a community's attributes.
    SetProperties {
        /// Which community.
        key: CommunityKey,
        /// Its new attributes.
        properties: Box<CommunityProperties>,
    },
    /// Primitive: replace a community's management grids.
    SetGrids {
        /// Which community.
        key: CommunityKey,
        /// Its new grids, in code order.
        grids: Vec<Grid>,
    },
    /// Primitive: replace the accepted exceptions.
    SetExceptions {
        /// The new list.
        exceptions: Vec<AcceptedException>,
    },
    /// Primitive: replace the plan's basemaps (their files, order, visibility, opacity).
    SetBasemaps {
        /// The new list, bottom first.
        basemaps: Vec<crate::io::plan_file::BasemapSettings>,
    },
    /// Primitive: replace the map sheet's print layout.
    SetPrintLayout {
        /// The new layout.
        layout: Box<crate::io::print_layout::PrintLayout>,
    },
    /// Several commands as one.
    Batch(Vec<Command>),
    /// Give a community a new boundary, its management grids fitted to it (ground it loses
    /// leaves its grids, ground it gains joins the grid it borders most).
    Reshape {
        /// Which community.
        key: CommunityKey,
        /// The new boundary, metres.
        boundary: geo::MultiPolygon<f64>,
    },
    /// A new community from a drawn polygon, optionally clipped against existing communities.
    Create {
        /// The community (its boundary as drawn).
        community: Box<Community>,
        /// Cut the neighbours out of it first (on by default in the app).
        avoid_overlap: bool,
    },
    /// Delete a community.
    Delete {
        /// Which.
        key: CommunityKey,
    },
    /// Move a vertex, in every community that shares it.
    MoveVertex {
        /// Where the vertex is.
        from: Coord<f64>,
        /// Where it goes.
        to: Coord<f64>,
    },
    /// Insert a vertex on an edge, on both sides of a shared edge.
    InsertVertex {
        /// One end of the edge.
        start: Coord<f64>,
        /// The other end.
        end: Coord<f64>,
        /// The new vertex.
        at: Coord<f64>,
    },
    /// Delete a vertex from every community that has it.
    DeleteVertex {
        /// Where it is.
        at: Coord<f64>,
    },
    /// Merge communities into the first (which keeps its id and properties).
    Merge {
        /// The communities, the survivor first.
        keys: Vec<CommunityKey>,
        /// Allow a result in several parts.
        allow_several_parts: bool,
    },
    /// Split a community along a line; the largest part keeps the id.
    Split {
        /// Which.
        key: CommunityKey,
        /// The line, metres.
        line: LineString<f64>,
    },
    /// Give street blocks to a community, taking them from whoever had them.
    AssignBlocks {
        /// Block numbers (see the session's blocks).
        blocks: Vec<usize>,
        /// The receiving community.
        to: CommunityKey,
    },
    /// Give ground (street blocks worked out by a fix, say) to a community, taking it from
    /// whoever had it.
    GiveGround {
        /// The ground, metres.
        ground: geo::MultiPolygon<f64>,
        /// The receiving community.
        to: CommunityKey,
    },
    /// Give buildings (a small area around each footprint) to a community.
    AssignBuildings {
        /// Building indexes.
        buildings: Vec<u32>,
        /// The receiving community.
        to: CommunityKey,
    },
    /// Accept a violation as it stands.
    Accept {
        /// Which violation.
        key: ViolationKey,
        /// Why.
        reason: String,
        /// Who approved it.
        approver: String,
        /// When (YYYY-MM-DD).
        date: String,
    },
    /// Withdraw an exception.
    Revoke {
        /// Which violation's exception.
        key: ViolationKey,
    },
}

/// What kind of step a command is, as the Edit menu names it ("撤销 合并", "Undo merge").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A new community drawn.
    Create,
    /// Communities deleted.
    Delete,
    /// A vertex moved (a whole drag is one step).
    MoveVertex,
    /// A vertex inserted.
    InsertVertex,
    /// A vertex deleted.
    DeleteVertex,
    /// Communities merged.
    Merge,
    /// A community split.
    Split,
    /// Street blocks given to a community.
    AssignBlocks,
    /// Buildings given to a community.
    AssignBuildings,
    /// A community's attributes changed.
    EditProperties,
    /// A community's management grids drawn or edited.
    Grids,
    /// A violation accepted.
    Accept,
    /// An exception withdrawn.
    Revoke,
    /// A boundary replaced.
    ReplaceBoundary,
    /// The basemaps changed.
    Basemaps,
    /// The print layout changed.
    PrintLayout,
    /// Several changes at once.
    Edit,
}

impl Step {
    /// The step's name in `language`.
    pub fn describe(self, language: Language) -> &'static str {
        let (chinese, english) = match self {
            Step::Create => ("新建社区", "new community"),
            Step::Delete => ("删除社区", "delete"),
            Step::MoveVertex => ("移动顶点", "move vertex"),
            Step::InsertVertex => ("插入顶点", "insert vertex"),
            Step::DeleteVertex => ("删除顶点", "delete vertex"),
            Step::Merge => ("合并", "merge"),
            Step::Split => ("拆分", "split"),
            Step::AssignBlocks => ("分配街区", "assign blocks"),
            Step::AssignBuildings => ("分配建筑", "assign buildings"),
            Step::EditProperties => ("修改属性", "edit attributes"),
            Step::Grids => ("修改网格", "edit grids"),
            Step::Accept => ("接受例外", "accept exception"),
            Step::Revoke => ("撤回例外", "revoke exception"),
            Step::ReplaceBoundary => ("修改边界", "change boundary"),
            Step::Edit => ("编辑", "edit"),
            Step::Basemaps => ("底图", "basemaps"),
            Step::PrintLayout => ("打印布局", "print layout"),
        };
        language.pick(chinese, english)
    }
}

impl Command {
    /// What kind of step this command is.
    pub fn step(&self) -> Step {
        match self {
            Command::ReplaceBoundary { .. } | Command::Reshape { .. } => Step::ReplaceBoundary,
            Command::Insert { .. } | Command::Create { .. } => Step::Create,
            Command::Remove { .. } | Command::Delete { .. } => Step::Delete,
            Command::SetProperties { .. } => Step::EditProperties,
            Command::SetGrids { .. } => Step::Grids,
            Command::SetExceptions { .. } => Step::Edit,
            Command::SetBasemaps { .. } => Step::Basemaps,
            Command::SetPrintLayout { .. } => Step::PrintLayout,
            Command::Batch(commands) => match commands.split_first() {
                Some((first, rest)) if rest.iter().all(|other| other.step() == first.step()) => {
                    first.step()
                }
                _ => Step::Edit,
            },
            Command::MoveVertex { .. } => Step::MoveVertex,
            Command::InsertVertex { .. } => Step::InsertVertex,
            Command::DeleteVertex { .. } => Step::DeleteVertex,
            Command::Merge { .. } => Step::Merge,
            Command::Split { .. } => Step::Split,
            Command::AssignBlocks { .. } | Command::GiveGround { .. } => Step::AssignBlocks,
            Command::AssignBuildings { .. } => Step::AssignBuildings,
            Command::Accept { .. } => Step::Accept,
            Command::Revoke { .. } => Step::Revoke,
        }
    }

    /// The command's name in `language`, for the Edit menu.
    pub fn describe(&self, language: Language) -> &'static str {
        self.step().describe(language)
    }

    /// True when carrying it out needs the street blocks.
    pub fn needs_blocks(&self) -> bool {
        match self {
            Command::AssignBlocks { .. } => true,
            Command::Batch(commands) => commands.iter().any(Command::needs_blocks),
            _ => false,
        }
    }
}
