//! File formats in and out: GeoJSON (the flat fast reader and the general one), geometry in lon/lat
//! to metres, the plan file, atomic writes. Nothing here knows sessions or rules.

pub mod atomic;
pub mod encoding;
pub mod esri_json;
pub mod feature_blocks;
pub mod flat_features;
pub mod geojson;
pub mod geojson_out;
pub mod geopackage;
pub mod geometry_in;
pub mod grid_records;
pub mod mbtiles;
pub mod paths;
pub mod plan_file;
pub mod print_layout;
pub mod pmtiles;
pub mod register;
pub mod shapefile;
pub mod tile_file;
pub mod warnings;
