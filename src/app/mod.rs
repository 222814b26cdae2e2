//! The desktop editor: a map with tools, the community list, the inspector, the violations and a
//! status bar, in Chinese or English.
//!
//! Each frame the panels, tools and dialogs read a [`context::ViewCtx`] (the plan, the selection,
//! the language) and push [`intent::Intent`]s; after they have drawn, [`update`] carries the
//! intents out. Every change to a plan goes through the session's commands there, so undo, redo
//! and the live figures work the same everywhere.

pub mod basemap;
pub mod context;
pub mod dialogs;
pub mod file_dialog;
pub mod fonts;
pub mod i18n;
pub mod intent;
pub mod comparison;
pub mod loading;
pub mod map;
mod panels;
pub mod print_preview;
mod shortcuts;
pub mod state;
pub mod tools;
pub mod update;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui;
use shequ_core::Session;

use context::ViewCtx;
use intent::Intent;
pub use state::{Dialog, Document, Preferences, UiState, ViolationFilter};
pub use tools::kinds::Tool;
use update::{Target, recovery_path};

/// How often a dirty plan is written to its recovery file.
pub const AUTOSAVE_INTERVAL: Duration = Duration::from_secs(30);

/// The application.
pub struct ShequApp {
    /// The open plan and its selection.
    pub doc: Document,
    /// The interface's state.
    pub ui: UiState,
    /// Settings kept between runs.
    pub prefs: Preferences,
    /// What the panels asked for this frame, carried out after they have drawn.
    pub intents: Vec<Intent>,
}

impl ShequApp {
    /// An app showing `session` (or nothing).
    pub fn new(session: Option<Session>, prefs: Preferences) -> Self {
        let mut app = Self {
            doc: Document::default(),
            ui: UiState::new(prefs.layers),
            prefs,
            intents: Vec::new(),
        };
        if let Some(session) = session {
            app.target().show_session(session);
        }
        app
    }

    fn target(&mut self) -> Target<'_> {
        Target {
            document: &mut self.doc,
            ui: &mut self.ui,
            preferences: &mut self.prefs,
        }
    }

    /// Carries out `intent` now. True when it was done; a refusal goes to the status bar.
    pub fn apply(&mut self, intent: Intent) -> bool {
        self.target().apply(intent)
    }

    /// Makes `session` the open plan.
    pub fn show_session(&mut self, session: Session) {
        self.target().show_session(session);
    }

    /// Opens a plan file in the background.
    pub fn open(&mut self, path: &Path) {
        self.target().open(path);
    }

    /// Opens "New plan from layers" on these layers.
    pub fn start_new_plan(
        &mut self,
        buildings: Option<PathBuf>,
        streets: Option<PathBuf>,
        communities: Option<PathBuf>,
    ) {
        self.target()
            .start_new_plan(buildings, streets, communities);
    }

    /// The strings of the current language.
    pub fn strings(&self) -> &'static i18n::Strings {
        i18n::strings_of(self.prefs.language)
    }

    /// Takes the plan a background load produced, or its error.
    fn finish_loading(&mut self, ctx: &egui::Context) {
        let strings = self.strings();
        let Some(loading) = &self.ui.loading else {
            return;
        };
        match loading.poll() {
            None => loading.show(ctx, strings),
            Some(loading::Loaded::Opened(session, took)) => {
                self.ui.loading = None;
                self.show_session(*session);
                // The load warnings have their own place in the status bar.
                self.ui
                    .notify(format!("{} {:.1} s", strings.opened_in, took.as_secs_f32()));
            }
            Some(loading::Loaded::Failed(error)) => {
                self.ui.loading = None;
                self.ui.message = Some(error);
            }
        }
    }

    /// Takes the grids drawn in the background, to be set this frame; while they are drawn,
    /// looks again shortly (the background work does not wake the window itself).
    fn finish_drawing_grids(&mut self, ctx: &egui::Context) {
        let Some(drawing) = &self.ui.drawing_grids else {
            return;
        };
        let Some((command, drawn)) = drawing.slot.get() else {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
            return;
        };
        self.intents.push(Intent::GridsWorkedOut {
            generation: drawing.generation,
            command: command.clone(),
            drawn: drawn.clone(),
        });
        self.ui.drawing_grids = None;
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
        if self.ui.last_autosave.elapsed() < AUTOSAVE_INTERVAL {
            return;
        }
        self.ui.last_autosave = Instant::now();
        let Some(session) = &self.doc.session else {
            return;
        };
        let (Some(path), true) = (session.plan_path(), session.is_dirty()) else {
            return;
        };
        // Written beside the plan, so the layer paths (relative to the plan's folder) still hold.
        if let Err(error) = session.write_copy(&recovery_path(path)) {
            self.ui.message = Some(error.to_string());
        }
    }

    /// Keeps the comparison current with the plan; a slow one waits while the pointer is down
    /// (a vertex drag changes the plan every frame).
    fn refresh_comparison(&mut self, ctx: &egui::Context) {
        let title = self.strings().comparison_title;
        let (Some(session), Some(view)) = (&self.doc.session, &mut self.doc.comparison) else {
            return;
        };
        if view.comparing_time > std::time::Duration::from_millis(30)
            && ctx.input(|input| input.pointer.any_down())
        {
            return;
        }
        if let Err(error) = view.refresh(session) {
            self.ui.message = Some(format!("{title}: {error}"));
            self.doc.comparison = None;
        }
    }

    /// The whole window's contents: input, then the panels (which read and push intents), then
    /// the intents carried out.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.finish_loading(&ctx);
        self.finish_drawing_grids(&ctx);
        self.handle_dropped_files(&ctx);
        self.autosave();
        self.refresh_comparison(&ctx);
        // The street blocks are derived (once) before the frame reads the plan, when the map
        // draws them or the assign-blocks tool picks them.
        if (self.ui.map.layers.blocks || matches!(self.ui.tool, Tool::AssignBlocks))
            && let Some(session) = &mut self.doc.session
        {
            session.blocks();
        }
        let mut intents = std::mem::take(&mut self.intents);
        {
            let view = ViewCtx::new(&self.doc, &self.prefs);
            let state = &mut self.ui;
            let out = &mut intents;
            shortcuts::handle(&view, state, &ctx, out);
            panels::menu_bar(&view, state, ui, out);
            panels::toolbar(&view, state, ui, out);
            panels::status_bar(&view, state, ui);
            panels::violations_panel(&view, state, ui, out);
            panels::left_panel(&view, state, ui, out);
            panels::inspector(&view, state, ui, out);
            egui::CentralPanel::default()
                .frame(egui::Frame::NONE)
                .show(ui, |ui| tools::map_area(&view, state, ui, out));
            panels::print_preview(&view, state, &ctx, out);
            panels::comparison_window(&view, &ctx, out);
            panels::change_log_window(&view, state, &ctx, out);
            panels::charts_window(&view, state, &ctx, out);
            panels::fixes_window(&view, state, &ctx, out);
            panels::partition_window(&view, state, &ctx, out);
            dialogs::show(&view, state, &ctx, out);
        }
        for intent in intents.drain(..) {
            self.apply(intent);
        }
        self.intents = intents;
        // Work just started in the background is shown (and looked for) from the next frame on,
        // without waiting for the pointer to move.
        let partition_working =
            (self.ui.partition.as_ref()).is_some_and(|window| window.working.is_some());
        if self.ui.drawing_grids.is_some() || partition_working {
            ctx.request_repaint();
        }
        self.update_title(&ctx);
        if ctx.input(|input| input.viewport().close_requested())
            && !self.ui.quit_confirmed
            && self.doc.session.as_ref().is_some_and(Session::is_dirty)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.ui.dialog = Some(Dialog::ConfirmQuit);
        }
    }

    /// "● plan.shequ.geojson — 社区": the plan's file, marked when it has unsaved changes.
    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.doc.session {
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
        if self.ui.window_title != title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.ui.window_title = title;
        }
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
        self.app.prefs.layers = self.app.ui.map.layers;
        eframe::set_value(storage, "preferences", &self.app.prefs);
    }
}

/// Opens the desktop window on `paths`: a plan file, or layers to start a plan from (buildings,
/// then streets and existing boundaries if given); `basemaps` are added under the plan once it
/// has opened.
pub fn run(paths: Vec<PathBuf>, basemaps: Vec<PathBuf>) -> anyhow::Result<()> {
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
            file_dialog::probe_system_dialogs();
            let preferences: Preferences = creation
                .storage
                .and_then(|storage| eframe::get_value(storage, "preferences"))
                .unwrap_or_default();
            // The window opens at once; the plan loads behind a progress bar. A layer rather
            // than a plan opens "New plan from layers" on it.
            let mut app = ShequApp::new(None, preferences);
            app.ui.basemaps_to_add = basemaps;
            let mut paths = paths.into_iter();
            match paths.next() {
                Some(plan) if is_plan_file(&plan) => app.open(&plan),
                Some(buildings) => app.start_new_plan(Some(buildings), paths.next(), paths.next()),
                None => {}
            }
            Ok(Box::new(DesktopApp { app }))
        }),
    )
    .map_err(|error| anyhow::anyhow!("the window could not open: {error}"))
}
