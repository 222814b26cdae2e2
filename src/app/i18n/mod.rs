//! Every string the window shows, in one table per language. Chinese by default when the system
//! locale is Chinese, English otherwise, switchable at run time.

mod chinese;
mod english;
mod strings;

pub use chinese::CHINESE;
pub use english::ENGLISH;
pub use shequ_core::lang::Language;
pub use strings::Strings;

/// The table of `language`.
pub fn strings_of(language: Language) -> &'static Strings {
    match language {
        Language::Chinese => &CHINESE,
        Language::English => &ENGLISH,
    }
}
