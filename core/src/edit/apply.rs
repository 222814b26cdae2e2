//! `apply`: the one place a plan changes. A command is resolved into primitive changes by the
//! geometry operations and the primitives are carried out on an [`EditTarget`] (the parts of a
//! session an edit may touch), each giving its own inverse. The session's bookkeeping — recount
//! and re-check the touched communities and their neighbours — is done once, by the session,
//! after.

use std::collections::BTreeSet;

use geo::{BoundingRect, Coord, MultiPolygon, Polygon, Rect};

use crate::edit::EditError;
use crate::edit::command::Command;
use crate::exception::AcceptedException;
use crate::geometry::overlay;
use crate::ids::CommunityKey;
use crate::index::{CommunityIndex, boundary_envelope};
use crate::io::plan_file::BasemapSettings;
use crate::io::print_layout::PrintLayout;
use crate::layers::Building;
use crate::ops::blocks::Blocks;
use crate::ops::{self, OpError, validity, vertex};
use crate::plan::{Community, Plan};
use crate::rules::RuleResults;
use crate::violation::ViolationKey;

mod reshape;

type Result<T> = std::result::Result<T, EditError>;

/// What a command changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effects {
    /// Communities whose boundary, attributes or existence changed.
    pub communities: BTreeSet<CommunityKey>,
    /// True when the accepted exceptions changed.
    pub exceptions: bool,
    /// True when the basemaps changed (nothing to recount).
    pub basemaps: bool,
    /// True when the print layout changed (nothing to recount).
    pub print_layout: bool,
}

impl Effects {
    fn absorb(&mut self, other: Effects) {
        self.communities.extend(other.communities);
        self.exceptions |= other.exceptions;
        self.basemaps |= other.basemaps;
        self.print_layout |= other.print_layout;
    }

    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.communities.is_empty() && !self.exceptions && !self.basemaps && !self.print_layout
    }
}

/// A carried-out command: how to take it back, and what it touched.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The command that undoes it.
    pub inverse: Command,
    /// What changed.
    pub effects: Effects,
}

/// Whether locked communities refuse the command and new boundaries are checked (they are for
/// the planner's edits; undo and redo restore states the plan has already been in — a boundary
/// drawn invalid in the file included — so they neither ask nor check).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locks {
    /// Refuse changes to locked communities.
    Honour,
    /// Undo and redo: locks not asked, boundaries not checked.
    Ignore,
}

/// Buildings given to a community by hand get the footprint's envelope grown by this, metres.
const BUILDING_MARGIN_M: f64 = 1.0;

fn edit_error(error: OpError) -> EditError {
    EditError::Geometry(error)
}

/// The parts of a session an edit may change (the plan, the community index, the exceptions) and
/// those it reads (buildings, street blocks, the current violations), borrowed for one command.
pub struct EditTarget<'a> {
    /// The communities.
    pub plan: &'a mut Plan,
    /// Communities by envelope: each primitive re-files its community, so that the later
    /// commands of a batch find their neighbours.
    pub community_index: &'a mut CommunityIndex,
    /// The accepted exceptions.
    pub exceptions: &'a mut Vec<AcceptedException>,
    /// The basemaps.
    pub basemaps: &'a mut Vec<BasemapSettings>,
    /// The map sheet's print layout.
    pub print_layout: &'a mut PrintLayout,
    /// The buildings (assigning buildings by hand reads their envelopes).
    pub buildings: &'a [Building],
    /// The street blocks, where they have been derived (assigning blocks needs them).
    pub blocks: Option<&'a Blocks>,
    /// The violations as they stand (accepting one reads it).
    pub violations: &'a RuleResults,
    /// How grids are coded after an edit changes them (the profile's setting).
    pub grid_codes: crate::profile::GridCodes,
}

impl EditTarget<'_> {
    /// Carries out `command`: its inverse and what it touched, or an error and no change at all
    /// (whatever part of a batch was done is undone). Counting and checking are the caller's.
    pub fn apply(&mut self, command: Command, locks: Locks) -> Result<Applied> {
        let (inverse, effects) = self.carry_out(command, locks)?;
        Ok(Applied { inverse, effects })
    }

    /// Carries out a command; on error, whatever part of a batch was done is undone.
    fn carry_out(&mut self, command: Command, locks: Locks) -> Result<(Command, Effects)> {
        match command {
            Command::Batch(commands) => {
                let mut inverses = Vec::with_capacity(commands.len());
                let mut effects = Effects::default();
                for command in commands {
                    match self.carry_out(command, locks) {
                        Ok((inverse, done)) => {
                            inverses.push(inverse);
                            effects.absorb(done);
                        }
                        Err(error) => {
                            for inverse in inverses.into_iter().rev() {
                                // Inverses of primitives just carried out always succeed.
                                let _ = self.carry_out(inverse, Locks::Ignore);
                            }
                            return Err(error);
                        }
                    }
                }
                inverses.reverse();
                Ok((Command::Batch(inverses), effects))
            }
            Command::ReplaceBoundary { key, boundary } => {
                self.check_unlocked(&[key], locks)?;
                if locks == Locks::Honour {
                    validity::check_boundary(&boundary).map_err(edit_error)?;
                }
                let community = self.plan.community_mut(key).ok_or_else(|| missing(key))?;
                let old = std::mem::replace(&mut community.boundary, boundary);
                self.community_index.refresh(self.plan, key);
                Ok((
                    Command::ReplaceBoundary { key, boundary: old },
                    touched(key),
                ))
            }
            Command::Insert { key, community } => {
                if self.plan.community(key).is_some() {
                    return Err(EditError::SlotTaken { slot: key.0 });
                }
                if self
                    .plan
                    .communities()
                    .any(|(_, existing)| existing.id == community.id)
                {
                    return Err(EditError::IdTaken {
                        id: community.id.clone(),
                    });
                }
                if locks == Locks::Honour {
                    validity::check_boundary(&community.boundary).map_err(edit_error)?;
                }
                self.plan.restore(key, *community);
                self.community_index.refresh(self.plan, key);
                Ok((Command::Remove { key }, touched(key)))
            }
            Command::Remove { key } => {
                self.check_unlocked(&[key], locks)?;
                let community = self.plan.remove(key).ok_or_else(|| missing(key))?;
                self.community_index.refresh(self.plan, key);
                Ok((
                    Command::Insert {
                        key,
                        community: Box::new(community),
                    },
                    touched(key),
                ))
            }
            Command::SetProperties { key, properties } => {
                let community = self.plan.community_mut(key).ok_or_else(|| missing(key))?;
                let old = std::mem::replace(&mut community.properties, *properties);
                Ok((
                    Command::SetProperties {
                        key,
                        properties: Box::new(old),
                    },
                    touched(key),
                ))
            }
            Command::SetGrids { key, grids } => {
                let community = self.plan.community_mut(key).ok_or_else(|| missing(key))?;
                let old = std::mem::replace(&mut community.properties.grids, grids);
                Ok((Command::SetGrids { key, grids: old }, touched(key)))
            }
            Command::SetExceptions { exceptions } => {
                let old = std::mem::replace(self.exceptions, exceptions);
                Ok((
                    Command::SetExceptions { exceptions: old },
                    Effects {
                        exceptions: true,
                        ..Effects::default()
                    },
                ))
            }
            Command::SetBasemaps { basemaps } => {
                let old = std::mem::replace(self.basemaps, basemaps);
                Ok((
                    Command::SetBasemaps { basemaps: old },
                    Effects {
                        basemaps: true,
                        ..Effects::default()
                    },
                ))
            }
            Command::SetPrintLayout { layout } => {
                let old = std::mem::replace(self.print_layout, *layout);
                Ok((
                    Command::SetPrintLayout {
                        layout: Box::new(old),
                    },
                    Effects {
                        print_layout: true,
                        ..Effects::default()
                    },
                ))
            }
            high_level => {
                let primitives = self.resolve(high_level, locks)?;
                self.carry_out(Command::Batch(primitives), locks)
            }
        }
    }

    fn check_unlocked(&self, keys: &[CommunityKey], locks: Locks) -> Result<()> {
        if locks == Locks::Ignore {
            return Ok(());
        }
        for &key in keys {
            if let Some(community) = self.plan.community(key)
                && community.properties.locked
            {
                return Err(EditError::Locked {
                    id: community.id.clone(),
                    name: community.properties.name.clone(),
                });
            }
        }
        Ok(())
    }

    /// Refuses a merge that names a community twice: the survivor would be removed as one of
    /// the absorbed, or an absorbed one removed twice, and households would silently go uncovered.
    fn check_each_once(&self, keys: &[CommunityKey]) -> Result<()> {
        let mut seen = BTreeSet::new();
        for &key in keys {
            if !seen.insert(key) {
                let community = self.plan.community(key).ok_or_else(|| missing(key))?;
                return Err(EditError::RepeatedInMerge {
                    id: community.id.clone(),
                    name: community.properties.name.clone(),
                });
            }
        }
        Ok(())
    }

    fn boundary_of(&self, key: CommunityKey) -> Result<&MultiPolygon<f64>> {
        self.plan
            .community(key)
            .map(|community| &community.boundary)
            .ok_or_else(|| missing(key))
    }

    /// Communities other than `except` whose envelope meets `boundary`'s.
    fn neighbours_of(
        &self,
        boundary: &MultiPolygon<f64>,
        except: &[CommunityKey],
    ) -> Vec<CommunityKey> {
        let Some(envelope) = boundary_envelope(boundary) else {
            return Vec::new();
        };
        let mut keys: Vec<CommunityKey> = self
            .community_index
            .meeting(envelope)
            .filter(|key| !except.contains(key))
            .collect();
        keys.sort();
        keys
    }

    /// Gives `area` to community `to`, taking it from every other community that has part of it;
    /// the grids of each follow their community's new boundary.
    fn give_area(
        &self,
        area: MultiPolygon<f64>,
        to: CommunityKey,
        locks: Locks,
    ) -> Result<Vec<Command>> {
        let receiving = self.boundary_of(to)?;
        let donors = self.neighbours_of(&area, &[to]);
        self.check_unlocked(&donors, locks)?;
        self.check_unlocked(&[to], locks)?;
        let mut primitives = self.reshaped(to, overlay::union_noded(receiving, &area), locks)?;
        for donor in donors {
            let before = self.boundary_of(donor)?;
            let after = overlay::difference(before, &[&area]);
            let lost = geo::Area::unsigned_area(before) - geo::Area::unsigned_area(&after);
            if lost < validity::MINIMUM_PART_AREA_M2 {
                continue;
            }
            if after.0.is_empty()
                || geo::Area::unsigned_area(&after) < validity::MINIMUM_PART_AREA_M2
            {
                primitives.push(Command::Remove { key: donor });
            } else {
                primitives.extend(self.reshaped(donor, after, locks)?);
            }
        }
        Ok(primitives)
    }

    /// The boundaries and grids a vertex operation changed, once the communities it touches are
    /// known to be unlocked.
    fn replacements_of(
        &self,
        changed: std::result::Result<vertex::VertexChanges, OpError>,
        locks: Locks,
    ) -> Result<Vec<Command>> {
        let changed = changed.map_err(edit_error)?;
        let keys: Vec<CommunityKey> = (changed.boundaries.iter().map(|(key, _)| *key))
            .chain(changed.grids.iter().map(|(key, _)| *key))
            .collect();
        self.check_unlocked(&keys, locks)?;
        let mut primitives: Vec<Command> = changed
            .boundaries
            .into_iter()
            .map(|(key, boundary)| Command::ReplaceBoundary { key, boundary })
            .collect();
        primitives.extend(
            (changed.grids.into_iter()).map(|(key, grids)| Command::SetGrids { key, grids }),
        );
        Ok(primitives)
    }

    /// Turns a high-level command into primitive changes, or says why it cannot be done.
    fn resolve(&mut self, command: Command, locks: Locks) -> Result<Vec<Command>> {
        match command {
            Command::Create {
                community,
                avoid_overlap,
            } => self.create(community, avoid_overlap),
            Command::Delete { key } => Ok(vec![Command::Remove { key }]),
            Command::MoveVertex { from, to } => {
                let changed = vertex::move_vertex(self.plan, self.community_index, from, to);
                self.replacements_of(changed, locks)
            }
            Command::InsertVertex { start, end, at } => {
                let changed =
                    vertex::insert_vertex(self.plan, self.community_index, start, end, at);
                self.replacements_of(changed, locks)
            }
            Command::DeleteVertex { at } => {
                let changed = vertex::delete_vertex(self.plan, self.community_index, at);
                self.replacements_of(changed, locks)
            }
            Command::Merge {
                keys,
                allow_several_parts,
            } => self.merge(&keys, allow_several_parts, locks),
            Command::Split { key, line } => self.split(key, &line, locks),
            Command::Reshape { key, boundary } => self.reshaped(key, boundary, locks),
            Command::AssignBlocks { blocks, to } => self.assign_blocks(&blocks, to, locks),
            Command::GiveGround { ground, to } => self.give_area(ground, to, locks),
            Command::AssignBuildings { buildings, to } => {
                self.assign_buildings(&buildings, to, locks)
            }
            Command::Accept {
                key,
                reason,
                approver,
                date,
            } => self.accept(&key, &reason, &approver, date),
            Command::Revoke { key } => Ok(vec![Command::SetExceptions {
                exceptions: self.exceptions_except(&key),
            }]),
            primitive => Ok(vec![primitive]),
        }
    }

    /// A new community, with its neighbours cut out of it when asked.
    fn create(&self, mut community: Box<Community>, avoid_overlap: bool) -> Result<Vec<Command>> {
        if self.plan.key_of(&community.id).is_some() {
            return Err(EditError::IdTaken {
                id: community.id.clone(),
            });
        }
        if avoid_overlap {
            let neighbours: Vec<&MultiPolygon<f64>> = self
                .neighbours_of(&community.boundary, &[])
                .into_iter()
                .filter_map(|key| {
                    self.plan
                        .community(key)
                        .map(|neighbour| &neighbour.boundary)
                })
                .collect();
            community.boundary =
                ops::clip_against(&community.boundary, &neighbours).map_err(edit_error)?;
        }
        self.place_in_street_office(&mut community);
        let key = CommunityKey(self.plan.slot_count() as u32);
        Ok(vec![Command::Insert { key, community }])
    }

    /// A new community without a street office joins the one whose boundary holds most of it
    /// (where boundaries are given), and takes its street office's district when it names none,
    /// so that the file says what the export and the figures already count.
    fn place_in_street_office(&self, community: &mut Community) {
        use geo::Area;
        if community.properties.street_office.is_none() {
            community.properties.street_office = self
                .plan
                .street_office_shares(&community.boundary)
                .into_iter()
                .map(|(office, shared)| (shared.unsigned_area(), &office.name))
                .filter(|(shared, _)| *shared > 0.0)
                .max_by(|(a, _), (b, _)| a.total_cmp(b))
                .map(|(_, name)| name.clone());
        }
        community.properties.district = self.plan.district_of(community);
    }

    /// The street blocks go to `to`, taken from whoever had them.
    fn assign_blocks(
        &self,
        blocks: &[usize],
        to: CommunityKey,
        locks: Locks,
    ) -> Result<Vec<Command>> {
        let block_polygons = self.blocks.ok_or(EditError::BlocksNotDerived)?;
        let polygons: Vec<Polygon<f64>> = blocks
            .iter()
            .map(|&block| {
                block_polygons
                    .polygons
                    .get(block)
                    .cloned()
                    .ok_or(EditError::NoSuchBlock { block })
            })
            .collect::<Result<_>>()?;
        let area = overlay::union(&[&MultiPolygon::new(polygons)]);
        self.give_area(area, to, locks)
    }

    /// Each building's envelope, grown by a metre, goes to `to`.
    fn assign_buildings(
        &self,
        buildings: &[u32],
        to: CommunityKey,
        locks: Locks,
    ) -> Result<Vec<Command>> {
        let mut rectangles = Vec::with_capacity(buildings.len());
        for &building in buildings {
            let found = self
                .buildings
                .get(building as usize)
                .ok_or(EditError::NoSuchBuilding { building })?;
            let [low, high] = found.envelope();
            let margin = Coord {
                x: BUILDING_MARGIN_M,
                y: BUILDING_MARGIN_M,
            };
            rectangles.push(Rect::new(low - margin, high + margin).to_polygon());
        }
        let area = overlay::union(&[&MultiPolygon::new(rectangles)]);
        if area.bounding_rect().is_none() {
            return Ok(Vec::new());
        }
        self.give_area(area, to, locks)
    }

    /// The violation with `key` accepted as it stands (replacing an exception it had).
    fn accept(
        &self,
        key: &ViolationKey,
        reason: &str,
        approver: &str,
        date: String,
    ) -> Result<Vec<Command>> {
        if reason.trim().is_empty() || approver.trim().is_empty() {
            return Err(EditError::ExceptionWithoutReasonOrApprover);
        }
        if !crate::format::is_date(&date) {
            return Err(EditError::NotADate { date });
        }
        let violation = self
            .violations
            .iter()
            .find(|violation| violation.key() == *key)
            .ok_or_else(|| EditError::NoSuchViolation {
                rule: key.rule.clone(),
                subjects: key.subjects.join(", "),
            })?;
        let mut exceptions = self.exceptions_except(key);
        exceptions.push(AcceptedException::accepting(
            violation,
            reason.trim(),
            approver.trim(),
            &date,
        ));
        Ok(vec![Command::SetExceptions { exceptions }])
    }

    /// The accepted exceptions but the one for `key`.
    fn exceptions_except(&self, key: &ViolationKey) -> Vec<AcceptedException> {
        self.exceptions
            .iter()
            .filter(|existing| existing.key() != *key)
            .cloned()
            .collect()
    }
}

fn missing(key: CommunityKey) -> EditError {
    EditError::NoSuchCommunity { slot: key.0 }
}

fn touched(key: CommunityKey) -> Effects {
    Effects {
        communities: BTreeSet::from([key]),
        ..Effects::default()
    }
}
