//! Painting the map, one layer a method, bottom to top: community fills, street blocks,
//! buildings, streets, street offices, community outlines, violations, the highlight; and what a
//! search found.

use std::collections::HashMap;

use eframe::egui::{self, Color32, Mesh, Pos2, Rect, Shape, Stroke};
use rstar::AABB;
use shequ_core::Session;
use shequ_core::ids::CommunityKey;
use shequ_core::search::Found;
use shequ_core::violation::Location;

use super::*;
use crate::theme;

impl MapView {
    /// Each visible community's committee office (a round marker) and service centre (a square).
    pub(super) fn paint_offices(
        &self,
        painter: &egui::Painter,
        session: &Session,
        visible_communities: &[CommunityKey],
    ) {
        let ring = Stroke::new(2.0, Color32::WHITE);
        for &key in visible_communities {
            let Some(community) = session.plan().community(key) else {
                continue;
            };
            if let Some(office) = community.properties.office {
                let at = self.to_screen(office);
                painter.circle(at, 6.0, theme::OFFICE.egui(), ring);
                painter.circle_filled(at, 2.0, Color32::WHITE);
            }
            if let Some(service) = community.properties.service {
                let at = self.to_screen(service);
                let square = egui::Rect::from_center_size(at, egui::vec2(10.0, 10.0));
                painter.rect(
                    square,
                    1.0,
                    theme::OFFICE.egui(),
                    ring,
                    egui::StrokeKind::Outside,
                );
            }
        }
    }

    /// Communities filled by their worst unaccepted violation, or by street office.
    pub(super) fn paint_fills(
        &self,
        painter: &egui::Painter,
        session: &Session,
        visible_communities: &[CommunityKey],
    ) {
        let mut mesh = Mesh::default();
        for &key in visible_communities {
            let colour = self.colouring.fill(session, key);
            if let Some(shape) = self.shapes.get(&key) {
                for triangle in &shape.triangles {
                    let base = mesh.vertices.len() as u32;
                    for corner in triangle {
                        mesh.colored_vertex(self.to_screen(*corner), colour);
                    }
                    mesh.add_triangle(base, base + 1, base + 2);
                }
            }
        }
        painter.add(Shape::mesh(mesh));
    }

    /// Street blocks, when asked for (derived on first use), as thin outlines.
    pub(super) fn paint_blocks(
        &self,
        painter: &egui::Painter,
        session: &Session,
        visible: AABB<[f64; 2]>,
    ) {
        if self.layers.blocks
            && let Some(blocks) = session.derived_blocks()
        {
            for block in blocks.meeting(visible) {
                let points: Vec<Pos2> = blocks.polygons[block]
                    .exterior()
                    .coords()
                    .map(|coord| self.to_screen(*coord))
                    .collect();
                painter.add(Shape::closed_line(
                    points,
                    Stroke::new(1.0, theme::BLOCK.egui()),
                ));
            }
        }
    }

    /// The buildings on screen, zoomed in far enough, coloured by their community (red: homes in
    /// none). Returns how many were drawn.
    pub(super) fn paint_buildings(
        &self,
        painter: &egui::Painter,
        session: &Session,
        visible: AABB<[f64; 2]>,
        visible_communities: &[CommunityKey],
    ) -> usize {
        let mut drawn_buildings = 0;
        if self.layers.buildings && self.metres_per_point < BUILDINGS_VISIBLE_BELOW_METRES_PER_POINT
        {
            let candidates: Vec<u32> = session
                .building_index()
                .footprints_meeting(visible)
                .collect();
            if candidates.len() <= MOST_BUILDINGS_DRAWN {
                let mut owner: HashMap<u32, CommunityKey> = HashMap::new();
                for &key in visible_communities {
                    for &member in &session.tallies().of(key).members {
                        owner.insert(member, key);
                    }
                }
                // Under the walking colouring, each home by its distance to its office.
                let mut walked: HashMap<u32, Option<f32>> = HashMap::new();
                if self.colouring == Colouring::Walking {
                    for &key in visible_communities {
                        if let Some(walking) = session.rules().walking_of(key) {
                            walked.extend(walking.distances.iter().copied());
                        }
                    }
                }
                for building in candidates {
                    let footprint = &session.layers().buildings[building as usize];
                    let fill = match owner.get(&building) {
                        Some(_) if walked.contains_key(&building) => super::walking::building_fill(
                            walked[&building],
                            &session.profile().walking,
                        ),
                        Some(&key) => {
                            let community = session.plan().community(key);
                            let base = if self.colouring == Colouring::StreetOffice {
                                colour_for(
                                    community
                                        .and_then(|community| {
                                            community.properties.street_office.as_deref()
                                        })
                                        .unwrap_or(""),
                                )
                            } else {
                                theme::BUILDING.egui()
                            };
                            base.to_opaque().gamma_multiply(0.9)
                        }
                        None if footprint.residential => theme::UNASSIGNED_BUILDING.egui(),
                        None => Color32::from_gray(190),
                    };
                    for polygon in &footprint.footprint {
                        let points: Vec<Pos2> = polygon
                            .exterior()
                            .coords()
                            .skip(1)
                            .map(|coord| self.to_screen(*coord))
                            .collect();
                        painter.add(Shape::convex_polygon(
                            points,
                            fill,
                            Stroke::new(0.5, Color32::from_gray(90)),
                        ));
                    }
                    drawn_buildings += 1;
                }
            }
        }

        drawn_buildings
    }

    /// Streets: main roads from the district zoom, side streets closer in.
    pub(super) fn paint_streets(
        &self,
        painter: &egui::Painter,
        session: &Session,
        visible: AABB<[f64; 2]>,
    ) {
        // Zoomed out, side streets are noise (and, city-wide, hundreds of thousands of segments):
        // only main roads, and none at all at the widest zoom.
        let streets_shown =
            self.layers.streets && self.metres_per_point < STREETS_VISIBLE_BELOW_METRES_PER_POINT;
        let side_streets_shown =
            self.metres_per_point < BUILDINGS_VISIBLE_BELOW_METRES_PER_POINT * 2.0;
        if streets_shown {
            for_each_street_segment(session, visible, |start, end, main| {
                if !main && !side_streets_shown {
                    return;
                }
                let width = if main { 3.0 } else { 1.5 };
                painter.line_segment(
                    [self.to_screen(start), self.to_screen(end)],
                    Stroke::new(width, theme::STREET_CASING.egui()),
                );
                painter.line_segment(
                    [self.to_screen(start), self.to_screen(end)],
                    Stroke::new(width * 0.5, theme::MAIN_STREET.egui()),
                );
            });
        }
    }

    /// Street-office boundaries on screen, dashed.
    pub(super) fn paint_street_offices(
        &self,
        painter: &egui::Painter,
        session: &Session,
        visible: AABB<[f64; 2]>,
    ) {
        for office in &session.plan().street_offices {
            let Some(boundary) = &office.boundary else {
                continue;
            };
            for polygon in boundary {
                // Only offices on screen: a dashed outline costs a shape per dash.
                let on_screen = geo::BoundingRect::bounding_rect(polygon).is_some_and(|rect| {
                    let envelope = AABB::from_corners(
                        [rect.min().x, rect.min().y],
                        [rect.max().x, rect.max().y],
                    );
                    rstar::Envelope::intersects(&envelope, &visible)
                });
                if !on_screen {
                    continue;
                }
                let points: Vec<Pos2> = polygon
                    .exterior()
                    .coords()
                    .map(|coord| self.to_screen(*coord))
                    .collect();
                painter.add(Shape::dashed_line(
                    &points,
                    Stroke::new(2.0, theme::STREET_OFFICE.egui()),
                    8.0,
                    5.0,
                ));
            }
        }
    }

    /// Community outlines, the selection on top.
    pub(super) fn paint_outlines(
        &self,
        painter: &egui::Painter,
        session: &Session,
        visible_communities: &[CommunityKey],
        selection: &[CommunityKey],
    ) {
        for &key in visible_communities {
            let Some(community) = session.plan().community(key) else {
                continue;
            };
            let selected = selection.contains(&key);
            let stroke = if selected {
                Stroke::new(3.0, theme::SELECTED.egui())
            } else {
                Stroke::new(1.2, theme::OUTLINE.egui())
            };
            for polygon in &community.boundary {
                let points: Vec<Pos2> = polygon
                    .exterior()
                    .coords()
                    .map(|coord| self.to_screen(*coord))
                    .collect();
                painter.add(Shape::line(points, stroke));
            }
        }
    }

    /// Violations where they are: cut buildings, uncovered clusters and overlaps dashed,
    /// off-street stretches as broad lines.
    pub(super) fn paint_violations(&self, painter: &egui::Painter, session: &Session) {
        for violation in session.rules().iter() {
            let colour = theme::severity_ink(violation.severity).egui();
            match &violation.location {
                Location::Areas(areas)
                    if violation.rule == "community.cuts_building"
                        || violation.rule == "plan.uncovered"
                        || violation.rule == "plan.overlap" =>
                {
                    for polygon in areas {
                        let points: Vec<Pos2> = polygon
                            .exterior()
                            .coords()
                            .map(|coord| self.to_screen(*coord))
                            .collect();
                        if points
                            .iter()
                            .all(|point| !self.rect.expand(200.0).contains(*point))
                        {
                            continue;
                        }
                        painter.add(Shape::dashed_line(
                            &points,
                            Stroke::new(2.0, colour),
                            4.0,
                            3.0,
                        ));
                    }
                }
                Location::Lines(lines) => {
                    for line in lines {
                        let points: Vec<Pos2> =
                            line.coords().map(|coord| self.to_screen(*coord)).collect();
                        painter.add(Shape::line(
                            points,
                            Stroke::new(4.0, colour.gamma_multiply(0.8)),
                        ));
                    }
                }
                _ => {}
            }
        }
    }

    /// A frame around the violation last clicked.
    pub(super) fn paint_highlight(&self, painter: &egui::Painter, highlight: Option<&Location>) {
        if let Some(location) = highlight
            && let Some([low, high]) = location.bounds()
        {
            let rect = Rect::from_two_pos(self.to_screen(low), self.to_screen(high)).expand(6.0);
            painter.rect_stroke(
                rect,
                4.0,
                Stroke::new(2.5, theme::SELECTED.egui()),
                egui::StrokeKind::Outside,
            );
        }
    }

    /// A building's footprint outlined (the building under the pointer, pinned, or found).
    pub fn outline_footprint(
        &self,
        painter: &egui::Painter,
        footprint: &geo::MultiPolygon<f64>,
        stroke: Stroke,
    ) {
        for polygon in footprint {
            let points = polygon
                .exterior()
                .coords()
                .map(|&coord| self.to_screen(coord))
                .collect();
            painter.add(Shape::closed_line(points, stroke));
        }
    }

    /// What a search found that the selection does not show: a street's lines drawn over in the
    /// selection's colour, a building or a grid outlined, a place pinned.
    pub fn paint_found(&self, painter: &egui::Painter, session: &Session, found: &Found) {
        let ink = theme::SELECTED.egui();
        match found {
            Found::Street { streets, .. } => {
                for &index in streets {
                    let Some(street) = session.layers().streets.get(index as usize) else {
                        continue;
                    };
                    for line in &street.lines {
                        let points: Vec<Pos2> =
                            line.coords().map(|&coord| self.to_screen(coord)).collect();
                        painter.add(Shape::line(
                            points,
                            Stroke::new(5.0, ink.gamma_multiply(0.8)),
                        ));
                    }
                }
            }
            Found::Building(index) => {
                if let Some(building) = session.layers().buildings.get(*index as usize) {
                    self.outline_footprint(painter, &building.footprint, Stroke::new(3.0, ink));
                }
            }
            Found::Place(point) => {
                let at = self.to_screen(*point);
                let stroke = Stroke::new(2.0, ink);
                painter.circle_stroke(at, 9.0, stroke);
                painter.line_segment(
                    [at - egui::vec2(14.0, 0.0), at + egui::vec2(14.0, 0.0)],
                    stroke,
                );
                painter.line_segment(
                    [at - egui::vec2(0.0, 14.0), at + egui::vec2(0.0, 14.0)],
                    stroke,
                );
            }
            Found::Grid { community, code } => {
                let grid = (session.plan().community(*community)).and_then(|found| {
                    found
                        .properties
                        .grids
                        .iter()
                        .find(|grid| &grid.code == code)
                });
                if let Some(grid) = grid {
                    self.outline_footprint(painter, &grid.boundary, Stroke::new(3.0, ink));
                }
            }
            Found::Community(_) | Found::StreetOffice { .. } => {}
        }
    }
}
