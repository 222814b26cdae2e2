//! A community below its band shared out among its neighbours: its street blocks go, whole, to
//! the touching communities with room for them, and the community goes.

use std::collections::BTreeMap;

use geo::{BoundingRect, Distance, Euclidean, Intersects, MultiPolygon, Rect};

use crate::edit::Command;
use crate::format::grouped;
use crate::ids::CommunityKey;
use crate::partition::regions::{self, Unit};
use crate::plan::CommunityType;
use crate::rules::community_households::{BandVerdict, band_verdict};
use crate::session::Session;

use super::{Candidate, touching, unmeasured};

/// A block lying within this of a neighbour's boundary touches it, m (shared edges digitised
/// apart meet to within millimetres).
const TOUCHING_M: f64 = 0.5;

/// Fixes of this kind come after the merges: a merge keeps one community whole.
const RANK_AFTER_MERGES: f64 = 1e6;

/// A neighbour that may take blocks: its key, boundary and households.
struct Receiver<'a> {
    key: CommunityKey,
    boundary: &'a MultiPolygon<f64>,
    households: u64,
}

/// `key`'s street blocks (kept whole where a building or an estate spans several) given to its
/// touching, unlocked neighbours — those of its street office where it has any — each block to a
/// neighbour it touches, or that holds a block it touches, with the most room left; offered when
/// every block finds a place, two neighbours or more take some (all to one is a merge) and each
/// ends within its band. The community is then deleted.
pub(super) fn share_among_neighbours(session: &Session, key: CommunityKey) -> Vec<Candidate> {
    let Some(community) = session.plan().community(key) else {
        return Vec::new();
    };
    if community.properties.locked {
        return Vec::new();
    }
    let receivers = receivers(session, key);
    if receivers.is_empty() {
        return Vec::new();
    }
    let units = regions::units_of(
        session,
        &community.boundary,
        &session.tallies().of(key).members,
    );
    let Some(owners) = shared_out(session, &units, &receivers) else {
        return Vec::new();
    };
    let mut given: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (unit, owner) in owners.into_iter().enumerate() {
        given.entry(owner).or_default().push(unit);
    }
    // All to one neighbour is a merge, offered as such where it stays within the band.
    if given.len() < 2 {
        return Vec::new();
    }
    let band = &session.profile().community_households;
    let mut commands = Vec::with_capacity(given.len() + 1);
    let mut shares_zh = Vec::new();
    let mut shares_en = Vec::new();
    for (&receiver, units_given) in &given {
        let receiver = &receivers[receiver];
        let Some(other) = session.plan().community(receiver.key) else {
            return Vec::new();
        };
        let added = regions::group_households(&units, units_given);
        let properties = &other.properties;
        let verdict = band_verdict(
            band,
            properties.kind,
            properties.new_estate,
            receiver.households + added,
        );
        if verdict != BandVerdict::Within {
            return Vec::new();
        }
        let ground = regions::group_boundary(&units, units_given);
        commands.push(Command::Reshape {
            key: receiver.key,
            boundary: crate::geometry::overlay::union_noded(receiver.boundary, &ground),
        });
        shares_zh.push(format!("{} +{} 户", properties.name, grouped(added)));
        shares_en.push(format!("{} +{}", properties.name, grouped(added)));
    }
    commands.push(Command::Delete { key });
    let name = &community.properties.name;
    vec![(
        RANK_AFTER_MERGES,
        unmeasured(
            format!(
                "把 {name} ({}) 的 {} 个街区分给相邻社区 ({})，并删除该社区",
                community.id,
                units.len(),
                shares_zh.join("、")
            ),
            format!(
                "share the {} blocks of {name} ({}) among its neighbours ({}) and delete it",
                units.len(),
                community.id,
                shares_en.join(", ")
            ),
            Command::Batch(commands),
        ),
    )]
}

/// The touching, unlocked neighbours that may take blocks: those of the community's street
/// office where it touches any, else all.
fn receivers(session: &Session, key: CommunityKey) -> Vec<Receiver<'_>> {
    let plan = session.plan();
    let office = plan
        .community(key)
        .and_then(|community| community.properties.street_office.clone());
    let all: Vec<Receiver> = touching(session, key)
        .into_iter()
        .filter_map(|neighbour| {
            let other = plan.community(neighbour)?;
            (!other.properties.locked).then(|| Receiver {
                key: neighbour,
                boundary: &other.boundary,
                households: session.tallies().of(neighbour).households,
            })
        })
        .collect();
    let same_office = |receiver: &Receiver| {
        plan.community(receiver.key)
            .is_some_and(|other| other.properties.street_office == office)
    };
    if all.iter().any(same_office) {
        all.into_iter().filter(same_office).collect()
    } else {
        all
    }
}

/// For each unit, the receiver it goes to; `None` when some unit finds no receiver with room.
/// Units are placed largest first, each with the receiver that has most room among those it
/// touches or whose units it touches; again until all are placed or none more can be.
fn shared_out(session: &Session, units: &[Unit], receivers: &[Receiver]) -> Option<Vec<usize>> {
    let band = &session.profile().community_households;
    // The most households each receiver may hold (a work unit's band has no top).
    let most: Vec<u64> = receivers
        .iter()
        .map(|receiver| {
            let Some(other) = session.plan().community(receiver.key) else {
                return 0;
            };
            match (other.properties.kind, other.properties.new_estate) {
                (CommunityType::WorkUnit, _) => u64::MAX,
                (_, true) => band.new_estate_warning_above,
                (_, false) => band.maximum,
            }
        })
        .collect();
    let bordering: Vec<Vec<usize>> = units
        .iter()
        .map(|unit| {
            (0..receivers.len())
                .filter(|&receiver| touches(unit, receivers[receiver].boundary))
                .collect()
        })
        .collect();
    let adjacent = regions::adjacency(units);
    let mut taken: Vec<u64> = receivers
        .iter()
        .map(|receiver| receiver.households)
        .collect();
    let mut owners: Vec<Option<usize>> = vec![None; units.len()];
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&unit| std::cmp::Reverse(units[unit].households));
    loop {
        let mut placed_any = false;
        for &unit in &order {
            if owners[unit].is_some() {
                continue;
            }
            let mut candidates: Vec<usize> = bordering[unit].clone();
            candidates.extend(adjacent[unit].iter().filter_map(|&other| owners[other]));
            let best = candidates
                .into_iter()
                .filter_map(|receiver| {
                    let left = most[receiver].checked_sub(taken[receiver])?;
                    (left >= units[unit].households).then_some((left, receiver))
                })
                .max();
            if let Some((_, receiver)) = best {
                owners[unit] = Some(receiver);
                taken[receiver] += units[unit].households;
                placed_any = true;
            }
        }
        if owners.iter().all(Option::is_some) {
            return owners.into_iter().collect();
        }
        if !placed_any {
            return None;
        }
    }
}

/// True when one of `unit`'s pieces lies within [`TOUCHING_M`] of `boundary`.
fn touches(unit: &Unit, boundary: &MultiPolygon<f64>) -> bool {
    let Some(extent) = boundary.bounding_rect() else {
        return false;
    };
    let margin = geo::Coord {
        x: TOUCHING_M,
        y: TOUCHING_M,
    };
    let reach = Rect::new(extent.min() - margin, extent.max() + margin);
    unit.polygons.iter().any(|piece| {
        piece
            .bounding_rect()
            .is_some_and(|piece_extent| piece_extent.intersects(&reach))
            && Euclidean.distance(piece, boundary) <= TOUCHING_M
    })
}
