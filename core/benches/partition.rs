//! Automatic partition on cities from `gen-city` (100k buildings, and 1M with
//! `SHEQU_BENCH_MILLION=1`): one street office of about 50,000 residents (the one nearest),
//! report included. The whole 1M city is measured through the CLI (`shequ partition --all`),
//! whose JSON gives its time.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use shequ_core::Session;
use shequ_core::partition::{Scope, partition};

fn benchmarks(criterion: &mut Criterion) {
    for buildings in common::sizes(&[]) {
        let session = Session::open(&common::city(buildings)).expect("opens");
        let mut residents: BTreeMap<String, u64> = BTreeMap::new();
        for (key, community) in session.plan().communities() {
            if let Some(office) = &community.properties.street_office {
                *residents.entry(office.clone()).or_default() +=
                    session.tallies().of(key).residents;
            }
        }
        let (office, _) = residents
            .into_iter()
            .min_by_key(|(_, residents)| residents.abs_diff(50_000))
            .expect("a street office");
        let scope = Scope::StreetOffice(office);
        let mut group = criterion.benchmark_group("partition_street_office");
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(15));
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter(|| partition(&session, &scope, 1).expect("a partition"))
        });
        group.finish();
    }
}

criterion_group!(partition_benches, benchmarks);
criterion_main!(partition_benches);
