//! Walking distances on cities from `gen-city` (100k buildings, and 1M with
//! `SHEQU_BENCH_MILLION=1`): building the street network as a graph, and the walking distance of
//! every residential building to its community's office, an office placed inside every community.

mod common;

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use geo::InteriorPoint;
use rayon::prelude::*;
use shequ_core::Session;
use shequ_core::network::WalkingNetwork;
use shequ_core::plan::Community;
use shequ_core::walking::community_walking;

fn benchmarks(criterion: &mut Criterion) {
    for buildings in common::sizes(&[]) {
        let session = Session::open(&common::city(buildings)).expect("opens");
        let streets = &session.layers().streets;

        let mut group = criterion.benchmark_group("walking_network");
        group.sample_size(10);
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter(|| WalkingNetwork::build(streets))
        });
        group.finish();

        let network = WalkingNetwork::build(streets);
        let with_offices: Vec<(Community, &[u32])> = session
            .plan()
            .communities()
            .map(|(key, community)| {
                let mut community = community.clone();
                community.properties.office =
                    community.boundary.interior_point().map(|point| point.0);
                (community, session.tallies().of(key).members.as_slice())
            })
            .collect();
        let mut group = criterion.benchmark_group("walking_every_building");
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(20));
        group.bench_function(BenchmarkId::from_parameter(buildings), |bencher| {
            bencher.iter(|| {
                with_offices
                    .par_iter()
                    .filter_map(|(community, members)| {
                        community_walking(
                            &network,
                            &session.layers().buildings,
                            community,
                            members,
                            &session.profile().walking,
                        )
                    })
                    .map(|walking| walking.distances.len())
                    .sum::<usize>()
            })
        });
        group.finish();
    }
}

criterion_group!(walking, benchmarks);
criterion_main!(walking);
