//! Fix for a community above its band: split it along the streets inside it into 2…k
//! communities, each within its type's band. The community is cut along every street that
//! crosses it into pieces (its blocks); pieces a building or an estate spans are kept together,
//! so no building and no estate is cut; the pieces are then grown into k contiguous groups from
//! seeds far apart, the group with the fewest households taking its nearest neighbouring piece
//! each time. Ranked by balance (how far the largest group strays from an even share) and
//! compactness (Polsby–Popper).

use std::collections::{BTreeMap, BTreeSet};

use geo::{
    Area, BoundingRect, Centroid, Contains, Coord, Euclidean, Length, LineString, MultiPolygon,
    Polygon,
};

use crate::edit::Command;
use crate::geometry::overlay;
use crate::ids::CommunityKey;
use crate::index::aabb;
use crate::ops::validity::without_slivers;
use crate::plan::{Community, CommunityProperties};
use crate::rules::community_households::{BandVerdict, band_verdict};
use crate::session::Session;

use super::{Candidate, unmeasured};

/// At most this many splits are offered (one per number of parts, best seeds each).
const SPLITS_OFFERED: usize = 3;
/// Seeds tried for each number of parts: the farthest piece, then the next farthest, …
const SEED_VARIANTS: usize = 3;

/// Pieces of the community kept together: a block, or blocks a building or estate spans.
struct Unit {
    polygons: Vec<Polygon<f64>>,
    households: u64,
    centre: Coord<f64>,
}

/// The community with `key` split along its streets into groups each within its band, best
/// first; empty when no street crosses it or no grouping falls within the band.
pub(super) fn splits_along_streets(session: &Session, key: CommunityKey) -> Vec<Candidate> {
    let Some(community) = session.plan().community(key) else {
        return Vec::new();
    };
    let units = units_of(session, key, community);
    if units.len() < 2 {
        return Vec::new();
    }
    let adjacent = adjacency(&units);
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
    let mut offered: Vec<(f64, Vec<Vec<usize>>)> = Vec::new();
    for parts in fewest_parts..=most_parts {
        let best = (0..SEED_VARIANTS)
            .filter_map(|variant| grow(&units, &adjacent, parts, variant))
            .filter(|groups| {
                groups
                    .iter()
                    .all(|group| within(group.iter().map(|&unit| units[unit].households).sum()))
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
                .map(|group| {
                    crate::format::grouped(group.iter().map(|&unit| units[unit].households).sum())
                })
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

/// The community cut along the streets that cross it, its pieces gathered into units that no
/// building or estate spans, each with its households.
fn units_of(session: &Session, key: CommunityKey, community: &Community) -> Vec<Unit> {
    let Some(extent) = community.boundary.bounding_rect() else {
        return Vec::new();
    };
    let streets = &session.layers().streets;
    let crossing: BTreeSet<u32> = session
        .street_index()
        .segments_of_streets_meeting(aabb(extent.min(), extent.max()))
        .map(|(_, _, street)| street)
        .collect();
    let lines: Vec<LineString<f64>> = crossing
        .iter()
        .flat_map(|&street| streets[street as usize].lines.0.iter().cloned())
        .collect();
    let pieces: Vec<Polygon<f64>> = overlay::slice(&community.boundary, &lines)
        .into_iter()
        .filter(|piece| piece.unsigned_area() >= crate::ops::validity::MINIMUM_PART_AREA_M2)
        .collect();
    if pieces.len() < 2 {
        return Vec::new();
    }
    let envelopes: Vec<Option<geo::Rect<f64>>> =
        pieces.iter().map(BoundingRect::bounding_rect).collect();
    // Pieces joined (union–find) where a building or an estate spans them.
    let mut parent: Vec<usize> = (0..pieces.len()).collect();
    fn root(parent: &mut [usize], mut piece: usize) -> usize {
        while parent[piece] != piece {
            parent[piece] = parent[parent[piece]];
            piece = parent[piece];
        }
        piece
    }
    let buildings = &session.layers().buildings;
    let mut households = vec![0_u64; pieces.len()];
    let mut estates: BTreeMap<&str, usize> = BTreeMap::new();
    for &member in &session.tallies().of(key).members {
        let building = &buildings[member as usize];
        let [lower, upper] = building.envelope();
        let footprint_extent = geo::Rect::new(lower, upper);
        let meeting: Vec<usize> = (0..pieces.len())
            .filter(|&piece| {
                envelopes[piece].is_some_and(|envelope| {
                    geo::Intersects::intersects(&envelope, &footprint_extent)
                }) && geo::Intersects::intersects(&pieces[piece], &building.footprint)
            })
            .collect();
        let home = (0..pieces.len())
            .find(|&piece| pieces[piece].contains(&building.representative_point))
            .or_else(|| meeting.first().copied());
        let Some(home) = home else { continue };
        households[home] += u64::from(building.households);
        let mut joined = meeting;
        if let Some(estate) = building.estate() {
            joined.push(*estates.entry(estate).or_insert(home));
        }
        for other in joined {
            let (first, second) = (root(&mut parent, home), root(&mut parent, other));
            parent[first] = second;
        }
    }
    let mut grouped: BTreeMap<usize, Unit> = BTreeMap::new();
    for (piece, polygon) in pieces.into_iter().enumerate() {
        let unit = grouped.entry(root(&mut parent, piece)).or_insert(Unit {
            polygons: Vec::new(),
            households: 0,
            centre: Coord::zero(),
        });
        unit.households += households[piece];
        unit.polygons.push(polygon);
    }
    grouped
        .into_values()
        .map(|mut unit| {
            unit.centre = MultiPolygon::new(unit.polygons.clone())
                .centroid()
                .map(|point| point.0)
                .unwrap_or_default();
            unit
        })
        .collect()
}

/// Which units share an edge (two or more corners, to the centimetre; one shared corner is a
/// crossing, not an edge).
fn adjacency(units: &[Unit]) -> Vec<BTreeSet<usize>> {
    let quantise = |coord: &Coord<f64>| {
        (
            (coord.x * 100.0).round() as i64,
            (coord.y * 100.0).round() as i64,
        )
    };
    let mut owners: BTreeMap<(i64, i64), BTreeSet<usize>> = BTreeMap::new();
    for (index, unit) in units.iter().enumerate() {
        for polygon in &unit.polygons {
            for coord in polygon.exterior().coords() {
                owners.entry(quantise(coord)).or_default().insert(index);
            }
        }
    }
    let mut shared: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for holders in owners.values() {
        for &first in holders {
            for &second in holders.range(first + 1..) {
                *shared.entry((first, second)).or_default() += 1;
            }
        }
    }
    let mut adjacent = vec![BTreeSet::new(); units.len()];
    for ((first, second), corners) in shared {
        if corners >= 2 {
            adjacent[first].insert(second);
            adjacent[second].insert(first);
        }
    }
    adjacent
}

/// Units grown into `parts` contiguous groups from seeds far apart (`variant` picks which unit
/// is the first seed: the farthest from the middle, the next farthest, …); `None` when the
/// units cannot be reached from the seeds.
fn grow(
    units: &[Unit],
    adjacent: &[BTreeSet<usize>],
    parts: usize,
    variant: usize,
) -> Option<Vec<Vec<usize>>> {
    use geo::Distance;
    let distance = |a: Coord<f64>, b: Coord<f64>| Euclidean.distance(geo::Point(a), geo::Point(b));
    let count = units.len() as f64;
    let middle = Coord {
        x: units.iter().map(|unit| unit.centre.x).sum::<f64>() / count,
        y: units.iter().map(|unit| unit.centre.y).sum::<f64>() / count,
    };
    let mut by_distance: Vec<usize> = (0..units.len()).collect();
    by_distance.sort_by(|&a, &b| {
        distance(units[b].centre, middle).total_cmp(&distance(units[a].centre, middle))
    });
    let mut seeds = vec![*by_distance.get(variant)?];
    while seeds.len() < parts {
        let next = (0..units.len())
            .filter(|unit| !seeds.contains(unit))
            .max_by(|&a, &b| {
                let nearest = |unit: usize| {
                    seeds
                        .iter()
                        .map(|&seed| distance(units[unit].centre, units[seed].centre))
                        .fold(f64::INFINITY, f64::min)
                };
                nearest(a).total_cmp(&nearest(b))
            })?;
        seeds.push(next);
    }
    let mut owner: Vec<Option<usize>> = vec![None; units.len()];
    let mut groups: Vec<Vec<usize>> = Vec::with_capacity(parts);
    let mut households: Vec<u64> = Vec::with_capacity(parts);
    for (group, &seed) in seeds.iter().enumerate() {
        owner[seed] = Some(group);
        groups.push(vec![seed]);
        households.push(units[seed].households);
    }
    loop {
        // The group with the fewest households that can still grow takes the free unit next to
        // it nearest its seed.
        let mut order: Vec<usize> = (0..parts).collect();
        order.sort_by_key(|&group| households[group]);
        let taken = order.into_iter().find_map(|group| {
            groups[group]
                .iter()
                .flat_map(|&unit| adjacent[unit].iter().copied())
                .filter(|&unit| owner[unit].is_none())
                .min_by(|&a, &b| {
                    let seed = units[seeds[group]].centre;
                    distance(units[a].centre, seed).total_cmp(&distance(units[b].centre, seed))
                })
                .map(|unit| (group, unit))
        });
        let Some((group, unit)) = taken else { break };
        owner[unit] = Some(group);
        groups[group].push(unit);
        households[group] += units[unit].households;
    }
    owner.iter().all(Option::is_some).then_some(groups)
}

/// Lower is better: how far the largest group strays from an even share, plus how far from
/// round the groups are on average (1 − mean Polsby–Popper), half weighted.
fn rank(units: &[Unit], groups: &[Vec<usize>], total: u64) -> f64 {
    let even = total as f64 / groups.len() as f64;
    let imbalance = groups
        .iter()
        .map(|group| {
            let households: u64 = group.iter().map(|&unit| units[unit].households).sum();
            (households as f64 - even).abs() / even.max(1.0)
        })
        .fold(0.0, f64::max);
    let compactness = groups
        .iter()
        .map(|group| {
            let boundary = group_boundary(units, group);
            let perimeter: f64 = boundary
                .iter()
                .map(|polygon| Euclidean.length(polygon.exterior()))
                .sum();
            4.0 * std::f64::consts::PI * boundary.unsigned_area() / (perimeter * perimeter).max(1.0)
        })
        .sum::<f64>()
        / groups.len() as f64;
    imbalance + 0.5 * (1.0 - compactness)
}

fn group_boundary(units: &[Unit], group: &[usize]) -> MultiPolygon<f64> {
    let polygons: Vec<Polygon<f64>> = group
        .iter()
        .flat_map(|&unit| units[unit].polygons.iter().cloned())
        .collect();
    without_slivers(overlay::union(&[&MultiPolygon::new(polygons)]))
}

/// The community keeps the group holding its committee office (else the one with the most
/// households) under its id; each other group becomes a new community `ID-2`, `ID-3`, … named
/// "name (2)", … with the same attributes, unlocked, without office points.
fn split_command(
    session: &Session,
    key: CommunityKey,
    community: &Community,
    units: &[Unit],
    groups: &[Vec<usize>],
) -> Option<Command> {
    let boundaries: Vec<MultiPolygon<f64>> = groups
        .iter()
        .map(|group| group_boundary(units, group))
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
    let mut commands = vec![Command::ReplaceBoundary {
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
        commands.push(Command::Create {
            community: Box::new(Community {
                id: id.1,
                properties: CommunityProperties {
                    name: format!("{} ({})", community.properties.name, id.0),
                    locked: false,
                    office: None,
                    service: None,
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
