//! The one place the app changes its document: each [`Intent`] carried out on the session, the
//! selection kept to communities that exist, files opened, saved and exported, and any refusal
//! shown in the planner's language.

use std::path::{Path, PathBuf};

use geo::Coord;
use shequ_core::Session;
use shequ_core::edit::Command;
use shequ_core::io::plan_file::BasemapSettings;
use shequ_core::report::CheckReport;
use shequ_core::search::{Found, SearchHit};
use shequ_core::session::OpenOptions;

mod comparing;
mod partition;
mod scenarios;

use super::basemap;
use super::comparison::CompareAgainst;
use super::dialogs::new_plan::draft::{DraftLayer, NewPlanDraft};
use super::file_dialog::{self, BuiltInDialog, FileRequest};
use super::i18n;
use super::intent::{DragEvent, Intent};
use super::loading::Loading;
use super::map::MapView;
use super::print_preview::PrintPreview;
use super::state::{Dialog, Document, Preferences, SearchState, UiState};
use super::tools::kinds::Tool;
use crate::sheet::{SheetFormat, SheetOptions};

/// The parts of the app an intent may change.
pub struct Target<'a> {
    /// The plan and its selection.
    pub document: &'a mut Document,
    /// The interface's state (map view, tool, dialog, status line).
    pub ui: &'a mut UiState,
    /// Settings kept between runs.
    pub preferences: &'a mut Preferences,
}

impl Target<'_> {
    /// Carries out `intent`. True when it was done; a refusal goes to the status bar.
    pub fn apply(&mut self, intent: Intent) -> bool {
        match intent {
            Intent::RestoreRecovery(recovery) => self.restore_recovery(&recovery),
            Intent::MergeSelection => {
                let keys = self.document.selection.clone();
                keys.len() >= 2
                    && self.apply(Intent::Edit(Command::Merge {
                        keys,
                        allow_several_parts: false,
                    }))
            }
            Intent::DeleteSelection => {
                let commands: Vec<Command> = self
                    .document
                    .selection
                    .iter()
                    .map(|&key| Command::Delete { key })
                    .collect();
                !commands.is_empty() && self.apply(Intent::Edit(Command::Batch(commands)))
            }
            Intent::Select(keys) => {
                self.document.selection = keys;
                true
            }
            Intent::ToggleSelected(key) => {
                let selection = &mut self.document.selection;
                match selection.iter().position(|selected| *selected == key) {
                    Some(position) => {
                        selection.remove(position);
                    }
                    None => selection.push(key),
                }
                true
            }
            Intent::SelectAndZoom(keys) => {
                self.document.selection = keys;
                self.zoom_to_selection();
                true
            }
            Intent::ZoomToSelection => {
                self.zoom_to_selection();
                true
            }
            Intent::ShowFound(hit) => {
                self.show_found(hit);
                true
            }
            Intent::SetLanguage(language) => {
                self.preferences.language = language;
                true
            }
            Intent::Save => self.save(),
            Intent::SetBuiltInFileDialog(always) => {
                self.preferences.built_in_file_dialog = always;
                true
            }
            Intent::Choose(request) => self.choose(request),
            Intent::Chosen(request, path) => self.chosen(request, path),
            Intent::Open(path) => {
                self.open(&path);
                true
            }
            Intent::OpenPrintPreview => {
                let Some(session) = &self.document.session else {
                    return false;
                };
                if self.ui.print_preview.is_none() {
                    self.ui.print_preview = Some(PrintPreview::of(session));
                }
                true
            }
            Intent::ShowFixes(key) => {
                let Some(session) = &self.document.session else {
                    return false;
                };
                let message = session
                    .rules()
                    .iter()
                    .find(|violation| violation.key() == key)
                    .map(|violation| violation.message(self.preferences.language).to_owned())
                    .unwrap_or_default();
                let fixes = shequ_core::fixes::fixes_for(session, &key);
                self.ui.fixes = Some(super::state::FixesShown {
                    key,
                    message,
                    fixes,
                    generation: session.generation(),
                    chosen: 0,
                });
                true
            }
            Intent::CloseFixes => self.ui.fixes.take().is_some(),
            Intent::OpenChangeLog => {
                if self.ui.log_window.is_none() {
                    self.ui.log_window = Some(Default::default());
                }
                true
            }
            Intent::SetUserName(name) => {
                if let Some(session) = &mut self.document.session {
                    session.set_user(&name);
                }
                self.preferences.user_name = name;
                true
            }
            Intent::SwitchScenario(_)
            | Intent::CreateScenario(_)
            | Intent::RenameScenario { .. }
            | Intent::DeleteScenario(_) => self.change_scenarios(intent),
            Intent::ComputePartition | Intent::PartitionAsScenario(_) => self.partition(intent),
            Intent::DrawGrids => self.draw_grids(),
            Intent::SetGridCodes(codes) => match &mut self.document.session {
                Some(session) => {
                    session.set_grid_codes(codes);
                    true
                }
                None => false,
            },
            Intent::GridsWorkedOut {
                generation,
                command,
                drawn,
            } => self.grids_worked_out(generation, command, drawn),
            Intent::Compare(against) => self.start_comparison(against),
            Intent::EndComparison => self.document.comparison.take().is_some(),
            Intent::PickTransfer(cell) => self.pick_transfer(cell),
            Intent::SetTransferOrder(order) => match &mut self.document.comparison {
                Some(view) => {
                    view.order = order;
                    true
                }
                None => false,
            },
            Intent::ChooseLayersForNewPlan => {
                // The dialog opens even when no file is chosen: it has its own Choose buttons.
                self.start_new_plan(None, None, None);
                self.choose(FileRequest::Layer(DraftLayer::Buildings))
            }
            plan_change => self.change_plan(plan_change),
        }
    }

    fn strings(&self) -> &'static i18n::Strings {
        i18n::strings_of(self.preferences.language)
    }

    /// Carries out an intent that changes the plan itself.
    fn change_plan(&mut self, intent: Intent) -> bool {
        let language = self.preferences.language;
        let Some(session) = &mut self.document.session else {
            return false;
        };
        let selection = &mut self.document.selection;
        let outcome = match intent {
            Intent::Edit(command) => {
                let selects = match &command {
                    Command::Merge { keys, .. } => keys.first().copied(),
                    _ => None,
                };
                let creates = matches!(command, Command::Create { .. });
                session.execute(command).map(|effects| {
                    if creates {
                        // The new community is the one selected.
                        if let Some(key) = effects
                            .communities
                            .iter()
                            .find(|key| session.plan().community(**key).is_some())
                        {
                            *selection = vec![*key];
                        }
                    }
                    if let Some(survivor) = selects {
                        *selection = vec![survivor];
                    }
                })
            }
            Intent::Undo => session.undo().map(|_| ()),
            Intent::Redo => session.redo().map(|_| ()),
            Intent::BeginStep(step) => {
                // A step whose end was never seen (the release happened outside the window) is
                // closed, so that a new one can always begin.
                session.commit();
                session.begin(step)
            }
            Intent::EndStep => {
                session.commit();
                Ok(())
            }
            Intent::Drag(event) => match &mut self.ui.tool {
                Tool::Vertices(drag) => match event {
                    DragEvent::Press(transform, screen) => {
                        let layers = crate::app::tools::vertices::picked_layers(self.ui.edit_grids);
                        drag.press(session, &transform, screen, layers).map(|_| ())
                    }
                    DragEvent::Move(transform, screen) => drag.drag(session, &transform, screen),
                    DragEvent::Release => {
                        drag.release(session);
                        Ok(())
                    }
                    DragEvent::Escape => drag.escape(session),
                },
                _ => Ok(()),
            },
            // The others are not plan changes; `apply` carries them out.
            _ => Ok(()),
        };
        let plan = session.plan();
        selection.retain(|key| plan.community(*key).is_some());
        match outcome {
            Ok(()) => {
                self.ui.message = None;
                true
            }
            Err(error) => {
                self.ui.message = Some(error.describe(language));
                false
            }
        }
    }

    fn restore_recovery(&mut self, recovery: &Path) -> bool {
        let plan_path = self
            .document
            .session
            .as_ref()
            .and_then(|session| session.plan_path().map(Path::to_path_buf));
        let Some(plan_path) = plan_path else {
            return false;
        };
        match Session::open_recovery(recovery, &plan_path) {
            Ok(mut session) => {
                session.set_user(&self.preferences.user_name);
                self.document.session = Some(session);
                self.document.selection.clear();
                self.document.comparison = None;
                self.ui.map.fitted = false;
                true
            }
            Err(error) => {
                self.ui.message = Some(error.to_string());
                false
            }
        }
    }

    /// Makes `session` the open plan, offering its recovery file when one was left.
    pub fn show_session(&mut self, mut session: Session) {
        session.set_user(&self.preferences.user_name);
        if let Some(path) = session.plan_path() {
            remember_recent(self.preferences, path);
            let recovery = recovery_path(path);
            if recovery.exists() {
                self.ui.dialog = Some(Dialog::OfferRecovery { recovery });
            }
        }
        self.document.session = Some(session);
        self.document.selection.clear();
        self.document.comparison = None;
        self.ui.tool = Tool::default();
        self.ui.map.fitted = false;
        // What the last plan's search found and pinned means nothing in this one.
        self.ui.search = SearchState::default();
        self.ui.basemaps.clear();
        for file in std::mem::take(&mut self.ui.basemaps_to_add) {
            self.add_basemap(&file);
        }
        self.ui.mark = None;
        self.ui.pinned_building = None;
    }

    /// Selects what a search found where it is communities (a building or a place: the community
    /// it is in), marks a street, building or place, pins a building's details and zooms to it
    /// with room around (a building or a place at least 250 m across).
    fn show_found(&mut self, hit: SearchHit) {
        let Some(session) = &self.document.session else {
            return;
        };
        let [mut low, mut high] = hit.extent;
        let in_community = |point| MapView::community_at(session, point);
        let selection = match &hit.found {
            Found::Community(key) => vec![*key],
            Found::StreetOffice { communities, .. } => communities.clone(),
            Found::Street { .. } => self.document.selection.clone(),
            Found::Building(index) => {
                self.ui.pinned_building = Some(*index);
                session
                    .layers()
                    .buildings
                    .get(*index as usize)
                    .and_then(|building| in_community(building.representative_point))
                    .into_iter()
                    .collect()
            }
            Found::Place(point) => in_community(*point).into_iter().collect(),
            Found::Grid { community, .. } => vec![*community],
        };
        if matches!(hit.found, Found::Building(_) | Found::Place(_)) {
            let centre = Coord {
                x: (low.x + high.x) / 2.0,
                y: (low.y + high.y) / 2.0,
            };
            let half = ((high.x - low.x).max(high.y - low.y) / 2.0).max(125.0);
            low = Coord {
                x: centre.x - half,
                y: centre.y - half,
            };
            high = Coord {
                x: centre.x + half,
                y: centre.y + half,
            };
        }
        self.document.selection = selection;
        self.ui.mark = match hit.found {
            Found::Community(_) | Found::StreetOffice { .. } => None,
            marked => Some(marked),
        };
        self.ui.map.fit(low, high);
    }

    /// Fits the map to the selected communities.
    fn zoom_to_selection(&mut self) {
        let Some(session) = &self.document.session else {
            return;
        };
        let bounds = self
            .document
            .selection
            .iter()
            .filter_map(|key| session.community_index().envelope(*key))
            .reduce(shequ_core::index::extent_union);
        if let Some([low, high]) = bounds {
            self.ui.map.fit(low, high);
        }
    }

    /// Saves to the plan's own file (or asks for one).
    fn save(&mut self) -> bool {
        let path = self
            .document
            .session
            .as_ref()
            .and_then(|session| session.plan_path().map(Path::to_path_buf));
        match path {
            Some(path) => self.save_to(&path),
            None => self.choose(FileRequest::SavePlan),
        }
    }

    fn save_to(&mut self, path: &Path) -> bool {
        let Some(session) = &mut self.document.session else {
            return false;
        };
        match session.save_as(path) {
            Ok(()) => {
                // Saved: the recovery copy has nothing more to offer; already gone is as good.
                std::fs::remove_file(recovery_path(path)).ok();
                let notice = format!("{} {}", self.strings().saved, path.display());
                self.ui.notify(notice);
                remember_recent(self.preferences, path);
                true
            }
            Err(error) => {
                self.ui.message = Some(error.to_string());
                false
            }
        }
    }

    /// Opens a plan file in the background, behind a progress bar.
    pub fn open(&mut self, path: &Path) {
        let plan = path.to_path_buf();
        self.ui.loading = Some(Loading::start(path, move |progress| {
            Session::open_with(
                &plan,
                OpenOptions {
                    progress: Some(progress),
                    ..OpenOptions::default()
                },
            )
        }));
    }

    /// Writes the approval export into `folder`.
    fn export_to(&mut self, folder: &Path) -> bool {
        let Some(session) = &self.document.session else {
            return false;
        };
        let mut options = shequ_core::export::ExportOptions::new(self.preferences.language);
        // While comparing, the export carries the transfers.
        options.comparison = self
            .document
            .comparison
            .as_ref()
            .map(|view| view.comparison.clone());
        let layout = &session.settings().print_layout;
        let before = self.document.comparison.as_ref().map(|view| &view.before);
        match crate::sheet::export_with_map(session, folder, &options, layout, before) {
            Ok(_) => {
                let notice = format!("{} {}", self.strings().exported, folder.display());
                self.ui.notify(notice);
                true
            }
            Err(error) => {
                self.ui.message = Some(error.to_string());
                false
            }
        }
    }

    /// Writes the map sheet in `format` at `path`, as the plan's print layout says.
    fn write_sheet(&mut self, format: SheetFormat, path: &Path) -> bool {
        let Some(session) = &self.document.session else {
            return false;
        };
        let options = SheetOptions::of(session, self.preferences.language);
        let written = crate::sheet::draw_sheet(session, &CheckReport::of(session), &options)
            .and_then(|sheet| sheet.write(format, options.dots_per_inch, path));
        match written {
            Ok(()) => {
                let notice = format!("{} {}", self.strings().exported, path.display());
                self.ui.notify(notice);
                true
            }
            Err(error) => {
                self.ui.message = Some(format!("{error:#}"));
                false
            }
        }
    }

    /// Asks for a file or folder: in the system's dialog where there is one, else in the
    /// built-in dialog (whose choice comes back as [`Intent::Chosen`]).
    fn choose(&mut self, request: FileRequest) -> bool {
        if matches!(
            request,
            FileRequest::SavePlan | FileRequest::ExportFolder | FileRequest::Sheet(_)
        ) && self.document.session.is_none()
        {
            return false;
        }
        let folder = self.starting_folder();
        let strings = self.strings();
        let built_in = if self.preferences.built_in_file_dialog {
            true
        } else if file_dialog::system_dialogs_available() {
            false
        } else {
            // Said at each dialog, so a planner knows why the window looks different.
            self.ui.notify(strings.no_system_file_dialog.to_owned());
            true
        };
        if built_in {
            self.ui.file_dialog = Some(BuiltInDialog::open(request, strings, folder.as_deref()));
            return true;
        }
        match file_dialog::ask_system(request, strings, folder.as_deref()) {
            Some(path) => self.chosen(request, path),
            None => false,
        }
    }

    /// Carries out what a file or folder was chosen for.
    fn chosen(&mut self, request: FileRequest, path: PathBuf) -> bool {
        match request {
            FileRequest::OpenPlan => {
                self.open(&path);
                true
            }
            FileRequest::SavePlan => self.save_to(&path),
            FileRequest::ExportFolder => self.export_to(&path),
            FileRequest::Sheet(format) => self.write_sheet(format, &path),
            FileRequest::Basemap => self.add_basemap(&path),
            FileRequest::CompareWith => self.start_comparison(CompareAgainst::File(path)),
            FileRequest::Layer(layer) => match &mut self.ui.dialog {
                Some(Dialog::NewPlan(draft)) => {
                    draft.set_layer(layer, path);
                    true
                }
                _ => false,
            },
        }
    }

    /// Adds a basemap on top of the plan's others (one undo step); a file that cannot be drawn is
    /// refused with its reason.
    pub fn add_basemap(&mut self, file: &Path) -> bool {
        let Some(session) = &self.document.session else {
            return false;
        };
        if let Err(error) = shequ_core::io::tile_file::TileFile::open(file) {
            self.ui.message = Some(error.to_string());
            return false;
        }
        let path = basemap::path_in_plan(session, file);
        let mut basemaps = session.settings().basemaps.clone();
        if basemaps.iter().any(|basemap| basemap.path == path) {
            return true;
        }
        basemaps.push(BasemapSettings::new(path));
        self.apply(Intent::Edit(Command::SetBasemaps { basemaps }))
    }

    /// Where a file dialog opens: the open plan's folder, else the last plan's.
    fn starting_folder(&self) -> Option<PathBuf> {
        let plan = self
            .document
            .session
            .as_ref()
            .and_then(|session| session.plan_path())
            .or_else(|| self.preferences.recent.first().map(PathBuf::as_path))?;
        // Absolute, so the dialog's "parent folder" climbs past the folder it opened in.
        plan.parent()
            .and_then(|folder| std::path::absolute(folder).ok())
    }

    /// Opens "New plan from layers" on these layers.
    pub fn start_new_plan(
        &mut self,
        buildings: Option<PathBuf>,
        streets: Option<PathBuf>,
        communities: Option<PathBuf>,
    ) {
        self.ui.dialog = Some(Dialog::NewPlan(Box::new(NewPlanDraft::with_layers(
            buildings,
            streets,
            communities,
        ))));
    }
}

fn remember_recent(preferences: &mut Preferences, path: &Path) {
    let path = path.to_path_buf();
    preferences.recent.retain(|known| *known != path);
    preferences.recent.insert(0, path);
    preferences.recent.truncate(10);
}

/// The recovery file beside a plan.
pub fn recovery_path(plan: &Path) -> PathBuf {
    let name = plan
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".to_owned());
    plan.with_file_name(format!(".{name}.recovery.geojson"))
}
