//! The cache's encoding of one building or street: little-endian numbers, length-prefixed
//! texts and lines, and the checksum every chunk and the header carry.

use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};

use crate::layers::{Building, BuildingLabels, FigureSource, Interner, Street};

/// A fast 64-bit checksum of `bytes` (multiply-rotate over 8-byte words): it catches damage and
/// truncation, not tampering.
pub(super) fn checksum(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0x9e37_79b9_7f4a_7c15 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut value = [0u8; 8];
        value.copy_from_slice(word);
        hash = (hash ^ u64::from_le_bytes(value))
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(29);
    }
    for byte in words.remainder() {
        hash = (hash ^ u64::from(*byte))
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(29);
    }
    hash
}

pub(super) fn write_building(writer: &mut Writer, building: &Building) {
    writer.text(&building.source_id);
    writer.length(building.footprint.0.len());
    for polygon in &building.footprint {
        writer.length(1 + polygon.interiors().len());
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            writer.line(ring);
        }
    }
    writer.coord(building.representative_point);
    writer.f64(building.footprint_area_m2);
    writer.f64(building.floors);
    let flags = u8::from(building.residential)
        | (u8::from(building.households_source == FigureSource::Estimate) << 1)
        | (u8::from(building.residents_source == FigureSource::Estimate) << 2);
    writer.bytes.push(flags);
    writer.u32(building.households);
    writer.u32(building.residents);
    for text in [
        building.building_use.as_deref(),
        building.estate(),
        building.work_unit(),
        building.name(),
    ] {
        writer.optional_text(text);
    }
}

pub(super) fn read_building(reader: &mut Reader<'_>, uses: &mut Interner) -> Option<Building> {
    let source_id = Box::from(reader.text()?);
    let polygon_count = reader.length()?;
    let mut polygons = Vec::with_capacity(polygon_count.min(1024));
    for _ in 0..polygon_count {
        let ring_count = reader.length()?;
        let exterior = reader.line()?;
        let interiors = (1..ring_count)
            .map(|_| reader.line())
            .collect::<Option<Vec<_>>>()?;
        polygons.push(Polygon::new(exterior, interiors));
    }
    let representative_point = reader.coord()?;
    let footprint_area_m2 = reader.f64()?;
    let floors = reader.f64()?;
    let flags = reader.take(1)?[0];
    let source = |bit: u8| {
        if flags & bit != 0 {
            FigureSource::Estimate
        } else {
            FigureSource::Data
        }
    };
    Some(Building {
        source_id,
        footprint: MultiPolygon::new(polygons),
        representative_point,
        footprint_area_m2,
        floors,
        residential: flags & 1 != 0,
        households: reader.u32()?,
        households_source: source(2),
        residents: reader.u32()?,
        residents_source: source(4),
        building_use: reader.optional_text()?.map(|text| uses.intern(&text)),
        labels: BuildingLabels {
            estate: reader.optional_text()?,
            work_unit: reader.optional_text()?,
            name: reader.optional_text()?,
        }
        .boxed(),
    })
}

pub(super) fn write_street(writer: &mut Writer, street: &Street) {
    writer.text(&street.source_id);
    writer.length(street.lines.0.len());
    for line in &street.lines {
        writer.line(line);
    }
    writer.optional_text(street.class.as_deref());
    writer.optional_text(street.name.as_deref());
}

pub(super) fn read_street(reader: &mut Reader<'_>, _uses: &mut Interner) -> Option<Street> {
    let source_id = reader.text()?.to_owned();
    let line_count = reader.length()?;
    let lines = (0..line_count)
        .map(|_| reader.line())
        .collect::<Option<Vec<_>>>()?;
    Some(Street {
        source_id,
        lines: MultiLineString::new(lines),
        class: reader.optional_text()?,
        name: reader.optional_text()?,
    })
}

/// Little-endian encoding into a growing buffer.
#[derive(Default)]
pub(super) struct Writer {
    pub(super) bytes: Vec<u8>,
}

impl Writer {
    pub(super) fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub(super) fn u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub(super) fn f64(&mut self, value: f64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// Lengths and counts within one feature or header fit 32 bits (a cache refuses more).
    pub(super) fn length(&mut self, length: usize) {
        self.u32(u32::try_from(length).unwrap_or(u32::MAX));
    }

    pub(super) fn text(&mut self, text: &str) {
        self.length(text.len());
        self.bytes.extend_from_slice(text.as_bytes());
    }

    /// `u32::MAX` stands for none.
    pub(super) fn optional_text(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.text(text),
            None => self.u32(u32::MAX),
        }
    }

    pub(super) fn coord(&mut self, coord: Coord<f64>) {
        self.f64(coord.x);
        self.f64(coord.y);
    }

    pub(super) fn line(&mut self, line: &LineString<f64>) {
        self.length(line.0.len());
        for coord in &line.0 {
            self.coord(*coord);
        }
    }
}

/// Decoding that answers `None` rather than reading past the end.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    pub(super) fn is_at_end(&self) -> bool {
        self.bytes.is_empty()
    }

    pub(super) fn take(&mut self, count: usize) -> Option<&'a [u8]> {
        if count > self.bytes.len() {
            return None;
        }
        let (taken, rest) = self.bytes.split_at(count);
        self.bytes = rest;
        Some(taken)
    }

    pub(super) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    pub(super) fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    pub(super) fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    pub(super) fn f64(&mut self) -> Option<f64> {
        self.array().map(f64::from_le_bytes)
    }

    /// A length, no longer than what is left to read (so a damaged length cannot ask for a
    /// huge allocation).
    pub(super) fn length(&mut self) -> Option<usize> {
        let length = usize::try_from(self.u32()?).ok()?;
        (length <= self.bytes.len()).then_some(length)
    }

    pub(super) fn text(&mut self) -> Option<&'a str> {
        let length = self.length()?;
        std::str::from_utf8(self.take(length)?).ok()
    }

    pub(super) fn optional_text(&mut self) -> Option<Option<String>> {
        let mut peek = Reader { bytes: self.bytes };
        if peek.u32()? == u32::MAX {
            self.bytes = peek.bytes;
            return Some(None);
        }
        self.text().map(|text| Some(text.to_owned()))
    }

    pub(super) fn coord(&mut self) -> Option<Coord<f64>> {
        Some(Coord {
            x: self.f64()?,
            y: self.f64()?,
        })
    }

    pub(super) fn line(&mut self) -> Option<LineString<f64>> {
        let count = self.length()?;
        let coords = (0..count)
            .map(|_| self.coord())
            .collect::<Option<Vec<_>>>()?;
        Some(LineString::new(coords))
    }
}
