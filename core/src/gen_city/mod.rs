//! A deterministic synthetic city for benchmarks and demos: a street grid, blocks filled with
//! buildings (households given for most, estimated for some), residential estates and work-unit
//! compounds, and communities that follow the streets, grouped into street offices (with
//! boundaries) and districts with real Nanchang names. In cities large enough, deliberate
//! violations of every rule are planted and recorded in the plan's `shequ.generator.planted`
//! member, so tests can expect them by id.

mod grid;
mod names;
mod plants;
mod write;

mod administration;
mod boundaries;
mod buildings;
mod streets;

use administration::{Administration, plan_communities};
use boundaries::{communities, community_boundaries, street_offices};
use buildings::{CityFrame, place_buildings, split_households, write_buildings};
use streets::write_streets;

use std::collections::BTreeMap;
use std::path::Path;

use geo::Coord;
use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::io::plan_file::{PlanFileContents, PlanSettings, StreetOfficeRecord, save_plan_file};
use crate::plan::{Community, CommunityType, District, Plan, StreetOffice};
use crate::projection::LocalProjection;
use crate::random::SplitMix64;
use grid::Layout;

/// Centre of the generated city: Nanchang's old town (八一广场).
const CENTRE: (f64, f64) = (115.8994, 28.6781);
/// Distance from a street centreline to the first building line.
const STREET_SETBACK: f64 = 9.0;
/// Gap around each building inside its plot.
const PLOT_MARGIN: f64 = 2.5;
/// How far a planted boundary stretch is moved into the neighbour's block, metres.
const PLANTED_CUT_SHIFT: f64 = 30.0;
/// How far a planted overlap reaches into the neighbour, metres.
const PLANTED_OVERLAP_SHIFT: f64 = 40.0;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct CityOptions {
    /// Buildings, from 1,000 to 1,000,000 (more is allowed; it just takes longer).
    pub buildings: usize,
    /// Communities; by default one per thousand buildings (at least 4).
    pub communities: Option<usize>,
    /// The seed: the same seed and sizes give the same files, byte for byte.
    pub seed: u64,
    /// Plant deliberate violations (on for demos and tests).
    pub plant_violations: bool,
    /// Give every residential building its households (none estimated): for comparisons with
    /// other tools that should count exactly the same.
    pub households_for_all: bool,
}

/// What was generated.
#[derive(Debug, Clone, PartialEq)]
pub struct CitySummary {
    /// Buildings written.
    pub buildings: usize,
    /// Streets written.
    pub streets: usize,
    /// Communities written.
    pub communities: usize,
    /// Street offices.
    pub street_offices: usize,
    /// Households given in the data (estimated ones not included).
    pub households_in_data: u64,
    /// Planted violations: rule (and case) → community ids or street-office names.
    pub planted: BTreeMap<String, Vec<String>>,
}

struct PlannedCommunity {
    name: String,
    kind: CommunityType,
    new_estate: bool,
    old_town: bool,
    target_households: u64,
    has_buildings: bool,
    office_area_m2: Option<f64>,
    service_area_m2: Option<f64>,
}

/// A street between two neighbouring grid points: from, to, main road, name.
type StreetSegment = ((i64, i64), (i64, i64), bool, String);

struct GeneratedBuilding {
    community: usize,
    ring: Vec<Coord<f64>>,
    footprint_area: f64,
    use_: &'static str,
}

fn community_id(index: usize) -> String {
    format!("SQ{:04}", index + 1)
}

fn rectangle(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<Coord<f64>> {
    vec![
        Coord { x: x0, y: y0 },
        Coord { x: x1, y: y0 },
        Coord { x: x1, y: y1 },
        Coord { x: x0, y: y1 },
    ]
}

/// Every fifth footprint is L-shaped: its centroid can fall outside it, its interior point cannot.
fn footprint(number: usize, x0: f64, y0: f64, width: f64, height: f64) -> (Vec<Coord<f64>>, f64) {
    if number % 5 != 4 {
        return (rectangle(x0, y0, x0 + width, y0 + height), width * height);
    }
    let (notch_x, notch_y) = (x0 + width * 0.45, y0 + height * 0.45);
    let ring = vec![
        Coord { x: x0, y: y0 },
        Coord {
            x: x0 + width,
            y: y0,
        },
        Coord {
            x: x0 + width,
            y: notch_y,
        },
        Coord {
            x: notch_x,
            y: notch_y,
        },
        Coord {
            x: notch_x,
            y: y0 + height,
        },
        Coord {
            x: x0,
            y: y0 + height,
        },
    ];
    (ring, width * height - (width * 0.55) * (height * 0.55))
}

/// The plan of a city in `folder`, generated first if it is not there yet (benchmarks and
/// comparisons reuse their cities between runs).
pub fn generate_city_once(options: &CityOptions, folder: &Path) -> Result<std::path::PathBuf> {
    let plan = folder.join("plan.shequ.geojson");
    if !plan.exists() {
        generate_city(options, folder)?;
    }
    Ok(plan)
}

/// The plan of the benchmarks' city of `buildings` buildings (seed 2002, violations planted),
/// generated once into `target/bench-cities/` (or `$CARGO_TARGET_DIR/bench-cities/`).
pub fn benchmark_city(target: &Path, buildings: usize) -> Result<std::path::PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| target.to_path_buf(), std::path::PathBuf::from);
    let options = CityOptions {
        buildings,
        communities: None,
        seed: 2002,
        plant_violations: true,
        households_for_all: false,
    };
    generate_city_once(
        &options,
        &target.join("bench-cities").join(buildings.to_string()),
    )
}

/// Generates a city into `folder`: `buildings.geojson`, `streets.geojson` and `plan.shequ.geojson`.
/// The stages run in a fixed order from one seeded generator, so the same options give the same
/// files byte for byte.
pub fn generate_city(options: &CityOptions, folder: &Path) -> Result<CitySummary> {
    let community_count = community_count(options)?;
    std::fs::create_dir_all(folder).map_err(|source| Error::Write {
        path: folder.to_path_buf(),
        source,
    })?;
    let mut random = SplitMix64(options.seed);
    let layout = Layout::new(options.buildings, community_count);
    let administration = Administration::new(community_count, options.plant_violations);
    let plants = plants::choose(
        &layout,
        &administration.office_of_community,
        administration.office_count,
        options.plant_violations,
    );
    let planned = plan_communities(&administration, &plants, &mut random);
    let projection = LocalProjection::centred_on(CENTRE.0, CENTRE.1);
    let city = CityFrame::new(&layout);
    let generated = place_buildings(options.buildings, &layout, &planned, &city);
    let households = split_households(&generated, &planned);
    let households_in_data = write_buildings(
        folder,
        options,
        &generated,
        &planned,
        &households,
        &mut random,
        &projection,
    )?;
    let street_count = write_streets(folder, &layout, &plants, &city, &projection)?;
    let parts_in_metres = community_boundaries(&layout, &plants, community_count);
    let street_offices = street_offices(&administration, &layout, &city);
    let communities = communities(
        &planned,
        &administration,
        &street_offices,
        &parts_in_metres,
        &city,
    );
    let planted = planted_summary(&plants, &street_offices);
    write_plan(
        folder,
        options,
        community_count,
        communities,
        street_offices,
        administration.districts,
        &planted,
        &projection,
    )?;
    Ok(CitySummary {
        buildings: generated.len(),
        streets: street_count,
        communities: community_count,
        street_offices: administration.office_count,
        households_in_data,
        planted,
    })
}

/// How many communities the options ask for, checked.
fn community_count(options: &CityOptions) -> Result<usize> {
    if options.buildings == 0 {
        return Err(Error::Generator(
            "--buildings must be at least 1".to_owned(),
        ));
    }
    // One community per thousand buildings, at least four, but never more than the buildings.
    let community_count = options
        .communities
        .unwrap_or_else(|| (options.buildings / 1000).max(4).min(options.buildings));
    if community_count == 0 || community_count > options.buildings {
        return Err(Error::Generator(format!(
            "--communities must be between 1 and the number of buildings ({}), not {community_count}",
            options.buildings
        )));
    }
    Ok(community_count)
}

/// What was planted: rule (and case) → community ids or street-office names.
fn planted_summary(
    plants: &plants::Plants,
    street_offices: &[StreetOffice],
) -> BTreeMap<String, Vec<String>> {
    let mut planted: BTreeMap<String, Vec<String>> = plants
        .communities()
        .into_iter()
        .map(|(rule, indices)| {
            (
                rule.to_owned(),
                indices.into_iter().map(community_id).collect(),
            )
        })
        .collect();
    if let Some(office) = plants.small_office {
        planted.insert(
            "street_office.merge_candidate".to_owned(),
            vec![street_offices[office].name.clone()],
        );
    }
    if let Some(office) = plants.crowded_office {
        planted.insert(
            "street_office.residents".to_owned(),
            vec![street_offices[office].name.clone()],
        );
    }
    planted
}

/// Writes `plan.shequ.geojson`.
#[allow(clippy::too_many_arguments)]
fn write_plan(
    folder: &Path,
    options: &CityOptions,
    community_count: usize,
    communities: Vec<Community>,
    street_offices: Vec<StreetOffice>,
    districts: Vec<District>,
    planted: &BTreeMap<String, Vec<String>>,
    projection: &LocalProjection,
) -> Result<()> {
    let mut plan = Plan::new(communities);
    plan.street_offices = street_offices;
    plan.districts = districts;
    let mut settings = PlanSettings::new(
        "buildings.geojson".to_owned(),
        Some("streets.geojson".to_owned()),
        Default::default(),
    );
    // No title: one naming the counts would go stale at the first edit (the map sheet then
    // names the districts); `shequ.generator` records how the city was made.
    settings.street_offices = plan
        .street_offices
        .iter()
        .map(|office| StreetOfficeRecord {
            id: office.id.clone(),
            name: office.name.clone(),
            district: office.district.clone(),
            boundary: None,
        })
        .collect();
    settings.other_members.insert(
        "generator".to_owned(),
        json!({
            "command": "gen-city",
            "buildings": options.buildings,
            "communities": community_count,
            "seed": options.seed,
            "planted": planted,
        }),
    );
    let mut members = Map::new();
    members.insert("name".to_owned(), Value::String("communities".to_owned()));
    save_plan_file(
        &folder.join("plan.shequ.geojson"),
        &PlanFileContents {
            settings: &settings,
            collection_members: &members,
            plan: &plan,
            projection,
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_files() {
        let first = tempfile::tempdir().expect("temp dir");
        let second = tempfile::tempdir().expect("temp dir");
        let options = CityOptions {
            buildings: 4000,
            communities: Some(40),
            seed: 7,
            plant_violations: true,
            households_for_all: false,
        };
        generate_city(&options, first.path()).expect("generates");
        generate_city(&options, second.path()).expect("generates");
        for file in ["buildings.geojson", "streets.geojson", "plan.shequ.geojson"] {
            let a = std::fs::read(first.path().join(file)).expect("read");
            let b = std::fs::read(second.path().join(file)).expect("read");
            assert!(a == b, "{file} differs");
        }
    }

    #[test]
    fn the_requested_number_of_buildings_is_written() {
        let folder = tempfile::tempdir().expect("temp dir");
        let options = CityOptions {
            buildings: 1234,
            communities: None,
            seed: 1,
            plant_violations: false,
            households_for_all: false,
        };
        let summary = generate_city(&options, folder.path()).expect("generates");
        assert_eq!(summary.buildings, 1234);
        assert_eq!(summary.communities, 4);
    }
}
