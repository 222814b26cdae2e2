//! What panels, reports and the CLI read: the session's parts, the violations with their
//! exceptions, the street blocks.

use std::path::{Path, PathBuf};

use serde_json::Map;

use crate::exception::AcceptedException;
use crate::figures::{PlanFigures, plan_figures};
use crate::history::History;
use crate::ids::CommunityKey;
use crate::index::{BuildingIndex, CommunityIndex, StreetIndex};
use crate::io::plan_file::PlanSettings;
use crate::io::warnings::LoadWarning;
use crate::layers::BaseLayers;
use crate::ops::blocks::Blocks;
use crate::plan::Plan;
use crate::profile::RuleProfile;
use crate::projection::LocalProjection;
use crate::rules::{RuleContext, RuleResults};
use crate::tally::Tallies;
use crate::violation::{Severity, Violation};

use super::{CheckedViolation, Session, Timings};

impl Session {
    /// The plan file, once the plan has one.
    pub fn plan_path(&self) -> Option<&Path> {
        self.plan_path.as_deref()
    }

    /// Where a basemap's file is: a relative path is taken from the plan's folder.
    pub fn basemap_file(&self, basemap: &crate::io::plan_file::BasemapSettings) -> PathBuf {
        let path = Path::new(&basemap.path);
        match self.plan_path.as_deref().and_then(Path::parent) {
            Some(folder) if path.is_relative() => folder.join(path),
            _ => path.to_path_buf(),
        }
    }

    /// The plan file's `shequ` member: layers, field overrides, street offices, districts,
    /// profile, exceptions and basemaps.
    pub fn settings(&self) -> &PlanSettings {
        &self.settings
    }

    /// Top-level members of the plan file other than `type`, `features` and `shequ`.
    pub fn collection_members(&self) -> &Map<String, serde_json::Value> {
        &self.collection_members
    }

    /// Local metres ⇄ lon/lat.
    pub fn projection(&self) -> &LocalProjection {
        &self.projection
    }

    /// Buildings and streets.
    pub fn layers(&self) -> &BaseLayers {
        &self.layers
    }

    /// The communities, street offices and districts.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Buildings by point and by envelope.
    pub fn building_index(&self) -> &BuildingIndex {
        &self.building_index
    }

    /// The building whose footprint contains `point` (metres), the smallest when footprints
    /// overlap (a tower drawn over its podium).
    pub fn building_at(&self, point: geo::Coord<f64>) -> Option<u32> {
        use geo::Intersects;
        let buildings = &self.layers.buildings;
        self.building_index
            .footprints_meeting(crate::index::aabb(point, point))
            .filter(|&index| {
                buildings
                    .get(index as usize)
                    .is_some_and(|building| building.footprint.intersects(&point))
            })
            .min_by(|&a, &b| {
                let area = |index: u32| buildings[index as usize].footprint_area_m2;
                area(a).total_cmp(&area(b))
            })
    }

    /// Communities by envelope.
    pub fn community_index(&self) -> &CommunityIndex {
        &self.community_index
    }

    /// Street centrelines by segment.
    pub fn street_index(&self) -> &StreetIndex {
        &self.street_index
    }

    /// The violations, kept current.
    pub fn rules(&self) -> &RuleResults {
        &self.rules
    }

    /// Undo and redo.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Bumped by every change to the plan: what the app compares to know its drawing is stale.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Totals per street office, per district and for the whole plan: those the last check
    /// added up, else added up now.
    pub fn plan_figures(&self) -> std::borrow::Cow<'_, PlanFigures> {
        match &self.rules.figures {
            Some(figures) => std::borrow::Cow::Borrowed(figures),
            None => std::borrow::Cow::Owned(plan_figures(
                &self.plan,
                &self.tallies,
                &self.profile,
                &self.community_index,
            )),
        }
    }

    /// Per-community figures.
    pub fn tallies(&self) -> &Tallies {
        &self.tallies
    }

    /// The rule profile in force.
    pub fn profile(&self) -> &RuleProfile {
        &self.profile
    }

    /// What loading found and worked around.
    pub fn warnings(&self) -> &[LoadWarning] {
        &self.warnings
    }

    /// How long opening took.
    pub fn timings(&self) -> Timings {
        self.timings
    }

    /// True when the plan differs from what was last saved or opened.
    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty() || self.waiting_scenarios_dirty() || self.settings_changed
    }

    /// What the rules read.
    pub fn rule_context(&self) -> RuleContext<'_> {
        RuleContext {
            plan: &self.plan,
            layers: &self.layers,
            tallies: &self.tallies,
            building_index: &self.building_index,
            community_index: &self.community_index,
            street_index: &self.street_index,
            profile: &self.profile,
        }
    }

    /// The street blocks, if they have been derived already.
    pub fn derived_blocks(&self) -> Option<&Blocks> {
        self.blocks.as_ref()
    }

    /// The street blocks, derived from the streets on first use.
    pub fn blocks(&mut self) -> &Blocks {
        let (buildings, streets) = (&self.layers.buildings, &self.layers.streets);
        self.blocks.get_or_insert_with(|| {
            let extent = crate::ops::blocks::data_extent(buildings, streets).unwrap_or_default();
            Blocks::derive(streets, extent)
        })
    }

    /// Takes the current violations as the ones that were there before the planner's edits.
    pub fn mark_baseline(&mut self) {
        self.baseline = self
            .rules
            .iter()
            .map(|violation| (violation.key(), violation.figures.to_string()))
            .collect();
    }

    /// Every violation with its exception and whether it was there when the plan was opened.
    pub fn violations(&self) -> Vec<CheckedViolation<'_>> {
        self.rules
            .iter()
            .map(|violation| CheckedViolation {
                violation,
                accepted: self.exception_for(violation),
                pre_existing: self
                    .baseline
                    .contains(&(violation.key(), violation.figures.to_string())),
            })
            .collect()
    }

    /// The exception that accepts `violation`, if one does.
    pub fn exception_for(&self, violation: &Violation) -> Option<&AcceptedException> {
        self.settings
            .exceptions
            .iter()
            .find(|exception| exception.covers(violation))
    }

    /// The violations of community `key` that no exception accepts.
    pub fn unaccepted_violations_of(&self, key: CommunityKey) -> impl Iterator<Item = &Violation> {
        self.rules
            .of_community(key)
            .filter(|violation| self.exception_for(violation).is_none())
    }

    /// The worst severity among the violations of community `key` that no exception accepts;
    /// `None` when it breaks no rule, or every break it makes is accepted.
    pub fn worst_unaccepted_severity(&self, key: CommunityKey) -> Option<Severity> {
        self.unaccepted_violations_of(key)
            .map(|violation| violation.severity)
            // Errors order before warnings.
            .min()
    }

    /// How many errors no exception accepts.
    pub fn unaccepted_errors(&self) -> usize {
        self.violations()
            .iter()
            .filter(|checked| {
                checked.violation.severity == Severity::Error && checked.accepted.is_none()
            })
            .count()
    }

    /// Exceptions whose violation no longer occurs as accepted; they are dropped at the next save.
    pub fn lapsed_exceptions(&self) -> Vec<&AcceptedException> {
        self.settings
            .exceptions
            .iter()
            .filter(|exception| {
                !self
                    .rules
                    .iter()
                    .any(|violation| exception.covers(violation))
            })
            .collect()
    }
}
