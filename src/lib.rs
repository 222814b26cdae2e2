//! The `shequ` desktop app, as a library so that its UI can be driven by tests (egui_kittest).
//! The binary (`src/main.rs`) runs it, or the CLI's commands.

pub mod app;
pub mod sheet;
pub mod theme;
