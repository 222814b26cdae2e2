//! Fixes for residential buildings in no community.

use crate::index::aabb;
use crate::rules::community_households::{BandVerdict, band_verdict};
use crate::session::Session;

use super::{Candidate, unmeasured};
use crate::edit::Command;

/// How far (m) from an uncovered cluster a community may lie and still be offered its buildings.
const NEIGHBOUR_REACH_M: f64 = 60.0;

/// Residential buildings in no community, inside `outline` (their cluster): given to each
/// community within [`NEIGHBOUR_REACH_M`] that stays within its band with them, nearest first.
pub(super) fn give_to_neighbour(
    session: &Session,
    outline: &geo::MultiPolygon<f64>,
) -> Vec<Candidate> {
    use geo::{BoundingRect, Contains, Distance, Euclidean};
    let buildings = &session.layers().buildings;
    let cluster: Vec<u32> = session
        .tallies()
        .unassigned_buildings()
        .filter(|&building| outline.contains(&buildings[building as usize].representative_point))
        .collect();
    let Some(bounds) = outline.bounding_rect() else {
        return Vec::new();
    };
    if cluster.is_empty() {
        return Vec::new();
    }
    let households: u64 = cluster
        .iter()
        .map(|&building| u64::from(buildings[building as usize].households))
        .sum();
    let reach = geo::Coord {
        x: NEIGHBOUR_REACH_M,
        y: NEIGHBOUR_REACH_M,
    };
    let band = &session.profile().community_households;
    session
        .community_index()
        .meeting(aabb(bounds.min() - reach, bounds.max() + reach))
        .filter_map(|key| {
            let community = session.plan().community(key)?;
            let properties = &community.properties;
            if properties.locked {
                return None;
            }
            let distance = Euclidean.distance(&community.boundary, outline);
            if distance > NEIGHBOUR_REACH_M {
                return None;
            }
            let together = session.tallies().of(key).households + households;
            if band_verdict(band, properties.kind, properties.new_estate, together)
                != BandVerdict::Within
            {
                return None;
            }
            Some((
                distance,
                unmeasured(
                    format!(
                        "把 {} 栋住宅楼 ({} 户) 划入相邻的 {} ({})，划入后 {} 户",
                        cluster.len(),
                        crate::format::grouped(households),
                        properties.name,
                        community.id,
                        crate::format::grouped(together)
                    ),
                    format!(
                        "give the {} residential buildings ({} households) to the neighbouring {} ({}): {} households then",
                        cluster.len(),
                        crate::format::grouped(households),
                        properties.name,
                        community.id,
                        crate::format::grouped(together)
                    ),
                    Command::AssignBuildings {
                        buildings: cluster.clone(),
                        to: key,
                    },
                ),
            ))
        })
        .collect()
}
