//! A deterministic synthetic city for benchmarks and demos: a street grid, blocks filled with
//! buildings (households given for most, estimated for some), residential estates and work-unit
//! compounds, and communities that follow the streets, grouped into street offices and districts
//! with real Nanchang names. A few deliberate violations are planted and recorded in the plan's
//! `shequ.generator.planted` member, so tests can expect them by id.
//!
//! The random numbers come from SplitMix64 written out here rather than a crate's generator: the
//! committed demo files and the ids tests expect must not change when a dependency is updated.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::io::atomic::write_atomically;
use crate::io::plan_file::{PlanFileContents, PlanSettings, StreetOfficeRecord, save_plan_file};
use crate::plan::{Community, CommunityType, District, Plan, StreetOffice};
use crate::projection::{LocalProjection, round_degrees};

const DISTRICTS_CSV: &str = include_str!("../../assets/nanchang/nanchang_districts_census2020.csv");
const TOWNSHIPS_CSV: &str =
    include_str!("../../assets/nanchang/nanchang_township_units_nbs2023.csv");
const VILLAGES_CSV: &str =
    include_str!("../../assets/nanchang/nanchang_village_level_units_nbs2023.csv");

/// Centre of the generated city: Nanchang's old town (八一广场).
const CENTRE: (f64, f64) = (115.8994, 28.6781);
/// Distance between street centrelines east–west and north–south, in metres.
const BLOCK_PITCH: (f64, f64) = (120.0, 100.0);
/// Distance from a street centreline to the first building line.
const STREET_SETBACK: f64 = 9.0;
/// Gap around each building inside its plot.
const PLOT_MARGIN: f64 = 2.5;
/// How far a planted boundary stretch is moved into a block, metres.
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
    /// Planted violations: kind → community ids.
    pub planted: BTreeMap<String, Vec<String>>,
}

/// SplitMix64: small, fast and stable forever.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number in `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }
}

struct Names {
    districts: Vec<(String, String)>,
    /// (code, name, district code)
    townships: Vec<(String, String, String)>,
    /// (name, township code)
    villages: Vec<(String, String)>,
}

fn csv_rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.split(',').collect())
}

impl Names {
    fn load() -> Self {
        Self {
            districts: csv_rows(DISTRICTS_CSV)
                .map(|row| (row[0].to_owned(), row[1].to_owned()))
                .collect(),
            townships: csv_rows(TOWNSHIPS_CSV)
                .map(|row| (row[0].to_owned(), row[1].to_owned(), row[2].to_owned()))
                .collect(),
            villages: csv_rows(VILLAGES_CSV)
                .filter(|row| row[1].contains("社区"))
                .map(|row| (community_name(row[1]), row[2].to_owned()))
                .collect(),
        }
    }

    /// Street-office names: the 街道 of each district in turn, then numbered repeats.
    fn street_offices(&self, district_codes: &[String], count: usize) -> Vec<(String, String)> {
        let mut names: Vec<(String, String)> = Vec::new();
        for code in district_codes {
            names.extend(
                self.townships
                    .iter()
                    .filter(|(_, name, district)| district == code && name.ends_with("街道"))
                    .map(|(township, name, _)| (township.clone(), name.clone())),
            );
        }
        names.extend(
            self.townships
                .iter()
                .filter(|(_, name, district)| {
                    !district_codes.contains(district) && name.ends_with("街道")
                })
                .map(|(township, name, _)| (township.clone(), name.clone())),
        );
        unique_names(names, count)
    }

    /// Community names: those of the given street offices first, then all others.
    fn communities(&self, township_codes: &[String], count: usize) -> Vec<String> {
        let mut names: Vec<(String, String)> = Vec::new();
        for code in township_codes {
            names.extend(
                self.villages
                    .iter()
                    .filter(|(_, township)| township == code)
                    .cloned(),
            );
        }
        names.extend(
            self.villages
                .iter()
                .filter(|(_, township)| !township_codes.contains(township))
                .cloned(),
        );
        unique_names(
            names
                .into_iter()
                .map(|(name, township)| (township, name))
                .collect(),
            count,
        )
        .into_iter()
        .map(|(_, name)| name)
        .collect()
    }
}

/// "民巷社区居委会" → "民巷社区": the community, not its committee.
fn community_name(committee: &str) -> String {
    match committee.find("社区") {
        Some(position) => committee[..position + "社区".len()].to_owned(),
        None => committee.to_owned(),
    }
}

/// Takes `count` names, numbering repeats ("…社区2") once the list runs out.
fn unique_names(names: Vec<(String, String)>, count: usize) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    let distinct: Vec<(String, String)> = names
        .into_iter()
        .filter(|(_, name)| seen.insert(name.clone()))
        .collect();
    (0..count)
        .map(|index| {
            let (code, name) = &distinct[index % distinct.len()];
            let round = index / distinct.len();
            if round == 0 {
                (code.clone(), name.clone())
            } else {
                (format!("{code}-{round}"), format!("{name}{}", round + 1))
            }
        })
        .collect()
}

/// The layout of the grid: communities of `block_columns × block_rows` blocks each, laid out in
/// `community_columns` columns.
struct Layout {
    community_columns: usize,
    block_columns: usize,
    block_rows: usize,
}

impl Layout {
    fn new(buildings: usize, communities: usize) -> Self {
        let blocks = buildings.div_ceil(12).max(1);
        let blocks_per_community = (blocks as f64 / communities as f64).round().max(1.0) as usize;
        let block_columns = (blocks_per_community as f64).sqrt().round().max(1.0) as usize;
        let block_rows = blocks_per_community.div_ceil(block_columns).max(1);
        let community_columns = (communities as f64).sqrt().ceil().max(1.0) as usize;
        Self {
            community_columns,
            block_columns,
            block_rows,
        }
    }

    /// Grid column and row of community `index`'s lower-left block.
    fn origin(&self, index: usize) -> (usize, usize) {
        (
            (index % self.community_columns) * self.block_columns,
            (index / self.community_columns) * self.block_rows,
        )
    }

    fn cells(&self, index: usize) -> Vec<(usize, usize)> {
        let (column, row) = self.origin(index);
        (row..row + self.block_rows)
            .flat_map(|y| (column..column + self.block_columns).map(move |x| (x, y)))
            .collect()
    }
}

/// The outline of a set of grid cells (simply connected) as a counter-clockwise ring of grid
/// points, with every grid point along its edges kept as a vertex so neighbours share vertices.
fn outline_of_cells(cells: &[(usize, usize)]) -> Vec<(i64, i64)> {
    use std::collections::{HashMap, HashSet};
    let mut edges: HashSet<((i64, i64), (i64, i64))> = HashSet::new();
    for &(x, y) in cells {
        let (x, y) = (x as i64, y as i64);
        for edge in [
            ((x, y), (x + 1, y)),
            ((x + 1, y), (x + 1, y + 1)),
            ((x + 1, y + 1), (x, y + 1)),
            ((x, y + 1), (x, y)),
        ] {
            if !edges.remove(&(edge.1, edge.0)) {
                edges.insert(edge);
            }
        }
    }
    let next: HashMap<(i64, i64), (i64, i64)> = edges.iter().copied().collect();
    let Some(start) = next.keys().min().copied() else {
        return Vec::new();
    };
    let mut ring = vec![start];
    let mut current = next[&start];
    while current != start && ring.len() <= next.len() {
        ring.push(current);
        current = next[&current];
    }
    ring
}

fn grid_to_metres(point: (i64, i64)) -> Coord<f64> {
    Coord {
        x: point.0 as f64 * BLOCK_PITCH.0,
        y: point.1 as f64 * BLOCK_PITCH.1,
    }
}

fn polygon_from(coords: Vec<Coord<f64>>) -> MultiPolygon<f64> {
    let mut closed = coords;
    if let Some(first) = closed.first().copied() {
        closed.push(first);
    }
    MultiPolygon::new(vec![Polygon::new(LineString::new(closed), vec![])])
}

fn write_number(writer: &mut dyn Write, value: f64) -> std::io::Result<()> {
    write!(writer, "{}", round_degrees(value))
}

fn write_ring(
    writer: &mut dyn Write,
    ring: &[Coord<f64>],
    projection: &LocalProjection,
) -> std::io::Result<()> {
    writer.write_all(b"[")?;
    for (index, coord) in ring.iter().chain(ring.first()).enumerate() {
        if index > 0 {
            writer.write_all(b",")?;
        }
        let (longitude, latitude) = projection.to_lon_lat(*coord);
        writer.write_all(b"[")?;
        write_number(writer, longitude)?;
        writer.write_all(b",")?;
        write_number(writer, latitude)?;
        writer.write_all(b"]")?;
    }
    writer.write_all(b"]")
}

struct PlannedCommunity {
    name: String,
    kind: CommunityType,
    new_estate: bool,
    target_households: u64,
    has_buildings: bool,
    cells: Vec<(usize, usize)>,
}

struct Plants {
    too_many: Option<usize>,
    too_few: Option<usize>,
    large_new_estate: Option<usize>,
    small_work_unit: Option<usize>,
    uncovered_corner: Option<usize>,
    empty: Option<usize>,
    cut_pair: Option<(usize, usize)>,
    overlap_pair: Option<(usize, usize)>,
}

fn choose_plants(communities: usize, layout: &Layout, plant: bool) -> Plants {
    let none = Plants {
        too_many: None,
        too_few: None,
        large_new_estate: None,
        small_work_unit: None,
        uncovered_corner: None,
        empty: None,
        cut_pair: None,
        overlap_pair: None,
    };
    if !plant || communities < 16 || layout.community_columns < 6 {
        return none;
    }
    let columns = layout.community_columns;
    let right_neighbour = |index: usize| {
        (index % columns + 1 < columns && index + 1 < communities).then_some((index, index + 1))
    };
    Plants {
        too_many: Some(1),
        too_few: Some(2),
        large_new_estate: Some(4),
        small_work_unit: Some(7),
        uncovered_corner: (layout.block_columns * layout.block_rows >= 2).then_some(5),
        empty: Some(columns + 3),
        cut_pair: if layout.block_rows >= 2 {
            right_neighbour(columns)
        } else {
            None
        },
        overlap_pair: if layout.block_rows >= 2 {
            right_neighbour(columns + 5)
        } else {
            None
        },
    }
}

/// Generates a city into `folder`: `buildings.geojson`, `streets.geojson` and `plan.shequ.geojson`.
pub fn generate_city(options: &CityOptions, folder: &Path) -> Result<CitySummary> {
    if options.buildings == 0 {
        return Err(Error::Generator(
            "--buildings must be at least 1".to_owned(),
        ));
    }
    let community_count = options
        .communities
        .unwrap_or_else(|| (options.buildings / 1000).max(4));
    if community_count == 0 || community_count > options.buildings {
        return Err(Error::Generator(format!(
            "--communities must be between 1 and the number of buildings ({}), not {community_count}",
            options.buildings
        )));
    }
    std::fs::create_dir_all(folder).map_err(|source| Error::Write {
        path: folder.to_path_buf(),
        source,
    })?;
    let mut random = SplitMix64(options.seed);
    let names = Names::load();
    let layout = Layout::new(options.buildings, community_count);
    let plants = choose_plants(community_count, &layout, options.plant_violations);

    // Street offices: about ten communities each; with plants, the last has only five (too
    // few residents: a merge candidate).
    let office_count = ((community_count as f64 / 10.0).round() as usize).max(1);
    let mut office_sizes = vec![community_count / office_count; office_count];
    for size in office_sizes.iter_mut().take(community_count % office_count) {
        *size += 1;
    }
    if options.plant_violations && office_count >= 3 && community_count >= 40 {
        let surplus = office_sizes[office_count - 1].saturating_sub(5);
        office_sizes[office_count - 1] -= surplus;
        for index in 0..surplus {
            office_sizes[index % (office_count - 1)] += 1;
        }
    }
    let district_count = office_count.div_ceil(10).max(1);
    let district_codes: Vec<String> = (0..district_count)
        .map(|index| names.districts[index % names.districts.len()].0.clone())
        .collect();
    let districts: Vec<District> = (0..district_count)
        .map(|index| {
            let (code, name) = &names.districts[index % names.districts.len()];
            let round = index / names.districts.len();
            if round == 0 {
                District {
                    id: code.clone(),
                    name: name.clone(),
                }
            } else {
                District {
                    id: format!("{code}-{round}"),
                    name: format!("{name}{}", round + 1),
                }
            }
        })
        .collect();
    let office_names = names.street_offices(&district_codes, office_count);
    let street_offices: Vec<StreetOffice> = office_names
        .iter()
        .enumerate()
        .map(|(index, (code, name))| StreetOffice {
            id: code.clone(),
            name: name.clone(),
            district: Some(districts[(index / 10).min(district_count - 1)].name.clone()),
            boundary: None,
        })
        .collect();
    let office_of_community: Vec<usize> = office_sizes
        .iter()
        .enumerate()
        .flat_map(|(office, &size)| std::iter::repeat_n(office, size))
        .collect();
    let township_codes: Vec<String> = office_names.iter().map(|(code, _)| code.clone()).collect();
    let community_names = names.communities(&township_codes, community_count);

    let mut planned: Vec<PlannedCommunity> = (0..community_count)
        .map(|index| {
            let kind = match index % 10 {
                3 => CommunityType::ResidentialEstate,
                7 => CommunityType::WorkUnit,
                _ => CommunityType::Geographic,
            };
            PlannedCommunity {
                name: community_names[index].clone(),
                kind,
                new_estate: false,
                target_households: random.between(1300, 1900),
                has_buildings: true,
                cells: layout.cells(index),
            }
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
    if let Some(index) = plants.empty {
        planned[index].has_buildings = false;
    }

    let projection = LocalProjection::centred_on(CENTRE.0, CENTRE.1);
    // The grid is laid out from (0, 0); shift it so the city's centre is the projection's centre.
    let grid_columns = layout.community_columns * layout.block_columns;
    let grid_rows = community_count.div_ceil(layout.community_columns) * layout.block_rows;
    let offset = Coord {
        x: -(grid_columns as f64) * BLOCK_PITCH.0 / 2.0,
        y: -(grid_rows as f64) * BLOCK_PITCH.1 / 2.0,
    };
    let place = |coord: Coord<f64>| Coord {
        x: coord.x + offset.x,
        y: coord.y + offset.y,
    };

    // Buildings: spread evenly over the blocks of communities that have buildings.
    let blocks: Vec<(usize, (usize, usize))> = planned
        .iter()
        .enumerate()
        .filter(|(_, community)| community.has_buildings)
        .flat_map(|(index, community)| community.cells.iter().map(move |&cell| (index, cell)))
        .collect();
    let per_block = options.buildings / blocks.len();
    let extra = options.buildings % blocks.len();
    let plots_per_block = per_block + usize::from(extra > 0);
    let plot_columns = ((plots_per_block as f64 * 1.25).sqrt().ceil() as usize).max(1);
    let plot_rows = plots_per_block.div_ceil(plot_columns).max(1);

    struct GeneratedBuilding {
        community: usize,
        ring: Vec<Coord<f64>>,
        footprint_area: f64,
        use_: &'static str,
    }
    let mut generated: Vec<GeneratedBuilding> = Vec::with_capacity(options.buildings);
    for (block_number, &(community, (column, row))) in blocks.iter().enumerate() {
        let count = per_block + usize::from(block_number < extra);
        let left = column as f64 * BLOCK_PITCH.0 + STREET_SETBACK;
        let bottom = row as f64 * BLOCK_PITCH.1 + STREET_SETBACK;
        let plot_width = (BLOCK_PITCH.0 - 2.0 * STREET_SETBACK) / plot_columns as f64;
        let plot_height = (BLOCK_PITCH.1 - 2.0 * STREET_SETBACK) / plot_rows as f64;
        for plot in 0..count {
            let x0 = left + (plot % plot_columns) as f64 * plot_width + PLOT_MARGIN;
            let y0 = bottom + (plot / plot_columns) as f64 * plot_height + PLOT_MARGIN;
            let width = plot_width - 2.0 * PLOT_MARGIN;
            let height = plot_height - 2.0 * PLOT_MARGIN;
            let number = generated.len();
            // Every fifth footprint is L-shaped: its centroid can fall outside, its interior
            // point cannot.
            let (ring, footprint_area) = if number % 5 == 4 {
                let (notch_x, notch_y) = (x0 + width * 0.45, y0 + height * 0.45);
                (
                    vec![
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
                    ],
                    width * height - (width * 0.55) * (height * 0.55),
                )
            } else {
                (
                    vec![
                        Coord { x: x0, y: y0 },
                        Coord {
                            x: x0 + width,
                            y: y0,
                        },
                        Coord {
                            x: x0 + width,
                            y: y0 + height,
                        },
                        Coord {
                            x: x0,
                            y: y0 + height,
                        },
                    ],
                    width * height,
                )
            };
            let use_ = match (planned[community].kind, number % 13) {
                (CommunityType::Geographic, 5) => "commercial",
                (CommunityType::Geographic, 11) => "school",
                (_, 9) => "office",
                _ => "residential",
            };
            generated.push(GeneratedBuilding {
                community,
                ring: ring.into_iter().map(place).collect(),
                footprint_area,
                use_,
            });
        }
    }

    // Households: each community's target split over its residential buildings.
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
        let share = target / members.len() as u64;
        let remainder = (target % members.len() as u64) as usize;
        for (position, &number) in members.iter().enumerate() {
            households[number] = (share + u64::from(position < remainder)).max(1);
        }
    }

    let buildings_path = folder.join("buildings.geojson");
    let mut households_in_data = 0u64;
    write_atomically(&buildings_path, |writer| {
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
            // One residential building in ten has no count: its floors are set so that the
            // profile's estimate lands near the intended households.
            if residential && number % 10 == 3 {
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
            match community.kind {
                CommunityType::ResidentialEstate => write!(
                    writer,
                    ",\"estate\":\"{}小区\"",
                    community.name.trim_end_matches("社区")
                )?,
                CommunityType::WorkUnit => write!(
                    writer,
                    ",\"work_unit\":\"{}机械厂\"",
                    community.name.trim_end_matches("社区")
                )?,
                CommunityType::Geographic => {}
            }
            writer.write_all(b"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[")?;
            write_ring(writer, &building.ring, &projection)?;
            writer.write_all(b"]}}")?;
        }
        writer.write_all(b"\n]}\n")
    })?;

    // Streets: every grid line, split at each junction; every fourth line is a main road.
    let streets_path = folder.join("streets.geojson");
    let mut street_count = 0usize;
    write_atomically(&streets_path, |writer| {
        writer
            .write_all(b"{\"type\":\"FeatureCollection\",\"name\":\"streets\",\"features\":[\n")?;
        let mut write_street = |writer: &mut dyn Write,
                                from: (i64, i64),
                                to: (i64, i64),
                                main: bool,
                                name: String|
         -> std::io::Result<()> {
            if street_count > 0 {
                writer.write_all(b",\n")?;
            }
            street_count += 1;
            let class = if main { "primary" } else { "residential" };
            write!(
                writer,
                "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"S{street_count:07}\",\"highway\":\"{class}\",\"name\":\"{name}\"}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":"
            )?;
            let line = [place(grid_to_metres(from)), place(grid_to_metres(to))];
            writer.write_all(b"[")?;
            for (index, coord) in line.iter().enumerate() {
                if index > 0 {
                    writer.write_all(b",")?;
                }
                let (longitude, latitude) = projection.to_lon_lat(*coord);
                writer.write_all(b"[")?;
                write_number(writer, longitude)?;
                writer.write_all(b",")?;
                write_number(writer, latitude)?;
                writer.write_all(b"]")?;
            }
            writer.write_all(b"]}}")
        };
        for x in 0..=grid_columns as i64 {
            for y in 0..grid_rows as i64 {
                write_street(
                    writer,
                    (x, y),
                    (x, y + 1),
                    x % 4 == 0,
                    format!("经{}路", x + 1),
                )?;
            }
        }
        for y in 0..=grid_rows as i64 {
            for x in 0..grid_columns as i64 {
                write_street(
                    writer,
                    (x, y),
                    (x + 1, y),
                    y % 4 == 0,
                    format!("纬{}路", y + 1),
                )?;
            }
        }
        writer.write_all(b"\n]}\n")
    })?;

    // Communities: outlines of their blocks along the street centrelines, with plants applied.
    let mut rings: Vec<Vec<(i64, i64)>> = planned
        .iter()
        .enumerate()
        .map(|(index, community)| {
            let mut cells = community.cells.clone();
            if plants.uncovered_corner == Some(index) {
                cells.pop();
            }
            outline_of_cells(&cells)
        })
        .collect();
    let mut boundaries: Vec<Vec<Coord<f64>>> = rings
        .iter()
        .map(|ring| ring.iter().map(|&point| grid_to_metres(point)).collect())
        .collect();
    let shared_edge_interior =
        |ring: &[(i64, i64)], column: i64, low: i64, high: i64| -> Vec<usize> {
            ring.iter()
                .enumerate()
                .filter(|(_, point)| point.0 == column && point.1 > low && point.1 < high)
                .map(|(position, _)| position)
                .collect()
        };
    let mut shift_shared_edge = |left: usize, shift: f64, move_right_too: bool| {
        let (column, row) = layout.origin(left + 1);
        let (column, low, high) = (column as i64, row as i64, (row + layout.block_rows) as i64);
        for (community, moves) in [(left, true), (left + 1, move_right_too)] {
            if !moves {
                continue;
            }
            for position in shared_edge_interior(&rings[community], column, low, high) {
                boundaries[community][position].x += shift;
            }
        }
    };
    if let Some((left, _)) = plants.cut_pair {
        shift_shared_edge(left, PLANTED_CUT_SHIFT, true);
    }
    if let Some((left, _)) = plants.overlap_pair {
        shift_shared_edge(left, PLANTED_OVERLAP_SHIFT, false);
    }
    rings.clear();

    let communities: Vec<Community> = planned
        .iter()
        .enumerate()
        .map(|(index, community)| {
            let office = &street_offices[office_of_community[index]];
            Community {
                id: format!("SQ{:04}", index + 1),
                name: community.name.clone(),
                kind: community.kind,
                street_office: Some(office.name.clone()),
                district: office.district.clone(),
                new_estate: community.new_estate,
                old_town: index % 6 == 0,
                locked: false,
                office_area_m2: None,
                service_area_m2: None,
                boundary: polygon_from(boundaries[index].iter().copied().map(place).collect()),
                other_properties: Map::new(),
            }
        })
        .collect();

    let id_of = |index: usize| format!("SQ{:04}", index + 1);
    let mut planted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut plant = |kind: &str, indices: Vec<usize>| {
        planted.insert(kind.to_owned(), indices.into_iter().map(id_of).collect());
    };
    if let Some(index) = plants.too_many {
        plant("community.households.above_maximum", vec![index]);
    }
    if let Some(index) = plants.too_few {
        plant("community.households.below_minimum", vec![index]);
    }
    if let Some(index) = plants.large_new_estate {
        plant("community.households.new_estate_above_warning", vec![index]);
    }
    if let Some(index) = plants.small_work_unit {
        plant("community.households.work_unit_below_minimum", vec![index]);
    }
    if let Some(index) = plants.uncovered_corner {
        plant("plan.uncovered", vec![index]);
    }
    if let Some(index) = plants.empty {
        plant("community.empty", vec![index]);
    }
    if let Some((left, right)) = plants.cut_pair {
        plant("community.cuts_building", vec![left, right]);
    }
    if let Some((left, right)) = plants.overlap_pair {
        plant("plan.overlap", vec![left, right]);
    }
    if options.plant_violations && office_count >= 3 && community_count >= 40 {
        planted.insert(
            "street_office.merge_candidate".to_owned(),
            vec![street_offices[office_count - 1].name.clone()],
        );
    }

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
    let plan_path = folder.join("plan.shequ.geojson");
    let mut members = Map::new();
    members.insert("name".to_owned(), Value::String("communities".to_owned()));
    save_plan_file(
        &plan_path,
        &PlanFileContents {
            settings: &settings,
            collection_members: &members,
            plan: &plan,
            projection: &projection,
        },
    )?;

    Ok(CitySummary {
        buildings: generated.len(),
        streets: street_count,
        communities: community_count,
        street_offices: office_count,
        households_in_data,
        planted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_of_an_l_of_three_cells_keeps_every_grid_point() {
        let ring = outline_of_cells(&[(0, 0), (1, 0), (0, 1)]);
        assert_eq!(ring.len(), 8);
        assert_eq!(ring[0], (0, 0));
    }

    #[test]
    fn the_same_seed_gives_the_same_files() {
        let first = tempfile::tempdir().expect("temp dir");
        let second = tempfile::tempdir().expect("temp dir");
        let options = CityOptions {
            buildings: 1500,
            communities: Some(20),
            seed: 7,
            plant_violations: true,
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
        };
        let summary = generate_city(&options, folder.path()).expect("generates");
        assert_eq!(summary.buildings, 1234);
        assert_eq!(summary.communities, 4);
    }
}
