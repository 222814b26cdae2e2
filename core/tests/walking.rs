//! Walking distances to the committee office along the streets, on hand-made worlds: the figures,
//! the rule, placing and moving the office as an undoable step, the office kept through save and
//! reopen, and a street network in pieces.

mod support;

use serde_json::json;
use shequ_core::Session;
use shequ_core::edit::Command;
use shequ_core::ids::CommunityKey;
use support::{World, found, key_named, lon_lat, rectangle};

const RULE: &str = "community.walking_distance";

/// A 1,200 m long community along one street (y = 50), with four houses of 100 households 10 m
/// north of it at x = 300, 500, 700 and 900, and its office 10 m south of the street at x = 100.
fn street_community(office_x: f64) -> World {
    World::new()
        .street((0.0, 50.0), (600.0, 50.0))
        .street((600.0, 50.0), (1200.0, 50.0))
        .house("B1", 300.0, 60.0, 100)
        .house("B2", 500.0, 60.0, 100)
        .house("B3", 700.0, 60.0, 100)
        .house("B4", 900.0, 60.0, 100)
        .community_with(
            json!({"id": "SQ1", "name": "沿街社区", "type": "geographic",
                   "office": lon_lat(office_x, 40.0)}),
            rectangle(0.0, 0.0, 1200.0, 100.0),
        )
}

fn walking_key(session: &Session) -> CommunityKey {
    key_named(session, "沿街社区")
}

#[test]
fn households_within_each_distance_are_counted_along_the_street_from_the_office() {
    let (_folder, session) = street_community(100.0).open();
    let walking = session
        .rules()
        .walking_of(walking_key(&session))
        .expect("the community has an office");
    // 10 m to the street, along it, 10 m to the door: 220, 420, 620 and 820 m.
    assert_eq!(walking.households, 400);
    assert_eq!(
        walking.within,
        vec![(300.0, 100), (500.0, 200), (1000.0, 400)]
    );
    let (farthest, metres) = walking.farthest.expect("a farthest building");
    assert_eq!(
        &*session.layers().buildings[farthest as usize].source_id,
        "B4"
    );
    // The world's degrees are a little off the projection's metres (under 0.1 %).
    assert!((metres - 820.0).abs() < 1.0, "{metres}");
    assert!(!walking.office_outside);
    assert!(walking.unreachable.is_empty());
    // Half of the households within 500 m, under the profile's 80 %: a warning.
    assert_eq!(
        found(&session, RULE),
        vec![("warning".to_owned(), vec!["SQ1".to_owned()])]
    );
}

#[test]
fn moving_the_office_to_the_middle_clears_the_warning_and_undo_brings_it_back() {
    let (_folder, mut session) = street_community(100.0).open();
    let key = walking_key(&session);
    let mut properties = session
        .plan()
        .community(key)
        .expect("present")
        .properties
        .clone();
    let centre = session
        .plan()
        .community(key)
        .expect("present")
        .properties
        .office;
    properties.office = centre.map(|point| geo::Coord {
        x: point.x + 500.0,
        ..point
    });
    session
        .execute(Command::SetProperties {
            key,
            properties: Box::new(properties),
        })
        .expect("the office moves");
    let walking = session.rules().walking_of(key).expect("figures");
    // 320, 120, 120 and 320 m.
    assert_eq!(
        walking.within,
        vec![(300.0, 200), (500.0, 400), (1000.0, 400)]
    );
    assert!(found(&session, RULE).is_empty());
    assert!(session.undo().expect("undoes"));
    assert_eq!(found(&session, RULE).len(), 1);
}

#[test]
fn the_office_survives_save_and_reopen_to_the_centimetre() {
    let (folder, session) = street_community(100.0).open();
    let key = walking_key(&session);
    let before = session
        .plan()
        .community(key)
        .expect("present")
        .properties
        .office;
    let path = folder.path().join("saved.shequ.geojson");
    let mut session = session;
    session.save_as(&path).expect("saves");
    let text = std::fs::read_to_string(&path).expect("reads");
    assert!(
        text.contains("\"office\":["),
        "written as [longitude, latitude]"
    );
    let reopened = Session::open(&path).expect("reopens");
    let after = reopened
        .plan()
        .community(walking_key(&reopened))
        .expect("present")
        .properties
        .office;
    let (before, after) = (before.expect("present"), after.expect("present"));
    assert!((before.x - after.x).hypot(before.y - after.y) < 0.02);
    assert_eq!(found(&reopened, RULE).len(), 1);
}

#[test]
fn a_street_network_in_pieces_names_the_buildings_that_cannot_reach_the_office() {
    // A lane of its own in the community's north-west corner, joined to no other street; B0
    // beside it reaches the office only across the block, which nobody can walk.
    let (_folder, session) = street_community(600.0)
        .street((0.0, 95.0), (60.0, 95.0))
        .house("B0", 30.0, 88.0, 100)
        .open();
    let walking = session
        .rules()
        .walking_of(walking_key(&session))
        .expect("figures");
    assert_eq!(walking.unreachable.len(), 1);
    assert_eq!(walking.unreachable_households, 100);
    let unreachable: Vec<_> = session
        .rules()
        .iter()
        .filter(|violation| violation.rule == RULE && violation.case == "unreachable")
        .collect();
    assert_eq!(unreachable.len(), 1);
    assert_eq!(unreachable[0].buildings, vec!["B0".to_owned()]);
    assert!(
        unreachable[0].message_en.contains("2 unconnected pieces"),
        "{}",
        unreachable[0].message_en
    );
}

#[test]
fn an_office_outside_its_community_is_reported() {
    let (_folder, session) = street_community(-50.0).open();
    let cases: Vec<_> = session
        .rules()
        .iter()
        .filter(|violation| violation.rule == RULE)
        .map(|violation| violation.case)
        .collect();
    assert!(cases.contains(&"office_outside"), "{cases:?}");
}

#[test]
fn a_plan_without_offices_has_no_walking_figures() {
    let (_folder, session) = World::new()
        .street((0.0, 50.0), (600.0, 50.0))
        .house("B1", 300.0, 60.0, 100)
        .community("SQ1", "geographic", (0.0, 0.0, 600.0, 100.0))
        .open();
    let key = key_named(&session, "SQ1社区");
    assert!(session.rules().walking_of(key).is_none());
    assert!(found(&session, RULE).is_empty());
}

#[test]
fn an_office_that_is_not_a_point_is_refused_naming_the_feature() {
    let (_folder, opened) = World::new()
        .house("B1", 300.0, 60.0, 100)
        .community_with(
            json!({"id": "SQ9", "name": "坏点社区", "type": "geographic", "office": "north gate"}),
            rectangle(0.0, 0.0, 600.0, 100.0),
        )
        .try_open();
    let Err(error) = opened else {
        panic!("an office that is not a point is refused");
    };
    let message = error.to_string();
    assert!(message.contains("SQ9"), "{message}");
    assert!(message.contains("office"), "{message}");
    assert!(message.contains("north gate"), "{message}");
}

#[test]
fn the_fix_moves_the_office_to_where_most_households_are_within_walking_distance() {
    let (_folder, mut session) = street_community(100.0).open();
    let key = walking_key(&session);
    let violation = session
        .rules()
        .iter()
        .find(|violation| violation.rule == RULE)
        .expect("the warning")
        .key();
    let fixes = shequ_core::fixes::fixes_for(&session, &violation).expect("a fix");
    let best = fixes[0].clone();
    assert!(best.outcome.removed.contains(&violation), "{best:?}");
    assert_eq!(best.outcome.added_errors, 0);
    let plan = session.plan().clone();
    session.execute(best.command).expect("applies");
    let walking = session.rules().walking_of(key).expect("figures");
    assert_eq!(
        walking.within_rule_distance, 400,
        "every house within 500 m"
    );
    assert!(!walking.office_outside);
    assert!(found(&session, RULE).is_empty());
    assert!(session.undo().expect("undoes"));
    assert_eq!(session.plan(), &plan);
}

#[test]
fn a_network_in_pieces_is_not_fixed_by_moving_the_office_and_says_why() {
    let (_folder, session) = street_community(600.0)
        .street((0.0, 95.0), (60.0, 95.0))
        .house("B0", 30.0, 88.0, 100)
        .open();
    let unreachable = session
        .rules()
        .iter()
        .find(|violation| violation.rule == RULE && violation.case == "unreachable")
        .expect("the warning")
        .key();
    assert_eq!(
        shequ_core::fixes::fixes_for(&session, &unreachable).err(),
        Some(shequ_core::fixes::NoFix::NotForThisRule)
    );
}
