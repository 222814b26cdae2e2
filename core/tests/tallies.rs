//! Tallies through the R-tree equal a brute-force count, and after any seeded sequence of
//! boundary changes the incremental recount and re-check equal a full recount and re-check.

mod support;

use std::path::{Path, PathBuf};

use geo::{Contains, Coord, LineString, MultiPolygon, Polygon};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use shequ_core::Session;
use shequ_core::gen_city::{CityOptions, generate_city};
use shequ_core::ids::CommunityKey;
use shequ_core::plan::{Community, CommunityType, Plan};
use shequ_core::rules::RuleResults;
use shequ_core::tally::Tallies;

fn sample_plan(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sample_data")
        .join(name)
        .join("plan.shequ.geojson")
}

/// Households per community counted the slow, obvious way: every building against every
/// community with geo's plain polygon test, no index.
fn brute_force_households(session: &Session) -> Vec<(String, u64)> {
    session
        .plan()
        .communities()
        .map(|(_, community)| {
            let households = session
                .layers()
                .buildings
                .iter()
                .filter(|building| {
                    building.residential
                        && community.boundary.contains(&building.representative_point)
                })
                .map(|building| u64::from(building.households))
                .sum();
            (community.id.clone(), households)
        })
        .collect()
}

fn indexed_households(session: &Session) -> Vec<(String, u64)> {
    session
        .plan()
        .communities()
        .map(|(key, community)| (community.id.clone(), session.tallies().of(key).households))
        .collect()
}

#[test]
fn the_demo_plan_tallies_equal_a_brute_force_count() {
    let session = Session::open(&sample_plan("nanchang-demo")).expect("demo opens");
    assert_eq!(
        indexed_households(&session),
        brute_force_households(&session)
    );
}

#[test]
fn the_porto_plan_tallies_equal_a_brute_force_count() {
    let session = Session::open(&sample_plan("porto")).expect("Porto opens");
    assert_eq!(
        indexed_households(&session),
        brute_force_households(&session)
    );
}

#[test]
fn the_demo_plan_has_its_planted_uncovered_corner_and_cut_buildings() {
    let session = Session::open(&sample_plan("nanchang-demo")).expect("demo opens");
    assert!(session.tallies().unassigned().residential_buildings > 0);
    let planted =
        &session.settings().other_members["generator"]["planted"]["community.cuts_building"];
    let cut_ids: Vec<&str> = planted
        .as_array()
        .expect("planted cuts")
        .iter()
        .filter_map(|id| id.as_str())
        .collect();
    assert_eq!(cut_ids.len(), 2);
    let cut_by = |id: &str| {
        let key = session.plan().key_of(id).expect("planted community exists");
        session.tallies().of(key).cut_buildings.len()
    };
    for id in cut_ids {
        assert!(cut_by(id) > 0, "{id} cuts nothing");
    }
    assert_eq!(cut_by("SQ0090"), 0);
}

fn rectangle(centre: Coord<f64>, half_width: f64, half_height: f64) -> MultiPolygon<f64> {
    let (x0, y0, x1, y1) = (
        centre.x - half_width,
        centre.y - half_height,
        centre.x + half_width,
        centre.y + half_height,
    );
    MultiPolygon::new(vec![Polygon::new(
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
        vec![],
    )])
}

/// One random change to a plan.
#[derive(Debug, Clone)]
enum Change {
    MoveVertex {
        community: usize,
        vertex: usize,
        dx: f64,
        dy: f64,
    },
    Replace {
        community: usize,
        half_width: f64,
        half_height: f64,
    },
    Remove {
        community: usize,
    },
    Add {
        x: f64,
        y: f64,
        half_width: f64,
        half_height: f64,
    },
}

fn change_strategy() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => (0usize..64, 0usize..64, -90.0f64..90.0, -90.0f64..90.0)
            .prop_map(|(community, vertex, dx, dy)| Change::MoveVertex { community, vertex, dx, dy }),
        2 => (0usize..64, 50.0f64..400.0, 50.0f64..400.0)
            .prop_map(|(community, half_width, half_height)| Change::Replace { community, half_width, half_height }),
        1 => (0usize..64).prop_map(|community| Change::Remove { community }),
        1 => (-1500.0f64..1500.0, -1500.0f64..1500.0, 50.0f64..400.0, 50.0f64..400.0)
            .prop_map(|(x, y, half_width, half_height)| Change::Add { x, y, half_width, half_height }),
    ]
}

/// Applies `change` to the plan directly; returns the keys it touched.
fn apply(plan: &mut Plan, change: &Change) -> Vec<CommunityKey> {
    let keys = plan.keys();
    let pick = |index: usize| keys.get(index % keys.len().max(1)).copied();
    match *change {
        Change::MoveVertex {
            community,
            vertex,
            dx,
            dy,
        } => {
            let Some(key) = pick(community) else {
                return Vec::new();
            };
            let Some(found) = plan.community_mut(key) else {
                return Vec::new();
            };
            let Some(polygon) = found.boundary.0.first_mut() else {
                return Vec::new();
            };
            polygon.exterior_mut(|ring| {
                let count = ring.0.len() - 1;
                let position = vertex % count;
                ring.0[position].x += dx;
                ring.0[position].y += dy;
                if position == 0 {
                    ring.0[count] = ring.0[0];
                }
            });
            vec![key]
        }
        Change::Replace {
            community,
            half_width,
            half_height,
        } => {
            let Some(key) = pick(community) else {
                return Vec::new();
            };
            let Some(found) = plan.community_mut(key) else {
                return Vec::new();
            };
            let centre = found.boundary.0[0].exterior().0[0];
            found.boundary = rectangle(centre, half_width, half_height);
            vec![key]
        }
        Change::Remove { community } => {
            let Some(key) = pick(community) else {
                return Vec::new();
            };
            plan.remove(key);
            vec![key]
        }
        Change::Add {
            x,
            y,
            half_width,
            half_height,
        } => {
            let key = plan.insert(Community::new(
                format!("new{}", plan.slot_count()),
                "新社区",
                CommunityType::Geographic,
                rectangle(Coord { x, y }, half_width, half_height),
            ));
            vec![key]
        }
    }
}

#[test]
fn after_random_changes_the_incremental_tally_and_violations_equal_a_full_recomputation() {
    let folder = tempfile::tempdir().expect("temp dir");
    generate_city(
        &CityOptions {
            buildings: 3000,
            communities: Some(30),
            seed: 11,
            plant_violations: true,
            households_for_all: false,
        },
        folder.path(),
    )
    .expect("generates");
    let original = Session::open(&folder.path().join("plan.shequ.geojson")).expect("opens");
    let mut runner = TestRunner::new(Config {
        cases: support::proptest_cases(24),
        rng_seed: RngSeed::Fixed(2002),
        ..Config::default()
    });
    runner
        .run(
            &proptest::collection::vec(change_strategy(), 1..40),
            |changes| {
                let mut session = original.clone();
                for change in &changes {
                    session.change_plan_directly(|plan| apply(plan, change));
                    let full = Tallies::full(
                        session.plan(),
                        &session.layers().buildings,
                        session.building_index(),
                        session.profile().geometry.cut_tolerance_m2,
                    );
                    prop_assert_eq!(session.tallies(), &full, "after {:?}", change);
                    let all_rules = RuleResults::full(&session.rule_context());
                    let incremental: Vec<_> = session.rules().iter().collect();
                    let recomputed: Vec<_> = all_rules.iter().collect();
                    prop_assert_eq!(incremental, recomputed, "violations after {:?}", change);
                }
                Ok(())
            },
        )
        .expect("incremental equals full");
}

/// Households per community and the violations (rule, ids, message) of a session.
fn outcome(session: &Session) -> (Vec<(String, u64)>, Vec<String>) {
    let households = session
        .plan()
        .communities()
        .map(|(key, community)| (community.id.clone(), session.tallies().of(key).households))
        .collect();
    let mut violations: Vec<String> = session
        .rules()
        .iter()
        .map(|violation| format!("{:?} {}", violation.key(), violation.message_en))
        .collect();
    violations.sort();
    (households, violations)
}

#[test]
fn stray_buildings_far_away_and_a_shuffled_order_change_no_count_and_are_named_in_a_warning() {
    let folder = tempfile::tempdir().expect("temp dir");
    let demo = sample_plan("nanchang-demo");
    let demo_folder = demo.parent().expect("folder");
    for name in ["plan.shequ.geojson", "buildings.geojson", "streets.geojson"] {
        std::fs::copy(demo_folder.join(name), folder.path().join(name)).expect("copy");
    }
    let plan = folder.path().join("plan.shequ.geojson");
    let expected = outcome(&Session::open(&plan).expect("demo opens"));

    let buildings_path = folder.path().join("buildings.geojson");
    let mut layer: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&buildings_path).expect("read"))
            .expect("json");
    let features = layer["features"].as_array_mut().expect("features");
    let mut random = proptest::test_runner::TestRng::deterministic_rng(
        proptest::test_runner::RngAlgorithm::ChaCha,
    );
    for index in (1..features.len()).rev() {
        features.swap(index, (random.next_u64() % (index as u64 + 1)) as usize);
    }
    // A building at 0, 0 (a classic export error), one with longitude and latitude swapped, and
    // one on another continent, all in front, where they used to decide the projection.
    for (id, longitude, latitude) in [
        ("STRAY-NULL-ISLAND", 0.0, 0.0),
        ("STRAY-SWAPPED", 28.68, 115.9 - 90.0),
        ("STRAY-FAR", -70.0, 40.0),
    ] {
        let ring: Vec<[f64; 2]> = [(0.0, 0.0), (0.0002, 0.0), (0.0002, 0.0002), (0.0, 0.0)]
            .iter()
            .map(|(x, y)| [longitude + x, latitude + y])
            .collect();
        features.insert(
            0,
            serde_json::json!({
                "type": "Feature",
                "properties": {"id": id, "building": "residential", "households": 500},
                "geometry": {"type": "Polygon", "coordinates": [ring]}
            }),
        );
    }
    std::fs::write(&buildings_path, serde_json::to_vec(&layer).expect("json")).expect("write");

    let session = Session::open(&plan).expect("the shuffled layer opens");
    let found = outcome(&session);
    let different_households: Vec<_> = found
        .0
        .iter()
        .zip(&expected.0)
        .filter(|(found, expected)| found != expected)
        .collect();
    let only_found: Vec<_> = found.1.iter().filter(|v| !expected.1.contains(v)).collect();
    let only_expected: Vec<_> = expected.1.iter().filter(|v| !found.1.contains(v)).collect();
    assert!(
        different_households.is_empty() && only_found.is_empty() && only_expected.is_empty(),
        "households differ: {different_households:?}\nnew violations: {only_found:#?}\ngone violations: {only_expected:#?}"
    );
    let warning = session
        .warnings()
        .iter()
        .find(|warning| {
            warning
                .problem
                .contains("150 km from the rest of the layer")
        })
        .expect("the stray buildings are named in a warning");
    assert_eq!(warning.count, 3, "{warning}");
    for id in ["STRAY-NULL-ISLAND", "STRAY-SWAPPED", "STRAY-FAR"] {
        assert!(warning.to_string().contains(id), "{warning}");
    }
}

#[test]
fn the_building_under_a_point_is_the_smallest_footprint_containing_it() {
    use geo::{Area, Intersects};
    let session = Session::open(&sample_plan("porto")).expect("Porto opens");
    let buildings = &session.layers().buildings;
    let mut found = 0;
    for (index, building) in buildings.iter().enumerate().step_by(97) {
        let point = building.representative_point;
        let under = session
            .building_at(point)
            .expect("a building lies under its own point");
        let chosen = &buildings[under as usize];
        assert!(chosen.footprint.intersects(&point));
        assert!(
            chosen.footprint.unsigned_area() <= building.footprint.unsigned_area(),
            "building {index}: the smallest footprint under the point is chosen"
        );
        found += 1;
    }
    assert!(found > 50);
    let far = geo::Coord { x: 1.0e7, y: 1.0e7 };
    assert_eq!(session.building_at(far), None);
}
