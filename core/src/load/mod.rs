//! Layer files to base layers: buildings (converted as they are parsed, or from their cache) and
//! streets (likewise, in the buildings' projection), with the warnings loading gave.

pub mod building;
pub mod buildings;
pub mod cache;
pub mod preview;
pub mod register;
pub mod source;
pub mod streets;

use std::path::Path;

use crate::attributes::{Field, FieldMapping};
use crate::crs::Crs;
use crate::error::Result;
use crate::io::geojson::DEFAULT_MAX_FILE_BYTES;
use crate::io::shapefile::is_shapefile;
use crate::io::warnings::LoadWarning;
use crate::layers::{Building, Street};
use crate::profile::RuleProfile;
use crate::progress::{LoadProgress, LoadStage};
use crate::projection::LocalProjection;

pub use buildings::load_buildings;
pub use source::{
    LayerEncodings, LayerReading, LayerSources, LayerSystems, WholeLayer, caution_of, encoding_of,
    read_whole_layer, system_of,
};
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

/// What the buildings' conversion depends on besides the file: the field mapping, the
/// profile's estimate settings and the coordinate system.
fn buildings_fingerprint(
    path: &Path,
    mapping: &FieldMapping,
    profile: &RuleProfile,
    reading: &LayerReading<'_>,
) -> String {
    serde_json::json!({
        "fields": mapping,
        "estimate": profile.estimate,
        "source": source_fingerprint(path, reading),
    })
    .to_string()
}

/// What the streets' conversion depends on besides the file and the projection.
fn streets_fingerprint(path: &Path, mapping: &FieldMapping, reading: &LayerReading<'_>) -> String {
    serde_json::json!({ "fields": mapping, "source": source_fingerprint(path, reading) })
        .to_string()
}

/// The layer's system and encoding, and for a Shapefile its attribute table's size and time
/// (the cache is stamped with the `.shp` alone).
fn source_fingerprint(path: &Path, reading: &LayerReading<'_>) -> serde_json::Value {
    let table = is_shapefile(path)
        .then(|| std::fs::metadata(path.with_extension("dbf")).ok())
        .flatten()
        .map(|metadata| {
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|since| since.as_nanos().to_string());
            serde_json::json!([metadata.len(), modified])
        });
    serde_json::json!({
        "crs": reading.crs.map(Crs::name),
        "encoding": reading.encoding.map(encoding_rs::Encoding::name),
        "table": table,
    })
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
    sources: &LayerSources<'_>,
    cache: LayerCacheUse,
    progress: &'a LoadProgress,
) -> Result<ReadLayers<'a>> {
    progress.enter(LoadStage::Reading);
    let caching = cache == LayerCacheUse::ReadAndWrite;
    let (systems, encodings) = (sources.systems, sources.encodings);
    let buildings_crs = system_of(buildings_path, systems.buildings.as_ref())?;
    let streets_crs = match streets_path {
        Some(path) => system_of(path, systems.streets.as_ref())?,
        None => None,
    };
    let (buildings_crs, streets_crs) = (buildings_crs.as_ref(), streets_crs.as_ref());
    let buildings_reading = LayerReading {
        crs: buildings_crs,
        encoding: encodings.buildings,
    };
    let streets_reading = LayerReading {
        crs: streets_crs,
        encoding: encodings.streets,
    };
    // A register joins by a building field of its own: the buildings' id, for the buildings only.
    let mut buildings_mapping = mapping.clone();
    if let Some(register) = sources.register {
        buildings_mapping.set_source(Field::Id, Some(&register.building_field));
    }
    let buildings_fingerprint = buildings_fingerprint(
        buildings_path,
        &buildings_mapping,
        profile,
        &buildings_reading,
    );
    let streets_fingerprint = streets_path
        .map(|path| streets_fingerprint(path, mapping, &streets_reading))
        .unwrap_or_default();
    let (buildings, streets) = rayon::join(
        || {
            buildings_read_or_cached(
                buildings_path,
                &buildings_fingerprint,
                &buildings_reading,
                (&buildings_mapping, profile),
                caching,
                progress,
            )
        },
        || -> Result<Option<StreetsRead>> {
            let Some(path) = streets_path else {
                return Ok(None);
            };
            if caching && let Some(cached) = cache::read_streets(path, &streets_fingerprint) {
                return Ok(Some(StreetsRead::Cached(cached)));
            }
            parse_streets(path, &streets_reading, mapping, DEFAULT_MAX_FILE_BYTES)
                .map(|parsed| Some(StreetsRead::Parsed(parsed)))
        },
    );
    let (mut buildings, buildings_from_cache) = buildings?;
    let projection = buildings.projection;
    let mut warnings = std::mem::take(&mut buildings.warnings);
    if let Some(spec) = sources.register {
        let (_, register_warnings) =
            register::apply_register(&mut buildings.buildings, spec, profile)?;
        warnings.extend(register_warnings);
    }
    caution_of(buildings_path, buildings_crs, &mut warnings);
    if let Some(path) = streets_path {
        caution_of(path, streets_crs, &mut warnings);
    }
    let mut from_cache = buildings_from_cache;
    let streets = match (streets?, streets_path) {
        (Some(read), Some(path)) => {
            let street_reading = StreetReading {
                path,
                reading: &streets_reading,
                mapping,
                fingerprint: &streets_fingerprint,
                caching,
            };
            let (streets, street_warnings, cached) =
                streets_in_metres(read, &street_reading, &projection)?;
            from_cache &= cached;
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

/// The buildings from their cache when it matches, else loaded (and cached when `caching`);
/// true when they came from the cache.
fn buildings_read_or_cached(
    path: &Path,
    fingerprint: &str,
    reading: &LayerReading<'_>,
    (mapping, profile): (&FieldMapping, &RuleProfile),
    caching: bool,
    progress: &LoadProgress,
) -> Result<(cache::CachedBuildings, bool)> {
    if caching && let Some(cached) = cache::read_buildings(path, fingerprint, progress) {
        return Ok((cached, true));
    }
    let (buildings, warnings, projection) = load_buildings(
        path,
        reading,
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
        cache::write_buildings(path, fingerprint, &loaded);
    }
    Ok((loaded, false))
}

/// How the streets layer is read, for its conversion to metres.
struct StreetReading<'a> {
    path: &'a Path,
    reading: &'a LayerReading<'a>,
    mapping: &'a FieldMapping,
    fingerprint: &'a str,
    caching: bool,
}

/// The streets in metres in `projection`, their warnings, and true when they came from a cache
/// made with the same projection (one made with another is parsed afresh).
fn streets_in_metres(
    read: StreetsRead,
    street: &StreetReading<'_>,
    projection: &LocalProjection,
) -> Result<(Vec<Street>, Vec<LoadWarning>, bool)> {
    let parsed = match read {
        StreetsRead::Cached(cached) if cached.projection_centre == projection.centre() => {
            return Ok((cached.streets, cached.warnings, true));
        }
        StreetsRead::Parsed(parsed) => parsed,
        StreetsRead::Cached(_) => parse_streets(
            street.path,
            street.reading,
            street.mapping,
            DEFAULT_MAX_FILE_BYTES,
        )?,
    };
    let (streets, warnings) =
        streets_from_parsed(&parsed, street.path, projection, street.mapping)?;
    if street.caching {
        cache::write_streets(
            street.path,
            street.fingerprint,
            projection,
            &streets,
            &warnings,
        );
    }
    Ok((streets, warnings, false))
}
