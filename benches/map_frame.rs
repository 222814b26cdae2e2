//! The desktop app's CPU work per frame (the whole UI: panels, map culling and drawing, and
//! tessellation, without a GPU), on cities from `gen-city` of 100k buildings (and 1M with
//! `SHEQU_BENCH_MILLION=1`), zoomed out to the whole city and in to a few blocks; and the same
//! over a raster basemap.

use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eframe::egui;
use shequ::app::intent::Intent;
use shequ::app::{Preferences, ShequApp, fonts};
use shequ_core::Session;
use shequ_core::gen_city::benchmark_city;

/// The binary's allocator, so that the figures are the ones the planner gets.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn city(buildings: usize) -> PathBuf {
    benchmark_city(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        buildings,
    )
    .expect("the benchmark city generates")
}

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 1000.0),
        )),
        ..Default::default()
    }
}

/// One frame: the UI pass and its tessellation.
fn frame(ctx: &egui::Context, app: &mut ShequApp) -> usize {
    let output = ctx.run_ui(input(), |ui| app.show(ui));
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}

fn benchmarks(criterion: &mut Criterion) {
    let mut sizes = vec![100_000];
    if std::env::var_os("SHEQU_BENCH_MILLION").is_some() {
        sizes.push(1_000_000);
    }
    for buildings in sizes {
        let session = Session::open(&city(buildings)).expect("opens");
        let ctx = egui::Context::default();
        fonts::install(&ctx);
        let mut app = ShequApp::new(Some(session), Preferences::default());
        for _ in 0..5 {
            frame(&ctx, &mut app);
        }
        let mut group = criterion.benchmark_group("map_frame_whole_city");
        group.sample_size(20);
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter(|| frame(&ctx, &mut app))
        });
        group.finish();

        // Around the middle of the city at three zooms: a few blocks (buildings drawn one by
        // one), the zoom where buildings first appear (the most drawn), and a district (streets,
        // no buildings).
        let middle = app
            .doc
            .session
            .as_ref()
            .and_then(|session| session.plan().keys().get(session.plan().len() / 2).copied())
            .expect("a community");
        app.apply(Intent::SelectAndZoom(vec![middle]));
        for (name, metres_per_point) in [
            ("map_frame_few_blocks", 0.6),
            ("map_frame_buildings_appear", 2.4),
            ("map_frame_district", 8.0),
        ] {
            app.ui.map.metres_per_point = metres_per_point;
            for _ in 0..3 {
                frame(&ctx, &mut app);
            }
            let mut group = criterion.benchmark_group(name);
            group.sample_size(20);
            group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
                bencher.iter(|| frame(&ctx, &mut app))
            });
            group.finish();
        }

        // The same views over a basemap (tiles read and decoded beforehand, as they are after the
        // first frames at a view).
        let basemap = city(buildings).with_file_name("basemap.mbtiles");
        if !basemap.exists() {
            write_basemap(app.doc.session.as_ref().expect("open"), &basemap);
        }
        app.apply(Intent::Chosen(
            shequ::app::file_dialog::FileRequest::Basemap,
            basemap,
        ));
        for (name, metres_per_point) in [
            ("map_frame_basemap_whole_city", 0.0),
            ("map_frame_basemap_few_blocks", 0.6),
            ("map_frame_basemap_buildings_appear", 2.4),
            ("map_frame_basemap_district", 8.0),
        ] {
            if metres_per_point == 0.0 {
                if let Some(session) = app.doc.session.as_ref() {
                    app.ui.map.fit_all(session);
                }
            } else {
                app.apply(Intent::SelectAndZoom(vec![middle]));
                app.ui.map.metres_per_point = metres_per_point;
            }
            for _ in 0..200 {
                frame(&ctx, &mut app);
                if app.ui.basemaps.tiles_waiting() == 0 {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            let mut group = criterion.benchmark_group(name);
            group.sample_size(20);
            group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
                bencher.iter(|| frame(&ctx, &mut app))
            });
            group.finish();
        }
    }
}

/// A raster MBTiles over the city at zooms 10–18, every tile the same 256-pixel PNG.
fn write_basemap(session: &Session, path: &Path) {
    let [low, high] = shequ_core::ops::blocks::data_extent(
        &session.layers().buildings,
        &session.layers().streets,
    )
    .expect("an extent");
    let (west, south) = session.projection().to_lon_lat(low);
    let (east, north) = session.projection().to_lon_lat(high);
    let mut pixmap = tiny_skia::Pixmap::new(256, 256).expect("a tile");
    pixmap.fill(tiny_skia::Color::from_rgba8(230, 228, 220, 255));
    let png = pixmap.encode_png().expect("encodes");
    let tiles: Vec<_> = (10..=18u8)
        .flat_map(|zoom| {
            shequ_core::tiles::tiles_covering([west, south, east, north], zoom, usize::MAX)
                .unwrap_or_default()
        })
        .map(|tile| (tile, png.clone()))
        .collect();
    shequ_core::io::mbtiles::write(path, "bench", "png", &tiles).expect("writes");
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
