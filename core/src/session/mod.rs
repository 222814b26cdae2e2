//! The one façade the CLI and the app use: the plan with its base layers, spatial indexes, tallies
//! and profile, loaded together and kept consistent.
//!
//! `open` reads a plan or layers, `editing` is the only place the plan changes, `queries` answers
//! what panels and reports read, `save` writes it back.

use std::path::{Path, PathBuf};

use serde_json::Map;

use crate::attributes::FieldMapping;
use crate::error::{Error, Result};
use crate::exception::AcceptedException;
use crate::history::History;
use crate::index::{BuildingIndex, CommunityIndex, StreetIndex};
use crate::io::paths::resolve;
use crate::io::plan_file::PlanSettings;
use crate::io::register::RegisterSpec;
use crate::io::warnings::LoadWarning;
use crate::layers::BaseLayers;
use crate::load::{LayerEncodings, LayerSystems};
use crate::ops::blocks::Blocks;
use crate::plan::Plan;
use crate::profile::{DEFAULT_PROFILE_NAME, RuleProfile};
use crate::projection::LocalProjection;
use crate::rules::RuleResults;
use crate::tally::Tallies;
use crate::violation::{Violation, ViolationKey};

mod beside;
mod editing;
mod log;
mod open;
mod previews;
mod queries;
mod save;
mod scenarios;
mod search;

pub use beside::SharedLayers;
pub use open::OpenOptions;
pub use previews::PiecePreview;
pub use scenarios::{DEFAULT_SCENARIO_NAME, ScenarioError};

/// How long each stage of opening took, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Reading, parsing and projecting the files.
    pub load_ms: f64,
    /// Building the R-trees.
    pub index_ms: f64,
    /// Counting every community.
    pub tally_ms: f64,
    /// Checking every rule.
    pub rules_ms: f64,
    /// True when every layer came from its cache.
    pub layers_from_cache: bool,
}

/// A violation with what the plan says of it.
#[derive(Debug, Clone, Copy)]
pub struct CheckedViolation<'a> {
    /// The violation.
    pub violation: &'a Violation,
    /// The exception that accepts it, if one does.
    pub accepted: Option<&'a AcceptedException>,
    /// True when it already existed when the plan was opened.
    pub pre_existing: bool,
}

/// Layers to start a session from, as the CLI's `--buildings`, `--streets`, `--communities` give
/// them.
#[derive(Debug, Clone, Default)]
pub struct LayerInputs {
    /// Buildings (Polygon / MultiPolygon).
    pub buildings: PathBuf,
    /// Streets (LineString / MultiLineString, or road-area polygons).
    pub streets: Option<PathBuf>,
    /// Existing community boundaries (Polygon / MultiPolygon).
    pub communities: Option<PathBuf>,
    /// Field overrides.
    pub fields: FieldMapping,
    /// Count buildings with no use as residential (the profile's `unknown_use_is_residential`),
    /// recorded in the plan's profile overrides so that the saved plan counts the same.
    pub unknown_use_is_residential: bool,
    /// The layers' coordinate systems where they are not WGS 84 longitude/latitude (recorded in
    /// the plan, so that it opens the layers the same way).
    pub systems: LayerSystems,
    /// The Shapefile layers' text encodings, where the planner chose them.
    pub encodings: LayerEncodings,
    /// A household register joined to the buildings by a key.
    pub register: Option<RegisterSpec>,
}

/// A plan open for checking or editing: the one façade the CLI and the app use. Its parts are
/// read through accessors; the plan changes only through [`Session::execute`] (and undo, redo).
#[derive(Debug, Clone)]
pub struct Session {
    /// The plan file, once it has one.
    plan_path: Option<PathBuf>,
    /// The plan and its accepted exceptions as opened (see [`Session::as_opened`]).
    opened: std::sync::Arc<(Plan, Vec<AcceptedException>)>,
    /// The plan file's `shequ` member.
    settings: PlanSettings,
    /// Top-level members of the plan file other than `type`, `features` and `shequ`.
    collection_members: Map<String, serde_json::Value>,
    /// Local metres ⇄ lon/lat.
    projection: LocalProjection,
    /// Buildings and streets (shared with sessions of the same layers).
    layers: std::sync::Arc<BaseLayers>,
    /// The communities.
    plan: Plan,
    /// Buildings by point and by envelope (shared likewise).
    building_index: std::sync::Arc<BuildingIndex>,
    /// Communities by envelope.
    community_index: CommunityIndex,
    /// Street centrelines by segment (shared likewise).
    street_index: std::sync::Arc<StreetIndex>,
    /// The violations, kept current.
    rules: RuleResults,
    /// Undo and redo.
    history: History,
    /// Who the change log names.
    user: String,
    /// The plan's scenarios in order; the active one's parts are the session's own fields.
    scenarios: Vec<scenarios::ScenarioSlot>,
    /// Which of `scenarios` is active.
    active_scenario: usize,
    /// True when scenarios were created, renamed or deleted since the last save.
    scenarios_changed: bool,
    /// True when a setting of the plan (the grid codes' rule) changed since the last save.
    settings_changed: bool,
    /// Members of the active scenario's stored form this version does not know, kept.
    active_scenario_members: Map<String, serde_json::Value>,
    /// The communities as they were when the open transaction began, for its log entry.
    open_step: Option<log::Before>,
    /// Bumped by every change to the plan: what the app compares to know its drawing is stale.
    generation: u64,
    /// Street blocks, derived on first use.
    blocks: Option<Blocks>,
    /// The streets' names for search, gathered on the first search.
    street_names: std::sync::OnceLock<crate::search::StreetNames>,
    /// Violations (with their figures) as they were when the plan was opened.
    baseline: std::collections::HashSet<(ViolationKey, String)>,
    /// Per-community figures.
    tallies: Tallies,
    /// The rule profile in force.
    profile: RuleProfile,
    /// What loading found and worked around.
    warnings: Vec<LoadWarning>,
    /// How long opening took.
    timings: Timings,
}

/// The profile a plan names, with its overrides; `folder` resolves a profile file's path.
pub fn resolve_profile(settings: &PlanSettings, folder: &Path) -> Result<RuleProfile> {
    let base = match settings.profile.name.as_deref() {
        None | Some(DEFAULT_PROFILE_NAME) => RuleProfile::nanchang_2002(),
        Some(file) => {
            let path = resolve(folder, file);
            let looks_like_a_name = !file.contains(['/', '\\', '.']);
            if looks_like_a_name && !path.exists() {
                return Err(Error::Profile {
                    source_name: file.to_owned(),
                    problem: format!(
                        "no built-in profile has this name (built in: {DEFAULT_PROFILE_NAME}); name one of those, or a TOML file beside the plan (`shequ profile --print` writes one to copy)"
                    ),
                });
            }
            crate::io::paths::regular_file_size(&path)?;
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            RuleProfile::from_toml(&text, &path.display().to_string())?
        }
    };
    match &settings.profile.overrides {
        None => Ok(base),
        Some(overrides) => base.with_overrides(overrides, "the plan's profile overrides"),
    }
}
