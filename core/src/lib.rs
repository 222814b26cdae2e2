//! `shequ-core`: everything about a community plan that is true without a screen.
//!
//! Base layers (buildings with households, streets) are read from GeoJSON and projected to local
//! metres once; buildings are indexed in R-trees; every community's households, residents and
//! buildings are counted exactly, building by building; plans are saved as GeoJSON with a
//! `shequ` member; the approval export writes GeoJSON and CSV. The desktop app and the CLI both
//! work through [`session::Session`].

pub mod attributes;
pub mod edit;
pub mod error;
pub mod figures;
pub mod format;
pub mod gen_city;
pub mod gesture;
pub mod history;
pub mod ids;
pub mod index;
pub mod io;
pub mod layer_preview;
pub mod layers;
pub mod ops;
pub mod plan;
pub mod progress;
pub mod projection;
pub mod report;
pub mod representative_point;
pub mod rules;
pub mod session;
pub mod tally;

pub use error::{Error, Result};
pub use session::Session;
