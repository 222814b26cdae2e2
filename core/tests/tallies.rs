//! Tallies through the R-tree equal a brute-force count, and after any seeded sequence of
//! boundary changes the incremental recount and re-check equal a full recount and re-check.

mod support;

use std::path::{Path, PathBuf};

use geo::{Contains, Coord, LineString, MultiPolygon, Polygon};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use serde_json::Map;
use shequ_core::Session;
use shequ_core::gen_city::{CityOptions, generate_city};
use shequ_core::ids::CommunityKey;
use shequ_core::plan::{Community, CommunityType};
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
        .plan
        .communities()
        .map(|(_, community)| {
            let households = session
                .layers
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
        .plan
        .communities()
        .map(|(key, community)| (community.id.clone(), session.tallies.of(key).households))
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
    assert!(session.tallies.unassigned().residential_buildings > 0);
    let planted =
        &session.settings.other_members["generator"]["planted"]["community.cuts_building"];
    let cut_ids: Vec<&str> = planted
        .as_array()
        .expect("planted cuts")
        .iter()
        .filter_map(|id| id.as_str())
        .collect();
    assert_eq!(cut_ids.len(), 2);
    let cut_by = |id: &str| {
        let key = session.plan.key_of(id).expect("planted community exists");
        session.tallies.of(key).cut_buildings.len()
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

/// Applies `change`; returns the keys it touched.
fn apply(session: &mut Session, change: &Change) -> Vec<CommunityKey> {
    let keys = session.plan.keys();
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
            let Some(found) = session.plan.community_mut(key) else {
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
            let Some(found) = session.plan.community_mut(key) else {
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
            session.plan.remove(key);
            vec![key]
        }
        Change::Add {
            x,
            y,
            half_width,
            half_height,
        } => {
            let key = session.plan.insert(Community {
                id: format!("new{}", session.plan.slot_count()),
                name: "新社区".into(),
                kind: CommunityType::Geographic,
                street_office: None,
                district: None,
                new_estate: false,
                old_town: false,
                locked: false,
                office_area_m2: None,
                service_area_m2: None,
                notes: String::new(),
                boundary: rectangle(Coord { x, y }, half_width, half_height),
                other_properties: Map::new(),
            });
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
                    let touched = apply(&mut session, change);
                    session.refresh(&touched);
                    let full = Tallies::full(
                        &session.plan,
                        &session.layers.buildings,
                        &session.building_index,
                        session.profile.geometry.cut_tolerance_m2,
                    );
                    prop_assert_eq!(&session.tallies, &full, "after {:?}", change);
                    let all_rules = RuleResults::full(&session.rule_context());
                    let incremental: Vec<_> = session.rules.iter().collect();
                    let recomputed: Vec<_> = all_rules.iter().collect();
                    prop_assert_eq!(incremental, recomputed, "violations after {:?}", change);
                }
                Ok(())
            },
        )
        .expect("incremental equals full");
}
