//! Choosing files and folders: the system's dialog where the desktop offers one, else shequ's own
//! window (`egui_file`), so that Open, Save as, Export and "New plan from layers" never do nothing.
//!
//! On Linux the system dialog is the desktop portal's FileChooser, with `zenity` as `rfd`'s own
//! fallback. When neither is there (a bare window manager, a remote session) `rfd` logs an error
//! and answers "nothing chosen", which the app cannot tell from a cancel; so the app asks the
//! portal itself, once, before the first dialog, and uses its own dialog when neither answers.
//! A planner can also choose the built-in dialog always (View menu), for a portal that answers
//! but never shows its window.

use std::path::{Path, PathBuf};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use eframe::egui;

use super::dialogs::new_plan::draft::DraftLayer;
use super::i18n::Strings;
use crate::sheet::SheetFormat;

/// What a chosen file or folder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRequest {
    /// A plan to open.
    OpenPlan,
    /// Where to save the plan.
    SavePlan,
    /// The folder for the approval export.
    ExportFolder,
    /// A layer of "New plan from layers".
    Layer(DraftLayer),
    /// A basemap's tile file to add under the plan.
    Basemap,
    /// Where to write the map sheet in this format.
    Sheet(SheetFormat),
    /// A plan file to compare the open plan with.
    CompareWith,
}

const PLAN_EXTENSIONS: &[&str] = &["geojson", "json"];
const LAYER_EXTENSIONS: &[&str] = &["geojson", "json", "shp", "gpkg"];
const BASEMAP_EXTENSIONS: &[&str] = &["mbtiles", "pmtiles"];

impl FileRequest {
    fn title(self, strings: &Strings) -> &'static str {
        match self {
            FileRequest::OpenPlan => strings.open_plan,
            FileRequest::SavePlan => strings.save_as,
            FileRequest::ExportFolder => strings.export_for_approval,
            FileRequest::Layer(DraftLayer::Buildings) => strings.buildings,
            FileRequest::Layer(DraftLayer::Streets) => strings.streets,
            FileRequest::Layer(DraftLayer::Communities) => strings.existing_boundaries,
            FileRequest::Basemap => strings.add_basemap,
            FileRequest::Sheet(_) => strings.print_layout,
            FileRequest::CompareWith => strings.compare_with_file,
        }
    }

    /// The kinds of file offered, named, with their extensions; none for a folder.
    fn filter(self, strings: &Strings) -> Option<(&'static str, &'static [&'static str])> {
        match self {
            FileRequest::OpenPlan | FileRequest::SavePlan | FileRequest::CompareWith => {
                Some((strings.plan_files, PLAN_EXTENSIONS))
            }
            FileRequest::ExportFolder => None,
            FileRequest::Layer(_) => Some((
                "GeoJSON, Esri JSON, Shapefile, GeoPackage",
                LAYER_EXTENSIONS,
            )),
            FileRequest::Basemap => Some(("MBTiles, PMTiles", BASEMAP_EXTENSIONS)),
            FileRequest::Sheet(format) => Some(match format {
                SheetFormat::Pdf => ("PDF", &["pdf"]),
                SheetFormat::Svg => ("SVG", &["svg"]),
                SheetFormat::Png => ("PNG", &["png"]),
            }),
        }
    }
}

/// Asks the system's dialog; `None` when nothing was chosen.
pub fn ask_system(
    request: FileRequest,
    strings: &Strings,
    folder: Option<&Path>,
) -> Option<PathBuf> {
    let mut dialog = rfd::FileDialog::new().set_title(request.title(strings));
    if let Some(folder) = folder {
        dialog = dialog.set_directory(folder);
    }
    if let Some((name, extensions)) = request.filter(strings) {
        dialog = dialog.add_filter(name, extensions);
    }
    match request {
        FileRequest::OpenPlan
        | FileRequest::Layer(_)
        | FileRequest::Basemap
        | FileRequest::CompareWith => dialog.pick_file(),
        FileRequest::SavePlan => dialog.set_file_name("plan.shequ.geojson").save_file(),
        FileRequest::Sheet(format) => dialog.set_file_name(format.file_name()).save_file(),
        FileRequest::ExportFolder => dialog.pick_folder(),
    }
}

/// Where the built-in dialog stands after a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Still open.
    Waiting,
    /// Closed with this file or folder chosen.
    Chosen(PathBuf),
    /// Closed with nothing chosen.
    Cancelled,
}

/// shequ's own file dialog, open for one request.
pub struct BuiltInDialog {
    request: FileRequest,
    dialog: egui_file::FileDialog,
}

impl std::fmt::Debug for BuiltInDialog {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("BuiltInDialog")
            .field("request", &self.request)
            .field("folder", &self.dialog.directory())
            .finish()
    }
}

impl BuiltInDialog {
    /// The dialog for `request`, in the interface's language, opened at `folder`.
    pub fn open(request: FileRequest, strings: &Strings, folder: Option<&Path>) -> Self {
        let mut dialog = match request {
            FileRequest::OpenPlan
            | FileRequest::Layer(_)
            | FileRequest::Basemap
            | FileRequest::CompareWith => egui_file::FileDialog::open_file(),
            FileRequest::SavePlan => {
                egui_file::FileDialog::save_file().default_filename("plan.shequ.geojson")
            }
            FileRequest::Sheet(format) => {
                egui_file::FileDialog::save_file().default_filename(format.file_name())
            }
            FileRequest::ExportFolder => egui_file::FileDialog::select_folder(),
        };
        if let Some(folder) = folder {
            dialog = dialog.initial_path(folder);
        }
        if !matches!(request, FileRequest::SavePlan | FileRequest::Sheet(_))
            && let Some((_, extensions)) = request.filter(strings)
        {
            // Folders stay listed, to walk into; files only of the kinds asked for.
            dialog = dialog.show_files_filter(Box::new(move |path: &Path| {
                path.is_dir() || has_extension(path, extensions)
            }));
        }
        let mut dialog = dialog
            .id(egui::Id::unique("built-in file dialog"))
            .title(&format!(
                "{} — {}",
                request.title(strings).trim_end_matches('…'),
                strings.built_in_dialog
            ))
            .open_button_text(strings.dialog_open.into())
            .save_button_text(strings.dialog_save.into())
            .cancel_button_text(strings.cancel.into())
            .new_folder_button_text(strings.new_folder.into())
            .new_folder_name_text(strings.new_folder.into())
            .rename_button_text(strings.rename.into())
            .refresh_button_hover_text(strings.refresh.into())
            .parent_folder_button_hover_text(strings.parent_folder.into())
            .file_label_text(strings.file_label.into())
            .show_hidden_checkbox_text(strings.show_hidden.into())
            .default_size([640.0, 460.0])
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .keep_on_top(true);
        dialog.open();
        Self { request, dialog }
    }

    /// What the dialog is for.
    pub fn request(&self) -> FileRequest {
        self.request
    }

    /// Shows the dialog and tells whether it is still open, or what was chosen.
    pub fn show(&mut self, ctx: &egui::Context) -> Answer {
        match self.dialog.show(ctx).state() {
            egui_file::State::Open => Answer::Waiting,
            egui_file::State::Selected => Answer::Chosen(
                self.dialog
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| self.dialog.directory().to_path_buf()),
            ),
            egui_file::State::Cancelled | egui_file::State::Closed => Answer::Cancelled,
        }
    }
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extensions
                .iter()
                .any(|wanted| extension.eq_ignore_ascii_case(wanted))
        })
}

/// Whether the system has a file dialog to show; asked once, in the background, from
/// [`probe_system_dialogs`].
static SYSTEM_DIALOGS: OnceLock<bool> = OnceLock::new();

static PROBE: Once = Once::new();

/// Starts finding out whether the system has a file dialog, so the answer is ready by the time a
/// planner first opens a file. Asking the portal can take a moment (it may start on demand).
pub fn probe_system_dialogs() {
    PROBE.call_once(|| {
        std::thread::spawn(|| SYSTEM_DIALOGS.get_or_init(system_dialogs_answer));
    });
}

/// True when the system has a file dialog. Waits briefly for the probe; a portal that has not
/// answered by then counts as absent, since `rfd` would wait on it with the window frozen.
pub fn system_dialogs_available() -> bool {
    probe_system_dialogs();
    let asked = Instant::now();
    loop {
        if let Some(&available) = SYSTEM_DIALOGS.get() {
            return available;
        }
        if asked.elapsed() > Duration::from_secs(2) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(target_os = "linux")]
fn system_dialogs_answer() -> bool {
    zenity_installed() || portal_file_chooser_answers()
}

/// Windows and macOS always have their own dialogs.
#[cfg(not(target_os = "linux"))]
fn system_dialogs_answer() -> bool {
    true
}

#[cfg(target_os = "linux")]
fn zenity_installed() -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|folder| folder.join("zenity").is_file())
    })
}

/// Asks the desktop portal for its FileChooser's version, as `rfd` would reach it.
#[cfg(target_os = "linux")]
fn portal_file_chooser_answers() -> bool {
    let Ok(connection) = zbus::blocking::Connection::session() else {
        return false;
    };
    let Ok(proxy) = zbus::blocking::Proxy::new(
        &connection,
        "org.freedesktop.portal.Desktop",
        "/org/freedesktop/portal/desktop",
        "org.freedesktop.portal.FileChooser",
    ) else {
        return false;
    };
    proxy.get_property::<u32>("version").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_files_are_recognised_by_extension_in_any_case() {
        assert!(has_extension(
            Path::new("a/buildings.SHP"),
            LAYER_EXTENSIONS
        ));
        assert!(has_extension(
            Path::new("plan.shequ.geojson"),
            PLAN_EXTENSIONS
        ));
        assert!(!has_extension(Path::new("buildings.dbf"), LAYER_EXTENSIONS));
        assert!(!has_extension(Path::new("README"), LAYER_EXTENSIONS));
    }
}
