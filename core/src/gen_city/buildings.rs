//! The city frame, buildings placed on the blocks, households split over them, and
//! `buildings.geojson` written.

use std::path::Path;

use geo::{Coord, LineString, Polygon};

use crate::error::Result;
use crate::io::atomic::write_atomically;
use crate::plan::CommunityType;
use crate::projection::LocalProjection;
use crate::random::SplitMix64;
use grid::{BLOCK_PITCH, Layout};
use write::write_positions;

use super::*;

/// The grid laid out from (0, 0), shifted so that the city's centre is the projection's.
pub(super) struct CityFrame {
    pub(super) grid_columns: usize,
    pub(super) grid_rows: usize,
    pub(super) offset: Coord<f64>,
}

impl CityFrame {
    pub(super) fn new(layout: &Layout) -> Self {
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
    pub(super) fn place(&self, coord: Coord<f64>) -> Coord<f64> {
        coord + self.offset
    }

    /// A closed polygon from a ring of the grid's metres.
    pub(super) fn polygon(&self, ring: &[Coord<f64>]) -> Polygon<f64> {
        let mut closed: Vec<Coord<f64>> = ring.iter().map(|&coord| self.place(coord)).collect();
        if let Some(&first) = closed.first() {
            closed.push(first);
        }
        Polygon::new(LineString::new(closed), vec![])
    }
}

/// Buildings, spread evenly over the blocks of communities that have buildings.
pub(super) fn place_buildings(
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
pub(super) fn split_households(
    generated: &[GeneratedBuilding],
    planned: &[PlannedCommunity],
) -> Vec<u64> {
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
pub(super) fn write_buildings(
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
