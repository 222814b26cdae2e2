//! Each grid's households, residents and buildings: the community's buildings whose
//! representative point lies in it, as a community counts its own.

use geo::Contains;
use serde::Serialize;

use crate::layers::Building;
use crate::plan::Community;

/// One grid's figures, as `shequ check --format json` lists them under `grids`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridFigures {
    /// Its code.
    pub code: String,
    /// Its community's id.
    pub community: String,
    /// Households of its residential buildings.
    pub households: u64,
    /// Residents of its buildings.
    pub residents: u64,
    /// Its buildings.
    pub buildings: u32,
}

/// A community's grids counted: each grid's figures in code order, and the community's
/// residential buildings in none of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountedGrids {
    /// Each grid's figures, in code order.
    pub grids: Vec<GridFigures>,
    /// The community's residential buildings in no grid.
    pub outside: Vec<u32>,
}

/// A community's grids counted. `members` are the community's buildings; a building in two
/// overlapping grids counts in the first.
pub fn grids_of_community(
    community: &Community,
    members: &[u32],
    buildings: &[Building],
) -> CountedGrids {
    let grids = &community.properties.grids;
    let mut figures: Vec<GridFigures> = grids
        .iter()
        .map(|grid| GridFigures {
            code: grid.code.clone(),
            community: community.id.clone(),
            households: 0,
            residents: 0,
            buildings: 0,
        })
        .collect();
    let mut outside = Vec::new();
    for &member in members {
        let building = &buildings[member as usize];
        let point = geo::Point(building.representative_point);
        match grids.iter().position(|grid| grid.boundary.contains(&point)) {
            Some(index) => {
                let grid = &mut figures[index];
                grid.households += u64::from(building.households);
                grid.residents += u64::from(building.residents);
                grid.buildings += 1;
            }
            None if building.residential => outside.push(member),
            None => {}
        }
    }
    CountedGrids {
        grids: figures,
        outside,
    }
}
