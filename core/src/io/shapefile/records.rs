//! A Shapefile's records read a block at a time: the `.shx` index says where each shape lies in
//! the `.shp`, the `.dbf` header where each field lies in its fixed-width records. A block is
//! read with two plain reads, so blocks can be read and parsed on all cores at once; a shape is
//! parsed by the `shapefile` crate, a field by [`RecordBlock::value`].
//!
//! The `.dbf` is read here rather than through the `dbase` crate's reader, which builds a map
//! of every field of every record one small read at a time and leaves out deleted records (so
//! that zipping its records with the shapes would give each shape after a deleted record the
//! attributes of the next one). Deleted records are kept in step here and reported as deleted.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use shapefile::{ReadableShape, Shape};

use super::{EncodingSource, companion, dbf_encoding, read_error};
use crate::error::{Error, Result};

/// The main file header's length, in both the `.shp` and the `.shx`.
const MAIN_HEADER_BYTES: u64 = 100;
/// An index entry: the record's offset and content length, each in 16-bit words.
const INDEX_ENTRY_BYTES: usize = 8;
/// A shape record's header: its number and content length.
const RECORD_HEADER_BYTES: usize = 8;

/// One field of the `.dbf`: its name (decoded), type letter and place in a record.
#[derive(Debug, Clone)]
pub(crate) struct DbfField {
    /// The name, decoded with the layer's encoding.
    pub name: String,
    /// The dBASE type letter (`C`, `N`, `F`, `L`, `D`, `I`, `O`, `B`, `Y`, `T`, `M`…).
    kind: u8,
    /// Where the field begins in a record (after the deletion flag).
    offset: usize,
    length: usize,
}

/// A value of a `.dbf` field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DbfValue<'a> {
    /// Blank.
    Null,
    /// A text, trimmed.
    Text(Cow<'a, str>),
    /// A number.
    Number(f64),
    /// A logical value.
    Flag(bool),
}

/// A Shapefile opened for reading: its index, its table's layout and its encoding.
#[derive(Debug)]
pub(crate) struct OpenShapefile {
    /// The `.shp`.
    pub shp: PathBuf,
    /// The `.dbf`.
    pub dbf: PathBuf,
    /// The encoding its text is read with.
    pub encoding: &'static Encoding,
    /// Where that encoding came from.
    pub encoding_source: EncodingSource,
    /// The `.dbf` fields in record order.
    pub fields: Vec<DbfField>,
    /// Each record's byte offset in the `.shp` and content length in bytes.
    index: Vec<(u64, usize)>,
    shp_length: u64,
    table_start: u64,
    record_length: usize,
}

impl OpenShapefile {
    /// Opens the Shapefile at `shp`, its text decoded with `encoding` or the one found as
    /// [`dbf_encoding`] says. Errors name a missing companion file, a damaged header or index,
    /// and shape and record counts that disagree.
    pub fn open(shp: &Path, encoding: Option<&'static Encoding>) -> Result<Self> {
        let shx = companion(shp, "shx", "index")?;
        let dbf = companion(shp, "dbf", "attribute table")?;
        let (encoding, encoding_source) = dbf_encoding(shp, encoding)?;
        let shp_length = std::fs::metadata(shp)
            .map_err(|error| read_error(shp, error))?
            .len();
        let header = read_exact_at(shp, 0, MAIN_HEADER_BYTES as usize)
            .map_err(|error| read_error(shp, format!("the header cannot be read: {error}")))?;
        if i32::from_be_bytes([header[0], header[1], header[2], header[3]]) != 9994 {
            return Err(read_error(
                shp,
                "the file does not begin as a Shapefile does",
            ));
        }
        let index = read_index(&shx)?;
        let (table_start, record_length, record_count, fields) = read_table_layout(&dbf, encoding)?;
        if index.len() != record_count {
            return Err(Error::Layer {
                path: shp.to_path_buf(),
                problem: format!(
                    "the .shp holds {} shapes but the .dbf {record_count} records: the files come from different exports. Export the layer again, all of its files together.",
                    index.len()
                ),
            });
        }
        Ok(Self {
            shp: shp.to_path_buf(),
            dbf,
            encoding,
            encoding_source,
            fields,
            index,
            shp_length,
            table_start,
            record_length,
        })
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// The field called `name`, if the table has one.
    pub fn field(&self, name: &str) -> Option<&DbfField> {
        self.fields.iter().find(|field| field.name == name)
    }

    /// Reads the records in `range` (within `0..len()`).
    pub fn block(&self, range: Range<usize>) -> Result<RecordBlock<'_>> {
        let entries = &self.index[range.clone()];
        let mut shapes = Vec::new();
        let mut shape_places = Vec::with_capacity(entries.len());
        if let (Some(start), Some(end)) = (
            entries.iter().map(|(offset, _)| *offset).min(),
            entries
                .iter()
                .map(|(offset, length)| offset + (RECORD_HEADER_BYTES + length) as u64)
                .max(),
        ) {
            let needed: u64 = entries
                .iter()
                .map(|(_, length)| (RECORD_HEADER_BYTES + length) as u64)
                .sum();
            if end > self.shp_length {
                let record = range.start
                    + entries
                        .iter()
                        .position(|(offset, length)| {
                            offset + (RECORD_HEADER_BYTES + length) as u64 > self.shp_length
                        })
                        .unwrap_or(0);
                return Err(read_error(
                    &self.shp,
                    format!(
                        "record {record}: the index places it past the end of the .shp (the file is cut short, or the .shx belongs to another export)"
                    ),
                ));
            }
            if end - start <= needed + (1 << 16) {
                // The usual layout: the block's records one after another.
                shapes = read_exact_at(&self.shp, start, (end - start) as usize)
                    .map_err(|error| read_error(&self.shp, error))?;
                shape_places.extend(entries.iter().map(|(offset, length)| {
                    let at = (offset - start) as usize + RECORD_HEADER_BYTES;
                    at..at + length
                }));
            } else {
                // Records scattered through the file: each read on its own.
                for (offset, length) in entries {
                    let record = read_exact_at(&self.shp, *offset, RECORD_HEADER_BYTES + length)
                        .map_err(|error| read_error(&self.shp, error))?;
                    let at = shapes.len() + RECORD_HEADER_BYTES;
                    shapes.extend_from_slice(&record);
                    shape_places.push(at..at + length);
                }
            }
        }
        let table_offset = self.table_start + (range.start * self.record_length) as u64;
        let table = read_exact_at(&self.dbf, table_offset, range.len() * self.record_length)
            .map_err(|error| {
                read_error(
                    &self.dbf,
                    format!("records {}–{}: {error}", range.start, range.end),
                )
            })?;
        Ok(RecordBlock {
            file: self,
            first: range.start,
            shapes,
            shape_places,
            table,
        })
    }
}

/// The records of one block, raw.
pub(crate) struct RecordBlock<'a> {
    file: &'a OpenShapefile,
    first: usize,
    shapes: Vec<u8>,
    shape_places: Vec<Range<usize>>,
    table: Vec<u8>,
}

impl RecordBlock<'_> {
    /// The layer's index of the block's first record.
    pub fn first(&self) -> usize {
        self.first
    }

    /// The `.shp` the records come from.
    pub fn shp(&self) -> &Path {
        &self.file.shp
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.shape_places.len()
    }

    fn record(&self, offset: usize) -> &[u8] {
        let length = self.file.record_length;
        &self.table[offset * length..(offset + 1) * length]
    }

    /// True when the `.dbf` marks the record at `offset` (within the block) deleted: GIS tools
    /// leave such a record's feature out.
    pub fn is_deleted(&self, offset: usize) -> bool {
        self.record(offset).first() == Some(&b'*')
    }

    /// The shape of the record at `offset` (within the block).
    pub fn shape(&self, offset: usize) -> Result<Shape> {
        let place = self.shape_places[offset].clone();
        let length = place.len();
        let mut source = Cursor::new(&self.shapes[place]);
        Shape::read_from(&mut source, length as i32).map_err(|error| {
            read_error(
                &self.file.shp,
                format!("record {}: {error}", self.first + offset),
            )
        })
    }

    /// The value of `field` in the record at `offset` (within the block).
    pub fn value(&self, offset: usize, field: &DbfField) -> Result<DbfValue<'_>> {
        let record = self.record(offset);
        let bytes = record
            .get(field.offset..field.offset + field.length)
            .unwrap_or_default();
        decode_field(bytes, field.kind, self.file.encoding).map_err(|problem| {
            read_error(
                &self.file.dbf,
                format!(
                    "record {}, field {}: {problem}",
                    self.first + offset,
                    field.name
                ),
            )
        })
    }
}

/// Reads `length` bytes of `path` from `offset`.
fn read_exact_at(path: &Path, offset: u64, length: usize) -> std::io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut bytes = vec![0; length];
    file.read_exact(&mut bytes).map_err(|error| {
        if error.kind() == std::io::ErrorKind::UnexpectedEof {
            std::io::Error::new(
                error.kind(),
                "the file ends early: it is cut short or damaged",
            )
        } else {
            error
        }
    })?;
    Ok(bytes)
}

/// The `.shx` entries: each record's byte offset in the `.shp` and content length in bytes.
fn read_index(shx: &Path) -> Result<Vec<(u64, usize)>> {
    let bytes = std::fs::read(shx).map_err(|error| read_error(shx, error))?;
    let entries = bytes
        .get(MAIN_HEADER_BYTES as usize..)
        .ok_or_else(|| read_error(shx, "the index is too short to hold its header"))?;
    if entries.len() % INDEX_ENTRY_BYTES != 0 {
        return Err(read_error(
            shx,
            "the index ends inside an entry: it is cut short",
        ));
    }
    entries
        .chunks_exact(INDEX_ENTRY_BYTES)
        .enumerate()
        .map(|(record, entry)| {
            let offset = i32::from_be_bytes([entry[0], entry[1], entry[2], entry[3]]);
            let length = i32::from_be_bytes([entry[4], entry[5], entry[6], entry[7]]);
            if offset < 50 || length < 2 {
                return Err(read_error(
                    shx,
                    format!("record {record}: the index entry is damaged (offset {offset}, length {length})"),
                ));
            }
            Ok((offset as u64 * 2, length as usize * 2))
        })
        .collect()
}

/// The start of a `.dbf` as stored: its header's figures, its field descriptors and the bytes
/// of its first records.
pub(super) struct DbfStart {
    /// The language-driver byte (29 of the header).
    pub language_driver: u8,
    /// How many records the header counts.
    pub record_count: usize,
    /// Where the records start.
    pub header_length: usize,
    /// The length of one record, its deletion flag included.
    pub record_length: usize,
    /// False when the file ends inside its own header.
    pub header_complete: bool,
    /// The field descriptors in record order.
    pub descriptors: Vec<RawDescriptor>,
    /// The first records (the file's first MiB after the header).
    pub records: Vec<u8>,
}

/// A field descriptor as stored.
pub(super) struct RawDescriptor {
    /// The name's bytes, cut at the first NUL.
    pub raw_name: Vec<u8>,
    /// The dBASE type letter.
    pub kind: u8,
    /// The field's width in bytes.
    pub length: usize,
}

/// The start of the `.dbf` at `dbf`: one MiB holds any header (at most 64 KiB) and the first
/// records, which encoding detection and the dialog's samples read.
pub(super) fn read_dbf_start(dbf: &Path) -> Result<DbfStart> {
    let mut bytes = Vec::new();
    File::open(dbf)
        .and_then(|file| file.take(1 << 20).read_to_end(&mut bytes))
        .map_err(|error| read_error(dbf, error))?;
    if bytes.len() < 32 {
        return Err(read_error(
            dbf,
            "the .dbf is too short to hold a dBASE header",
        ));
    }
    let header_length = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
    let descriptors = bytes[32..bytes.len().min(header_length.max(32))]
        .chunks_exact(32)
        .take_while(|descriptor| descriptor[0] != 0x0D)
        .map(|descriptor| {
            let name_end = descriptor[..11]
                .iter()
                .position(|byte| *byte == 0)
                .unwrap_or(11);
            RawDescriptor {
                raw_name: descriptor[..name_end].to_vec(),
                kind: descriptor[11],
                length: usize::from(descriptor[16]),
            }
        })
        .collect();
    Ok(DbfStart {
        language_driver: bytes[29],
        record_count: u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize,
        header_length,
        header_complete: bytes.len() >= header_length,
        record_length: usize::from(u16::from_le_bytes([bytes[10], bytes[11]])),
        descriptors,
        records: bytes.get(header_length..).unwrap_or_default().to_vec(),
    })
}

/// Where the `.dbf`'s records start, their length and count, and its fields.
fn read_table_layout(
    dbf: &Path,
    encoding: &'static Encoding,
) -> Result<(u64, usize, usize, Vec<DbfField>)> {
    let start = read_dbf_start(dbf)?;
    if !start.header_complete {
        return Err(read_error(
            dbf,
            "the header cannot be read: the file ends early: it is cut short or damaged",
        ));
    }
    let mut fields = Vec::new();
    let mut offset = 1; // the deletion flag
    for descriptor in &start.descriptors {
        // Some writers (the `dbase` crate among them) store names as UTF-8 whatever the text's
        // encoding; Chinese in GBK is practically never valid UTF-8, so such a name is UTF-8.
        let name = match std::str::from_utf8(&descriptor.raw_name) {
            Ok(name) => Cow::Borrowed(name),
            Err(_) => encoding.decode(&descriptor.raw_name).0,
        };
        fields.push(DbfField {
            name: name.trim().to_owned(),
            kind: descriptor.kind,
            offset,
            length: descriptor.length,
        });
        offset += descriptor.length;
    }
    let record_length = start.record_length;
    if fields.is_empty() || offset > record_length || record_length == 0 {
        return Err(read_error(
            dbf,
            "the .dbf header is damaged: its fields do not fit its records",
        ));
    }
    Ok((
        start.header_length as u64,
        record_length,
        start.record_count,
        fields,
    ))
}

/// Bytes without the spaces and NULs that pad them. Fields are mostly padding (an 80-byte name
/// field holding 10 bytes), so whole runs of eight spaces are stepped over at once.
pub(super) fn trim_padding(bytes: &[u8]) -> &[u8] {
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    let is_padding = |byte: &u8| *byte == b' ' || *byte == 0;
    let mut end = bytes.len();
    while end >= 8 && bytes[end - 8..end] == SPACES.to_ne_bytes() {
        end -= 8;
    }
    while end > 0 && is_padding(&bytes[end - 1]) {
        end -= 1;
    }
    let mut start = 0;
    while start + 8 <= end && bytes[start..start + 8] == SPACES.to_ne_bytes() {
        start += 8;
    }
    while start < end && is_padding(&bytes[start]) {
        start += 1;
    }
    &bytes[start..end]
}

/// A field's value from its bytes, as dBASE stores each type.
fn decode_field<'a>(
    bytes: &'a [u8],
    kind: u8,
    encoding: &'static Encoding,
) -> std::result::Result<DbfValue<'a>, String> {
    let number_at = |bytes: &[u8]| -> [u8; 8] {
        let mut eight = [0; 8];
        eight.copy_from_slice(&bytes[..8]);
        eight
    };
    Ok(match kind {
        b'C' => {
            let text = trim_padding(bytes);
            if text.is_empty() {
                DbfValue::Null
            } else {
                let (text, _) = encoding.decode_without_bom_handling(text);
                match text {
                    Cow::Borrowed(text) => DbfValue::Text(Cow::Borrowed(text.trim())),
                    Cow::Owned(text) => DbfValue::Text(Cow::Owned(text.trim().to_owned())),
                }
            }
        }
        b'N' | b'F' => {
            let text = trim_padding(bytes);
            if text.is_empty() || text.iter().all(|byte| *byte == b'*') {
                DbfValue::Null
            } else {
                let text = std::str::from_utf8(text)
                    .map_err(|_| "a number field that holds text".to_owned())?;
                DbfValue::Number(
                    text.trim()
                        .parse()
                        .map_err(|_| format!("\"{text}\" is not a number"))?,
                )
            }
        }
        b'L' => match bytes.first() {
            Some(b'T' | b't' | b'Y' | b'y' | b'1') => DbfValue::Flag(true),
            Some(b'F' | b'f' | b'N' | b'n' | b'0') => DbfValue::Flag(false),
            _ => DbfValue::Null,
        },
        b'D' => {
            let text = trim_padding(bytes);
            match text {
                [y1, y2, y3, y4, m1, m2, d1, d2, ..] if text.iter().all(u8::is_ascii_digit) => {
                    let digits = [*y1, *y2, *y3, *y4, b'-', *m1, *m2, b'-', *d1, *d2];
                    DbfValue::Text(Cow::Owned(String::from_utf8_lossy(&digits).into_owned()))
                }
                _ => DbfValue::Null,
            }
        }
        b'I' if bytes.len() >= 4 => DbfValue::Number(f64::from(i32::from_le_bytes([
            bytes[0], bytes[1], bytes[2], bytes[3],
        ]))),
        b'O' | b'B' if bytes.len() >= 8 => DbfValue::Number(f64::from_le_bytes(number_at(bytes))),
        // Currency: a 64-bit integer scaled by 10,000.
        b'Y' if bytes.len() >= 8 => {
            DbfValue::Number(i64::from_le_bytes(number_at(bytes)) as f64 / 10_000.0)
        }
        b'T' if bytes.len() >= 8 => {
            let day = i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            date_of_julian_day(day).map_or(DbfValue::Null, |date| DbfValue::Text(Cow::Owned(date)))
        }
        // Memo texts live in a .dbt beside the table, which Shapefile tools do not write; a
        // field of a type not known here is left blank rather than guessed.
        _ => DbfValue::Null,
    })
}

/// A Julian day number as `YYYY-MM-DD` (the Fliegel–Van Flandern algorithm); `None` for 0.
fn date_of_julian_day(day: i32) -> Option<String> {
    if day <= 0 {
        return None;
    }
    let l = i64::from(day) + 68_569;
    let n = 4 * l / 146_097;
    let l = l - (146_097 * n + 3) / 4;
    let i = 4_000 * (l + 1) / 1_461_001;
    let l = l - 1_461 * i / 4 + 31;
    let j = 80 * l / 2_447;
    let day_of_month = l - 2_447 * j / 80;
    let l = j / 11;
    let month = j + 2 - 12 * l;
    let year = 100 * (n - 49) + i + l;
    Some(format!("{year:04}-{month:02}-{day_of_month:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_is_trimmed_on_both_sides_whatever_its_length() {
        for (padded, trimmed) in [
            (&b"                  12"[..], &b"12"[..]),
            (b"abc                      ", b"abc"),
            (b"  a b  \0\0", b"a b"),
            (b"", b""),
            (b"                ", b""),
            (b"\0\0\0", b""),
            (b"x", b"x"),
        ] {
            assert_eq!(trim_padding(padded), trimmed);
        }
    }

    #[test]
    fn julian_day_numbers_give_their_calendar_dates() {
        assert_eq!(date_of_julian_day(2_451_545).as_deref(), Some("2000-01-01"));
        assert_eq!(date_of_julian_day(2_460_646).as_deref(), Some("2024-12-01"));
        assert_eq!(date_of_julian_day(0), None);
    }

    #[test]
    fn fields_decode_as_dbase_stores_each_type() {
        let gbk = encoding_rs::GB18030;
        assert_eq!(
            decode_field(b"  12.50 ", b'N', gbk),
            Ok(DbfValue::Number(12.5))
        );
        assert_eq!(decode_field(b"********", b'N', gbk), Ok(DbfValue::Null));
        assert!(decode_field(b"  abc   ", b'N', gbk).is_err());
        assert_eq!(
            decode_field(b"\xd5\xc2\xbd\xad   ", b'C', gbk),
            Ok(DbfValue::Text(Cow::Owned("章江".to_owned())))
        );
        assert_eq!(decode_field(b"        ", b'C', gbk), Ok(DbfValue::Null));
        assert_eq!(
            decode_field(b"20241201", b'D', gbk),
            Ok(DbfValue::Text(Cow::Owned("2024-12-01".to_owned())))
        );
        assert_eq!(
            decode_field(&(-7i32).to_le_bytes(), b'I', gbk),
            Ok(DbfValue::Number(-7.0))
        );
        assert_eq!(decode_field(b"?", b'L', gbk), Ok(DbfValue::Null));
        assert_eq!(decode_field(b"T", b'L', gbk), Ok(DbfValue::Flag(true)));
    }
}
