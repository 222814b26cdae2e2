//! Opening: a plan file and its layers, or layers alone, read (through their caches), indexed,
//! counted and checked.

use std::path::{Path, PathBuf};
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

fn elapsed_ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

impl Session {
    /// Opens a plan file and its layers (through their caches).
    pub fn open(plan_path: &Path) -> Result<Self> {
        Self::open_with(plan_path, OpenOptions::default())
    }

    /// Opens a plan file and its layers as `options` say.
    pub fn open_with(plan_path: &Path, options: OpenOptions<'_>) -> Result<Self> {
        let unwatched = LoadProgress::default();
        let progress = options.progress.unwrap_or(&unwatched);
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
        let (systems, encodings) = recorded_reading(&settings, plan_path)?;
        // The register's path is kept absolute while the plan is open; saving writes it
        // relative to the plan's folder again.
        let mut settings = settings;
        if let Some(register) = &mut settings.layers.register {
            register.path = resolve(&folder, &register.path.to_string_lossy());
        }
        let read = read_layers(
            &buildings_path,
            streets_path.as_deref(),
            &settings.layers.fields,
            &profile,
            &LayerSources {
                systems: &systems,
                encodings: &encodings,
                register: settings.layers.register.as_ref(),
            },
            options.cache,
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
            street_names: std::sync::OnceLock::new(),
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
