//! Coordinate reference systems of district data, to and from WGS 84 longitude/latitude: EPSG
//! codes (CGCS2000 geographic and Gauss-Krüger 3°/6° zones with and without the zone prefix,
//! Xi'an 80, Beijing 54, UTM, Web Mercator — every code of the EPSG registry through
//! `crs-definitions`), PROJ strings and WKT (a city's own local grid included) through the pure
//! Rust `proj4rs` and `proj4wkt`, and the Chinese web-map systems GCJ-02 and BD-09.
//!
//! CGCS2000 is taken as WGS 84. Their ellipsoids differ by 0.1 mm (the flattening by 1e-11) and
//! their frames agreed within a few centimetres at epoch 2000; a position measured in WGS 84
//! today also carries the plate motion since then, about 3 cm a year in East China (some 0.8 m
//! by 2026). Layers in one system are unaffected; layers mixing the two can be off by that much,
//! far below a building's width.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use proj4rs::Proj;

use crate::lang::Words;

/// Why a coordinate system could not be taken.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CrsError {
    /// Not a form this module reads.
    #[error(
        "\"{0}\" is no coordinate system shequ knows: give EPSG:N (e.g. EPSG:4547), gcj02, bd09, a PROJ string (+proj=tmerc …) or a .prj/WKT file"
    )]
    Unknown(String),
    /// An EPSG code the registry does not have.
    #[error("EPSG:{0} is not in the EPSG registry shequ carries")]
    UnknownCode(u32),
    /// A PROJ string, or the PROJ string made from a WKT, that proj4rs refused.
    #[error("the coordinate system \"{definition}\" cannot be used: {problem}")]
    Definition {
        /// The definition as given.
        definition: String,
        /// What was wrong.
        problem: String,
    },
    /// A `.prj`/WKT file that could not be read.
    #[error("{path}: {problem}")]
    File {
        /// The file.
        path: String,
        /// What went wrong.
        problem: String,
    },
}

/// True for a PROJ string of longitude/latitude in degrees from Greenwich on the WGS 84 or the
/// GRS 80 (CGCS2000) ellipsoid with no datum shift: the systems taken as they are.
fn is_plain_lon_lat(proj_string: &str) -> bool {
    let mut plain_earth = false;
    let (mut semi_major, mut inverse_flattening) = (None, None);
    for parameter in proj_string.split_whitespace() {
        let parameter = parameter.trim_start_matches('+');
        let (key, value) = parameter.split_once('=').unwrap_or((parameter, ""));
        match key {
            "proj" if matches!(value, "longlat" | "latlong" | "lonlat" | "latlon") => {}
            "datum" if value.eq_ignore_ascii_case("WGS84") => plain_earth = true,
            "ellps" if matches!(value, "WGS84" | "GRS80") => plain_earth = true,
            "towgs84"
                if value
                    .split(',')
                    .all(|number| number.trim().parse() == Ok(0.0)) => {}
            "a" => semi_major = value.parse::<f64>().ok(),
            "rf" => inverse_flattening = value.parse::<f64>().ok(),
            "pm" if matches!(value, "greenwich" | "0") => {}
            "no_defs" | "type" | "wktext" => {}
            "units" | "axis" if matches!(value, "degrees" | "enu") => {}
            _ => return false,
        }
    }
    // WGS 84's ellipsoid, or GRS 80's (CGCS2000's differs from it by 0.1 mm), by its figures.
    let ellipsoid_by_figures = match (semi_major, inverse_flattening) {
        (None, None) => None,
        (Some(semi_major), Some(inverse_flattening)) => Some(
            semi_major == 6_378_137.0
                && [298.257_223_563, 298.257_222_101, 298.257_222_100_882_7]
                    .iter()
                    .any(|known| (inverse_flattening - known).abs() < 1e-6),
        ),
        _ => Some(false),
    };
    ellipsoid_by_figures.unwrap_or(plain_earth)
}

/// What a coordinate system does with positions.
#[derive(Clone)]
enum Kind {
    /// WGS 84 (or CGCS2000) longitude/latitude: positions are taken as they are.
    LonLat,
    /// GCJ-02, the offset datum of Amap and Tencent maps.
    Gcj02,
    /// BD-09, Baidu's offset of GCJ-02.
    Bd09,
    /// Anything `proj4rs` handles, with WGS 84 as the other end.
    Proj {
        source: Box<Proj>,
        wgs84: Box<Proj>,
        /// Angles in radians at this end (a geographic system on another datum).
        geographic: bool,
    },
}

/// A coordinate reference system, with the name it was given by.
#[derive(Clone)]
pub struct Crs {
    kind: Kind,
    name: String,
    /// Why positions in it may be off, when they may be (a datum without its shift to WGS 84).
    caution: Option<Words>,
    /// Its WKT, for a `.prj` or a GeoPackage (an EPSG code's from the registry, or the WKT it
    /// was given as).
    wkt: Option<String>,
}

impl fmt::Debug for Crs {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.name)
    }
}

impl PartialEq for Crs {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// Xi'an 80 and Beijing 54 systems: their shift to WGS 84 is a city's own 3 or 7 parameters.
const LOCAL_DATUM_CAUTION: Words = Words {
    chinese: Cow::Borrowed(
        "不含本市基准转换参数（+towgs84=…）的西安80 / 北京54 坐标会偏差数十米：请加上测绘部门使用的 3 参数或 7 参数",
    ),
    english: Cow::Borrowed(
        "Xi'an 80 / Beijing 54 coordinates without the city's own datum shift (+towgs84=…) land tens of metres off: add the 3 or 7 parameters your surveying office uses",
    ),
};

/// EPSG codes of Xi'an 1980 and Beijing 1954 Gauss-Krüger systems (and their geographic ones).
fn is_local_datum_code(code: u32) -> bool {
    matches!(code, 2327..=2442 | 4214 | 4610 | 21413..=21423 | 21453..=21463 | 21473..=21483)
}

impl Crs {
    /// WGS 84 longitude/latitude.
    pub fn wgs84() -> Self {
        Self {
            kind: Kind::LonLat,
            name: "EPSG:4326".to_owned(),
            caution: None,
            wkt: None,
        }
    }

    /// Reads a coordinate system as a planner gives it: `EPSG:N` (followed, if wanted, by PROJ
    /// parameters such as `+towgs84=…`), `gcj02`, `bd09`, `wgs84`, `cgcs2000`, a PROJ string, a
    /// WKT text, or the path of a `.prj`/`.wkt` file holding one.
    pub fn parse(text: &str) -> Result<Self, CrsError> {
        let trimmed = text.trim();
        let lower = trimmed.to_ascii_lowercase();
        match lower.replace(['-', '_', ' '], "").as_str() {
            "wgs84" | "epsg:4326" | "cgcs2000" | "epsg:4490" | "crs84" => {
                return Ok(Self {
                    kind: Kind::LonLat,
                    name: if lower.contains("4490") || lower.contains("cgcs") {
                        "EPSG:4490".to_owned()
                    } else {
                        "EPSG:4326".to_owned()
                    },
                    caution: None,
                    wkt: None,
                });
            }
            "gcj02" => {
                return Ok(Self {
                    kind: Kind::Gcj02,
                    name: "GCJ-02".to_owned(),
                    caution: None,
                    wkt: None,
                });
            }
            "bd09" => {
                return Ok(Self {
                    kind: Kind::Bd09,
                    name: "BD-09".to_owned(),
                    caution: None,
                    wkt: None,
                });
            }
            _ => {}
        }
        if let Some(rest) = strip_prefix_ignoring_case(trimmed, "epsg:") {
            let (code, extra) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let code: u32 = code
                .trim()
                .parse()
                .map_err(|_| CrsError::Unknown(trimmed.to_owned()))?;
            return Self::from_epsg(code, extra.trim());
        }
        if trimmed.starts_with('+') {
            return Self::from_proj_string(trimmed, trimmed.to_owned(), None);
        }
        if looks_like_wkt(trimmed) {
            return Self::from_wkt(trimmed);
        }
        let path = Path::new(trimmed);
        let is_definition_file = path.extension().is_some_and(|extension| {
            extension.eq_ignore_ascii_case("prj") || extension.eq_ignore_ascii_case("wkt")
        });
        if is_definition_file {
            return Self::from_file(path);
        }
        Err(CrsError::Unknown(trimmed.to_owned()))
    }

    /// The system of an EPSG code, with any PROJ parameters added (`+towgs84=…`).
    pub fn from_epsg(code: u32, extra_parameters: &str) -> Result<Self, CrsError> {
        if matches!(code, 4326 | 4490) && extra_parameters.is_empty() {
            return Self::parse(&format!("EPSG:{code}"));
        }
        let definition = u16::try_from(code)
            .ok()
            .and_then(crs_definitions::from_code)
            .ok_or(CrsError::UnknownCode(code))?;
        let mut proj_string = definition.proj4.to_owned();
        if !extra_parameters.is_empty() {
            proj_string = format!("{proj_string} {extra_parameters}");
        }
        let name = if extra_parameters.is_empty() {
            format!("EPSG:{code}")
        } else {
            format!("EPSG:{code} {extra_parameters}")
        };
        let caution = (is_local_datum_code(code) && !extra_parameters.contains("towgs84"))
            .then_some(LOCAL_DATUM_CAUTION);
        let mut crs = Self::from_proj_string(&proj_string, name, caution)?;
        crs.wkt = Some(definition.wkt.to_owned());
        Ok(crs)
    }

    fn from_proj_string(
        proj_string: &str,
        name: String,
        caution: Option<Words>,
    ) -> Result<Self, CrsError> {
        let refused = |problem: String| CrsError::Definition {
            definition: name.clone(),
            problem,
        };
        let source =
            Proj::from_proj_string(proj_string).map_err(|error| refused(error.to_string()))?;
        let wgs84 = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs")
            .map_err(|error| refused(error.to_string()))?;
        let geographic = source.is_latlong();
        if geographic && is_plain_lon_lat(proj_string) {
            // WGS 84 or CGCS2000 longitude/latitude however it is spelled (an Esri `.prj`'s
            // GCS_WGS_1984): positions need no change, and none is made.
            return Ok(Self {
                kind: Kind::LonLat,
                name,
                caution,
                wkt: None,
            });
        }
        Ok(Self {
            kind: Kind::Proj {
                source: Box::new(source),
                wgs84: Box::new(wgs84),
                geographic,
            },
            name,
            caution,
            wkt: None,
        })
    }

    fn from_wkt(wkt: &str) -> Result<Self, CrsError> {
        // A WKT naming its EPSG code is read through the registry's own definition.
        if let Some(code) = wkt_epsg_code(wkt)
            && let Ok(crs) = Self::from_epsg(code, "")
        {
            return Ok(crs);
        }
        let proj_string =
            proj4wkt::wkt_to_projstring(wkt).map_err(|error| CrsError::Definition {
                definition: wkt_name(wkt),
                problem: error.to_string(),
            })?;
        let name = wkt_name(wkt);
        let caution = (name.contains("Xian") || name.contains("Beijing"))
            .then_some(LOCAL_DATUM_CAUTION)
            .filter(|_| !proj_string.contains("towgs84"));
        let mut crs = Self::from_proj_string(&proj_string, name, caution)?;
        crs.wkt = Some(wkt.to_owned());
        Ok(crs)
    }

    /// The system of a `.prj` or `.wkt` file.
    pub fn from_file(path: &Path) -> Result<Self, CrsError> {
        let file_error = |problem: String| CrsError::File {
            path: path.display().to_string(),
            problem,
        };
        let bytes = std::fs::read(path).map_err(|error| file_error(error.to_string()))?;
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim().trim_start_matches('\u{feff}');
        if text.is_empty() {
            return Err(file_error("the file is empty".to_owned()));
        }
        Self::parse(text).map_err(|error| file_error(error.to_string()))
    }

    /// The name it was given by (`EPSG:4547`, `GCJ-02`, a WKT's name, a PROJ string).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True for WGS 84 / CGCS2000 longitude/latitude, where positions need no change.
    pub fn is_wgs84(&self) -> bool {
        matches!(self.kind, Kind::LonLat)
    }

    /// The system as WKT (for a `.prj` or a GeoPackage), when it has one: an EPSG code's, the
    /// WKT it was read from, WGS 84's or CGCS2000's; `None` for GCJ-02, BD-09 and PROJ strings.
    pub fn wkt(&self) -> Option<String> {
        match &self.kind {
            Kind::LonLat => {
                let code = if self.name == "EPSG:4490" { 4490 } else { 4326 };
                crs_definitions::from_code(code).map(|definition| definition.wkt.to_owned())
            }
            _ => self.wkt.clone(),
        }
    }

    /// The EPSG code it was named by, if any.
    pub fn epsg_code(&self) -> Option<u32> {
        self.name
            .strip_prefix("EPSG:")
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|code| code.parse().ok())
    }

    /// Why positions in this system may land off, when they may.
    pub fn caution(&self) -> Option<Words> {
        self.caution.clone()
    }

    /// A position in this system as WGS 84 longitude/latitude; `None` when it cannot be (outside
    /// the projection's domain, or not finite).
    pub fn to_wgs84(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let (longitude, latitude) = match &self.kind {
            Kind::LonLat => (x, y),
            Kind::Gcj02 => gcj02_to_wgs84(x, y),
            Kind::Bd09 => {
                let (longitude, latitude) = bd09_to_gcj02(x, y);
                gcj02_to_wgs84(longitude, latitude)
            }
            Kind::Proj {
                source,
                wgs84,
                geographic,
            } => {
                let mut point = if *geographic {
                    (x.to_radians(), y.to_radians(), 0.0)
                } else {
                    (x, y, 0.0)
                };
                proj4rs::transform::transform(source, wgs84, &mut point).ok()?;
                (point.0.to_degrees(), point.1.to_degrees())
            }
        };
        (longitude.is_finite() && latitude.is_finite()).then_some((longitude, latitude))
    }

    /// A WGS 84 longitude/latitude in this system; `None` when it cannot be.
    pub fn from_wgs84(&self, longitude: f64, latitude: f64) -> Option<(f64, f64)> {
        let (x, y) = match &self.kind {
            Kind::LonLat => (longitude, latitude),
            Kind::Gcj02 => wgs84_to_gcj02(longitude, latitude),
            Kind::Bd09 => {
                let (x, y) = wgs84_to_gcj02(longitude, latitude);
                gcj02_to_bd09(x, y)
            }
            Kind::Proj {
                source,
                wgs84,
                geographic,
            } => {
                let mut point = (longitude.to_radians(), latitude.to_radians(), 0.0);
                proj4rs::transform::transform(wgs84, source, &mut point).ok()?;
                if *geographic {
                    (point.0.to_degrees(), point.1.to_degrees())
                } else {
                    (point.0, point.1)
                }
            }
        };
        (x.is_finite() && y.is_finite()).then_some((x, y))
    }
}

fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn looks_like_wkt(text: &str) -> bool {
    let upper = text.trim_start().to_ascii_uppercase();
    [
        "PROJCS[",
        "GEOGCS[",
        "PROJCRS[",
        "GEOGCRS[",
        "GEODCRS[",
        "COMPD_CS[",
        "COMPOUNDCRS[",
    ]
    .iter()
    .any(|start| upper.starts_with(start))
}

/// The EPSG code a WKT names for itself: the last `AUTHORITY["EPSG","N"]` (or WKT2 `ID["EPSG",N]`)
/// at the outermost level, which is the code of the whole system.
fn wkt_epsg_code(wkt: &str) -> Option<u32> {
    let compact: String = wkt
        .chars()
        .filter(|character| !character.is_whitespace())
        .collect();
    let upper = compact.to_ascii_uppercase();
    let start = upper
        .rfind("AUTHORITY[\"EPSG\",")
        .map(|at| at + "AUTHORITY[\"EPSG\",".len())
        .or_else(|| {
            upper
                .rfind("ID[\"EPSG\",")
                .map(|at| at + "ID[\"EPSG\",".len())
        })?;
    // Only the outermost authority names the whole system: nothing but closing brackets after.
    let after = &compact[start..];
    let end = after.find(']')?;
    if !after[end..].chars().all(|character| character == ']') {
        return None;
    }
    after[..end].trim_matches('"').parse().ok()
}

/// A WKT's own name (its first quoted text).
fn wkt_name(wkt: &str) -> String {
    wkt.split('"').nth(1).unwrap_or("WKT").to_owned()
}

/// A guess at what projected coordinates are, for the message that asks for the system: the
/// easting's zone prefix of a CGCS2000 Gauss-Krüger 3° or 6° zone, or plain projected metres.
pub fn guess_projected(easting: f64, northing: f64) -> String {
    let zone = (easting / 1_000_000.0).floor();
    let in_zone = easting - zone * 1_000_000.0;
    let plausible_northing = (0.0..6_500_000.0).contains(&northing);
    if plausible_northing && (100_000.0..900_000.0).contains(&in_zone) {
        let zone = zone as u32;
        if (25..=45).contains(&zone) {
            // 3° zones 25–45 are EPSG:4513–4533; central meridian 3 × zone.
            return format!(
                "values look like CGCS2000 3-degree Gauss-Krüger zone {zone} metres (EPSG:{}, central meridian {}°E)",
                4513 + zone - 25,
                3 * zone
            );
        }
        if (13..=23).contains(&zone) {
            // 6° zones 13–23 are EPSG:4491–4501; central meridian 6 × zone − 3.
            return format!(
                "values look like CGCS2000 6-degree Gauss-Krüger zone {zone} metres (EPSG:{}, central meridian {}°E)",
                4491 + zone - 13,
                6 * zone - 3
            );
        }
        if zone == 0 {
            return "values look like projected metres without a zone prefix, e.g. a CGCS2000 Gauss-Krüger zone by its central meridian (EPSG:4534–4554) or a city grid: name the coordinate system".to_owned();
        }
    }
    "values look like projected metres: name the coordinate system".to_owned()
}

// GCJ-02 and BD-09, as the published algorithm defines them (identity outside China's box).

const GCJ_SEMI_MAJOR: f64 = 6_378_245.0;
const GCJ_ECCENTRICITY_SQUARED: f64 = 0.006_693_421_622_965_943;

fn outside_china(longitude: f64, latitude: f64) -> bool {
    !(72.004..=137.8347).contains(&longitude) || !(0.8293..=55.8271).contains(&latitude)
}

fn gcj_latitude_offset(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut offset = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    offset += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    offset += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    offset += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    offset
}

fn gcj_longitude_offset(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut offset = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    offset += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    offset += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    offset += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    offset
}

/// WGS 84 to GCJ-02.
pub fn wgs84_to_gcj02(longitude: f64, latitude: f64) -> (f64, f64) {
    use std::f64::consts::PI;
    if outside_china(longitude, latitude) {
        return (longitude, latitude);
    }
    let latitude_offset = gcj_latitude_offset(longitude - 105.0, latitude - 35.0);
    let longitude_offset = gcj_longitude_offset(longitude - 105.0, latitude - 35.0);
    let radians = latitude / 180.0 * PI;
    let magic = 1.0 - GCJ_ECCENTRICITY_SQUARED * radians.sin() * radians.sin();
    let root = magic.sqrt();
    let latitude_shift = latitude_offset * 180.0
        / ((GCJ_SEMI_MAJOR * (1.0 - GCJ_ECCENTRICITY_SQUARED)) / (magic * root) * PI);
    let longitude_shift = longitude_offset * 180.0 / (GCJ_SEMI_MAJOR / root * radians.cos() * PI);
    (longitude + longitude_shift, latitude + latitude_shift)
}

/// GCJ-02 to WGS 84 by iterating the forward transform until it lands on the given position
/// (within 1e-10°, about a hundredth of a millimetre).
pub fn gcj02_to_wgs84(longitude: f64, latitude: f64) -> (f64, f64) {
    invert(wgs84_to_gcj02, longitude, latitude)
}

const BD_FACTOR: f64 = std::f64::consts::PI * 3000.0 / 180.0;

/// GCJ-02 to BD-09.
pub fn gcj02_to_bd09(longitude: f64, latitude: f64) -> (f64, f64) {
    let radius = longitude.hypot(latitude) + 0.000_02 * (latitude * BD_FACTOR).sin();
    let angle = latitude.atan2(longitude) + 0.000_003 * (longitude * BD_FACTOR).cos();
    (radius * angle.cos() + 0.0065, radius * angle.sin() + 0.006)
}

/// BD-09 to GCJ-02, by iterating the forward transform.
pub fn bd09_to_gcj02(longitude: f64, latitude: f64) -> (f64, f64) {
    invert(gcj02_to_bd09, longitude, latitude)
}

fn invert(forward: fn(f64, f64) -> (f64, f64), longitude: f64, latitude: f64) -> (f64, f64) {
    let mut guess = (longitude, latitude);
    for _ in 0..30 {
        let (x, y) = forward(guess.0, guess.1);
        let (dx, dy) = (x - longitude, y - latitude);
        guess = (guess.0 - dx, guess.1 - dy);
        if dx.abs() < 1e-10 && dy.abs() < 1e-10 {
            break;
        }
    }
    guess
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(found: (f64, f64), expected: (f64, f64), tolerance: f64) -> bool {
        (found.0 - expected.0).abs() <= tolerance && (found.1 - expected.1).abs() <= tolerance
    }

    #[test]
    fn wgs84_and_cgcs2000_longitude_latitude_need_no_change_however_they_are_spelled() {
        let plain = [
            r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#,
            r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#,
            "+proj=longlat +datum=WGS84 +no_defs",
            "+proj=longlat +ellps=GRS80 +towgs84=0,0,0 +no_defs",
            "EPSG:4326",
            "EPSG:4490",
        ];
        for text in plain {
            let crs = Crs::parse(text).expect("a system");
            assert!(crs.is_wgs84(), "{text} is WGS 84 as it stands");
            assert_eq!(crs.to_wgs84(115.9, 28.68), Some((115.9, 28.68)));
        }
        for text in [
            "+proj=longlat +ellps=krass +towgs84=15.8,-154.4,-82.3 +no_defs",
            "+proj=longlat +datum=WGS84 +pm=paris +no_defs",
        ] {
            assert!(
                !Crs::parse(text).expect("a system").is_wgs84(),
                "{text} moves positions"
            );
        }
    }

    #[test]
    fn transverse_mercator_matches_the_epsg_guidance_example() {
        // EPSG Guidance Note 7-2, Transverse Mercator (OSGB 1936 / British National Grid):
        // 50°30'N 0°30'E is E 577274.99, N 69740.50.
        let grid = Crs::parse(
            "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +units=m",
        )
        .expect("a PROJ string");
        let projected = grid.from_wgs84(0.5, 50.5).expect("projects");
        assert!(
            close(projected, (577_274.99, 69_740.50), 0.01),
            "{projected:?}"
        );
        let back = grid.to_wgs84(577_274.99, 69_740.50).expect("back");
        assert!(close(back, (0.5, 50.5), 1e-7), "{back:?}");
    }

    #[test]
    fn lambert_conformal_conic_matches_the_epsg_guidance_example() {
        // EPSG Guidance Note 7-2, LCC 2SP (NAD27 / Texas South Central, US survey feet):
        // 28°30'N 96°W is E 2963503.91, N 254759.80 ftUS.
        let texas = Crs::parse(
            "+proj=lcc +lat_1=28.3833333333333 +lat_2=30.2833333333333 +lat_0=27.8333333333333 +lon_0=-99 +x_0=609601.2192024384 +y_0=0 +ellps=clrk66 +units=us-ft",
        )
        .expect("a PROJ string");
        let projected = texas.from_wgs84(-96.0, 28.5).expect("projects");
        assert!(
            close(projected, (2_963_503.91, 254_759.80), 0.05),
            "{projected:?}"
        );
    }

    #[test]
    fn web_mercator_matches_the_epsg_guidance_example() {
        // EPSG Guidance Note 7-2, Popular Visualisation Pseudo-Mercator:
        // 24°22'54.433"N 100°20'W is E -11169055.58, N 2800000.00.
        let mercator = Crs::parse("EPSG:3857").expect("a code");
        let latitude = 24.0 + 22.0 / 60.0 + 54.433 / 3600.0;
        let projected = mercator
            .from_wgs84(-(100.0 + 20.0 / 60.0), latitude)
            .expect("projects");
        assert!(
            close(projected, (-11_169_055.58, 2_800_000.00), 0.01),
            "{projected:?}"
        );
    }

    #[test]
    fn cgcs2000_gauss_kruger_zones_agree_with_and_without_the_zone_prefix() {
        // Nanchang, 115.9°E 28.68°N: 3° zone 39 (central meridian 117°E).
        let prefixed = Crs::parse("EPSG:4527").expect("zone 39");
        let plain = Crs::parse("epsg:4548").expect("CM 117E");
        let (easting, northing) = prefixed.from_wgs84(115.9, 28.68).expect("projects");
        let (plain_easting, plain_northing) = plain.from_wgs84(115.9, 28.68).expect("projects");
        assert!((easting - 39_000_000.0 - plain_easting).abs() < 1e-6);
        assert!((northing - plain_northing).abs() < 1e-6);
        // West of the central meridian, about 107.5 km (1.1° of longitude at 28.7°N).
        assert!(
            (plain_easting - 392_500.0).abs() < 1_000.0,
            "{plain_easting}"
        );
        let back = prefixed.to_wgs84(easting, northing).expect("back");
        assert!(close(back, (115.9, 28.68), 1e-9), "{back:?}");
        // 6° zone 20 (central meridian 117°E) gives the same metres with its own prefix.
        let six = Crs::parse("EPSG:4498").expect("6-degree zone 20");
        let (six_easting, _) = six.from_wgs84(115.9, 28.68).expect("projects");
        assert!((six_easting - 20_000_000.0 - plain_easting).abs() < 1e-6);
    }

    #[test]
    fn a_city_grid_is_read_from_wkt_and_from_a_prj_file() {
        let wkt = r#"PROJCS["Nanchang city grid",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",115.8],PARAMETER["scale_factor",1],PARAMETER["false_easting",50000],PARAMETER["false_northing",-3000000],UNIT["metre",1]]"#;
        let grid = Crs::parse(wkt).expect("a WKT");
        assert_eq!(grid.name(), "Nanchang city grid");
        let (easting, northing) = grid.from_wgs84(115.8, 28.68).expect("projects");
        assert!((easting - 50_000.0).abs() < 1e-6, "{easting}");
        assert!(northing > 0.0 && northing < 300_000.0, "{northing}");
        let folder = tempfile::tempdir().expect("folder");
        let file = folder.path().join("buildings.prj");
        std::fs::write(&file, wkt).expect("write");
        let from_file = Crs::parse(&file.to_string_lossy()).expect("a .prj file");
        assert_eq!(
            from_file.from_wgs84(115.8, 28.68),
            Some((easting, northing))
        );
    }

    #[test]
    fn a_wkt_naming_its_epsg_code_is_read_through_the_registry() {
        let wkt = r#"PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 114E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",114],PARAMETER["false_easting",500000],UNIT["metre",1],AUTHORITY["EPSG","4547"]]"#;
        assert_eq!(Crs::parse(wkt).expect("a WKT").name(), "EPSG:4547");
    }

    #[test]
    fn gcj02_and_bd09_match_published_values_and_round_trip_within_a_centimetre() {
        // The values the published algorithm gives for Tiananmen (as in its reference
        // implementations).
        let gcj = wgs84_to_gcj02(116.404, 39.915);
        assert!(
            close(gcj, (116.410_244_499_169_38, 39.916_404_281_501_64), 1e-9),
            "{gcj:?}"
        );
        let bd = gcj02_to_bd09(116.404, 39.915);
        assert!(
            close(bd, (116.410_369_493_710_29, 39.921_336_993_510_22), 1e-9),
            "{bd:?}"
        );
        // One centimetre is about 9e-8 degrees.
        let mut seed = 7u64;
        for _ in 0..200 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let longitude = 74.0 + (seed >> 11) as f64 / (1u64 << 53) as f64 * 60.0;
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let latitude = 18.0 + (seed >> 11) as f64 / (1u64 << 53) as f64 * 35.0;
            for crs in [Crs::parse("gcj02"), Crs::parse("BD-09")] {
                let crs = crs.expect("known");
                let (x, y) = crs.from_wgs84(longitude, latitude).expect("forward");
                let back = crs.to_wgs84(x, y).expect("inverse");
                assert!(close(back, (longitude, latitude), 9e-8), "{crs:?} {back:?}");
            }
        }
        // Outside China the offset is none.
        assert_eq!(wgs84_to_gcj02(-8.61, 41.15), (-8.61, 41.15));
    }

    #[test]
    fn xian_80_without_its_datum_shift_carries_a_caution_and_with_it_none() {
        let bare = Crs::parse("EPSG:2383").expect("Xi'an 80 CM 114E");
        assert!(
            bare.caution()
                .is_some_and(|text| text.english.contains("tens of metres"))
        );
        let shifted = Crs::parse("EPSG:2383 +towgs84=24,-123,-94,0.02,-0.25,-0.13,1.1")
            .expect("with the city's parameters");
        assert_eq!(shifted.caution(), None);
        let (a, b) = (
            bare.to_wgs84(500_000.0, 3_170_000.0),
            shifted.to_wgs84(500_000.0, 3_170_000.0),
        );
        let (a, b) = (a.expect("bare"), b.expect("shifted"));
        // The shift moves the position by metres to tens of metres (1e-4° is about 10 m).
        assert!((a.0 - b.0).abs() + (a.1 - b.1).abs() > 1e-5, "{a:?} {b:?}");
    }

    #[test]
    fn projected_values_are_guessed_by_their_zone_prefix() {
        assert!(guess_projected(39_392_500.0, 3_173_000.0).contains("EPSG:4527"));
        assert!(guess_projected(20_392_500.0, 3_173_000.0).contains("EPSG:4498"));
        assert!(guess_projected(392_500.0, 3_173_000.0).contains("without a zone prefix"));
        assert!(guess_projected(12_900_000.0, 3_340_000.0).contains("name the coordinate system"));
    }

    #[test]
    fn unknown_forms_and_codes_are_named_in_the_error() {
        assert!(matches!(
            Crs::parse("mercator please"),
            Err(CrsError::Unknown(_))
        ));
        assert!(matches!(
            Crs::parse("EPSG:99999"),
            Err(CrsError::UnknownCode(99999))
        ));
        let missing = Crs::parse("/nowhere/layer.prj").expect_err("no such file");
        assert!(
            missing.to_string().contains("/nowhere/layer.prj"),
            "{missing}"
        );
        assert!(Crs::parse("+proj=nonsense").is_err());
    }
}
