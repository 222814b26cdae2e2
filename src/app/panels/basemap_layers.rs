//! The basemaps in the layers panel, top first as GIS layer lists show them: each with its
//! visibility, opacity, order, a GCJ-02 switch and removal, or why it cannot be drawn; and "Add
//! basemap…". Every change is one undo step of the plan, which remembers its basemaps.

use eframe::egui::{self, RichText};
use shequ_core::edit::{Command, Step};
use shequ_core::io::plan_file::BasemapSettings;

use crate::app::basemap::Basemaps;
use crate::app::context::ViewCtx;
use crate::app::file_dialog::FileRequest;
use crate::app::intent::Intent;
use crate::theme;

/// The basemap rows, under the layer checkboxes.
pub fn basemap_rows(
    view: &ViewCtx,
    basemaps: &mut Basemaps,
    ui: &mut egui::Ui,
    out: &mut Vec<Intent>,
) {
    let Some(session) = view.session else {
        return;
    };
    let strings = view.strings;
    ui.separator();
    ui.label(RichText::new(strings.basemaps).strong());
    let list = &session.settings().basemaps;
    let set = |out: &mut Vec<Intent>, change: &dyn Fn(&mut Vec<BasemapSettings>)| {
        let mut changed = list.clone();
        change(&mut changed);
        out.push(Intent::Edit(Command::SetBasemaps { basemaps: changed }));
    };
    for index in (0..list.len()).rev() {
        let settings = &list[index];
        let file = session.basemap_file(settings);
        let status = basemaps
            .status(&file, ui.ctx())
            .map(|info| info.name.clone());
        ui.push_id(index, |ui| {
            ui.horizontal(|ui| {
                let mut visible = settings.visible;
                let name = status.clone().unwrap_or_else(|_| settings.path.clone());
                if ui
                    .checkbox(&mut visible, name)
                    .on_hover_text(&settings.path)
                    .changed()
                {
                    set(out, &|all| all[index].visible = visible);
                }
                if ui
                    .add_enabled(index + 1 < list.len(), egui::Button::new(strings.move_up))
                    .clicked()
                {
                    set(out, &|all| all.swap(index, index + 1));
                }
                if ui
                    .add_enabled(index > 0, egui::Button::new(strings.move_down))
                    .clicked()
                {
                    set(out, &|all| all.swap(index, index - 1));
                }
                if ui.button(strings.remove).clicked() {
                    set(out, &|all| {
                        all.remove(index);
                    });
                }
            });
            if let Err(problem) = &status {
                ui.label(RichText::new(problem).color(theme::ERROR.egui()));
                return;
            }
            ui.horizontal(|ui| {
                let label = ui.label(strings.opacity);
                let mut opacity = settings.opacity;
                let slider = ui
                    .add(egui::Slider::new(&mut opacity, 0.0..=1.0).fixed_decimals(2))
                    .labelled_by(label.id);
                // A drag is one undo step; the map follows it.
                if slider.drag_started() {
                    out.push(Intent::BeginStep(Step::Basemaps));
                }
                if slider.changed() {
                    set(out, &|all| all[index].opacity = opacity);
                }
                if slider.drag_stopped() {
                    out.push(Intent::EndStep);
                }
                let mut gcj02 = settings.gcj02;
                if ui
                    .checkbox(&mut gcj02, strings.gcj02_tiles)
                    .on_hover_text(strings.gcj02_hint)
                    .changed()
                {
                    set(out, &|all| all[index].gcj02 = gcj02);
                }
            });
        });
    }
    if ui.button(strings.add_basemap).clicked() {
        out.push(Intent::Choose(FileRequest::Basemap));
    }
}
