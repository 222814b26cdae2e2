//! The only place a session's plan changes: commands carried out through [`EditTarget`], recorded
//! in the history, undone and redone, with the touched communities recounted and re-checked.

use crate::audit::LogAction;
use crate::edit::{Applied, Command, EditError, EditTarget, Effects, Locks, Step};
use crate::ids::CommunityKey;
use crate::violation::ViolationKey;

use super::Session;

impl Session {
    /// Carries out a planner's command and records it for undo (inside the open transaction, if
    /// any), named by the command's own [`Step`]. Returns what changed; a refused command changes
    /// nothing.
    pub fn execute(&mut self, command: Command) -> Result<Effects, EditError> {
        let step = command.step();
        // Inside a transaction the log waits for the whole step, as the history does.
        let mut before = match self.open_step.take() {
            Some(open) => open,
            None => self.before_step(Some(&command)),
        };
        let in_transaction = self.history.in_transaction();
        let effects = self.apply(command, Locks::Honour).map(|applied| {
            before.touched(applied.effects.communities.iter().copied());
            if !applied.effects.is_empty() {
                self.history.record(step, applied.inverse);
            }
            applied.effects
        });
        if in_transaction {
            self.open_step = Some(before);
        } else if effects.as_ref().is_ok_and(|effects| !effects.is_empty()) {
            self.log_step(LogAction::Done, step, before);
        }
        effects
    }

    /// Opens a transaction: every command until [`Session::commit`] becomes one undo step.
    pub fn begin(&mut self, step: Step) -> Result<(), EditError> {
        self.history.begin(step)?;
        self.open_step = Some(self.before_step(None));
        Ok(())
    }

    /// Closes the transaction as one undo step (none if it changed nothing).
    pub fn commit(&mut self) {
        let before = self.open_step.take();
        if let (Some(step), Some(before)) = (self.history.commit(), before) {
            self.log_step(LogAction::Done, step, before);
        }
    }

    /// Closes the transaction by taking back everything done in it (Esc during a drag).
    pub fn abort(&mut self) -> Result<(), EditError> {
        self.open_step = None;
        match self.history.abort() {
            Some(inverse) => self.apply(inverse, Locks::Ignore).map(|_| ()),
            None => Ok(()),
        }
    }

    /// Takes back the last step; false when there is none.
    pub fn undo(&mut self) -> Result<bool, EditError> {
        // A step still open is closed first, as the history closes it.
        self.commit();
        let Some(entry) = self.history.take_undo() else {
            return Ok(false);
        };
        let mut before = self.before_step(Some(&entry.command));
        match self.apply(entry.command.clone(), Locks::Ignore) {
            Ok(applied) => {
                before.touched(applied.effects.communities.iter().copied());
                let step = entry.step;
                self.history.undone(entry, applied.inverse);
                self.log_step(LogAction::Undone, step, before);
                Ok(true)
            }
            Err(error) => {
                self.history.put_back(entry, true);
                Err(error)
            }
        }
    }

    /// Does the last undone step again; false when there is none.
    pub fn redo(&mut self) -> Result<bool, EditError> {
        let Some(entry) = self.history.take_redo() else {
            return Ok(false);
        };
        let mut before = self.before_step(Some(&entry.command));
        match self.apply(entry.command.clone(), Locks::Ignore) {
            Ok(applied) => {
                before.touched(applied.effects.communities.iter().copied());
                let step = entry.step;
                self.history.redone(entry, applied.inverse);
                self.log_step(LogAction::Redone, step, before);
                Ok(true)
            }
            Err(error) => {
                self.history.put_back(entry, false);
                Err(error)
            }
        }
    }

    /// Accepts the violation with this key as it stands, with a reason, an approver and a date
    /// (an undoable step).
    pub fn accept(
        &mut self,
        key: &ViolationKey,
        reason: &str,
        approver: &str,
        date: &str,
    ) -> Result<(), EditError> {
        let command = Command::Accept {
            key: key.clone(),
            reason: reason.to_owned(),
            approver: approver.to_owned(),
            date: date.to_owned(),
        };
        self.execute(command).map(|_| ())
    }

    /// Withdraws the exception for this key (an undoable step).
    pub fn revoke(&mut self, key: &ViolationKey) -> Result<(), EditError> {
        self.execute(Command::Revoke { key: key.clone() })
            .map(|_| ())
    }

    /// Sets how grids are coded after edits (the profile's `grids.codes_after_edits`), recorded
    /// in the plan's profile overrides so that the saved plan codes them the same. A setting of
    /// the plan, not an undo step: it changes no grid until the next edit.
    pub fn set_grid_codes(&mut self, codes: crate::profile::GridCodes) {
        if self.profile.grids.codes_after_edits == codes {
            return;
        }
        self.profile.grids.codes_after_edits = codes;
        let overrides = (self.settings.profile.overrides)
            .get_or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
        if !overrides.is_object() {
            *overrides = serde_json::Value::Object(serde_json::Map::new());
        }
        if let Some(overrides) = overrides.as_object_mut() {
            let grids = overrides
                .entry("grids")
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            if let Some(grids) = grids.as_object_mut() {
                let value = serde_json::to_value(codes).unwrap_or(serde_json::Value::Null);
                grids.insert("codes_after_edits".to_owned(), value);
            }
        }
        self.settings_changed = true;
    }

    /// Carries `command` out on the plan, then recounts and re-checks what it touched.
    fn apply(&mut self, command: Command, locks: Locks) -> Result<Applied, EditError> {
        if command.needs_blocks() {
            self.blocks();
        }
        let mut target = EditTarget {
            plan: &mut self.plan,
            community_index: &mut self.community_index,
            exceptions: &mut self.settings.exceptions,
            basemaps: &mut self.settings.basemaps,
            print_layout: &mut self.settings.print_layout,
            buildings: &self.layers.buildings,
            blocks: self.blocks.as_ref(),
            violations: &self.rules,
            grid_codes: self.profile.grids.codes_after_edits,
        };
        let applied = target.apply(command, locks)?;
        let effects = &applied.effects;
        if !effects.communities.is_empty() || effects.exceptions {
            // Each primitive re-filed its community in the index already (later commands of a
            // batch look neighbours up there), so only the counts and rules are left.
            let keys: Vec<CommunityKey> = effects.communities.iter().copied().collect();
            self.recount_and_recheck(&keys);
        }
        if !effects.is_empty() {
            self.generation += 1;
        }
        Ok(applied)
    }

    /// Recounts the given communities and re-checks their rules, their neighbours' and the
    /// plan-wide ones; the community index must already be current.
    fn recount_and_recheck(&mut self, keys: &[CommunityKey]) {
        self.tallies.recount(
            keys,
            &self.plan,
            &self.layers.buildings,
            &self.building_index,
            self.profile.geometry.cut_tolerance_m2,
        );
        let mut rules = std::mem::take(&mut self.rules);
        rules.recheck(&self.rule_context(), keys);
        self.rules = rules;
    }
}

#[cfg(feature = "test-support")]
impl Session {
    /// Tests only: changes the plan directly, around the commands and the history (so that a
    /// test can make arbitrary, even invalid, changes), then re-indexes, recounts and re-checks
    /// the communities `change` says it touched.
    pub fn change_plan_directly(
        &mut self,
        change: impl FnOnce(&mut crate::plan::Plan) -> Vec<CommunityKey>,
    ) {
        let keys = change(&mut self.plan);
        for &key in &keys {
            self.community_index.refresh(&self.plan, key);
        }
        self.recount_and_recheck(&keys);
        self.generation += 1;
    }
}
