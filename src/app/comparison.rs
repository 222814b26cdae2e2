//! Before and after while the plan is compared: the plan compared with (the plan as opened, as
//! last saved, or another plan file, sharing the open plan's layers), the comparison kept current
//! as the plan changes, the buildings that changed community, and the transfer picked in the
//! panel. The panel is `panels::comparison`; the map draws the old boundaries from here.

use std::path::PathBuf;

use shequ_core::Session;
use shequ_core::compare::{CompareError, Comparison, compare_and_moved, transfer_buildings};

/// What the plan is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareAgainst {
    /// The plan as it was opened.
    Opened,
    /// The plan file as last saved.
    Saved,
    /// Another plan file.
    File(PathBuf),
    /// Another scenario of the plan.
    Scenario(String),
}

/// A transfer: the community before and after (ids; none for no community).
pub type TransferCell = (Option<String>, Option<String>);

/// The comparison shown while comparing.
pub struct ComparisonView {
    /// What the plan is compared with.
    pub against: CompareAgainst,
    /// The plan compared with, over the open plan's layers where they are the same.
    pub before: Session,
    /// The comparison, as of `generation` of the open plan.
    pub comparison: Comparison,
    /// The open plan's generation the comparison is of.
    pub generation: u64,
    /// Buildings of the open plan's layer whose community changed.
    pub moved: Vec<u32>,
    /// The transfer picked in the panel, with its buildings.
    pub picked: Option<(TransferCell, Vec<u32>)>,
    /// How the transfer matrix orders its rows and columns.
    pub order: TransferOrder,
    /// How long the last comparison took: a slow one (a city of a million buildings) is not
    /// made again while a vertex is dragged, only when the drag ends.
    pub comparing_time: std::time::Duration,
}

/// How the transfer matrix orders its communities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TransferOrder {
    /// By id.
    #[default]
    ById,
    /// Most households moved first.
    ByMoved,
}

impl std::fmt::Debug for ComparisonView {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ComparisonView")
            .field("against", &self.against)
            .field("generation", &self.generation)
            .field("moved", &self.moved.len())
            .finish_non_exhaustive()
    }
}

impl ComparisonView {
    /// Compares `after` with `before`.
    pub fn new(
        against: CompareAgainst,
        before: Session,
        after: &Session,
    ) -> Result<Self, CompareError> {
        let start = std::time::Instant::now();
        let (comparison, moved) = compare_and_moved(&before, after)?;
        Ok(Self {
            against,
            before,
            comparison,
            generation: after.generation(),
            moved,
            picked: None,
            order: TransferOrder::default(),
            comparing_time: start.elapsed(),
        })
    }

    /// Compares again where the open plan has changed since; the picked transfer keeps its
    /// buildings as they now are.
    pub fn refresh(&mut self, after: &Session) -> Result<(), CompareError> {
        if after.generation() == self.generation {
            return Ok(());
        }
        let start = std::time::Instant::now();
        (self.comparison, self.moved) = compare_and_moved(&self.before, after)?;
        self.generation = after.generation();
        if let Some((cell, _)) = self.picked.take() {
            let buildings = self.buildings_of(after, &cell)?;
            self.picked = Some((cell, buildings));
        }
        self.comparing_time = start.elapsed();
        Ok(())
    }

    /// The buildings of the open plan's layer in one transfer.
    pub fn buildings_of(
        &self,
        after: &Session,
        (from, to): &TransferCell,
    ) -> Result<Vec<u32>, CompareError> {
        transfer_buildings(&self.before, after, from.as_deref(), to.as_deref())
    }

    /// The communities of the plan compared with whose boundary differs from the open plan's
    /// community of the same id, or that it no longer has: the boundaries drawn dashed.
    pub fn old_boundaries(&self) -> impl Iterator<Item = &geo::MultiPolygon<f64>> {
        use shequ_core::compare::ChangeStatus;
        let changed: std::collections::HashSet<&str> = self
            .comparison
            .communities
            .iter()
            .filter(|change| matches!(change.status, ChangeStatus::Changed | ChangeStatus::Removed))
            .map(|change| change.id.as_str())
            .collect();
        self.before
            .plan()
            .communities()
            .filter(move |(_, community)| changed.contains(community.id.as_str()))
            .map(|(_, community)| &community.boundary)
    }
}
