//! The one façade the CLI and the app use: the plan with its base layers, spatial indexes, tallies
//! and profile, loaded together and kept consistent.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Map;

use crate::attributes::FieldMapping;
use crate::error::{Error, Result};
use crate::ids::CommunityKey;
use crate::index::{BuildingIndex, CommunityIndex, StreetIndex};
use crate::io::geojson::{DEFAULT_MAX_FILE_BYTES, RawCollection, read_feature_collection};
use crate::io::paths::{folder_of, relative_to, resolve};
use crate::io::plan_file::{
    PlanFileContents, PlanSettings, communities_from_collection, save_plan_file,
    street_offices_in_metres, take_settings,
};
use crate::io::warnings::LoadWarning;
use crate::layers::{
    BaseLayers, ParsedStreets, load_buildings, parse_streets, streets_from_parsed,
};
use crate::plan::{District, Plan, StreetOffice};
use crate::progress::{LoadProgress, LoadStage};
use crate::projection::LocalProjection;
use crate::rules::profile::DEFAULT_PROFILE_NAME;
use crate::rules::{
    AcceptedException, RuleContext, RuleProfile, RuleResults, Severity, Violation, ViolationKey,
};

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
}

/// A plan open for checking or editing.
#[derive(Debug, Clone)]
pub struct Session {
    /// The plan file, once it has one.
    pub plan_path: Option<PathBuf>,
    /// The plan file's `shequ` member.
    pub settings: PlanSettings,
    /// Top-level members of the plan file other than `type`, `features` and `shequ`.
    pub collection_members: Map<String, serde_json::Value>,
    /// Local metres ⇄ lon/lat.
    pub projection: LocalProjection,
    /// Buildings and streets.
    pub layers: BaseLayers,
    /// The communities.
    pub plan: Plan,
    /// Buildings by point and by envelope.
    pub building_index: BuildingIndex,
    /// Communities by envelope.
    pub community_index: CommunityIndex,
    /// Street centrelines by segment.
    pub street_index: StreetIndex,
    /// The violations, kept current.
    pub rules: RuleResults,
    /// Undo and redo.
    pub history: crate::history::History,
    /// Bumped by every change to the plan: what the app compares to know its drawing is stale.
    pub generation: u64,
    /// Street blocks, derived on first use.
    blocks: Option<crate::ops::blocks::Blocks>,
    /// Violations (with their figures) as they were when the plan was opened.
    baseline: std::collections::HashSet<(ViolationKey, String)>,
    /// Per-community figures.
    pub tallies: crate::tally::Tallies,
    /// The rule profile in force.
    pub profile: RuleProfile,
    /// What loading found and worked around.
    pub warnings: Vec<LoadWarning>,
    /// How long opening took.
    pub timings: Timings,
}

fn elapsed_ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// The profile a plan names, with its overrides; `folder` resolves a profile file's path.
pub fn resolve_profile(settings: &PlanSettings, folder: &Path) -> Result<RuleProfile> {
    let base = match settings.profile.name.as_deref() {
        None | Some(DEFAULT_PROFILE_NAME) => RuleProfile::nanchang_2002(),
        Some(file) => {
            let path = resolve(folder, file);
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

struct ReadLayers<'a> {
    buildings: Vec<crate::layers::Building>,
    /// The buildings' warnings, then the streets'.
    warnings: Vec<LoadWarning>,
    projection: LocalProjection,
    streets: Vec<crate::layers::Street>,
    from_cache: bool,
    /// Told of the stages still to come.
    progress: &'a LoadProgress,
}

/// Whether opening may use and write the binary caches beside the layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LayerCacheUse {
    /// Read a cache that matches; write one after parsing.
    #[default]
    ReadAndWrite,
    /// Parse the GeoJSON; leave caches alone.
    Off,
}

/// What the buildings' conversion depends on besides the file: the field mapping and the
/// profile's estimate settings.
fn buildings_fingerprint(mapping: &FieldMapping, profile: &RuleProfile) -> String {
    serde_json::json!({"fields": mapping, "estimate": profile.estimate}).to_string()
}

/// What the streets' conversion depends on besides the file and the projection.
fn streets_fingerprint(mapping: &FieldMapping) -> String {
    serde_json::json!({ "fields": mapping }).to_string()
}

/// The streets as first found: from their cache, or parsed.
enum StreetsRead {
    Cached(crate::io::layer_cache::CachedStreets),
    Parsed(ParsedStreets),
}

/// Reads the buildings (converted as they are parsed, or from their cache) and the streets side
/// by side.
fn read_layers<'a>(
    buildings_path: &Path,
    streets_path: Option<&Path>,
    mapping: &FieldMapping,
    profile: &RuleProfile,
    cache: LayerCacheUse,
    progress: &'a LoadProgress,
) -> Result<ReadLayers<'a>> {
    use crate::io::layer_cache;
    progress.enter(LoadStage::Reading);
    let caching = cache == LayerCacheUse::ReadAndWrite;
    let buildings_fingerprint = buildings_fingerprint(mapping, profile);
    let streets_fingerprint = streets_fingerprint(mapping);
    let (buildings, streets) = rayon::join(
        || -> Result<(layer_cache::CachedBuildings, bool)> {
            if caching
                && let Some(cached) =
                    layer_cache::read_buildings(buildings_path, &buildings_fingerprint, progress)
            {
                return Ok((cached, true));
            }
            let (buildings, warnings, projection) = load_buildings(
                buildings_path,
                mapping,
                profile,
                DEFAULT_MAX_FILE_BYTES,
                progress,
            )?;
            let loaded = layer_cache::CachedBuildings {
                buildings,
                warnings,
                projection,
            };
            if caching {
                layer_cache::write_buildings(buildings_path, &buildings_fingerprint, &loaded);
            }
            Ok((loaded, false))
        },
        || -> Result<Option<StreetsRead>> {
            let Some(path) = streets_path else {
                return Ok(None);
            };
            if caching && let Some(cached) = layer_cache::read_streets(path, &streets_fingerprint) {
                return Ok(Some(StreetsRead::Cached(cached)));
            }
            parse_streets(path, mapping, DEFAULT_MAX_FILE_BYTES)
                .map(|parsed| Some(StreetsRead::Parsed(parsed)))
        },
    );
    let (buildings, buildings_from_cache) = buildings?;
    let projection = buildings.projection;
    let mut warnings = buildings.warnings;
    let mut from_cache = buildings_from_cache;
    let streets = match (streets?, streets_path) {
        (Some(StreetsRead::Cached(cached)), Some(_))
            if cached.projection_centre == projection.centre() =>
        {
            warnings.extend(cached.warnings);
            cached.streets
        }
        (Some(read), Some(path)) => {
            // A cache made with another projection is parsed afresh.
            let parsed = match read {
                StreetsRead::Parsed(parsed) => parsed,
                StreetsRead::Cached(_) => parse_streets(path, mapping, DEFAULT_MAX_FILE_BYTES)?,
            };
            let (streets, street_warnings) =
                streets_from_parsed(&parsed, path, &projection, mapping)?;
            if caching {
                layer_cache::write_streets(
                    path,
                    &streets_fingerprint,
                    &projection,
                    &streets,
                    &street_warnings,
                );
            }
            from_cache = false;
            warnings.extend(street_warnings);
            streets
        }
        _ => Vec::new(),
    };
    Ok(ReadLayers {
        buildings: buildings.buildings,
        warnings,
        projection,
        streets,
        from_cache,
        progress,
    })
}

impl Session {
    /// Opens a plan file and its layers (through their caches).
    pub fn open(plan_path: &Path) -> Result<Self> {
        Self::open_with(plan_path, LayerCacheUse::ReadAndWrite)
    }

    /// Opens a plan file and its layers, using the layers' caches as `cache` says.
    pub fn open_with(plan_path: &Path, cache: LayerCacheUse) -> Result<Self> {
        Self::open_watched(plan_path, cache, &LoadProgress::default())
    }

    /// Opens a plan file and its layers, telling `progress` how far it has got (for a progress
    /// bar shown while this runs on another thread).
    pub fn open_watched(
        plan_path: &Path,
        cache: LayerCacheUse,
        progress: &LoadProgress,
    ) -> Result<Self> {
        let start = Instant::now();
        let mut raw_plan = read_feature_collection(plan_path, DEFAULT_MAX_FILE_BYTES)?;
        let settings = take_settings(&mut raw_plan, plan_path)?;
        let folder = folder_of(plan_path);
        let profile = resolve_profile(&settings, &folder)?;
        let buildings_path = resolve(&folder, &settings.layers.buildings);
        let streets_path = settings
            .layers
            .streets
            .as_deref()
            .map(|streets| resolve(&folder, streets));
        let read = read_layers(
            &buildings_path,
            streets_path.as_deref(),
            &settings.layers.fields,
            &profile,
            cache,
            progress,
        )?;
        let collection_members = raw_plan.foreign_members.clone();
        let mut session = Self::assemble(
            read,
            Some((raw_plan, plan_path.to_path_buf())),
            settings,
            collection_members,
            profile,
            buildings_path,
            streets_path,
        )?;
        session.plan_path = Some(plan_path.to_path_buf());
        session.timings.load_ms = elapsed_ms(start)
            - session.timings.index_ms
            - session.timings.tally_ms
            - session.timings.rules_ms;
        Ok(session)
    }

    /// Starts a session from layers (no plan file yet), checked against `profile`, through the
    /// layers' caches.
    pub fn from_layers(inputs: &LayerInputs, profile: RuleProfile) -> Result<Self> {
        Self::from_layers_with(inputs, profile, LayerCacheUse::ReadAndWrite)
    }

    /// Starts a session from layers, using their caches as `cache` says.
    pub fn from_layers_with(
        inputs: &LayerInputs,
        profile: RuleProfile,
        cache: LayerCacheUse,
    ) -> Result<Self> {
        Self::from_layers_watched(inputs, profile, cache, &LoadProgress::default())
    }

    /// Starts a session from layers, telling `progress` how far it has got.
    pub fn from_layers_watched(
        inputs: &LayerInputs,
        profile: RuleProfile,
        cache: LayerCacheUse,
        progress: &LoadProgress,
    ) -> Result<Self> {
        let start = Instant::now();
        let read = read_layers(
            &inputs.buildings,
            inputs.streets.as_deref(),
            &inputs.fields,
            &profile,
            cache,
            progress,
        )?;
        let communities = inputs
            .communities
            .as_deref()
            .map(|path| {
                read_feature_collection(path, DEFAULT_MAX_FILE_BYTES)
                    .map(|raw| (raw, path.to_path_buf()))
            })
            .transpose()?;
        let settings = PlanSettings::new(
            inputs.buildings.to_string_lossy().into_owned(),
            inputs
                .streets
                .as_ref()
                .map(|path| path.to_string_lossy().into_owned()),
            inputs.fields.clone(),
        );
        let mut session = Self::assemble(
            read,
            communities,
            settings,
            Map::new(),
            profile,
            inputs.buildings.clone(),
            inputs.streets.clone(),
        )?;
        session.timings.load_ms = elapsed_ms(start)
            - session.timings.index_ms
            - session.timings.tally_ms
            - session.timings.rules_ms;
        Ok(session)
    }

    fn assemble(
        read: ReadLayers<'_>,
        communities: Option<(RawCollection, PathBuf)>,
        settings: PlanSettings,
        collection_members: Map<String, serde_json::Value>,
        profile: RuleProfile,
        buildings_path: PathBuf,
        streets_path: Option<PathBuf>,
    ) -> Result<Self> {
        let mapping = settings.layers.fields.clone();
        let projection = read.projection;
        let (buildings, streets, mut warnings) = (read.buildings, read.streets, read.warnings);
        let mut plan = match &communities {
            Some((raw, path)) => {
                let (communities, community_warnings) =
                    communities_from_collection(raw, path, &projection, &mapping)?;
                warnings.extend(community_warnings);
                Plan::new(communities)
            }
            None => Plan::default(),
        };
        if let Some((_, path)) = &communities {
            plan.street_offices = street_offices_in_metres(&settings, path, &projection)?;
            plan.districts = settings.districts.clone();
        }
        add_missing_street_offices_and_districts(&mut plan);
        let layers = BaseLayers {
            buildings,
            streets,
            buildings_path,
            streets_path,
        };

        let progress = read.progress;
        progress.enter(LoadStage::Indexing);
        let index_start = Instant::now();
        let ((building_index, community_index), street_index) = rayon::join(
            || {
                (
                    BuildingIndex::build(&layers.buildings),
                    CommunityIndex::build(&plan),
                )
            },
            || StreetIndex::build(&layers.streets),
        );
        let index_ms = elapsed_ms(index_start);

        progress.enter(LoadStage::Counting);
        let tally_start = Instant::now();
        let tallies = crate::tally::Tallies::full(
            &plan,
            &layers.buildings,
            &building_index,
            profile.geometry.cut_tolerance_m2,
        );
        let tally_ms = elapsed_ms(tally_start);

        let mut session = Self {
            plan_path: None,
            settings,
            collection_members,
            projection,
            layers,
            plan,
            building_index,
            community_index,
            street_index,
            rules: RuleResults::default(),
            baseline: std::collections::HashSet::new(),
            history: crate::history::History::default(),
            generation: 0,
            blocks: None,
            tallies,
            profile,
            warnings,
            timings: Timings {
                load_ms: 0.0,
                index_ms,
                tally_ms,
                rules_ms: 0.0,
                layers_from_cache: read.from_cache,
            },
        };
        progress.enter(LoadStage::Checking);
        let rules_start = Instant::now();
        session.rules = RuleResults::full(&session.rule_context());
        session.timings.rules_ms = elapsed_ms(rules_start);
        session.mark_baseline();
        Ok(session)
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
    pub fn derived_blocks(&self) -> Option<&crate::ops::blocks::Blocks> {
        self.blocks.as_ref()
    }

    /// The street blocks, derived from the streets on first use.
    pub fn blocks(&mut self) -> &crate::ops::blocks::Blocks {
        let (buildings, streets) = (&self.layers.buildings, &self.layers.streets);
        self.blocks.get_or_insert_with(|| {
            let extent = crate::ops::blocks::data_extent(buildings, streets).unwrap_or_default();
            crate::ops::blocks::Blocks::derive(streets, extent)
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
                accepted: self
                    .settings
                    .exceptions
                    .iter()
                    .find(|exception| exception.covers(violation)),
                pre_existing: self
                    .baseline
                    .contains(&(violation.key(), violation.figures.to_string())),
            })
            .collect()
    }

    /// The worst severity among the violations of community `key` that no exception accepts;
    /// `None` when it breaks no rule, or every break it makes is accepted.
    pub fn worst_unaccepted_severity(&self, key: CommunityKey) -> Option<Severity> {
        self.rules
            .of_community(key)
            .filter(|violation| {
                !self
                    .settings
                    .exceptions
                    .iter()
                    .any(|exception| exception.covers(violation))
            })
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

    /// Accepts the violation with this key as it stands, with a reason, an approver and a date
    /// (an undoable step).
    pub fn accept(
        &mut self,
        key: &ViolationKey,
        reason: &str,
        approver: &str,
        date: &str,
    ) -> Result<()> {
        let command = crate::edit::Command::Accept {
            key: key.clone(),
            reason: reason.to_owned(),
            approver: approver.to_owned(),
            date: date.to_owned(),
        };
        self.execute("accept", command).map(|_| ())
    }

    /// Withdraws the exception for this key (an undoable step).
    pub fn revoke(&mut self, key: &ViolationKey) -> Result<()> {
        self.execute("revoke", crate::edit::Command::Revoke { key: key.clone() })
            .map(|_| ())
    }

    /// After the given communities changed: re-files them in the index, recounts them, and
    /// re-checks the rules that concern them and their neighbours.
    pub fn refresh(&mut self, keys: &[CommunityKey]) {
        for &key in keys {
            self.community_index.refresh(&self.plan, key);
        }
        self.recount_and_recheck(keys);
    }

    /// Recounts the given communities and re-checks their rules, their neighbours' and the
    /// plan-wide ones; the community index must already be current.
    pub(crate) fn recount_and_recheck(&mut self, keys: &[CommunityKey]) {
        self.tallies.recount(
            keys,
            &self.plan,
            &self.layers.buildings,
            &self.building_index,
            self.profile.geometry.cut_tolerance_m2,
        );
        let mut rules = std::mem::take(&mut self.rules);
        rules.recheck(&self.rule_context(), keys);
        self.rules = rules;
    }

    /// Writes the plan as it is to `path` — a recovery copy in the plan file's folder — without
    /// making it the plan's file or marking the plan saved.
    pub fn write_copy(&self, path: &Path) -> Result<()> {
        save_plan_file(
            path,
            &PlanFileContents {
                settings: &self.settings,
                collection_members: &self.collection_members,
                plan: &self.plan,
                projection: &self.projection,
            },
        )
    }

    /// Opens a recovery copy written by [`Session::write_copy`] as the plan at `plan_path` with
    /// unsaved changes: saving writes to `plan_path`, and the title shows the plan unsaved.
    pub fn open_recovery(recovery: &Path, plan_path: &Path) -> Result<Self> {
        let mut session = Self::open(recovery)?;
        session.plan_path = Some(plan_path.to_path_buf());
        session.history.mark_unsaved();
        Ok(session)
    }

    /// Saves the plan to `path` atomically; layer paths are rewritten relative to its folder.
    pub fn save_as(&mut self, path: &Path) -> Result<()> {
        let lapsed: Vec<ViolationKey> = self
            .lapsed_exceptions()
            .iter()
            .map(|exception| exception.key())
            .collect();
        self.settings
            .exceptions
            .retain(|exception| !lapsed.contains(&exception.key()));
        let folder = folder_of(path);
        self.settings.layers.buildings = relative_to(&folder, &self.layers.buildings_path);
        self.settings.layers.streets = self
            .layers
            .streets_path
            .as_deref()
            .map(|streets| relative_to(&folder, streets));
        save_plan_file(
            path,
            &PlanFileContents {
                settings: &self.settings,
                collection_members: &self.collection_members,
                plan: &self.plan,
                projection: &self.projection,
            },
        )?;
        self.plan_path = Some(path.to_path_buf());
        self.history.mark_saved();
        Ok(())
    }
}

/// Street offices and districts that communities name but the plan does not list yet are added,
/// so every name a community uses has an entry to attach a boundary or targets to.
fn add_missing_street_offices_and_districts(plan: &mut Plan) {
    let mut offices: Vec<(String, Option<String>)> = Vec::new();
    let mut districts: Vec<String> = Vec::new();
    for (_, community) in plan.communities() {
        if let Some(office) = &community.street_office
            && !plan
                .street_offices
                .iter()
                .any(|known| &known.name == office || &known.id == office)
            && !offices.iter().any(|(known, _)| known == office)
        {
            offices.push((office.clone(), community.district.clone()));
        }
        if let Some(district) = &community.district
            && !plan
                .districts
                .iter()
                .any(|known| &known.name == district || &known.id == district)
            && !districts.contains(district)
        {
            districts.push(district.clone());
        }
    }
    for (name, district) in offices {
        plan.street_offices.push(StreetOffice {
            id: name.clone(),
            name,
            district,
            boundary: None,
        });
    }
    for name in districts {
        plan.districts.push(District {
            id: name.clone(),
            name,
        });
    }
}
