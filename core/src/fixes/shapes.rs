//! Fixes for how boundaries lie: two communities overlapping (the shared ground goes to one
//! side), a boundary cutting buildings (each building goes wholly to the community that holds
//! most of it, the boundary moved to the streets around it or around the building alone) and a community across street offices (clipped to the office where most of its
//! households live, the rest handed to its neighbours there).

use std::collections::BTreeMap;

use geo::{Area, BoundingRect, Contains, MultiPolygon};

use crate::edit::Command;
use crate::geometry::overlay;
use crate::ids::CommunityKey;
use crate::index::aabb;
use crate::ops::validity::{MINIMUM_PART_AREA_M2, without_slivers};
use crate::rules::community_households::{BandVerdict, band_verdict};
use crate::session::Session;

use super::{Candidate, touching, unmeasured};

/// Two overlapping communities: the shared ground goes to one, the other loses it. The side
/// that loses it should stay within its band without the buildings there; ranked so.
pub(super) fn overlap_to_one_side(session: &Session, pair: &[CommunityKey]) -> Vec<Candidate> {
    let &[first, second] = pair else {
        return Vec::new();
    };
    let band = &session.profile().community_households;
    [(first, second), (second, first)]
        .into_iter()
        .filter_map(|(keeper, loser)| {
            let keeping = session.plan().community(keeper)?;
            let losing = session.plan().community(loser)?;
            if losing.properties.locked {
                return None;
            }
            let boundary =
                without_slivers(overlay::difference(&losing.boundary, &[&keeping.boundary]));
            if boundary.0.is_empty() {
                return None;
            }
            let shared: u64 = session
                .tallies()
                .of(loser)
                .members
                .iter()
                .filter(|building| {
                    session
                        .tallies()
                        .of(keeper)
                        .members
                        .binary_search(building)
                        .is_ok()
                })
                .map(|&building| {
                    u64::from(session.layers().buildings[building as usize].households)
                })
                .sum();
            let left = session
                .tallies()
                .of(loser)
                .households
                .saturating_sub(shared);
            let properties = &losing.properties;
            let within = band_verdict(band, properties.kind, properties.new_estate, left)
                == BandVerdict::Within;
            let middle = (band.minimum + band.maximum) as f64 / 2.0;
            let rank = if within { 0.0 } else { 1e9 } + (left as f64 - middle).abs();
            Some((
                rank,
                unmeasured(
                    format!(
                        "重叠部分归 {} ({})，{} 让出后 {} 户",
                        keeping.properties.name,
                        keeping.id,
                        properties.name,
                        crate::format::grouped(left)
                    ),
                    format!(
                        "give the shared ground to {} ({}); {} keeps {} households",
                        keeping.properties.name,
                        keeping.id,
                        properties.name,
                        crate::format::grouped(left)
                    ),
                    Command::Reshape {
                        key: loser,
                        boundary,
                    },
                ),
            ))
        })
        .collect()
}

/// Buildings `key`'s boundary cuts (those of `estate` buildings or the others, as the
/// violation's case says): each goes wholly to the community that holds most of its footprint —
/// with the street block it stands in, so that the boundary runs along the streets (first), or
/// alone, the boundary stepping round it.
pub(super) fn whole_buildings(
    session: &Session,
    key: CommunityKey,
    estate: bool,
) -> Vec<Candidate> {
    let buildings = &session.layers().buildings;
    let estate_community = session.plan().community(key).is_some_and(|community| {
        community.properties.kind == crate::plan::CommunityType::ResidentialEstate
    });
    let mut receivers: BTreeMap<CommunityKey, Vec<u32>> = BTreeMap::new();
    for &building in &session.tallies().of(key).cut_buildings {
        let found = &buildings[building as usize];
        // The same split as the rule's: estate buildings of an estate community, or the rest.
        if (estate_community && found.estate().is_some()) != estate {
            continue;
        }
        let [lower, upper] = found.envelope();
        let holder = session
            .community_index()
            .meeting(aabb(lower, upper))
            .filter_map(|other| {
                let community = session.plan().community(other)?;
                Some((
                    overlay::intersection(&community.boundary, &found.footprint).unsigned_area(),
                    other,
                ))
            })
            .max_by(|(first, _), (second, _)| first.total_cmp(second))
            .map(|(_, holder)| holder);
        if let Some(holder) = holder {
            receivers.entry(holder).or_default().push(building);
        }
    }
    if receivers.is_empty() {
        return Vec::new();
    }
    let count: usize = receivers.values().map(Vec::len).sum();
    let mut candidates = Vec::with_capacity(2);
    if let Some(command) = to_the_streets(session, &receivers) {
        candidates.push((
            0.0,
            unmeasured(
                format!(
                    "把被切割的 {count} 栋楼连同其所在街区划给占其面积最多的社区，边界移到街道上"
                ),
                format!(
                    "move the boundary to the streets: each of the {count} cut buildings goes wholly, with the street block it stands in, to the community holding most of it"
                ),
                command,
            ),
        ));
    }
    let commands: Vec<Command> = receivers
        .into_iter()
        .map(|(to, buildings)| Command::AssignBuildings { buildings, to })
        .collect();
    candidates.push((
        1.0,
        unmeasured(
            format!("把被切割的 {count} 栋楼各自整栋划给占其面积最多的社区"),
            format!(
                "give each of the {count} cut buildings wholly to the community holding most of it"
            ),
            Command::Batch(commands),
        ),
    ));
    candidates
}

/// A boundary that is not a valid polygon, redrawn through the overlay: a ring that crosses
/// itself is cut where it crosses and the ground it winds round kept, overlapping parts joined,
/// slivers dropped. Offered when that gives a boundary different from the one drawn.
pub(super) fn repaired(session: &Session, key: CommunityKey) -> Vec<Candidate> {
    let Some(community) = session.plan().community(key) else {
        return Vec::new();
    };
    let repaired = without_slivers(overlay::union(&[&community.boundary]));
    if repaired.0.is_empty() || repaired == community.boundary {
        return Vec::new();
    }
    let parts = repaired.0.len();
    vec![(
        0.0,
        unmeasured(
            format!(
                "修复 {} 的边界: 在自相交处切开, 保留其围合的范围 ({parts} 块)",
                community.properties.name
            ),
            format!(
                "repair the boundary of {}: cut where it crosses itself, keeping the ground it encloses ({parts} parts)",
                community.properties.name
            ),
            Command::Reshape {
                key,
                boundary: repaired,
            },
        ),
    )]
}

/// How far around a cut building the streets are looked for, m: a block reaching this far is
/// not closed by streets, and the boundary is not moved to them.
const STREET_REACH_M: f64 = 300.0;

/// For each receiver, the ground of the street blocks its cut buildings stand in that the other
/// communities holding part of those buildings have: the boundary moved to the streets around
/// each building. `None` where a building's block is not closed by streets within
/// [`STREET_REACH_M`], or would take half or more of the other community's ground.
fn to_the_streets(
    session: &Session,
    receivers: &BTreeMap<CommunityKey, Vec<u32>>,
) -> Option<Command> {
    let buildings = &session.layers().buildings;
    let plan = session.plan();
    let mut commands = Vec::with_capacity(receivers.len());
    for (&to, cut) in receivers {
        let mut ground: Vec<MultiPolygon<f64>> = Vec::new();
        for &building in cut {
            let found = &buildings[building as usize];
            let [lower, upper] = found.envelope();
            let reach = geo::Coord::from((STREET_REACH_M, STREET_REACH_M));
            let window = geo::Rect::new(lower - reach, upper + reach);
            let blocks = super::street_blocks(session, window.to_polygon());
            let holders = session
                .community_index()
                .meeting(aabb(lower, upper))
                .filter(|&other| other != to)
                .filter_map(|other| plan.community(other));
            for holder in holders {
                let held =
                    without_slivers(overlay::intersection(&holder.boundary, &found.footprint));
                for part in &held.0 {
                    let point = geo::InteriorPoint::interior_point(part)?;
                    let block = blocks.iter().find(|block| block.contains(&point))?;
                    if !super::closed_within(block, window) {
                        return None;
                    }
                    let block = MultiPolygon::new(vec![block.clone()]);
                    let taken = overlay::intersection(&block, &holder.boundary);
                    // Moving the boundary to the street may not swallow the other community.
                    if taken.unsigned_area() * 2.0 > holder.boundary.unsigned_area() {
                        return None;
                    }
                    ground.push(taken);
                }
            }
        }
        let parts: Vec<&MultiPolygon<f64>> = ground.iter().collect();
        let ground = without_slivers(overlay::union(&parts));
        if !ground.0.is_empty() {
            commands.push(Command::GiveGround { ground, to });
        }
    }
    (!commands.is_empty()).then_some(Command::Batch(commands))
}

/// A community across street offices: clipped to the office where most of its households live;
/// each part outside goes to a touching community of the office it lies in, where there is one.
pub(super) fn into_one_street_office(session: &Session, key: CommunityKey) -> Vec<Candidate> {
    let Some(community) = session.plan().community(key) else {
        return Vec::new();
    };
    let buildings = &session.layers().buildings;
    let members = &session.tallies().of(key).members;
    // The shares again through the overlay that keeps every vertex (geo's intersection can
    // leave a ring crossing itself where the two boundaries run close).
    let shares: Vec<(&crate::plan::StreetOffice, MultiPolygon<f64>)> = session
        .plan()
        .street_office_shares(&community.boundary)
        .into_iter()
        .filter_map(|(office, _)| {
            let share = overlay::intersection(&community.boundary, office.boundary.as_ref()?);
            Some((office, without_slivers(share)))
        })
        .collect();
    let households_in = |share: &MultiPolygon<f64>| -> u64 {
        members
            .iter()
            .map(|&building| &buildings[building as usize])
            .filter(|building| share.contains(&building.representative_point))
            .map(|building| u64::from(building.households))
            .sum()
    };
    let Some((home, home_share)) = shares
        .iter()
        .max_by(|(_, first), (_, second)| {
            (households_in(first), first.unsigned_area())
                .partial_cmp(&(households_in(second), second.unsigned_area()))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|(office, share)| (office.name.clone(), share.clone()))
    else {
        return Vec::new();
    };
    let home_share = without_slivers(home_share);
    if home_share.0.is_empty() {
        return Vec::new();
    }
    let mut commands = vec![Command::Reshape {
        key,
        boundary: home_share,
    }];
    let neighbours = touching(session, key);
    let mut handed = Vec::new();
    for (office, share) in &shares {
        if office.name == home || share.unsigned_area() < MINIMUM_PART_AREA_M2 {
            continue;
        }
        let Some(share_extent) = share.bounding_rect() else {
            continue;
        };
        let receiver = neighbours.iter().copied().find(|&neighbour| {
            session.plan().community(neighbour).is_some_and(|other| {
                !other.properties.locked
                    && other.properties.street_office.as_deref() == Some(office.name.as_str())
                    && other
                        .boundary
                        .bounding_rect()
                        .is_some_and(|extent| geo::Intersects::intersects(&extent, &share_extent))
            })
        });
        if let Some(receiver) = receiver
            && let Some(other) = session.plan().community(receiver)
        {
            handed.push(other.properties.name.clone());
            commands.push(Command::Reshape {
                key: receiver,
                boundary: overlay::union_noded(&other.boundary, share),
            });
        }
    }
    if community.properties.street_office.as_deref() != Some(home.as_str()) {
        let mut properties = community.properties.clone();
        properties.street_office = Some(home.clone());
        commands.push(Command::SetProperties {
            key,
            properties: Box::new(properties),
        });
    }
    let (handed_zh, handed_en) = if handed.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!("，界外部分划给 {}", handed.join("、")),
            format!("; the parts outside go to {}", handed.join(", ")),
        )
    };
    vec![(
        0.0,
        unmeasured(
            format!(
                "把 {} 收回到住户最多的 {home} 界内{handed_zh}",
                community.properties.name
            ),
            format!(
                "keep {} within {home}, where most of its households live{handed_en}",
                community.properties.name
            ),
            Command::Batch(commands),
        ),
    )]
}
