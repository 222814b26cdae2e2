//! The panels around the map, one file each: menu bar, toolbar, status bar, the community list
//! with the layers, the inspector and the violations. The dialogs are in `super::dialogs`.

mod community_list;
mod inspector;
mod menu_bar;
mod status_bar;
mod toolbar;
mod violations;

use menu_bar::layer_checkboxes;
use violations::open_accept_dialog;

pub use community_list::left_panel;
pub use inspector::inspector;
pub use menu_bar::menu_bar;
pub use status_bar::status_bar;
pub use toolbar::toolbar;
pub use violations::violations_panel;

use eframe::egui::{self};
use shequ_core::ids::CommunityKey;
use shequ_core::plan::CommunityType;

use crate::app::ShequApp;

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

pub(crate) fn type_name(app: &ShequApp, kind: CommunityType) -> &'static str {
    let names = app.strings().type_names;
    match kind {
        CommunityType::Geographic => names[0],
        CommunityType::WorkUnit => names[1],
        CommunityType::ResidentialEstate => names[2],
    }
}

/// The inspector's text fields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum TextField {
    Name,
    Notes,
}

/// A text field over `current` that edits a draft, so that typing is one undo step rather than
/// one a key: returns the trimmed text when the planner finishes (Enter on the name, or leaving
/// the field) and it differs from `current`.
pub(crate) fn drafted_text_edit(
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
