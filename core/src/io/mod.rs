//! Files in and out: GeoJSON layers, the plan file, the approval export.

pub mod atomic;
pub mod export;
pub mod feature_blocks;
pub mod flat_features;
pub mod geojson;
pub mod geojson_out;
pub mod geometry_in;
pub mod layer_cache;
pub mod paths;
pub mod plan_file;
pub mod warnings;
