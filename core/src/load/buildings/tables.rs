//! Buildings from a table of records (a Shapefile, a GeoPackage table), read flat on all cores
//! and converted as they come, as GeoJSON is.

use std::path::Path;

use super::{BuildingsInProgress, CONVERTED_TOGETHER, LoadedBuildings, STREAM_CHUNK};
use crate::attributes::FieldMapping;
use crate::error::Result;
use crate::io::geopackage::{geopackage_of, read_geopackage_flat};
use crate::io::shapefile::{RunSizes, is_shapefile, read_shapefile_flat};
use crate::io::warnings::WarningCollector;
use crate::lang::Words;
use crate::load::source::LayerReading;
use crate::profile::RuleProfile;
use crate::progress::LoadProgress;

/// Reads a buildings layer that is a table of records (a Shapefile or a GeoPackage table) flat
/// on all cores, converting runs as they come, as GeoJSON is read; `None` for other files.
pub(super) fn load_table_buildings(
    path: &Path,
    reading: &LayerReading<'_>,
    mapping: &FieldMapping,
    profile: &RuleProfile,
    progress: &LoadProgress,
) -> Result<Option<LoadedBuildings>> {
    let shapefile = is_shapefile(path);
    if !shapefile && geopackage_of(path).is_none() {
        return Ok(None);
    }
    let mut conversion = BuildingsInProgress::new(path, reading.crs, mapping, profile, 0);
    let slots = conversion.slots.clone();
    let sizes = RunSizes {
        per_call: STREAM_CHUNK,
        per_run: CONVERTED_TOGETHER,
    };
    let mut expect = |records: usize| progress.expect_features(records as u64);
    let mut take = |runs| {
        // Room for the whole layer at once (the count the reader announced) spares copies of
        // it as it grows.
        if conversion.buildings.capacity() == 0 {
            let (_, expected) = progress.features();
            conversion.buildings.reserve(expected as usize);
        }
        conversion.take_counted(progress, runs)
    };
    let deleted_records = if shapefile {
        read_shapefile_flat(
            path,
            reading.encoding,
            &slots,
            sizes,
            &mut expect,
            &mut take,
        )?
    } else {
        read_geopackage_flat(path, &slots, sizes, &mut expect, &mut take)?;
        0
    };
    let (buildings, mut warnings, projection) = conversion.finish()?;
    if deleted_records > 0 {
        let mut collector = WarningCollector::new(path);
        collector.add_file_problem(
            Words::new(
                "在 .dbf 中标记为已删除，已排除（与其他 GIS 工具一致）",
                "are marked deleted in the .dbf and were left out, as GIS tools leave them out",
            ),
            Words::new(
                "无需处理；若它们应当计入，请在来源 GIS 中恢复。",
                "Nothing to do, unless they should count: then restore them in the GIS they come from.",
            ),
            deleted_records,
        );
        warnings.extend(collector.finish());
    }
    Ok(Some((buildings, warnings, projection)))
}
