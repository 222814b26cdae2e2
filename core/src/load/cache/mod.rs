//! A binary sidecar beside each layer file (`.buildings.geojson.shequ-cache`) holding the layer
//! as converted — footprints in metres, households, estimates, load warnings — so that a second
//! open of the same layer decodes it in parallel instead of parsing GeoJSON again.
//!
//! A cache is used only when everything it was made from is unchanged: the format version, the
//! source file's size and modification time, and a fingerprint of what the conversion depends on
//! (the field mapping and the profile's estimate settings for buildings; the projection for
//! streets). The header (stamp, projection centre, warnings), the feature count and every chunk
//! carry checksums, counts and lengths are bounded by the cache file's own size, and any
//! mismatch, truncation or unreadable value makes the cache count as absent: the layer is parsed
//! again and the cache rewritten. A cache
//! is written beside the layer when the folder allows; when it does not, layers still load, just
//! without the shortcut next time.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

use crate::io::atomic::remove_leftovers;
use crate::io::warnings::LoadWarning;
use crate::layers::{Building, Interner, Street};
use crate::progress::LoadProgress;
use crate::projection::LocalProjection;

mod codec;

use codec::{Reader, Writer, checksum, read_building, read_street, write_building, write_street};

const MAGIC: &[u8; 8] = b"SHEQUCA\x01";

/// Bumped whenever the encoding or the meaning of a cached value changes.
const FORMAT_VERSION: u32 = 8;

/// Features per chunk: the unit of checksums and of parallel decoding.
const CHUNK_FEATURES: usize = 16_384;

/// The sidecar of `layer`: `.NAME.shequ-cache` in the same folder.
pub fn cache_path(layer: &Path) -> PathBuf {
    let name = layer
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    layer.with_file_name(format!(".{name}.shequ-cache"))
}

/// What a cache must match: the layer file as it is now and what the conversion depends on.
#[derive(Debug, Clone, PartialEq)]
struct Stamp {
    source_bytes: u64,
    modified_seconds: u64,
    modified_nanoseconds: u32,
    fingerprint: String,
}

impl Stamp {
    fn of(layer: &Path, fingerprint: String) -> Option<Self> {
        let metadata = fs::metadata(layer).ok()?;
        let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Self {
            source_bytes: metadata.len(),
            modified_seconds: modified.as_secs(),
            modified_nanoseconds: modified.subsec_nanos(),
            fingerprint,
        })
    }
}

/// The buildings of a layer as cached.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedBuildings {
    /// The buildings, in file order.
    pub buildings: Vec<Building>,
    /// The warnings loading them gave.
    pub warnings: Vec<LoadWarning>,
    /// The projection they are in.
    pub projection: LocalProjection,
}

/// Reads the buildings cache of `layer`, if it matches the layer and `fingerprint`.
pub fn read_buildings(
    layer: &Path,
    fingerprint: &str,
    progress: &LoadProgress,
) -> Option<CachedBuildings> {
    let stamp = Stamp::of(layer, fingerprint.to_owned())?;
    let (mut file, file_bytes) = open_cache(layer)?;
    let (centre, warnings) = read_header(&mut file, &stamp, layer)?;
    let buildings = read_chunks(&mut file, file_bytes, read_building, Some(progress))?;
    Some(CachedBuildings {
        buildings,
        warnings,
        projection: LocalProjection::centred_on(centre.0, centre.1),
    })
}

/// Writes the buildings cache of `layer` (quietly giving up where the folder is read-only: the
/// cache only saves time).
pub fn write_buildings(layer: &Path, fingerprint: &str, cached: &CachedBuildings) {
    let Some(stamp) = Stamp::of(layer, fingerprint.to_owned()) else {
        return;
    };
    save(&cache_path(layer), |file| {
        write_header(file, &stamp, cached.projection.centre(), &cached.warnings)?;
        write_chunks(file, &cached.buildings, write_building)
    });
}

/// The streets of a layer as cached.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedStreets {
    /// The streets, in file order.
    pub streets: Vec<Street>,
    /// The warnings loading them gave.
    pub warnings: Vec<LoadWarning>,
    /// The centre (longitude, latitude) of the projection they are in; a cache made with
    /// another projection than the buildings' is not used.
    pub projection_centre: (f64, f64),
}

/// Reads the streets cache of `layer`, if it matches the layer and `fingerprint`.
pub fn read_streets(layer: &Path, fingerprint: &str) -> Option<CachedStreets> {
    let stamp = Stamp::of(layer, fingerprint.to_owned())?;
    let (mut file, file_bytes) = open_cache(layer)?;
    let (projection_centre, warnings) = read_header(&mut file, &stamp, layer)?;
    let streets = read_chunks(&mut file, file_bytes, read_street, None)?;
    Some(CachedStreets {
        streets,
        warnings,
        projection_centre,
    })
}

/// Writes the streets cache of `layer`.
pub fn write_streets(
    layer: &Path,
    fingerprint: &str,
    projection: &LocalProjection,
    streets: &[Street],
    warnings: &[LoadWarning],
) {
    let Some(stamp) = Stamp::of(layer, fingerprint.to_owned()) else {
        return;
    };
    save(&cache_path(layer), |file| {
        write_header(file, &stamp, projection.centre(), warnings)?;
        write_chunks(file, streets, write_street)
    });
}

/// The cache of `layer`, opened for reading, and its size in bytes (which bounds every count and
/// length read from it).
fn open_cache(layer: &Path) -> Option<(BufReader<File>, u64)> {
    let file = File::open(cache_path(layer)).ok()?;
    let metadata = file.metadata().ok()?;
    metadata
        .is_file()
        .then(|| (BufReader::new(file), metadata.len()))
}

/// Writes a temporary file with `write` and renames it into place, so a reader never sees half
/// a cache (no flush to disk: a cache lost in a crash is only rebuilt, and its checksums catch
/// a damaged one). The temporary's name is unpredictable and it is created exclusively, so a
/// link planted in the folder is never followed. Failure is not an error for the planner, so
/// nothing is reported.
fn save(path: &Path, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let Some(folder) = path.parent() else {
        return;
    };
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    // `.NAME.shequ-cache.` … `.writing`: hidden like the cache, and found again below.
    let (prefix, suffix) = (format!("{name}."), ".writing");
    let Ok(temporary) = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(suffix)
        .tempfile_in(folder)
    else {
        return;
    };
    let mut file = BufWriter::with_capacity(1 << 20, temporary.as_file());
    let written = write(&mut file).and_then(|()| file.flush());
    drop(file);
    // On failure the temporary is removed as it drops.
    if written.is_ok() && temporary.persist(path).is_ok() {
        // Temporaries of interrupted writes of this cache only take room.
        remove_leftovers(folder, &prefix, suffix);
    }
}

/// The header: magic, version, then (length-prefixed) the stamp, the projection centre and the
/// warnings, then the checksum of the magic, the version, the length and the header.
fn write_header(
    file: &mut dyn Write,
    stamp: &Stamp,
    centre: (f64, f64),
    warnings: &[LoadWarning],
) -> std::io::Result<()> {
    let mut header = Writer::default();
    header.u64(stamp.source_bytes);
    header.u64(stamp.modified_seconds);
    header.u32(stamp.modified_nanoseconds);
    header.text(&stamp.fingerprint);
    header.f64(centre.0);
    header.f64(centre.1);
    header.length(warnings.len());
    for warning in warnings {
        header.text(&warning.problem);
        header.text(&warning.advice);
        header.text(&warning.problem_zh);
        header.text(&warning.advice_zh);
        header.u64(warning.count as u64);
        header.length(warning.first_features.len());
        for feature in &warning.first_features {
            header.text(feature);
        }
    }
    let mut opening = MAGIC.to_vec();
    opening.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    opening.extend_from_slice(&(header.bytes.len() as u64).to_le_bytes());
    file.write_all(&opening)?;
    file.write_all(&header.bytes)?;
    file.write_all(&header_checksum(&opening, &header.bytes).to_le_bytes())
}

/// The checksum of a header: its opening (magic, version, length) and its bytes, so that a
/// damaged length is caught as surely as a damaged projection centre.
fn header_checksum(opening: &[u8], header: &[u8]) -> u64 {
    checksum(opening) ^ checksum(header).rotate_left(17)
}

/// Reads `count` bytes, refusing lengths beyond what a cache could hold.
fn read_exactly(file: &mut dyn Read, count: u64) -> Option<Vec<u8>> {
    const MOST_BYTES: u64 = 1 << 34;
    if count > MOST_BYTES {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(count).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 == count).then_some(bytes)
}

fn read_u64(file: &mut dyn Read) -> Option<u64> {
    let bytes = read_exactly(file, 8)?;
    Reader::new(&bytes).u64()
}

/// Checks the header against `stamp`; returns the projection centre and the warnings, which are
/// about `layer` as it is named now (a cache written when the plan was opened by another path
/// would otherwise name the file as it was then).
fn read_header(
    file: &mut dyn Read,
    stamp: &Stamp,
    layer: &Path,
) -> Option<((f64, f64), Vec<LoadWarning>)> {
    let opening = read_exactly(file, MAGIC.len() as u64 + 4 + 8)?;
    let mut reader = Reader::new(&opening);
    if reader.take(MAGIC.len())? != MAGIC || reader.u32()? != FORMAT_VERSION {
        return None;
    }
    let length = reader.u64()?;
    let header = read_exactly(file, length)?;
    if read_u64(file)? != header_checksum(&opening, &header) {
        return None;
    }
    let mut reader = Reader::new(&header);
    let found = Stamp {
        source_bytes: reader.u64()?,
        modified_seconds: reader.u64()?,
        modified_nanoseconds: reader.u32()?,
        fingerprint: reader.text()?.to_owned(),
    };
    if found != *stamp {
        return None;
    }
    let centre = (reader.f64()?, reader.f64()?);
    let on_earth = (-180.0..=180.0).contains(&centre.0) && (-90.0..=90.0).contains(&centre.1);
    if !on_earth {
        return None;
    }
    let count = reader.length()?;
    let mut warnings = Vec::with_capacity(count.min(1024));
    for _ in 0..count {
        let problem = reader.text()?.to_owned();
        let advice = reader.text()?.to_owned();
        let problem_zh = reader.text()?.to_owned();
        let advice_zh = reader.text()?.to_owned();
        let features = usize::try_from(reader.u64()?).ok()?;
        let listed = reader.length()?;
        let first_features = (0..listed)
            .map(|_| reader.text().map(str::to_owned))
            .collect::<Option<Vec<_>>>()?;
        warnings.push(LoadWarning {
            path: layer.to_path_buf(),
            problem,
            advice,
            problem_zh,
            advice_zh,
            count: features,
            first_features,
        });
    }
    reader.is_at_end().then_some((centre, warnings))
}

/// Chunks encoded or decoded at once: enough to keep both cores busy, few enough that the
/// buffers stay small beside the layer itself.
const CHUNKS_AT_ONCE: usize = 4;

/// Writes the feature count and its checksum, then the chunks, each as (features, bytes,
/// checksum, bytes), encoding a few chunks at a time in parallel.
fn write_chunks<T: Sync>(
    file: &mut dyn Write,
    features: &[T],
    write: fn(&mut Writer, &T),
) -> std::io::Result<()> {
    let total = (features.len() as u64).to_le_bytes();
    file.write_all(&total)?;
    file.write_all(&checksum(&total).to_le_bytes())?;
    for batch in features.chunks(CHUNK_FEATURES * CHUNKS_AT_ONCE) {
        let encoded: Vec<(usize, Vec<u8>)> = batch
            .par_chunks(CHUNK_FEATURES)
            .map(|chunk| {
                let mut writer = Writer::default();
                for feature in chunk {
                    write(&mut writer, feature);
                }
                (chunk.len(), writer.bytes)
            })
            .collect();
        for (count, bytes) in encoded {
            file.write_all(&(count as u64).to_le_bytes())?;
            file.write_all(&(bytes.len() as u64).to_le_bytes())?;
            file.write_all(&checksum(&bytes).to_le_bytes())?;
            file.write_all(&bytes)?;
        }
    }
    Ok(())
}

/// Reads what [`write_chunks`] wrote: a few chunks at a time, each checked against its checksum
/// and decoded in parallel, appended in order (and counted in `progress`).
fn read_chunks<T: Send>(
    file: &mut dyn Read,
    file_bytes: u64,
    read: fn(&mut Reader<'_>, &mut Interner) -> Option<T>,
    progress: Option<&LoadProgress>,
) -> Option<Vec<T>> {
    let total_bytes = read_exactly(file, 8)?;
    if read_u64(file)? != checksum(&total_bytes) {
        return None;
    }
    let total = Reader::new(&total_bytes).u64()?;
    // Every feature takes at least this many bytes (its id's length and its count of rings or
    // lines), so a count beyond the file's size is damage, and room is never reserved for more
    // features than the file can hold.
    const FEWEST_BYTES_PER_FEATURE: u64 = 8;
    if total > file_bytes / FEWEST_BYTES_PER_FEATURE {
        return None;
    }
    let total = usize::try_from(total).ok()?;
    if let Some(progress) = progress {
        progress.expect_features(total as u64);
    }
    let mut features = Vec::with_capacity(total);
    while features.len() < total {
        let mut batch = Vec::with_capacity(CHUNKS_AT_ONCE);
        let mut batch_features = 0;
        while batch.len() < CHUNKS_AT_ONCE && features.len() + batch_features < total {
            let count = usize::try_from(read_u64(file)?).ok()?;
            let length = read_u64(file)?;
            let sum = read_u64(file)?;
            if count == 0 || count > CHUNK_FEATURES || length > file_bytes {
                return None;
            }
            batch.push((count, read_exactly(file, length)?, sum));
            batch_features += count;
        }
        let decoded = batch
            .par_iter()
            .map(|(count, bytes, sum)| {
                if checksum(bytes) != *sum {
                    return None;
                }
                let mut reader = Reader::new(bytes);
                let mut uses = Interner::default();
                let chunk = (0..*count)
                    .map(|_| read(&mut reader, &mut uses))
                    .collect::<Option<Vec<T>>>()?;
                reader.is_at_end().then_some(chunk)
            })
            .collect::<Option<Vec<Vec<T>>>>()?;
        for chunk in decoded {
            features.extend(chunk);
        }
        if let Some(progress) = progress {
            progress.add_features(batch_features as u64);
        }
    }
    // Nothing may follow the last chunk.
    let mut rest = [0u8; 1];
    (features.len() == total && file.read(&mut rest).ok()? == 0).then_some(features)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use geo::{Coord, LineString, MultiPolygon, Polygon};

    use super::*;
    use crate::layers::{BuildingLabels, FigureSource};

    fn building(index: usize) -> Building {
        let x = index as f64 * 20.0;
        let ring = LineString::from(vec![(x, 0.0), (x + 10.0, 0.0), (x + 10.0, 8.0), (x, 0.0)]);
        Building {
            source_id: format!("B{index}").into_boxed_str(),
            footprint: MultiPolygon::new(vec![Polygon::new(ring, vec![])]),
            representative_point: Coord { x: x + 6.0, y: 2.0 },
            footprint_area_m2: 40.0,
            floors: 6.0,
            residential: !index.is_multiple_of(3),
            households: index as u32,
            households_source: if index.is_multiple_of(2) {
                FigureSource::Data
            } else {
                FigureSource::Estimate
            },
            residents: 2 * index as u32,
            residents_source: FigureSource::Estimate,
            building_use: Some(Arc::from("住宅")),
            labels: BuildingLabels {
                estate: index.is_multiple_of(5).then(|| "滨江小区".to_owned()),
                ..BuildingLabels::default()
            }
            .boxed(),
        }
    }

    fn layer_with_cache(count: usize) -> (tempfile::TempDir, PathBuf, CachedBuildings) {
        let folder = tempfile::tempdir().expect("temp dir");
        let layer = folder.path().join("buildings.geojson");
        fs::write(&layer, b"{\"type\":\"FeatureCollection\",\"features\":[]}").expect("layer");
        let cached = CachedBuildings {
            buildings: (0..count).map(building).collect(),
            warnings: vec![LoadWarning {
                path: layer.clone(),
                problem: "have no floors".to_owned(),
                advice: "map floors".to_owned(),
                problem_zh: "没有层数".to_owned(),
                advice_zh: "请对应层数字段".to_owned(),
                count: 2,
                first_features: vec!["#1 (B1)".to_owned()],
            }],
            projection: LocalProjection::centred_on(115.9, 28.68),
        };
        write_buildings(&layer, "mapping A", &cached);
        (folder, layer, cached)
    }

    #[test]
    fn cached_warnings_name_the_layer_as_it_is_opened_now() {
        let (folder, _layer, _cached) = layer_with_cache(3);
        let spelled_otherwise = folder.path().join(".").join("buildings.geojson");
        let read = read_buildings(&spelled_otherwise, "mapping A", &LoadProgress::default())
            .expect("the cache is used");
        assert_eq!(read.warnings[0].path, spelled_otherwise);
        assert_eq!(read.warnings[0].problem_zh, "没有层数");
    }

    #[test]
    fn a_cache_gives_back_exactly_the_buildings_written_across_chunks() {
        let (_folder, layer, cached) = layer_with_cache(2 * CHUNK_FEATURES + 7);
        let read = read_buildings(&layer, "mapping A", &LoadProgress::default())
            .expect("the cache is used");
        assert_eq!(read, cached);
    }

    #[test]
    fn a_cache_is_not_used_for_another_mapping_or_a_changed_layer() {
        let (_folder, layer, _) = layer_with_cache(10);
        assert!(read_buildings(&layer, "mapping B", &LoadProgress::default()).is_none());
        fs::write(&layer, b"{\"type\":\"FeatureCollection\",\"features\":[ ]}").expect("edit");
        assert!(read_buildings(&layer, "mapping A", &LoadProgress::default()).is_none());
    }

    #[test]
    fn a_damaged_or_truncated_cache_is_not_used() {
        let (_folder, layer, _) = layer_with_cache(100);
        let path = cache_path(&layer);
        let bytes = fs::read(&path).expect("cache");
        let mut damaged = bytes.clone();
        let middle = damaged.len() - 300;
        damaged[middle] ^= 0x40;
        fs::write(&path, &damaged).expect("damage");
        assert!(read_buildings(&layer, "mapping A", &LoadProgress::default()).is_none());
        for length in [0, 7, 100, bytes.len() / 2, bytes.len() - 1] {
            fs::write(&path, &bytes[..length]).expect("truncate");
            assert!(
                read_buildings(&layer, "mapping A", &LoadProgress::default()).is_none(),
                "{length}"
            );
        }
    }

    #[test]
    fn a_single_flipped_bit_anywhere_in_a_cache_header_count_or_chunk_makes_it_unused() {
        let (_folder, layer, _) = layer_with_cache(3);
        let path = cache_path(&layer);
        let bytes = fs::read(&path).expect("cache");
        for position in 0..bytes.len() {
            for bit in 0..8 {
                let mut damaged = bytes.clone();
                damaged[position] ^= 1 << bit;
                fs::write(&path, &damaged).expect("damage");
                assert!(
                    read_buildings(&layer, "mapping A", &LoadProgress::default()).is_none(),
                    "byte {position} bit {bit} of {} went unnoticed",
                    bytes.len()
                );
            }
        }
    }

    #[test]
    fn a_feature_count_beyond_the_file_size_is_refused_without_reserving_room_for_it() {
        let (_folder, layer, _) = layer_with_cache(3);
        let path = cache_path(&layer);
        let mut bytes = fs::read(&path).expect("cache");
        // The count follows the header and its checksum; give it a matching checksum, as a
        // damage that fooled the checksum would, and a count of a billion features.
        let header_length = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
        let count_at = 20 + header_length as usize + 8;
        let huge = 1_000_000_000u64.to_le_bytes();
        bytes[count_at..count_at + 8].copy_from_slice(&huge);
        bytes[count_at + 8..count_at + 16].copy_from_slice(&checksum(&huge).to_le_bytes());
        fs::write(&path, &bytes).expect("tamper");
        assert!(read_buildings(&layer, "mapping A", &LoadProgress::default()).is_none());
    }
}
