//! What "New plan from layers" has gathered so far: the layers, the attribute mapping and the
//! preview of the first buildings under it.

use std::path::PathBuf;

use shequ_core::attributes::{Field, FieldMapping};
use shequ_core::crs::Crs;
use shequ_core::io::geopackage::{contents, geopackage_of};
use shequ_core::load::preview::{BuildingsPreview, BuildingsSample};
use shequ_core::load::{LayerEncodings, LayerReading, LayerSystems};
use shequ_core::profile::RuleProfile;
use shequ_core::session::LayerInputs;

/// How many features of the buildings layer the preview reads.
pub const PREVIEW_FEATURES: usize = 1_000;

/// The dialog's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewPlanDraft {
    /// The buildings layer.
    pub buildings: Option<PathBuf>,
    /// The streets layer.
    pub streets: Option<PathBuf>,
    /// Existing community boundaries.
    pub communities: Option<PathBuf>,
    /// The attribute mapping being set.
    pub mapping: FieldMapping,
    /// The first features of the buildings layer.
    pub sample: Option<BuildingsSample>,
    /// What the mapping makes of them.
    pub preview: Option<BuildingsPreview>,
    /// Why the buildings layer could not be previewed.
    pub error: Option<String>,
    /// Count buildings without a use as residential.
    pub unknown_use_is_residential: bool,
    /// The coordinate system typed for each layer (empty: the file's own, else WGS 84).
    pub system_texts: LayerTexts,
    /// The text encoding chosen for each Shapefile layer (`None`: found from the files).
    pub encodings: LayerEncodings,
    /// The feature tables of each layer's GeoPackage with several, with their features.
    pub geopackage_tables: Vec<(DraftLayer, Vec<(String, u64)>)>,
}

/// One text for each layer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayerTexts {
    /// The buildings layer's.
    pub buildings: String,
    /// The streets layer's.
    pub streets: String,
    /// The existing boundaries'.
    pub communities: String,
}

/// A layer of the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftLayer {
    /// Buildings.
    Buildings,
    /// Streets.
    Streets,
    /// Existing community boundaries.
    Communities,
}

impl NewPlanDraft {
    /// A draft with these layers, the buildings already sampled.
    pub fn with_layers(
        buildings: Option<PathBuf>,
        streets: Option<PathBuf>,
        communities: Option<PathBuf>,
    ) -> Self {
        let mut draft = Self::default();
        for (layer, path) in [
            (DraftLayer::Buildings, buildings),
            (DraftLayer::Streets, streets),
            (DraftLayer::Communities, communities),
        ] {
            if let Some(path) = path {
                draft.set_layer(layer, path);
            }
        }
        draft
    }

    /// Takes `path` as the buildings layer and reads its first features.
    pub fn set_buildings(&mut self, path: PathBuf) {
        self.sample = None;
        self.preview = None;
        self.error = None;
        let system = self.systems().ok().and_then(|systems| systems.buildings);
        let reading = LayerReading {
            crs: system.as_ref(),
            encoding: self.encodings.buildings,
        };
        match BuildingsSample::read(&path, &reading, PREVIEW_FEATURES) {
            Ok(sample) => self.sample = Some(sample),
            Err(error) => self.error = Some(error.to_string()),
        }
        self.buildings = Some(path);
        self.refresh_preview();
    }

    /// The layers' systems as typed; the error names the layer and what is wrong.
    pub fn systems(&self) -> Result<LayerSystems, String> {
        let parse = |text: &str, layer: &str| -> Result<Option<Crs>, String> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            Crs::parse(text)
                .map(Some)
                .map_err(|error| format!("{layer}: {error}"))
        };
        Ok(LayerSystems {
            buildings: parse(&self.system_texts.buildings, "buildings")?,
            streets: parse(&self.system_texts.streets, "streets")?,
            communities: parse(&self.system_texts.communities, "communities")?,
        })
    }

    /// The text typed for `layer`'s coordinate system.
    pub fn system_text(&mut self, layer: DraftLayer) -> &mut String {
        match layer {
            DraftLayer::Buildings => &mut self.system_texts.buildings,
            DraftLayer::Streets => &mut self.system_texts.streets,
            DraftLayer::Communities => &mut self.system_texts.communities,
        }
    }

    /// The encoding chosen for `layer`.
    pub fn encoding(&mut self, layer: DraftLayer) -> &mut Option<&'static encoding_rs::Encoding> {
        match layer {
            DraftLayer::Buildings => &mut self.encodings.buildings,
            DraftLayer::Streets => &mut self.encodings.streets,
            DraftLayer::Communities => &mut self.encodings.communities,
        }
    }

    /// Takes `path` as `layer`'s file; a GeoPackage with several feature tables offers them to
    /// choose from.
    pub fn set_layer(&mut self, layer: DraftLayer, path: PathBuf) {
        self.geopackage_tables
            .retain(|(offered, _)| *offered != layer);
        if let Some((file, None)) = geopackage_of(&path) {
            let tables: Vec<(String, u64)> = contents(&file)
                .map(|tables| {
                    tables
                        .into_iter()
                        .filter(|table| table.kind == "features")
                        .map(|table| (table.name, table.rows.unwrap_or(0)))
                        .collect()
                })
                .unwrap_or_default();
            if tables.len() > 1 {
                self.geopackage_tables.push((layer, tables));
            }
        }
        match layer {
            DraftLayer::Buildings => self.set_buildings(path),
            DraftLayer::Streets => self.streets = Some(path),
            DraftLayer::Communities => self.communities = Some(path),
        }
    }

    /// The feature tables offered for `layer`'s GeoPackage, if it has several.
    pub fn tables_of(&self, layer: DraftLayer) -> Option<&[(String, u64)]> {
        self.geopackage_tables
            .iter()
            .find(|(offered, _)| *offered == layer)
            .map(|(_, tables)| tables.as_slice())
    }

    /// Reads the buildings' sample again (after their system or encoding changed).
    pub fn reread_buildings(&mut self) {
        if let Some(path) = self.buildings.clone() {
            self.set_buildings(path);
        }
    }

    /// Maps `field` to `source` (or back to its default names) and recomputes the preview.
    pub fn set_source(&mut self, field: Field, source: Option<&str>) {
        self.mapping.set_source(field, source);
        self.refresh_preview();
    }

    /// Counts buildings without a use as residential (or not) and recomputes the preview.
    pub fn set_unknown_use_is_residential(&mut self, residential: bool) {
        self.unknown_use_is_residential = residential;
        self.refresh_preview();
    }

    fn refresh_preview(&mut self) {
        let mut profile = RuleProfile::default();
        profile.estimate.unknown_use_is_residential = self.unknown_use_is_residential;
        self.preview = self
            .sample
            .as_ref()
            .map(|sample| sample.preview(&self.mapping, &profile));
    }

    /// The plan's layers, once the buildings are chosen and readable.
    pub fn inputs(&self) -> Option<LayerInputs> {
        self.sample.as_ref()?;
        // A GeoPackage of several feature tables needs one chosen.
        let table_pending = self.geopackage_tables.iter().any(|(layer, _)| {
            let path = match layer {
                DraftLayer::Buildings => &self.buildings,
                DraftLayer::Streets => &self.streets,
                DraftLayer::Communities => &self.communities,
            };
            path.as_deref()
                .and_then(geopackage_of)
                .is_some_and(|(_, table)| table.is_none())
        });
        if table_pending {
            return None;
        }
        Some(LayerInputs {
            buildings: self.buildings.clone()?,
            streets: self.streets.clone(),
            communities: self.communities.clone(),
            fields: self.mapping.clone(),
            unknown_use_is_residential: self.unknown_use_is_residential,
            systems: self.systems().ok()?,
            encodings: self.encodings,
            register: None,
        })
    }
}
