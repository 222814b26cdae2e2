//! Loading, bulk indexing, a full tally and a one-community recount at 10k and 100k buildings
//! (and 1M with `SHEQU_BENCH_MILLION=1`), on cities from `gen-city` cached in
//! `target/bench-cities/`.

mod common;

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use shequ_core::Session;
use shequ_core::index::BuildingIndex;
use shequ_core::load::LayerCacheUse;
use shequ_core::rules::{RuleContext, RuleResults};
use shequ_core::session::OpenOptions;
use shequ_core::tally::Tallies;

fn benchmarks(criterion: &mut Criterion) {
    for buildings in common::sizes(&[10_000]) {
        let plan = common::city(buildings);
        let session = Session::open(&plan).expect("the benchmark city opens");
        let tolerance = session.profile().geometry.cut_tolerance_m2;
        let slow = buildings >= 100_000;

        // Parsing the GeoJSON every time, and opening through the caches the first open wrote.
        for (name, cache) in [
            ("load", LayerCacheUse::Off),
            ("load_from_cache", LayerCacheUse::ReadAndWrite),
        ] {
            let mut group = criterion.benchmark_group(name);
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(if slow { 30 } else { 5 }));
            group.bench_with_input(
                BenchmarkId::from_parameter(buildings),
                &plan,
                |bencher, plan| {
                    bencher.iter(|| {
                        Session::open_with(
                            plan,
                            OpenOptions {
                                cache,
                                ..OpenOptions::default()
                            },
                        )
                        .expect("opens")
                    })
                },
            );
            group.finish();
        }

        let mut group = criterion.benchmark_group("bulk_index");
        group.sample_size(10);
        group.bench_with_input(
            BenchmarkId::from_parameter(buildings),
            &session,
            |bencher, session| bencher.iter(|| BuildingIndex::build(&session.layers().buildings)),
        );
        group.finish();

        let full_tally = |session: &Session| {
            Tallies::full(
                session.plan(),
                &session.layers().buildings,
                session.building_index(),
                tolerance,
            )
        };
        let mut group = criterion.benchmark_group("full_tally");
        group.sample_size(10);
        group.bench_with_input(
            BenchmarkId::from_parameter(buildings),
            &session,
            |bencher, session| bencher.iter(|| full_tally(session)),
        );
        group.finish();

        // What re-checking the whole plan costs: every community recounted, every rule run.
        let mut group = criterion.benchmark_group("full_recount_and_recheck");
        group.sample_size(10);
        group.bench_with_input(
            BenchmarkId::from_parameter(buildings),
            &session,
            |bencher, session| {
                bencher.iter(|| {
                    let tallies = full_tally(session);
                    let context = RuleContext {
                        tallies: &tallies,
                        ..session.rule_context()
                    };
                    RuleResults::full(&context)
                })
            },
        );
        group.finish();

        let mut group = criterion.benchmark_group("recount_one_community");
        let key = session.plan().keys()[session.plan().len() / 2];
        let mut tallies = session.tallies().clone();
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter(|| {
                tallies.recount(
                    &[key],
                    session.plan(),
                    &session.layers().buildings,
                    session.building_index(),
                    tolerance,
                )
            })
        });
        group.finish();
    }
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
