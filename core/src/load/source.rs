//! How each layer file is read: its coordinate system (given, declared in a GeoJSON's `crs`
//! member or a Shapefile's `.prj`, else WGS 84) and, for a Shapefile, its text encoding.

use std::path::Path;

use encoding_rs::Encoding;

use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::io::esri_json::{declared_system as esri_declared_system, is_esri_json, read_esri_json};
use crate::io::geojson::RawFeature;
use crate::io::geojson::declared_crs;
use crate::io::geopackage::{declared_system, geopackage_of, read_geopackage};
use crate::io::register::RegisterSpec;
use crate::io::shapefile::{EncodingSource, encoding_for_label, is_shapefile, read_shapefile};
use crate::io::warnings::{LoadWarning, WarningCollector};
use crate::lang::Words;

/// What reading one layer file takes besides its path.
#[derive(Debug, Clone, Copy, Default)]
pub struct LayerReading<'a> {
    /// Its coordinate system, when it is not WGS 84 longitude/latitude.
    pub crs: Option<&'a Crs>,
    /// A Shapefile's text encoding, when the planner chose one.
    pub encoding: Option<&'static Encoding>,
}

/// Everything that says how the layers are read besides their paths and fields.
#[derive(Debug, Clone, Copy)]
pub struct LayerSources<'a> {
    /// The layers' coordinate systems.
    pub systems: &'a LayerSystems,
    /// The Shapefile layers' text encodings.
    pub encodings: &'a LayerEncodings,
    /// A household register joined to the buildings.
    pub register: Option<&'a RegisterSpec>,
}

/// A layer read whole (a Shapefile or a GeoPackage table) rather than streamed like GeoJSON.
#[derive(Debug, Clone)]
pub struct WholeLayer {
    /// Its features in order, positions in its own system.
    pub features: Vec<RawFeature>,
    /// A Shapefile's text encoding and where it came from.
    pub encoding: Option<(&'static str, EncodingSource)>,
    /// What reading it found worth saying (curves densified).
    pub warnings: Vec<LoadWarning>,
}

/// The first `most` features of the layer at `path` when it is a Shapefile or a GeoPackage
/// (`FILE.gpkg[:TABLE]`); `None` for GeoJSON, which is streamed.
pub fn read_whole_layer(
    path: &Path,
    encoding: Option<&'static Encoding>,
    most: usize,
) -> Result<Option<WholeLayer>> {
    if is_shapefile(path) {
        let layer = read_shapefile(path, encoding, most)?;
        return Ok(Some(WholeLayer {
            features: layer.features,
            encoding: Some((layer.encoding.name(), layer.encoding_source)),
            warnings: Vec::new(),
        }));
    }
    if geopackage_of(path).is_some() {
        return Ok(Some(WholeLayer {
            features: read_geopackage(path, most)?,
            encoding: None,
            warnings: Vec::new(),
        }));
    }
    if is_esri_json(path) {
        let layer = read_esri_json(path, most)?;
        let mut warnings = WarningCollector::new(path);
        if layer.curved_features > 0 {
            warnings.add_file_problem(
                Words::new(
                    "含圆弧，已加密为折线，与曲线相差不超过 0.1 米",
                    "have circular arcs, densified to at most 0.1 m from the curve",
                ),
                Words::new(
                    "无需处理：边界沿圆弧走。",
                    "Nothing to do: the boundaries follow their arcs.",
                ),
                layer.curved_features,
            );
        }
        if layer.approximated_features > 0 {
            warnings.add_file_problem(
                Words::new(
                    "含椭圆弧或贝塞尔曲线，按端点之间的直线读取",
                    "have elliptic or Bézier curves, read as straight segments between their ends",
                ),
                Words::new(
                    "请在来源 GIS 中加密曲线（ArcGIS：Densify）后重新导出。",
                    "Densify the curves in the GIS they come from (ArcGIS: Densify) and export again.",
                ),
                layer.approximated_features,
            );
        }
        return Ok(Some(WholeLayer {
            features: layer.features,
            encoding: None,
            warnings: warnings.finish(),
        }));
    }
    Ok(None)
}

/// The text encodings of the layers' attribute tables, where the planner chose them (a
/// Shapefile's own `.cpg` or detection decides otherwise).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LayerEncodings {
    /// The buildings layer's.
    pub buildings: Option<&'static Encoding>,
    /// The streets layer's.
    pub streets: Option<&'static Encoding>,
    /// The community boundaries'.
    pub communities: Option<&'static Encoding>,
}

impl LayerEncodings {
    /// Encodings from `LAYER=ENCODING` assignments, as `--encoding buildings=gbk` gives them.
    pub fn from_assignments(assignments: &[String]) -> std::result::Result<Self, String> {
        let mut encodings = Self::default();
        for assignment in assignments {
            let Some((layer, label)) = assignment.split_once('=') else {
                return Err(format!(
                    "\"{assignment}\" is not LAYER=ENCODING: write e.g. buildings=gbk"
                ));
            };
            let encoding = encoding_of(label)?;
            let slot = match layer.trim() {
                "buildings" => &mut encodings.buildings,
                "streets" => &mut encodings.streets,
                "communities" => &mut encodings.communities,
                other => {
                    return Err(format!(
                        "\"{other}\" is no layer: the layers are buildings, streets and communities"
                    ));
                }
            };
            *slot = Some(encoding);
        }
        Ok(encodings)
    }
}

/// An encoding by its label (`utf-8`, `gbk`, `gb18030`, `cp936`…), or why not.
pub fn encoding_of(label: &str) -> std::result::Result<&'static Encoding, String> {
    encoding_for_label(label).ok_or_else(|| {
        format!("\"{label}\" is no text encoding shequ knows: use utf-8, gbk or gb18030")
    })
}

/// The coordinate systems of the layers, where they are given; a layer without one is WGS 84
/// longitude/latitude, or what its file declares.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayerSystems {
    /// The buildings layer's.
    pub buildings: Option<Crs>,
    /// The streets layer's.
    pub streets: Option<Crs>,
    /// The community boundaries' (a layer of existing boundaries).
    pub communities: Option<Crs>,
}

impl LayerSystems {
    /// Systems from `LAYER=CRS` assignments, as `--crs buildings=EPSG:4527` gives them.
    pub fn from_assignments(assignments: &[String]) -> std::result::Result<Self, String> {
        let mut systems = Self::default();
        for assignment in assignments {
            let Some((layer, text)) = assignment.split_once('=') else {
                return Err(format!(
                    "\"{assignment}\" is not LAYER=CRS: write e.g. buildings=EPSG:4527"
                ));
            };
            let crs = Crs::parse(text).map_err(|error| format!("{layer}: {error}"))?;
            let slot = match layer.trim() {
                "buildings" => &mut systems.buildings,
                "streets" => &mut systems.streets,
                "communities" => &mut systems.communities,
                other => {
                    return Err(format!(
                        "\"{other}\" is no layer: the layers are buildings, streets and communities"
                    ));
                }
            };
            *slot = Some(crs);
        }
        Ok(systems)
    }
}

/// The system of the layer at `path`: `given`, else the one its file declares (a Shapefile's
/// `.prj`, a GeoJSON's legacy `crs` member), else none — WGS 84 longitude/latitude, which needs
/// no change.
pub fn system_of(path: &Path, given: Option<&Crs>) -> Result<Option<Crs>> {
    let prj = path.with_extension("prj");
    let crs = match given {
        Some(crs) => crs.clone(),
        None if is_shapefile(path) && prj.exists() => {
            Crs::from_file(&prj).map_err(|error| Error::Layer {
                path: path.to_path_buf(),
                problem: format!("{error}. Give the layer's system with --crs."),
            })?
        }
        None if geopackage_of(path).is_some() => match declared_system(path)? {
            Some(declared) => Crs::parse(&declared).map_err(|error| Error::Layer {
                path: path.to_path_buf(),
                problem: format!(
                    "the table's coordinate system {declared} cannot be used: {error}. Give the layer's system with --crs."
                ),
            })?,
            None => return Ok(None),
        },
        None if is_esri_json(path) => match esri_declared_system(path) {
            Some(declared) => Crs::parse(&declared).map_err(|error| Error::Layer {
                path: path.to_path_buf(),
                problem: format!(
                    "the layer's spatialReference {declared} cannot be used: {error}. Give the layer's system with --crs."
                ),
            })?,
            None => return Ok(None),
        },
        None => match declared_crs(path) {
            Some(declared) => Crs::parse(&declared).map_err(|error| Error::Layer {
                path: path.to_path_buf(),
                problem: format!(
                    "the file declares the coordinate system {declared}, which cannot be used: {error}. Give the layer's system with --crs."
                ),
            })?,
            None => return Ok(None),
        },
    };
    Ok((!crs.is_wgs84()).then_some(crs))
}

/// A warning for a layer in a system whose positions may land off (Xi'an 80 or Beijing 54
/// without the city's datum shift).
pub fn caution_of(path: &Path, crs: Option<&Crs>, warnings: &mut Vec<LoadWarning>) {
    if let Some((crs, caution)) = crs.and_then(|crs| Some((crs, crs.caution()?))) {
        let mut collector = WarningCollector::new(path);
        collector.add_file_problem(
            Words::new(
                format!("使用 {}，不含本市的基准转换", crs.name()),
                format!("are in {} without the city's datum shift", crs.name()),
            ),
            caution,
            1,
        );
        warnings.extend(collector.finish());
    }
}
