//! Automatic partition: on hand-made worlds and on the demo, the communities it makes are
//! contiguous, within the band where the households allow, follow the streets, keep every
//! household, keep locked and non-geographic communities as they are, and undo as one step.

mod support;

use std::collections::BTreeSet;

use serde_json::json;
use shequ_core::Session;
use shequ_core::partition::{PartitionError, Scope, partition};
use support::World;

/// Households of the buildings in some community (each once) plus those in none.
fn total_households(session: &Session) -> u64 {
    let counted: BTreeSet<u32> = session
        .plan()
        .communities()
        .flat_map(|(key, _)| session.tallies().of(key).members.iter().copied())
        .collect();
    counted
        .into_iter()
        .map(|building| u64::from(session.layers().buildings[building as usize].households))
        .sum::<u64>()
        + session.tallies().unassigned().households
}

/// A street office of 4 × 3 blocks of 100 m, each with a house of `households[row][column]`,
/// streets between them, drawn as two communities (west and east halves).
fn grid_world(households: [[u64; 4]; 3]) -> World {
    let mut world = World::new();
    for (row, line) in households.iter().enumerate() {
        for (column, &count) in line.iter().enumerate() {
            world = world.house(
                &format!("B{row}{column}"),
                column as f64 * 100.0 + 50.0,
                row as f64 * 100.0 + 50.0,
                count,
            );
        }
    }
    for x in [100.0, 200.0, 300.0] {
        world = world.street((x, -50.0), (x, 350.0));
    }
    for y in [100.0, 200.0] {
        world = world.street((-50.0, y), (450.0, y));
    }
    let community = |id: &str, x0: f64, x1: f64| {
        (
            json!({"id": id, "name": format!("{id}社区"), "type": "geographic", "street_office": "东街道"}),
            support::rectangle(x0, 0.0, x1, 300.0),
        )
    };
    let (west, west_ring) = community("SQ01", 0.0, 200.0);
    let (east, east_ring) = community("SQ02", 200.0, 400.0);
    world
        .community_with(west, west_ring)
        .community_with(east, east_ring)
}

#[test]
fn a_street_office_is_redrawn_as_communities_within_the_band_on_its_streets() {
    // 12 blocks of 500 households: 6,000 in all, four communities of 1,500 each.
    let (_folder, mut session) = grid_world([[500; 4]; 3]).open();
    let households = total_households(&session);
    let plan = session.plan().clone();
    let made =
        partition(&session, &Scope::StreetOffice("东街道".to_owned()), 7).expect("a partition");
    let report = &made.report;
    assert_eq!(report.communities_before, 2);
    assert_eq!(report.communities.len(), 4, "{report:#?}");
    assert!(
        report
            .communities
            .iter()
            .all(|community| community.households == 1500 && community.within_band),
        "{report:#?}"
    );
    assert!((report.share_within_band - 1.0).abs() < 1e-9);
    assert!(report.share_on_streets > 0.45, "{report:#?}");
    assert_eq!(report.households, 6000);
    // Each old community (3,000) is shared among new ones holding half or less: none is
    // mostly covered, so none keeps its id.
    assert!(report.communities.iter().all(|community| !community.reused));
    session.execute(made.command).expect("applies");
    assert_eq!(total_households(&session), households);
    for rule in [
        "community.households",
        "community.contiguous",
        "community.cuts_building",
        "plan.overlap",
        "plan.uncovered",
    ] {
        assert!(support::found(&session, rule).is_empty(), "{rule}");
    }
    assert!(session.undo().expect("undoes"));
    assert_eq!(session.plan(), &plan, "one undo step");
}

#[test]
fn a_new_community_that_holds_most_of_an_old_one_keeps_its_id_name_and_attributes() {
    let (_folder, session) = World::new()
        .house("B1", 50.0, 50.0, 1500)
        .house("B2", 250.0, 50.0, 1200)
        .community_with(
            json!({"id": "SQ1", "name": "东湖社区", "type": "geographic", "street_office": "东街道", "notes": "老城"}),
            support::rectangle(0.0, 0.0, 100.0, 100.0),
        )
        .community_with(
            json!({"id": "SQ2", "name": "西湖社区", "type": "geographic", "street_office": "西街道"}),
            support::rectangle(200.0, 0.0, 300.0, 100.0),
        )
        .open();
    let made = partition(&session, &Scope::All, 3).expect("a partition");
    let names: Vec<(&str, &str, bool)> = made
        .report
        .communities
        .iter()
        .map(|community| {
            (
                community.id.as_str(),
                community.name.as_str(),
                community.reused,
            )
        })
        .collect();
    assert_eq!(
        names,
        [("SQ1", "东湖社区", true), ("SQ2", "西湖社区", true)]
    );
    assert_eq!(made.report.households_moved, 0);
}

#[test]
fn the_same_seed_gives_the_same_partition() {
    let (_folder, session) =
        grid_world([[300, 700, 400, 600], [500; 4], [800, 200, 500, 500]]).open();
    let scope = Scope::StreetOffice("东街道".to_owned());
    let first = partition(&session, &scope, 42).expect("a partition");
    let again = partition(&session, &scope, 42).expect("a partition");
    assert_eq!(first.command, again.command);
    assert_eq!(first.report, again.report);
}

#[test]
fn locked_and_non_geographic_communities_are_kept_and_an_unknown_street_office_is_named() {
    let (_folder, session) = World::new()
        .house("B1", 50.0, 50.0, 1500)
        .house("B2", 150.0, 50.0, 1500)
        .community_with(
            json!({"id": "SQ1", "type": "geographic", "street_office": "东街道", "locked": true}),
            support::rectangle(0.0, 0.0, 100.0, 100.0),
        )
        .community_with(
            json!({"id": "SQ2", "type": "work_unit", "street_office": "东街道"}),
            support::rectangle(100.0, 0.0, 200.0, 100.0),
        )
        .open();
    assert_eq!(
        partition(&session, &Scope::StreetOffice("东街道".to_owned()), 1).map(|made| made.report),
        Err(PartitionError::NothingToPartition)
    );
    match partition(&session, &Scope::StreetOffice("西街道".to_owned()), 1) {
        Err(error @ PartitionError::NoSuchStreetOffice { .. }) => {
            assert!(error.to_string().contains("东街道"), "{error}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn partitioning_the_demo_leaves_every_community_it_makes_within_the_band_and_keeps_every_household()
{
    let mut session = support::demo();
    let households = total_households(&session);
    let made = partition(&session, &Scope::All, 1).expect("a partition");
    let report = made.report.clone();
    assert!((report.share_within_band - 1.0).abs() < 1e-9, "{report:#?}");
    assert!(report.share_on_streets > 0.9, "{report:#?}");
    assert!(report.mean_polsby_popper > 0.5, "{report:#?}");
    let kept: Vec<(String, geo::MultiPolygon<f64>)> = report
        .kept
        .iter()
        .map(|id| {
            let key = session.plan().key_of(id).expect("there");
            (
                id.clone(),
                session
                    .plan()
                    .community(key)
                    .expect("there")
                    .boundary
                    .clone(),
            )
        })
        .collect();
    session.execute(made.command).expect("applies");
    assert_eq!(total_households(&session), households);
    for (id, boundary) in kept {
        let key = session.plan().key_of(&id).expect("kept");
        assert_eq!(
            session.plan().community(key).expect("kept").boundary,
            boundary
        );
    }
    // No error left on a community the partition made that a partition could solve.
    let made_ids: BTreeSet<&str> = report
        .communities
        .iter()
        .map(|made| made.id.as_str())
        .collect();
    for violation in session.rules().iter() {
        let on_made = violation
            .communities
            .iter()
            .any(|id| made_ids.contains(id.as_str()));
        if on_made && violation.severity == shequ_core::violation::Severity::Error {
            assert!(
                violation.rule == "community.crosses_street_office",
                "{}: {}",
                violation.rule,
                violation.message_en
            );
        }
    }
}
