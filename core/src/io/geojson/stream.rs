//! A FeatureCollection read feature by feature through serde, in chunks, so that the whole
//! collection is never held at once: the reader that says exactly what is wrong with an unusual
//! file.

use std::fmt;
use std::ops::ControlFlow;
use std::path::Path;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{RawFeature, check_collection, json_object, malformed, read_layer_bytes};
use crate::error::{Error, Result};

/// Reads a FeatureCollection feature by feature, handing the features to `consume` in chunks of
/// `chunk_size` (with the index of the chunk's first feature), so that the whole collection is
/// never held in memory at once. `consume` may break off the read (a preview that has seen
/// enough): the rest of the file is then not parsed, and no members are returned. Returns the
/// collection's foreign members.
pub fn stream_feature_collection(
    path: &Path,
    max_file_bytes: u64,
    chunk_size: usize,
    consume: &mut dyn FnMut(usize, Vec<RawFeature>) -> Result<ControlFlow<()>>,
) -> Result<Map<String, Value>> {
    let bytes = read_layer_bytes(path, max_file_bytes)?;
    let bytes = json_object(&bytes, path)?;
    let mut stopped: Option<Error> = None;
    let mut seed = CollectionSeed {
        chunk_size,
        consume,
        stopped: &mut stopped,
        saw_features: false,
        broke_off: false,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let outcome = serde::de::DeserializeSeed::deserialize(&mut seed, &mut deserializer)
        .and_then(|members| deserializer.end().map(|()| members));
    let saw_features = seed.saw_features;
    if seed.broke_off {
        return Ok(Map::new());
    }
    if let Some(error) = stopped {
        return Err(error);
    }
    let (kind, foreign_members) = outcome.map_err(|error| malformed(path, bytes, &error))?;
    check_collection(kind.as_deref(), saw_features, path)?;
    Ok(foreign_members)
}

struct CollectionSeed<'a> {
    chunk_size: usize,
    consume: &'a mut dyn FnMut(usize, Vec<RawFeature>) -> Result<ControlFlow<()>>,
    stopped: &'a mut Option<Error>,
    saw_features: bool,
    /// `consume` asked to read no further.
    broke_off: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for &mut CollectionSeed<'_> {
    type Value = (Option<String>, Map<String, Value>);

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut CollectionSeed<'_> {
    type Value = (Option<String>, Map<String, Value>);

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a GeoJSON FeatureCollection")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut kind = None;
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => kind = Some(map.next_value::<String>()?),
                "features" => {
                    self.saw_features = true;
                    map.next_value_seed(FeaturesSeed {
                        collection: &mut *self,
                    })?;
                }
                _ => {
                    let value: Value = map.next_value()?;
                    members.insert(key, value);
                }
            }
        }
        Ok((kind, members))
    }
}

struct FeaturesSeed<'a, 'b> {
    collection: &'a mut CollectionSeed<'b>,
}

impl<'de> serde::de::DeserializeSeed<'de> for FeaturesSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for FeaturesSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an array of features")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut sequence: A) -> std::result::Result<(), A::Error> {
        let collection = self.collection;
        let chunk_size = collection.chunk_size;
        let mut chunk = Vec::with_capacity(chunk_size);
        let mut first_index = 0;
        let mut hand_over =
            |chunk: Vec<RawFeature>, first_index: usize| -> std::result::Result<(), A::Error> {
                match (collection.consume)(first_index, chunk) {
                    Ok(ControlFlow::Continue(())) => Ok(()),
                    Ok(ControlFlow::Break(())) => {
                        collection.broke_off = true;
                        Err(de::Error::custom("read no further"))
                    }
                    Err(error) => {
                        *collection.stopped = Some(error);
                        Err(de::Error::custom("stopped"))
                    }
                }
            };
        while let Some(feature) = sequence.next_element::<RawFeature>()? {
            chunk.push(feature);
            if chunk.len() == chunk_size {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(chunk_size));
                let count = full.len();
                hand_over(full, first_index)?;
                first_index += count;
            }
        }
        if !chunk.is_empty() {
            hand_over(chunk, first_index)?;
        }
        Ok(())
    }
}
