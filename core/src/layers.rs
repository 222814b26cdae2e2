//! The base data a plan is drawn over: buildings (with their households) and streets, in metres.
//! Types only; reading them from files is [`crate::load`].

use std::path::PathBuf;
use std::sync::Arc;

use geo::{BoundingRect, Coord, MultiLineString, MultiPolygon};
use serde::Serialize;

use crate::profile::RuleProfile;

/// Where a figure came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureSource {
    /// Read from the data.
    Data,
    /// Estimated with the profile's settings.
    Estimate,
}

/// One building, in metres. A city holds a million of these, so rarely present texts live out of
/// line and the use is shared between buildings with the same one.
#[derive(Debug, Clone, PartialEq)]
pub struct Building {
    /// The id from the data (`id` or `osm_id`), else the feature's index.
    pub source_id: Box<str>,
    /// The footprint.
    pub footprint: MultiPolygon<f64>,
    /// A point inside the footprint: the building belongs to the community containing it.
    pub representative_point: Coord<f64>,
    /// Footprint area in m².
    pub footprint_area_m2: f64,
    /// Floors above ground.
    pub floors: f64,
    /// True when people live here: a residential use, or households given in the data.
    pub residential: bool,
    /// Households living here (0 when not residential).
    pub households: u32,
    /// Where [`Self::households`] came from.
    pub households_source: FigureSource,
    /// Residents living here.
    pub residents: u32,
    /// Where [`Self::residents`] came from.
    pub residents_source: FigureSource,
    /// The use, as the data names it (one shared copy per distinct use).
    pub building_use: Option<Arc<str>>,
    /// The estate, work unit and name, when the data gives any.
    pub labels: Option<Box<BuildingLabels>>,
}

/// What a building may be called and belong to, beyond its use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildingLabels {
    /// The residential estate (小区), if any.
    pub estate: Option<String>,
    /// The work unit (单位), if any.
    pub work_unit: Option<String>,
    /// The name, if any.
    pub name: Option<String>,
}

impl BuildingLabels {
    /// The labels, or `None` when there are none (so nothing is allocated).
    pub fn boxed(self) -> Option<Box<Self>> {
        (self != Self::default()).then(|| Box::new(self))
    }
}

impl Building {
    /// Lower-left and upper-right corners of the footprint (computed: a million buildings need
    /// not carry them, the R-tree holds them).
    pub fn envelope(&self) -> [Coord<f64>; 2] {
        match self.footprint.bounding_rect() {
            Some(bounds) => [bounds.min(), bounds.max()],
            None => [self.representative_point; 2],
        }
    }

    /// Footprint × floors, in m².
    pub fn floor_area_m2(&self) -> f64 {
        self.footprint_area_m2 * self.floors
    }

    /// The residential estate (小区), if any.
    pub fn estate(&self) -> Option<&str> {
        self.labels.as_ref()?.estate.as_deref()
    }

    /// The work unit (单位), if any.
    pub fn work_unit(&self) -> Option<&str> {
        self.labels.as_ref()?.work_unit.as_deref()
    }

    /// The name, if any.
    pub fn name(&self) -> Option<&str> {
        self.labels.as_ref()?.name.as_deref()
    }
}

/// One shared copy of each distinct text (building uses repeat across a whole layer).
#[derive(Debug, Default)]
pub(crate) struct Interner {
    known: std::collections::HashSet<Arc<str>>,
}

impl Interner {
    /// The shared copy of `text` (allocated only the first time it is seen).
    pub(crate) fn intern(&mut self, text: &str) -> Arc<str> {
        if let Some(known) = self.known.get(text) {
            return Arc::clone(known);
        }
        let shared: Arc<str> = Arc::from(text);
        self.known.insert(Arc::clone(&shared));
        shared
    }
}

/// One street, in metres.
#[derive(Debug, Clone, PartialEq)]
pub struct Street {
    /// The id from the data, else the feature's index.
    pub source_id: String,
    /// The centreline (several parts for a MultiLineString or a road-area polygon's rings).
    pub lines: MultiLineString<f64>,
    /// The class (primary, residential, …), if any.
    pub class: Option<String>,
    /// The name, if any.
    pub name: Option<String>,
}

impl Street {
    /// True for a main road (drawn wider on the map and the map sheet).
    pub fn is_main(&self) -> bool {
        matches!(
            self.class.as_deref(),
            Some("primary" | "trunk" | "secondary" | "motorway" | "主干路")
        )
    }
}

/// Households of a residential building from its footprint and floors, by the profile's
/// settings: floor area × net ratio / dwelling size, rounded, at least 1.
pub fn estimate_households(footprint_area_m2: f64, floors: f64, profile: &RuleProfile) -> u32 {
    let floor_area = footprint_area_m2 * floors;
    let households =
        (floor_area * profile.estimate.net_ratio / profile.estimate.dwelling_size_m2).round();
    // Saturating: a building of more than four billion households is bad data, not a crash.
    (households.max(1.0).min(f64::from(u32::MAX))) as u32
}

/// Residents of a building that gives none: households × the profile's household size, rounded.
pub fn estimate_residents(households: u32, profile: &RuleProfile) -> u32 {
    (f64::from(households) * profile.estimate.household_size)
        .round()
        .min(f64::from(u32::MAX)) as u32
}

/// The base layers of a plan.
#[derive(Debug, Clone, Default)]
pub struct BaseLayers {
    /// Buildings, in file order.
    pub buildings: Vec<Building>,
    /// Streets, in file order (empty when none were given).
    pub streets: Vec<Street>,
    /// The buildings file.
    pub buildings_path: PathBuf,
    /// The streets file, if any.
    pub streets_path: Option<PathBuf>,
}

impl BaseLayers {
    /// Households of every residential building.
    pub fn total_households(&self) -> u64 {
        self.buildings
            .iter()
            .map(|building| u64::from(building.households))
            .sum()
    }
}
