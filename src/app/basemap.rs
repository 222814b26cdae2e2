//! Offline basemaps under the plan: raster MBTiles and PMTiles drawn in the map's own view. The map is in
//! local metres, not Web Mercator, so each tile is drawn as a mesh whose corners are projected
//! one by one (through GCJ-02 → WGS 84 first where the tiles are drawn in GCJ-02); this is why
//! shequ draws tiles itself rather than through a slippy-map widget. Tiles are read and decoded
//! on a thread of each basemap's own, so a frame never waits for the disk; a coarser tile stands
//! in while a finer one loads.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};

use eframe::egui::{self, Color32, Mesh, Pos2, TextureHandle, TextureOptions};
use shequ_core::Session;
use shequ_core::io::mbtiles::TileSetInfo;
use shequ_core::io::plan_file::BasemapSettings;
use shequ_core::io::tile_file::TileFile;
use shequ_core::tiles::{TileId, TilePlacement};

use crate::app::map::MapView;

/// The most tiles one basemap draws in a frame (a window of 8 × 6 tiles is 48).
const MOST_TILES: usize = 96;

/// The most tiles kept as textures per basemap; the oldest go first.
const MOST_TEXTURES: usize = 600;

/// Each tile is drawn as this many cells a side, so that its edges follow the projection.
const CELLS: usize = 4;

/// An open basemap: its description, its reader thread and the tiles it has delivered.
struct OpenBasemap {
    info: TileSetInfo,
    requests: Sender<TileId>,
    delivered: Receiver<(TileId, Option<egui::ColorImage>)>,
    /// Tiles drawn (a texture) or known missing (`None`).
    textures: HashMap<TileId, Option<TextureHandle>>,
    /// Tiles asked for and not yet delivered.
    pending: HashSet<TileId>,
    /// When each texture was last drawn (frame number), to let the oldest go.
    last_drawn: HashMap<TileId, u64>,
}

/// The basemaps of the open plan, by resolved file path: opened on first use.
#[derive(Default)]
pub struct Basemaps {
    open: HashMap<PathBuf, Result<OpenBasemap, String>>,
    frame: u64,
}

/// How the plan refers to a basemap file: relative to its folder where the file lies under it.
pub fn path_in_plan(session: &Session, file: &Path) -> String {
    let folder = session.plan_path().and_then(Path::parent);
    folder
        .and_then(|folder| file.strip_prefix(folder).ok())
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}

impl Basemaps {
    /// The description of a basemap, or why it cannot be drawn.
    pub fn status(&mut self, file: &Path, ctx: &egui::Context) -> Result<&TileSetInfo, String> {
        self.opened(file, ctx).map(|basemap| &basemap.info)
    }

    /// Tiles asked of the readers and not yet delivered.
    pub fn tiles_waiting(&self) -> usize {
        self.open
            .values()
            .filter_map(|basemap| basemap.as_ref().ok())
            .map(|basemap| basemap.pending.len())
            .sum()
    }

    /// Tiles delivered and held as textures.
    pub fn tiles_drawn(&self) -> usize {
        self.open
            .values()
            .filter_map(|basemap| basemap.as_ref().ok())
            .map(|basemap| basemap.textures.values().flatten().count())
            .sum()
    }

    /// Forgets every basemap (another plan was opened).
    pub fn clear(&mut self) {
        self.open.clear();
    }

    fn opened(&mut self, file: &Path, ctx: &egui::Context) -> Result<&mut OpenBasemap, String> {
        self.open
            .entry(file.to_path_buf())
            .or_insert_with(|| open(file, ctx))
            .as_mut()
            .map_err(|error| error.clone())
    }

    /// Draws the visible basemaps of `session`, bottom first, under everything else.
    pub fn paint(
        &mut self,
        painter: &egui::Painter,
        map: &MapView,
        session: &Session,
        ctx: &egui::Context,
    ) {
        self.frame += 1;
        let frame = self.frame;
        for settings in &session.settings().basemaps {
            if !settings.visible || settings.opacity <= 0.0 {
                continue;
            }
            let file = session.basemap_file(settings);
            let pixels_per_point = f64::from(ctx.pixels_per_point());
            if let Ok(basemap) = self.opened(&file, ctx) {
                basemap.receive(ctx);
                basemap.paint(painter, map, session, settings, pixels_per_point, frame);
            }
        }
    }
}

/// Opens `file` and starts its reader thread.
fn open(file: &Path, ctx: &egui::Context) -> Result<OpenBasemap, String> {
    let tiles = TileFile::open(file).map_err(|error| error.to_string())?;
    let info = tiles.info().clone();
    let (requests, incoming) = mpsc::channel::<TileId>();
    let (deliver, delivered) = mpsc::channel();
    let repaint = ctx.clone();
    std::thread::Builder::new()
        .name("basemap tiles".to_owned())
        .spawn(move || {
            // Ends when the basemap is dropped and its sender with it.
            for tile in incoming {
                let image = tiles
                    .tile(tile)
                    .ok()
                    .flatten()
                    .and_then(|bytes| decode(&bytes));
                if deliver.send((tile, image)).is_err() {
                    break;
                }
                repaint.request_repaint();
            }
        })
        .map_err(|error| format!("{}: {error}", file.display()))?;
    Ok(OpenBasemap {
        info,
        requests,
        delivered,
        textures: HashMap::new(),
        pending: HashSet::new(),
        last_drawn: HashMap::new(),
    })
}

/// A tile's pixels from its PNG, JPEG or WebP bytes.
fn decode(bytes: &[u8]) -> Option<egui::ColorImage> {
    let image = image::load_from_memory(bytes).ok()?.to_rgba8();
    let size = [image.width() as usize, image.height() as usize];
    Some(egui::ColorImage::from_rgba_unmultiplied(
        size,
        image.as_raw(),
    ))
}

impl OpenBasemap {
    /// Takes the tiles the reader has delivered since the last frame.
    fn receive(&mut self, ctx: &egui::Context) {
        while let Ok((tile, image)) = self.delivered.try_recv() {
            self.pending.remove(&tile);
            let texture = image.map(|image| {
                ctx.load_texture(
                    format!("basemap {}/{}/{}", tile.zoom, tile.x, tile.y),
                    image,
                    TextureOptions::LINEAR,
                )
            });
            self.textures.insert(tile, texture);
        }
        if self.textures.len() > MOST_TEXTURES {
            let mut by_age: Vec<(u64, TileId)> = self
                .textures
                .keys()
                .map(|tile| (self.last_drawn.get(tile).copied().unwrap_or(0), *tile))
                .collect();
            by_age.sort_unstable();
            for (_, tile) in by_age.iter().take(self.textures.len() - MOST_TEXTURES) {
                self.textures.remove(tile);
                self.last_drawn.remove(tile);
            }
        }
    }

    fn paint(
        &mut self,
        painter: &egui::Painter,
        map: &MapView,
        session: &Session,
        settings: &BasemapSettings,
        pixels_per_point: f64,
        frame: u64,
    ) {
        let placement = TilePlacement {
            projection: session.projection(),
            gcj02: settings.gcj02,
        };
        let corners = [
            map.rect.left_top(),
            map.rect.right_top(),
            map.rect.left_bottom(),
            map.rect.right_bottom(),
        ]
        .map(|corner| map.to_metres(corner));
        let Some(wanted) = placement.tiles_for_view(
            corners,
            map.metres_per_point / pixels_per_point,
            (self.info.min_zoom, self.info.max_zoom),
            MOST_TILES,
        ) else {
            return;
        };
        let tint = Color32::from_white_alpha((settings.opacity.clamp(0.0, 1.0) * 255.0) as u8);
        let to_screen = |tile: TileId, east: f64, south: f64| -> Pos2 {
            map.to_screen(placement.metres_at(tile, east, south))
        };
        for tile in wanted {
            // The tile itself, or the nearest coarser one already here, drawn over its part.
            let mut drawn = None;
            let mut part = [0.0, 0.0, 1.0];
            let mut candidate = Some((tile, part));
            while let Some((source, [east, south, share])) = candidate {
                if source.zoom < self.info.min_zoom {
                    break;
                }
                if let Some(Some(texture)) = self.textures.get(&source) {
                    drawn = Some((source, texture.id()));
                    part = [east, south, share];
                    break;
                }
                candidate = source
                    .parent()
                    .map(|(parent, [parent_east, parent_south, half])| {
                        (
                            parent,
                            [
                                parent_east + east * half,
                                parent_south + south * half,
                                share * half,
                            ],
                        )
                    });
            }
            if !self.textures.contains_key(&tile) && self.pending.insert(tile) {
                // A closed reader means the thread is gone; the tile simply stays missing.
                let _ = self.requests.send(tile);
            }
            let Some((source, texture)) = drawn else {
                continue;
            };
            self.last_drawn.insert(source, frame);
            let [east, south, share] = part;
            let mut mesh = Mesh::with_texture(texture);
            for row in 0..=CELLS {
                for column in 0..=CELLS {
                    let (u, v) = (column as f64 / CELLS as f64, row as f64 / CELLS as f64);
                    let position = to_screen(tile, u, v);
                    let uv = egui::pos2((east + u * share) as f32, (south + v * share) as f32);
                    mesh.vertices.push(egui::epaint::Vertex {
                        pos: position,
                        uv,
                        color: tint,
                    });
                }
            }
            let stride = (CELLS + 1) as u32;
            for row in 0..CELLS as u32 {
                for column in 0..CELLS as u32 {
                    let top_left = row * stride + column;
                    mesh.add_triangle(top_left, top_left + 1, top_left + stride);
                    mesh.add_triangle(top_left + 1, top_left + stride + 1, top_left + stride);
                }
            }
            painter.add(egui::Shape::mesh(mesh));
        }
    }
}
