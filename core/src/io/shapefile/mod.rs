//! Shapefile layers: the `.shp` with its `.shx` index and `.dbf` table (the `shapefile` and
//! `dbase` crates), its `.prj` coordinate system and `.cpg` code page when present. A district
//! office's `.dbf` text is often GBK with no `.cpg`: the encoding is the one given, else the
//! `.cpg`'s, else the dBASE language-driver byte's, else detected (valid UTF-8 is UTF-8, anything
//! else GB18030, the superset of GBK). Field names are decoded with it too.
//!
//! Features come out as [`RawFeature`]s with positions in the layer's own coordinate system,
//! ring order as the `shapefile` crate reads it (outer rings clockwise, holes counter-clockwise,
//! each hole given to the outer ring that holds it).

use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::io::flat_features::json_number;
use crate::io::geojson::{Position, RawFeature, RawGeometry, lines_of, polygons_of, positions_of};

mod flat;
mod records;

pub use flat::{RunSizes, read_shapefile_flat};
use records::{DbfValue, OpenShapefile, read_dbf_start, trim_padding};

/// True when `path` names a Shapefile (by its `.shp` extension).
pub fn is_shapefile(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("shp"))
}

/// Where a `.dbf`'s encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    /// The planner chose it.
    Given,
    /// The `.cpg` file beside the layer.
    CodePageFile,
    /// The `.dbf` header's language-driver byte.
    LanguageDriver,
    /// Detected from the text itself.
    Detected,
}

/// An encoding by the names planners and GIS files use: `utf-8`, `gbk`, `gb2312`, `gb18030`,
/// `cp936`, `936`, `65001`, `ANSI 936`…
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_start_matches('\u{feff}');
    let lower = label.to_ascii_lowercase();
    let digits = lower
        .trim_start_matches("ansi")
        .trim_start_matches("cp")
        .trim();
    match digits {
        "936" | "54936" => return Some(encoding_rs::GB18030),
        "65001" => return Some(encoding_rs::UTF_8),
        "950" => return Some(encoding_rs::BIG5),
        _ => {}
    }
    let encoding = Encoding::for_label(lower.as_bytes())?;
    // The GBK decoder of the Encoding Standard reads GB18030 too; GB18030 writes every text.
    Some(if encoding == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        encoding
    })
}

/// The `.dbf` beside `shp`, and a clear error when a companion file is missing.
fn companion(shp: &Path, extension: &str, what: &str) -> Result<PathBuf> {
    let path = shp.with_extension(extension);
    let upper = shp.with_extension(extension.to_ascii_uppercase());
    if path.exists() {
        Ok(path)
    } else if upper.exists() {
        Ok(upper)
    } else {
        Err(Error::Layer {
            path: shp.to_path_buf(),
            problem: format!(
                "the {what} ({}) beside it is missing. Copy all of the layer's files together (.shp, .shx, .dbf, and .prj and .cpg when there are).",
                path.file_name()
                    .map(|name| name.to_string_lossy())
                    .unwrap_or_default()
            ),
        })
    }
}

fn read_error(path: &Path, problem: impl std::fmt::Display) -> Error {
    Error::Layer {
        path: path.to_path_buf(),
        problem: format!(
            "{problem}. Export the layer again, or open it in QGIS to see what is wrong."
        ),
    }
}

/// The language-driver bytes of Chinese code pages (ESRI's table: 0x4D is code page 936).
fn encoding_of_language_driver(byte: u8) -> Option<&'static Encoding> {
    match byte {
        0x4D | 0x7A => Some(encoding_rs::GB18030),
        0x4F | 0x78 => Some(encoding_rs::BIG5),
        _ => None,
    }
}

/// The encoding of the layer's text and where it came from.
pub fn dbf_encoding(
    shp: &Path,
    given: Option<&'static Encoding>,
) -> Result<(&'static Encoding, EncodingSource)> {
    if let Some(encoding) = given {
        return Ok((encoding, EncodingSource::Given));
    }
    let cpg = companion(shp, "cpg", "code page file").ok();
    if let Some(label) = cpg.and_then(|cpg| std::fs::read_to_string(cpg).ok())
        && let Some(encoding) = encoding_for_label(&label)
    {
        return Ok((encoding, EncodingSource::CodePageFile));
    }
    let start = read_dbf_start(&companion(shp, "dbf", "attribute table")?)?;
    if let Some(encoding) = encoding_of_language_driver(start.language_driver) {
        return Ok((encoding, EncodingSource::LanguageDriver));
    }
    let names: Vec<u8> = start
        .descriptors
        .iter()
        .flat_map(|descriptor| descriptor.raw_name.iter().copied())
        .collect();
    // The sample may end inside a character: only the bytes before the last whole record count.
    let text_is_utf8 = |bytes: &[u8]| match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(error) => error.error_len().is_none(),
    };
    let encoding = if text_is_utf8(&names) && text_is_utf8(&start.records) {
        encoding_rs::UTF_8
    } else {
        encoding_rs::GB18030
    };
    Ok((encoding, EncodingSource::Detected))
}

/// The first values of the layer's text fields as stored, decoded as UTF-8 and as GB18030, so
/// that a planner sees which reading is right: `(field, as UTF-8, as GB18030)`.
pub fn text_samples(shp: &Path, most: usize) -> Result<Vec<(String, String, String)>> {
    let start = read_dbf_start(&companion(shp, "dbf", "attribute table")?)?;
    let mut samples = Vec::new();
    let mut offset = 1; // the deletion flag
    for descriptor in &start.descriptors {
        if descriptor.kind == b'C' {
            for record in 0..most {
                let begin = record * start.record_length + offset;
                let Some(value) = start.records.get(begin..begin + descriptor.length) else {
                    break;
                };
                let value = trim_padding(value);
                if value.iter().any(|byte| !byte.is_ascii()) {
                    samples.push((
                        encoding_rs::GB18030
                            .decode(&descriptor.raw_name)
                            .0
                            .into_owned(),
                        String::from_utf8_lossy(value).into_owned(),
                        encoding_rs::GB18030.decode(value).0.into_owned(),
                    ));
                    break;
                }
            }
        }
        offset += descriptor.length;
        if samples.len() >= most {
            break;
        }
    }
    Ok(samples)
}

/// A Shapefile layer as read.
#[derive(Debug, Clone)]
pub struct ShapefileLayer {
    /// Its features in file order, positions in the layer's own system.
    pub features: Vec<RawFeature>,
    /// The encoding its text was read with.
    pub encoding: &'static Encoding,
    /// Where that encoding came from.
    pub encoding_source: EncodingSource,
}

/// Reads the first `most` features of the Shapefile at `shp` (all of them: `usize::MAX`), its
/// text decoded with `encoding` or the one found as [`dbf_encoding`] says. Records the `.dbf`
/// marks deleted are left out, as GIS tools leave them out.
pub fn read_shapefile(
    shp: &Path,
    encoding: Option<&'static Encoding>,
    most: usize,
) -> Result<ShapefileLayer> {
    /// Records read at a time: a block's bytes are a few hundred kilobytes.
    const BLOCK: usize = 4_096;
    let file = OpenShapefile::open(shp, encoding)?;
    let wanted = file.len().min(most);
    let mut features = Vec::with_capacity(wanted);
    let mut first = 0;
    while first < file.len() && features.len() < wanted {
        let block = file.block(first..(first + BLOCK).min(file.len()))?;
        for offset in 0..block.len() {
            if features.len() == wanted {
                break;
            }
            if block.is_deleted(offset) {
                continue;
            }
            let geometry = geometry_of(block.shape(offset)?).map_err(|problem| Error::Layer {
                path: shp.to_path_buf(),
                problem: format!("record {}: {problem}", first + offset),
            })?;
            let mut properties = Map::new();
            for field in &file.fields {
                properties.insert(field.name.clone(), json_value(block.value(offset, field)?));
            }
            features.push(RawFeature {
                id: None,
                geometry,
                properties,
            });
        }
        first += block.len();
    }
    Ok(ShapefileLayer {
        features,
        encoding: file.encoding,
        encoding_source: file.encoding_source,
    })
}

/// A `.dbf` value as a JSON value: a whole number as an integer, as GeoJSON would hold it.
fn json_value(value: DbfValue<'_>) -> Value {
    match value {
        DbfValue::Null => Value::Null,
        DbfValue::Text(text) => Value::String(text.into_owned()),
        DbfValue::Flag(flag) => Value::Bool(flag),
        DbfValue::Number(number) => json_number(number),
    }
}

/// A shape as a geometry (`None`: a null shape); Z and M are dropped.
fn geometry_of(shape: shapefile::Shape) -> std::result::Result<Option<RawGeometry>, String> {
    use shapefile::Shape;
    let polygons = |result: std::result::Result<geo::MultiPolygon<f64>, _>| {
        result
            .map(polygons_of)
            .map_err(|error: shapefile::Error| format!("a polygon that cannot be read: {error}"))
    };
    let point = |x: f64, y: f64| RawGeometry::Point {
        coordinates: Position {
            longitude: x,
            latitude: y,
        },
    };
    Ok(Some(match shape {
        Shape::NullShape => return Ok(None),
        Shape::Polygon(polygon) => polygons(geo::MultiPolygon::try_from(polygon))?,
        Shape::PolygonM(polygon) => polygons(geo::MultiPolygon::try_from(polygon))?,
        Shape::PolygonZ(polygon) => polygons(geo::MultiPolygon::try_from(polygon))?,
        Shape::Polyline(line) => lines_of(geo::MultiLineString::from(line)),
        Shape::PolylineM(line) => lines_of(geo::MultiLineString::from(line)),
        Shape::PolylineZ(line) => lines_of(geo::MultiLineString::from(line)),
        Shape::Point(at) => point(at.x, at.y),
        Shape::PointM(at) => point(at.x, at.y),
        Shape::PointZ(at) => point(at.x, at.y),
        Shape::Multipoint(points) => RawGeometry::MultiPoint {
            coordinates: positions_of(
                points
                    .points()
                    .iter()
                    .map(|at| geo::coord! {x: at.x, y: at.y}),
            ),
        },
        Shape::MultipointM(points) => RawGeometry::MultiPoint {
            coordinates: positions_of(
                points
                    .points()
                    .iter()
                    .map(|at| geo::coord! {x: at.x, y: at.y}),
            ),
        },
        Shape::MultipointZ(points) => RawGeometry::MultiPoint {
            coordinates: positions_of(
                points
                    .points()
                    .iter()
                    .map(|at| geo::coord! {x: at.x, y: at.y}),
            ),
        },
        Shape::Multipatch(_) => {
            return Err(
                "a MultiPatch (3D surfaces), which a community plan cannot use: export the layer as 2D polygons".to_owned(),
            );
        }
    }))
}
