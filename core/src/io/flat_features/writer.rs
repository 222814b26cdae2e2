//! Flat runs written by readers of files that are not JSON (a Shapefile's records, a
//! GeoPackage's rows): the same arrays the GeoJSON reader fills, so the conversion reads every
//! format alike.

use serde_json::Value;

use super::{Kept, ParsedFeature, ParsedFeatures};
use crate::io::geojson::{Position, RawFeature};

/// A property value from a file that is not JSON (a Shapefile's `.dbf`, a GeoPackage's
/// columns), kept as the flat reader keeps the same value read from GeoJSON.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum PlainValue<'a> {
    /// No value.
    Null,
    /// A logical value.
    Flag(bool),
    /// A number.
    Number(f64),
    /// A whole number.
    Integer(i64),
    /// A text.
    Text(&'a str),
}

/// Adds one feature's polygons and properties to a run (see [`ParsedFeatures::push_feature`]).
pub(crate) struct FeatureWriter<'a> {
    features: &'a mut ParsedFeatures,
}

impl FeatureWriter<'_> {
    /// Adds a ring (closed or not, as the file gives it) to the polygon being written.
    pub(crate) fn ring(&mut self, positions: impl IntoIterator<Item = Position>) {
        let features = &mut *self.features;
        features.positions.extend(positions);
        features.ring_ends.push(features.positions.len() as u32);
    }

    /// Ends the polygon whose rings (outer ring first) were just written.
    pub(crate) fn end_polygon(&mut self) {
        let features = &mut *self.features;
        features.polygon_ends.push(features.ring_ends.len() as u32);
    }

    /// Keeps `value` under `slot`.
    pub(crate) fn value(&mut self, slot: u8, value: PlainValue<'_>) {
        let features = &mut *self.features;
        // A whole count is what the GeoJSON reader keeps for `12`; anything else as serde keeps
        // it (a whole negative number as an integer, as `-3` reads).
        let number = |features: &mut ParsedFeatures, value: Value| match value.as_u64() {
            Some(count) => Kept::Count(count),
            None => {
                features.json.push(value);
                Kept::Json(features.json.len() as u32 - 1)
            }
        };
        let kept = match value {
            PlainValue::Null => Kept::Null,
            PlainValue::Flag(flag) => Kept::Flag(flag),
            PlainValue::Integer(whole) => number(features, Value::from(whole)),
            PlainValue::Number(float) => number(features, json_number(float)),
            PlainValue::Text(text) => {
                let start = features.texts.len() as u32;
                features.texts.push_str(text);
                Kept::Text(start, features.texts.len() as u32)
            }
        };
        features.values.push((slot, kept));
    }
}

impl ParsedFeatures {
    /// An empty run with room for `features` features of `positions` positions in all.
    pub(crate) fn with_capacity(features: usize, positions: usize) -> Self {
        Self {
            features: Vec::with_capacity(features),
            positions: Vec::with_capacity(positions),
            ring_ends: Vec::with_capacity(features),
            polygon_ends: Vec::with_capacity(features),
            values: Vec::with_capacity(features * 2),
            ..Self::default()
        }
    }

    /// Adds a feature written by `write` (its polygons, then its values); with `has_geometry`
    /// false it has none, as a GeoJSON feature whose geometry is `null`. A run holds at most
    /// some millions of positions, far from the `u32` its ranges count in.
    pub(crate) fn push_feature(
        &mut self,
        has_geometry: bool,
        write: impl FnOnce(&mut FeatureWriter<'_>),
    ) {
        let first_polygon = self.polygon_ends.len() as u32;
        let first_value = self.values.len() as u32;
        write(&mut FeatureWriter { features: self });
        let polygons = first_polygon..self.polygon_ends.len() as u32;
        self.features.push(ParsedFeature::Flat {
            id: Kept::Null,
            polygons: has_geometry.then_some(polygons),
            values: first_value..self.values.len() as u32,
        });
    }

    /// Adds a feature read some other way, for the conversion to judge as it is.
    pub(crate) fn push_raw(&mut self, feature: RawFeature) {
        self.features.push(ParsedFeature::Raw(Box::new(feature)));
    }

    /// Records the property keys of the run's first feature, for errors naming a missing field.
    fn set_first_keys(&mut self, keys: Vec<String>) {
        self.first_keys = Some(keys);
    }
}

/// A number from a typed table as GeoJSON would hold it: a whole number as an integer, anything
/// else as a float (not-a-number as null).
pub(crate) fn json_number(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        Value::from(number as i64)
    } else {
        serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number)
    }
}

/// Numbers runs parsed in layer order: each with the index of its first feature, counting on
/// from `*taken`. The layer's first feature's run also carries `field_names` (what an error
/// naming a missing field lists), however many runs before it were empty.
pub(crate) fn number_runs(
    runs: Vec<ParsedFeatures>,
    taken: &mut usize,
    field_names: impl Fn() -> Vec<String>,
) -> Vec<(usize, ParsedFeatures)> {
    runs.into_iter()
        .map(|mut run| {
            if *taken == 0 && !run.is_empty() {
                run.set_first_keys(field_names());
            }
            let first = *taken;
            *taken += run.len();
            (first, run)
        })
        .collect()
}
