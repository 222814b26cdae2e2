//! What the benchmarks share: the binary's allocator (so that the figures are the ones the
//! planner gets), the sizes of city they run on, and the cities from `gen-city`, generated once
//! into `target/bench-cities/`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `smaller` sizes, then 100k buildings, and 1M with `SHEQU_BENCH_MILLION=1`.
pub fn sizes(smaller: &[usize]) -> Vec<usize> {
    let mut sizes = smaller.to_vec();
    sizes.push(100_000);
    if std::env::var_os("SHEQU_BENCH_MILLION").is_some() {
        sizes.push(1_000_000);
    }
    sizes
}

/// The plan of a city of `buildings` buildings, generated once.
pub fn city(buildings: usize) -> PathBuf {
    shequ_core::gen_city::benchmark_city(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
        buildings,
    )
    .expect("the benchmark city generates")
}
