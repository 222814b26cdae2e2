//! A Shapefile of polygons read straight into flat runs ([`ParsedFeatures`]) on all cores, only
//! the fields a conversion reads decoded: the path a million buildings take. Rings are grouped
//! as the `shapefile` crate groups them into geo polygons (each hole with the outer ring before
//! it), so a building reads the same either way; a record that is not a polygon is handed on as
//! a [`RawFeature`] for the conversion to judge, as before.

use std::path::Path;

use encoding_rs::Encoding;
use rayon::prelude::*;
use serde_json::{Map, Value};
use shapefile::record::traits::HasXY;
use shapefile::{PolygonRing, Shape};

use super::records::{DbfField, DbfValue, OpenShapefile, RecordBlock};
use super::{geometry_of, json_value, read_error};
use crate::error::Result;
use crate::io::flat_features::{
    FeatureWriter, ParsedFeatures, PlainValue, PropertySlots, number_runs,
};
use crate::io::geojson::{Position, RawFeature};

/// How a layer's records are handed on: `per_call` records to each call of `take`, as runs of
/// `per_run` records each read and parsed on one core.
#[derive(Debug, Clone, Copy)]
pub struct RunSizes {
    /// Records given to each call.
    pub per_call: usize,
    /// Records parsed as one task.
    pub per_run: usize,
}

/// Reads the Shapefile at `shp` (text in `encoding`, or as found) in runs of flat features
/// keeping the properties of `slots`, handing them to `take` in file order with the index of
/// each run's first feature. `expect` learns the record count first. Returns how many records
/// the `.dbf` marks deleted: they are left out, as GIS tools leave them out.
pub fn read_shapefile_flat(
    shp: &Path,
    encoding: Option<&'static Encoding>,
    slots: &PropertySlots,
    sizes: RunSizes,
    expect: &mut dyn FnMut(usize),
    take: &mut dyn FnMut(Vec<(usize, ParsedFeatures)>) -> Result<()>,
) -> Result<usize> {
    let file = OpenShapefile::open(shp, encoding)?;
    expect(file.len());
    let fields: Vec<(u8, Option<&DbfField>)> = slots
        .keys()
        .map(|(slot, key)| (slot, file.field(key)))
        .collect();
    let per_run = sizes.per_run.max(1);
    let mut deleted_records = 0;
    let mut first = 0;
    let mut taken = 0;
    while first < file.len() {
        let end = (first + sizes.per_call.max(per_run)).min(file.len());
        let parsed: Vec<(ParsedFeatures, usize)> = (first..end)
            .step_by(per_run)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|start| parse_block(&file.block(start..(start + per_run).min(end))?, &fields))
            .collect::<Result<_>>()?;
        // Deleted records are left out: runs are numbered by the features they hold.
        deleted_records += parsed.iter().map(|(_, deleted)| deleted).sum::<usize>();
        let runs = parsed.into_iter().map(|(features, _)| features).collect();
        let handed = number_runs(runs, &mut taken, || {
            file.fields.iter().map(|field| field.name.clone()).collect()
        });
        take(handed)?;
        first = end;
    }
    Ok(deleted_records)
}

/// The block's records as a flat run, and how many were deleted.
fn parse_block(
    block: &RecordBlock<'_>,
    fields: &[(u8, Option<&DbfField>)],
) -> Result<(ParsedFeatures, usize)> {
    // An ordinary footprint has a handful of positions.
    let mut features = ParsedFeatures::with_capacity(block.len(), block.len() * 8);
    let mut deleted = 0;
    let mut values: Vec<(u8, DbfValue<'_>)> = Vec::with_capacity(fields.len());
    for offset in 0..block.len() {
        if block.is_deleted(offset) {
            deleted += 1;
            continue;
        }
        values.clear();
        for (slot, field) in fields {
            if let Some(field) = field {
                values.push((*slot, block.value(offset, field)?));
            }
        }
        let write_values = |writer: &mut FeatureWriter<'_>| {
            for (slot, value) in &values {
                writer.value(*slot, plain(value));
            }
        };
        let problem = |problem: &str| {
            read_error(
                block.shp(),
                format!("record {}: {problem}", block.first() + offset),
            )
        };
        match block.shape(offset)? {
            Shape::NullShape => features.push_feature(false, write_values),
            Shape::Polygon(polygon) => {
                push_polygons(&mut features, polygon.rings(), write_values).map_err(problem)?;
            }
            Shape::PolygonM(polygon) => {
                push_polygons(&mut features, polygon.rings(), write_values).map_err(problem)?;
            }
            Shape::PolygonZ(polygon) => {
                push_polygons(&mut features, polygon.rings(), write_values).map_err(problem)?;
            }
            other => {
                let geometry = geometry_of(other).map_err(|text| problem(&text))?;
                let properties: Map<String, Value> = fields
                    .iter()
                    .filter_map(|(_, field)| *field)
                    .zip(&values)
                    .map(|(field, (_, value))| (field.name.clone(), json_value(value.clone())))
                    .collect();
                features.push_raw(RawFeature {
                    id: None,
                    geometry,
                    properties,
                });
            }
        }
    }
    Ok((features, deleted))
}

/// A `.dbf` value as the flat run keeps it.
fn plain<'a>(value: &'a DbfValue<'_>) -> PlainValue<'a> {
    match value {
        DbfValue::Null => PlainValue::Null,
        DbfValue::Text(text) => PlainValue::Text(text),
        DbfValue::Number(number) => PlainValue::Number(*number),
        DbfValue::Flag(flag) => PlainValue::Flag(*flag),
    }
}

/// Adds a polygon record: each outer ring begins a polygon, each hole joins the polygon before
/// it (the `shapefile` crate's own grouping).
fn push_polygons<P: HasXY>(
    features: &mut ParsedFeatures,
    rings: &[PolygonRing<P>],
    write_values: impl FnOnce(&mut FeatureWriter<'_>),
) -> std::result::Result<(), &'static str> {
    if matches!(rings.first(), Some(PolygonRing::Inner(_))) {
        return Err("a hole comes before any outer ring (its rings wind the wrong way)");
    }
    features.push_feature(true, |writer| {
        for (number, ring) in rings.iter().enumerate() {
            if number > 0 && matches!(ring, PolygonRing::Outer(_)) {
                writer.end_polygon();
            }
            writer.ring(ring.points().iter().map(|point| Position {
                longitude: point.x(),
                latitude: point.y(),
            }));
        }
        if !rings.is_empty() {
            writer.end_polygon();
        }
        write_values(writer);
    });
    Ok(())
}
