//! Undo and redo: stacks of inverse commands, transactions that make a whole drag one step, and
//! a state number that tells whether the plan differs from what was last saved (undoing back to
//! the saved state reads as clean). A plain stack type: it carries nothing out itself; the
//! session applies the commands it hands back.

use std::collections::VecDeque;

use crate::edit::{Command, EditError, Step};

/// The most steps kept; older ones are forgotten.
pub const HISTORY_LIMIT: usize = 10_000;

/// One undoable step.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// What the planner did, for the Edit menu ("移动顶点", "move vertex").
    pub step: Step,
    /// The command that takes it back (or, on the redo stack, does it again).
    pub command: Command,
    /// The plan's state number before the step.
    state_before: u64,
    /// The plan's state number after it.
    state_after: u64,
}

#[derive(Debug, Clone, PartialEq)]
struct Transaction {
    step: Step,
    inverses: Vec<Command>,
    state_before: u64,
}

/// The undo and redo stacks of a session.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// Oldest first; a deque, so that forgetting the oldest step past the limit is cheap.
    undo: VecDeque<HistoryEntry>,
    redo: Vec<HistoryEntry>,
    open: Option<Transaction>,
    state: u64,
    next_state: u64,
    saved_state: u64,
}

impl Default for History {
    fn default() -> Self {
        Self {
            undo: VecDeque::new(),
            redo: Vec::new(),
            open: None,
            state: 0,
            next_state: 1,
            saved_state: 0,
        }
    }
}

impl History {
    /// The step Undo would take back.
    pub fn undo_step(&self) -> Option<Step> {
        self.undo.back().map(|entry| entry.step)
    }

    /// The step Redo would do again.
    pub fn redo_step(&self) -> Option<Step> {
        self.redo.last().map(|entry| entry.step)
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

    /// Records a step just carried out, given the command that takes it back: inside the open
    /// transaction if there is one, else as an undo step of its own. Redo is forgotten.
    pub fn record(&mut self, step: Step, inverse: Command) {
        let state_before = self.state;
        let state_after = self.new_state();
        self.state = state_after;
        self.redo.clear();
        match &mut self.open {
            Some(transaction) => transaction.inverses.push(inverse),
            None => self.push_undo(HistoryEntry {
                step,
                command: inverse,
                state_before,
                state_after,
            }),
        }
    }

    /// Opens a transaction: every step recorded until [`History::commit`] becomes one.
    pub fn begin(&mut self, step: Step) -> Result<(), EditError> {
        if self.open.is_some() {
            return Err(EditError::TransactionOpen);
        }
        self.open = Some(Transaction {
            step,
            inverses: Vec::new(),
            state_before: self.state,
        });
        Ok(())
    }

    /// Closes the transaction as one undo step (none if it recorded nothing); returns the step
    /// when there was one.
    pub fn commit(&mut self) -> Option<Step> {
        let transaction = self.open.take()?;
        if transaction.inverses.is_empty() {
            return None;
        }
        let mut inverses = transaction.inverses;
        inverses.reverse();
        let state_after = self.state;
        self.push_undo(HistoryEntry {
            step: transaction.step,
            command: Command::Batch(inverses),
            state_before: transaction.state_before,
            state_after,
        });
        Some(transaction.step)
    }

    /// Closes the transaction without a step and returns the command that takes back everything
    /// recorded in it (`None` when nothing was); the state returns to where it began. The caller
    /// carries the command out.
    pub fn abort(&mut self) -> Option<Command> {
        let transaction = self.open.take()?;
        self.state = transaction.state_before;
        let mut inverses = transaction.inverses;
        inverses.reverse();
        (!inverses.is_empty()).then_some(Command::Batch(inverses))
    }

    /// Takes the last undo step off its stack (closing an open transaction first); the caller
    /// carries its command out and hands the inverse to [`History::undone`].
    pub fn take_undo(&mut self) -> Option<HistoryEntry> {
        self.commit();
        self.undo.pop_back()
    }

    /// Records that `entry`, taken by [`History::take_undo`], was undone; `redo` does it again.
    pub fn undone(&mut self, entry: HistoryEntry, redo: Command) {
        self.state = entry.state_before;
        self.redo.push(HistoryEntry {
            command: redo,
            ..entry
        });
    }

    /// Takes the last undone step off the redo stack; the caller carries its command out and
    /// hands the inverse to [`History::redone`].
    pub fn take_redo(&mut self) -> Option<HistoryEntry> {
        self.redo.pop()
    }

    /// Records that `entry`, taken by [`History::take_redo`], was done again; `undo` takes it back.
    pub fn redone(&mut self, entry: HistoryEntry, undo: Command) {
        self.state = entry.state_after;
        self.push_undo(HistoryEntry {
            command: undo,
            ..entry
        });
    }

    /// Puts a step taken by [`History::take_undo`] or [`History::take_redo`] back where it was,
    /// when carrying it out failed.
    pub fn put_back(&mut self, entry: HistoryEntry, onto_undo: bool) {
        if onto_undo {
            self.undo.push_back(entry);
        } else {
            self.redo.push(entry);
        }
    }

    fn push_undo(&mut self, entry: HistoryEntry) {
        self.undo.push_back(entry);
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.pop_front();
        }
    }
}
