//! What a panel, a tool or a dialog asks of the plan. They push these; [`super::update`] is the
//! one place that carries them out, so every change to a plan in the app passes through it.

use std::path::PathBuf;

use shequ_core::edit::{Command, Step};
use shequ_core::gesture::ScreenTransform;

/// A request to change the plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    /// Carry out a command as one undo step (or as part of the open step).
    Edit(Command),
    /// Take back the last step.
    Undo,
    /// Do the last undone step again.
    Redo,
    /// Open a step that the following edits join (a brush stroke); a step left open is closed.
    BeginStep(Step),
    /// Close the open step.
    EndStep,
    /// The vertex tool's drag.
    Drag(DragEvent),
    /// Replace the plan with its recovery copy (opened as unsaved changes to the plan's file).
    RestoreRecovery(PathBuf),
}

/// A moment of a vertex drag, in screen pixels from the map's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DragEvent {
    /// The button went down: grab the nearest vertex.
    Press(ScreenTransform, [f64; 2]),
    /// The pointer moved with the vertex.
    Move(ScreenTransform, [f64; 2]),
    /// The button came up: the drag becomes one undo step.
    Release,
    /// Esc: the plan goes back to how it was before the press.
    Escape,
}
