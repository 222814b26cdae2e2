//! One buildings-layer feature to one building: the footprint in metres (or why it was
//! skipped), its use, floors, households and residents from the data or estimated, and the notes
//! a planner must hear about (impossible figures, GBK text read as UTF-8).

use geo::Area;

use crate::attributes::{Field, FieldMapping, FieldValue, FieldValues, NotANumber};
use crate::geometry::footprint::footprint_is_valid;
use crate::io::encoding::misread_gbk;
use crate::io::flat_features::FeatureView;
use crate::io::geojson::RawFeature;
use crate::io::geometry_in::{
    GeometryProblem, flat_polygons_in_metres, near_the_centre, polygons_in_metres,
};
use crate::io::warnings::rings_closed;
use crate::lang::Words;
use crate::layers::{
    Building, BuildingLabels, FigureSource, Interner, estimate_households, estimate_residents,
};
use crate::profile::RuleProfile;
use crate::projection::LocalProjection;

/// A feature's id: its id property, else its feature-level id, else its index.
pub(crate) fn id_value_text(
    mapping: &FieldMapping,
    feature: &FeatureView<'_>,
    index: usize,
) -> String {
    mapping
        .text(feature, Field::Id)
        .or_else(|| feature.feature_id().and_then(FieldValue::text))
        .unwrap_or_else(|| index.to_string())
}

// A kept building moves into the layer at once; boxing it would cost an allocation per building.
#[allow(clippy::large_enum_variant)]
pub(crate) enum BuildingOutcome {
    Kept(Building, Vec<BuildingNote>),
    Skipped(GeometryProblem),
}

/// What a feature's values said that a planner must hear about: each becomes a load warning
/// naming the feature.
#[derive(Clone, PartialEq)]
pub(crate) enum BuildingNote {
    RingsClosed,
    SelfIntersecting,
    HouseholdsNotANumber,
    HouseholdsNegative,
    HouseholdsImplausible,
    ResidentsImplausible,
    FloorsNotANumber,
    FloorsImplausible,
    HeightImplausible,
    /// The use reads like GBK bytes taken for UTF-8: as read, and as GBK.
    UseLooksLikeGbk(String, String),
}

/// More households than any one building holds (the largest residential complexes under one roof
/// have under 10,000): a value above this is an error in the data, or the wrong field.
pub const MOST_HOUSEHOLDS_IN_A_BUILDING: f64 = 30_000.0;
/// More residents than any one building holds.
pub const MOST_RESIDENTS_IN_A_BUILDING: f64 = 100_000.0;
/// More floors than any building has (the tallest have about 160).
pub const MOST_FLOORS: f64 = 250.0;
/// Taller than any building, metres.
pub const MOST_HEIGHT_M: f64 = 1_000.0;

impl BuildingNote {
    /// What was found (a predicate over the features) and what to do, in both languages.
    pub(crate) fn describe(&self) -> (Words, Words) {
        let [problem_zh, problem, advice_zh, advice] = match self {
            BuildingNote::RingsClosed => return rings_closed(),
            BuildingNote::SelfIntersecting => [
                "的轮廓自相交或无效，面积可能不准",
                "have a self-intersecting or otherwise invalid footprint; its area may be wrong",
                "请在 QGIS 中修复轮廓（矢量 → 几何工具 → 修复几何）。",
                "Fix the footprints in QGIS (Vector → Geometry Tools → Fix Geometries).",
            ],
            BuildingNote::HouseholdsNotANumber => [
                "的户数不是数字，户数已估算",
                "have a households value that is not a number; their households were estimated",
                "请更正户数，或用 --field households=字段名 对应另一个字段。",
                "Correct the households values, or map another field with --field households=NAME.",
            ],
            BuildingNote::HouseholdsNegative => [
                "的户数为负，户数已估算",
                "have a negative households value; their households were estimated",
                "请在源数据中更正户数。",
                "Correct the households values in the source data.",
            ],
            BuildingNote::HouseholdsImplausible => [
                "的单栋户数超过 30,000（没有楼栋容纳这么多户），户数已估算",
                "have a households value above 30,000 for one building, which no building holds; their households were estimated",
                "请更正户数，或用 --field households=字段名 对应正确的字段。",
                "Correct the households values, or map the right field with --field households=NAME.",
            ],
            BuildingNote::ResidentsImplausible => [
                "的单栋人口为负或超过 100,000，人口已估算",
                "have a residents value that is negative or above 100,000 for one building; their residents were estimated",
                "请更正人口，或用 --field residents=字段名 对应正确的字段。",
                "Correct the residents values, or map the right field with --field residents=NAME.",
            ],
            BuildingNote::FloorsNotANumber => [
                "的层数不是数字，已用默认层数",
                "have a floors value that is not a number; the default floors were used",
                "请更正层数，或用 --field floors=字段名 对应另一个字段。",
                "Correct the floors values, or map another field with --field floors=NAME.",
            ],
            BuildingNote::FloorsImplausible => [
                "的层数为负或超过 250，已用高度或默认层数",
                "have a floors value that is negative or above 250; the height or the default floors were used",
                "请更正层数，或用 --field floors=字段名 对应正确的字段。",
                "Correct the floors values, or map the right field with --field floors=NAME.",
            ],
            BuildingNote::HeightImplausible => [
                "的高度为负或超过 1,000 米，未采用",
                "have a height that is negative or above 1,000 m; it was not used",
                "请更正高度（单位米），或用 --field height=字段名 对应正确的字段。",
                "Correct the heights (in metres), or map the right field with --field height=NAME.",
            ],
            BuildingNote::UseLooksLikeGbk(read, chinese) => {
                return (
                    Words::new(
                        format!(
                            "的用途为 \"{read}\"，像是按 UTF-8 读取的 GBK 文字（按 GBK 读是 \"{chinese}\"），未能识别"
                        ),
                        format!(
                            "have the use \"{read}\", which looks like GBK text read as UTF-8 (as GBK it reads \"{chinese}\"); it was not recognised"
                        ),
                    ),
                    Words::new(
                        "文件以 GBK 保存：请转为 UTF-8（iconv -f GB18030 -t UTF-8，或 QGIS：要素另存为…，编码选 UTF-8）后重新打开。",
                        "The file was saved as GBK: convert it to UTF-8 (iconv -f GB18030 -t UTF-8, or QGIS: Save Features As… with encoding UTF-8) and open it again.",
                    ),
                );
            }
        };
        (
            Words::new(problem_zh, problem),
            Words::new(advice_zh, advice),
        )
    }
}

pub(crate) fn building_from_feature(
    feature: &RawFeature,
    index: usize,
    projection: &LocalProjection,
    mapping: &FieldMapping,
    profile: &RuleProfile,
) -> BuildingOutcome {
    building_from_view(
        FeatureView::Raw(feature),
        index,
        projection,
        mapping,
        profile,
        &mut Interner::default(),
    )
}

pub(crate) fn building_from_view(
    feature: FeatureView<'_>,
    index: usize,
    projection: &LocalProjection,
    mapping: &FieldMapping,
    profile: &RuleProfile,
    uses: &mut Interner,
) -> BuildingOutcome {
    let converted = match feature {
        FeatureView::Raw(raw) => polygons_in_metres(raw.geometry.as_ref(), projection),
        FeatureView::Flat { polygons, .. } => flat_polygons_in_metres(polygons, projection),
    };
    let converted = match converted {
        Ok(converted) => converted,
        Err(problem) => return BuildingOutcome::Skipped(problem),
    };
    let footprint = converted.polygons;
    let first_corner = footprint
        .0
        .first()
        .and_then(|polygon| polygon.exterior().0.first());
    if first_corner.is_some_and(|corner| !near_the_centre(*corner)) {
        return BuildingOutcome::Skipped(GeometryProblem::FarFromTheRest);
    }
    // A footprint with an interior point has positions, hence an envelope.
    let Some(interior) = crate::geometry::representative_point::representative_point(&footprint)
    else {
        return BuildingOutcome::Skipped(GeometryProblem::TooFewPositions);
    };
    let mut notes = Vec::new();
    if converted.rings_closed > 0 {
        notes.push(BuildingNote::RingsClosed);
    }
    if !footprint_is_valid(&footprint) {
        notes.push(BuildingNote::SelfIntersecting);
    }
    let footprint_area_m2 = footprint.unsigned_area();
    let floors = floors_of(&feature, mapping, profile, &mut notes);
    // Borrowed: the use is interned, so a million buildings need not allocate it each.
    let building_use = feature
        .field_value(mapping, Field::Use)
        .and_then(FieldValue::text_borrowed);
    if let Some(chinese) = building_use.as_deref().and_then(misread_gbk) {
        let read = building_use.as_deref().unwrap_or_default().to_owned();
        notes.push(BuildingNote::UseLooksLikeGbk(read, chinese));
    }
    let mut residential_use = match building_use.as_deref() {
        Some(value) => profile.is_residential_use(value),
        None => profile.estimate.unknown_use_is_residential,
    };
    let households_in_data =
        households_in_data(&feature, mapping, &mut notes, &mut residential_use);
    let (residential, households, households_source) = match households_in_data {
        Some(households) => (
            households > 0.0 || residential_use,
            // Within 0 ..= MOST_HOUSEHOLDS_IN_A_BUILDING, so the cast is exact.
            households.round() as u32,
            FigureSource::Data,
        ),
        None if residential_use => (
            true,
            estimate_households(footprint_area_m2, floors, profile),
            FigureSource::Estimate,
        ),
        None => (false, 0, FigureSource::Data),
    };
    let residents_in_data = residents_in_data(&feature, mapping, &mut notes);
    let (residents, residents_source) = match residents_in_data {
        // Within 0 ..= MOST_RESIDENTS_IN_A_BUILDING, so the cast is exact.
        Some(residents) => (residents.round() as u32, FigureSource::Data),
        None if !residential => (0, FigureSource::Data),
        None => (
            estimate_residents(households, profile),
            FigureSource::Estimate,
        ),
    };
    let building = Building {
        source_id: id_value_text(mapping, &feature, index).into_boxed_str(),
        representative_point: interior,
        footprint_area_m2,
        floors,
        residential,
        households,
        households_source,
        residents,
        residents_source,
        building_use: building_use.map(|text| uses.intern(&text)),
        labels: BuildingLabels {
            estate: mapping.text(&feature, Field::Estate),
            work_unit: mapping.text(&feature, Field::WorkUnit),
            name: mapping.text(&feature, Field::Name),
        }
        .boxed(),
        footprint,
    };
    BuildingOutcome::Kept(building, notes)
}

/// Floors from the data; else from the height; else the profile's default. An impossible value
/// is noted and not used.
fn floors_of(
    feature: &FeatureView<'_>,
    mapping: &FieldMapping,
    profile: &RuleProfile,
    notes: &mut Vec<BuildingNote>,
) -> f64 {
    let floors_in_data = match mapping.number(feature, Field::Floors) {
        Ok(Some(floors)) if (1.0..=MOST_FLOORS).contains(&floors) => Some(floors),
        // No floors (0 is how much data says "unknown"): the height or the default.
        Ok(Some(floors)) if (0.0..1.0).contains(&floors) => None,
        Ok(None) => None,
        Ok(Some(_)) => {
            notes.push(BuildingNote::FloorsImplausible);
            None
        }
        Err(NotANumber) => {
            notes.push(BuildingNote::FloorsNotANumber);
            None
        }
    };
    floors_in_data.unwrap_or_else(|| match mapping.number(feature, Field::Height) {
        Ok(Some(height)) if height > 0.0 && height <= MOST_HEIGHT_M => {
            (height / profile.estimate.storey_height_m).round().max(1.0)
        }
        Ok(Some(height)) if height != 0.0 => {
            notes.push(BuildingNote::HeightImplausible);
            f64::from(profile.estimate.default_floors)
        }
        _ => f64::from(profile.estimate.default_floors),
    })
}

/// Households as the data gives them, when usable. A households field, even an unusable value,
/// says people live here: `residential_use` is set then.
fn households_in_data(
    feature: &FeatureView<'_>,
    mapping: &FieldMapping,
    notes: &mut Vec<BuildingNote>,
    residential_use: &mut bool,
) -> Option<f64> {
    match mapping.number(feature, Field::Households) {
        Ok(Some(households)) if (0.0..=MOST_HOUSEHOLDS_IN_A_BUILDING).contains(&households) => {
            Some(households)
        }
        Ok(None) => None,
        Ok(Some(households)) => {
            notes.push(if households < 0.0 {
                BuildingNote::HouseholdsNegative
            } else {
                BuildingNote::HouseholdsImplausible
            });
            *residential_use = true;
            None
        }
        Err(NotANumber) => {
            notes.push(BuildingNote::HouseholdsNotANumber);
            *residential_use = true;
            None
        }
    }
}

/// Residents as the data gives them, when usable.
fn residents_in_data(
    feature: &FeatureView<'_>,
    mapping: &FieldMapping,
    notes: &mut Vec<BuildingNote>,
) -> Option<f64> {
    match mapping.number(feature, Field::Residents) {
        Ok(Some(residents)) if (0.0..=MOST_RESIDENTS_IN_A_BUILDING).contains(&residents) => {
            Some(residents)
        }
        Ok(Some(_)) => {
            notes.push(BuildingNote::ResidentsImplausible);
            None
        }
        _ => None,
    }
}
