//! Interactive edits on cities from `gen-city` (100k buildings, and 1M with
//! `SHEQU_BENCH_MILLION=1`): one vertex move, merge, split and block assignment, each including
//! the re-index, recount and rule re-check of the touched communities; and street-block
//! derivation. Each edit is timed alone; its undo runs outside the timing. Also the previews of
//! a split and a merge, and searches, as they run while the planner moves the pointer or types.

mod common;

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use geo::{BoundingRect, Centroid, Coord, LineString};
use shequ_core::Session;
use shequ_core::edit::Command;
use shequ_core::ops::blocks::{Blocks, data_extent};

/// Times `command` alone, then undoes it untimed, `iterations` times.
fn timed_and_undone(session: &mut Session, command: &Command, iterations: u64) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iterations {
        let start = Instant::now();
        session.execute(command.clone()).expect("the edit applies");
        total += start.elapsed();
        session.undo().expect("the undo applies");
    }
    total
}

/// Moves the vertex at `shared` back and forth by a metre: every iteration is one move with its
/// bookkeeping (tallies, rules); the vertex ends where it began.
fn vertex_moves(
    criterion: &mut Criterion,
    name: &str,
    session: &mut Session,
    shared: Coord<f64>,
    buildings: usize,
) {
    let aside = Coord {
        x: shared.x + 1.0,
        y: shared.y,
    };
    let mut group = criterion.benchmark_group(name);
    let mut toggle = false;
    group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
        bencher.iter(|| {
            let (from, to) = if toggle {
                (aside, shared)
            } else {
                (shared, aside)
            };
            toggle = !toggle;
            session
                .execute(Command::MoveVertex { from, to })
                .expect("moves")
        })
    });
    group.finish();
    if toggle {
        session
            .execute(Command::MoveVertex {
                from: aside,
                to: shared,
            })
            .expect("moves back");
    }
}

fn benchmarks(criterion: &mut Criterion) {
    for buildings in common::sizes(&[]) {
        let mut session = Session::open(&common::city(buildings)).expect("opens");
        let keys = session.plan().keys();
        // Two east–west neighbours in the middle of the city, with nothing planted in them.
        let west = keys[keys.len() / 2 + 2];
        let east = keys[keys.len() / 2 + 3];
        let west_ring = session.plan().community(west).expect("exists").boundary.0[0]
            .exterior()
            .0
            .clone();
        let east_ring: Vec<Coord<f64>> = session.plan().community(east).expect("exists").boundary.0
            [0]
        .exterior()
        .0
        .clone();
        let shared = *west_ring
            .iter()
            .find(|coord| east_ring.contains(coord))
            .expect("a shared vertex");

        vertex_moves(criterion, "vertex_move", &mut session, shared, buildings);
        // With every community's grids drawn: the grids along the edges follow each move.
        let target = session.profile().grids.target_households;
        let (grids, _) = shequ_core::grids::draw_grids(&session, &[], target);
        session.execute(grids).expect("the grids are drawn");
        vertex_moves(
            criterion,
            "vertex_move_with_grids",
            &mut session,
            shared,
            buildings,
        );
        session.undo().expect("the grids are taken back");

        let mut group = criterion.benchmark_group("merge");
        let merge = Command::Merge {
            keys: vec![west, east],
            allow_several_parts: false,
        };
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter_custom(|iterations| timed_and_undone(&mut session, &merge, iterations))
        });
        group.finish();

        let mut group = criterion.benchmark_group("split");
        let bounds = session
            .plan()
            .community(west)
            .expect("exists")
            .boundary
            .bounding_rect()
            .expect("bounds");
        let middle_x = (bounds.min().x + bounds.max().x) / 2.0 + 7.0;
        let split = Command::Split {
            key: west,
            line: LineString::from(vec![
                (middle_x, bounds.min().y - 10.0),
                (middle_x, bounds.max().y + 10.0),
            ]),
        };
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter_custom(|iterations| timed_and_undone(&mut session, &split, iterations))
        });
        group.finish();

        // What the planner sees before Enter, recomputed as the pointer moves.
        let mut group = criterion.benchmark_group("split_preview");
        let Command::Split { line, .. } = &split else {
            unreachable!("built above as a split")
        };
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter(|| session.split_preview(west, line).expect("crosses"))
        });
        group.finish();
        let mut group = criterion.benchmark_group("merge_preview");
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter(|| session.merge_preview(&[west, east]).expect("touching"))
        });
        group.finish();

        // A search per keystroke: a community by pinyin initials, a building id (which scans
        // every building), a street name.
        let building_id = session.layers().buildings[buildings / 2]
            .source_id
            .to_string();
        for (name, query) in [
            ("search_initials", "sq"),
            ("search_building_id", building_id.as_str()),
            ("search_street", "jl"),
        ] {
            let mut group = criterion.benchmark_group(name);
            group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
                bencher.iter(|| session.search(query))
            });
            group.finish();
        }

        let mut group = criterion.benchmark_group("assign_block");
        let inside_east = session
            .plan()
            .community(east)
            .expect("exists")
            .boundary
            .centroid()
            .expect("centre")
            .0;
        let block = session.blocks().at(inside_east).expect("a block");
        let assign = Command::AssignBlocks {
            blocks: vec![block],
            to: west,
        };
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter_custom(|iterations| timed_and_undone(&mut session, &assign, iterations))
        });
        group.finish();
        // With every community's grids drawn: both communities' grids are fitted to the move.
        let target = session.profile().grids.target_households;
        let (grids, _) = shequ_core::grids::draw_grids(&session, &[], target);
        session.execute(grids).expect("the grids are drawn");
        let mut group = criterion.benchmark_group("assign_block_with_grids");
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter_custom(|iterations| timed_and_undone(&mut session, &assign, iterations))
        });
        group.finish();
        session.undo().expect("the grids are taken back");

        let mut group = criterion.benchmark_group("derive_blocks");
        group.sample_size(10);
        let extent =
            data_extent(&session.layers().buildings, &session.layers().streets).expect("extent");
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter(|| Blocks::derive(&session.layers().streets, extent))
        });
        group.finish();
    }
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
