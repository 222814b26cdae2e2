//! Fixes for a street office outside its residents' band: move communities on its border to a
//! neighbouring street office (above the band), take border communities of its neighbours (below
//! it), and, under the merge threshold, merge it whole into a neighbouring office that stays
//! within the band. Offered where street offices are the communities' attribute only: where their
//! boundaries are given as a layer, moving a community means redrawing them, for a planner.

use std::collections::{BTreeMap, BTreeSet};

use crate::edit::Command;
use crate::ids::CommunityKey;
use crate::session::Session;

use super::{Candidate, touching, unmeasured};

/// At most this many moves are offered (each is tried on a copy of the plan).
const MOVES_OFFERED: usize = 5;

/// The fixes for street office `name`; empty where none brings it nearer its band without
/// taking a neighbour out of it. Only for plans whose street offices are the communities'
/// attribute: [`super::fixes_for`] answers for plans that give their boundaries.
pub(super) fn rebalance(session: &Session, name: &str) -> Vec<Candidate> {
    let plan = session.plan();
    let band = &session.profile().street_office_residents;
    let (minimum, maximum) = (band.minimum, band.maximum);
    let middle = (minimum + maximum) as f64 / 2.0;
    let mut residents: BTreeMap<&str, u64> = BTreeMap::new();
    let mut members: BTreeMap<&str, Vec<CommunityKey>> = BTreeMap::new();
    for (key, community) in plan.communities() {
        if let Some(office) = community.properties.street_office.as_deref() {
            *residents.entry(office).or_default() += session.tallies().of(key).residents;
            members.entry(office).or_default().push(key);
        }
    }
    let Some(&own) = residents.get(name) else {
        return Vec::new();
    };
    let office_of = |key: CommunityKey| {
        plan.community(key)
            .and_then(|community| community.properties.street_office.as_deref())
    };
    let distance =
        |first: u64, second: u64| (first as f64 - middle).abs() + (second as f64 - middle).abs();
    let mut candidates: Vec<Candidate> = Vec::new();
    // Pairs (community, office it would join) across this office's border.
    let mut border: BTreeSet<(CommunityKey, String)> = BTreeSet::new();
    for &key in members.get(name).into_iter().flatten() {
        for neighbour in touching(session, key) {
            match office_of(neighbour) {
                Some(other) if other != name => {
                    if own > maximum {
                        border.insert((key, other.to_owned()));
                    } else {
                        border.insert((neighbour, name.to_owned()));
                    }
                }
                _ => {}
            }
        }
    }
    for (key, to) in border {
        let Some(community) = plan.community(key) else {
            continue;
        };
        let Some(from) = community.properties.street_office.as_deref() else {
            continue;
        };
        if community.properties.locked {
            continue;
        }
        let moved = session.tallies().of(key).residents;
        let (from_before, to_before) = (
            residents.get(from).copied().unwrap_or(0),
            residents.get(to.as_str()).copied().unwrap_or(0),
        );
        let (from_after, to_after) = (from_before.saturating_sub(moved), to_before + moved);
        // The move must bring both nearer the band's middle and leave neither outside it that
        // was inside.
        let inside = |residents: u64| (minimum..=maximum).contains(&residents);
        if distance(from_after, to_after) >= distance(from_before, to_before)
            || (inside(from_before) && !inside(from_after))
            || (inside(to_before) && !inside(to_after))
        {
            continue;
        }
        let mut properties = community.properties.clone();
        properties.street_office = Some(to.clone());
        let people = crate::format::grouped(moved);
        candidates.push((
            distance(from_after, to_after),
            unmeasured(
                format!(
                    "把边界上的 {} ({} 人) 从 {from} 划入 {to}: {from} {} 人, {to} {} 人",
                    community.properties.name,
                    people,
                    crate::format::grouped(from_after),
                    crate::format::grouped(to_after)
                ),
                format!(
                    "move {} ({people} residents) on the border from {from} to {to}: {from} {}, {to} {}",
                    community.properties.name,
                    crate::format::grouped(from_after),
                    crate::format::grouped(to_after)
                ),
                Command::SetProperties {
                    key,
                    properties: Box::new(properties),
                },
            ),
        ));
    }
    if own < band.merge_candidate_below {
        candidates.extend(merges(session, name, &residents, &members));
    }
    candidates.sort_by(|(first, _), (second, _)| first.total_cmp(second));
    candidates.truncate(MOVES_OFFERED);
    candidates
}

/// The whole office merged into a neighbouring office that stays within the band.
fn merges(
    session: &Session,
    name: &str,
    residents: &BTreeMap<&str, u64>,
    members: &BTreeMap<&str, Vec<CommunityKey>>,
) -> Vec<Candidate> {
    let plan = session.plan();
    let band = &session.profile().street_office_residents;
    let own = residents.get(name).copied().unwrap_or(0);
    let own_members = members.get(name).cloned().unwrap_or_default();
    if own_members.iter().any(|&key| {
        plan.community(key)
            .is_some_and(|community| community.properties.locked)
    }) {
        return Vec::new();
    }
    let neighbours: BTreeSet<&str> = own_members
        .iter()
        .flat_map(|&key| touching(session, key))
        .filter_map(|neighbour| {
            plan.community(neighbour)
                .and_then(|community| community.properties.street_office.as_deref())
        })
        .filter(|office| *office != name)
        .collect();
    neighbours
        .into_iter()
        .filter_map(|into| {
            let together = own + residents.get(into).copied().unwrap_or(0);
            if together > band.maximum {
                return None;
            }
            let commands = own_members
                .iter()
                .filter_map(|&key| {
                    let mut properties = plan.community(key)?.properties.clone();
                    properties.street_office = Some(into.to_owned());
                    Some(Command::SetProperties {
                        key,
                        properties: Box::new(properties),
                    })
                })
                .collect();
            let people = crate::format::grouped(together);
            Some((
                (together as f64 - (band.minimum + band.maximum) as f64 / 2.0).abs(),
                unmeasured(
                    format!("把 {name} 整体并入相邻的 {into}: 合并后 {people} 人"),
                    format!("merge {name} whole into the neighbouring {into}: {people} residents together"),
                    Command::Batch(commands),
                ),
            ))
        })
        .collect()
}
