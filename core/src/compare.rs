//! Before and after: two plans over the same buildings compared building by building. Each
//! building has one community in each plan (the first in plan order that holds it, where
//! communities overlap, or none), so every building lies in exactly one transfer (from, to) and
//! households are conserved: the transfers add up to the residential households of the layer.
//! Communities are matched by id; street offices and districts by name; violations by key.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use geo::{Distance, Euclidean, Length, Line, MultiPolygon};
use serde::Serialize;

use crate::figures::AreaFigures;
use crate::geometry::{perimeter, rings};
use crate::ids::CommunityKey;
use crate::session::Session;
use crate::violation::ViolationKey;

/// The `schema` of [`Comparison`] as JSON.
pub const COMPARE_SCHEMA: &str = "shequ.compare/1";

/// How far (m) a new boundary may lie from the old one and still count as not moved: less than
/// any planner's edit, more than the rounding of coordinates written and read again.
const UNMOVED_TOLERANCE_M: f64 = 0.05;

/// How the buildings of the two plans were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BuildingMatch {
    /// The same building layer: building for building.
    SameLayer,
    /// Different layers whose buildings have ids: paired by id.
    ById,
}

/// What became of a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeStatus {
    /// Same boundary, same attributes.
    Unchanged,
    /// In both plans, with another boundary or other attributes.
    Changed,
    /// Only in the new plan.
    New,
    /// Only in the old plan.
    Removed,
}

/// One community id of either plan, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommunityChange {
    /// The id.
    pub id: String,
    /// Its name in the old plan.
    pub name_before: Option<String>,
    /// Its name in the new plan.
    pub name_after: Option<String>,
    /// What became of it.
    pub status: ChangeStatus,
    /// Households before.
    pub households_before: u64,
    /// Households after.
    pub households_after: u64,
    /// Residents before.
    pub residents_before: u64,
    /// Residents after.
    pub residents_after: u64,
    /// Buildings before.
    pub buildings_before: u32,
    /// Buildings after.
    pub buildings_after: u32,
    /// Length (m) of its boundary that moved: of the new boundary, the part not on the old one
    /// (the whole old boundary for a removed community, the whole new one for a new community).
    pub boundary_change_m: f64,
}

/// The buildings that went from one community to another (or stayed: `from` equals `to`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transfer {
    /// The community before (its id), or none.
    pub from: Option<String>,
    /// The community after, or none.
    pub to: Option<String>,
    /// Households of its residential buildings.
    pub households: u64,
    /// Residents.
    pub residents: u64,
    /// Buildings, residential or not.
    pub buildings: u32,
}

/// A street office or a district before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaChange {
    /// Its name.
    pub name: String,
    /// Communities before.
    pub communities_before: u32,
    /// Communities after.
    pub communities_after: u32,
    /// Households before.
    pub households_before: u64,
    /// Households after.
    pub households_after: u64,
    /// Residents before.
    pub residents_before: u64,
    /// Residents after.
    pub residents_after: u64,
}

/// Two plans compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Always [`COMPARE_SCHEMA`].
    pub schema: &'static str,
    /// How the buildings were paired.
    pub buildings_matched: BuildingMatch,
    /// Buildings only in the old plan's layer (paired by id).
    pub buildings_only_before: u32,
    /// Buildings only in the new plan's layer (paired by id).
    pub buildings_only_after: u32,
    /// Every community id of either plan, ordered by id.
    pub communities: Vec<CommunityChange>,
    /// Every (from, to) pair that holds a building, ordered by from then to (none last).
    pub transfers: Vec<Transfer>,
    /// Street offices of either plan, by name.
    pub street_offices: Vec<AreaChange>,
    /// Districts of either plan, by name.
    pub districts: Vec<AreaChange>,
    /// Unaccepted violations of the old plan that the new one no longer has.
    pub violations_fixed: Vec<ViolationKey>,
    /// Unaccepted violations of the new plan that the old one did not have.
    pub violations_new: Vec<ViolationKey>,
}

/// Why two plans cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    /// Different building layers, and no ids to pair their buildings by.
    #[error(
        "the two plans are over different building layers ({before} and {after}), and {which} has buildings without a unique id to pair them by: compare plans over the same buildings file, or give both layers' buildings an id field"
    )]
    DifferentBuildings {
        /// The old plan's buildings file.
        before: String,
        /// The new plan's buildings file.
        after: String,
        /// Which layer lacks ids.
        which: String,
    },
}

/// Compares `before` with `after`.
pub fn compare(before: &Session, after: &Session) -> Result<Comparison, CompareError> {
    let paired = Paired::of(before, after)?;
    Ok(comparison_of(&paired, before, after))
}

/// Compares `before` with `after`, and lists the buildings of `after`'s layer whose community
/// changed (as [`moved_buildings`]), pairing the buildings once for both.
pub fn compare_and_moved(
    before: &Session,
    after: &Session,
) -> Result<(Comparison, Vec<u32>), CompareError> {
    let paired = Paired::of(before, after)?;
    Ok((comparison_of(&paired, before, after), paired.moved()))
}

/// The buildings of the two plans paired, each with its community in each plan.
struct Paired<'a> {
    /// For each building of the old layer, its building in the new layer.
    pairs: Vec<Option<usize>>,
    /// How they were paired.
    matched: BuildingMatch,
    /// Each old building's community, an index into `old_ids`.
    old_owner: Vec<Option<usize>>,
    /// Each new building's community, an index into `new_ids`.
    new_owner: Vec<Option<usize>>,
    /// The old plan's community ids, in plan order.
    old_ids: Vec<&'a str>,
    /// The new plan's community ids, in plan order.
    new_ids: Vec<&'a str>,
}

/// A building of the new layer with its community's id before and after.
type BuildingTransfer<'a> = (Option<&'a str>, Option<&'a str>, u32);

impl<'a> Paired<'a> {
    fn of(before: &'a Session, after: &'a Session) -> Result<Self, CompareError> {
        let (pairs, matched) = pair_buildings(before, after)?;
        Ok(Self {
            pairs,
            matched,
            old_owner: owners(before),
            new_owner: owners(after),
            old_ids: community_ids(before),
            new_ids: community_ids(after),
        })
    }

    /// Each building of the new layer that has a building in the old one, with its community
    /// id before and after.
    fn by_transfer(&self) -> impl Iterator<Item = BuildingTransfer<'a>> + '_ {
        let id_of = |ids: &[&'a str], owner: Option<usize>| owner.map(|index| ids[index]);
        self.pairs.iter().enumerate().filter_map(move |(old, new)| {
            let new = (*new)?;
            Some((
                id_of(&self.old_ids, self.old_owner[old]),
                id_of(&self.new_ids, self.new_owner[new]),
                new as u32,
            ))
        })
    }

    /// The buildings of the new layer whose community changed, ordered by building.
    fn moved(&self) -> Vec<u32> {
        self.by_transfer()
            .filter(|(from, to, _)| from != to)
            .map(|(_, _, building)| building)
            .collect()
    }
}

/// The comparison of the paired plans.
fn comparison_of(paired: &Paired<'_>, before: &Session, after: &Session) -> Comparison {
    let Paired {
        pairs,
        old_owner,
        new_owner,
        old_ids,
        new_ids,
        ..
    } = paired;
    // Transfers: every building in exactly one (from, to) pair.
    let mut transfers: BTreeMap<(Option<usize>, Option<usize>), Transfer> = BTreeMap::new();
    let mut add = |from: Option<usize>, to: Option<usize>, session: &Session, building: usize| {
        let building = &session.layers().buildings[building];
        let entry = transfers.entry((from, to)).or_insert_with(|| Transfer {
            from: None,
            to: None,
            households: 0,
            residents: 0,
            buildings: 0,
        });
        if building.residential {
            entry.households += u64::from(building.households);
        }
        entry.residents += u64::from(building.residents);
        entry.buildings += 1;
    };
    let mut only_before = 0;
    let mut paired_after = vec![false; after.layers().buildings.len()];
    for (old, new) in pairs.iter().enumerate() {
        let from = old_owner[old];
        match new {
            Some(new) => {
                paired_after[*new] = true;
                add(from, new_owner[*new], before, old);
            }
            None => {
                only_before += 1;
                add(from, None, before, old);
            }
        }
    }
    let mut only_after = 0;
    for (new, paired) in paired_after.iter().enumerate() {
        if !paired {
            only_after += 1;
            add(None, new_owner[new], after, new);
        }
    }
    let mut transfers: Vec<Transfer> = transfers
        .into_iter()
        .map(|((from, to), mut transfer)| {
            transfer.from = from.map(|index| old_ids[index].to_owned());
            transfer.to = to.map(|index| new_ids[index].to_owned());
            transfer
        })
        .collect();
    transfers.sort_by(|first, second| {
        (
            first.from.is_none(),
            &first.from,
            first.to.is_none(),
            &first.to,
        )
            .cmp(&(
                second.from.is_none(),
                &second.from,
                second.to.is_none(),
                &second.to,
            ))
    });

    let (old_figures, new_figures) = (before.plan_figures(), after.plan_figures());
    let (old_violations, new_violations) = (unaccepted_keys(before), unaccepted_keys(after));
    Comparison {
        schema: COMPARE_SCHEMA,
        buildings_matched: paired.matched,
        buildings_only_before: only_before,
        buildings_only_after: only_after,
        communities: community_changes(before, after),
        transfers,
        street_offices: area_changes(&old_figures.street_offices, &new_figures.street_offices),
        districts: area_changes(&old_figures.districts, &new_figures.districts),
        violations_fixed: old_violations
            .difference(&new_violations)
            .cloned()
            .collect(),
        violations_new: new_violations
            .difference(&old_violations)
            .cloned()
            .collect(),
    }
}

/// The buildings of `after`'s layer whose community changed: in another community than
/// before (matched by id), or in one now and none before, or the other way round. Ordered by
/// building.
pub fn moved_buildings(before: &Session, after: &Session) -> Result<Vec<u32>, CompareError> {
    Ok(Paired::of(before, after)?.moved())
}

/// The buildings of `after`'s layer in the transfer from community `from` to `to` (ids; none
/// for no community), ordered by building.
pub fn transfer_buildings(
    before: &Session,
    after: &Session,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<u32>, CompareError> {
    Ok(Paired::of(before, after)?
        .by_transfer()
        .filter(|(old, new, _)| *old == from && *new == to)
        .map(|(_, _, building)| building)
        .collect())
}

/// Each building's community in `session` as an index into [`community_ids`]: the first in plan
/// order that holds it.
fn owners(session: &Session) -> Vec<Option<usize>> {
    let mut owner = vec![None; session.layers().buildings.len()];
    for (index, (key, _)) in session.plan().communities().enumerate() {
        for &member in &session.tallies().of(key).members {
            owner[member as usize].get_or_insert(index);
        }
    }
    owner
}

/// The communities' ids in plan order.
fn community_ids(session: &Session) -> Vec<&str> {
    session
        .plan()
        .communities()
        .map(|(_, community)| community.id.as_str())
        .collect()
}

/// For each building of `before`, its building in `after`: the same index over the same layer,
/// else the building with the same id.
fn pair_buildings(
    before: &Session,
    after: &Session,
) -> Result<(Vec<Option<usize>>, BuildingMatch), CompareError> {
    let old = &before.layers().buildings;
    let new = &after.layers().buildings;
    // Sessions opened beside each other hold the very same layer.
    let same_layer = std::ptr::eq(old, new)
        || old.len() == new.len()
            && old.iter().zip(new.iter()).all(|(first, second)| {
                first.source_id == second.source_id
                    && first.representative_point == second.representative_point
            });
    if same_layer {
        return Ok(((0..old.len()).map(Some).collect(), BuildingMatch::SameLayer));
    }
    let layer_name = |session: &Session| session.settings().layers.buildings.clone();
    let refuse = |which: &Session| CompareError::DifferentBuildings {
        before: layer_name(before),
        after: layer_name(after),
        which: layer_name(which),
    };
    by_id(old).ok_or_else(|| refuse(before))?;
    let new_ids = by_id(new).ok_or_else(|| refuse(after))?;
    let pairs = old
        .iter()
        .map(|building| new_ids.get(&*building.source_id).copied())
        .collect();
    Ok((pairs, BuildingMatch::ById))
}

/// Each building's index by its id; none where a building has no id or shares one.
fn by_id(buildings: &[crate::layers::Building]) -> Option<HashMap<&str, usize>> {
    let mut ids = HashMap::with_capacity(buildings.len());
    for (index, building) in buildings.iter().enumerate() {
        if building.source_id.is_empty() || ids.insert(&*building.source_id, index).is_some() {
            return None;
        }
    }
    Some(ids)
}

/// A plan's communities by id.
fn communities_by_id(
    session: &Session,
) -> BTreeMap<String, (CommunityKey, &crate::plan::Community)> {
    session
        .plan()
        .communities()
        .map(|(key, community)| (community.id.to_string(), (key, community)))
        .collect()
}

/// Every community id of either plan, before and after.
fn community_changes(before: &Session, after: &Session) -> Vec<CommunityChange> {
    let old = communities_by_id(before);
    let new = communities_by_id(after);
    let ids: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    ids.into_iter()
        .filter_map(|id| {
            let old = old.get(id);
            let new = new.get(id);
            let old_tally = old.map(|(key, _)| before.tallies().of(*key));
            let new_tally = new.map(|(key, _)| after.tallies().of(*key));
            let (status, boundary_change_m) = match (old, new) {
                (Some((_, old)), Some((_, new))) => {
                    let moved = moved_length(&new.boundary, &old.boundary);
                    let same = old.boundary == new.boundary && old.properties == new.properties;
                    let status = if same {
                        ChangeStatus::Unchanged
                    } else {
                        ChangeStatus::Changed
                    };
                    (status, moved)
                }
                (None, Some((_, new))) => (ChangeStatus::New, perimeter(&new.boundary)),
                (Some((_, old)), None) => (ChangeStatus::Removed, perimeter(&old.boundary)),
                (None, None) => return None,
            };
            Some(CommunityChange {
                id: id.clone(),
                name_before: old.map(|(_, community)| community.properties.name.clone()),
                name_after: new.map(|(_, community)| community.properties.name.clone()),
                status,
                households_before: old_tally.map_or(0, |tally| tally.households),
                households_after: new_tally.map_or(0, |tally| tally.households),
                residents_before: old_tally.map_or(0, |tally| tally.residents),
                residents_after: new_tally.map_or(0, |tally| tally.residents),
                buildings_before: old_tally.map_or(0, |tally| tally.buildings),
                buildings_after: new_tally.map_or(0, |tally| tally.buildings),
                boundary_change_m,
            })
        })
        .collect()
}

/// The length of `new`'s rings whose segments do not lie on `old`'s (a segment lies on them when
/// its middle is within [`UNMOVED_TOLERANCE_M`] of one of their segments; a vertex inserted on an
/// old edge moves nothing).
fn moved_length(new: &MultiPolygon<f64>, old: &MultiPolygon<f64>) -> f64 {
    if new == old {
        return 0.0;
    }
    let old_segments: Vec<Line<f64>> = rings(old).flat_map(|ring| ring.lines()).collect();
    rings(new)
        .flat_map(|ring| ring.lines())
        .filter(|segment| {
            let middle = geo::Point::from(segment.start + (segment.end - segment.start) / 2.0);
            !old_segments
                .iter()
                .any(|old| Euclidean.distance(&middle, old) <= UNMOVED_TOLERANCE_M)
        })
        .map(|segment| Euclidean.length(&segment))
        .sum()
}

/// Street offices or districts of either plan, by name.
fn area_changes(before: &[AreaFigures], after: &[AreaFigures]) -> Vec<AreaChange> {
    fn by_name(areas: &[AreaFigures]) -> BTreeMap<&str, &AreaFigures> {
        areas
            .iter()
            .map(|area| (area.name.as_str(), area))
            .collect()
    }
    let old = by_name(before);
    let new = by_name(after);
    let names: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    names
        .into_iter()
        .map(|name| {
            let old = old.get(name);
            let new = new.get(name);
            AreaChange {
                name: name.to_owned(),
                communities_before: old.map_or(0, |area| area.communities),
                communities_after: new.map_or(0, |area| area.communities),
                households_before: old.map_or(0, |area| area.households),
                households_after: new.map_or(0, |area| area.households),
                residents_before: old.map_or(0, |area| area.residents),
                residents_after: new.map_or(0, |area| area.residents),
            }
        })
        .collect()
}

fn unaccepted_keys(session: &Session) -> BTreeSet<ViolationKey> {
    session
        .violations()
        .into_iter()
        .filter(|checked| checked.accepted.is_none())
        .map(|checked| checked.violation.key())
        .collect()
}
