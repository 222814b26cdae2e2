//! The regulation as data: the rule profile. The rules that check a plan against it build on it.

pub mod profile;

pub use profile::RuleProfile;
