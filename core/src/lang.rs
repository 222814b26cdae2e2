//! The language a planner reads: Chinese or English. Every text shown to a person is chosen
//! through this one type (the app's menus, the CLI's tables, undo steps, refusals).

use serde::{Deserialize, Serialize};

/// A text written in both languages, for messages made before anyone knows who reads them
/// (load warnings, kept in a plan's layer caches).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Words {
    /// The Chinese.
    pub chinese: std::borrow::Cow<'static, str>,
    /// The English.
    pub english: std::borrow::Cow<'static, str>,
}

impl Words {
    /// The text in Chinese and in English.
    pub fn new(
        chinese: impl Into<std::borrow::Cow<'static, str>>,
        english: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Self {
        Self {
            chinese: chinese.into(),
            english: english.into(),
        }
    }
}

/// A language of the interface and of reports.
// Saved in the app's preferences as "Chinese" / "English": the names must not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Language {
    /// 简体中文.
    #[default]
    Chinese,
    /// English.
    English,
}

impl Language {
    /// The Chinese or the English text, whichever this language reads.
    pub fn pick<'a>(self, chinese: &'a str, english: &'a str) -> &'a str {
        match self {
            Language::Chinese => chinese,
            Language::English => english,
        }
    }

    /// Chinese when the system locale (LC_ALL, LC_MESSAGES, LANG, the first one set) is
    /// Chinese, else English.
    pub fn from_locale() -> Self {
        if crate::format::system_locale_is_chinese() {
            Language::Chinese
        } else {
            Language::English
        }
    }

    /// True for Chinese.
    pub fn is_chinese(self) -> bool {
        self == Language::Chinese
    }
}
