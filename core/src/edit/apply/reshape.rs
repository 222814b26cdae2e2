//! Reshaping a community with its grids, merging communities and splitting one along a line,
//! resolved into primitives.

use geo::{LineString, MultiPolygon};

use super::{EditTarget, Locks, Result, edit_error, missing};
use crate::edit::command::Command;
use crate::ids::CommunityKey;
use crate::ops;
use crate::plan::{Community, CommunityProperties};

impl EditTarget<'_> {
    /// `key`'s new boundary, and its grids fitted to it (see [`ops::grid_fit::grids_fitted`]).
    pub(super) fn reshaped(
        &self,
        key: CommunityKey,
        boundary: MultiPolygon<f64>,
        locks: Locks,
    ) -> Result<Vec<Command>> {
        self.check_unlocked(&[key], locks)?;
        // A union or difference leaves micro-holes where sides digitised apart meet; written
        // to the plan's 7 decimals they would collapse into self-intersecting rings.
        let boundary = ops::validity::without_slivers(boundary);
        let community = self.plan.community(key).ok_or_else(|| missing(key))?;
        let grids = ops::grid_fit::grids_fitted(
            &community.properties.grids,
            &community.boundary,
            &boundary,
            &community.id,
            self.grid_codes,
        );
        let mut primitives = vec![Command::ReplaceBoundary { key, boundary }];
        primitives.extend(grids.map(|grids| Command::SetGrids { key, grids }));
        Ok(primitives)
    }

    /// The first community takes the union of all, and their grids; the others go.
    pub(super) fn merge(
        &self,
        keys: &[CommunityKey],
        allow_several_parts: bool,
        locks: Locks,
    ) -> Result<Vec<Command>> {
        self.check_unlocked(keys, locks)?;
        self.check_each_once(keys)?;
        let communities: Vec<&Community> = keys
            .iter()
            .map(|&key| self.plan.community(key).ok_or_else(|| missing(key)))
            .collect::<Result<_>>()?;
        let boundaries: Vec<&MultiPolygon<f64>> = (communities.iter())
            .map(|community| &community.boundary)
            .collect();
        let merged = ops::merge(&boundaries, allow_several_parts).map_err(edit_error)?;
        let mut primitives = vec![Command::ReplaceBoundary {
            key: keys[0],
            boundary: merged,
        }];
        // The survivor takes the grids of the communities merged into it, all renumbered.
        if communities[1..]
            .iter()
            .any(|community| !community.properties.grids.is_empty())
        {
            let grids: Vec<&[crate::plan::Grid]> = communities
                .iter()
                .map(|community| community.properties.grids.as_slice())
                .collect();
            primitives.push(Command::SetGrids {
                key: keys[0],
                grids: ops::grids_merged(&grids, &communities[0].id, self.grid_codes),
            });
        }
        primitives.extend(keys[1..].iter().map(|&key| Command::Remove { key }));
        Ok(primitives)
    }

    /// The largest piece keeps the community; each other piece becomes a new one (`ID-2`, …,
    /// "name (2)", …) with the same attributes, unlocked, and its part of the grids.
    pub(super) fn split(
        &self,
        key: CommunityKey,
        line: &LineString<f64>,
        locks: Locks,
    ) -> Result<Vec<Command>> {
        self.check_unlocked(&[key], locks)?;
        let community = self.plan.community(key).ok_or_else(|| missing(key))?;
        let pieces = ops::split(&community.boundary, line).map_err(edit_error)?;
        let mut ids = vec![community.id.clone()];
        for _ in 1..pieces.len() {
            ids.push(self.fresh_id(&community.id, &ids[1..]));
        }
        // Each piece takes its part of the grids, renumbered after its own id.
        let mut grids =
            ops::grids_in_pieces(&community.properties.grids, &pieces, &ids, self.grid_codes);
        let mut primitives = vec![Command::ReplaceBoundary {
            key,
            boundary: MultiPolygon::new(vec![pieces[0].clone()]),
        }];
        if grids[0] != community.properties.grids {
            primitives.push(Command::SetGrids {
                key,
                grids: std::mem::take(&mut grids[0]),
            });
        }
        for (number, piece) in pieces.into_iter().enumerate().skip(1) {
            let part = Community {
                id: ids[number].clone(),
                properties: CommunityProperties {
                    name: format!("{} ({})", community.properties.name, number + 1),
                    locked: false,
                    grids: std::mem::take(&mut grids[number]),
                    ..community.properties.clone()
                },
                boundary: MultiPolygon::new(vec![piece]),
                other_properties: community.other_properties.clone(),
            };
            let slot = CommunityKey((self.plan.slot_count() + number - 1) as u32);
            primitives.push(Command::Insert {
                key: slot,
                community: Box::new(part),
            });
        }
        Ok(primitives)
    }

    /// An id not yet used, from `base`: `base-2`, `base-3`, …
    fn fresh_id(&self, base: &str, taken_too: &[String]) -> String {
        (2..)
            .map(|number| format!("{base}-{number}"))
            .find(|id| !taken_too.contains(id) && self.plan.key_of(id).is_none())
            .unwrap_or_else(|| base.to_owned())
    }
}
