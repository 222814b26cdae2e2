//! Plain polygon and line features parsed straight into flat arrays: positions, ring and polygon
//! ends, and only the properties a conversion reads (each under a slot number, texts in one
//! buffer per run), with no map, vector, string or JSON value per feature. A million buildings
//! are parsed several times faster this way than through typed serde structs with a property map
//! each, in a fraction of the memory.
//!
//! The reader is strict and modest: it takes the ordinary shape of a feature of its
//! [`GeometryFamily`] and answers [`Stop::Unusual`] for anything else — another geometry type, an
//! escaped key, coordinates before the type, a duplicate member, a number with an exponent in the
//! coordinates. Such a feature is then parsed by serde on its own (see [`parse_run`]), so the
//! outcome is always the one serde would give; the reader never accepts text serde would refuse.
//! Coordinates are correctly rounded, as serde reads them with `float_roundtrip`.

use std::ops::Range;

use serde_json::Value;

use crate::attributes::{Field, FieldMapping, FieldValue, FieldValues};
use crate::io::geojson::{Position, RawFeature};

mod cursor;
mod writer;

use cursor::Cursor;
pub(crate) use writer::{FeatureWriter, PlainValue, json_number, number_runs};

/// Nesting deeper than this inside a skipped value is left to serde (whose own limit is 128).
const MAX_SKIPPED_DEPTH: u32 = 64;

/// Which geometries a layer's features are read flat with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryFamily {
    /// Polygon and MultiPolygon (buildings).
    Polygons,
    /// LineString and MultiLineString (streets), each line kept as one ring of one polygon.
    Lines,
}

/// Why the reader stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The text ran out: the value continues in bytes not read yet.
    End,
    /// Not the shape this reader takes; serde must judge it.
    Unusual,
}

type Parse<T> = std::result::Result<T, Stop>;

/// The property keys a conversion reads, each under a slot number.
#[derive(Debug, Clone)]
pub struct PropertySlots {
    keys: Vec<Box<str>>,
    /// For each field read, the slots of its sources in the order they are looked for.
    fields: Vec<(Field, Vec<u8>)>,
}

impl PropertySlots {
    /// The slots for `fields` as `mapping` reads them: an override's source, else the defaults.
    pub fn new(mapping: &FieldMapping, fields: impl IntoIterator<Item = Field>) -> Self {
        let mut slots = Self {
            keys: Vec::new(),
            fields: Vec::new(),
        };
        for field in fields {
            let sources: Vec<&str> = match mapping.override_for(field) {
                Some(source) => vec![source],
                None => field.default_sources().to_vec(),
            };
            let numbers = sources
                .into_iter()
                .map(|source| slots.slot_for(source))
                .collect();
            slots.fields.push((field, numbers));
        }
        slots
    }

    fn slot_for(&mut self, key: &str) -> u8 {
        if let Some(slot) = self.slot_of(key.as_bytes()) {
            return slot;
        }
        self.keys.push(key.into());
        // Nine fields of at most three sources each: far below 256.
        u8::try_from(self.keys.len() - 1).unwrap_or(u8::MAX)
    }

    /// Every key read, with its slot.
    pub(crate) fn keys(&self) -> impl Iterator<Item = (u8, &str)> {
        self.keys
            .iter()
            .enumerate()
            .map(|(slot, key)| (slot as u8, &**key))
    }

    /// The slot of a property key, if the conversion reads it.
    pub fn slot_of(&self, key: &[u8]) -> Option<u8> {
        self.keys
            .iter()
            .position(|known| known.as_bytes() == key)
            .and_then(|slot| u8::try_from(slot).ok())
    }

    fn sources_of(&self, field: Field) -> &[u8] {
        self.fields
            .iter()
            .find(|(known, _)| *known == field)
            .map_or(&[], |(_, slots)| slots.as_slice())
    }
}

/// A property value kept without building a JSON value: texts live in their run's text buffer,
/// and only an unusual value (an escaped string, a fraction, an array…) is a `Value`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kept {
    Null,
    Flag(bool),
    Count(u64),
    /// A byte range of the run's text buffer.
    Text(u32, u32),
    /// An index into the run's JSON values.
    Json(u32),
}

/// The properties of one flat feature that the conversion reads.
#[derive(Debug, Clone, Copy)]
pub struct SlotValues<'a> {
    slots: &'a PropertySlots,
    values: &'a [(u8, Kept)],
    features: &'a ParsedFeatures,
}

impl SlotValues<'_> {
    /// True when the feature has the property `key`, even as `null`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.slots
            .slot_of(key.as_bytes())
            .is_some_and(|slot| self.values.iter().any(|(found, _)| *found == slot))
    }
}

impl FieldValues for SlotValues<'_> {
    /// The value as [`FieldMapping::lookup`] finds it in a property map. The slots were made from
    /// the same mapping, so `_mapping` is not consulted again.
    fn field_value(&self, _mapping: &FieldMapping, field: Field) -> Option<FieldValue<'_>> {
        self.slots.sources_of(field).iter().find_map(|slot| {
            // A repeated key keeps its last value, as in a JSON map.
            let (_, kept) = self.values.iter().rev().find(|(found, _)| found == slot)?;
            self.features.field_value(*kept)
        })
    }
}

/// The polygons of one flat feature.
#[derive(Debug, Clone, Copy)]
pub struct FlatPolygons<'a> {
    features: &'a ParsedFeatures,
    first_polygon: u32,
    end_polygon: u32,
}

impl<'a> FlatPolygons<'a> {
    /// Every position of the feature, in file order.
    pub fn positions(&self) -> &'a [Position] {
        let features = self.features;
        let first_ring = features.first_ring_of(self.first_polygon);
        let end_ring = features.first_ring_of(self.end_polygon);
        let start = features.first_position_of(first_ring);
        let end = features.first_position_of(end_ring);
        &features.positions[start..end]
    }

    /// How many polygons.
    pub fn count(&self) -> usize {
        (self.end_polygon - self.first_polygon) as usize
    }

    /// Each polygon's rings (outer ring first), as position slices.
    pub fn polygons(&self) -> impl Iterator<Item = impl Iterator<Item = &'a [Position]>> + 'a {
        let features = self.features;
        (self.first_polygon..self.end_polygon).map(move |polygon| {
            let rings = features.first_ring_of(polygon)..features.first_ring_of(polygon + 1);
            rings.map(move |ring| {
                let start = features.first_position_of(ring);
                let end = features.first_position_of(ring + 1);
                &features.positions[start..end]
            })
        })
    }
}

/// One feature as the conversion sees it.
#[derive(Debug, Clone, Copy)]
pub enum FeatureView<'a> {
    /// Parsed flat.
    Flat {
        /// The feature-level id, if any.
        id: Option<FieldValue<'a>>,
        /// The properties read.
        properties: SlotValues<'a>,
        /// The polygons; `None` when the geometry is `null` or absent.
        polygons: Option<FlatPolygons<'a>>,
    },
    /// An unusual feature, parsed by serde.
    Raw(&'a RawFeature),
}

impl<'a> FeatureView<'a> {
    /// The feature-level id, if any.
    pub fn feature_id(&self) -> Option<FieldValue<'a>> {
        match *self {
            FeatureView::Flat { id, .. } => id,
            FeatureView::Raw(feature) => feature.id.as_ref().map(FieldValue::Json),
        }
    }

    /// True when the feature has the property `key`, even as `null`.
    pub fn contains_key(&self, key: &str) -> bool {
        match self {
            FeatureView::Flat { properties, .. } => properties.contains_key(key),
            FeatureView::Raw(feature) => feature.properties.contains_key(key),
        }
    }

    /// Calls `visit` with every position of the geometry, in file order.
    pub fn for_each_position(&self, visit: &mut impl FnMut(Position)) {
        match self {
            FeatureView::Flat { polygons, .. } => polygons
                .iter()
                .flat_map(FlatPolygons::positions)
                .for_each(|position| visit(*position)),
            FeatureView::Raw(feature) => {
                if let Some(geometry) = &feature.geometry {
                    geometry.for_each_position(visit);
                }
            }
        }
    }
}

impl FieldValues for FeatureView<'_> {
    fn field_value(&self, mapping: &FieldMapping, field: Field) -> Option<FieldValue<'_>> {
        match self {
            FeatureView::Flat { properties, .. } => properties.field_value(mapping, field),
            FeatureView::Raw(feature) => feature.properties.field_value(mapping, field),
        }
    }
}

#[derive(Debug)]
enum ParsedFeature {
    Flat {
        id: Kept,
        polygons: Option<Range<u32>>,
        values: Range<u32>,
    },
    Raw(Box<RawFeature>),
}

/// A run of features parsed flat (with the odd one parsed by serde).
#[derive(Debug, Default)]
pub struct ParsedFeatures {
    features: Vec<ParsedFeature>,
    positions: Vec<Position>,
    /// Where each ring's positions end.
    ring_ends: Vec<u32>,
    /// Where each polygon's rings end.
    polygon_ends: Vec<u32>,
    values: Vec<(u8, Kept)>,
    /// The texts of the kept values, one after another.
    texts: String,
    /// The kept values that are JSON values.
    json: Vec<Value>,
    /// Every property key of the run's first feature, when asked for.
    first_keys: Option<Vec<String>>,
}

/// Lengths of the arrays before a feature, to take back a feature that turned out unusual.
#[derive(Clone, Copy)]
struct Marks {
    positions: usize,
    ring_ends: usize,
    polygon_ends: usize,
    values: usize,
    texts: usize,
    json: usize,
}

impl ParsedFeatures {
    /// How many features.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// Features parsed by serde, taken as they are.
    pub fn from_raw(features: Vec<RawFeature>) -> Self {
        Self {
            features: features
                .into_iter()
                .map(|feature| ParsedFeature::Raw(Box::new(feature)))
                .collect(),
            ..Self::default()
        }
    }

    /// Takes every position from `crs` to WGS 84 longitude/latitude.
    pub fn to_wgs84(&mut self, crs: &crate::crs::Crs) {
        for position in &mut self.positions {
            position.to_wgs84(crs);
        }
        for feature in &mut self.features {
            if let ParsedFeature::Raw(feature) = feature
                && let Some(geometry) = &mut feature.geometry
            {
                geometry.change_positions(&mut |position| position.to_wgs84(crs));
            }
        }
    }

    /// The property keys of the first feature, when they were asked for.
    pub fn first_keys(&self) -> Option<Vec<String>> {
        match self.features.first()? {
            ParsedFeature::Raw(feature) => Some(feature.properties.keys().cloned().collect()),
            ParsedFeature::Flat { .. } => self.first_keys.clone(),
        }
    }

    /// The feature at `index`, read through `slots` (the slots it was parsed with).
    pub fn view<'a>(&'a self, index: usize, slots: &'a PropertySlots) -> FeatureView<'a> {
        match &self.features[index] {
            ParsedFeature::Raw(feature) => FeatureView::Raw(feature),
            ParsedFeature::Flat {
                id,
                polygons,
                values,
            } => FeatureView::Flat {
                id: self.field_value(*id),
                properties: SlotValues {
                    slots,
                    values: &self.values[values.start as usize..values.end as usize],
                    features: self,
                },
                polygons: polygons.as_ref().map(|polygons| FlatPolygons {
                    features: self,
                    first_polygon: polygons.start,
                    end_polygon: polygons.end,
                }),
            },
        }
    }

    fn first_ring_of(&self, polygon: u32) -> u32 {
        match polygon.checked_sub(1) {
            None => 0,
            Some(previous) => self.polygon_ends[previous as usize],
        }
    }

    fn first_position_of(&self, ring: u32) -> usize {
        match ring.checked_sub(1) {
            None => 0,
            Some(previous) => self.ring_ends[previous as usize] as usize,
        }
    }

    fn marks(&self) -> Marks {
        Marks {
            positions: self.positions.len(),
            ring_ends: self.ring_ends.len(),
            polygon_ends: self.polygon_ends.len(),
            values: self.values.len(),
            texts: self.texts.len(),
            json: self.json.len(),
        }
    }

    fn roll_back(&mut self, marks: Marks) {
        self.positions.truncate(marks.positions);
        self.ring_ends.truncate(marks.ring_ends);
        self.polygon_ends.truncate(marks.polygon_ends);
        self.values.truncate(marks.values);
        self.texts.truncate(marks.texts);
        self.json.truncate(marks.json);
    }

    /// Room for the features of `bytes` of text, judged from ordinary layers (a position takes
    /// some 24 bytes, a feature a few hundred), so that the arrays seldom grow and copy.
    fn with_room_for(bytes: usize) -> Self {
        Self {
            features: Vec::with_capacity(bytes / 256),
            positions: Vec::with_capacity(bytes / 24),
            ring_ends: Vec::with_capacity(bytes / 256),
            polygon_ends: Vec::with_capacity(bytes / 256),
            values: Vec::with_capacity(bytes / 64),
            texts: String::with_capacity(bytes / 16),
            ..Self::default()
        }
    }

    /// A kept value as the conversion reads it (`None` for null).
    fn field_value(&self, kept: Kept) -> Option<FieldValue<'_>> {
        match kept {
            Kept::Null => None,
            Kept::Flag(flag) => Some(FieldValue::Flag(flag)),
            Kept::Count(count) => Some(FieldValue::Count(count)),
            Kept::Text(start, end) => self
                .texts
                .get(start as usize..end as usize)
                .map(FieldValue::Text),
            Kept::Json(index) => self.json.get(index as usize).map(FieldValue::Json),
        }
    }

    fn keep_json(&mut self, value: Value) -> Parse<Kept> {
        self.json.push(value);
        Ok(Kept::Json(Self::count(self.json.len() - 1)?))
    }

    fn count(items: usize) -> Parse<u32> {
        u32::try_from(items).map_err(|_| Stop::Unusual)
    }
}

/// What a layer's features are read flat with.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    /// The properties kept.
    pub slots: &'a PropertySlots,
    /// The geometries read flat.
    pub family: GeometryFamily,
}

/// How a run of features ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunEnd {
    /// The next feature begins at this offset (its `{`), at or after where the run was to stop.
    NextAt(usize),
    /// The last feature read ends just before this offset; what follows is not `, {`.
    AfterFeature(usize),
    /// The feature beginning at this offset is not complete in the text.
    Incomplete(usize),
    /// The text is not a run of features: serde must read the file.
    NotSimple,
}

/// Parses the features from `start` (a feature's `{`) on, as long as they follow one another
/// with commas, stopping at the first feature that begins at or after `stop_before`. A feature
/// the flat reader does not take is parsed by serde on its own. With `keep_first_keys`, the
/// first feature's property keys are kept too.
pub(crate) fn parse_run(
    bytes: &[u8],
    start: usize,
    stop_before: usize,
    reading: Reading<'_>,
    keep_first_keys: bool,
) -> (ParsedFeatures, RunEnd) {
    let Reading { slots, family } = reading;
    let mut out = ParsedFeatures::with_room_for(stop_before.min(bytes.len()).saturating_sub(start));
    let mut cursor = Cursor {
        bytes,
        at: start,
        family,
    };
    loop {
        cursor.skip_space();
        let feature_start = cursor.at;
        if feature_start >= stop_before {
            return (out, RunEnd::NextAt(feature_start));
        }
        let marks = out.marks();
        let keep_keys = keep_first_keys && out.is_empty();
        match cursor.feature(slots, &mut out, keep_keys) {
            Ok(()) => {}
            Err(Stop::End) => {
                out.roll_back(marks);
                return (out, RunEnd::Incomplete(feature_start));
            }
            Err(Stop::Unusual) => {
                out.roll_back(marks);
                cursor.at = feature_start;
                match cursor.skip_value(1) {
                    Ok(()) => {}
                    Err(Stop::End) => return (out, RunEnd::Incomplete(feature_start)),
                    Err(Stop::Unusual) => return (out, RunEnd::NotSimple),
                }
                match serde_json::from_slice::<RawFeature>(&bytes[feature_start..cursor.at]) {
                    Ok(feature) => out.features.push(ParsedFeature::Raw(Box::new(feature))),
                    Err(_) => return (out, RunEnd::NotSimple),
                }
            }
        }
        let after_feature = cursor.at;
        let followed = cursor.next_non_space() == Ok(b',') && {
            cursor.at += 1;
            cursor.next_non_space() == Ok(b'{')
        };
        if !followed {
            return (out, RunEnd::AfterFeature(after_feature));
        }
    }
}

/// Where to start looking for features in a piece of text: just after `}` `,` `{` (with any
/// whitespace between), the usual way one feature follows another. A guess: the caller keeps a
/// piece's features only when the run before it ended exactly there.
pub(crate) fn likely_feature_start(bytes: &[u8], from: usize) -> Option<usize> {
    let mut search = from;
    loop {
        let comma = search + bytes.get(search..)?.iter().position(|byte| *byte == b',')?;
        let before = bytes[..comma]
            .iter()
            .rev()
            .find(|byte| !byte.is_ascii_whitespace());
        let after = bytes[comma + 1..]
            .iter()
            .position(|byte| !byte.is_ascii_whitespace())
            .map(|offset| comma + 1 + offset);
        if before == Some(&b'}')
            && let Some(after) = after
            && bytes[after] == b'{'
        {
            return Some(after);
        }
        search = comma + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots() -> PropertySlots {
        PropertySlots::new(
            &FieldMapping::default(),
            [Field::Id, Field::Households, Field::Floors, Field::Use],
        )
    }

    fn polygons(slots: &PropertySlots) -> Reading<'_> {
        Reading {
            slots,
            family: GeometryFamily::Polygons,
        }
    }

    #[test]
    fn lines_are_read_as_polygons_of_one_ring_each() {
        let slots = slots();
        let reading = Reading {
            slots: &slots,
            family: GeometryFamily::Lines,
        };
        let text = br#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}},{"type":"Feature","geometry":{"type":"MultiLineString","coordinates":[[[1,2],[3,4]],[[5,6],[7,8],[9,10]]]}},{"type":"Feature","geometry":{"type":"Polygon","coordinates":[]}}"#;
        let (parsed, _) = parse_run(text, 0, usize::MAX, reading, false);
        let lines = |index| match parsed.view(index, &slots) {
            FeatureView::Flat {
                polygons: Some(polygons),
                ..
            } => polygons
                .polygons()
                .map(|rings| rings.map(<[Position]>::len).collect::<Vec<_>>())
                .collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(lines(0), vec![vec![2]]);
        assert_eq!(lines(1), vec![vec![2, 3]]);
        assert!(
            matches!(parsed.view(2, &slots), FeatureView::Raw(_)),
            "a road area is for serde"
        );
    }

    #[test]
    fn a_plain_polygon_feature_is_read_flat() {
        let text = br#"{"type":"Feature","id":7,"properties":{"id":"B1","building":"residential","floors":16,"households":2,"extra":[1,{"a":null}]},"geometry":{"type":"Polygon","coordinates":[[[1.5,2,9],[3,4],[5,6],[1.5,2]],[]]}} ,"#;
        let slots = slots();
        let (parsed, end) = parse_run(text, 0, usize::MAX, polygons(&slots), true);
        assert_eq!(end, RunEnd::AfterFeature(text.len() - 2));
        assert_eq!(parsed.len(), 1);
        assert_eq!(
            parsed.first_keys(),
            Some(
                ["id", "building", "floors", "households", "extra"]
                    .map(String::from)
                    .to_vec()
            )
        );
        let FeatureView::Flat {
            id,
            properties,
            polygons: Some(polygons),
        } = parsed.view(0, &slots)
        else {
            panic!("read flat");
        };
        assert_eq!(id, Some(FieldValue::Count(7)));
        let mapping = FieldMapping::default();
        assert_eq!(mapping.number(&properties, Field::Floors), Ok(Some(16.0)));
        assert_eq!(
            mapping.text(&properties, Field::Use).as_deref(),
            Some("residential")
        );
        assert!(properties.contains_key("households"));
        let rings: Vec<Vec<&[Position]>> =
            polygons.polygons().map(|rings| rings.collect()).collect();
        assert_eq!(rings.len(), 1);
        assert_eq!(rings[0].len(), 2);
        assert_eq!(rings[0][0].len(), 4);
        assert!(rings[0][1].is_empty());
        assert_eq!(polygons.positions().len(), 4);
        assert_eq!(polygons.positions()[0].longitude, 1.5);
    }

    #[test]
    fn unusual_features_are_parsed_by_serde_and_broken_ones_stop_the_run() {
        let slots = slots();
        let point = br#"{"type":"Feature","properties":{"n\u0061me":"x"},"geometry":{"type":"Point","coordinates":[1,2]}}"#;
        let (parsed, end) = parse_run(point, 0, usize::MAX, polygons(&slots), false);
        assert_eq!(end, RunEnd::AfterFeature(point.len()));
        assert!(matches!(parsed.view(0, &slots), FeatureView::Raw(_)));

        let broken = br#"{"type":"Feature","properties":{"a":tru},"geometry":null}"#;
        assert_eq!(
            parse_run(broken, 0, usize::MAX, polygons(&slots), false).1,
            RunEnd::NotSimple
        );
        let cut = br#"{"type":"Feature","properties":{"a":1},"geometry":{"type":"Polygon","coordinates":[[[1,2"#;
        assert_eq!(
            parse_run(cut, 0, usize::MAX, polygons(&slots), false).1,
            RunEnd::Incomplete(0)
        );
    }

    #[test]
    fn a_likely_feature_start_follows_a_closing_brace_and_a_comma() {
        let text = br#"[1, 2], {"a": "},{"} ,
            {"b": 1}"#;
        // The first guess is inside a string: the caller finds it out.
        assert_eq!(likely_feature_start(text, 0), Some(17));
        assert_eq!(
            likely_feature_start(text, 18),
            Some(text.len() - 8),
            "the next one"
        );
        assert_eq!(likely_feature_start(text, text.len() - 7), None);
    }
}
