//! `shequ-core`: everything about a community plan that is true without a screen.
//!
//! Base layers (buildings with households, streets) are read from GeoJSON and projected to local
//! metres once; buildings are indexed in R-trees; every community's households, residents and
//! buildings are counted exactly, building by building; plans are saved as GeoJSON with a
//! `shequ` member; the approval export writes GeoJSON and CSV. The desktop app and the CLI both
//! work through [`session::Session`].

// Each module below imports only modules listed above it (`tests/layering.rs` checks this).

// Foundations: no knowledge of plans.
pub mod ids;
pub mod error;
pub mod format;
pub mod lang;
pub mod progress;
pub mod projection;
pub mod crs;
pub mod tiles;
pub mod random;
pub mod geometry;
pub mod profile;
pub mod attributes;

// The model: what a plan is made of.
pub mod layers;
pub mod plan;
pub mod violation;
pub mod exception;
pub mod audit;

// Files: formats, then layer files to base layers.
pub mod io;
pub mod load;

// Counting and checking.
pub mod network;
pub mod index;
pub mod tally;
pub mod figures;
pub mod walking;
pub mod grid_figures;
pub mod rules;
pub mod search;

// Changing a plan.
pub mod ops;
pub mod edit;
pub mod history;

// The façade and what is built on it.
pub mod session;
pub mod report;
pub mod compare;
pub mod partition;
pub mod grids;
pub mod fixes;
pub mod export;
pub mod gesture;
pub mod gen_city;
#[cfg(feature = "test-support")]
pub mod testing;

pub use error::{Error, Result};
pub use session::Session;
