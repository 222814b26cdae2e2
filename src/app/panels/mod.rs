//! The panels around the map, one file each: menu bar, toolbar, status bar, the community list
//! with the layers, the inspector and the violations. The dialogs are in `super::dialogs`.

mod change_log;
mod charts;
mod community_list;
mod fixes;
mod comparison;
mod inspector;
mod menu_bar;
mod partition;
mod print_preview;
mod status_bar;
mod basemap_layers;
mod search_box;
mod toolbar;
mod violations;
mod widgets;

pub use change_log::change_log_window;
pub use charts::charts_window;
pub use community_list::left_panel;
pub use comparison::comparison_window;
pub use fixes::fixes_window;
pub use inspector::inspector;
pub use menu_bar::menu_bar;
pub use partition::partition_window;
pub use print_preview::print_preview;
pub use search_box::search_box_id;
pub use status_bar::status_bar;
pub use toolbar::{grids_edited, has_grids, toolbar};
pub use violations::violations_panel;
