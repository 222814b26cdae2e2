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

use std::collections::BTreeMap;
use std::path::Path;

use geo::{Coord, LineString, MultiPolygon, Polygon, unary_union};
use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::io::atomic::write_atomically;
use crate::io::plan_file::{PlanFileContents, PlanSettings, StreetOfficeRecord, save_plan_file};
use crate::plan::{Community, CommunityType, District, Plan, StreetOffice};
use crate::projection::LocalProjection;
use crate::random::SplitMix64;
use grid::{BLOCK_PITCH, Layout, grid_to_metres, outline_of_cells};
use names::Names;
use write::{write_position, write_positions};

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

/// Districts, street offices and the names of everything.
struct Administration {
    districts: Vec<District>,
    office_count: usize,
    /// The street office of each community.
    office_of_community: Vec<usize>,
    /// Each street office's code and name.
    office_names: Vec<(String, String)>,
    community_names: Vec<String>,
}

impl Administration {
    fn new(community_count: usize, plant_violations: bool) -> Self {
        let names = Names::load();
        let sizes = plants::office_sizes(community_count, plant_violations);
        let office_count = sizes.len();
        let office_of_community: Vec<usize> = sizes
            .iter()
            .enumerate()
            .flat_map(|(office, &size)| std::iter::repeat_n(office, size))
            .collect();
        let district_count = office_count.div_ceil(10).max(1);
        let districts: Vec<District> = (0..district_count)
            .map(|index| {
                let (id, name) = names.district(index);
                District { id, name }
            })
            .collect();
        let district_codes: Vec<String> = districts
            .iter()
            .map(|district| district.id.clone())
            .collect();
        let office_names = names.street_offices(&district_codes, office_count);
        let township_codes: Vec<String> =
            office_names.iter().map(|(code, _)| code.clone()).collect();
        let community_names = names.communities(&township_codes, community_count);
        Self {
            districts,
            office_count,
            office_of_community,
            office_names,
            community_names,
        }
    }
}

/// Each community's type, flags and target households, with the planted violations set up.
fn plan_communities(
    administration: &Administration,
    plants: &plants::Plants,
    random: &mut SplitMix64,
) -> Vec<PlannedCommunity> {
    let community_count = administration.community_names.len();
    let office_of_community = &administration.office_of_community;
    let mut planned: Vec<PlannedCommunity> = (0..community_count)
        .map(|index| PlannedCommunity {
            name: administration.community_names[index].clone(),
            kind: match index % 10 {
                3 => CommunityType::ResidentialEstate,
                7 => CommunityType::WorkUnit,
                _ => CommunityType::Geographic,
            },
            new_estate: false,
            old_town: index % 6 == 0,
            target_households: random.between(1300, 1900),
            has_buildings: true,
            office_area_m2: None,
            service_area_m2: None,
        })
        .collect();
    if let Some(index) = plants.too_many {
        planned[index].target_households = 2450;
    }
    if let Some(index) = plants.too_few {
        planned[index].target_households = 760;
    }
    if let Some(index) = plants.large_new_estate {
        planned[index].kind = CommunityType::ResidentialEstate;
        planned[index].new_estate = true;
        planned[index].target_households = 3300;
    }
    if let Some(index) = plants.small_work_unit {
        planned[index].kind = CommunityType::WorkUnit;
        planned[index].target_households = 820;
    }
    if let Some(index) = plants.empty_in_two_parts {
        planned[index].has_buildings = false;
    }
    if let Some(index) = plants.short_of_space {
        planned[index].old_town = true;
        (
            planned[index].office_area_m2,
            planned[index].service_area_m2,
        ) = (Some(40.0), Some(80.0));
    }
    if let Some(index) = plants.ample_space {
        (
            planned[index].office_area_m2,
            planned[index].service_area_m2,
        ) = (Some(1200.0), Some(2400.0));
    }
    if let Some((_, east)) = plants.crossing_pair {
        planned[east].kind = CommunityType::ResidentialEstate;
    }
    if let Some(office) = plants.crowded_office {
        // Fifteen communities near the top of the band: more residents than a street office
        // should have.
        for index in (0..community_count).filter(|&index| office_of_community[index] == office) {
            if planned[index].target_households < 2000 && planned[index].target_households >= 1000 {
                planned[index].target_households =
                    (planned[index].target_households + 300).min(1980);
            }
        }
    }
    if let Some(index) = plants.off_street {
        planned[index].kind = CommunityType::Geographic;
    }
    planned
}

/// The grid laid out from (0, 0), shifted so that the city's centre is the projection's.
struct CityFrame {
    grid_columns: usize,
    grid_rows: usize,
    offset: Coord<f64>,
}

impl CityFrame {
    fn new(layout: &Layout) -> Self {
        let (grid_columns, grid_rows) = (layout.grid_columns(), layout.grid_rows());
        let offset = Coord {
            x: -(grid_columns as f64) * BLOCK_PITCH.0 / 2.0,
            y: -(grid_rows as f64) * BLOCK_PITCH.1 / 2.0,
        };
        Self {
            grid_columns,
            grid_rows,
            offset,
        }
    }

    /// A point of the grid's metres in the city's metres.
    fn place(&self, coord: Coord<f64>) -> Coord<f64> {
        coord + self.offset
    }

    /// A closed polygon from a ring of the grid's metres.
    fn polygon(&self, ring: &[Coord<f64>]) -> Polygon<f64> {
        let mut closed: Vec<Coord<f64>> = ring.iter().map(|&coord| self.place(coord)).collect();
        if let Some(&first) = closed.first() {
            closed.push(first);
        }
        Polygon::new(LineString::new(closed), vec![])
    }
}

/// Buildings, spread evenly over the blocks of communities that have buildings.
fn place_buildings(
    building_count: usize,
    layout: &Layout,
    planned: &[PlannedCommunity],
    city: &CityFrame,
) -> Vec<GeneratedBuilding> {
    let blocks: Vec<(usize, (usize, usize))> = planned
        .iter()
        .enumerate()
        .filter(|(_, community)| community.has_buildings)
        .flat_map(|(index, _)| {
            layout
                .cells(index)
                .into_iter()
                .map(move |cell| (index, cell))
        })
        .collect();
    let per_block = building_count / blocks.len();
    let extra = building_count % blocks.len();
    let plots_per_block = per_block + usize::from(extra > 0);
    let plot_columns = ((plots_per_block as f64 * 1.25).sqrt().ceil() as usize).max(1);
    let plot_rows = plots_per_block.div_ceil(plot_columns).max(1);
    let plot_width = (BLOCK_PITCH.0 - 2.0 * STREET_SETBACK) / plot_columns as f64;
    let plot_height = (BLOCK_PITCH.1 - 2.0 * STREET_SETBACK) / plot_rows as f64;
    let mut generated: Vec<GeneratedBuilding> = Vec::with_capacity(building_count);
    for (block_number, &(community, (column, row))) in blocks.iter().enumerate() {
        let count = per_block + usize::from(block_number < extra);
        let left = column as f64 * BLOCK_PITCH.0 + STREET_SETBACK;
        let bottom = row as f64 * BLOCK_PITCH.1 + STREET_SETBACK;
        for plot in 0..count {
            let x0 = left + (plot % plot_columns) as f64 * plot_width + PLOT_MARGIN;
            let y0 = bottom + (plot / plot_columns) as f64 * plot_height + PLOT_MARGIN;
            let number = generated.len();
            let (ring, footprint_area) = footprint(
                number,
                x0,
                y0,
                plot_width - 2.0 * PLOT_MARGIN,
                plot_height - 2.0 * PLOT_MARGIN,
            );
            let use_ = match (planned[community].kind, number % 13) {
                (CommunityType::Geographic, 5) => "commercial",
                (CommunityType::Geographic, 11) => "school",
                (_, 9) => "office",
                _ => "residential",
            };
            generated.push(GeneratedBuilding {
                community,
                ring: ring.into_iter().map(|coord| city.place(coord)).collect(),
                footprint_area,
                use_,
            });
        }
    }
    generated
}

/// Households: each community's target split over its residential buildings.
fn split_households(generated: &[GeneratedBuilding], planned: &[PlannedCommunity]) -> Vec<u64> {
    let community_count = planned.len();
    let mut residential_of: Vec<Vec<usize>> = vec![Vec::new(); community_count];
    for (number, building) in generated.iter().enumerate() {
        if building.use_ == "residential" {
            residential_of[building.community].push(number);
        }
    }
    let mut households = vec![0u64; generated.len()];
    for (community, members) in residential_of.iter().enumerate() {
        if members.is_empty() {
            continue;
        }
        let target = planned[community].target_households;
        let (share, remainder) = (
            target / members.len() as u64,
            (target % members.len() as u64) as usize,
        );
        for (position, &number) in members.iter().enumerate() {
            households[number] = (share + u64::from(position < remainder)).max(1);
        }
    }
    households
}

/// Writes `buildings.geojson`; returns the households given in the data.
fn write_buildings(
    folder: &Path,
    options: &CityOptions,
    generated: &[GeneratedBuilding],
    planned: &[PlannedCommunity],
    households: &[u64],
    random: &mut SplitMix64,
    projection: &LocalProjection,
) -> Result<u64> {
    let mut households_in_data = 0u64;
    write_atomically(&folder.join("buildings.geojson"), |writer| {
        writer.write_all(
            b"{\"type\":\"FeatureCollection\",\"name\":\"buildings\",\"features\":[\n",
        )?;
        for (number, building) in generated.iter().enumerate() {
            if number > 0 {
                writer.write_all(b",\n")?;
            }
            let community = &planned[building.community];
            write!(
                writer,
                "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"B{:07}\",\"building\":\"{}\"",
                number + 1,
                building.use_
            )?;
            let residential = building.use_ == "residential";
            if residential && number % 10 == 3 && !options.households_for_all {
                // No count: the floors are set so that the default profile's estimate lands near
                // the intended households.
                let wanted = households[number] as f64 * 90.0 / (0.75 * building.footprint_area);
                write!(
                    writer,
                    ",\"floors\":{}",
                    wanted.round().clamp(1.0, 33.0) as u64
                )?;
            } else {
                write!(writer, ",\"floors\":{}", 2 + random.between(0, 16))?;
                if residential {
                    write!(writer, ",\"households\":{}", households[number])?;
                    households_in_data += households[number];
                }
            }
            let short_name = community.name.trim_end_matches("社区");
            match community.kind {
                CommunityType::ResidentialEstate => {
                    write!(writer, ",\"estate\":\"{short_name}小区\"")?
                }
                CommunityType::WorkUnit => write!(writer, ",\"work_unit\":\"{short_name}机械厂\"")?,
                CommunityType::Geographic => {}
            }
            writer.write_all(b"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[")?;
            write_positions(writer, &building.ring, true, projection)?;
            writer.write_all(b"]}}")?;
        }
        writer.write_all(b"\n]}\n")
    })?;
    Ok(households_in_data)
}

/// Writes `streets.geojson`: every grid line, split at each junction; every fourth line a main
/// road. Along the planted river bank there are none. Returns how many were written.
fn write_streets(
    folder: &Path,
    layout: &Layout,
    plants: &plants::Plants,
    city: &CityFrame,
    projection: &LocalProjection,
) -> Result<usize> {
    let (grid_columns, grid_rows) = (city.grid_columns, city.grid_rows);
    let missing_street = |from: (i64, i64), to: (i64, i64)| {
        let Some(index) = plants.off_street else {
            return false;
        };
        let (column, row) = layout.origin(index);
        let (column, row) = (column as i64, row as i64);
        let (columns, rows) = (layout.block_columns as i64, layout.block_rows as i64);
        let on_west = from.0 == column && to.0 == column && from.1 >= row && to.1 <= row + rows;
        let on_south = from.1 == row && to.1 == row && from.0 >= column && to.0 <= column + columns;
        on_west || on_south
    };
    let mut street_count = 0usize;
    write_atomically(&folder.join("streets.geojson"), |writer| {
        writer
            .write_all(b"{\"type\":\"FeatureCollection\",\"name\":\"streets\",\"features\":[\n")?;
        let mut segments: Vec<StreetSegment> = Vec::new();
        for x in 0..=grid_columns as i64 {
            for y in 0..grid_rows as i64 {
                segments.push(((x, y), (x, y + 1), x % 4 == 0, format!("经{}路", x + 1)));
            }
        }
        for y in 0..=grid_rows as i64 {
            for x in 0..grid_columns as i64 {
                segments.push(((x, y), (x + 1, y), y % 4 == 0, format!("纬{}路", y + 1)));
            }
        }
        for (from, to, main, name) in segments {
            if missing_street(from, to) {
                continue;
            }
            if street_count > 0 {
                writer.write_all(b",\n")?;
            }
            street_count += 1;
            let class = if main { "primary" } else { "residential" };
            write!(
                writer,
                "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"S{street_count:07}\",\"highway\":\"{class}\",\"name\":\"{name}\"}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":["
            )?;
            write_position(writer, city.place(grid_to_metres(from)), projection)?;
            writer.write_all(b",")?;
            write_position(writer, city.place(grid_to_metres(to)), projection)?;
            writer.write_all(b"]}}")?;
        }
        writer.write_all(b"\n]}\n")
    })?;
    Ok(street_count)
}

/// Community boundaries in the grid's metres: outlines of their blocks along the street
/// centrelines (a part per connected group of blocks), then the planted changes.
fn community_boundaries(
    layout: &Layout,
    plants: &plants::Plants,
    community_count: usize,
) -> Vec<Vec<Vec<Coord<f64>>>> {
    let parts_in_grid: Vec<Vec<Vec<(i64, i64)>>> = (0..community_count)
        .map(|index| {
            let mut cells = layout.cells(index);
            if plants.uncovered_corner == Some(index) {
                cells.pop();
            }
            if plants.empty_in_two_parts == Some(index) {
                // A park split by a canal: the middle column of blocks belongs to no one.
                let (column, _) = layout.origin(index);
                let west: Vec<_> = cells
                    .iter()
                    .copied()
                    .filter(|cell| cell.0 == column)
                    .collect();
                let east: Vec<_> = cells
                    .iter()
                    .copied()
                    .filter(|cell| cell.0 >= column + 2)
                    .collect();
                return vec![outline_of_cells(&west), outline_of_cells(&east)];
            }
            vec![outline_of_cells(&cells)]
        })
        .collect();
    let mut parts_in_metres: Vec<Vec<Vec<Coord<f64>>>> = parts_in_grid
        .iter()
        .map(|parts| {
            parts
                .iter()
                .map(|ring| ring.iter().map(|&point| grid_to_metres(point)).collect())
                .collect()
        })
        .collect();
    let mut shift_shared_edge = |west: usize, shift: f64, move_east_too: bool| {
        let Some(east) = layout.east_of(west) else {
            return;
        };
        let (column, row) = layout.origin(east);
        let (column, low, high) = (column as i64, row as i64, (row + layout.block_rows) as i64);
        for (community, moves) in [(west, true), (east, move_east_too)] {
            if !moves {
                continue;
            }
            for (part, ring) in parts_in_grid[community].iter().enumerate() {
                for (position, point) in ring.iter().enumerate() {
                    // Only the vertices strictly inside the edge move, so the corners shared with
                    // the communities north and south stay where they are.
                    if point.0 == column && point.1 > low && point.1 < high {
                        parts_in_metres[community][part][position].x += shift;
                    }
                }
            }
        }
    };
    if let Some((west, _)) = plants.crossing_pair {
        shift_shared_edge(west, PLANTED_CUT_SHIFT, true);
    }
    if let Some((west, _)) = plants.overlap_pair {
        shift_shared_edge(west, PLANTED_OVERLAP_SHIFT, false);
    }
    if let Some(index) = plants.invalid_geometry {
        // A small figure-of-eight kink just inside the south edge, between its first two grid
        // points: the ring crosses itself, and no building or neighbour is touched.
        let ring = &mut parts_in_metres[index][0];
        let start = ring[1];
        let kink = [(30.0, 2.0), (50.0, 8.0), (50.0, 2.0), (30.0, 8.0)].map(|(dx, dy)| Coord {
            x: start.x + dx,
            y: start.y + dy,
        });
        ring.splice(2..2, kink);
    }
    parts_in_metres
}

/// The street offices, each the union of its communities' blocks as first laid out.
fn street_offices(
    administration: &Administration,
    layout: &Layout,
    city: &CityFrame,
) -> Vec<StreetOffice> {
    let community_count = administration.community_names.len();
    let office_of_community = &administration.office_of_community;
    let districts = &administration.districts;
    let district_count = districts.len();
    administration
        .office_names
        .iter()
        .enumerate()
        .map(|(office, (code, name))| {
            // The street office is the union of its communities' blocks as first laid out.
            let rectangles: Vec<Polygon<f64>> = (0..community_count)
                .filter(|&index| office_of_community[index] == office)
                .map(|index| {
                    let (column, row) = layout.origin(index);
                    let lower = grid_to_metres((column as i64, row as i64));
                    let upper = grid_to_metres((
                        (column + layout.block_columns) as i64,
                        (row + layout.block_rows) as i64,
                    ));
                    city.polygon(&rectangle(lower.x, lower.y, upper.x, upper.y))
                })
                .collect();
            StreetOffice {
                id: code.clone(),
                name: name.clone(),
                district: Some(
                    districts[(office / 10).min(district_count - 1)]
                        .name
                        .clone(),
                ),
                boundary: Some(unary_union(&rectangles)),
            }
        })
        .collect()
}

/// The communities as the plan holds them.
fn communities(
    planned: &[PlannedCommunity],
    administration: &Administration,
    street_offices: &[StreetOffice],
    parts_in_metres: &[Vec<Vec<Coord<f64>>>],
    city: &CityFrame,
) -> Vec<Community> {
    let office_of_community = &administration.office_of_community;
    planned
        .iter()
        .enumerate()
        .map(|(index, community)| {
            let office = &street_offices[office_of_community[index]];
            Community {
                id: community_id(index),
                name: community.name.clone(),
                kind: community.kind,
                street_office: Some(office.name.clone()),
                district: office.district.clone(),
                new_estate: community.new_estate,
                old_town: community.old_town,
                locked: false,
                office_area_m2: community.office_area_m2,
                service_area_m2: community.service_area_m2,
                notes: String::new(),
                boundary: MultiPolygon::new(
                    parts_in_metres[index]
                        .iter()
                        .map(|ring| city.polygon(ring))
                        .collect(),
                ),
                other_properties: Map::new(),
            }
        })
        .collect()
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
    settings.title = Some(format!(
        "gen-city: {} buildings, {community_count} communities, seed {}",
        options.buildings, options.seed
    ));
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
