//! Layer files to base layers: buildings (converted as they are parsed, or from their cache) and
//! streets (likewise, in the buildings' projection), with the warnings loading gave.

pub mod building;
pub mod buildings;
pub mod cache;
pub mod preview;
pub mod streets;

use std::path::Path;

use crate::attributes::FieldMapping;
use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::io::geojson::{DEFAULT_MAX_FILE_BYTES, declared_crs};
use crate::io::warnings::{LoadWarning, WarningCollector};
use crate::layers::{Building, Street};
use crate::profile::RuleProfile;
use crate::progress::{LoadProgress, LoadStage};
use crate::projection::LocalProjection;

pub use buildings::load_buildings;
pub use streets::{ParsedStreets, parse_streets, streets_from_parsed};

/// The layers as read, before they are assembled into a session.
pub struct ReadLayers<'a> {
    /// The buildings, in file order.
    pub buildings: Vec<Building>,
    /// The buildings' warnings, then the streets'.
    pub warnings: Vec<LoadWarning>,
    /// The projection the buildings fixed, which the streets are in too.
    pub projection: LocalProjection,
    /// The streets, in file order.
    pub streets: Vec<Street>,
    /// True when every layer came from its cache.
    pub from_cache: bool,
    /// Told of the stages still to come.
    pub progress: &'a LoadProgress,
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

/// The coordinate systems of the layers, where they are given; a layer without one is WGS 84
/// longitude/latitude, or what its file declares.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayerSystems {
    /// The buildings layer's.
    pub buildings: Option<Crs>,
    /// The streets layer's.
    pub streets: Option<Crs>,
    /// The community boundaries' (a layer of existing boundaries).
    pub communities: Option<Crs>,
}

impl LayerSystems {
    /// Systems from `LAYER=CRS` assignments, as `--crs buildings=EPSG:4527` gives them.
    pub fn from_assignments(assignments: &[String]) -> std::result::Result<Self, String> {
        let mut systems = Self::default();
        for assignment in assignments {
            let Some((layer, text)) = assignment.split_once('=') else {
                return Err(format!(
                    "\"{assignment}\" is not LAYER=CRS: write e.g. buildings=EPSG:4527"
                ));
            };
            let crs = Crs::parse(text).map_err(|error| format!("{layer}: {error}"))?;
            let slot = match layer.trim() {
                "buildings" => &mut systems.buildings,
                "streets" => &mut systems.streets,
                "communities" => &mut systems.communities,
                other => {
                    return Err(format!(
                        "\"{other}\" is no layer: the layers are buildings, streets and communities"
                    ));
                }
            };
            *slot = Some(crs);
        }
        Ok(systems)
    }
}

/// The system of the layer at `path`: `given`, else the one its file declares (the legacy `crs`
/// member), else none — WGS 84 longitude/latitude, which needs no change.
pub fn system_of(path: &Path, given: Option<&Crs>) -> Result<Option<Crs>> {
    let crs = match given {
        Some(crs) => crs.clone(),
        None => match declared_crs(path) {
            Some(declared) => Crs::parse(&declared).map_err(|error| Error::Layer {
                path: path.to_path_buf(),
                problem: format!(
                    "the file declares the coordinate system {declared}, which cannot be used: {error}. Give the layer's system with --crs."
                ),
            })?,
            None => return Ok(None),
        },
    };
    Ok((!crs.is_wgs84()).then_some(crs))
}

/// A warning for a layer in a system whose positions may land off (Xi'an 80 or Beijing 54
/// without the city's datum shift).
fn caution_of(path: &Path, crs: Option<&Crs>, warnings: &mut Vec<LoadWarning>) {
    if let Some((crs, caution)) = crs.and_then(|crs| Some((crs, crs.caution()?))) {
        let mut collector = WarningCollector::new(path);
        collector.add_file_problem(
            &format!("are in {} without the city's datum shift", crs.name()),
            caution,
            1,
        );
        warnings.extend(collector.finish());
    }
}

/// What the buildings' conversion depends on besides the file: the field mapping, the
/// profile's estimate settings and the coordinate system.
fn buildings_fingerprint(
    mapping: &FieldMapping,
    profile: &RuleProfile,
    crs: Option<&Crs>,
) -> String {
    serde_json::json!({
        "fields": mapping,
        "estimate": profile.estimate,
        "crs": crs.map(Crs::name),
    })
    .to_string()
}

/// What the streets' conversion depends on besides the file and the projection.
fn streets_fingerprint(mapping: &FieldMapping, crs: Option<&Crs>) -> String {
    serde_json::json!({ "fields": mapping, "crs": crs.map(Crs::name) }).to_string()
}

/// The streets as first found: from their cache, or parsed.
enum StreetsRead {
    Cached(cache::CachedStreets),
    Parsed(ParsedStreets),
}

/// Reads the buildings (converted as they are parsed, or from their cache) and the streets side
/// by side.
pub fn read_layers<'a>(
    buildings_path: &Path,
    streets_path: Option<&Path>,
    mapping: &FieldMapping,
    profile: &RuleProfile,
    systems: &LayerSystems,
    cache: LayerCacheUse,
    progress: &'a LoadProgress,
) -> Result<ReadLayers<'a>> {
    progress.enter(LoadStage::Reading);
    let caching = cache == LayerCacheUse::ReadAndWrite;
    let buildings_crs = system_of(buildings_path, systems.buildings.as_ref())?;
    let streets_crs = match streets_path {
        Some(path) => system_of(path, systems.streets.as_ref())?,
        None => None,
    };
    let (buildings_crs, streets_crs) = (buildings_crs.as_ref(), streets_crs.as_ref());
    let buildings_fingerprint = buildings_fingerprint(mapping, profile, buildings_crs);
    let streets_fingerprint = streets_fingerprint(mapping, streets_crs);
    let (buildings, streets) = rayon::join(
        || -> Result<(cache::CachedBuildings, bool)> {
            if caching
                && let Some(cached) =
                    cache::read_buildings(buildings_path, &buildings_fingerprint, progress)
            {
                return Ok((cached, true));
            }
            let (buildings, warnings, projection) = load_buildings(
                buildings_path,
                buildings_crs,
                mapping,
                profile,
                DEFAULT_MAX_FILE_BYTES,
                progress,
            )?;
            let loaded = cache::CachedBuildings {
                buildings,
                warnings,
                projection,
            };
            if caching {
                cache::write_buildings(buildings_path, &buildings_fingerprint, &loaded);
            }
            Ok((loaded, false))
        },
        || -> Result<Option<StreetsRead>> {
            let Some(path) = streets_path else {
                return Ok(None);
            };
            if caching && let Some(cached) = cache::read_streets(path, &streets_fingerprint) {
                return Ok(Some(StreetsRead::Cached(cached)));
            }
            parse_streets(path, streets_crs, mapping, DEFAULT_MAX_FILE_BYTES)
                .map(|parsed| Some(StreetsRead::Parsed(parsed)))
        },
    );
    let (buildings, buildings_from_cache) = buildings?;
    let projection = buildings.projection;
    let mut warnings = buildings.warnings;
    caution_of(buildings_path, buildings_crs, &mut warnings);
    if let Some(path) = streets_path {
        caution_of(path, streets_crs, &mut warnings);
    }
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
                StreetsRead::Cached(_) => {
                    parse_streets(path, streets_crs, mapping, DEFAULT_MAX_FILE_BYTES)?
                }
            };
            let (streets, street_warnings) =
                streets_from_parsed(&parsed, path, &projection, mapping)?;
            if caching {
                cache::write_streets(
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
