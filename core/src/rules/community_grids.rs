//! The management grids (网格) of a community, where it has them (not a clause of the
//! regulation; the profile's `grids` settings): `grid.households`, a grid outside the profile's
//! range (warning); `grid.outside_community`, a grid reaching outside its community (error);
//! `grid.overlap`, two grids of one community sharing ground (error); `grid.gaps`, residential
//! buildings of the community in none of its grids (warning).

use geo::{Area, MultiPolygon};
use serde_json::json;

use crate::format::grouped;
use crate::geometry::overlay;
use crate::grid_figures::CountedGrids;
#[cfg(doc)]
use crate::grid_figures::grids_of_community;
use crate::plan::Community;
use crate::rules::context::RuleContext;
use crate::violation::{Location, Severity, Violation};

/// A grid outside the households range.
pub const HOUSEHOLDS_RULE: &str = "grid.households";
/// A grid reaching outside its community.
pub const OUTSIDE_RULE: &str = "grid.outside_community";
/// Two grids of one community sharing ground.
pub const OVERLAP_RULE: &str = "grid.overlap";
/// Residential buildings of a community in none of its grids.
pub const GAPS_RULE: &str = "grid.gaps";

/// At most this many buildings are named in a violation (the figures give the full count).
const BUILDINGS_NAMED: usize = 200;

/// Checks one community's grids, `counted` as [`grids_of_community`] counts them.
pub fn check(
    context: &RuleContext<'_>,
    community: &Community,
    counted: &CountedGrids,
    out: &mut Vec<Violation>,
) {
    let grids = &community.properties.grids;
    let (figures, outside) = (&counted.grids, &counted.outside);
    let settings = &context.profile.grids;
    let tolerance = context.profile.geometry.overlap_tolerance_m2;
    let buildings = &context.layers.buildings;
    let name = &community.properties.name;
    let basis = &settings.basis;
    // The grids concerned are named among the violation's areas, so that each grid's violation
    // has a key of its own (to accept it, or fix it, apart from another grid's).
    let mut report = |rule: &'static str,
                      severity: Severity,
                      (zh, en): (String, String),
                      grid_codes: Vec<String>,
                      buildings: Vec<String>,
                      figures: serde_json::Value,
                      location: Location| {
        out.push(Violation {
            rule,
            case: "",
            severity,
            clause: 0,
            message_zh: format!("{name}: {zh} ({basis})"),
            message_en: format!("{name}: {en} ({basis})"),
            communities: vec![community.id.clone()],
            areas: grid_codes,
            buildings,
            figures,
            location,
        });
    };
    let (minimum, maximum) = (settings.minimum_households, settings.maximum_households);
    for (grid, figure) in grids.iter().zip(figures) {
        if !(minimum..=maximum).contains(&figure.households) {
            report(
                HOUSEHOLDS_RULE,
                Severity::Warning,
                (
                    format!(
                        "网格 {} 有 {} 户, 不在 {}–{} 户之间",
                        grid.code,
                        grouped(figure.households),
                        grouped(minimum),
                        grouped(maximum)
                    ),
                    format!(
                        "grid {} has {} households, outside {}–{}",
                        grid.code,
                        grouped(figure.households),
                        grouped(minimum),
                        grouped(maximum)
                    ),
                ),
                vec![grid.code.clone()],
                Vec::new(),
                json!({"grid": grid.code, "households": figure.households}),
                Location::Areas(grid.boundary.clone()),
            );
        }
        let beyond = overlay::difference(&grid.boundary, &[&community.boundary]);
        let area = beyond.unsigned_area();
        if area > tolerance {
            report(
                OUTSIDE_RULE,
                Severity::Error,
                (
                    format!("网格 {} 有 {:.0} m² 在社区范围外", grid.code, area),
                    format!(
                        "grid {} reaches {:.0} m² outside the community",
                        grid.code, area
                    ),
                ),
                vec![grid.code.clone()],
                Vec::new(),
                json!({"grid": grid.code, "area_m2": area.round()}),
                Location::Areas(beyond),
            );
        }
    }
    for (index, grid) in grids.iter().enumerate() {
        for other in &grids[index + 1..] {
            let shared = overlay::intersection(&grid.boundary, &other.boundary);
            let area = shared.unsigned_area();
            if area > tolerance {
                report(
                    OVERLAP_RULE,
                    Severity::Error,
                    (
                        format!("网格 {} 与 {} 重叠 {:.0} m²", grid.code, other.code, area),
                        format!(
                            "grids {} and {} overlap by {:.0} m²",
                            grid.code, other.code, area
                        ),
                    ),
                    vec![grid.code.clone(), other.code.clone()],
                    Vec::new(),
                    json!({"grids": [grid.code, other.code], "area_m2": area.round()}),
                    Location::Areas(shared),
                );
            }
        }
    }
    if !outside.is_empty() {
        let mut ids: Vec<String> = outside
            .iter()
            .map(|&building| buildings[building as usize].source_id.to_string())
            .collect();
        ids.sort();
        let households: u64 = outside
            .iter()
            .map(|&building| u64::from(buildings[building as usize].households))
            .sum();
        let footprints = MultiPolygon::new(
            outside
                .iter()
                .flat_map(|&building| buildings[building as usize].footprint.0.clone())
                .collect(),
        );
        let count = ids.len();
        report(
            GAPS_RULE,
            Severity::Warning,
            (
                format!(
                    "{} 栋住宅 ({} 户) 不在任何网格内",
                    grouped(count as u64),
                    grouped(households)
                ),
                format!(
                    "{} residential buildings ({} households) lie in no grid",
                    grouped(count as u64),
                    grouped(households)
                ),
            ),
            Vec::new(),
            ids.iter().take(BUILDINGS_NAMED).cloned().collect(),
            json!({"buildings": count, "households": households}),
            Location::Areas(footprints),
        );
    }
}
