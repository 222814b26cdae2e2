//! Every change to a plan, as data. High-level commands (move a vertex, merge, split, assign
//! blocks…) are resolved by the geometry operations into primitive changes (replace a boundary,
//! insert or remove a community, set properties, set the exceptions); the inverse of any command
//! is a batch of primitives.

use geo::{Coord, LineString};

use crate::ids::CommunityKey;
use crate::plan::{Community, CommunityType};
use crate::rules::{AcceptedException, ViolationKey};

/// A community's own attributes, as the inspector edits them.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityProperties {
    /// Display name.
    pub name: String,
    /// Type of clause 6.
    pub kind: CommunityType,
    /// Street office.
    pub street_office: Option<String>,
    /// District.
    pub district: Option<String>,
    /// A newly built estate.
    pub new_estate: bool,
    /// In the old town.
    pub old_town: bool,
    /// Locked against geometric edits.
    pub locked: bool,
    /// Recorded office space, m².
    pub office_area_m2: Option<f64>,
    /// Recorded service space, m².
    pub service_area_m2: Option<f64>,
    /// The planner's notes.
    pub notes: String,
}

impl CommunityProperties {
    /// The properties of `community`.
    pub fn of(community: &Community) -> Self {
        Self {
            name: community.name.clone(),
            kind: community.kind,
            street_office: community.street_office.clone(),
            district: community.district.clone(),
            new_estate: community.new_estate,
            old_town: community.old_town,
            locked: community.locked,
            office_area_m2: community.office_area_m2,
            service_area_m2: community.service_area_m2,
            notes: community.notes.clone(),
        }
    }

    /// Writes them onto `community`.
    pub fn apply_to(&self, community: &mut Community) {
        community.name = self.name.clone();
        community.kind = self.kind;
        community.street_office = self.street_office.clone();
        community.district = self.district.clone();
        community.new_estate = self.new_estate;
        community.old_town = self.old_town;
        community.locked = self.locked;
        community.office_area_m2 = self.office_area_m2;
        community.service_area_m2 = self.service_area_m2;
        community.notes.clone_from(&self.notes);
    }
}

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
    /// Primitive: replace the accepted exceptions.
    SetExceptions {
        /// The new list.
        exceptions: Vec<AcceptedException>,
    },
    /// Several commands as one.
    Batch(Vec<Command>),
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
