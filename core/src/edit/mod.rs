//! Editing: every change to a plan is a [`Command`] carried out on an [`EditTarget`], which
//! returns its inverse and what it touched; the session's `execute` is the one caller.

pub mod apply;
pub mod command;
pub mod error;

pub use apply::{Applied, EditTarget, Effects, Locks};
pub use command::{Command, Step};
pub use error::EditError;
