//! The sheet's colours, from the one palette of map, panels and sheet.

use super::svg::Colour;
use crate::theme::{self, Rgba};

const fn colour(rgba: Rgba) -> Colour {
    Colour(rgba.0, rgba.1, rgba.2, rgba.3)
}

pub const PAPER: Colour = colour(theme::PAPER);
pub const MAP_BACKGROUND: Colour = colour(theme::MAP_BACKGROUND);
pub const OUTLINE: Colour = colour(theme::OUTLINE);
pub const STREET: Colour = colour(theme::STREET);
pub const MAIN_STREET: Colour = colour(theme::MAIN_STREET);
pub const STREET_OFFICE: Colour = colour(theme::STREET_OFFICE);
pub const INK: Colour = colour(theme::INK);
pub const BOUNDARY_BEFORE: Colour = colour(theme::BOUNDARY_BEFORE);
pub const MOVED_BUILDING: Colour = colour(theme::MOVED_BUILDING);
pub const MUTED_INK: Colour = colour(theme::MUTED_INK);
pub const LABEL_BACKGROUND: Colour = colour(theme::LABEL_BACKGROUND);

/// A community's fill.
pub fn fill(worst: Option<shequ_core::violation::Severity>) -> Colour {
    colour(theme::community_fill(worst))
}
