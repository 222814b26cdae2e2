//! Fix for a community above its band: split it along the streets inside it into 2…k
//! communities, each within its type's band, by the same cutting into units and growing of
//! groups as the automatic partition ([`crate::partition::regions`]): no building and no estate
//! is cut. Ranked by balance (how far the largest group strays from an even share) and
//! compactness (Polsby–Popper).

use geo::{Contains, MultiPolygon};

use crate::edit::Command;
use crate::ids::CommunityKey;
use crate::partition::regions::{self, Unit};
use crate::plan::{Community, CommunityProperties};
use crate::rules::community_households::{BandVerdict, band_verdict};
use crate::session::Session;

use super::{Candidate, unmeasured};

/// At most this many splits are offered (one per number of parts, best seeds each).
const SPLITS_OFFERED: usize = 3;
/// Seeds tried for each number of parts: the farthest unit, then the next farthest, …
const SEED_VARIANTS: usize = 3;

/// The community with `key` split along its streets into groups each within its band, best
/// first; empty when no street crosses it or no grouping falls within the band.
pub(super) fn splits_along_streets(session: &Session, key: CommunityKey) -> Vec<Candidate> {
    let Some(community) = session.plan().community(key) else {
        return Vec::new();
    };
    let units = regions::units_of(
        session,
        &community.boundary,
        &session.tallies().of(key).members,
    );
    if units.len() < 2 {
        return Vec::new();
    }
    let adjacent = regions::adjacency(&units);
    let total: u64 = units.iter().map(|unit| unit.households).sum();
    let band = &session.profile().community_households;
    let properties = &community.properties;
    let within = |households: u64| {
        band_verdict(band, properties.kind, properties.new_estate, households)
            == BandVerdict::Within
    };
    let most_parts = units
        .len()
        .min(total.div_ceil(band.minimum.max(1)) as usize);
    let fewest_parts = (total.div_ceil(band.maximum.max(1)) as usize).max(2);
    let seeds = regions::farthest_first(&units);
    let mut offered: Vec<(f64, Vec<Vec<usize>>)> = Vec::new();
    for parts in fewest_parts..=most_parts {
        let best = seeds
            .iter()
            .take(SEED_VARIANTS)
            .filter_map(|&first| regions::grow(&units, &adjacent, parts, first))
            .filter(|groups| {
                groups
                    .iter()
                    .all(|group| within(regions::group_households(&units, group)))
            })
            .map(|groups| (rank(&units, &groups, total), groups))
            .min_by(|(first, _), (second, _)| first.total_cmp(second));
        if let Some(found) = best {
            offered.push(found);
        }
        if offered.len() == SPLITS_OFFERED {
            break;
        }
    }
    offered
        .into_iter()
        .filter_map(|(rank, groups)| {
            let command = split_command(session, key, community, &units, &groups)?;
            let figures: Vec<String> = groups
                .iter()
                .map(|group| crate::format::grouped(regions::group_households(&units, group)))
                .collect();
            Some((
                rank,
                unmeasured(
                    format!(
                        "沿街道把 {} 拆分为 {} 个社区: {} 户",
                        properties.name,
                        groups.len(),
                        figures.join(" / ")
                    ),
                    format!(
                        "split {} along its streets into {} communities: {} households",
                        properties.name,
                        groups.len(),
                        figures.join(" / ")
                    ),
                    command,
                ),
            ))
        })
        .collect()
}

/// Lower is better: how far the largest group strays from an even share, plus how far from
/// round the groups are on average (1 − mean Polsby–Popper), half weighted.
fn rank(units: &[Unit], groups: &[Vec<usize>], total: u64) -> f64 {
    let even = total as f64 / groups.len() as f64;
    let imbalance = groups
        .iter()
        .map(|group| (regions::group_households(units, group) as f64 - even).abs() / even.max(1.0))
        .fold(0.0, f64::max);
    let compactness = groups
        .iter()
        .map(|group| regions::polsby_popper(&regions::group_boundary(units, group)))
        .sum::<f64>()
        / groups.len() as f64;
    imbalance + 0.5 * (1.0 - compactness)
}

/// The community keeps the group holding its committee office (else the one with the most
/// households) under its id; each other group becomes a new community `ID-2`, `ID-3`, … named
/// "name (2)", … with the same attributes and its part of the grids, unlocked, without office
/// points.
fn split_command(
    session: &Session,
    key: CommunityKey,
    community: &Community,
    units: &[Unit],
    groups: &[Vec<usize>],
) -> Option<Command> {
    let boundaries: Vec<MultiPolygon<f64>> = groups
        .iter()
        .map(|group| regions::group_boundary(units, group))
        .collect();
    if boundaries.iter().any(|boundary| boundary.0.len() != 1) {
        return None;
    }
    let households =
        |group: &Vec<usize>| -> u64 { group.iter().map(|&unit| units[unit].households).sum() };
    let kept = community
        .properties
        .office
        .and_then(|office| {
            boundaries
                .iter()
                .position(|boundary| boundary.contains(&office))
        })
        .or_else(|| (0..groups.len()).max_by_key(|&group| households(&groups[group])))?;
    let mut commands = vec![Command::Reshape {
        key,
        boundary: boundaries[kept].clone(),
    }];
    let mut number = 2;
    for (group, boundary) in boundaries.into_iter().enumerate() {
        if group == kept {
            continue;
        }
        let id = (number..)
            .map(|candidate| (candidate, format!("{}-{candidate}", community.id)))
            .find(|(_, id)| session.plan().key_of(id).is_none())?;
        number = id.0 + 1;
        // The new community takes the part of the grids inside it, numbered after its own id.
        let grids = crate::ops::grids_in_pieces(
            &community.properties.grids,
            &boundary.0,
            std::slice::from_ref(&id.1),
            session.profile().grids.codes_after_edits,
        )
        .pop()
        .unwrap_or_default();
        commands.push(Command::Create {
            community: Box::new(Community {
                id: id.1,
                properties: CommunityProperties {
                    name: format!("{} ({})", community.properties.name, id.0),
                    locked: false,
                    office: None,
                    service: None,
                    grids,
                    ..community.properties.clone()
                },
                boundary,
                other_properties: community.other_properties.clone(),
            }),
            avoid_overlap: false,
        });
    }
    Some(Command::Batch(commands))
}
