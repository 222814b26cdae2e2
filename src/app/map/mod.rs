//! The map: pan and zoom, and drawing a plan with its base layers. Buildings are culled through
//! the R-tree to what is on screen, and above a count the map draws communities only, so no frame
//! paints the whole city.

use std::collections::HashMap;

use eframe::egui::{self, Color32, Pos2, Rect, Stroke, Vec2, pos2, vec2};
use geo::{Area, Contains, Coord, InteriorPoint, TriangulateEarcut};
use rstar::AABB;
use shequ_core::Session;

use shequ_core::ids::CommunityKey;
use shequ_core::index::extent_union;
use shequ_core::layers::Street;
use shequ_core::plan::CommunityType;
use shequ_core::rules::community_households::band_verdict;
use shequ_core::violation::Location;

use crate::app::i18n::Strings;
use crate::theme;

mod comparison;
mod grids;
mod labels;
pub mod legend;
mod paint;
mod walking;

/// Above this many buildings on screen, the map draws communities only.
pub const MOST_BUILDINGS_DRAWN: usize = 30_000;

/// Zoomed out beyond this (metres per screen point), no streets are drawn.
pub const STREETS_VISIBLE_BELOW_METRES_PER_POINT: f64 = 12.0;

/// Zoomed out beyond this (metres per screen point), buildings are too small to tell apart and
/// the map draws communities only.
pub const BUILDINGS_VISIBLE_BELOW_METRES_PER_POINT: f64 = 2.5;

/// Which layers are shown (a layer missing from saved settings takes its default).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LayerVisibility {
    /// Building footprints.
    pub buildings: bool,
    /// Street centrelines.
    pub streets: bool,
    /// Street blocks.
    pub blocks: bool,
    /// Community fills and outlines.
    pub communities: bool,
    /// Street-office boundaries.
    pub street_offices: bool,
    /// Community labels.
    pub labels: bool,
    /// The communities' management grids (网格).
    pub grids: bool,
}

impl Default for LayerVisibility {
    fn default() -> Self {
        Self {
            buildings: true,
            streets: true,
            blocks: false,
            communities: true,
            street_offices: true,
            labels: true,
            grids: true,
        }
    }
}

/// What the communities' fills show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colouring {
    /// The worst violation no exception accepts.
    #[default]
    Violations,
    /// Households against the band of the community's type.
    Households,
    /// The community's type.
    Type,
    /// The street office (a colour a name).
    StreetOffice,
    /// Walking distance to the committee office: communities by the share within the profile's
    /// distance, buildings by their own distance.
    Walking,
}

impl Colouring {
    /// Every colouring, in the order the layers panel offers them.
    pub const ALL: [Colouring; 5] = [
        Colouring::Violations,
        Colouring::Households,
        Colouring::Type,
        Colouring::StreetOffice,
        Colouring::Walking,
    ];

    /// Its name in the interface.
    pub fn name(self, strings: &Strings) -> &'static str {
        match self {
            Colouring::Violations => strings.colour_by_violations,
            Colouring::Households => strings.colour_by_band,
            Colouring::Type => strings.colour_by_type,
            Colouring::StreetOffice => strings.colour_by_street_office,
            Colouring::Walking => strings.colour_by_walking,
        }
    }

    /// A community's fill under this colouring.
    pub fn fill(self, session: &Session, key: CommunityKey) -> Color32 {
        let Some(community) = session.plan().community(key) else {
            return Color32::TRANSPARENT;
        };
        let properties = &community.properties;
        match self {
            Colouring::Violations => violation_fill(session, key),
            Colouring::Households => theme::band_fill(band_verdict(
                &session.profile().community_households,
                properties.kind,
                properties.new_estate,
                session.tallies().of(key).households,
            ))
            .egui(),
            Colouring::Type => theme::TYPE_FILLS[type_index(properties.kind)].egui(),
            Colouring::StreetOffice => {
                colour_for(properties.street_office.as_deref().unwrap_or(""))
            }
            Colouring::Walking => walking::community_fill(session, key),
        }
    }
}

/// A community type's place in [`theme::TYPE_FILLS`] and in the interface's type names.
pub fn type_index(kind: CommunityType) -> usize {
    match kind {
        CommunityType::Geographic => 0,
        CommunityType::WorkUnit => 1,
        CommunityType::ResidentialEstate => 2,
    }
}

/// A community's fill, triangulated once per change, in metres.
struct CommunityShape {
    triangles: Vec<[Coord<f64>; 3]>,
    label_at: Coord<f64>,
    /// Its area, m²: larger communities are labelled first.
    area_m2: f64,
}

/// Metres ⇄ screen points, and the view's state.
pub struct MapView {
    /// The point (metres) at the centre of the map.
    pub centre: Coord<f64>,
    /// Metres per screen point.
    pub metres_per_point: f64,
    /// The layers shown.
    pub layers: LayerVisibility,
    /// What the communities' fills show.
    pub colouring: Colouring,
    /// Where the legend was drawn last frame: labels keep clear of it.
    pub legend_rect: Option<Rect>,
    /// The map's rectangle on screen, as of the last frame.
    pub rect: Rect,
    /// True once the view was fitted to a plan.
    pub fitted: bool,
    /// Frames left in which the view fits again: the panels settle their sizes in the first few.
    pub fit_frames_left: u8,
    shapes: HashMap<CommunityKey, CommunityShape>,
    shapes_generation: Option<(u64, usize)>,
}

impl Default for MapView {
    fn default() -> Self {
        Self {
            centre: Coord { x: 0.0, y: 0.0 },
            metres_per_point: 5.0,
            layers: LayerVisibility::default(),
            colouring: Colouring::default(),
            legend_rect: None,
            rect: Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0)),
            fitted: false,
            fit_frames_left: 0,
            shapes: HashMap::new(),
            shapes_generation: None,
        }
    }
}

/// A colour for a name (street office), stable from run to run.
pub fn colour_for(name: &str) -> Color32 {
    let hash = name.bytes().fold(2166136261u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(16777619)
    });
    let hue = (hash % 360) as f32 / 360.0;
    let colour: Color32 = egui::ecolor::Hsva::new(hue, 0.55, 0.75, 0.35).into();
    colour
}

impl MapView {
    /// The screen point of a point in metres.
    pub fn to_screen(&self, metres: Coord<f64>) -> Pos2 {
        let centre = self.rect.center();
        pos2(
            centre.x + ((metres.x - self.centre.x) / self.metres_per_point) as f32,
            centre.y - ((metres.y - self.centre.y) / self.metres_per_point) as f32,
        )
    }

    /// The point in metres under a screen point.
    pub fn to_metres(&self, screen: Pos2) -> Coord<f64> {
        let centre = self.rect.center();
        Coord {
            x: self.centre.x + f64::from(screen.x - centre.x) * self.metres_per_point,
            y: self.centre.y - f64::from(screen.y - centre.y) * self.metres_per_point,
        }
    }

    /// The core's screen transform for the same view (screen points from the map's top-left).
    pub fn gesture_transform(&self) -> shequ_core::gesture::ScreenTransform {
        let top_left = self.to_metres(self.rect.min);
        shequ_core::gesture::ScreenTransform {
            top_left,
            pixels_per_metre: 1.0 / self.metres_per_point,
        }
    }

    /// A screen point relative to the map's top-left corner, as the gesture transform takes it.
    pub fn gesture_point(&self, screen: Pos2) -> [f64; 2] {
        [
            f64::from(screen.x - self.rect.min.x),
            f64::from(screen.y - self.rect.min.y),
        ]
    }

    /// The visible area in metres.
    pub fn visible(&self) -> AABB<[f64; 2]> {
        let (a, b) = (
            self.to_metres(self.rect.left_bottom()),
            self.to_metres(self.rect.right_top()),
        );
        AABB::from_corners([a.x, a.y], [b.x, b.y])
    }

    /// Shows `lower`–`upper` (metres) with a margin.
    pub fn fit(&mut self, lower: Coord<f64>, upper: Coord<f64>) {
        self.centre = Coord {
            x: (lower.x + upper.x) / 2.0,
            y: (lower.y + upper.y) / 2.0,
        };
        let width = (upper.x - lower.x).max(50.0) * 1.1;
        let height = (upper.y - lower.y).max(50.0) * 1.1;
        self.metres_per_point = (width / f64::from(self.rect.width().max(100.0)))
            .max(height / f64::from(self.rect.height().max(100.0)));
        self.fitted = true;
        // A view asked for wins over the fitting of the first frames.
        self.fit_frames_left = 0;
    }

    /// Shows every community (or every building when there is none).
    pub fn fit_all(&mut self, session: &Session) {
        let bounds = session
            .plan()
            .communities()
            .filter_map(|(key, _)| session.community_index().envelope(key))
            .reduce(extent_union);
        let bounds = bounds.or_else(|| {
            shequ_core::ops::blocks::data_extent(
                &session.layers().buildings,
                &session.layers().streets,
            )
        });
        if let Some([low, high]) = bounds {
            let frames_left = self.fit_frames_left;
            self.fit(low, high);
            self.fit_frames_left = frames_left;
        }
    }

    /// Zooms by `factor` keeping the point under `anchor` still.
    pub fn zoom_at(&mut self, anchor: Pos2, factor: f64) {
        let before = self.to_metres(anchor);
        self.metres_per_point = (self.metres_per_point / factor).clamp(0.02, 500.0);
        let after = self.to_metres(anchor);
        self.centre.x += before.x - after.x;
        self.centre.y += before.y - after.y;
    }

    /// Pans by a screen offset.
    pub fn pan_by(&mut self, delta: Vec2) {
        self.centre.x -= f64::from(delta.x) * self.metres_per_point;
        self.centre.y += f64::from(delta.y) * self.metres_per_point;
    }

    /// Wheel zoom around the cursor, middle-button or Space+drag pan, arrow keys.
    pub fn navigate(&mut self, ui: &egui::Ui, response: &egui::Response) {
        let (scroll, zoom, space, arrows) = ui.input(|input| {
            let arrows = vec2(
                f32::from(input.key_down(egui::Key::ArrowRight))
                    - f32::from(input.key_down(egui::Key::ArrowLeft)),
                f32::from(input.key_down(egui::Key::ArrowDown))
                    - f32::from(input.key_down(egui::Key::ArrowUp)),
            );
            (
                input.smooth_scroll_delta.y,
                input.zoom_delta(),
                input.key_down(egui::Key::Space),
                arrows,
            )
        });
        if let Some(pointer) = response.hover_pos() {
            if scroll != 0.0 {
                self.zoom_at(pointer, (f64::from(scroll) / 200.0).exp());
            }
            if zoom != 1.0 {
                self.zoom_at(pointer, f64::from(zoom));
            }
        }
        if response.dragged_by(egui::PointerButton::Middle)
            || (space && response.dragged_by(egui::PointerButton::Primary))
        {
            self.pan_by(response.drag_delta());
        }
        if arrows != Vec2::ZERO && !ui.ctx().egui_wants_keyboard_input() {
            self.pan_by(-arrows * 12.0);
        }
    }

    /// The community whose inside contains `point`, the smallest when several do.
    pub fn community_at(session: &Session, point: Coord<f64>) -> Option<CommunityKey> {
        let envelope = AABB::from_point([point.x, point.y]);
        session
            .community_index()
            .meeting(envelope)
            .filter(|&key| {
                session
                    .plan()
                    .community(key)
                    .is_some_and(|community| community.boundary.contains(&point))
            })
            .min_by(|&a, &b| {
                let area = |key| {
                    session
                        .plan()
                        .community(key)
                        .map_or(f64::MAX, |community| community.boundary.unsigned_area())
                };
                area(a).total_cmp(&area(b))
            })
    }

    fn refresh_shapes(&mut self, session: &Session) {
        let stamp = (session.generation(), session.plan().slot_count());
        if self.shapes_generation == Some(stamp) {
            return;
        }
        self.shapes.clear();
        for (key, community) in session.plan().communities() {
            let triangles = community
                .boundary
                .iter()
                .flat_map(|polygon| {
                    polygon
                        .earcut_triangles_iter()
                        .map(|triangle| [triangle.v1(), triangle.v2(), triangle.v3()])
                })
                .collect();
            let label_at = community
                .boundary
                .iter()
                .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
                .and_then(|largest| largest.interior_point())
                .map(|point| point.0)
                .unwrap_or_default();
            self.shapes.insert(
                key,
                CommunityShape {
                    triangles,
                    label_at,
                    area_m2: community.boundary.unsigned_area(),
                },
            );
        }
        self.shapes_generation = Some(stamp);
    }

    /// Where a community's label goes, metres.
    pub fn label_point(&mut self, session: &Session, key: CommunityKey) -> Option<Coord<f64>> {
        self.refresh_shapes(session);
        self.shapes.get(&key).map(|shape| shape.label_at)
    }

    /// The map's background, under the basemaps.
    pub fn paint_background(&self, painter: &egui::Painter) {
        painter.rect_filled(self.rect, 0.0, theme::MAP_BACKGROUND.egui());
    }

    /// Paints the plan, layer by layer from the bottom, over the background and the basemaps.
    /// Returns how many buildings were drawn.
    pub fn paint(
        &mut self,
        painter: &egui::Painter,
        session: &Session,
        selection: &[CommunityKey],
        highlight: Option<&Location>,
        households_word: &str,
    ) -> usize {
        self.refresh_shapes(session);
        let visible = self.visible();
        let visible_communities: Vec<CommunityKey> =
            session.community_index().meeting(visible).collect();
        if self.layers.communities {
            self.paint_fills(painter, session, &visible_communities);
        }
        self.paint_blocks(painter, session, visible);
        let drawn_buildings = self.paint_buildings(painter, session, visible, &visible_communities);
        self.paint_streets(painter, session, visible);
        if self.layers.street_offices {
            self.paint_street_offices(painter, session, visible);
        }
        if self.layers.communities {
            if self.layers.grids {
                self.paint_grids(painter, session, &visible_communities);
            }
            self.paint_outlines(painter, session, &visible_communities, selection);
        }
        self.paint_violations(painter, session);
        self.paint_highlight(painter, highlight);
        if self.layers.labels && self.layers.communities {
            self.paint_labels(
                painter,
                session,
                &visible_communities,
                selection,
                households_word,
            );
        }
        // Over the labels: where an office stands matters more than a label's few letters.
        if self.layers.communities {
            self.paint_offices(painter, session, &visible_communities);
        }
        self.paint_scale_bar(painter);
        drawn_buildings
    }

    fn paint_scale_bar(&self, painter: &egui::Painter) {
        // A round length about a fifth of the map's width.
        let target = f64::from(self.rect.width()) * self.metres_per_point / 5.0;
        let magnitude = 10f64.powf(target.log10().floor());
        let length = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .rev()
            .map(|step| step * magnitude)
            .find(|length| *length <= target)
            .unwrap_or(magnitude);
        let points = (length / self.metres_per_point) as f32;
        let start = self.rect.left_bottom() + vec2(16.0, -18.0);
        let end = start + vec2(points, 0.0);
        let stroke = Stroke::new(2.0, theme::INK.egui());
        painter.line_segment([start, end], stroke);
        painter.line_segment([start, start - vec2(0.0, 6.0)], stroke);
        painter.line_segment([end, end - vec2(0.0, 6.0)], stroke);
        let label = if length >= 1000.0 {
            format!("{} km", length / 1000.0)
        } else {
            format!("{length} m")
        };
        painter.text(
            start + vec2(points / 2.0, -10.0),
            egui::Align2::CENTER_BOTTOM,
            label,
            egui::FontId::proportional(12.0),
            theme::INK.egui(),
        );
    }

    /// The map scale as 1:N for a screen of about 96 points per inch.
    pub fn scale_denominator(&self) -> f64 {
        self.metres_per_point / 0.000_264_6
    }
}

/// A community's fill by the worst of its violations that no exception accepts.
pub fn violation_fill(session: &Session, key: CommunityKey) -> Color32 {
    theme::community_fill(session.worst_unaccepted_severity(key)).egui()
}

fn for_each_street_segment(
    session: &Session,
    visible: AABB<[f64; 2]>,
    mut draw: impl FnMut(Coord<f64>, Coord<f64>, bool),
) {
    for (start, end, street) in session.street_index().segments_of_streets_meeting(visible) {
        let main = session
            .layers()
            .streets
            .get(street as usize)
            .is_some_and(Street::is_main);
        draw(start, end, main);
    }
}
