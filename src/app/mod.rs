//! The desktop editor: a map with tools, the community list, the inspector, the violations and a
//! status bar, in Chinese or English. Every change goes through the session's commands, so undo,
//! redo and the live figures work the same everywhere.

pub mod dialogs;
pub mod fonts;
pub mod i18n;
pub mod intent;
pub mod loading;
pub mod map;
mod panels;
pub mod tools;
mod update;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui;
use shequ_core::Session;
use shequ_core::ids::CommunityKey;
use shequ_core::session::OpenOptions;
use shequ_core::violation::ViolationKey;

use dialogs::new_plan;
use i18n::Language;
use intent::Intent;
use map::MapView;
pub use tools::Tool;

/// How often a dirty plan is written to its recovery file.
pub const AUTOSAVE_INTERVAL: Duration = Duration::from_secs(30);

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
    pub layers: map::LayerVisibility,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            language: Language::from_locale(),
            recent: Vec::new(),
            layers: map::LayerVisibility::default(),
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
    /// A recovery file was found.
    OfferRecovery {
        /// The recovery file.
        recovery: PathBuf,
    },
    /// New plan from layers: the layers, the attribute mapping and its preview.
    NewPlan(Box<new_plan::NewPlanDraft>),
    /// Keyboard shortcuts.
    Shortcuts,
    /// About, with the data licences.
    About,
}

/// The application.
pub struct ShequApp {
    /// The open plan.
    pub session: Option<Session>,
    /// Settings kept between runs.
    pub preferences: Preferences,
    /// The map view.
    pub map: MapView,
    /// The active tool and its state.
    pub tool: Tool,
    /// Selected communities, in the order they were picked.
    pub selection: Vec<CommunityKey>,
    /// The community list's filter text.
    pub list_filter: String,
    /// The community list's sort column and direction.
    pub list_sort: (panels::SortColumn, bool),
    /// The violations panel's filters.
    pub violation_filter: ViolationFilter,
    /// The violation last clicked, outlined on the map.
    pub highlighted: Option<ViolationKey>,
    /// The dialog shown, if any.
    pub dialog: Option<Dialog>,
    /// The last error for the status bar.
    pub message: Option<String>,
    /// The last confirmation for the status bar (saved, exported, opened).
    pub notice: Option<String>,
    /// A plan being opened in the background.
    pub loading: Option<loading::Loading>,
    /// The inspector's name field while it is being typed.
    pub name_draft: Option<(CommunityKey, String)>,
    /// The inspector's notes field while it is being typed.
    pub notes_draft: Option<(CommunityKey, String)>,
    /// The map point under the pointer, metres.
    pub cursor: Option<geo::Coord<f64>>,
    /// When the recovery file was last written.
    last_autosave: Instant,
    /// The window title last sent.
    window_title: String,
    /// Unaccepted errors and warnings, as of a generation of the plan.
    totals_cache: Option<(u64, usize, (usize, usize))>,
    /// True once quitting has been confirmed.
    quit_confirmed: bool,
}

impl ShequApp {
    /// An app showing `session` (or nothing).
    pub fn new(session: Option<Session>, preferences: Preferences) -> Self {
        let mut map = MapView::default();
        map.layers = preferences.layers;
        let mut app = Self {
            session: None,
            map,
            preferences,
            tool: Tool::default(),
            selection: Vec::new(),
            list_filter: String::new(),
            list_sort: (panels::SortColumn::Id, true),
            violation_filter: ViolationFilter::default(),
            highlighted: None,
            dialog: None,
            message: None,
            name_draft: None,
            loading: None,
            notice: None,
            notes_draft: None,
            cursor: None,
            last_autosave: Instant::now(),
            window_title: String::new(),
            totals_cache: None,
            quit_confirmed: false,
        };
        if let Some(session) = session {
            app.show_session(session);
        }
        app
    }

    /// Makes `session` the open plan.
    pub fn show_session(&mut self, session: Session) {
        if let Some(path) = session.plan_path() {
            self.remember_recent(path);
            let recovery = recovery_path(path);
            if recovery.exists() {
                self.dialog = Some(Dialog::OfferRecovery { recovery });
            }
        }
        self.session = Some(session);
        self.selection.clear();
        self.tool = Tool::default();
        self.map.fitted = false;
    }

    /// Shows a confirmation in the status bar, in place of any earlier error.
    fn notify(&mut self, notice: String) {
        self.message = None;
        self.notice = Some(notice);
    }

    /// The strings of the current language.
    pub fn strings(&self) -> &'static i18n::Strings {
        i18n::strings_of(self.preferences.language)
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = path.to_path_buf();
        self.preferences.recent.retain(|known| *known != path);
        self.preferences.recent.insert(0, path);
        self.preferences.recent.truncate(10);
    }

    /// Selects one community and shows it.
    pub fn select_and_zoom(&mut self, key: CommunityKey) {
        self.selection = vec![key];
        self.zoom_to_selection();
    }

    /// Zooms to the selected communities.
    pub fn zoom_to_selection(&mut self) {
        let Some(session) = &self.session else { return };
        let mut bounds: Option<[geo::Coord<f64>; 2]> = None;
        for key in &self.selection {
            if let Some([low, high]) = session.community_index().envelope(*key) {
                bounds = Some(match bounds {
                    None => [low, high],
                    Some([a, b]) => [
                        geo::Coord {
                            x: a.x.min(low.x),
                            y: a.y.min(low.y),
                        },
                        geo::Coord {
                            x: b.x.max(high.x),
                            y: b.y.max(high.y),
                        },
                    ],
                });
            }
        }
        if let Some([low, high]) = bounds {
            self.map.fit(low, high);
            self.map.fit_frames_left = 0;
        }
    }

    /// Saves to the plan's own file (or asks for one).
    pub fn save(&mut self) {
        let path = self
            .session
            .as_ref()
            .and_then(|session| session.plan_path().map(Path::to_path_buf));
        match path {
            Some(path) => self.save_to(&path),
            None => self.save_as(),
        }
    }

    /// Asks where to save, then saves.
    pub fn save_as(&mut self) {
        if let Some(path) = rfd::FileDialog::new()
            .add_filter("shequ plan", &["geojson", "json"])
            .set_file_name("plan.shequ.geojson")
            .save_file()
        {
            self.save_to(&path);
        }
    }

    fn save_to(&mut self, path: &Path) {
        let Some(session) = &mut self.session else {
            return;
        };
        match session.save_as(path) {
            Ok(()) => {
                let _ = std::fs::remove_file(recovery_path(path));
                self.notify(format!("{} {}", self.strings().saved, path.display()));
                self.remember_recent(path);
            }
            Err(error) => self.message = Some(error.to_string()),
        }
    }

    /// Opens a plan file.
    pub fn open(&mut self, path: &Path) {
        let plan = path.to_path_buf();
        self.loading = Some(loading::Loading::start(path, move |progress| {
            Session::open_with(
                &plan,
                OpenOptions {
                    progress: Some(progress),
                    ..OpenOptions::default()
                },
            )
        }));
    }

    /// Takes the plan a background load produced, or its error.
    fn finish_loading(&mut self, ctx: &egui::Context) {
        let Some(loading) = &self.loading else {
            return;
        };
        match loading.poll() {
            None => loading.show(ctx, self.strings()),
            Some(loading::Loaded::Opened(session, took)) => {
                self.loading = None;
                let warnings = session.warnings().len();
                self.show_session(*session);
                let strings = self.strings();
                let mut message = format!("{} {:.1} s", strings.opened_in, took.as_secs_f32());
                if warnings > 0 {
                    message.push_str(&format!(" · {}: {warnings}", strings.load_warnings));
                }
                self.notify(message);
            }
            Some(loading::Loaded::Failed(error)) => {
                self.loading = None;
                self.message = Some(error);
            }
        }
    }

    /// Asks for a plan file, then opens it.
    pub fn open_dialog(&mut self) {
        if let Some(path) = rfd::FileDialog::new()
            .add_filter("shequ plan", &["geojson", "json"])
            .pick_file()
        {
            self.open(&path);
        }
    }

    /// Asks for a folder, then writes the approval export there.
    pub fn export_dialog(&mut self) {
        let Some(session) = &self.session else { return };
        let Some(folder) = rfd::FileDialog::new().pick_folder() else {
            return;
        };
        match crate::sheet::export_with_map(session, &folder, self.preferences.language) {
            Ok(_) => self.notify(format!("{} {}", self.strings().exported, folder.display())),
            Err(error) => self.message = Some(error.to_string()),
        }
    }

    /// Asks for the buildings layer, then opens "New plan from layers" on it (streets, existing
    /// boundaries and the attribute mapping are set there).
    pub fn new_plan_dialog(&mut self) {
        let buildings = rfd::FileDialog::new()
            .set_title(self.strings().buildings)
            .add_filter("GeoJSON", &["geojson", "json"])
            .pick_file();
        self.start_new_plan(buildings, None, None);
    }

    /// Opens "New plan from layers" on these layers.
    pub fn start_new_plan(
        &mut self,
        buildings: Option<PathBuf>,
        streets: Option<PathBuf>,
        communities: Option<PathBuf>,
    ) {
        self.dialog = Some(Dialog::NewPlan(Box::new(
            new_plan::NewPlanDraft::with_layers(buildings, streets, communities),
        )));
    }

    /// Opens dropped files: a plan opens; layers start a new plan.
    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|input| {
            input
                .raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_path_buf())
                .filter(|path| !path.as_os_str().is_empty())
                .collect()
        });
        let Some(first) = dropped.first() else { return };
        if is_plan_file(first) {
            self.open(first);
        } else {
            self.start_new_plan(
                Some(first.clone()),
                dropped.get(1).cloned(),
                dropped.get(2).cloned(),
            );
        }
    }

    /// Writes the recovery file when the plan is dirty and the interval has passed.
    fn autosave(&mut self) {
        if self.last_autosave.elapsed() < AUTOSAVE_INTERVAL {
            return;
        }
        self.last_autosave = Instant::now();
        let Some(session) = &self.session else { return };
        let (Some(path), true) = (session.plan_path(), session.is_dirty()) else {
            return;
        };
        // Written beside the plan, so the layer paths (relative to the plan's folder) still hold.
        if let Err(error) = session.write_copy(&recovery_path(path)) {
            self.message = Some(error.to_string());
        }
    }

    /// The whole window's contents.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.finish_loading(&ctx);
        self.handle_dropped_files(&ctx);
        self.handle_shortcuts(&ctx);
        self.autosave();
        panels::menu_bar(self, ui);
        panels::toolbar(self, ui);
        panels::status_bar(self, ui);
        panels::violations_panel(self, ui);
        panels::left_panel(self, ui);
        panels::inspector(self, ui);
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| tools::map_area(self, ui));
        dialogs::show(self, &ctx);
        let title = match &self.session {
            Some(session) => {
                let name = session
                    .plan_path()
                    .as_ref()
                    .and_then(|path| path.file_name())
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default();
                format!(
                    "{}{} — {}",
                    if session.is_dirty() { "● " } else { "" },
                    name,
                    self.strings().app_title
                )
            }
            None => self.strings().app_title.to_owned(),
        };
        // A viewport command asks for another frame: send the title only when it changes.
        if self.window_title != title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
        if ctx.input(|input| input.viewport().close_requested())
            && !self.quit_confirmed
            && self.session.as_ref().is_some_and(Session::is_dirty)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::ConfirmQuit);
        }
    }

    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        use egui::{Key, KeyboardShortcut, Modifiers};
        let pressed = |modifiers: Modifiers, key: Key| {
            ctx.input_mut(|input| input.consume_shortcut(&KeyboardShortcut::new(modifiers, key)))
        };
        if pressed(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z)
            || pressed(Modifiers::COMMAND, Key::Y)
        {
            self.apply(Intent::Redo);
        }
        if pressed(Modifiers::COMMAND, Key::Z) {
            self.apply(Intent::Undo);
        }
        if pressed(Modifiers::COMMAND, Key::S) {
            self.save();
        }
        if pressed(Modifiers::NONE, Key::Home)
            && let Some(session) = &self.session
        {
            self.map.fit_all(session);
        }
        for entry in &tools::TOOLS {
            if pressed(Modifiers::NONE, entry.key) {
                self.tool = entry.kind.start();
            }
        }
        if pressed(Modifiers::NONE, Key::M) {
            self.merge_selection();
        }
    }

    /// Unaccepted errors and warnings, recounted only when the plan changed.
    pub fn violation_totals(&mut self) -> (usize, usize) {
        let Some(session) = &self.session else {
            return (0, 0);
        };
        let stamp = (session.generation(), session.settings().exceptions.len());
        if let Some((generation, exceptions, totals)) = self.totals_cache
            && (generation, exceptions) == stamp
        {
            return totals;
        }
        let mut totals = (0, 0);
        for checked in session.violations() {
            if checked.accepted.is_none() {
                match checked.violation.severity {
                    shequ_core::violation::Severity::Error => totals.0 += 1,
                    shequ_core::violation::Severity::Warning => totals.1 += 1,
                }
            }
        }
        self.totals_cache = Some((stamp.0, stamp.1, totals));
        totals
    }
}

/// True when `path` is a plan file (a `shequ` member near its start) rather than a layer.
pub fn is_plan_file(path: &Path) -> bool {
    use std::io::Read;
    let mut start = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(4096).read_to_end(&mut start))
        .is_ok_and(|_| start.windows(8).any(|window| window == b"\"shequ\":"))
}

/// The recovery file beside a plan.
pub fn recovery_path(plan: &Path) -> PathBuf {
    let name = plan
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".to_owned());
    plan.with_file_name(format!(".{name}.recovery.geojson"))
}

/// eframe's entry: the app with persisted preferences.
pub struct DesktopApp {
    /// The application.
    pub app: ShequApp,
}

impl eframe::App for DesktopApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.app.preferences.layers = self.app.map.layers;
        eframe::set_value(storage, "preferences", &self.app.preferences);
    }
}

/// Opens the desktop window on `plan` (a plan file, or a buildings layer to start a plan from).
pub fn run(plan: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1480.0, 920.0])
            .with_min_inner_size([900.0, 600.0])
            .with_title("社区 shequ"),
        ..Default::default()
    };
    eframe::run_native(
        "shequ",
        options,
        Box::new(move |creation| {
            fonts::install(&creation.egui_ctx);
            let preferences: Preferences = creation
                .storage
                .and_then(|storage| eframe::get_value(storage, "preferences"))
                .unwrap_or_default();
            // The window opens at once; the plan loads behind a progress bar. A layer rather
            // than a plan opens "New plan from layers" on it.
            let mut app = ShequApp::new(None, preferences);
            match plan {
                Some(plan) if is_plan_file(&plan) => app.open(&plan),
                Some(layer) => app.start_new_plan(Some(layer), None, None),
                None => {}
            }
            Ok(Box::new(DesktopApp { app }))
        }),
    )
    .map_err(|error| anyhow::anyhow!("the window could not open: {error}"))
}
