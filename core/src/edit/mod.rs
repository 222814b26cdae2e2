//! Editing: every change to a plan is a [`Command`] carried out by [`crate::session::Session::apply`],
//! which returns its inverse and what it touched.

pub mod apply;
pub mod command;

pub use apply::{Applied, Effects, Locks};
pub use command::{Command, CommunityProperties};
