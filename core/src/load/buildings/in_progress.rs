//! A buildings layer in the making: runs of parsed features taken in file order, converted on
//! all cores once the first runs fix the projection, and added in order.

use std::path::Path;

use rayon::prelude::*;

use super::{
    BUILDING_FIELDS, CONVERTED_TOGETHER, ConvertedRun, LoadedBuildings, STREAM_CHUNK, add_runs,
    building_slots, convert_run, finish_buildings, missing_field_error,
};
use crate::attributes::{Field, FieldMapping};
use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::io::flat_features::{ParsedFeatures, PropertySlots};
use crate::io::geometry_in::LayerCentre;
use crate::io::warnings::WarningCollector;
use crate::layers::Building;
use crate::profile::RuleProfile;
use crate::progress::LoadProgress;
use crate::projection::LocalProjection;

/// Buildings converted so far while a layer streams in.
pub(super) struct BuildingsInProgress<'a> {
    path: &'a Path,
    /// The layer's coordinate system, when it is not WGS 84 longitude/latitude.
    crs: Option<&'a Crs>,
    mapping: &'a FieldMapping,
    profile: &'a RuleProfile,
    pub(super) slots: PropertySlots,
    mapped: Vec<(Field, &'a str)>,
    seen: Vec<bool>,
    first_keys: Option<Vec<String>>,
    projection: Option<LocalProjection>,
    /// Runs parsed before the projection was known, in order from the first feature.
    pending: Vec<(usize, ParsedFeatures)>,
    /// Runs converted but not yet added to the layer.
    unmerged: Vec<ConvertedRun>,
    pub(super) buildings: Vec<Building>,
    warnings: WarningCollector,
    features: usize,
}

impl<'a> BuildingsInProgress<'a> {
    pub(super) fn new(
        path: &'a Path,
        crs: Option<&'a Crs>,
        mapping: &'a FieldMapping,
        profile: &'a RuleProfile,
        expected_features: u64,
    ) -> Self {
        let mapped: Vec<(Field, &str)> = BUILDING_FIELDS
            .iter()
            .filter_map(|field| mapping.override_for(*field).map(|source| (*field, source)))
            .collect();
        // The estimate is close; a little room spares a copy of the whole layer when it is low.
        let capacity = usize::try_from(expected_features + expected_features / 32).unwrap_or(0);
        Self {
            path,
            crs,
            mapping,
            profile,
            slots: building_slots(mapping),
            seen: vec![false; mapped.len()],
            mapped,
            first_keys: None,
            projection: None,
            pending: Vec::new(),
            unmerged: Vec::new(),
            buildings: Vec::with_capacity(capacity),
            warnings: WarningCollector::new(path),
            features: 0,
        }
    }

    /// Takes runs of parsed features in file order, converting them once the projection is
    /// known (the first [`STREAM_CHUNK`] features with coordinates fix it).
    fn take(&mut self, mut runs: Vec<(usize, ParsedFeatures)>) -> Result<()> {
        if let Some(crs) = self.crs {
            runs.par_iter_mut().for_each(|(_, run)| run.to_wgs84(crs));
        }
        for (first_index, run) in &runs {
            self.features += run.len();
            if *first_index == 0 && self.first_keys.is_none() {
                self.first_keys = run.first_keys();
            }
            for (position, (_, source)) in self.mapped.iter().enumerate() {
                if self.seen[position] {
                    continue;
                }
                self.seen[position] =
                    (0..run.len()).any(|offset| run.view(offset, &self.slots).contains_key(source));
            }
        }
        if self.projection.is_some() {
            return self.convert(runs);
        }
        self.pending.extend(runs);
        self.projection = self.projection_of_pending(false);
        if self.projection.is_none() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        self.convert(pending)
    }

    /// The projection centred (robustly, see [`LayerCentre`]) on the first full window of
    /// [`STREAM_CHUNK`] features that has coordinates (or, at the end of the file, the last window however short).
    fn projection_of_pending(&self, file_ended: bool) -> Option<LocalProjection> {
        let available: usize = self.pending.iter().map(|(_, run)| run.len()).sum();
        let mut window_start = 0;
        while window_start < available {
            let window_end = window_start + STREAM_CHUNK;
            if window_end > available && !file_ended {
                return None;
            }
            let mut centre = LayerCentre::default();
            for (first_index, run) in &self.pending {
                for offset in 0..run.len() {
                    if !(window_start..window_end).contains(&(first_index + offset)) {
                        continue;
                    }
                    centre.begin_feature();
                    run.view(offset, &self.slots)
                        .for_each_position(&mut |position| centre.add(position));
                }
            }
            if let Some((longitude, latitude)) = centre.centre() {
                return Some(LocalProjection::centred_on(longitude, latitude));
            }
            window_start = window_end;
        }
        None
    }

    /// Converts runs on all cores, a few thousand features to a task, and adds them in order.
    fn convert(&mut self, runs: Vec<(usize, ParsedFeatures)>) -> Result<()> {
        let Some(projection) = self.projection else {
            return Ok(());
        };
        let slots = &self.slots;
        let tasks: Vec<(usize, &ParsedFeatures, std::ops::Range<usize>)> = runs
            .iter()
            .flat_map(|(first_index, run)| {
                (0..run.len())
                    .step_by(CONVERTED_TOGETHER)
                    .map(move |start| {
                        let end = (start + CONVERTED_TOGETHER).min(run.len());
                        (*first_index, run, start..end)
                    })
            })
            .collect();
        let (mapping, profile, path) = (self.mapping, self.profile, self.path);
        let previous = std::mem::take(&mut self.unmerged);
        let (buildings, warnings) = (&mut self.buildings, &mut self.warnings);
        // The runs converted before are added to the layer (in order, on one core) while these
        // are converted: adding alone would leave the other core idle a few milliseconds a block.
        let (added, converted) = rayon::join(
            || add_runs(previous, path, buildings, warnings),
            || {
                tasks
                    .par_iter()
                    .map(|(first_index, run, range)| {
                        convert_run(
                            range.len(),
                            |offset| run.view(range.start + offset, slots),
                            first_index + range.start,
                            &projection,
                            mapping,
                            profile,
                        )
                    })
                    .collect::<Vec<ConvertedRun>>()
            },
        );
        self.unmerged = converted;
        added
    }

    /// Counts parsed runs in `progress` and takes them.
    pub(super) fn take_counted(
        &mut self,
        progress: &LoadProgress,
        runs: Vec<(usize, ParsedFeatures)>,
    ) -> Result<()> {
        let count: usize = runs.iter().map(|(_, run)| run.len()).sum();
        progress.add_features(count as u64);
        self.take(runs)
    }

    pub(super) fn finish(mut self) -> Result<LoadedBuildings> {
        if self.projection.is_none() {
            self.projection = self.projection_of_pending(true);
            let pending = std::mem::take(&mut self.pending);
            self.convert(pending)?;
        }
        add_runs(
            std::mem::take(&mut self.unmerged),
            self.path,
            &mut self.buildings,
            &mut self.warnings,
        )?;
        let Some(projection) = self.projection else {
            return Err(Error::Layer {
                path: self.path.to_path_buf(),
                problem: "no feature has coordinates. The buildings layer needs Polygon or MultiPolygon features in WGS 84 longitude/latitude (EPSG:4326).".to_owned(),
            });
        };
        if let Some(position) = self.seen.iter().position(|found| !found) {
            let (field, source) = self.mapped[position];
            return Err(missing_field_error(
                self.path,
                field,
                source,
                self.first_keys.as_deref().unwrap_or_default(),
            ));
        }
        finish_buildings(
            self.path,
            self.mapping,
            self.features,
            &self.buildings,
            &mut self.warnings,
        )?;
        if self.buildings.capacity() > self.buildings.len() + self.buildings.len() / 16 {
            self.buildings.shrink_to_fit();
        }
        Ok((self.buildings, self.warnings.finish(), projection))
    }
}
