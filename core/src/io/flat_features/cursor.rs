//! The cursor of the flat reader: bytes, whitespace, strings, numbers and the members of one
//! feature, stopping with [`Stop::Unusual`] at anything serde must read instead.

use std::ops::Range;

use serde_json::Value;

use super::{
    GeometryFamily, Kept, MAX_SKIPPED_DEPTH, Parse, ParsedFeature, ParsedFeatures, PropertySlots,
    Stop,
};
use crate::io::geojson::Position;
/// A position in the text being parsed.
pub(super) struct Cursor<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
    pub(super) family: GeometryFamily,
}

fn is_digit(byte: Option<&u8>) -> bool {
    byte.is_some_and(u8::is_ascii_digit)
}

fn text(bytes: &[u8]) -> Parse<&str> {
    std::str::from_utf8(bytes).map_err(|_| Stop::Unusual)
}

/// Exactly what serde makes of a value's text.
fn serde_value(bytes: &[u8]) -> Parse<Value> {
    serde_json::from_slice(bytes).map_err(|_| Stop::Unusual)
}

/// Powers of ten a double holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A coordinate's value, correctly rounded (as serde reads it with `float_roundtrip`). Digits
/// that fit a double's mantissa, divided by an exact power of ten, are one correctly rounded
/// division (Clinger's fast path); anything longer goes to the standard library's parser.
fn coordinate(number: &[u8]) -> Parse<f64> {
    let (negative, digits) = match number.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, number),
    };
    let mut mantissa: u64 = 0;
    let mut fraction_digits = 0usize;
    let mut in_fraction = false;
    let mut significant = 0usize;
    for &byte in digits {
        match byte {
            b'.' => in_fraction = true,
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(byte - b'0');
                significant += usize::from(mantissa != 0);
                fraction_digits += usize::from(in_fraction);
                if significant > 15 {
                    return slow_coordinate(number);
                }
            }
            // An exponent: rare in coordinates, and serde refuses some that overflow.
            _ => return Err(Stop::Unusual),
        }
    }
    let Some(power) = EXACT_POWERS_OF_TEN.get(fraction_digits) else {
        return slow_coordinate(number);
    };
    let magnitude = mantissa as f64 / power;
    Ok(if negative { -magnitude } else { magnitude })
}

fn slow_coordinate(number: &[u8]) -> Parse<f64> {
    let value: f64 = text(number)?.parse().map_err(|_| Stop::Unusual)?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Stop::Unusual)
    }
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Parse<u8> {
        self.bytes.get(self.at).copied().ok_or(Stop::End)
    }

    pub(super) fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    pub(super) fn next_non_space(&mut self) -> Parse<u8> {
        self.skip_space();
        self.peek()
    }

    fn expect(&mut self, byte: u8) -> Parse<()> {
        if self.next_non_space()? == byte {
            self.at += 1;
            Ok(())
        } else {
            Err(Stop::Unusual)
        }
    }

    /// After a member or element: true for a comma (more follow), false for `close`.
    fn more(&mut self, close: u8) -> Parse<bool> {
        let byte = self.next_non_space()?;
        self.at += 1;
        match byte {
            b',' => Ok(true),
            _ if byte == close => Ok(false),
            _ => Err(Stop::Unusual),
        }
    }

    /// A string at the cursor (which is at its opening quote): its raw contents and whether it
    /// holds an escape.
    fn string(&mut self) -> Parse<(&'a [u8], bool)> {
        if self.next_non_space()? != b'"' {
            return Err(Stop::Unusual);
        }
        let start = self.at + 1;
        let mut index = start;
        let mut escaped = false;
        loop {
            match *self.bytes.get(index).ok_or(Stop::End)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    index += 2;
                }
                0..=0x1F => return Err(Stop::Unusual),
                _ => index += 1,
            }
        }
        self.at = index + 1;
        Ok((&self.bytes[start..index], escaped))
    }

    /// A key without escapes, as text, followed by its colon.
    fn key(&mut self) -> Parse<&'a [u8]> {
        let (key, escaped) = self.string()?;
        if escaped {
            return Err(Stop::Unusual);
        }
        text(key)?;
        self.expect(b':')?;
        Ok(key)
    }

    /// A string skipped: checked as serde checks it.
    fn skip_string(&mut self) -> Parse<()> {
        let start = self.at;
        let (contents, escaped) = self.string()?;
        if escaped {
            serde_json::from_slice::<serde::de::IgnoredAny>(&self.bytes[start..self.at])
                .map_err(|_| Stop::Unusual)?;
        } else {
            text(contents)?;
        }
        Ok(())
    }

    fn literal(&mut self, word: &[u8]) -> Parse<()> {
        let available = &self.bytes[self.at..];
        if available.starts_with(word) {
            self.at += word.len();
            Ok(())
        } else if word.starts_with(available) {
            Err(Stop::End)
        } else {
            Err(Stop::Unusual)
        }
    }

    /// A number's text, by the JSON grammar.
    fn number(&mut self) -> Parse<&'a [u8]> {
        let bytes = self.bytes;
        let start = self.at;
        let mut index = start;
        if bytes.get(index) == Some(&b'-') {
            index += 1;
        }
        match bytes.get(index) {
            Some(b'0') => index += 1,
            Some(b'1'..=b'9') => {
                while is_digit(bytes.get(index)) {
                    index += 1;
                }
            }
            Some(_) => return Err(Stop::Unusual),
            None => return Err(Stop::End),
        }
        // One digit or more, from `index` on: where they end.
        let digits = |mut index: usize| -> Parse<usize> {
            let first = index;
            while is_digit(bytes.get(index)) {
                index += 1;
            }
            match (index > first, index >= bytes.len()) {
                (true, _) => Ok(index),
                (false, true) => Err(Stop::End),
                (false, false) => Err(Stop::Unusual),
            }
        };
        if bytes.get(index) == Some(&b'.') {
            index = digits(index + 1)?;
        }
        if let Some(b'e' | b'E') = bytes.get(index) {
            index += 1;
            if let Some(b'+' | b'-') = bytes.get(index) {
                index += 1;
            }
            index = digits(index)?;
        }
        if index >= bytes.len() {
            // The number may go on in the next block.
            return Err(Stop::End);
        }
        self.at = index;
        Ok(&bytes[start..index])
    }

    /// Any JSON value, checked and passed over.
    pub(super) fn skip_value(&mut self, depth: u32) -> Parse<()> {
        if depth > MAX_SKIPPED_DEPTH {
            return Err(Stop::Unusual);
        }
        match self.next_non_space()? {
            b'"' => self.skip_string(),
            b'{' => self.object(|cursor| {
                cursor.skip_string()?;
                cursor.expect(b':')?;
                cursor.skip_value(depth + 1)
            }),
            b'[' => self.array(|cursor| cursor.skip_value(depth + 1)),
            b'n' => self.literal(b"null"),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'-' | b'0'..=b'9' => self.number().map(|_| ()),
            _ => Err(Stop::Unusual),
        }
    }

    /// A value kept: what serde would make of it, held as plainly as it can be.
    fn value(&mut self, out: &mut ParsedFeatures) -> Parse<Kept> {
        let start = self.at;
        match self.next_non_space()? {
            b'"' => {
                let quoted = self.at;
                let (contents, escaped) = self.string()?;
                if escaped {
                    match serde_value(&self.bytes[quoted..self.at])? {
                        Value::String(text) => {
                            let start = ParsedFeatures::count(out.texts.len())?;
                            out.texts.push_str(&text);
                            Ok(Kept::Text(start, ParsedFeatures::count(out.texts.len())?))
                        }
                        _ => Err(Stop::Unusual),
                    }
                } else {
                    let start = ParsedFeatures::count(out.texts.len())?;
                    out.texts.push_str(text(contents)?);
                    Ok(Kept::Text(start, ParsedFeatures::count(out.texts.len())?))
                }
            }
            b'n' => self.literal(b"null").map(|()| Kept::Null),
            b't' => self.literal(b"true").map(|()| Kept::Flag(true)),
            b'f' => self.literal(b"false").map(|()| Kept::Flag(false)),
            b'-' | b'0'..=b'9' => {
                let number = self.number()?;
                // A plain count fits a u64, as serde reads it; anything else serde reads itself.
                if number.len() <= 19 && number.iter().all(u8::is_ascii_digit) {
                    Ok(Kept::Count(number.iter().fold(0u64, |count, digit| {
                        count * 10 + u64::from(digit - b'0')
                    })))
                } else {
                    out.keep_json(serde_value(number)?)
                }
            }
            _ => {
                self.skip_value(1)?;
                out.keep_json(serde_value(&self.bytes[start..self.at])?)
            }
        }
    }

    /// A feature object (the cursor at its `{`), added to `out`.
    pub(super) fn feature(
        &mut self,
        slots: &PropertySlots,
        out: &mut ParsedFeatures,
        keep_keys: bool,
    ) -> Parse<()> {
        let values_start = ParsedFeatures::count(out.values.len())?;
        let mut id: Option<Kept> = None;
        let mut polygons: Option<Option<Range<u32>>> = None;
        let mut saw_properties = false;
        let mut saw_type = false;
        self.object(|cursor| {
            match cursor.key()? {
                // RFC 7946 requires the type, and the `geojson` crate (which reads the features
                // this reader hands on) refuses a feature without it.
                b"type" if !saw_type => {
                    saw_type = true;
                    if cursor.string()? != (b"Feature", false) {
                        return Err(Stop::Unusual);
                    }
                }
                b"id" if id.is_none() => id = Some(cursor.value(out)?),
                b"properties" if !saw_properties => {
                    saw_properties = true;
                    cursor.properties(slots, out, keep_keys)?;
                }
                b"geometry" if polygons.is_none() => polygons = Some(cursor.geometry(out)?),
                // A repeated member: serde refuses it.
                b"type" | b"id" | b"properties" | b"geometry" => return Err(Stop::Unusual),
                _ => cursor.skip_value(1)?,
            }
            Ok(())
        })?;
        if !saw_type {
            return Err(Stop::Unusual);
        }
        if keep_keys && !saw_properties {
            out.first_keys = Some(Vec::new());
        }
        out.features.push(ParsedFeature::Flat {
            id: id.unwrap_or(Kept::Null),
            polygons: polygons.flatten(),
            values: values_start..ParsedFeatures::count(out.values.len())?,
        });
        Ok(())
    }

    fn properties(
        &mut self,
        slots: &PropertySlots,
        out: &mut ParsedFeatures,
        keep_keys: bool,
    ) -> Parse<()> {
        let mut keys = keep_keys.then(Vec::new);
        match self.next_non_space()? {
            b'n' => self.literal(b"null")?,
            b'{' => self.object(|cursor| {
                let key = cursor.key()?;
                match slots.slot_of(key) {
                    Some(slot) => {
                        let value = cursor.value(out)?;
                        out.values.push((slot, value));
                    }
                    None => cursor.skip_value(2)?,
                }
                if let Some(keys) = keys.as_mut() {
                    let key = text(key)?.to_owned();
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
                Ok(())
            })?,
            _ => return Err(Stop::Unusual),
        }
        if keys.is_some() {
            out.first_keys = keys;
        }
        Ok(())
    }

    /// A geometry: `null`, or one of the family's types, the type before the coordinates. The
    /// polygons it added to `out` (a line is a polygon of one ring, a MultiLineString one
    /// polygon of several).
    fn geometry(&mut self, out: &mut ParsedFeatures) -> Parse<Option<Range<u32>>> {
        if self.next_non_space()? == b'n' {
            self.literal(b"null")?;
            return Ok(None);
        }
        let mut kind: Option<&[u8]> = None;
        let mut polygons: Option<Range<u32>> = None;
        self.object(|cursor| {
            match cursor.key()? {
                b"type" if kind.is_none() => {
                    let (name, escaped) = cursor.string()?;
                    kind = match (cursor.family, name, escaped) {
                        (GeometryFamily::Polygons, b"Polygon" | b"MultiPolygon", false)
                        | (GeometryFamily::Lines, b"LineString" | b"MultiLineString", false) => {
                            Some(name)
                        }
                        _ => return Err(Stop::Unusual),
                    };
                }
                b"coordinates" if polygons.is_none() => {
                    let first = ParsedFeatures::count(out.polygon_ends.len())?;
                    match kind {
                        Some(b"Polygon" | b"MultiLineString") => cursor.rings(out)?,
                        Some(b"LineString") => {
                            cursor.ring(out)?;
                            out.polygon_ends
                                .push(ParsedFeatures::count(out.ring_ends.len())?);
                        }
                        Some(_) => cursor.array(|cursor| cursor.rings(out))?,
                        None => return Err(Stop::Unusual),
                    }
                    polygons = Some(first..ParsedFeatures::count(out.polygon_ends.len())?);
                }
                // Repeated members, and a collection's members, are for serde.
                b"type" | b"coordinates" | b"geometries" => return Err(Stop::Unusual),
                _ => cursor.skip_value(3)?,
            }
            Ok(())
        })?;
        polygons.ok_or(Stop::Unusual).map(Some)
    }

    /// An object or array (the cursor before its `open`) whose members or elements `each` reads
    /// one after another (a member from its key on); the cursor ends after `close`.
    fn sequence(
        &mut self,
        open: u8,
        close: u8,
        mut each: impl FnMut(&mut Self) -> Parse<()>,
    ) -> Parse<()> {
        self.expect(open)?;
        if self.next_non_space()? == close {
            self.at += 1;
            return Ok(());
        }
        loop {
            each(self)?;
            if !self.more(close)? {
                return Ok(());
            }
        }
    }

    /// An object whose members `each` reads.
    fn object(&mut self, each: impl FnMut(&mut Self) -> Parse<()>) -> Parse<()> {
        self.sequence(b'{', b'}', each)
    }

    /// An array whose elements `each` reads.
    fn array(&mut self, each: impl FnMut(&mut Self) -> Parse<()>) -> Parse<()> {
        self.sequence(b'[', b']', each)
    }

    /// One polygon's rings.
    fn rings(&mut self, out: &mut ParsedFeatures) -> Parse<()> {
        self.array(|cursor| cursor.ring(out))?;
        out.polygon_ends
            .push(ParsedFeatures::count(out.ring_ends.len())?);
        Ok(())
    }

    fn ring(&mut self, out: &mut ParsedFeatures) -> Parse<()> {
        self.array(|cursor| cursor.position(out))?;
        out.ring_ends
            .push(ParsedFeatures::count(out.positions.len())?);
        Ok(())
    }

    /// `[longitude, latitude, …]`: anything after the latitude is passed over.
    fn position(&mut self, out: &mut ParsedFeatures) -> Parse<()> {
        self.expect(b'[')?;
        self.skip_space();
        let longitude = coordinate(self.number()?)?;
        self.expect(b',')?;
        self.skip_space();
        let latitude = coordinate(self.number()?)?;
        while self.more(b']')? {
            self.skip_value(5)?;
        }
        out.positions.push(Position {
            longitude,
            latitude,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_read_exactly_as_the_standard_parser_reads_them() {
        for number in [
            "115.7229623",
            "-0.5",
            "0",
            "28.533723",
            "179.99999999999999",
            "0.000000000000000000000001",
            "12345678901234567890",
            "-33.8688197",
            "1.0000000000000002",
        ] {
            let expected: f64 = number.parse().expect("a number");
            assert_eq!(
                coordinate(number.as_bytes()).map(f64::to_bits),
                Ok(expected.to_bits()),
                "{number}"
            );
        }
        assert_eq!(coordinate(b"1e5"), Err(Stop::Unusual));
    }
}
