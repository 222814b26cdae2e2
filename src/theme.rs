//! One palette for the desktop map, the panels and the printed map sheet: severity inks and
//! fills, selection, outlines, streets and street offices. Colours are plain RGBA (not
//! premultiplied); the map and the sheet convert them for their painters.

use shequ_core::rules::community_households::BandVerdict;
use shequ_core::violation::Severity;

/// A colour: red, green, blue and opacity, 0–255, not premultiplied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgba(pub u8, pub u8, pub u8, pub u8);

impl Rgba {
    /// The same colour with another opacity.
    pub const fn with_alpha(self, alpha: u8) -> Self {
        Rgba(self.0, self.1, self.2, alpha)
    }

    /// For egui's painters and labels.
    pub fn egui(self) -> eframe::egui::Color32 {
        eframe::egui::Color32::from_rgba_unmultiplied(self.0, self.1, self.2, self.3)
    }
}

/// An error: text, markers and outlines.
pub const ERROR: Rgba = Rgba(200, 40, 40, 255);
/// A warning.
pub const WARNING: Rgba = Rgba(200, 130, 0, 255);
/// Within every band, or nothing wrong.
pub const CLEAN: Rgba = Rgba(46, 125, 50, 255);
/// Unsaved changes in the status bar.
pub const UNSAVED: Rgba = Rgba(200, 120, 0, 255);

/// The ink of a severity (text, markers, outlines of violation areas).
pub fn severity_ink(severity: Severity) -> Rgba {
    match severity {
        Severity::Error => ERROR,
        Severity::Warning => WARNING,
    }
}

/// A community's fill by the worst violation no exception accepts: translucent, so that the
/// buildings and streets under it still show.
pub fn community_fill(worst: Option<Severity>) -> Rgba {
    match worst {
        Some(Severity::Error) => ERROR.with_alpha(90),
        Some(Severity::Warning) => WARNING.with_alpha(85),
        None => CLEAN.with_alpha(70),
    }
}

/// Households below the band of the community's type (and an empty community).
pub const BELOW_BAND: Rgba = Rgba(50, 110, 200, 255);

/// A community's fill by where its households stand in the band of its type.
pub fn band_fill(verdict: BandVerdict) -> Rgba {
    match verdict {
        BandVerdict::Within => CLEAN.with_alpha(70),
        BandVerdict::BelowMinimum(_) | BandVerdict::BelowWorkUnitMinimum(_) => {
            BELOW_BAND.with_alpha(85)
        }
        BandVerdict::NewEstateAbove(_) => WARNING.with_alpha(90),
        BandVerdict::AboveMaximum(_) => ERROR.with_alpha(90),
    }
}

/// A community's fill by its type: geographic, work unit, residential estate.
pub const TYPE_FILLS: [Rgba; 3] = [
    Rgba(80, 150, 140, 90),
    Rgba(140, 90, 170, 90),
    Rgba(215, 140, 50, 90),
];

/// The selected communities' outline, and what a tool draws (lines, points, areas).
pub const SELECTED: Rgba = Rgba(0, 120, 255, 255);
/// A tool's draft: the line being drawn, the points clicked.
pub const DRAFT: Rgba = Rgba(0, 110, 230, 255);
/// Snapping to a vertex or a block corner.
pub const SNAP_VERTEX: Rgba = Rgba(230, 0, 120, 255);
/// Snapping to an edge or a street.
pub const SNAP_EDGE: Rgba = Rgba(0, 160, 120, 255);
/// While comparing: the boundaries before, dashed over the fills.
pub const BOUNDARY_BEFORE: Rgba = Rgba(120, 40, 140, 255);
/// While comparing: buildings that changed community.
pub const MOVED_BUILDING: Rgba = Rgba(235, 120, 0, 255);
/// While comparing: the buildings of the transfer picked in the matrix.
pub const PICKED_TRANSFER: Rgba = Rgba(0, 150, 200, 255);
/// Community outlines.
pub const OUTLINE: Rgba = Rgba(40, 60, 90, 255);
/// Residential buildings in no community.
pub const UNASSIGNED_BUILDING: Rgba = Rgba(200, 60, 60, 255);
/// Other buildings.
pub const BUILDING: Rgba = Rgba(150, 160, 175, 255);
/// Street blocks.
pub const BLOCK: Rgba = Rgba(90, 150, 160, 255);
/// Streets' casing and fill.
pub const STREET_CASING: Rgba = Rgba(255, 255, 255, 255);
/// Main streets.
pub const MAIN_STREET: Rgba = Rgba(190, 170, 120, 255);
/// Other streets (on the sheet).
pub const STREET: Rgba = Rgba(200, 200, 200, 255);
/// Street-office boundaries.
pub const STREET_OFFICE: Rgba = Rgba(120, 70, 150, 255);
/// Buildings by walking distance to their committee office: within each of the profile's
/// distances (nearest first) and beyond the last; a profile with more distances shares the last.
pub const WALKING_BANDS: [Rgba; 4] = [
    Rgba(26, 150, 65, 255),
    Rgba(140, 200, 90, 255),
    Rgba(250, 170, 80, 255),
    Rgba(215, 40, 40, 255),
];
/// A building that cannot reach its office along the streets.
pub const WALKING_UNREACHABLE: Rgba = Rgba(120, 60, 160, 255);
/// The boundaries a fix proposes, dashed over the plan while its window is open.
pub const PROPOSED_BOUNDARY: Rgba = Rgba(0, 120, 215, 255);
/// Management grids (网格) inside the communities: their boundaries and numbers.
pub const GRID_BOUNDARY: Rgba = Rgba(90, 70, 150, 255);
/// A committee office or service centre on the map.
pub const OFFICE: Rgba = Rgba(15, 60, 150, 255);
/// The map's background.
pub const MAP_BACKGROUND: Rgba = Rgba(244, 243, 238, 255);
/// Text on the map and the sheet.
pub const INK: Rgba = Rgba(25, 30, 45, 255);
/// Secondary text on the sheet.
pub const MUTED_INK: Rgba = Rgba(90, 95, 110, 255);
/// Behind labels.
pub const LABEL_BACKGROUND: Rgba = Rgba(255, 255, 255, 195);
/// The sheet's paper.
pub const PAPER: Rgba = Rgba(255, 255, 255, 255);
