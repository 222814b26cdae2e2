//! The print preview's state while its window is open: the layout being edited, the one last
//! committed to the plan, and the preview image with what it was drawn from. The window itself is
//! `panels::print_preview`.

use eframe::egui;
use shequ_core::Session;
use shequ_core::io::print_layout::{PrintLayout, PrintScale};

use super::i18n::Language;

/// The open print preview.
pub struct PrintPreview {
    /// The layout as edited, shown before it is committed.
    pub(crate) draft: PrintLayout,
    /// The layout last seen in the plan (an undo there resets the draft).
    pub(crate) committed: PrintLayout,
    /// The 1:N field's text, kept while it does not parse.
    pub(crate) scale_text: String,
    /// The preview drawn, and what it was drawn from.
    pub(crate) image: Option<(PreviewKey, egui::TextureHandle)>,
    /// Why the preview could not be drawn.
    pub(crate) error: Option<(PreviewKey, String)>,
    /// How long the last preview took to draw: a slow one (a city of a million buildings) is not
    /// drawn again at every keystroke, only when the field is left.
    pub(crate) drawing_time: std::time::Duration,
}

impl std::fmt::Debug for PrintPreview {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("PrintPreview")
            .field("draft", &self.draft)
            .finish_non_exhaustive()
    }
}

/// What a preview image shows: the layout, the plan's state, the language and its size.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PreviewKey {
    pub(crate) layout: PrintLayout,
    pub(crate) generation: u64,
    pub(crate) language: Language,
    pub(crate) width: u32,
}

impl PrintPreview {
    /// True once the sheet is drawn in the window (for tests and the status of the window).
    pub fn is_drawn(&self) -> bool {
        self.image.is_some() && self.error.is_none()
    }

    /// The preview of `session`'s print layout.
    pub fn of(session: &Session) -> Self {
        let layout = session.settings().print_layout.clone();
        Self {
            scale_text: match layout.scale {
                PrintScale::OneTo(denominator) => format!("1:{denominator}"),
                PrintScale::Fit => "1:5000".to_owned(),
            },
            draft: layout.clone(),
            committed: layout,
            image: None,
            error: None,
            drawing_time: std::time::Duration::ZERO,
        }
    }
}
