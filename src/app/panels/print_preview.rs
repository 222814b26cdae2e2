//! The print layout and its preview: paper, orientation, scale, title, subtitle and the approval
//! block on the left, the sheet as it will print on the right (drawn by the same code as the
//! exported PDF, SVG and PNG), and buttons to write it. A change becomes one undo step of the
//! plan once its field is left, so the layout is saved with the plan and `shequ export` prints the
//! same sheet.

use eframe::egui::{self, RichText};
use shequ_core::Session;
use shequ_core::edit::Command;
use shequ_core::io::print_layout::{Orientation, Paper, PrintScale};
use shequ_core::report::CheckReport;

use crate::app::context::ViewCtx;
use crate::app::file_dialog::FileRequest;
use crate::app::intent::Intent;
use crate::app::print_preview::{PreviewKey, PrintPreview};
use crate::app::state::UiState;
use crate::sheet::{SheetFormat, SheetOptions, default_title, draw_sheet};

/// The longest a preview may take to be drawn again at every keystroke.
const LIVE_DRAWING: std::time::Duration = std::time::Duration::from_millis(120);

/// The print preview window, when open.
pub fn print_preview(
    view: &ViewCtx,
    state: &mut UiState,
    ctx: &egui::Context,
    out: &mut Vec<Intent>,
) {
    let (Some(session), Some(preview)) = (view.session, state.print_preview.as_mut()) else {
        state.print_preview = None;
        return;
    };
    let strings = view.strings;
    if session.settings().print_layout != preview.committed {
        // Undone or redone in the plan: show the plan's layout.
        preview.committed = session.settings().print_layout.clone();
        preview.draft = preview.committed.clone();
    }
    let mut open = true;
    egui::Window::new(strings.print_layout)
        .id(egui::Id::unique("print preview"))
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_size([1040.0, 700.0])
        .show(ctx, |ui| {
            ui.horizontal_top(|ui| {
                let editing = ui
                    .vertical(|ui| {
                        ui.set_width(270.0);
                        let editing = layout_fields(view, session, preview, ui);
                        ui.add_space(12.0);
                        ui.label(RichText::new(strings.export_sheet_as).strong());
                        ui.horizontal(|ui| {
                            for format in SheetFormat::ALL {
                                let name = format!("{}…", format.extension().to_uppercase());
                                if ui.button(name).clicked() {
                                    commit(preview, out);
                                    out.push(Intent::Choose(FileRequest::Sheet(format)));
                                }
                            }
                        });
                        editing
                    })
                    .inner;
                if !editing {
                    commit(preview, out);
                }
                ui.separator();
                preview_image(view, session, preview, editing, ui);
            });
        });
    if !open {
        commit(preview, out);
        state.print_preview = None;
    }
}

/// Makes the draft the plan's layout (one undo step) where it differs.
fn commit(preview: &mut PrintPreview, out: &mut Vec<Intent>) {
    if preview.draft != preview.committed {
        preview.committed = preview.draft.clone();
        out.push(Intent::Edit(Command::SetPrintLayout {
            layout: Box::new(preview.draft.clone()),
        }));
    }
}

/// The layout's fields; true while a text field is being typed in.
fn layout_fields(
    view: &ViewCtx,
    session: &Session,
    preview: &mut PrintPreview,
    ui: &mut egui::Ui,
) -> bool {
    let strings = view.strings;
    let draft = &mut preview.draft;
    let mut typing = false;
    egui::Grid::new("print layout fields")
        .num_columns(2)
        .spacing([10.0, 8.0])
        .show(ui, |ui| {
            ui.label(strings.paper);
            ui.horizontal(|ui| {
                for paper in Paper::ALL {
                    ui.radio_value(&mut draft.paper, paper, paper.name());
                }
            });
            ui.end_row();
            ui.label(strings.orientation);
            ui.horizontal(|ui| {
                ui.radio_value(
                    &mut draft.orientation,
                    Orientation::Landscape,
                    strings.landscape,
                );
                ui.radio_value(
                    &mut draft.orientation,
                    Orientation::Portrait,
                    strings.portrait,
                );
            });
            ui.end_row();
            ui.label(strings.print_scale);
            ui.vertical(|ui| {
                ui.radio_value(&mut draft.scale, PrintScale::Fit, strings.fit_to_page);
                ui.horizontal(|ui| {
                    let fixed = matches!(draft.scale, PrintScale::OneTo(_));
                    let radio = ui.radio(fixed, strings.fixed_scale);
                    if radio.clicked()
                        && let Ok(scale) = PrintScale::parse(&preview.scale_text)
                    {
                        draft.scale = scale;
                    }
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(&mut preview.scale_text)
                                .hint_text(strings.sheet_scale_hint)
                                .desired_width(110.0),
                        )
                        .labelled_by(radio.id);
                    typing |= field.has_focus();
                    if field.changed()
                        && let Ok(scale) = PrintScale::parse(&preview.scale_text)
                    {
                        draft.scale = scale;
                    }
                    if PrintScale::parse(&preview.scale_text).is_err() {
                        ui.label(RichText::new("!").color(ui.visuals().error_fg_color))
                            .on_hover_text(strings.sheet_scale_hint);
                    }
                });
            });
            ui.end_row();
            let default_title = default_title(session, view.language);
            let today = shequ_core::format::today();
            let subtitle_hint = crate::sheet::default_subtitle(view.language);
            let fields: [(&str, &mut Option<String>, &str); 2] = [
                (strings.sheet_title, &mut draft.title, &default_title),
                (strings.sheet_subtitle, &mut draft.subtitle, subtitle_hint),
            ];
            for (label, value, hint) in fields {
                let label = ui.label(label);
                typing |= optional_text(ui, value, hint, label.id);
                ui.end_row();
            }
            let names: [(&str, &mut String); 3] = [
                (strings.sheet_organisation, &mut draft.organisation),
                (strings.sheet_reviewer, &mut draft.reviewer),
                (strings.sheet_approver, &mut draft.approver),
            ];
            for (label, value) in names {
                let label = ui.label(label);
                let field = ui
                    .add(
                        egui::TextEdit::singleline(value)
                            .hint_text(strings.blank_to_sign)
                            .desired_width(180.0),
                    )
                    .labelled_by(label.id);
                typing |= field.has_focus();
                ui.end_row();
            }
            let label = ui.label(strings.sheet_date);
            let hint = format!("{} {today}", strings.today);
            typing |= optional_text(ui, &mut draft.date, &hint, label.id);
            ui.end_row();
        });
    typing
}

/// A text field for an optional text: empty is none, shown with `hint`. True while focused.
fn optional_text(
    ui: &mut egui::Ui,
    value: &mut Option<String>,
    hint: &str,
    label: egui::Id,
) -> bool {
    let mut text = value.clone().unwrap_or_default();
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .hint_text(hint)
                .desired_width(180.0),
        )
        .labelled_by(label);
    if field.changed() {
        *value = Some(text).filter(|text| !text.trim().is_empty());
    }
    field.has_focus()
}

/// The sheet as it will print, fitted into the space left, drawn again when what it shows
/// changes.
/// While a field is typed in (`typing`), a preview slower than [`LIVE_DRAWING`] waits.
fn preview_image(
    view: &ViewCtx,
    session: &Session,
    preview: &mut PrintPreview,
    typing: bool,
    ui: &mut egui::Ui,
) {
    let available = ui.available_size();
    let (paper_width, paper_height) = preview.draft.page_mm();
    let zoom = (available.x / paper_width as f32)
        .min(available.y / paper_height as f32)
        .max(0.5);
    let pixels_per_point = ui.ctx().pixels_per_point();
    let key = PreviewKey {
        layout: preview.draft.clone(),
        generation: session.generation(),
        language: view.language,
        // In steps of 40 points, so resizing the window does not draw it at every pixel.
        width: ((paper_width as f32 * zoom / 40.0).floor() * 40.0).max(40.0) as u32,
    };
    let drawn = preview
        .image
        .as_ref()
        .is_some_and(|(shown, _)| *shown == key)
        || preview
            .error
            .as_ref()
            .is_some_and(|(failed, _)| *failed == key);
    let waits = typing && preview.image.is_some() && preview.drawing_time > LIVE_DRAWING;
    if !drawn && !waits {
        let started = std::time::Instant::now();
        let options = SheetOptions {
            layout: preview.draft.clone(),
            dots_per_inch: key.width as f32 * pixels_per_point / paper_width as f32 * 25.4,
            ..SheetOptions::of(session, view.language)
        };
        let pixels = draw_sheet(session, &CheckReport::of(session), &options)
            .and_then(|sheet| sheet.png_pixels(options.dots_per_inch));
        match pixels {
            Ok(pixels) => {
                let image = egui::ColorImage::from_rgba_premultiplied(
                    [pixels.width() as usize, pixels.height() as usize],
                    pixels.data(),
                );
                let texture =
                    ui.ctx()
                        .load_texture("print preview", image, egui::TextureOptions::LINEAR);
                preview.image = Some((key.clone(), texture));
                preview.error = None;
            }
            Err(error) => preview.error = Some((key.clone(), format!("{error:#}"))),
        }
        preview.drawing_time = started.elapsed();
    }
    if let Some((_, message)) = &preview.error {
        ui.colored_label(ui.visuals().error_fg_color, message);
    } else if let Some((shown, texture)) = &preview.image {
        let width = shown.width as f32;
        let height = width * paper_height as f32 / paper_width as f32;
        ui.add(
            egui::Image::new(texture)
                .fit_to_exact_size(egui::vec2(width, height))
                .bg_fill(egui::Color32::WHITE),
        );
    }
}
