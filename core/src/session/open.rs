//! Opening: a plan file and its layers, or layers alone, read (through their caches), indexed,
//! counted and checked.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use serde_json::Map;

use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::index::{BuildingIndex, CommunityIndex, StreetIndex};
use crate::io::geojson::{
    DEFAULT_MAX_FILE_BYTES, RawCollection, features_to_wgs84, read_feature_collection,
};
use crate::io::paths::{folder_of, resolve};
use crate::io::plan_file::{
    PlanSettings, communities_from_collection, street_offices_in_metres, take_settings,
};
use crate::layers::BaseLayers;
use crate::load::{
    LayerCacheUse, LayerEncodings, LayerSources, LayerSystems, ReadLayers, encoding_of,
    read_layers, read_whole_layer, system_of,
};
use crate::plan::{District, Plan, StreetOffice};
use crate::profile::RuleProfile;
use crate::progress::{LoadProgress, LoadStage};
use crate::projection::LocalProjection;
use crate::rules::RuleResults;

use super::{LayerInputs, Session, Timings, resolve_profile};

/// How to open a plan or layers.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions<'a> {
    /// Whether the binary caches beside the layers are read and written.
    pub cache: LayerCacheUse,
    /// Told how far opening has got (for a progress bar while it runs on another thread).
    pub progress: Option<&'a LoadProgress>,
}

pub(super) fn elapsed_ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

impl Session {
    /// Opens a plan file and its layers (through their caches).
    pub fn open(plan_path: &Path) -> Result<Self> {
        Self::open_with(plan_path, OpenOptions::default())
    }

    /// Opens a plan file and its layers as `options` say.
    pub fn open_with(plan_path: &Path, options: OpenOptions<'_>) -> Result<Self> {
        let start = Instant::now();
        let file = PlanFileRead::read(plan_path)?;
        file.open_layers(plan_path, options, start)
    }

    /// Starts a session from layers (no plan file yet), checked against `profile`, opened as
    /// `options` say.
    pub fn from_layers(
        inputs: &LayerInputs,
        mut profile: RuleProfile,
        options: OpenOptions<'_>,
    ) -> Result<Self> {
        if inputs.unknown_use_is_residential {
            profile.estimate.unknown_use_is_residential = true;
        }
        let unwatched = LoadProgress::default();
        let progress = options.progress.unwrap_or(&unwatched);
        let start = Instant::now();
        let read = read_layers(
            &inputs.buildings,
            inputs.streets.as_deref(),
            &inputs.fields,
            &profile,
            &LayerSources {
                systems: &inputs.systems,
                encodings: &inputs.encodings,
                register: inputs.register.as_ref(),
            },
            options.cache,
            progress,
        )?;
        let mut reading_warnings = Vec::new();
        let communities = inputs
            .communities
            .as_deref()
            .map(|path| -> Result<_> {
                let mut raw =
                    match read_whole_layer(path, inputs.encodings.communities, usize::MAX)? {
                        Some(layer) => {
                            reading_warnings = layer.warnings;
                            RawCollection {
                                features: layer.features,
                                foreign_members: Map::new(),
                            }
                        }
                        None => read_feature_collection(path, DEFAULT_MAX_FILE_BYTES)?,
                    };
                if let Some(crs) = system_of(path, inputs.systems.communities.as_ref())? {
                    features_to_wgs84(&mut raw.features, &crs);
                }
                Ok((raw, path.to_path_buf()))
            })
            .transpose()?;
        let mut settings = PlanSettings::new(
            inputs.buildings.to_string_lossy().into_owned(),
            inputs
                .streets
                .as_ref()
                .map(|path| path.to_string_lossy().into_owned()),
            inputs.fields.clone(),
        );
        settings.layers.buildings_crs =
            system_of(&inputs.buildings, inputs.systems.buildings.as_ref())?
                .map(|crs| crs.name().to_owned());
        settings.layers.register = inputs.register.clone();
        settings.layers.buildings_encoding = inputs
            .encodings
            .buildings
            .map(|encoding| encoding.name().to_owned());
        settings.layers.streets_encoding = inputs
            .encodings
            .streets
            .map(|encoding| encoding.name().to_owned());
        settings.layers.streets_crs = match &inputs.streets {
            Some(path) => {
                system_of(path, inputs.systems.streets.as_ref())?.map(|crs| crs.name().to_owned())
            }
            None => None,
        };
        if inputs.unknown_use_is_residential {
            settings.profile.overrides = Some(serde_json::json!({
                "estimate": {"unknown_use_is_residential": true}
            }));
        }
        let mut session = Self::assemble(
            read,
            communities,
            settings,
            Map::new(),
            profile,
            inputs.buildings.clone(),
            inputs.streets.clone(),
        )?;
        session.warnings.extend(reading_warnings);
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
        let layers = BaseLayers {
            buildings: read.buildings,
            streets: read.streets,
            buildings_path,
            streets_path,
        };
        let progress = read.progress;
        progress.enter(LoadStage::Indexing);
        let index_start = Instant::now();
        let (building_index, street_index) = rayon::join(
            || BuildingIndex::build(&layers.buildings),
            || StreetIndex::build(&layers.streets),
        );
        let shared = LayerParts {
            layers: Arc::new(layers),
            building_index: Arc::new(building_index),
            street_index: Arc::new(street_index),
            projection: read.projection,
        };
        let index_ms = elapsed_ms(index_start);
        let mut warnings = read.warnings;
        let plan = plan_of(
            communities
                .as_ref()
                .map(|(raw, path)| (raw, path.as_path())),
            &settings,
            &shared.projection,
            &mut warnings,
        )?;
        let mut session = Self::assemble_on(
            shared,
            warnings,
            plan,
            settings,
            collection_members,
            profile,
            progress,
        );
        session.timings.index_ms += index_ms;
        session.timings.layers_from_cache = read.from_cache;
        Ok(session)
    }

    /// The session of `plan` over layers already read and indexed, counted and checked.
    pub(super) fn assemble_on(
        shared: LayerParts,
        warnings: Vec<crate::io::warnings::LoadWarning>,
        plan: Plan,
        settings: PlanSettings,
        collection_members: Map<String, serde_json::Value>,
        profile: RuleProfile,
        progress: &LoadProgress,
    ) -> Self {
        let projection = shared.projection;
        let index_start = Instant::now();
        let community_index = CommunityIndex::build(&plan);
        let index_ms = elapsed_ms(index_start);
        progress.enter(LoadStage::Counting);
        let tally_start = Instant::now();
        let tallies = crate::tally::Tallies::full(
            &plan,
            &shared.layers.buildings,
            &shared.building_index,
            profile.geometry.cut_tolerance_m2,
        );
        let tally_ms = elapsed_ms(tally_start);

        let opened = Arc::new((plan.clone(), settings.exceptions.clone()));
        let mut session = Self {
            plan_path: None,
            opened,
            settings,
            collection_members,
            projection,
            layers: shared.layers,
            plan,
            building_index: shared.building_index,
            community_index,
            street_index: shared.street_index,
            rules: RuleResults::default(),
            baseline: std::collections::HashSet::new(),
            history: crate::history::History::default(),
            user: crate::audit::system_user(),
            open_step: None,
            scenarios: vec![super::scenarios::ScenarioSlot::active(
                super::scenarios::DEFAULT_SCENARIO_NAME.to_owned(),
            )],
            active_scenario: 0,
            scenarios_changed: false,
            settings_changed: false,
            active_scenario_members: Map::new(),
            generation: 0,
            blocks: None,
            street_names: std::sync::OnceLock::new(),
            tallies,
            profile,
            warnings,
            timings: Timings {
                load_ms: 0.0,
                index_ms,
                tally_ms,
                rules_ms: 0.0,
                layers_from_cache: false,
            },
        };
        progress.enter(LoadStage::Checking);
        let rules_start = Instant::now();
        session.rules = RuleResults::full(&session.rule_context());
        session.timings.rules_ms = elapsed_ms(rules_start);
        session.mark_baseline();
        session
    }
}

/// The communities of a plan file (or of a communities layer), with the street offices and
/// districts its settings list and those its communities name.
pub(super) fn plan_of(
    communities: Option<(&RawCollection, &Path)>,
    settings: &PlanSettings,
    projection: &LocalProjection,
    warnings: &mut Vec<crate::io::warnings::LoadWarning>,
) -> Result<Plan> {
    let mut plan = match communities {
        Some((raw, path)) => {
            let (communities, community_warnings) =
                communities_from_collection(raw, path, projection, &settings.layers.fields)?;
            warnings.extend(community_warnings);
            let mut plan = Plan::new(communities);
            plan.street_offices = street_offices_in_metres(settings, path, projection)?;
            plan.districts = settings.districts.clone();
            plan
        }
        None => Plan::default(),
    };
    add_missing_street_offices_and_districts(&mut plan);
    Ok(plan)
}

/// A plan file read, its layers not yet.
pub(super) struct PlanFileRead {
    pub(super) raw_plan: RawCollection,
    pub(super) settings: PlanSettings,
    pub(super) profile: RuleProfile,
    buildings_path: PathBuf,
    streets_path: Option<PathBuf>,
}

impl PlanFileRead {
    pub(super) fn read(plan_path: &Path) -> Result<Self> {
        let mut raw_plan = read_feature_collection(plan_path, DEFAULT_MAX_FILE_BYTES)?;
        let mut settings = take_settings(&mut raw_plan, plan_path)?;
        let folder = folder_of(plan_path);
        let profile = resolve_profile(&settings, &folder)?;
        let buildings_path = resolve(&folder, &settings.layers.buildings);
        let streets_path = settings
            .layers
            .streets
            .as_deref()
            .map(|streets| resolve(&folder, streets));
        // The register's path is kept absolute while the plan is open; saving writes it
        // relative to the plan's folder again.
        if let Some(register) = &mut settings.layers.register {
            register.path = resolve(&folder, &register.path.to_string_lossy());
        }
        Ok(Self {
            raw_plan,
            settings,
            profile,
            buildings_path,
            streets_path,
        })
    }

    pub(super) fn layer_identity(&self) -> String {
        layer_identity(
            &self.buildings_path,
            self.streets_path.as_deref(),
            &self.settings,
            &self.profile,
        )
    }

    /// Reads the layers the file names and opens the session.
    pub(super) fn open_layers(
        self,
        plan_path: &Path,
        options: OpenOptions<'_>,
        start: Instant,
    ) -> Result<Session> {
        let unwatched = LoadProgress::default();
        let progress = options.progress.unwrap_or(&unwatched);
        let (systems, encodings) = recorded_reading(&self.settings, plan_path)?;
        let read = read_layers(
            &self.buildings_path,
            self.streets_path.as_deref(),
            &self.settings.layers.fields,
            &self.profile,
            &LayerSources {
                systems: &systems,
                encodings: &encodings,
                register: self.settings.layers.register.as_ref(),
            },
            options.cache,
            progress,
        )?;
        let collection_members = self.raw_plan.foreign_members.clone();
        let mut session = Session::assemble(
            read,
            Some((self.raw_plan, plan_path.to_path_buf())),
            self.settings,
            collection_members,
            self.profile,
            self.buildings_path,
            self.streets_path,
        )?;
        session.plan_path = Some(plan_path.to_path_buf());
        session.report_unreadable_log(plan_path);
        session.load_scenarios(plan_path)?;
        session.timings.load_ms = elapsed_ms(start)
            - session.timings.index_ms
            - session.timings.tally_ms
            - session.timings.rules_ms;
        Ok(session)
    }
}

/// Street offices and districts that communities name but the plan does not list yet are added,
/// so every name a community uses has an entry to attach a boundary or targets to.
fn add_missing_street_offices_and_districts(plan: &mut Plan) {
    let mut offices: Vec<(String, Option<String>)> = Vec::new();
    let mut districts: Vec<String> = Vec::new();
    for (_, community) in plan.communities() {
        if let Some(office) = &community.properties.street_office
            && !plan
                .street_offices
                .iter()
                .any(|known| &known.name == office || &known.id == office)
            && !offices.iter().any(|(known, _)| known == office)
        {
            offices.push((office.clone(), community.properties.district.clone()));
        }
        if let Some(district) = &community.properties.district
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

/// The layers' coordinate systems and text encodings the plan records.
fn recorded_reading(
    settings: &PlanSettings,
    plan_path: &Path,
) -> Result<(LayerSystems, LayerEncodings)> {
    let refused = |problem: String| Error::Plan {
        path: plan_path.to_path_buf(),
        problem,
    };
    let system = |recorded: &Option<String>| -> Result<Option<Crs>> {
        recorded
            .as_deref()
            .map(|text| {
                Crs::parse(text).map_err(|error| {
                    refused(format!("the layers' coordinate system \"{text}\": {error}"))
                })
            })
            .transpose()
    };
    let encoding = |recorded: &Option<String>| -> Result<Option<&'static encoding_rs::Encoding>> {
        recorded
            .as_deref()
            .map(|label| encoding_of(label).map_err(refused))
            .transpose()
    };
    let layers = &settings.layers;
    Ok((
        LayerSystems {
            buildings: system(&layers.buildings_crs)?,
            streets: system(&layers.streets_crs)?,
            communities: None,
        },
        LayerEncodings {
            buildings: encoding(&layers.buildings_encoding)?,
            streets: encoding(&layers.streets_encoding)?,
            communities: None,
        },
    ))
}

/// The layers of a session, their indexes and their projection: what sessions of the same
/// layers share. (Their identity is worked out only when another plan is to be opened beside.)
#[derive(Debug, Clone)]
pub(super) struct LayerParts {
    pub(super) layers: Arc<BaseLayers>,
    pub(super) building_index: Arc<BuildingIndex>,
    pub(super) street_index: Arc<StreetIndex>,
    pub(super) projection: LocalProjection,
}

/// What the layers as read depend on (see [`super::SharedLayers`]); paths are made absolute so
/// that the same file named from two folders is one file.
pub(super) fn layer_identity(
    buildings: &Path,
    streets: Option<&Path>,
    settings: &PlanSettings,
    profile: &RuleProfile,
) -> String {
    let absolute = |path: &Path| {
        std::fs::canonicalize(path)
            .unwrap_or_else(|_| path.to_path_buf())
            .to_string_lossy()
            .into_owned()
    };
    let layers = &settings.layers;
    serde_json::json!({
        "buildings": absolute(buildings),
        "streets": streets.map(absolute),
        "fields": layers.fields,
        "buildings_crs": layers.buildings_crs,
        "streets_crs": layers.streets_crs,
        "buildings_encoding": layers.buildings_encoding,
        "streets_encoding": layers.streets_encoding,
        "register": layers.register,
        "estimate": profile.estimate,
    })
    .to_string()
}
