//! Community boundaries along the streets (with the planted changes), street offices and the
//! communities as the plan holds them.

use geo::{Coord, MultiPolygon, Polygon, unary_union};
use serde_json::Map;

use crate::plan::{Community, CommunityProperties, StreetOffice};
use grid::{Layout, grid_to_metres, outline_of_cells};

use super::*;

/// Community boundaries in the grid's metres: outlines of their blocks along the street
/// centrelines (a part per connected group of blocks), then the planted changes.
pub(super) fn community_boundaries(
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
pub(super) fn street_offices(
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
pub(super) fn communities(
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
                properties: CommunityProperties {
                    street_office: Some(office.name.clone()),
                    district: office.district.clone(),
                    new_estate: community.new_estate,
                    old_town: community.old_town,
                    office_area_m2: community.office_area_m2,
                    service_area_m2: community.service_area_m2,
                    ..CommunityProperties::new(community.name.clone(), community.kind)
                },
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
