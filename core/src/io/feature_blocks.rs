//! Reading a FeatureCollection block by block on every core: a byte scanner finds where each
//! feature of the `features` array begins and ends (tracking strings and nesting only), and the
//! features of a block are then parsed in parallel. The file is never held whole, and parsing —
//! the bulk of a load — uses both cores.
//!
//! The scanner understands the ordinary shape of a FeatureCollection. Anything else — a
//! feature that is not an object, a second `features` member, a `type` other than
//! `FeatureCollection`, a feature that does not parse, text after the collection — makes it
//! answer [`Streamed::NotSimple`], and the caller reads the file with the serde stream reader,
//! which reports exactly what is wrong and where.

use std::fs::File;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::io::geojson::RawFeature;

/// Bytes read at a time.
const BLOCK_BYTES: usize = 8 << 20;

/// How a parallel read ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streamed {
    /// Every feature was handed over (or the consumer broke off).
    Done,
    /// The file is not of the shape the scanner reads; nothing can be concluded from what was
    /// handed over, and the file must be read another way.
    NotSimple,
}

/// Where the scanner is in the collection's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Before the opening brace.
    Start,
    /// Just inside the top-level object: a key or its end.
    ExpectFirstKey,
    /// After a comma in the top-level object: a key.
    ExpectKey,
    /// After a top-level key: `:`.
    ExpectColon,
    /// After `:`: a member's value.
    ExpectValue,
    /// In a top-level member's value other than `features`.
    InValue,
    /// After a top-level member's value: `,` or the end.
    AfterValue,
    /// Just inside the `features` array: a feature or the array's end.
    FeaturesOpen,
    /// After a comma in the `features` array: a feature.
    ExpectFeature,
    /// Inside a feature object.
    InFeature,
    /// After a feature: `,` or the array's end.
    AfterFeature,
    /// After the closing brace: whitespace only.
    End,
}

/// The scanner's state, carried from block to block.
struct Scanner {
    place: Place,
    /// Nesting depth inside the current top-level value or feature.
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// Absolute offset where the current top-level key began (after its quote).
    key_start: Option<u64>,
    /// The last top-level key read.
    key: Vec<u8>,
    /// Absolute offset where the current top-level value or feature began.
    value_start: u64,
    saw_features: bool,
    type_value: Option<Vec<u8>>,
}

impl Scanner {
    fn new() -> Self {
        Self {
            place: Place::Start,
            depth: 0,
            in_string: false,
            escaped: false,
            key_start: None,
            key: Vec::new(),
            value_start: 0,
            saw_features: false,
            type_value: None,
        }
    }

    /// Scans `buffer` from index `from` (the buffer holds the file from absolute offset
    /// `buffer_start`), adding the absolute ranges of complete features to `features`. `None`
    /// when the text is not of the simple shape.
    fn scan(
        &mut self,
        buffer: &[u8],
        buffer_start: u64,
        from: usize,
        features: &mut Vec<(u64, u64)>,
    ) -> Option<()> {
        let mut index = from;
        while index < buffer.len() {
            let byte = buffer[index];
            let at = buffer_start + index as u64;
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if byte == b'\\' {
                    self.escaped = true;
                } else if byte == b'"' {
                    self.in_string = false;
                    self.end_of_string(buffer, buffer_start, at)?;
                } else {
                    // Jump to the next quote or backslash.
                    index += buffer[index..]
                        .iter()
                        .position(|byte| *byte == b'"' || *byte == b'\\')
                        .unwrap_or(buffer.len() - index);
                    continue;
                }
                index += 1;
                continue;
            }
            let space = byte.is_ascii_whitespace();
            match (self.place, byte) {
                (_, _) if space && !matches!(self.place, Place::InValue | Place::InFeature) => {}
                (Place::Start, b'{') => self.place = Place::ExpectFirstKey,
                // A byte-order mark.
                (Place::Start, 0xEF) if at == 0 => {}
                (Place::Start, 0xBB) if at == 1 => {}
                (Place::Start, 0xBF) if at == 2 => {}
                (Place::ExpectFirstKey | Place::ExpectKey, b'"') => {
                    self.in_string = true;
                    self.key_start = Some(at + 1);
                }
                (Place::ExpectFirstKey | Place::AfterValue, b'}') => self.place = Place::End,
                (Place::ExpectColon, b':') => self.place = Place::ExpectValue,
                (Place::ExpectValue, b'[') if self.key == b"features" && !self.saw_features => {
                    self.saw_features = true;
                    self.place = Place::FeaturesOpen;
                }
                (Place::ExpectValue, _) if self.key == b"features" => return None,
                (Place::ExpectValue, _) => {
                    self.value_start = at;
                    self.place = Place::InValue;
                    match byte {
                        b'"' => self.in_string = true,
                        b'{' | b'[' => self.depth = 1,
                        _ => self.depth = 0,
                    }
                }
                (Place::InValue, _) => self.in_value(buffer, buffer_start, at, byte)?,
                (Place::AfterValue, b',') => self.place = Place::ExpectKey,
                (Place::FeaturesOpen | Place::ExpectFeature, b'{') => {
                    self.value_start = at;
                    self.depth = 1;
                    self.place = Place::InFeature;
                }
                (Place::FeaturesOpen | Place::AfterFeature, b']') => self.place = Place::AfterValue,
                (Place::AfterFeature, b',') => self.place = Place::ExpectFeature,
                (Place::InFeature, b'"') => self.in_string = true,
                (Place::InFeature, b'{' | b'[') => self.depth += 1,
                (Place::InFeature, b'}' | b']') => {
                    self.depth = self.depth.checked_sub(1)?;
                    if self.depth == 0 {
                        if byte != b'}' {
                            return None;
                        }
                        features.push((self.value_start, at + 1));
                        self.place = Place::AfterFeature;
                    }
                }
                (Place::InFeature, _) => {}
                _ => return None,
            }
            index += 1;
        }
        Some(())
    }

    /// One byte of a top-level value other than `features`.
    fn in_value(&mut self, buffer: &[u8], buffer_start: u64, at: u64, byte: u8) -> Option<()> {
        if self.depth > 0 {
            match byte {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        self.check_value(buffer, buffer_start, at + 1)?;
                        self.place = Place::AfterValue;
                    }
                }
                _ => {}
            }
            return Some(());
        }
        // A number, true, false or null ends where a delimiter begins.
        if byte.is_ascii_whitespace() || byte == b',' || byte == b'}' {
            self.check_value(buffer, buffer_start, at)?;
            self.place = match byte {
                b',' => Place::ExpectKey,
                b'}' => Place::End,
                _ => Place::AfterValue,
            };
        }
        Some(())
    }

    /// A top-level value (absolute `value_start..end`) must be JSON; the `type` member's is
    /// kept.
    fn check_value(&mut self, buffer: &[u8], buffer_start: u64, end: u64) -> Option<()> {
        let text = slice(buffer, buffer_start, self.value_start, end)?;
        if self.key == b"type" {
            self.type_value = Some(serde_json::from_slice::<String>(text).ok()?.into_bytes());
        } else {
            serde_json::from_slice::<serde::de::IgnoredAny>(text).ok()?;
        }
        Some(())
    }

    /// A string ended at absolute offset `end` (its closing quote).
    fn end_of_string(&mut self, buffer: &[u8], buffer_start: u64, end: u64) -> Option<()> {
        if let Some(start) = self.key_start.take() {
            self.key = slice(buffer, buffer_start, start, end)?.to_vec();
            self.place = Place::ExpectColon;
        } else if self.place == Place::InValue && self.depth == 0 {
            self.check_value(buffer, buffer_start, end + 1)?;
            self.place = Place::AfterValue;
        }
        Some(())
    }

    /// The earliest absolute offset still needed: an unfinished key, value or feature.
    fn needed_from(&self, scanned_to: u64) -> u64 {
        match (self.place, self.key_start) {
            (_, Some(start)) => start,
            (Place::InValue | Place::InFeature, None) => self.value_start,
            _ => scanned_to,
        }
    }

    fn finished_well(&self) -> bool {
        self.place == Place::End
            && self.saw_features
            && self.type_value.as_deref() == Some(b"FeatureCollection".as_slice())
    }
}

/// The bytes at absolute offsets `start..end` of a buffer that begins at `buffer_start`.
fn slice(buffer: &[u8], buffer_start: u64, start: u64, end: u64) -> Option<&[u8]> {
    let start = usize::try_from(start.checked_sub(buffer_start)?).ok()?;
    let end = usize::try_from(end.checked_sub(buffer_start)?).ok()?;
    buffer.get(start..end)
}

/// Reads the FeatureCollection at `path` block by block, parsing each block's features on all
/// cores and handing them to `consume` in chunks of exactly `chunk_size` (the last one shorter),
/// with the index of each chunk's first feature — the same chunks the serde stream reader gives.
pub fn stream_features_in_parallel(
    path: &Path,
    chunk_size: usize,
    consume: &mut dyn FnMut(usize, Vec<RawFeature>) -> Result<ControlFlow<()>>,
) -> Result<Streamed> {
    stream_in_blocks(path, chunk_size, BLOCK_BYTES, consume)
}

fn stream_in_blocks(
    path: &Path,
    chunk_size: usize,
    block_bytes: usize,
    consume: &mut dyn FnMut(usize, Vec<RawFeature>) -> Result<ControlFlow<()>>,
) -> Result<Streamed> {
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(read_error)?;
    let mut scanner = Scanner::new();
    let mut buffer: Vec<u8> = Vec::new();
    let mut buffer_start: u64 = 0;
    let mut pending: Vec<RawFeature> = Vec::new();
    let mut handed_over = 0;
    loop {
        let scan_from = buffer.len();
        let read = (&mut file)
            .take(block_bytes as u64)
            .read_to_end(&mut buffer)
            .map_err(read_error)?;
        let mut features = Vec::new();
        if scanner
            .scan(&buffer, buffer_start, scan_from, &mut features)
            .is_none()
        {
            return Ok(Streamed::NotSimple);
        }
        let parsed: Option<Vec<RawFeature>> = features
            .par_iter()
            .map(|(start, end)| {
                serde_json::from_slice(slice(&buffer, buffer_start, *start, *end)?).ok()
            })
            .collect();
        let Some(parsed) = parsed else {
            return Ok(Streamed::NotSimple);
        };
        pending.extend(parsed);
        while pending.len() >= chunk_size {
            let rest = pending.split_off(chunk_size);
            let chunk = std::mem::replace(&mut pending, rest);
            let count = chunk.len();
            if consume(handed_over, chunk)?.is_break() {
                return Ok(Streamed::Done);
            }
            handed_over += count;
        }
        // Keep only what an unfinished feature or string still needs.
        let scanned_to = buffer_start + buffer.len() as u64;
        let keep_from = scanner.needed_from(scanned_to);
        let drop = usize::try_from(keep_from - buffer_start).unwrap_or(buffer.len());
        buffer.drain(..drop.min(buffer.len()));
        buffer_start += drop as u64;
        if read == 0 {
            break;
        }
    }
    if !scanner.finished_well() || !buffer.iter().all(u8::is_ascii_whitespace) {
        return Ok(Streamed::NotSimple);
    }
    if !pending.is_empty() {
        // The last chunk: whether the consumer would stop after it changes nothing.
        let _last = consume(handed_over, pending)?;
    }
    Ok(Streamed::Done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::geojson::stream_feature_collection;

    /// The features found with blocks of every size from one byte up, which must all agree.
    fn features_of(text: &str) -> (Streamed, Vec<RawFeature>) {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("layer.geojson");
        std::fs::write(&path, text).expect("write");
        let read = |block_bytes: usize| {
            let mut all = Vec::new();
            let outcome = stream_in_blocks(&path, 2, block_bytes, &mut |first, chunk| {
                assert_eq!(first, all.len());
                all.extend(chunk);
                Ok(ControlFlow::Continue(()))
            })
            .expect("reads");
            (outcome, all)
        };
        let whole = read(BLOCK_BYTES);
        for block_bytes in [1, 2, 3, 7, 16, 61, 200] {
            let (outcome, features) = read(block_bytes);
            assert_eq!(outcome, whole.0, "blocks of {block_bytes}");
            if outcome == Streamed::Done {
                assert_eq!(features, whole.1, "blocks of {block_bytes}");
            }
        }
        whole
    }

    fn serde_features(text: &str) -> Vec<RawFeature> {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("layer.geojson");
        std::fs::write(&path, text).expect("write");
        let mut all = Vec::new();
        stream_feature_collection(&path, u64::MAX, 2, &mut |_, chunk| {
            all.extend(chunk);
            Ok(ControlFlow::Continue(()))
        })
        .expect("parses");
        all
    }

    #[test]
    fn features_are_found_as_the_serde_reader_finds_them() {
        let text = r#"﻿ { "name": "b", "crs": {"type": "name", "properties": {"name": "x}]"}},
            "features": [
              {"type": "Feature", "id": 1, "properties": {"n": "a \"quoted\" }{ brace", "k": [1, {"x": 2}]},
               "geometry": {"type": "Point", "coordinates": [115.9, 28.6]}},
              {"type":"Feature","properties":null,"geometry":null} ,
              {"type":"Feature","properties":{"名称":"八一广场"},"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}}
            ], "type": "FeatureCollection", "bbox": [1, 2, 3, 4] }
        "#;
        let (outcome, features) = features_of(text);
        assert_eq!(outcome, Streamed::Done);
        assert_eq!(features, serde_features(text));
        assert_eq!(features.len(), 3);
    }

    #[test]
    fn unusual_shapes_are_left_to_the_serde_reader() {
        for text in [
            r#"{"type":"FeatureCollection","features":[null]}"#,
            r#"{"type":"Feature","features":[]}"#,
            r#"{"features":[]}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1]}}]"#,
            r#"{"type":"FeatureCollection","features":[]} trailing"#,
            r#"{"type":"FeatureCollection","features":[],"features":[]}"#,
            r#"[]"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":tru}}]}"#,
        ] {
            assert_eq!(features_of(text).0, Streamed::NotSimple, "{text}");
        }
    }
}
