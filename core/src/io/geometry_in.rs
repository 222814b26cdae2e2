//! Raw GeoJSON geometry (lon/lat) to geo geometry in local metres, with the checks every layer
//! needs: positions must be longitude/latitude, rings need at least three distinct corners, and
//! unclosed rings are closed (and reported).

use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};
use serde_json::Value;

use crate::io::flat_features::FlatPolygons;
use crate::io::geojson::{Position, RawGeometry};
use crate::lang::Words;
use crate::projection::LocalProjection;

/// Why a geometry could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum GeometryProblem {
    /// The geometry's type does not fit the layer.
    WrongType(&'static str),
    /// A ring or line has too few positions.
    TooFewPositions,
    /// A position is not a longitude/latitude pair.
    NotLonLat(Position),
    /// The feature has no geometry.
    Missing,
    /// The feature lies far from the rest of the layer.
    FarFromTheRest,
    /// A ring or line jumps across the antimeridian (longitude ±180°).
    CrossesAntimeridian,
}

impl GeometryProblem {
    /// The problem of one feature and what to do, as one text ("has a position … . Reproject …").
    pub fn describe_one(&self) -> String {
        let (sentence, advice) = self.describe();
        format!(
            "{}. {}",
            sentence.english.replacen("have", "has", 1),
            advice.english
        )
    }

    /// A sentence for a load warning (a predicate over the features), and what to do, in both
    /// languages.
    pub fn describe(&self) -> (Words, Words) {
        match self {
            GeometryProblem::WrongType(found) => (
                Words::new(
                    format!("的几何为 {found}，本图层不能使用，已跳过"),
                    format!(
                        "have a {found} geometry, which this layer cannot use, and were skipped"
                    ),
                ),
                Words::new(
                    "请确认为该图层选择了正确的文件。",
                    "Check that the right file was given for this layer.",
                ),
            ),
            GeometryProblem::TooFewPositions => (
                Words::new(
                    "有环或线的点数太少，已跳过",
                    "have a ring or line with too few positions and were skipped",
                ),
                Words::new(
                    "请在 QGIS 中修复几何（矢量 → 几何工具 → 检查有效性）。",
                    "Fix the geometry in QGIS (Vector → Geometry Tools → Check Validity).",
                ),
            ),
            GeometryProblem::NotLonLat(position) => {
                let guess = crate::crs::guess_projected(position.longitude, position.latitude);
                (
                    Words::new(
                        format!(
                            "有坐标 ({}, {}) 不是经纬度（{guess}？）",
                            position.longitude, position.latitude
                        ),
                        format!(
                            "have a position ({}, {}) that is not longitude/latitude ({guess}?)",
                            position.longitude, position.latitude
                        ),
                    ),
                    Words::new(
                        "请给出图层的坐标系（如 --crs buildings=EPSG:4527，或在新建方案对话框中选择），或把图层转换为 WGS 84（EPSG:4326）。",
                        "Give the layer's coordinate system (e.g. --crs buildings=EPSG:4527, or in the new-plan dialog), or reproject the layer to WGS 84 (EPSG:4326).",
                    ),
                )
            }
            GeometryProblem::Missing => (
                Words::new("没有几何，已跳过", "have no geometry and were skipped"),
                Words::new(
                    "请绘制或恢复其几何，或从文件中删除这些要素。",
                    "Draw or restore their geometry, or remove them from the file.",
                ),
            ),
            GeometryProblem::CrossesAntimeridian => (
                Words::new(
                    "跨越 180° 经线（一步会跨越整个地球），已跳过",
                    "cross the antimeridian (longitude ±180°), where one step would span the whole earth, and were skipped",
                ),
                Words::new(
                    "地方方案不会跨越 180°：请在该处拆分要素，或检查经度（导出时丢失负号是常见原因）。",
                    "A local plan cannot cross 180°: split the feature there, or check its longitudes (a sign lost in an export is a common cause).",
                ),
            ),
            GeometryProblem::FarFromTheRest => {
                let kilometres = OUTLIER_DISTANCE_M / 1000.0;
                (
                    Words::new(
                        format!("距图层其余部分超过 {kilometres} 公里，已排除"),
                        format!(
                            "lie more than {kilometres} km from the rest of the layer and were left out"
                        ),
                    ),
                    Words::new(
                        "请在 QGIS 中检查其坐标：位于 0, 0 或经纬度颠倒是常见的导出错误。",
                        "Check their coordinates in QGIS: a position at 0, 0 or with longitude and latitude swapped is a common export error.",
                    ),
                )
            }
        }
    }
}

/// The result of converting one polygonal geometry.
#[derive(Debug, Clone)]
pub struct ConvertedPolygons {
    /// The polygons in metres.
    pub polygons: MultiPolygon<f64>,
    /// How many rings were not closed in the file and were closed here.
    pub rings_closed: usize,
}

fn is_lon_lat(position: Position) -> bool {
    position.longitude.is_finite()
        && position.latitude.is_finite()
        && (-180.0..=180.0).contains(&position.longitude)
        && (-90.0..=90.0).contains(&position.latitude)
}

/// Checks that every position of `geometry` is longitude/latitude.
pub fn check_lon_lat(geometry: &RawGeometry) -> Result<(), GeometryProblem> {
    let mut bad = None;
    geometry.for_each_position(&mut |position| {
        if bad.is_none() && !is_lon_lat(position) {
            bad = Some(position);
        }
    });
    bad.map_or(Ok(()), |position| Err(GeometryProblem::NotLonLat(position)))
}

/// Checks that every one of `positions` is longitude/latitude, naming the first that is not.
fn check_positions_lon_lat(positions: &[Position]) -> Result<(), GeometryProblem> {
    match positions.iter().find(|position| !is_lon_lat(**position)) {
        Some(position) => Err(GeometryProblem::NotLonLat(*position)),
        None => Ok(()),
    }
}

fn project(positions: &[Position], projection: &LocalProjection) -> Vec<Coord<f64>> {
    positions
        .iter()
        .map(|position| projection.to_metres(position.longitude, position.latitude))
        .collect()
}

/// Refuses positions where one step to the next jumps more than half-way round the earth: a ring
/// or line across the antimeridian, which a local projection would stretch 40,000 km wide.
fn check_no_antimeridian_jump(positions: &[Position]) -> Result<(), GeometryProblem> {
    let jumps = positions
        .windows(2)
        .any(|pair| (pair[0].longitude - pair[1].longitude).abs() > 180.0);
    if jumps {
        Err(GeometryProblem::CrossesAntimeridian)
    } else {
        Ok(())
    }
}

fn ring(
    positions: &[Position],
    projection: &LocalProjection,
    rings_closed: &mut usize,
) -> Result<LineString<f64>, GeometryProblem> {
    check_no_antimeridian_jump(positions)?;
    let mut coords = project(positions, projection);
    coords.dedup();
    if coords.len() >= 2 && coords.first() == coords.last() {
        coords.pop();
    } else if !coords.is_empty() {
        // RFC 7946 asks for closed rings; one whose ends differ is read as if closed.
        let first_position = positions.first();
        let last_position = positions.last();
        if first_position != last_position {
            *rings_closed += 1;
        }
    }
    if coords.len() < 3 {
        return Err(GeometryProblem::TooFewPositions);
    }
    let first = coords[0];
    coords.push(first);
    Ok(LineString::new(coords))
}

fn polygon<'a>(
    rings: impl IntoIterator<Item = &'a [Position]>,
    projection: &LocalProjection,
    rings_closed: &mut usize,
) -> Result<Polygon<f64>, GeometryProblem> {
    let mut rings = rings.into_iter();
    let Some(exterior) = rings.next() else {
        return Err(GeometryProblem::TooFewPositions);
    };
    let exterior = ring(exterior, projection, rings_closed)?;
    let holes = rings
        .map(|hole| ring(hole, projection, rings_closed))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Polygon::new(exterior, holes))
}

fn rings_of(rings: &[Vec<Position>]) -> impl Iterator<Item = &[Position]> {
    rings.iter().map(Vec::as_slice)
}

/// A Polygon or MultiPolygon geometry in metres.
pub fn polygons_in_metres(
    geometry: Option<&RawGeometry>,
    projection: &LocalProjection,
) -> Result<ConvertedPolygons, GeometryProblem> {
    let geometry = geometry.ok_or(GeometryProblem::Missing)?;
    check_lon_lat(geometry)?;
    let mut rings_closed = 0;
    let polygons = match geometry {
        RawGeometry::Polygon { coordinates } => {
            vec![polygon(
                rings_of(coordinates),
                projection,
                &mut rings_closed,
            )?]
        }
        RawGeometry::MultiPolygon { coordinates } => coordinates
            .iter()
            .map(|rings| polygon(rings_of(rings), projection, &mut rings_closed))
            .collect::<Result<Vec<_>, _>>()?,
        other => return Err(GeometryProblem::WrongType(other.type_name())),
    };
    Ok(ConvertedPolygons {
        polygons: MultiPolygon::new(polygons),
        rings_closed,
    })
}

/// The polygons of a feature read flat (`None`: no geometry) in metres, exactly as
/// [`polygons_in_metres`] converts the same polygons read by serde.
pub fn flat_polygons_in_metres(
    polygons: Option<FlatPolygons<'_>>,
    projection: &LocalProjection,
) -> Result<ConvertedPolygons, GeometryProblem> {
    let polygons = polygons.ok_or(GeometryProblem::Missing)?;
    check_positions_lon_lat(polygons.positions())?;
    let mut rings_closed = 0;
    // Exactly as many as there are: collecting results would leave room for four polygons in
    // every footprint, 144 bytes a building for nothing.
    let mut converted = Vec::with_capacity(polygons.count());
    for rings in polygons.polygons() {
        converted.push(polygon(rings, projection, &mut rings_closed)?);
    }
    Ok(ConvertedPolygons {
        polygons: MultiPolygon::new(converted),
        rings_closed,
    })
}

/// A LineString or MultiLineString in metres; Polygon and MultiPolygon road areas give their
/// rings as lines.
pub fn lines_in_metres(
    geometry: Option<&RawGeometry>,
    projection: &LocalProjection,
) -> Result<MultiLineString<f64>, GeometryProblem> {
    let geometry = geometry.ok_or(GeometryProblem::Missing)?;
    check_lon_lat(geometry)?;
    let line = |positions: &[Position]| line_in_metres(positions, projection);
    let lines = match geometry {
        RawGeometry::LineString { coordinates } => vec![line(coordinates)?],
        RawGeometry::MultiLineString { coordinates } | RawGeometry::Polygon { coordinates } => {
            coordinates
                .iter()
                .map(|part| line(part))
                .collect::<Result<Vec<_>, _>>()?
        }
        RawGeometry::MultiPolygon { coordinates } => coordinates
            .iter()
            .flatten()
            .map(|part| line(part))
            .collect::<Result<Vec<_>, _>>()?,
        other => return Err(GeometryProblem::WrongType(other.type_name())),
    };
    Ok(MultiLineString::new(lines))
}

/// The lines of a feature read flat (each a one-ring polygon; `None`: no geometry) in metres,
/// exactly as [`lines_in_metres`] converts the same lines read by serde.
pub fn flat_lines_in_metres(
    lines: Option<FlatPolygons<'_>>,
    projection: &LocalProjection,
) -> Result<MultiLineString<f64>, GeometryProblem> {
    let lines = lines.ok_or(GeometryProblem::Missing)?;
    check_positions_lon_lat(lines.positions())?;
    let mut converted = Vec::new();
    for parts in lines.polygons() {
        for part in parts {
            converted.push(line_in_metres(part, projection)?);
        }
    }
    converted.shrink_to_fit();
    Ok(MultiLineString::new(converted))
}

fn line_in_metres(
    positions: &[Position],
    projection: &LocalProjection,
) -> Result<LineString<f64>, GeometryProblem> {
    check_no_antimeridian_jump(positions)?;
    let mut coords = project(positions, projection);
    coords.dedup();
    if coords.len() < 2 {
        Err(GeometryProblem::TooFewPositions)
    } else {
        Ok(LineString::new(coords))
    }
}

/// Features farther than this from the middle of a layer are not part of the city being planned:
/// they are left out of the projection's centre and of the layer, each named in a warning. A
/// community plan covers a district or a city (Shanghai's Pudong is about 50 km across), and the
/// local projection's scale error at this distance is still only 2.8 × 10⁻⁴.
pub const OUTLIER_DISTANCE_M: f64 = 150_000.0;

/// Metres per degree of latitude (and of longitude at the equator), close enough to tell a
/// feature a few kilometres away from one on another continent.
const METRES_PER_DEGREE: f64 = 111_320.0;

/// Where a layer's projection is centred, chosen so that a few stray features cannot move it: the
/// median of the features' first positions (each axis on its own) finds the city, and the centre
/// is the middle of the extent of the features within [`OUTLIER_DISTANCE_M`] of that median. For
/// a layer with no stray feature this is the middle of its whole extent, as before; it does not
/// depend on the order of the features taken in.
#[derive(Debug, Clone, Default)]
pub struct LayerCentre {
    features: Vec<FeatureExtent>,
    feature_open: bool,
}

/// A feature's first finite position and the bounding box of all of them.
#[derive(Debug, Clone, Copy)]
struct FeatureExtent {
    first: Position,
    bounds: (f64, f64, f64, f64),
}

impl LayerCentre {
    /// Starts the next feature: the positions added until the next call are its own.
    pub fn begin_feature(&mut self) {
        self.feature_open = false;
    }

    /// Takes `position` of the current feature in when it is finite. Positions that are not
    /// lon/lat still count, so that the conversion that follows names the feature that has them.
    pub fn add(&mut self, position: Position) {
        let (x, y) = (position.longitude, position.latitude);
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        match self.features.last_mut() {
            Some(feature) if self.feature_open => {
                let (min_x, min_y, max_x, max_y) = feature.bounds;
                feature.bounds = (min_x.min(x), min_y.min(y), max_x.max(x), max_y.max(y));
            }
            _ => {
                self.features.push(FeatureExtent {
                    first: position,
                    bounds: (x, y, x, y),
                });
                self.feature_open = true;
            }
        }
    }

    /// The centre as (longitude, latitude), or `None` when no feature had a finite position.
    pub fn centre(&self) -> Option<(f64, f64)> {
        let median = |axis: fn(&Position) -> f64| -> Option<f64> {
            let mut values: Vec<f64> = self.features.iter().map(|f| axis(&f.first)).collect();
            if values.is_empty() {
                return None;
            }
            let middle = (values.len() - 1) / 2;
            let (_, value, _) = values.select_nth_unstable_by(middle, f64::total_cmp);
            Some(*value)
        };
        let median_longitude = median(|position| position.longitude)?;
        let median_latitude = median(|position| position.latitude)?;
        let longitude_scale = median_latitude.to_radians().cos().abs().max(0.01);
        let near = |position: &Position| {
            let east = (position.longitude - median_longitude) * longitude_scale;
            let north = position.latitude - median_latitude;
            east.hypot(north) * METRES_PER_DEGREE <= OUTLIER_DISTANCE_M
        };
        let extent = |features: &mut dyn Iterator<Item = &FeatureExtent>| {
            features
                .map(|feature| feature.bounds)
                .reduce(|(a, b, c, d), (e, f, g, h)| (a.min(e), b.min(f), c.max(g), d.max(h)))
        };
        // Features may lie in two far-apart groups with none near the medians of both axes: the
        // whole extent is taken then.
        let (min_x, min_y, max_x, max_y) =
            extent(&mut self.features.iter().filter(|feature| near(&feature.first)))
                .or_else(|| extent(&mut self.features.iter()))?;
        Some(((min_x + max_x) / 2.0, (min_y + max_y) / 2.0))
    }
}

/// True when a projected position lies within [`OUTLIER_DISTANCE_M`] of the projection's centre
/// (false for positions the projection could not place at all).
pub fn near_the_centre(position: Coord<f64>) -> bool {
    position.x.hypot(position.y) <= OUTLIER_DISTANCE_M
}

/// A point written as `[longitude, latitude]` (or as a GeoJSON Point), if `value` is one.
pub fn lon_lat_point(value: &Value) -> Option<[f64; 2]> {
    let coordinates = match value {
        Value::Object(object) if object.get("type") == Some(&Value::from("Point")) => {
            object.get("coordinates")?
        }
        other => other,
    };
    let Value::Array(pair) = coordinates else {
        return None;
    };
    let [longitude, latitude] = pair.as_slice() else {
        return None;
    };
    let (longitude, latitude) = (longitude.as_f64()?, latitude.as_f64()?);
    ((-180.0..=180.0).contains(&longitude) && (-90.0..=90.0).contains(&latitude))
        .then_some([longitude, latitude])
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    fn position(longitude: f64, latitude: f64) -> Position {
        Position {
            longitude,
            latitude,
        }
    }

    #[test]
    fn an_unclosed_ring_is_closed_and_counted() {
        let projection = LocalProjection::centred_on(0.0, 0.0);
        let geometry = RawGeometry::Polygon {
            coordinates: vec![vec![
                position(0.0, 0.0),
                position(0.001, 0.0),
                position(0.001, 0.001),
            ]],
        };
        let converted = polygons_in_metres(Some(&geometry), &projection).expect("usable");
        assert_eq!(converted.rings_closed, 1);
        assert!(converted.polygons.unsigned_area() > 6000.0);
    }

    #[test]
    fn projected_coordinates_are_refused_as_not_lon_lat() {
        let projection = LocalProjection::centred_on(0.0, 0.0);
        let geometry = RawGeometry::Polygon {
            coordinates: vec![vec![
                position(500_000.0, 3_000_000.0),
                position(500_010.0, 3_000_000.0),
                position(500_010.0, 3_000_010.0),
            ]],
        };
        assert!(matches!(
            polygons_in_metres(Some(&geometry), &projection),
            Err(GeometryProblem::NotLonLat(_))
        ));
    }

    #[test]
    fn a_ring_of_two_points_is_too_few() {
        let projection = LocalProjection::centred_on(0.0, 0.0);
        let geometry = RawGeometry::Polygon {
            coordinates: vec![vec![
                position(0.0, 0.0),
                position(0.001, 0.0),
                position(0.0, 0.0),
            ]],
        };
        assert_eq!(
            polygons_in_metres(Some(&geometry), &projection).err(),
            Some(GeometryProblem::TooFewPositions)
        );
    }
}
