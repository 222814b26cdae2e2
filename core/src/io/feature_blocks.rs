//! Reading a FeatureCollection block by block on every core. A small state machine follows the
//! collection's own members; where the `features` array begins, each block's features are parsed
//! flat (see [`crate::io::flat_features`]) in pieces, one per core and more: every piece but the
//! first starts at a guessed feature boundary (`}`, `,`, `{`), and its features are kept only
//! when the piece before ended exactly there — otherwise that piece is parsed again from where
//! the one before really ended. The file is never held whole, and no single core reads it all.
//!
//! The state machine understands the ordinary shape of a FeatureCollection. Anything else — a
//! feature that is not an object, a second `features` member, a `type` other than
//! `FeatureCollection`, a feature that does not parse, text after the collection — makes it
//! answer [`Streamed::NotSimple`], and the caller reads the file with the serde stream reader,
//! which reports exactly what is wrong and where.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::io::flat_features::{ParsedFeatures, Reading, RunEnd, likely_feature_start, parse_run};

/// Bytes read at a time.
const BLOCK_BYTES: usize = 8 << 20;

/// Pieces a block's features are split into for each core (more than one, so that a core that
/// finishes early takes another).
const PIECES_PER_CORE: usize = 8;

/// Text shorter than this is parsed as one piece.
const SMALLEST_SPLIT: usize = 256 << 10;

/// How a parallel read ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streamed {
    /// Every feature was handed over.
    Done,
    /// The file is not of the shape the scanner reads; nothing can be concluded from what was
    /// handed over, and the file must be read another way.
    NotSimple,
}

/// Where a scan of the collection's structure stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scanned {
    /// A feature begins at this index of the buffer.
    FeatureAt(usize),
    /// The whole buffer was scanned.
    Through,
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
    /// After a feature: `,` or the array's end.
    AfterFeature,
    /// After the closing brace: whitespace only.
    End,
}

/// The scanner's state, carried from block to block.
struct Scanner {
    place: Place,
    /// Nesting depth inside the current top-level value.
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// Absolute offset where the current top-level key began (after its quote).
    key_start: Option<u64>,
    /// The last top-level key read.
    key: Vec<u8>,
    /// Absolute offset where the current top-level value began.
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
    /// `buffer_start`) up to the next feature or the end of the buffer. `None` when the text is
    /// not of the simple shape.
    fn scan(&mut self, buffer: &[u8], buffer_start: u64, from: usize) -> Option<Scanned> {
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
                (_, _) if space && self.place != Place::InValue => {}
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
                    self.place = Place::ExpectFeature;
                    return Some(Scanned::FeatureAt(index));
                }
                (Place::FeaturesOpen | Place::AfterFeature, b']') => self.place = Place::AfterValue,
                (Place::AfterFeature, b',') => self.place = Place::ExpectFeature,
                _ => return None,
            }
            index += 1;
        }
        Some(Scanned::Through)
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
            (Place::InValue, None) => self.value_start,
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

/// Reads the FeatureCollection at `path` block by block, parsing each block's features flat on
/// all cores as `reading` says and handing them to `consume` in file order, a block's pieces at
/// a time, each with the index of its first feature.
pub fn read_features_in_parallel(
    path: &Path,
    reading: Reading<'_>,
    consume: &mut dyn FnMut(Vec<(usize, ParsedFeatures)>) -> Result<()>,
) -> Result<Streamed> {
    read_in_blocks(path, reading, BLOCK_BYTES, MOST_FEATURE_BYTES, consume)
}

fn read_in_blocks(
    path: &Path,
    reading: Reading<'_>,
    block_bytes: usize,
    most_feature_bytes: usize,
    consume: &mut dyn FnMut(Vec<(usize, ParsedFeatures)>) -> Result<()>,
) -> Result<Streamed> {
    let file = File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    std::thread::scope(|scope| {
        let blocks = read_ahead(scope, file, block_bytes);
        parse_blocks(path, &blocks, reading, most_feature_bytes, consume)
    })
}

/// Blocks read ahead of the parse, and the buffers handed back to be read into again.
struct BlocksAhead {
    read: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    used: std::sync::mpsc::Sender<Vec<u8>>,
    /// Bytes left free before each block's text, for what the block before left unfinished.
    tail_room: usize,
}

/// Reads `file` a block at a time on a thread of its own, one block ahead of the parse: the
/// copy out of the page cache (a tenth of a second for 286 MB) then overlaps the parse instead
/// of holding up both cores between blocks. Each block's text follows some free room, where the
/// unfinished end of the block before is put, so that a block is never copied whole to join
/// them. A block of no text marks the end of the file.
fn read_ahead<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    mut file: File,
    block_bytes: usize,
) -> BlocksAhead {
    let tail_room = block_bytes.min(TAIL_ROOM);
    let (send_block, read) = std::sync::mpsc::sync_channel(1);
    let (used, take_used) = std::sync::mpsc::channel::<Vec<u8>>();
    scope.spawn(move || {
        loop {
            // A buffer the parse is done with, so that no block needs fresh pages.
            let mut block = take_used
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(tail_room + block_bytes));
            block.clear();
            block.resize(tail_room, b' ');
            let outcome = (&mut file).take(block_bytes as u64).read_to_end(&mut block);
            let last = !matches!(outcome, Ok(read) if read > 0);
            // The parse stopped early when nobody receives: nothing more to read for.
            if send_block.send(outcome.map(|_| block)).is_err() || last {
                return;
            }
        }
    });
    BlocksAhead {
        read,
        used,
        tail_room,
    }
}

/// At most this much room before each block for the unfinished end of the block before; a longer
/// end (a feature of over a megabyte) is joined to the block by copying.
const TAIL_ROOM: usize = 1 << 20;

/// No building or street needs more text than this (a footprint of a million positions takes
/// about 40 MB). A feature that runs on past it is refused: it would be copied and scanned again
/// at every block (a 1 GB text value took 22.6 s and 7.2 GB).
pub const MOST_FEATURE_BYTES: usize = 128 << 20;

fn parse_blocks(
    path: &Path,
    blocks: &BlocksAhead,
    reading: Reading<'_>,
    most_feature_bytes: usize,
    consume: &mut dyn FnMut(Vec<(usize, ParsedFeatures)>) -> Result<()>,
) -> Result<Streamed> {
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut scanner = Scanner::new();
    // The block being parsed, and where in it the text not yet consumed begins.
    let mut current: Vec<u8> = Vec::new();
    let mut tail_from = 0;
    // The absolute offset of `current[tail_from]`.
    let mut buffer_start: u64 = 0;
    let mut handed_over = 0;
    // A feature that did not fit in the last block begins here.
    let mut unfinished_feature: Option<u64> = None;
    loop {
        let mut block = match blocks.read.recv() {
            Ok(block) => block.map_err(read_error)?,
            // The reader ended without a word: it met the end of the file.
            Err(_) => vec![b' '; blocks.tail_room],
        };
        let read = block.len().saturating_sub(blocks.tail_room);
        let tail = &current[tail_from..];
        if unfinished_feature.is_some() && tail.len() > most_feature_bytes {
            return Err(Error::Feature {
                path: path.to_path_buf(),
                feature_index: handed_over,
                feature_id: "-".to_owned(),
                problem: format!(
                    "the feature runs on for more than {} MB, more than any building or street needs. Check the file there (an attribute holding a whole document, or a file cut and joined wrongly).",
                    most_feature_bytes >> 20
                ),
            });
        }
        let start = match blocks.tail_room.checked_sub(tail.len()) {
            Some(start) => {
                block[start..blocks.tail_room].copy_from_slice(tail);
                start
            }
            None => {
                let mut joined = Vec::with_capacity(tail.len() + read);
                joined.extend_from_slice(tail);
                joined.extend_from_slice(&block[blocks.tail_room..]);
                block = joined;
                0
            }
        };
        let scanned_before = tail.len();
        // Handed back to be read into again; the reader may have finished already.
        let _ = blocks.used.send(std::mem::replace(&mut current, block));
        let buffer = &current[start..];
        let mut index = match unfinished_feature.take() {
            Some(feature) => usize::try_from(feature - buffer_start).unwrap_or(0),
            None => scanned_before,
        };
        loop {
            let Some(scanned) = scanner.scan(buffer, buffer_start, index) else {
                return Ok(Streamed::NotSimple);
            };
            let Scanned::FeatureAt(feature) = scanned else {
                break;
            };
            let (runs, end) = parse_in_pieces(buffer, feature, reading, handed_over == 0);
            let mut numbered = Vec::with_capacity(runs.len());
            for run in runs {
                let count = run.len();
                numbered.push((handed_over, run));
                handed_over += count;
            }
            if !numbered.is_empty() {
                consume(numbered)?;
            }
            match end {
                RunEnd::AfterFeature(after) => {
                    scanner.place = Place::AfterFeature;
                    index = after;
                }
                RunEnd::Incomplete(at) => {
                    unfinished_feature = Some(buffer_start + at as u64);
                    break;
                }
                RunEnd::NextAt(_) | RunEnd::NotSimple => return Ok(Streamed::NotSimple),
            }
        }
        // Keep only what an unfinished feature, key or value still needs.
        let scanned_to = buffer_start + buffer.len() as u64;
        let keep_from = unfinished_feature.unwrap_or_else(|| scanner.needed_from(scanned_to));
        let drop = usize::try_from(keep_from - buffer_start)
            .unwrap_or(buffer.len())
            .min(buffer.len());
        tail_from = start + drop;
        buffer_start += drop as u64;
        if read == 0 {
            break;
        }
    }
    if unfinished_feature.is_some()
        || !scanner.finished_well()
        || !current[tail_from..].iter().all(u8::is_ascii_whitespace)
    {
        return Ok(Streamed::NotSimple);
    }
    Ok(Streamed::Done)
}

/// Parses the features from `start` (a feature's `{`) to the end of `buffer` in pieces on all
/// cores, as one run would: the runs in order, and how the last one ended.
fn parse_in_pieces(
    buffer: &[u8],
    start: usize,
    reading: Reading<'_>,
    keep_first_keys: bool,
) -> (Vec<ParsedFeatures>, RunEnd) {
    let length = buffer.len() - start;
    let pieces = if length < SMALLEST_SPLIT {
        1
    } else {
        rayon::current_num_threads() * PIECES_PER_CORE
    };
    let mut starts = vec![start];
    for piece in 1..pieces {
        let nominal = start + length / pieces * piece;
        let Some(guess) = likely_feature_start(buffer, nominal) else {
            break;
        };
        if starts.last().is_some_and(|last| guess > *last) {
            starts.push(guess);
        }
    }
    let stop_of = |piece: usize| starts.get(piece + 1).copied().unwrap_or(usize::MAX);
    let mut parsed: Vec<(ParsedFeatures, RunEnd)> = starts
        .par_iter()
        .enumerate()
        .map(|(piece, piece_start)| {
            parse_run(
                buffer,
                *piece_start,
                stop_of(piece),
                reading,
                keep_first_keys && piece == 0,
            )
        })
        .collect();
    let mut runs = Vec::with_capacity(starts.len());
    let mut piece = 0;
    loop {
        let (run, end) = std::mem::replace(
            &mut parsed[piece],
            (ParsedFeatures::default(), RunEnd::NotSimple),
        );
        if !run.is_empty() {
            runs.push(run);
        }
        let RunEnd::NextAt(next) = end else {
            return (runs, end);
        };
        piece += 1;
        if starts[piece] != next {
            // The guess was wrong: parse this piece again from where the features really go on.
            parsed[piece] = parse_run(buffer, next, stop_of(piece), reading, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::ops::ControlFlow;

    use serde_json::Value;

    use super::*;
    use crate::attributes::{Field, FieldMapping, FieldValue};
    use crate::io::flat_features::{FeatureView, GeometryFamily, PropertySlots};
    use crate::io::geojson::{Position, RawFeature, RawGeometry, stream_feature_collection};

    /// A feature as both readers must agree on it: id, the read properties present (last
    /// value of a repeated key), and polygons.
    type Seen = (
        Option<Value>,
        Vec<(String, Value)>,
        Option<Vec<Vec<Vec<Position>>>>,
    );

    const KEYS: [&str; 4] = ["id", "building", "floors", "households"];

    fn slots() -> PropertySlots {
        PropertySlots::new(
            &FieldMapping::default(),
            [Field::Id, Field::Households, Field::Floors, Field::Use],
        )
    }

    fn seen_raw(feature: &RawFeature) -> Seen {
        let properties = KEYS
            .iter()
            .filter_map(|key| Some((key.to_string(), feature.properties.get(*key)?.clone())))
            .collect();
        let polygons = match &feature.geometry {
            Some(RawGeometry::Polygon { coordinates }) => Some(vec![coordinates.clone()]),
            Some(RawGeometry::MultiPolygon { coordinates }) => Some(coordinates.clone()),
            _ => None,
        };
        (feature.id.clone(), properties, polygons)
    }

    fn seen_view(view: FeatureView<'_>) -> Seen {
        let FeatureView::Flat {
            id,
            properties,
            polygons,
        } = view
        else {
            let FeatureView::Raw(feature) = view else {
                unreachable!()
            };
            return seen_raw(feature);
        };
        let mapping = FieldMapping::default();
        let properties = KEYS
            .iter()
            .zip([Field::Id, Field::Use, Field::Floors, Field::Households])
            .filter(|(key, _)| properties.contains_key(key))
            .map(|(key, field)| {
                let value =
                    crate::attributes::FieldValues::field_value(&properties, &mapping, field)
                        .map_or(Value::Null, json_of);
                (key.to_string(), value)
            })
            .collect();
        let polygons = polygons.map(|polygons| {
            polygons
                .polygons()
                .map(|rings| rings.map(<[Position]>::to_vec).collect())
                .collect()
        });
        (id.map(json_of), properties, polygons)
    }

    fn json_of(value: FieldValue<'_>) -> Value {
        match value {
            FieldValue::Json(value) => value.clone(),
            FieldValue::Text(text) => Value::from(text),
            FieldValue::Count(count) => Value::from(count),
            FieldValue::Flag(flag) => Value::from(flag),
        }
    }

    fn written(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("layer.geojson");
        std::fs::write(&path, text).expect("write");
        (folder, path)
    }

    /// The features found with blocks of the given sizes, which must all agree.
    fn features_of(text: &str, block_sizes: &[usize]) -> (Streamed, Vec<Seen>) {
        let (_folder, path) = written(text);
        let slots = slots();
        let read = |block_bytes: usize| {
            let mut all = Vec::new();
            let reading = Reading {
                slots: &slots,
                family: GeometryFamily::Polygons,
            };
            let outcome = read_in_blocks(
                &path,
                reading,
                block_bytes,
                MOST_FEATURE_BYTES,
                &mut |runs| {
                    for (first, run) in runs {
                        assert_eq!(first, all.len());
                        all.extend(
                            (0..run.len()).map(|offset| seen_view(run.view(offset, &slots))),
                        );
                    }
                    Ok(())
                },
            )
            .expect("reads");
            (outcome, all)
        };
        let whole = read(BLOCK_BYTES);
        for block_bytes in block_sizes {
            let (outcome, features) = read(*block_bytes);
            assert_eq!(outcome, whole.0, "blocks of {block_bytes}");
            if outcome == Streamed::Done {
                assert_eq!(features, whole.1, "blocks of {block_bytes}");
            }
        }
        whole
    }

    fn serde_features(text: &str) -> Vec<Seen> {
        let (_folder, path) = written(text);
        let mut all = Vec::new();
        stream_feature_collection(&path, u64::MAX, 2, &mut |_, chunk| {
            all.extend(chunk.iter().map(seen_raw));
            Ok(ControlFlow::Continue(()))
        })
        .expect("parses");
        all
    }

    #[test]
    fn features_are_read_as_the_serde_reader_reads_them() {
        let text = r#"﻿ { "name": "b", "crs": {"type": "name", "properties": {"name": "x}]"}},
            "features": [
              {"type": "Feature", "id": 1, "properties": {"building": "a \"quoted\" }{ brace", "k": [1, {"x": 2}], "floors": 1.5e1},
               "geometry": {"type": "Point", "coordinates": [115.9, 28.6]}},
              {"type":"Feature","properties":null,"geometry":null} ,
              {"type":"Feature","properties":{"名称":"八一广场","households":"\u0033","floors":-2,"floors":4},
               "geometry":{"coordinates":[[[1,2],[3,4],[5,6]]],"type":"Polygon"}},
              {"type":"Feature","id":"x","properties":{"id":"B\u00e9","building":"住宅"},
               "geometry":{"type":"MultiPolygon","bbox":[0,0,1,1],"coordinates":[[[[1.25,2.5,9],[3,4],[5,6],[1.25,2.5]],[]],[]]}}
            ], "type": "FeatureCollection", "bbox": [1, 2, 3, 4] }
        "#;
        let (outcome, features) = features_of(text, &[1, 2, 3, 7, 16, 61, 200]);
        assert_eq!(outcome, Streamed::Done);
        assert_eq!(features, serde_features(text));
        assert_eq!(features.len(), 4);
    }

    #[test]
    fn a_large_collection_split_at_wrong_guesses_reads_as_serde_reads_it() {
        // Properties holding arrays of objects and strings with `},{` make false feature
        // boundaries; the pieces that start there must be found out and parsed again.
        let mut text = String::from(r#"{"type":"FeatureCollection","features":["#);
        for index in 0..4_000 {
            if index > 0 {
                text.push_str(if index % 3 == 0 { ",\n" } else { "," });
            }
            let x = 115.0 + f64::from(index) * 1e-4;
            text.push_str(&format!(
                r#"{{"type":"Feature","properties":{{"id":"B{index}","parts":[{{"a":1}},{{"b":"}},{{"}}],"households":{index},"note":"}} , {{"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},28.5],[{x2},28.5],[{x2},28.6],[{x},28.5]]]}}}}"#,
                x2 = x + 5e-5
            ));
        }
        text.push_str("]}");
        assert!(text.len() > 2 * SMALLEST_SPLIT);
        let (outcome, features) = features_of(&text, &[100_000, 300_000, 1 << 20]);
        assert_eq!(outcome, Streamed::Done);
        assert_eq!(features.len(), 4_000);
        assert_eq!(features, serde_features(&text));
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
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"properties":{}}]}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6]]]}},]}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,1e999]]]}}]}"#,
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"a\":\"tab\there\"}}]}",
        ] {
            assert_eq!(features_of(text, &[1, 7]).0, Streamed::NotSimple, "{text}");
        }
    }

    #[test]
    fn a_feature_longer_than_any_building_needs_is_refused_not_copied_block_after_block() {
        let huge = "x".repeat(64 * 1024);
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"id":"ok"}},"geometry":{{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}}},{{"type":"Feature","properties":{{"note":"{huge}"}},"geometry":null}}]}}"#
        );
        let (_folder, path) = written(&text);
        let slots = slots();
        let reading = Reading {
            slots: &slots,
            family: GeometryFamily::Polygons,
        };
        let error = read_in_blocks(&path, reading, 4096, 16 * 1024, &mut |_| Ok(()))
            .expect_err("too long a feature");
        let message = error.to_string();
        assert!(
            message.contains("feature 1") && message.contains("runs on"),
            "{message}"
        );
    }
}
