//! What the panels, tools and dialogs read: the plan, the selection and the interface's language.
//! They never hold the plan mutably; a change is an [`super::intent::Intent`] they push.

use std::path::PathBuf;

use shequ_core::Session;
use shequ_core::ids::CommunityKey;
use shequ_core::plan::CommunityType;

use super::comparison::ComparisonView;
use super::i18n::{self, Language, Strings};
use super::state::{Document, Preferences};

/// A frame's read-only view of the document and the preferences.
#[derive(Clone, Copy)]
pub struct ViewCtx<'a> {
    /// The open plan, if any.
    pub session: Option<&'a Session>,
    /// The selected communities, in the order they were picked.
    pub selection: &'a [CommunityKey],
    /// The interface language.
    pub language: Language,
    /// The interface's texts in that language.
    pub strings: &'static Strings,
    /// Recently opened plans, newest first.
    pub recent: &'a [PathBuf],
    /// Whether the built-in file dialog is always used.
    pub built_in_file_dialog: bool,
    /// The plan compared with, while comparing.
    pub comparison: Option<&'a ComparisonView>,
    /// The name the change log records (blank: the system account).
    pub user_name: &'a str,
}

impl<'a> ViewCtx<'a> {
    /// The view of `document` under `preferences`.
    pub fn new(document: &'a Document, preferences: &'a Preferences) -> Self {
        Self {
            session: document.session.as_ref(),
            selection: &document.selection,
            language: preferences.language,
            strings: i18n::strings_of(preferences.language),
            recent: &preferences.recent,
            built_in_file_dialog: preferences.built_in_file_dialog,
            comparison: document.comparison.as_ref(),
            user_name: &preferences.user_name,
        }
    }

    /// A community type's name in the interface.
    pub fn type_name(&self, kind: CommunityType) -> &'static str {
        let names = self.strings.type_names;
        match kind {
            CommunityType::Geographic => names[0],
            CommunityType::WorkUnit => names[1],
            CommunityType::ResidentialEstate => names[2],
        }
    }
}
