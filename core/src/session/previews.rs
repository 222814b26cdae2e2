//! What an edit would give, before it is made: the merged community, the pieces of a split, a
//! drawn community. Each takes the same geometry and checks as its command and counts through
//! the building R-tree, on a copy, so the figures shown are the figures the edit will make.

use geo::{LineString, MultiPolygon, Polygon};

use crate::ids::CommunityKey;
use crate::ops::{self, OpError};
use crate::plan::CommunityType;
use crate::rules::community_households::{BandVerdict, band_verdict};
use crate::tally::{CommunityTally, tally_of_boundary};

use super::Session;

/// A community an edit would make: its boundary, its figures, and where they stand in its band.
#[derive(Debug, Clone)]
pub struct PiecePreview {
    /// Its boundary, metres.
    pub boundary: MultiPolygon<f64>,
    /// What it would count.
    pub tally: CommunityTally,
    /// Its households against the band of its type.
    pub verdict: BandVerdict,
}

impl Session {
    /// What the community made by merging `keys` would count: the same union and checks as
    /// [`crate::edit::Command::Merge`]; `Err` says why the merge would be refused. (A lock is
    /// checked when the merge is made.)
    pub fn merge_preview(&self, keys: &[CommunityKey]) -> Result<CommunityTally, OpError> {
        let boundaries: Vec<&MultiPolygon<f64>> = keys
            .iter()
            .filter_map(|&key| self.plan.community(key))
            .map(|community| &community.boundary)
            .collect();
        let merged = ops::merge(&boundaries, false)?;
        Ok(tally_of_boundary(
            &merged,
            &self.layers.buildings,
            &self.building_index,
        ))
    }

    /// The pieces splitting community `key` along `line` would make, largest first as
    /// [`crate::edit::Command::Split`] makes them (the first keeps the community's id), each
    /// judged by the community's type; `Err` says why the split would be refused.
    pub fn split_preview(
        &self,
        key: CommunityKey,
        line: &LineString<f64>,
    ) -> Result<Vec<PiecePreview>, OpError> {
        let Some(community) = self.plan.community(key) else {
            return Ok(Vec::new());
        };
        let pieces = ops::split(&community.boundary, line)?;
        Ok(pieces
            .into_iter()
            .map(|piece| {
                self.piece(
                    MultiPolygon::new(vec![piece]),
                    community.properties.kind,
                    community.properties.new_estate,
                )
            })
            .collect())
    }

    /// The community drawing `ring` would make: the ring with its neighbours cut out, as
    /// [`crate::edit::Command::Create`] with `avoid_overlap` makes it, judged as a geographic
    /// community (its type is chosen after); `Err` says why it would be refused.
    pub fn draw_preview(&self, ring: LineString<f64>) -> Result<PiecePreview, OpError> {
        let drawn = MultiPolygon::new(vec![Polygon::new(ring, Vec::new())]);
        let neighbours: Vec<&MultiPolygon<f64>> = crate::index::boundary_envelope(&drawn)
            .map(|envelope| {
                self.community_index
                    .meeting(envelope)
                    .filter_map(|key| self.plan.community(key))
                    .map(|neighbour| &neighbour.boundary)
                    .collect()
            })
            .unwrap_or_default();
        let clipped = ops::clip_against(&drawn, &neighbours)?;
        Ok(self.piece(clipped, CommunityType::Geographic, false))
    }

    fn piece(
        &self,
        boundary: MultiPolygon<f64>,
        kind: CommunityType,
        new_estate: bool,
    ) -> PiecePreview {
        let tally = tally_of_boundary(&boundary, &self.layers.buildings, &self.building_index);
        let verdict = band_verdict(
            &self.profile.community_households,
            kind,
            new_estate,
            tally.households,
        );
        PiecePreview {
            boundary,
            tally,
            verdict,
        }
    }
}

impl Session {
    /// A copy of the plan to try a command on: its communities, figures and violations, the
    /// layers and their indexes shared (not copied), and no undo history, change log or other
    /// scenarios — what a fix's outcome is measured on.
    pub fn trial(&self) -> Session {
        let mut settings = self.settings.clone();
        settings.log = Vec::new();
        Session {
            plan_path: self.plan_path.clone(),
            opened: std::sync::Arc::clone(&self.opened),
            settings,
            collection_members: serde_json::Map::new(),
            projection: self.projection,
            layers: std::sync::Arc::clone(&self.layers),
            plan: self.plan.clone(),
            building_index: std::sync::Arc::clone(&self.building_index),
            community_index: self.community_index.clone(),
            street_index: std::sync::Arc::clone(&self.street_index),
            rules: self.rules.clone(),
            history: crate::history::History::default(),
            user: self.user.clone(),
            scenarios: vec![super::scenarios::ScenarioSlot::active(
                self.scenario_name().to_owned(),
            )],
            active_scenario: 0,
            scenarios_changed: false,
            settings_changed: false,
            active_scenario_members: serde_json::Map::new(),
            open_step: None,
            generation: self.generation,
            blocks: self.blocks.clone(),
            street_names: std::sync::OnceLock::new(),
            baseline: self.baseline.clone(),
            tallies: self.tallies.clone(),
            profile: self.profile.clone(),
            warnings: Vec::new(),
            timings: self.timings,
        }
    }
}
