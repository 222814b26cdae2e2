//! The check report: per-community figures, street-office and district totals, unassigned
//! buildings and cut buildings, as the CLI prints them and as JSON schema `shequ.check/1`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::exception::AcceptedException;
use crate::figures::AreaFigures;
use crate::io::geojson_out::{multilinestring_json, multipolygon_json, point_json};
use crate::projection::LocalProjection;
use crate::session::{CheckedViolation, Session};
use crate::violation::Location;

/// The JSON schema name of the report.
pub const CHECK_SCHEMA: &str = "shequ.check/1";

/// One community's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommunityRow {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its type key.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its street office.
    pub street_office: Option<String>,
    /// Its district.
    pub district: Option<String>,
    /// Households.
    pub households: u64,
    /// Residents.
    pub residents: u64,
    /// Buildings (residential or not).
    pub buildings: u32,
    /// Households that were estimated.
    pub estimated_households: u64,
    /// The area inside its boundary, m² (to 0.1 m²).
    pub area_m2: f64,
    /// Its boundary's extent in WGS 84, `[west, south, east, north]`: where the layer landed.
    pub bbox_lonlat: Option<[f64; 4]>,
}

/// The extent of `boundary` (metres) in WGS 84 longitude/latitude, `[west, south, east, north]`.
fn extent_lon_lat(
    boundary: &geo::MultiPolygon<f64>,
    projection: &LocalProjection,
) -> Option<[f64; 4]> {
    use geo::CoordsIter;
    boundary.coords_iter().fold(None, |extent, coord| {
        let [longitude, latitude] = projection.to_lon_lat_rounded(coord);
        Some(match extent {
            None => [longitude, latitude, longitude, latitude],
            Some([west, south, east, north]) => [
                west.min(longitude),
                south.min(latitude),
                east.max(longitude),
                north.max(latitude),
            ],
        })
    })
}

/// Residential buildings in no community.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct UnassignedRow {
    /// How many.
    pub buildings: u64,
    /// Their households.
    pub households: u64,
}

/// A building cut by one or more boundaries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutRow {
    /// The building's id.
    pub building: String,
    /// The ids of the communities whose boundary cuts it.
    pub communities: Vec<String>,
}

/// Walking distances to one community's committee office.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WalkingRow {
    /// The community's id.
    pub community: String,
    /// The office, `[longitude, latitude]`.
    pub office: [f64; 2],
    /// The office lies outside the community.
    pub office_outside: bool,
    /// Households of its residential buildings.
    pub households: u64,
    /// Per distance of the profile: the households within it and their share.
    pub within: Vec<WithinRow>,
    /// The farthest residential building that reaches the office, metres (to 0.1 m).
    pub farthest_m: Option<f64>,
    /// That building's id.
    pub farthest_building: Option<String>,
    /// Residential buildings that cannot reach the office along the streets.
    pub unreachable_buildings: Vec<String>,
    /// Their households.
    pub unreachable_households: u64,
}

/// Households within one walking distance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WithinRow {
    /// The distance, metres.
    pub distance_m: f64,
    /// Households within it.
    pub households: u64,
    /// Their share of the community's households (1 when it has none).
    pub share: f64,
}

impl WalkingRow {
    fn of(
        community: &crate::plan::Community,
        walking: &crate::walking::CommunityWalking,
        session: &Session,
    ) -> Self {
        let building_id = |building: u32| {
            session.layers().buildings[building as usize]
                .source_id
                .to_string()
        };
        Self {
            community: community.id.clone(),
            office: session.projection().to_lon_lat_rounded(walking.office),
            office_outside: walking.office_outside,
            households: walking.households,
            within: walking
                .within
                .iter()
                .zip(walking.shares())
                .map(|(&(distance_m, households), (_, share))| WithinRow {
                    distance_m,
                    households,
                    share,
                })
                .collect(),
            farthest_m: walking
                .farthest
                .map(|(_, metres)| (metres * 10.0).round() / 10.0),
            farthest_building: walking.farthest.map(|(building, _)| building_id(building)),
            unreachable_buildings: walking
                .unreachable
                .iter()
                .map(|&b| building_id(b))
                .collect(),
            unreachable_households: walking.unreachable_households,
        }
    }
}

/// How long each stage took, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TimingsRow {
    /// Reading and projecting.
    pub load: f64,
    /// Building the R-trees.
    pub index: f64,
    /// Counting.
    pub tally: f64,
    /// Checking rules.
    pub rules: f64,
    /// All of it.
    pub total: f64,
    /// True when the layers were read from their caches rather than parsed.
    pub layers_from_cache: bool,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// Always [`CHECK_SCHEMA`].
    pub schema: &'static str,
    /// One row per community, in plan order.
    pub communities: Vec<CommunityRow>,
    /// Street-office totals with staffing and funding, by name.
    pub street_offices: Vec<AreaFigures>,
    /// District totals, by name.
    pub districts: Vec<AreaFigures>,
    /// Totals of the whole plan.
    pub city: AreaFigures,
    /// Residential buildings in no community.
    pub unassigned: UnassignedRow,
    /// Buildings cut by boundaries.
    pub cut_buildings: Vec<CutRow>,
    /// Walking distances of each community whose committee office is placed, in plan order.
    pub walking: Vec<WalkingRow>,
    /// The management grids (网格) of the communities that have them, each with its code,
    /// community, households, residents and buildings, community by community in plan order.
    pub grids: Vec<crate::grid_figures::GridFigures>,
    /// Rule violations, errors first.
    pub violations: Vec<ViolationRow>,
    /// Exceptions that no longer match a violation (dropped at the next save).
    pub lapsed_exceptions: Vec<AcceptedException>,
    /// What loading found and worked around.
    pub warnings: Vec<String>,
    /// Timings.
    pub timings_ms: TimingsRow,
}

/// One violation as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ViolationRow {
    /// The rule id.
    pub rule: &'static str,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// The clause (0: none).
    pub clause: u32,
    /// The message in Chinese.
    pub message_zh: String,
    /// The message in English.
    pub message_en: String,
    /// Community ids.
    pub communities: Vec<String>,
    /// Street offices, districts or city figures.
    pub areas: Vec<String>,
    /// Building ids.
    pub buildings: Vec<String>,
    /// The figures that matter.
    pub figures: Value,
    /// The exception accepting it, or null.
    pub accepted: Option<AcceptedException>,
    /// True when it existed when the plan was opened.
    pub pre_existing: bool,
    /// Where it is, as a GeoJSON geometry in lon/lat.
    pub location: Value,
}

/// A location as a GeoJSON geometry in lon/lat.
pub fn location_json(location: &Location, projection: &LocalProjection) -> Value {
    match location {
        Location::Point(point) => point_json(*point, projection),
        Location::Areas(areas) => multipolygon_json(areas, projection),
        Location::Lines(lines) => multilinestring_json(lines, projection),
    }
}

impl ViolationRow {
    /// The row of a checked violation.
    pub fn of(checked: &CheckedViolation<'_>, projection: &LocalProjection) -> Self {
        let violation = checked.violation;
        Self {
            rule: violation.rule,
            severity: violation.severity.english(),
            clause: violation.clause,
            message_zh: violation.message_zh.clone(),
            message_en: violation.message_en.clone(),
            communities: violation.communities.clone(),
            areas: violation.areas.clone(),
            buildings: violation.buildings.clone(),
            figures: violation.figures.clone(),
            accepted: checked.accepted.cloned(),
            pre_existing: checked.pre_existing,
            location: location_json(&violation.location, projection),
        }
    }
}

impl CheckReport {
    /// The violations of `severity` (`error` or `warning`) that no exception accepts.
    pub fn unaccepted<'a>(&'a self, severity: &'a str) -> impl Iterator<Item = &'a ViolationRow> {
        self.violations
            .iter()
            .filter(move |row| row.severity == severity && row.accepted.is_none())
    }

    /// The violations an exception accepts.
    pub fn accepted(&self) -> impl Iterator<Item = &ViolationRow> {
        self.violations.iter().filter(|row| row.accepted.is_some())
    }

    /// Builds the report of a session.
    pub fn of(session: &Session) -> Self {
        let plan = session.plan();
        let mut communities = Vec::with_capacity(plan.len());
        let mut cuts: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        let mut walking = Vec::new();
        let mut grids = Vec::new();
        for (key, community) in plan.communities() {
            let tally = session.tallies().of(key);
            let district = plan.district_of(community);
            let row = CommunityRow {
                id: community.id.clone(),
                name: community.properties.name.clone(),
                kind: community.properties.kind.key(),
                street_office: community.properties.street_office.clone(),
                district,
                households: tally.households,
                residents: tally.residents,
                buildings: tally.buildings,
                estimated_households: tally.estimated_households,
                area_m2: (geo::Area::unsigned_area(&community.boundary) * 10.0).round() / 10.0,
                bbox_lonlat: extent_lon_lat(&community.boundary, session.projection()),
            };
            if let Some(figures) = session.rules().walking_of(key) {
                walking.push(WalkingRow::of(community, figures, session));
            }
            if let Some(counted) = session.rules().grids_of(key) {
                grids.extend(counted.grids.iter().cloned());
            }
            for &building in &tally.cut_buildings {
                cuts.entry(building).or_default().push(community.id.clone());
            }
            communities.push(row);
        }
        let unassigned = session.tallies().unassigned();
        let timings = session.timings();
        let figures = session.plan_figures().into_owned();
        let mut violations: Vec<ViolationRow> = session
            .violations()
            .iter()
            .map(|checked| ViolationRow::of(checked, session.projection()))
            .collect();
        // Errors first; within a severity, the order the rules list them in.
        violations.sort_by_key(|row| row.severity != "error");
        Self {
            schema: CHECK_SCHEMA,
            communities,
            street_offices: figures.street_offices,
            districts: figures.districts,
            city: figures.city,
            unassigned: UnassignedRow {
                buildings: unassigned.residential_buildings,
                households: unassigned.households,
            },
            cut_buildings: cuts
                .into_iter()
                .map(|(building, communities)| CutRow {
                    building: session.layers().buildings[building as usize]
                        .source_id
                        .to_string(),
                    communities,
                })
                .collect(),
            walking,
            grids,
            violations,
            lapsed_exceptions: session.lapsed_exceptions().into_iter().cloned().collect(),
            warnings: session.warnings().iter().map(ToString::to_string).collect(),
            timings_ms: TimingsRow {
                load: timings.load_ms,
                index: timings.index_ms,
                tally: timings.tally_ms,
                rules: timings.rules_ms,
                total: timings.load_ms + timings.index_ms + timings.tally_ms + timings.rules_ms,
                layers_from_cache: timings.layers_from_cache,
            },
        }
    }
}
