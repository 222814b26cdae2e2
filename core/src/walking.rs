//! How far a community's residents walk to its committee office: the distance along the street
//! network (see [`crate::network`]) from every residential building of the community to the
//! office, and the households within each of the profile's distances (the 5-, 10- and 15-minute
//! life circles).

use geo::{Coord, Intersects, Point};

use crate::layers::Building;
use crate::network::WalkingNetwork;
use crate::plan::Community;
use crate::profile::Walking;

/// One community's walking figures.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityWalking {
    /// The office the distances are measured from, metres.
    pub office: Coord<f64>,
    /// The office lies outside the community's boundary.
    pub office_outside: bool,
    /// Households of the community's residential buildings.
    pub households: u64,
    /// The profile's distances, metres, and the households within each.
    pub within: Vec<(f64, u64)>,
    /// Households within the rule's distance.
    pub within_rule_distance: u64,
    /// The farthest residential building that can reach the office, and its distance.
    pub farthest: Option<(u32, f64)>,
    /// Residential buildings that cannot reach the office along the streets (another piece of
    /// the network, or no streets at all).
    pub unreachable: Vec<u32>,
    /// Their households.
    pub unreachable_households: u64,
    /// Each residential building's distance in metres, `None` when it cannot reach the office,
    /// in the order of the community's members.
    pub distances: Vec<(u32, Option<f32>)>,
}

impl CommunityWalking {
    /// The share of households within the rule's distance (1 when there are none).
    pub fn share_within_rule_distance(&self) -> f64 {
        share(self.within_rule_distance, self.households)
    }

    /// The share of households within each of the profile's distances.
    pub fn shares(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.within
            .iter()
            .map(|&(distance, households)| (distance, share(households, self.households)))
    }
}

/// `part` of `whole`, 1 when the whole is nothing.
fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// At most this many places are tried for an office (spread over the community's homes).
const MOST_PLACES_TRIED: usize = 64;

/// A better place for a community's office: the point on a street inside the community, in front
/// of one of its homes, from which the most households live within the rule's distance (the
/// nearer farthest building breaking ties) — if it brings more households within than the office
/// where it stands (or than none, where there is no office). With the households it brings within.
pub fn better_office_place(
    network: &WalkingNetwork,
    buildings: &[Building],
    community: &Community,
    members: &[u32],
    settings: &Walking,
) -> Option<(Coord<f64>, u64)> {
    let homes: Vec<(u64, crate::network::Attachment)> = members
        .iter()
        .filter_map(|&building| buildings.get(building as usize))
        .filter(|building| building.residential)
        .filter_map(|building| {
            Some((
                u64::from(building.households),
                network.attach(building.representative_point)?,
            ))
        })
        .collect();
    let targets: Vec<_> = homes.iter().map(|(_, attachment)| *attachment).collect();
    // Households within the rule's distance of `origin`, and the farthest reached.
    let measure = |origin: &crate::network::Attachment| -> (u64, f64) {
        let reached = network.distances(origin, &targets);
        homes.iter().zip(reached).fold(
            (0, 0.0),
            |(within, farthest), ((households, _), distance)| match distance {
                Some(metres) if metres <= settings.rule_distance_m => {
                    (within + households, farthest.max(metres))
                }
                Some(metres) => (within, farthest.max(metres)),
                None => (within, farthest),
            },
        )
    };
    let standing = community
        .properties
        .office
        .and_then(|office| network.attach(office))
        .map_or(0, |origin| measure(&origin).0);
    let step = homes.len().div_ceil(MOST_PLACES_TRIED).max(1);
    homes
        .iter()
        .step_by(step)
        .map(|(_, attachment)| crate::network::Attachment {
            offset_m: 0.0,
            ..*attachment
        })
        .filter(|place| community.boundary.intersects(&Point(place.joined)))
        .map(|place| {
            let (within, farthest) = measure(&place);
            (place.joined, within, farthest)
        })
        .max_by(|first, second| {
            first
                .1
                .cmp(&second.1)
                .then_with(|| second.2.total_cmp(&first.2))
        })
        .filter(|&(_, within, _)| within > standing)
        .map(|(place, within, _)| (place, within))
}

/// The walking figures of `community` (whose buildings are `members`), if it has an office.
pub fn community_walking(
    network: &WalkingNetwork,
    buildings: &[Building],
    community: &Community,
    members: &[u32],
    settings: &Walking,
) -> Option<CommunityWalking> {
    let office = community.properties.office?;
    let office_outside = !community.boundary.intersects(&Point(office));
    let homes: Vec<u32> = members
        .iter()
        .copied()
        .filter(|&building| {
            buildings
                .get(building as usize)
                .is_some_and(|building| building.residential)
        })
        .collect();
    let attachments: Vec<_> = homes
        .iter()
        .map(|&building| network.attach(buildings[building as usize].representative_point))
        .collect();
    let metres: Vec<Option<f64>> = match network.attach(office) {
        None => vec![None; homes.len()],
        Some(origin) => {
            let joined: Vec<_> = attachments.iter().flatten().copied().collect();
            let mut reached = network.distances(&origin, &joined).into_iter();
            attachments
                .iter()
                .map(|attachment| attachment.and_then(|_| reached.next().flatten()))
                .collect()
        }
    };
    let mut figures = CommunityWalking {
        office,
        office_outside,
        households: 0,
        within: settings
            .distances_m
            .iter()
            .map(|&distance| (distance, 0))
            .collect(),
        within_rule_distance: 0,
        farthest: None,
        unreachable: Vec::new(),
        unreachable_households: 0,
        distances: Vec::with_capacity(homes.len()),
    };
    for (&building, distance) in homes.iter().zip(metres) {
        let households = u64::from(buildings[building as usize].households);
        figures.households += households;
        figures
            .distances
            .push((building, distance.map(|metres| metres as f32)));
        let Some(distance) = distance else {
            figures.unreachable.push(building);
            figures.unreachable_households += households;
            continue;
        };
        for (limit, within) in &mut figures.within {
            if distance <= *limit {
                *within += households;
            }
        }
        if distance <= settings.rule_distance_m {
            figures.within_rule_distance += households;
        }
        if figures
            .farthest
            .is_none_or(|(_, farthest)| distance > farthest)
        {
            figures.farthest = Some((building, distance));
        }
    }
    Some(figures)
}
