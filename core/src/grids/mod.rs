//! Management grids (网格): each community subdivided into grids of about the profile's target
//! households, drawn along its streets and, inside a block, along the gaps between buildings, so
//! no grid cuts a building; each grid lies wholly inside its community and together they cover
//! it. Codes follow CJ/T 213-2005: the community's code and a three-digit number, numbered in
//! rows from north to south and, within a row, from west to east (see [`codes_in_reading_order`]).

mod cut;
mod edit;

pub use crate::ops::grid_order::codes_in_reading_order;
use crate::ops::grid_order::numbered_in_reading_order;
pub use edit::{GridEditError, give_blocks_to_grid, merge_grids, split_grid, split_grid_preview};

use geo::MultiPolygon;
use serde::Serialize;

use crate::edit::Command;
use crate::ids::CommunityKey;
use crate::partition::regions::{self, Unit};
use crate::plan::Grid;
use crate::session::Session;

/// Seedings tried per community; the grouping with the lowest cost is kept.
const SEEDINGS: usize = 4;
/// Rounds of moving units across the edges between grids.
const BALANCE_PASSES: usize = 12;

/// What drawing grids did, community by community.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridsDrawn {
    /// The households a grid was drawn to hold.
    pub target_households: u64,
    /// One entry per community given grids, in plan order.
    pub communities: Vec<CommunityGrids>,
}

/// One community's new grids.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommunityGrids {
    /// The community's id (its code).
    pub community: String,
    /// Its name.
    pub name: String,
    /// Households of each grid, in code order.
    pub households: Vec<u64>,
}

/// The grids drawn for `communities` (every community when empty) with `target` households
/// each: one command setting each community's grids (an undo step), and what was drawn.
/// Communities without households get none; a locked community is left as it is.
pub fn draw_grids(
    session: &Session,
    communities: &[CommunityKey],
    target: u64,
) -> (Command, GridsDrawn) {
    let plan = session.plan();
    let keys: Vec<CommunityKey> = if communities.is_empty() {
        plan.communities().map(|(key, _)| key).collect()
    } else {
        communities.to_vec()
    };
    let profile = &session.profile().grids;
    let band = (profile.minimum_households, profile.maximum_households);
    let drawn: Vec<(CommunityKey, Vec<Grid>, Vec<u64>)> = {
        use rayon::prelude::*;
        keys.par_iter()
            .filter_map(|&key| {
                let community = plan.community(key)?;
                if community.properties.locked {
                    return None;
                }
                let (grids, households) = grids_for(session, key, target.max(1), band);
                Some((key, grids, households))
            })
            .collect()
    };
    let mut commands = Vec::new();
    let mut report = Vec::new();
    for (key, grids, households) in drawn {
        let Some(community) = plan.community(key) else {
            continue;
        };
        if grids == community.properties.grids {
            continue;
        }
        commands.push(Command::SetGrids { key, grids });
        report.push(CommunityGrids {
            community: community.id.clone(),
            name: community.properties.name.clone(),
            households,
        });
    }
    (
        Command::Batch(commands),
        GridsDrawn {
            target_households: target,
            communities: report,
        },
    )
}

/// One community's grids with their households, in code order.
fn grids_for(
    session: &Session,
    key: CommunityKey,
    target: u64,
    band: (u64, u64),
) -> (Vec<Grid>, Vec<u64>) {
    let Some(community) = session.plan().community(key) else {
        return (Vec::new(), Vec::new());
    };
    let tally = session.tallies().of(key);
    if tally.households == 0 {
        return (Vec::new(), Vec::new());
    }
    let blocks = regions::blocks_of(session, &community.boundary, &tally.members);
    // Pieces of at most half the target: coarser ones left grids far apart in households (on
    // the demo 151–553 with pieces up to the target, 165–434 with these).
    let mut units: Vec<Unit> = blocks
        .into_iter()
        .flat_map(|block| cut::divided(session, block, target / 2))
        .collect();
    cut::noded(&mut units);
    let parts =
        ((tally.households as f64 / target as f64).round() as usize).clamp(1, units.len().max(1));
    let groups: Vec<Vec<usize>> = if parts == 1 || units.len() <= 1 {
        vec![(0..units.len()).collect()]
    } else {
        let adjacent = cut::sharing_a_side(&units);
        let firsts = regions::farthest_first(&units).into_iter().take(SEEDINGS);
        let aim = regions::Aim {
            band,
            target: target as f64,
            passes: BALANCE_PASSES,
        };
        regions::best_grouping(&units, &adjacent, parts, firsts, aim, |_| 0.0)
    };
    let (boundaries, households): (Vec<MultiPolygon<f64>>, Vec<u64>) = groups
        .iter()
        .filter(|group| !group.is_empty())
        .map(|group| {
            (
                regions::group_boundary(&units, group),
                regions::group_households(&units, group),
            )
        })
        .filter(|(boundary, _)| !boundary.0.is_empty())
        .unzip();
    let (grids, order) = numbered_in_reading_order(&community.id, boundaries);
    let households = order.iter().map(|&index| households[index]).collect();
    (grids, households)
}

#[cfg(test)]
mod tests {
    use geo::{LineString, MultiPolygon, Polygon};

    use super::codes_in_reading_order;

    fn square(x: f64, y: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (x, y),
                (x + 100.0, y),
                (x + 100.0, y + 100.0),
                (x, y + 100.0),
                (x, y),
            ]),
            Vec::new(),
        )])
    }

    #[test]
    fn grids_are_numbered_in_rows_from_north_to_south_and_west_to_east_within_a_row() {
        // Two rows of three; the middle one of the north row a little lower (within half a
        // grid's height, so still in that row).
        let boundaries = vec![
            square(200.0, 0.0),   // south-east
            square(0.0, 100.0),   // north-west
            square(100.0, 70.0),  // north, middle, 30 m lower
            square(0.0, 0.0),     // south-west
            square(200.0, 100.0), // north-east
            square(100.0, 0.0),   // south, middle
        ];
        assert_eq!(codes_in_reading_order(&boundaries), vec![1, 2, 4, 3, 5, 0]);
    }
}
