//! Undo and redo: stacks of inverse commands, transactions that make a whole drag one step, and
//! a state number that tells whether the plan differs from what was last saved (undoing back to
//! the saved state reads as clean).

use crate::edit::apply::{Effects, Locks};
use crate::edit::command::Command;
use crate::error::{Error, Result};
use crate::session::Session;

/// The most steps kept; older ones are forgotten.
pub const HISTORY_LIMIT: usize = 10_000;

/// One undoable step.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// What the planner did, for the Edit menu ("移动顶点", "Merge").
    pub label: String,
    /// The command that takes it back (or, on the redo stack, does it again).
    pub command: Command,
    /// The plan's state number before the step.
    state_before: u64,
    /// The plan's state number after it.
    state_after: u64,
}

#[derive(Debug, Clone, PartialEq)]
struct Transaction {
    label: String,
    inverses: Vec<Command>,
    state_before: u64,
}

/// The undo and redo stacks of a session.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    undo: Vec<HistoryEntry>,
    redo: Vec<HistoryEntry>,
    open: Option<Transaction>,
    state: u64,
    next_state: u64,
    saved_state: u64,
}

impl Default for History {
    fn default() -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            open: None,
            state: 0,
            next_state: 1,
            saved_state: 0,
        }
    }
}

impl History {
    /// The label of the step Undo would take back.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|entry| entry.label.as_str())
    }

    /// The label of the step Redo would do again.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|entry| entry.label.as_str())
    }

    /// How many steps can be undone.
    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    /// True while a transaction is open.
    pub fn in_transaction(&self) -> bool {
        self.open.is_some()
    }

    /// True when the plan differs from what was last saved.
    pub fn is_dirty(&self) -> bool {
        self.state != self.saved_state
    }

    /// Records that the plan was saved as it is now.
    pub fn mark_saved(&mut self) {
        self.saved_state = self.state;
    }

    /// Records that the plan as it is now differs from its file (it was restored from a recovery
    /// copy); no later state reads as saved until the next save.
    pub fn mark_unsaved(&mut self) {
        self.saved_state = self.new_state();
    }

    fn new_state(&mut self) -> u64 {
        let state = self.next_state;
        self.next_state += 1;
        state
    }

    fn push_undo(&mut self, entry: HistoryEntry) {
        self.undo.push(entry);
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
    }
}

impl Session {
    /// Carries out a planner's command and records it for undo (inside the open transaction, if
    /// any). Returns what changed.
    pub fn execute(&mut self, label: &str, command: Command) -> Result<Effects> {
        let applied = self.apply(command)?;
        if applied.effects.is_empty() {
            return Ok(applied.effects);
        }
        let state_before = self.history.state;
        let state_after = self.history.new_state();
        self.history.state = state_after;
        self.history.redo.clear();
        match &mut self.history.open {
            Some(transaction) => transaction.inverses.push(applied.inverse),
            None => self.history.push_undo(HistoryEntry {
                label: label.to_owned(),
                command: applied.inverse,
                state_before,
                state_after,
            }),
        }
        Ok(applied.effects)
    }

    /// Opens a transaction: every command until [`Session::commit`] becomes one undo step.
    pub fn begin(&mut self, label: &str) -> Result<()> {
        if self.history.open.is_some() {
            return Err(Error::Edit("a transaction is already open".to_owned()));
        }
        self.history.open = Some(Transaction {
            label: label.to_owned(),
            inverses: Vec::new(),
            state_before: self.history.state,
        });
        Ok(())
    }

    /// Closes the transaction as one undo step (none if it changed nothing).
    pub fn commit(&mut self) {
        let Some(transaction) = self.history.open.take() else {
            return;
        };
        if transaction.inverses.is_empty() {
            return;
        }
        let mut inverses = transaction.inverses;
        inverses.reverse();
        let state_after = self.history.state;
        self.history.push_undo(HistoryEntry {
            label: transaction.label,
            command: Command::Batch(inverses),
            state_before: transaction.state_before,
            state_after,
        });
    }

    /// Closes the transaction by taking back everything done in it (Esc during a drag).
    pub fn abort(&mut self) -> Result<()> {
        let Some(transaction) = self.history.open.take() else {
            return Ok(());
        };
        let mut inverses = transaction.inverses;
        inverses.reverse();
        if !inverses.is_empty() {
            self.apply_with(Command::Batch(inverses), Locks::Ignore)?;
        }
        self.history.state = transaction.state_before;
        Ok(())
    }

    /// Takes back the last step; false when there is none.
    pub fn undo(&mut self) -> Result<bool> {
        self.commit();
        let Some(entry) = self.history.undo.pop() else {
            return Ok(false);
        };
        let applied = self.apply_with(entry.command.clone(), Locks::Ignore)?;
        self.history.state = entry.state_before;
        self.history.redo.push(HistoryEntry {
            command: applied.inverse,
            ..entry
        });
        Ok(true)
    }

    /// Does the last undone step again; false when there is none.
    pub fn redo(&mut self) -> Result<bool> {
        let Some(entry) = self.history.redo.pop() else {
            return Ok(false);
        };
        let applied = self.apply_with(entry.command.clone(), Locks::Ignore)?;
        self.history.state = entry.state_after;
        self.history.push_undo(HistoryEntry {
            command: applied.inverse,
            ..entry
        });
        Ok(true)
    }

    /// True when the plan differs from what was last saved or opened.
    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }
}
