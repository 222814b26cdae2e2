//! Before and after on cities from `gen-city` (100k buildings, and 1M with
//! `SHEQU_BENCH_MILLION=1`): opening a second plan beside the first over the same layers,
//! comparing the plan with itself as opened after a merge (the app's comparison, remade after
//! each edit), and switching scenarios — the first switch to a scenario read from the file
//! (which counts and checks it) and switching back and forth between counted ones; and the fixes
//! of one violation, each tried on a copy of the plan.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use shequ_core::Session;
use shequ_core::compare::compare_and_moved;
use shequ_core::edit::Command;
use shequ_core::session::OpenOptions;

/// The city's plan with a second scenario in which two neighbours are merged, saved beside it.
fn plan_with_two_scenarios(buildings: usize) -> PathBuf {
    let plan = common::city(buildings);
    let path = plan.with_file_name("two-scenarios.shequ.geojson");
    let mut session = Session::open(&plan).expect("opens");
    session.create_scenario("merged").expect("creates");
    session.switch_scenario("merged").expect("switches");
    merge_two(&mut session);
    session
        .switch_scenario(shequ_core::session::DEFAULT_SCENARIO_NAME)
        .expect("switches back");
    session.save_as(&path).expect("saves");
    path
}

fn merge_two(session: &mut Session) {
    let keys = session.plan().keys();
    let pair = vec![keys[keys.len() / 2 + 2], keys[keys.len() / 2 + 3]];
    session
        .execute(Command::Merge {
            keys: pair,
            allow_several_parts: true,
        })
        .expect("merges");
}

fn benchmarks(criterion: &mut Criterion) {
    for buildings in common::sizes(&[]) {
        let plan = plan_with_two_scenarios(buildings);
        let mut session = Session::open(&plan).expect("opens");

        let mut group = criterion.benchmark_group("open_beside");
        group.sample_size(10);
        let shared = session.shared_layers();
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter(|| {
                Session::open_beside(&plan, &shared, OpenOptions::default()).expect("opens")
            })
        });
        group.finish();

        merge_two(&mut session);
        let opened = session.as_opened();
        let mut group = criterion.benchmark_group("compare_after_a_merge");
        group.sample_size(10);
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter(|| compare_and_moved(&opened, &session).expect("compares"))
        });
        group.finish();
        session.undo().expect("undoes");

        let mut group = criterion.benchmark_group("first_switch_to_a_scenario");
        group.sample_size(10);
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let mut fresh = Session::open(&plan).expect("opens");
                    let start = Instant::now();
                    fresh.switch_scenario("merged").expect("switches");
                    total += start.elapsed();
                }
                total
            })
        });
        group.finish();

        // The fixes of one violation, each tried on a copy of the plan: a community below its
        // band where the city has one (merges with its neighbours), else its empty community.
        let with_fixes = |rule: &str, below: bool| {
            session
                .rules()
                .iter()
                .find(|violation| {
                    violation.rule == rule && (!below || violation.message_en.contains("below"))
                })
                .map(|violation| violation.key())
        };
        let below = with_fixes("community.households", true)
            .or_else(|| with_fixes("community.empty", false));
        if let Some(key) = below {
            let mut group = criterion.benchmark_group("fixes_for_one_violation");
            group.sample_size(10);
            group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
                bencher.iter(|| shequ_core::fixes::fixes_for(&session, &key))
            });
            group.finish();
        }
        // The fixes that cut the ground along the streets around a place: a boundary cutting
        // buildings (moved to the street beyond them) and buildings in no community (given
        // with their street blocks).
        for (name, rule) in [
            ("fixes_for_a_cut_building", "community.cuts_building"),
            ("fixes_for_uncovered_buildings", "plan.uncovered"),
        ] {
            if let Some(key) = with_fixes(rule, false) {
                let mut group = criterion.benchmark_group(name);
                group.sample_size(10);
                group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
                    bencher.iter(|| shequ_core::fixes::fixes_for(&session, &key))
                });
                group.finish();
            }
        }

        session.switch_scenario("merged").expect("counts it once");
        let mut group = criterion.benchmark_group("switch_between_counted_scenarios");
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            let names = [shequ_core::session::DEFAULT_SCENARIO_NAME, "merged"];
            let mut next = 0;
            bencher.iter(|| {
                session.switch_scenario(names[next]).expect("switches");
                next = 1 - next;
            })
        });
        group.finish();
    }
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
