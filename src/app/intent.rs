//! What a panel, a tool or a dialog asks of the document: plan changes, the selection, files and
//! the language. They push these during the frame; [`super::update`] is the one place that
//! carries them out, after the panels have drawn, so every change to a plan passes through it.

use std::path::PathBuf;

use shequ_core::edit::{Command, Step};
use shequ_core::gesture::ScreenTransform;
use shequ_core::ids::CommunityKey;
use shequ_core::search::SearchHit;
use shequ_core::violation::ViolationKey;

use super::comparison::{CompareAgainst, TransferCell, TransferOrder};
use super::file_dialog::FileRequest;
use super::i18n::Language;

/// A request to change the document.
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
    /// Merge the selected communities into the first selected.
    MergeSelection,
    /// Delete the selected communities (one undo step).
    DeleteSelection,
    /// Make these communities the selection.
    Select(Vec<CommunityKey>),
    /// Add a community to the selection, or take it out when it is in.
    ToggleSelected(CommunityKey),
    /// Make these communities the selection and show them.
    SelectAndZoom(Vec<CommunityKey>),
    /// Show the selected communities.
    ZoomToSelection,
    /// Show what a search found: select it where it is communities, mark it where it is a
    /// street, a building or a place, and zoom to it.
    ShowFound(SearchHit),
    /// Switch the interface language.
    SetLanguage(Language),
    /// Always use the built-in file dialog (true), or the system's where there is one.
    SetBuiltInFileDialog(bool),
    /// Save to the plan's own file (or ask for one).
    Save,
    /// Ask for a file or folder: a plan to open, where to save, the export's folder, a layer.
    Choose(FileRequest),
    /// A file or folder was chosen for this request: open, save, export or take the layer.
    Chosen(FileRequest, PathBuf),
    /// Open this plan file (in the background).
    Open(PathBuf),
    /// Start "New plan from layers", asking first for its buildings.
    ChooseLayersForNewPlan,
    /// Open the print layout with its preview.
    OpenPrintPreview,
    /// Compare the plan with another state of it, or another plan file.
    Compare(CompareAgainst),
    /// Stop comparing.
    EndComparison,
    /// Mark the buildings of one transfer of the comparison on the map and show them.
    PickTransfer(TransferCell),
    /// Order the transfer matrix's communities so.
    SetTransferOrder(TransferOrder),
    /// Open the change log window.
    OpenChangeLog,
    /// List the fixes of this violation, with what each would give.
    ShowFixes(ViolationKey),
    /// Close the fixes window.
    CloseFixes,
    /// Make this scenario the active one.
    SwitchScenario(String),
    /// A new scenario of this name, a copy of the active one (which stays active).
    CreateScenario(String),
    /// Rename a scenario.
    RenameScenario {
        /// Its name.
        from: String,
        /// Its new name.
        to: String,
    },
    /// Delete a scenario.
    DeleteScenario(String),
    /// The name the change log records from now on (blank: the system account).
    SetUserName(String),
    /// Work out the partition the partition window asks for (its ground and seed).
    ComputePartition,
    /// Carry out the partition worked out, as a new scenario of this name (made active).
    PartitionAsScenario(String),
    /// Draw the management grids of the selected communities (of every one when none is
    /// selected), worked out in the background.
    DrawGrids,
    /// How grids are coded after edits from now on (a setting of the plan).
    SetGridCodes(shequ_core::profile::GridCodes),
    /// The grids worked out for the plan's generation `generation`: set them, as one undo step,
    /// unless the plan has changed since.
    GridsWorkedOut {
        /// The plan's generation they were worked out for.
        generation: u64,
        /// The command that sets them.
        command: Command,
        /// What was drawn, community by community.
        drawn: shequ_core::grids::GridsDrawn,
    },
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
