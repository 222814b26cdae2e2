//! Pieces the panels share: the layer switches and a text field that commits once.

use eframe::egui;
use shequ_core::ids::CommunityKey;

use crate::app::context::ViewCtx;
use crate::app::map::{Colouring, MapView};

/// The inspector's text fields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TextField {
    /// The one-line name.
    Name,
    /// The notes, several lines.
    Notes,
}

/// A text field over `current` that edits a draft, so that typing is one undo step rather than
/// one a key: returns the trimmed text when the planner finishes (Enter on the name, or leaving
/// the field) and it differs from `current`.
pub fn drafted_text_edit(
    ui: &mut egui::Ui,
    draft: &mut Option<(CommunityKey, String)>,
    key: CommunityKey,
    current: &str,
    field: TextField,
    label: egui::Id,
) -> Option<String> {
    let edit_id = egui::Id::unique(("inspector text", field as u8));
    // The draft lives while the field has focus; in the frame the focus leaves (Escape,
    // a click elsewhere), the draft is what the planner typed and is committed.
    let mut text = match draft {
        Some((draft_key, text)) if *draft_key == key => text.clone(),
        _ => current.to_owned(),
    };
    let editor = match field {
        TextField::Name => egui::TextEdit::singleline(&mut text).desired_width(180.0),
        TextField::Notes => egui::TextEdit::multiline(&mut text)
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    };
    let response = ui.add(editor.id(edit_id)).labelled_by(label);
    let committed = response.lost_focus()
        || (field == TextField::Name
            && response.has_focus()
            && ui.input(|input| input.key_pressed(egui::Key::Enter)));
    *draft = (response.has_focus() && !committed).then(|| (key, text.clone()));
    let text = text.trim();
    (committed && text != current).then(|| text.to_owned())
}

/// The layers' visibility and the colouring, for the View menu and the left panel.
pub fn layer_checkboxes(view: &ViewCtx, map: &mut MapView, ui: &mut egui::Ui) {
    let strings = view.strings;
    let layers = &mut map.layers;
    ui.checkbox(&mut layers.buildings, strings.buildings);
    ui.checkbox(&mut layers.streets, strings.streets);
    ui.checkbox(&mut layers.blocks, strings.blocks);
    ui.checkbox(&mut layers.communities, strings.communities);
    ui.checkbox(&mut layers.street_offices, strings.street_offices);
    ui.checkbox(&mut layers.labels, strings.labels);
    ui.checkbox(&mut layers.grids, strings.grids_heading);
    ui.separator();
    for colouring in Colouring::ALL {
        ui.radio_value(&mut map.colouring, colouring, colouring.name(strings));
    }
}
