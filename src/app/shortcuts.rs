//! The keyboard shortcuts: Ctrl+F anywhere; outside a text field undo, redo, save, zoom to
//! everything, the tools' keys and merge.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

use super::context::ViewCtx;
use super::intent::Intent;
use super::panels::search_box_id;
use super::state::UiState;
use super::tools::kinds::TOOLS;

/// Reads this frame's shortcuts (before any panel sees the keys).
pub fn handle(view: &ViewCtx, state: &mut UiState, ctx: &egui::Context, out: &mut Vec<Intent>) {
    // Ctrl+F works from a text field too: it moves the keyboard to the search box.
    if ctx.input_mut(|input| {
        input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::F))
    }) {
        ctx.memory_mut(|memory| memory.request_focus(search_box_id()));
        state.search.open = true;
    }
    if ctx.egui_wants_keyboard_input() {
        return;
    }
    let pressed = |modifiers: Modifiers, key: Key| {
        ctx.input_mut(|input| input.consume_shortcut(&KeyboardShortcut::new(modifiers, key)))
    };
    if pressed(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z) || pressed(Modifiers::COMMAND, Key::Y)
    {
        out.push(Intent::Redo);
    }
    if pressed(Modifiers::COMMAND, Key::Z) {
        out.push(Intent::Undo);
    }
    if pressed(Modifiers::COMMAND, Key::S) {
        out.push(Intent::Save);
    }
    if pressed(Modifiers::COMMAND, Key::P) {
        out.push(Intent::OpenPrintPreview);
    }
    if pressed(Modifiers::NONE, Key::Home)
        && let Some(session) = view.session
    {
        state.map.fit_all(session);
    }
    for entry in &TOOLS {
        if pressed(Modifiers::NONE, entry.key) {
            state.tool = entry.kind.start();
        }
    }
    if pressed(Modifiers::NONE, Key::G) && super::panels::has_grids(view) {
        state.edit_grids = !state.edit_grids;
        super::panels::grids_edited(state);
    }
    if pressed(Modifiers::NONE, Key::M) {
        out.push(Intent::MergeSelection);
    }
}
