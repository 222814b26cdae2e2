//! Checking a community boundary's validity as it grows: 10k, 50k, 100k and 1M vertices (geo's
//! own check, which compares every edge with every other, took 9.9 s at 50k).

mod common;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use shequ_core::geometry::validity::boundary_problems;

/// A valid wavy ring of `count` vertices around a 5 km circle, like a long digitised boundary.
fn wavy_boundary(count: usize) -> MultiPolygon<f64> {
    let mut coords: Vec<Coord<f64>> = (0..count)
        .map(|index| {
            let angle = index as f64 / count as f64 * std::f64::consts::TAU;
            let radius = 5_000.0 + 20.0 * (angle * 200.0).sin();
            Coord {
                x: radius * angle.cos(),
                y: radius * angle.sin(),
            }
        })
        .collect();
    coords.push(coords[0]);
    MultiPolygon::new(vec![Polygon::new(LineString::new(coords), vec![])])
}

fn benchmarks(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("boundary_validity");
    group.sample_size(10);
    for count in [10_000, 50_000, 100_000, 1_000_000] {
        let boundary = wavy_boundary(count);
        assert!(boundary_problems(&boundary).is_empty(), "the ring is valid");
        group.bench_with_input(
            BenchmarkId::from_parameter(count),
            &boundary,
            |bencher, boundary| bencher.iter(|| boundary_problems(boundary)),
        );
    }
    group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
