//! Every reader given damaged input answers with a result or an error, never a panic: seeded
//! mutations (bit flips, truncations, spliced-in pieces, huge numbers, deep nesting) of a good
//! buildings layer (through the flat reader and through serde), a plan file, a layer cache and a
//! rule profile. A modest number of cases runs in `cargo test`; `SHEQU_PROPTEST_CASES=5000`
//! runs more.

mod support;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use shequ_core::Session;
use shequ_core::io::geojson::parse_feature_collection;
use shequ_core::load::LayerCacheUse;
use shequ_core::profile::{NANCHANG_2002_TOML, RuleProfile};
use shequ_core::session::{LayerInputs, OpenOptions};

/// One change to a document.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit {
        at: usize,
        bit: u8,
    },
    Truncate {
        at: usize,
    },
    Splice {
        at: usize,
        piece: &'static str,
    },
    Duplicate {
        from: usize,
        length: usize,
        to: usize,
    },
}

/// Pieces that stress a reader where they land.
const PIECES: [&str; 12] = [
    "1e308",
    "-1e400",
    "99999999999999999999999",
    "NaN",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "{\"type\":",
    "\\u0000",
    "\"\\ud800\"",
    ",,,",
    "null",
    "\u{feff}",
    "\"住宅\"",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        3 => (any::<usize>(), 0..PIECES.len()).prop_map(|(at, piece)| Mutation::Splice { at, piece: PIECES[piece] }),
        2 => (any::<usize>(), 1usize..200, any::<usize>()).prop_map(|(from, length, to)| Mutation::Duplicate { from, length, to }),
    ]
}

fn mutated(original: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for mutation in mutations {
        if bytes.is_empty() {
            break;
        }
        match *mutation {
            Mutation::FlipBit { at, bit } => {
                let at = at % bytes.len();
                bytes[at] ^= 1 << bit;
            }
            Mutation::Truncate { at } => bytes.truncate(at % bytes.len()),
            Mutation::Splice { at, piece } => {
                let at = at % bytes.len();
                bytes.splice(at..at, piece.bytes());
            }
            Mutation::Duplicate { from, length, to } => {
                let from = from % bytes.len();
                let end = (from + length).min(bytes.len());
                let piece = bytes[from..end].to_vec();
                let to = to % bytes.len();
                bytes.splice(to..to, piece);
            }
        }
    }
    bytes
}

fn runner(seed: u64) -> TestRunner {
    TestRunner::new(Config {
        cases: support::proptest_cases(48),
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    })
}

fn demo_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sample_data/nanchang-demo")
        .join(name)
}

/// The first few hundred features of the demo's buildings: enough structure, quick to read.
fn small_buildings_layer() -> Vec<u8> {
    let text = std::fs::read_to_string(demo_file("buildings.geojson")).expect("demo buildings");
    let mut document: serde_json::Value = serde_json::from_str(&text).expect("json");
    if let Some(features) = document["features"].as_array_mut() {
        features.truncate(300);
    }
    serde_json::to_vec(&document).expect("json")
}

#[test]
fn damaged_buildings_layers_give_a_result_or_an_error_through_both_readers() {
    let original = small_buildings_layer();
    let folder = tempfile::tempdir().expect("temp dir");
    let buildings = folder.path().join("buildings.geojson");
    let communities =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input/ok_communities.geojson");
    runner(0xf022)
        .run(&proptest::collection::vec(mutation(), 1..6), |mutations| {
            let bytes = mutated(&original, &mutations);
            // serde's reader of whole collections.
            let _ = parse_feature_collection(&bytes, &buildings);
            // The flat reader, falling back on serde's stream reader.
            std::fs::write(&buildings, &bytes).expect("write");
            let _ = Session::from_layers(
                &LayerInputs {
                    buildings: buildings.clone(),
                    communities: Some(communities.clone()),
                    ..LayerInputs::default()
                },
                RuleProfile::default(),
                OpenOptions {
                    cache: LayerCacheUse::Off,
                    ..OpenOptions::default()
                },
            );
            Ok(())
        })
        .expect("no reader panics");
}

#[test]
fn damaged_plan_files_give_a_result_or_an_error() {
    let folder = tempfile::tempdir().expect("temp dir");
    for name in ["buildings.geojson", "streets.geojson"] {
        std::fs::copy(demo_file(name), folder.path().join(name)).expect("copy");
    }
    let original = std::fs::read(demo_file("plan.shequ.geojson")).expect("plan");
    let plan = folder.path().join("plan.shequ.geojson");
    runner(0x91a7)
        .run(&proptest::collection::vec(mutation(), 1..4), |mutations| {
            std::fs::write(&plan, mutated(&original, &mutations)).expect("write");
            let _ = Session::open(&plan);
            Ok(())
        })
        .expect("no plan reader panics");
}

#[test]
fn damaged_layer_caches_are_ignored_or_read_never_crash() {
    let folder = tempfile::tempdir().expect("temp dir");
    let buildings = folder.path().join("buildings.geojson");
    std::fs::write(&buildings, small_buildings_layer()).expect("write");
    let inputs = LayerInputs {
        buildings: buildings.clone(),
        communities: Some(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input/ok_communities.geojson"),
        ),
        ..LayerInputs::default()
    };
    let open = || Session::from_layers(&inputs, RuleProfile::default(), OpenOptions::default());
    let first = open().expect("writes the cache");
    let households = first.layers().total_households();
    let cache = folder.path().join(".buildings.geojson.shequ-cache");
    let original = std::fs::read(&cache).expect("the cache was written");
    runner(0xcac4e)
        .run(&proptest::collection::vec(mutation(), 1..4), |mutations| {
            std::fs::write(&cache, mutated(&original, &mutations)).expect("write");
            let session = open().expect("a damaged cache is parsed afresh");
            prop_assert_eq!(session.layers().total_households(), households);
            Ok(())
        })
        .expect("no cache damage changes a count or crashes");
}

#[test]
fn damaged_profiles_give_a_profile_or_an_error() {
    let original = NANCHANG_2002_TOML.as_bytes();
    runner(0x70a1)
        .run(&proptest::collection::vec(mutation(), 1..4), |mutations| {
            let bytes = mutated(original, &mutations);
            if let Ok(text) = std::str::from_utf8(&bytes) {
                let _ = RuleProfile::from_toml(text, "fuzzed");
            }
            Ok(())
        })
        .expect("no profile reader panics");
}
