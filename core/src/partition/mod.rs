//! Automatic partition (自动划分): the ground of a street office's geographic communities (or of
//! every street office's, or of those in an area) redrawn as contiguous communities within the
//! geographic band, their boundaries on the streets.
//!
//! Each street office is partitioned on its own, since a community lies in one street office.
//! Its unlocked geographic communities' ground is cut along the streets into units no building
//! or estate spans ([`regions`]); the number of communities is the one that brings them nearest
//! the band's middle; units grow into that many groups from seeds far apart and are then
//! balanced across the groups' edges. Several seedings are tried (the first from `seed`) and the
//! one nearest the targets kept. Locked communities, and work-unit and residential-estate ones
//! (defined by their unit or their estate, not by blocks), are kept as they are.
//!
//! A new community that holds most of an old one's households takes its id, name and
//! attributes; the others get ids continuing the plan's pattern. The result is one command (one
//! undo step) with a report: the share of communities within the band, their mean compactness
//! (Polsby–Popper), the share of their boundary along streets and the households that change
//! community.

pub mod area;
pub mod regions;

use std::collections::{BTreeMap, BTreeSet};

use geo::{Contains, InteriorPoint, MultiPolygon};
use rayon::prelude::*;
use serde::Serialize;

use crate::edit::{Command, EditError};
use crate::geometry::overlay;
use crate::ids::CommunityKey;
use crate::plan::{Community, CommunityProperties, CommunityType};
use crate::random::SplitMix64;
use crate::rules::community_households::{BandVerdict, band_verdict};
use crate::session::Session;

/// The `schema` of [`PartitionReport`] as JSON.
pub const PARTITION_SCHEMA: &str = "shequ.partition/1";

/// Seedings tried per street office.
const ATTEMPTS: u64 = 6;
/// Most rounds of moving units across the groups' edges.
const BALANCE_PASSES: usize = 40;

/// Which ground to partition.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// The geographic communities of one street office, by name.
    StreetOffice(String),
    /// Every street office's.
    All,
    /// Those whose inside point lies in this area (metres).
    Area(MultiPolygon<f64>),
}

/// Why a partition cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PartitionError {
    /// The street office is not in the plan.
    #[error("no street office named {name} in the plan (its street offices: {known})")]
    NoSuchStreetOffice {
        /// The name asked for.
        name: String,
        /// The plan's street offices, joined.
        known: String,
    },
    /// Nothing in the scope may be redrawn.
    #[error(
        "no unlocked geographic community in the chosen ground: nothing to partition (work-unit, residential-estate and locked communities are kept as they are)"
    )]
    NothingToPartition,
    /// The partition's command was refused (a bug, or a plan changed under it).
    #[error("the partition could not be carried out: {0}")]
    Refused(#[from] EditError),
}

impl PartitionError {
    /// The error in `language`.
    pub fn describe(&self, language: crate::lang::Language) -> String {
        match (self, language) {
            (
                PartitionError::NoSuchStreetOffice { name, known },
                crate::lang::Language::Chinese,
            ) => {
                format!("方案中没有名为 {name} 的街道 (现有街道: {known})")
            }
            (PartitionError::NothingToPartition, crate::lang::Language::Chinese) => {
                "所选范围内没有未锁定的地缘型社区，无可划分 (单位型、单元型及锁定的社区保持不变)"
                    .to_owned()
            }
            (PartitionError::Refused(error), crate::lang::Language::Chinese) => {
                format!("划分无法执行: {error}")
            }
            (error, crate::lang::Language::English) => error.to_string(),
        }
    }
}

/// A community of the partition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartitionedCommunity {
    /// Its id (an old community's where it holds most of that one's households).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its street office.
    pub street_office: Option<String>,
    /// Its households.
    pub households: u64,
    /// True when its households fall within the geographic band.
    pub within_band: bool,
    /// 4π·area / perimeter².
    pub polsby_popper: f64,
    /// Share of its boundary along streets.
    pub on_streets: f64,
    /// True when it took an old community's id.
    pub reused: bool,
}

/// What a partition gives, measured on the plan with it carried out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartitionReport {
    /// Always [`PARTITION_SCHEMA`].
    pub schema: &'static str,
    /// The communities redrawn (before).
    pub communities_before: usize,
    /// The communities made.
    pub communities: Vec<PartitionedCommunity>,
    /// Share of them within the band.
    pub share_within_band: f64,
    /// Their mean Polsby–Popper compactness.
    pub mean_polsby_popper: f64,
    /// Their mean share of boundary length along streets.
    pub share_on_streets: f64,
    /// Households on the ground redrawn.
    pub households: u64,
    /// Households whose community changes (by id) against the plan before.
    pub households_moved: u64,
    /// Communities in the scope kept as they are (locked, work-unit, residential-estate), by id.
    pub kept: Vec<String>,
    /// The seed the first seeding came from.
    pub seed: u64,
}

/// A partition: the command that makes it and what it gives.
#[derive(Debug, Clone)]
pub struct Partition {
    /// One step: the old communities removed or redrawn, the new ones created.
    pub command: Command,
    /// Measured on a copy of the plan with the command carried out.
    pub report: PartitionReport,
    /// The communities made, by id, with their boundaries (metres): to draw before applying.
    pub boundaries: Vec<(String, MultiPolygon<f64>)>,
}

/// One street office's ground and what is on it.
struct Ground {
    office: Option<String>,
    communities: Vec<CommunityKey>,
}

/// A group of units found for one ground.
struct Drawn {
    office: Option<String>,
    old: Vec<CommunityKey>,
    boundaries: Vec<(MultiPolygon<f64>, Vec<u32>)>,
}

/// The partition of `scope`, its first seeding drawn from `seed`.
pub fn partition(session: &Session, scope: &Scope, seed: u64) -> Result<Partition, PartitionError> {
    let (grounds, kept) = grounds_of(session, scope)?;
    let drawn: Vec<Drawn> = grounds
        .par_iter()
        .enumerate()
        .map(|(number, ground)| draw(session, ground, seed.wrapping_add(number as u64)))
        .collect();
    let (command, ids) = command_for(session, &drawn);
    let mut trial = session.trial();
    trial.execute(command.clone())?;
    let made: Vec<&str> = ids.iter().flatten().map(String::as_str).collect();
    let report = report_of(session, &trial, &drawn, &made, kept, seed);
    let boundaries = made
        .iter()
        .filter_map(|id| {
            let community = trial.plan().community(trial.plan().key_of(id)?)?;
            Some(((*id).to_owned(), community.boundary.clone()))
        })
        .collect();
    Ok(Partition {
        command,
        report,
        boundaries,
    })
}

/// The grounds to redraw, one per street office, and the communities kept in the scope.
fn grounds_of(
    session: &Session,
    scope: &Scope,
) -> Result<(Vec<Ground>, Vec<String>), PartitionError> {
    let plan = session.plan();
    if let Scope::StreetOffice(name) = scope {
        let known: BTreeSet<&str> = plan
            .communities()
            .filter_map(|(_, community)| community.properties.street_office.as_deref())
            .chain(
                plan.street_offices
                    .iter()
                    .map(|office| office.name.as_str()),
            )
            .collect();
        if !known.contains(name.as_str()) {
            return Err(PartitionError::NoSuchStreetOffice {
                name: name.clone(),
                known: known.into_iter().collect::<Vec<_>>().join(", "),
            });
        }
    }
    let mut by_office: BTreeMap<Option<String>, Vec<CommunityKey>> = BTreeMap::new();
    let mut kept = Vec::new();
    for (key, community) in plan.communities() {
        let properties = &community.properties;
        let in_scope = match scope {
            Scope::StreetOffice(name) => properties.street_office.as_deref() == Some(name),
            Scope::All => true,
            Scope::Area(area) => community
                .boundary
                .interior_point()
                .is_some_and(|point| area.contains(&point)),
        };
        if !in_scope {
            continue;
        }
        if properties.locked || properties.kind != CommunityType::Geographic {
            kept.push(community.id.clone());
            continue;
        }
        by_office
            .entry(properties.street_office.clone())
            .or_default()
            .push(key);
    }
    if by_office.is_empty() {
        return Err(PartitionError::NothingToPartition);
    }
    let grounds = by_office
        .into_iter()
        .map(|(office, communities)| Ground {
            office,
            communities,
        })
        .collect();
    Ok((grounds, kept))
}

/// One ground's groups: the best of [`ATTEMPTS`] seedings.
fn draw(session: &Session, ground: &Ground, seed: u64) -> Drawn {
    let plan = session.plan();
    let boundaries: Vec<&MultiPolygon<f64>> = ground
        .communities
        .iter()
        .filter_map(|&key| plan.community(key).map(|community| &community.boundary))
        .collect();
    let area = overlay::union(&boundaries);
    let mut members: Vec<u32> = ground
        .communities
        .iter()
        .flat_map(|&key| session.tallies().of(key).members.iter().copied())
        .collect();
    members.sort_unstable();
    members.dedup();
    let units = regions::units_of(session, &area, &members);
    let band = &session.profile().community_households;
    let (minimum, maximum) = (band.minimum, band.maximum);
    let target = (minimum + maximum) as f64 / 2.0;
    let total: u64 = units.iter().map(|unit| unit.households).sum();
    let fewest = total.div_ceil(maximum.max(1)).max(1);
    let most = (total / minimum.max(1)).max(fewest);
    let parts = ((total as f64 / target).round() as u64).clamp(fewest, most) as usize;
    let parts = parts.clamp(1, units.len().max(1));
    let adjacent = regions::adjacency(&units);
    let order = regions::farthest_first(&units);
    let mut random = SplitMix64(seed);
    // The first seeding from the unit farthest out, the others from random units.
    let firsts: Vec<usize> = (0..ATTEMPTS)
        .map(|attempt| {
            if attempt == 0 {
                order.first().copied().unwrap_or(0)
            } else {
                random.between(0, units.len().saturating_sub(1) as u64) as usize
            }
        })
        .collect();
    let aim = regions::Aim {
        band: (minimum, maximum),
        target,
        passes: BALANCE_PASSES,
    };
    let groups = regions::best_grouping(&units, &adjacent, parts, firsts, aim, |group| {
        spread(&units, group)
    });
    Drawn {
        office: ground.office.clone(),
        old: ground.communities.clone(),
        boundaries: groups
            .iter()
            .filter(|group| !group.is_empty())
            .map(|group| {
                let buildings: Vec<u32> = group
                    .iter()
                    .flat_map(|&unit| units[unit].buildings.iter().copied())
                    .collect();
                let boundary = without_specks(
                    regions::group_boundary(&units, group),
                    &buildings,
                    &session.layers().buildings,
                );
                (boundary, buildings)
            })
            .collect(),
    }
}

/// Parts smaller than this (m²) holding no building are specks the cutting left (where an old
/// boundary crossed itself, or a street clipped a corner), not ground to keep.
const SPECK_M2: f64 = 100.0;

/// `boundary` without its specks: parts under [`SPECK_M2`] where none of `members` stands.
fn without_specks(
    boundary: MultiPolygon<f64>,
    members: &[u32],
    buildings: &[crate::layers::Building],
) -> MultiPolygon<f64> {
    use geo::Area;
    if boundary.0.len() < 2 {
        return boundary;
    }
    MultiPolygon::new(
        boundary
            .0
            .into_iter()
            .filter(|part| {
                part.unsigned_area() >= SPECK_M2
                    || members.iter().any(|&building| {
                        part.contains(&buildings[building as usize].representative_point)
                    })
            })
            .collect(),
    )
}

/// How spread out a group is, as a small tie-break between seedings: the mean squared distance
/// of its units from their middle, over the square of a 1 km community's side.
fn spread(units: &[regions::Unit], group: &[usize]) -> f64 {
    let count = group.len().max(1) as f64;
    let (x, y) = group.iter().fold((0.0, 0.0), |(x, y), &unit| {
        (x + units[unit].centre.x, y + units[unit].centre.y)
    });
    let (x, y) = (x / count, y / count);
    group
        .iter()
        .map(|&unit| {
            let (dx, dy) = (units[unit].centre.x - x, units[unit].centre.y - y);
            dx * dx + dy * dy
        })
        .sum::<f64>()
        / count
        / 1_000_000.0
        * 0.01
}

/// The one command: each old community either redrawn as the new one holding most of its
/// households or removed; each new one without an old id created. With it, the id each new
/// community gets, ground by ground.
fn command_for(session: &Session, drawn: &[Drawn]) -> (Command, Vec<Vec<String>>) {
    let buildings = &session.layers().buildings;
    let mut removals = Vec::new();
    let mut redraws = Vec::new();
    let mut creations = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut ids: Vec<Vec<String>> = Vec::with_capacity(drawn.len());
    for ground in drawn {
        let mut ground_ids = Vec::with_capacity(ground.boundaries.len());
        // Which old community each building was in, and each old community's households.
        let mut old_of: BTreeMap<u32, CommunityKey> = BTreeMap::new();
        let mut old_households: BTreeMap<CommunityKey, u64> = BTreeMap::new();
        for &key in &ground.old {
            for &building in &session.tallies().of(key).members {
                old_of.entry(building).or_insert(key);
            }
            old_households.insert(key, session.tallies().of(key).households);
        }
        // For each new community, the households it holds of each old one.
        let shares: Vec<BTreeMap<CommunityKey, u64>> = ground
            .boundaries
            .iter()
            .map(|(_, members)| {
                let mut share: BTreeMap<CommunityKey, u64> = BTreeMap::new();
                for building in members {
                    if let Some(&old) = old_of.get(building) {
                        *share.entry(old).or_default() +=
                            u64::from(buildings[*building as usize].households);
                    }
                }
                share
            })
            .collect();
        // An old community goes to the new one holding most (over half) of its households.
        let mut heir: BTreeMap<usize, (u64, CommunityKey)> = BTreeMap::new();
        for &old in &ground.old {
            let households = old_households.get(&old).copied().unwrap_or(0);
            let best = shares
                .iter()
                .enumerate()
                .map(|(new, share)| (share.get(&old).copied().unwrap_or(0), new))
                .max();
            if let Some((held, new)) = best
                && held * 2 > households
                && heir.get(&new).is_none_or(|(most, _)| held > *most)
            {
                heir.insert(new, (held, old));
            }
        }
        let reused: BTreeSet<CommunityKey> = heir.values().map(|(_, old)| *old).collect();
        for &old in &ground.old {
            if !reused.contains(&old) {
                removals.push(Command::Remove { key: old });
            }
        }
        for (new, (boundary, _)) in ground.boundaries.iter().enumerate() {
            if let Some((_, old)) = heir.get(&new) {
                redraws.push(Command::Reshape {
                    key: *old,
                    boundary: boundary.clone(),
                });
                if let Some(community) = session.plan().community(*old) {
                    ground_ids.push(community.id.clone());
                }
                continue;
            }
            let id = fresh_id(session, &taken);
            taken.insert(id.clone());
            ground_ids.push(id.clone());
            let mut properties =
                CommunityProperties::new(format!("新社区 {}", id), CommunityType::Geographic);
            properties.street_office = ground.office.clone();
            creations.push(Command::Create {
                community: Box::new(Community {
                    id,
                    properties,
                    boundary: boundary.clone(),
                    other_properties: serde_json::Map::new(),
                }),
                avoid_overlap: false,
            });
        }
        ids.push(ground_ids);
    }
    let command = Command::Batch(
        removals
            .into_iter()
            .chain(redraws)
            .chain(creations)
            .collect(),
    );
    (command, ids)
}

/// An id no community has and none of `taken`: the plan's pattern continued where its ids are
/// a prefix and a number (SQ0042 → SQ0043, as wide), else NEW-1, NEW-2, …
pub fn fresh_id(session: &Session, taken: &BTreeSet<String>) -> String {
    let plan = session.plan();
    let highest = plan
        .communities()
        .filter_map(|(_, community)| {
            let id = community.id.as_str();
            let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let (prefix, number) = id.split_at(id.len() - digits);
            Some((number.parse::<u64>().ok()?, prefix.to_owned(), digits))
        })
        .max();
    let free = |id: &String| plan.key_of(id).is_none() && !taken.contains(id);
    match highest {
        Some((number, prefix, width)) => (number + 1..number + 100_000)
            .map(|next| format!("{prefix}{next:0width$}"))
            .find(free),
        None => (1..100_000).map(|next| format!("NEW-{next}")).find(free),
    }
    .unwrap_or_else(|| format!("NEW-{}", taken.len() + 1))
}

/// The report, measured on `after` (the plan with the partition carried out), of the
/// communities `made`.
fn report_of(
    before: &Session,
    after: &Session,
    drawn: &[Drawn],
    made: &[&str],
    kept: Vec<String>,
    seed: u64,
) -> PartitionReport {
    let band = &after.profile().community_households;
    let context = after.rule_context();
    let old_ids: BTreeSet<&str> = drawn
        .iter()
        .flat_map(|ground| ground.old.iter())
        .filter_map(|&key| {
            before
                .plan()
                .community(key)
                .map(|community| community.id.as_str())
        })
        .collect();
    let communities: Vec<PartitionedCommunity> = made
        .iter()
        .filter_map(|id| {
            let key = after.plan().key_of(id)?;
            let community = after.plan().community(key)?;
            let households = after.tallies().of(key).households;
            let (on_streets, _) =
                crate::rules::community_follows_streets::street_share(&context, community);
            Some(PartitionedCommunity {
                id: community.id.clone(),
                name: community.properties.name.clone(),
                street_office: community.properties.street_office.clone(),
                households,
                within_band: band_verdict(band, CommunityType::Geographic, false, households)
                    == BandVerdict::Within,
                polsby_popper: regions::polsby_popper(&community.boundary),
                on_streets,
                reused: old_ids.contains(*id),
            })
        })
        .collect();
    let count = communities.len().max(1) as f64;
    let households_moved = crate::compare::moved_buildings(before, after)
        .map(|moved| {
            moved
                .iter()
                .map(|&building| u64::from(before.layers().buildings[building as usize].households))
                .sum()
        })
        .unwrap_or(0);
    PartitionReport {
        schema: PARTITION_SCHEMA,
        communities_before: drawn.iter().map(|ground| ground.old.len()).sum(),
        share_within_band: communities.iter().filter(|made| made.within_band).count() as f64
            / count,
        mean_polsby_popper: communities
            .iter()
            .map(|made| made.polsby_popper)
            .sum::<f64>()
            / count,
        share_on_streets: communities.iter().map(|made| made.on_streets).sum::<f64>() / count,
        households: communities.iter().map(|made| made.households).sum(),
        households_moved,
        communities,
        kept,
        seed,
    }
}
