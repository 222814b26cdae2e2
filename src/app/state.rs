//! What the app holds: the document (the open plan and its selection), the interface's state
//! (map view, tool, filters, drafts, dialog, status line) and the preferences kept between runs.

use std::path::PathBuf;
use std::time::Instant;

use shequ_core::Session;
use shequ_core::ids::CommunityKey;
use shequ_core::search::{Found, SearchHit};
use shequ_core::violation::ViolationKey;

use super::basemap::Basemaps;
use super::comparison::ComparisonView;
use super::dialogs::new_plan::draft::NewPlanDraft;
use super::file_dialog::BuiltInDialog;
use super::i18n::Language;
use super::loading::Loading;
use super::map::{LayerVisibility, MapView};
use super::print_preview::PrintPreview;
use super::tools::kinds::Tool;

/// The open plan and what is selected in it.
#[derive(Default)]
pub struct Document {
    /// The open plan.
    pub session: Option<Session>,
    /// Selected communities, in the order they were picked.
    pub selection: Vec<CommunityKey>,
    /// The plan compared with, while comparing.
    pub comparison: Option<ComparisonView>,
}

/// The interface's state between frames: what the panels, tools and dialogs change directly,
/// because it is theirs and not the plan's.
pub struct UiState {
    /// The map view.
    pub map: MapView,
    /// The active tool and its state.
    pub tool: Tool,
    /// The community list's filter text.
    pub list_filter: String,
    /// The community list's sort column and direction.
    pub list_sort: (SortColumn, bool),
    /// The violations panel's filters.
    pub violation_filter: ViolationFilter,
    /// The violation last clicked, outlined on the map.
    pub highlighted: Option<ViolationKey>,
    /// The dialog shown, if any.
    pub dialog: Option<Dialog>,
    /// The built-in file dialog, while it is open (shown over any dialog, which waits for it).
    pub file_dialog: Option<BuiltInDialog>,
    /// The last error for the status bar.
    pub message: Option<String>,
    /// The last confirmation for the status bar (saved, exported, opened).
    pub notice: Option<String>,
    /// A plan being opened in the background.
    pub loading: Option<Loading>,
    /// The inspector's name field while it is being typed.
    pub name_draft: Option<(CommunityKey, String)>,
    /// The inspector's notes field while it is being typed.
    pub notes_draft: Option<(CommunityKey, String)>,
    /// The map point under the pointer, metres.
    pub cursor: Option<geo::Coord<f64>>,
    /// When the recovery file was last written.
    pub last_autosave: Instant,
    /// The window title last sent.
    pub window_title: String,
    /// Unaccepted errors and warnings, as of a generation of the plan and a count of exceptions.
    pub totals_cache: Option<(u64, usize, (usize, usize))>,
    /// True once quitting has been confirmed.
    pub quit_confirmed: bool,
    /// The search box: what is typed, what it found, which hit is highlighted.
    pub search: SearchState,
    /// What the last search showed that the selection cannot: a street, a building or a place.
    pub mark: Option<Found>,
    /// The building whose details stay open (clicked, or found by search).
    pub pinned_building: Option<u32>,
    /// The plan's basemaps as opened, with their tiles.
    pub basemaps: Basemaps,
    /// Basemap files to add once the plan being opened is shown (`--basemap`).
    pub basemaps_to_add: Vec<PathBuf>,
    /// The print layout with its preview, while open.
    pub print_preview: Option<PrintPreview>,
    /// The change log window's filters, while it is open.
    pub log_window: Option<LogFilter>,
    /// The charts window's choice of community types, while it is open.
    pub charts: Option<ChartKinds>,
    /// The fixes of one violation, while their window is open.
    pub fixes: Option<FixesShown>,
    /// The automatic partition window's choices and result, while it is open.
    pub partition: Option<PartitionWindow>,
    /// The grids ticked in the inspector's grid list, by code (to merge them).
    pub checked_grids: Vec<String>,
    /// True while the vertex, split and blocks tools work on management grids rather than on
    /// communities.
    pub edit_grids: bool,
    /// The grids being worked out in the background, while they are.
    pub drawing_grids: Option<DrawingGrids>,
    /// Where a blocks-tool stroke on grids started (in the grid it brushes into), while it lasts.
    pub grid_brush: Option<geo::Coord<f64>>,
}

/// The automatic partition window: which ground, which seed, and the partition worked out.
#[derive(Debug, Clone, Default)]
pub struct PartitionWindow {
    /// The street office to redraw; `None`: every street office.
    pub street_office: Option<String>,
    /// Where the first seeding starts.
    pub seed: u64,
    /// The partition worked out (or why none), with the plan's generation it was worked out
    /// for: once the plan changes it no longer holds.
    pub result: Option<(u64, Result<shequ_core::partition::Partition, String>)>,
    /// The partition being worked out on a copy of the plan in the background: filled in, with
    /// the generation it was worked out for, when done. The window takes it from here.
    pub working: Option<std::sync::Arc<std::sync::OnceLock<PartitionResult>>>,
}

/// Management grids being drawn in the background for a generation of the plan.
#[derive(Debug, Clone)]
pub struct DrawingGrids {
    /// The plan's generation they are drawn for.
    pub generation: u64,
    /// Filled in with the command that sets them and what was drawn, when done.
    pub slot: std::sync::Arc<
        std::sync::OnceLock<(shequ_core::edit::Command, shequ_core::grids::GridsDrawn)>,
    >,
}

/// A partition worked out (or why none) for a generation of the plan.
pub type PartitionResult = (u64, Result<shequ_core::partition::Partition, String>);

/// The fixes window's violation and its fixes, as found for one state of the plan.
#[derive(Debug, Clone)]
pub struct FixesShown {
    /// The violation.
    pub key: ViolationKey,
    /// Its message.
    pub message: String,
    /// The fixes, best first, or why there are none.
    pub fixes: Result<Vec<shequ_core::fixes::Fix>, shequ_core::fixes::NoFix>,
    /// The plan's generation they were found for: once the plan changes they no longer hold.
    pub generation: u64,
    /// The fix whose proposed boundaries the map draws (the best, until another is picked).
    pub chosen: usize,
}

/// Which communities the households histogram counts, and so which band it draws.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ChartKinds {
    /// Every community, each against the band of its type.
    #[default]
    All,
    /// Geographic communities (not new estates).
    Geographic,
    /// Work-unit communities.
    WorkUnit,
    /// Residential-estate communities (not new estates).
    ResidentialEstate,
    /// Newly built estates.
    NewEstate,
}

/// What the change log window lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// Entries touching a community whose id or name contains this.
    pub community: String,
    /// Only this person's entries.
    pub user: Option<String>,
    /// Only this day's entries (YYYY-MM-DD).
    pub date: Option<String>,
}

/// The search box's state.
#[derive(Debug, Clone, Default)]
pub struct SearchState {
    /// What is typed.
    pub query: String,
    /// What it found, as of a query and a generation of the plan.
    pub hits: Vec<SearchHit>,
    /// The query and plan generation `hits` are for.
    pub hits_for: Option<(String, u64)>,
    /// The hit Enter picks.
    pub highlighted: usize,
    /// True while the hits are listed under the box.
    pub open: bool,
}

impl UiState {
    /// The state of a fresh window, the map showing `layers`.
    pub fn new(layers: LayerVisibility) -> Self {
        let mut map = MapView::default();
        map.layers = layers;
        Self {
            map,
            tool: Tool::default(),
            list_filter: String::new(),
            list_sort: (SortColumn::Id, true),
            violation_filter: ViolationFilter::default(),
            highlighted: None,
            dialog: None,
            file_dialog: None,
            message: None,
            notice: None,
            loading: None,
            name_draft: None,
            notes_draft: None,
            cursor: None,
            last_autosave: Instant::now(),
            window_title: String::new(),
            totals_cache: None,
            quit_confirmed: false,
            search: SearchState::default(),
            mark: None,
            pinned_building: None,
            print_preview: None,
            log_window: None,
            charts: None,
            fixes: None,
            partition: None,
            checked_grids: Vec::new(),
            edit_grids: false,
            grid_brush: None,
            drawing_grids: None,
            basemaps: Basemaps::default(),
            basemaps_to_add: Vec::new(),
        }
    }

    /// Shows a confirmation in the status bar, in place of any earlier error.
    pub fn notify(&mut self, notice: String) {
        self.message = None;
        self.notice = Some(notice);
    }
}

/// The community list's sort columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    /// Id.
    Id,
    /// Name.
    Name,
    /// Type.
    Type,
    /// Street office.
    StreetOffice,
    /// Households.
    Households,
    /// Residents.
    Residents,
    /// Violations.
    Violations,
}

/// Settings kept between runs. Every field has a default, so a settings file from an older or
/// newer version loads with what it has rather than being discarded whole.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// The interface language.
    pub language: Language,
    /// Recently opened plans, newest first.
    pub recent: Vec<PathBuf>,
    /// Layer visibility.
    pub layers: LayerVisibility,
    /// Always use shequ's own file dialog, even where the system offers one.
    pub built_in_file_dialog: bool,
    /// The name the change log records for this person's changes (blank: the system account).
    pub user_name: String,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            language: Language::from_locale(),
            recent: Vec::new(),
            layers: LayerVisibility::default(),
            built_in_file_dialog: false,
            user_name: String::new(),
        }
    }
}

/// The violations panel's filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ViolationFilter {
    /// Only errors (Some(true)), only warnings (Some(false)), or both.
    pub errors_only: Option<bool>,
    /// Only this rule.
    pub rule: Option<&'static str>,
    /// Only violations about communities of this street office.
    pub street_office: Option<String>,
    /// Only violations that the planner's edits caused.
    pub mine_only: bool,
}

/// A dialog in progress.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// Accept a violation: reason and approver.
    Accept {
        /// Which violation.
        key: ViolationKey,
        /// Its message, to show.
        message: String,
        /// Why.
        reason: String,
        /// Who.
        approver: String,
    },
    /// Name and type a drawn community.
    NewCommunity {
        /// The drawn boundary, metres.
        boundary: geo::MultiPolygon<f64>,
        /// Its id.
        id: String,
        /// Its name.
        name: String,
        /// Its type.
        kind: shequ_core::plan::CommunityType,
    },
    /// Unsaved changes on quit.
    ConfirmQuit,
    /// What loading the layers found, each warning with its file and features.
    LoadWarnings,
    /// A recovery file was found.
    OfferRecovery {
        /// The recovery file.
        recovery: PathBuf,
    },
    /// New plan from layers: the layers, the attribute mapping and its preview.
    NewPlan(Box<NewPlanDraft>),
    /// Keyboard shortcuts.
    Shortcuts,
    /// About, with the data licences.
    About,
    /// Name a new scenario, or the active one anew.
    NameScenario {
        /// New or rename.
        naming: ScenarioNaming,
        /// The name as typed.
        name: String,
        /// True once the name field has been given the keyboard (on the dialog's first frame).
        focused: bool,
    },
    /// Delete a scenario (it cannot be undone).
    DeleteScenario {
        /// Its name.
        name: String,
    },
}

/// What a scenario's name is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioNaming {
    /// A new scenario, a copy of the active one.
    New,
    /// The scenario of this name, renamed.
    Rename(String),
}
