//! Comparing two plans building by building: households are conserved across transfers, a merge
//! is one transfer, and plans over different buildings are paired by id or refused.

mod support;

use std::path::Path;

use serde_json::json;
use shequ_core::Session;
use shequ_core::compare::{
    BuildingMatch, ChangeStatus, CompareError, compare, compare_and_moved, moved_buildings,
    transfer_buildings,
};
use shequ_core::edit::Command;
use support::{World, demo, key_named};

fn residential_households(session: &Session) -> u64 {
    session
        .layers()
        .buildings
        .iter()
        .filter(|building| building.residential)
        .map(|building| u64::from(building.households))
        .sum()
}

#[test]
fn a_plan_compared_with_itself_has_only_diagonal_transfers_and_no_change() {
    let plan = demo();
    let comparison = compare(&plan, &plan).expect("compares");
    assert_eq!(comparison.buildings_matched, BuildingMatch::SameLayer);
    assert!(
        comparison
            .communities
            .iter()
            .all(|community| community.status == ChangeStatus::Unchanged
                && community.boundary_change_m == 0.0)
    );
    assert!(
        comparison
            .transfers
            .iter()
            .all(|transfer| transfer.from == transfer.to)
    );
    assert!(comparison.violations_fixed.is_empty() && comparison.violations_new.is_empty());
}

#[test]
fn a_merge_is_exactly_one_transfer_of_the_absorbed_communitys_households() {
    let before = demo();
    let mut after = demo();
    let survivor = key_named(&after, "李家庄社区");
    let absorbed = key_named(&after, "新祺周社区");
    let absorbed_households = before.tallies().of(absorbed).households;
    let absorbed_id = before
        .plan()
        .community(absorbed)
        .expect("there")
        .id
        .to_string();
    let survivor_id = before
        .plan()
        .community(survivor)
        .expect("there")
        .id
        .to_string();
    after
        .execute(Command::Merge {
            keys: vec![survivor, absorbed],
            allow_several_parts: false,
        })
        .expect("merges");
    let comparison = compare(&before, &after).expect("compares");
    let moves: Vec<_> = comparison
        .transfers
        .iter()
        .filter(|transfer| transfer.from != transfer.to)
        .collect();
    assert_eq!(moves.len(), 1, "{moves:?}");
    assert_eq!(moves[0].from.as_deref(), Some(absorbed_id.as_str()));
    assert_eq!(moves[0].to.as_deref(), Some(survivor_id.as_str()));
    assert_eq!(moves[0].households, absorbed_households);
    let status_of = |id: &str| {
        comparison
            .communities
            .iter()
            .find(|community| community.id == id)
            .map(|community| community.status)
    };
    assert_eq!(status_of(&absorbed_id), Some(ChangeStatus::Removed));
    assert_eq!(status_of(&survivor_id), Some(ChangeStatus::Changed));
}

#[test]
fn households_are_conserved_across_transfers_after_a_split() {
    let before = demo();
    let mut after = demo();
    let key = key_named(&after, "建新社区");
    let bounds =
        geo::BoundingRect::bounding_rect(&after.plan().community(key).expect("there").boundary)
            .expect("bounded");
    let middle = bounds.center().x;
    after
        .execute(Command::Split {
            key,
            line: geo::LineString::from(vec![
                (middle, bounds.min().y - 10.0),
                (middle, bounds.max().y + 10.0),
            ]),
        })
        .expect("splits");
    let comparison = compare(&before, &after).expect("compares");
    let total: u64 = comparison
        .transfers
        .iter()
        .map(|transfer| transfer.households)
        .sum();
    assert_eq!(total, residential_households(&before));
    assert_eq!(total, residential_households(&after));
    // The new half received households only from the split community.
    let new_half = comparison
        .communities
        .iter()
        .find(|community| community.status == ChangeStatus::New)
        .expect("the split made a community");
    let split_id = before.plan().community(key).expect("there").id.to_string();
    for transfer in &comparison.transfers {
        if transfer.to.as_deref() == Some(new_half.id.as_str()) {
            assert_eq!(transfer.from.as_deref(), Some(split_id.as_str()));
            assert_eq!(transfer.households, new_half.households_after);
        }
    }
}

/// Two houses in one community, in a plan of its own.
fn small_world(first_id: &str, second_id: &str) -> (tempfile::TempDir, Session) {
    World::new()
        .house(first_id, 20.0, 20.0, 30)
        .house(second_id, 60.0, 20.0, 40)
        .community("SQ1", "geographic", (0.0, 0.0, 100.0, 50.0))
        .setting("title", json!("small"))
        .open()
}

#[test]
fn plans_over_different_buildings_are_paired_by_id_or_refused_without_unique_ids() {
    let (_first_folder, before) = small_world("B1", "B2");
    let (_second_folder, after) = small_world("B2", "B3");
    let comparison = compare(&before, &after).expect("paired by id");
    assert_eq!(comparison.buildings_matched, BuildingMatch::ById);
    assert_eq!(
        (
            comparison.buildings_only_before,
            comparison.buildings_only_after
        ),
        (1, 1)
    );
    let (_third_folder, without_unique_ids) = small_world("B1", "B1");
    let refused = compare(&without_unique_ids, &after).expect_err("refused");
    assert!(matches!(refused, CompareError::DifferentBuildings { .. }));
    assert!(refused.to_string().contains("id"), "{refused}");
}

#[test]
fn a_plan_opened_beside_another_over_the_same_layers_shares_them_and_compares_the_same() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sample_data/nanchang-demo/plan.shequ.geojson");
    let before = demo();
    let beside = Session::open_beside(&path, &before.shared_layers(), Default::default())
        .expect("opens beside");
    assert!(
        std::ptr::eq(before.layers(), beside.layers()),
        "the same layers are held once"
    );
    assert!(std::ptr::eq(
        before.building_index(),
        beside.building_index()
    ));
    let alone = demo();
    assert_eq!(
        compare(&before, &beside).expect("compares"),
        compare(&before, &alone).expect("compares")
    );
    assert_eq!(beside.plan_path(), Some(path.as_path()));
    assert_eq!(beside.violations().len(), alone.violations().len());
}

#[test]
fn a_plan_opened_beside_one_over_other_layers_reads_its_own() {
    let (_folder, first) = small_world("A-1", "A-2");
    let (other_folder, _second) = small_world("B-1", "B-2");
    let other_plan = other_folder.path().join("plan.shequ.geojson");
    let beside = Session::open_beside(&other_plan, &first.shared_layers(), Default::default())
        .expect("opens");
    assert!(!std::ptr::eq(first.layers(), beside.layers()));
    assert_eq!(beside.layers().buildings[0].source_id.as_ref(), "B-1");
}

#[test]
fn a_session_with_another_plan_counts_it_over_the_same_layers() {
    let mut session = demo();
    let opened = session.plan().clone();
    let survivor = key_named(&session, "李家庄社区");
    let absorbed = key_named(&session, "新祺周社区");
    session
        .execute(Command::Merge {
            keys: vec![survivor, absorbed],
            allow_several_parts: false,
        })
        .expect("merges");
    let as_opened = session.as_opened();
    assert_eq!(as_opened.plan(), &opened);
    assert!(std::ptr::eq(session.layers(), as_opened.layers()));
    let comparison = compare(&as_opened, &session).expect("compares");
    let moved: Vec<_> = comparison
        .transfers
        .iter()
        .filter(|transfer| transfer.from != transfer.to)
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(
        as_opened.tallies().of(absorbed).households,
        moved[0].households
    );
    // The buildings that moved are exactly the absorbed community's, and they are the
    // transfer's.
    let mut absorbed_members = as_opened.tallies().of(absorbed).members.clone();
    absorbed_members.sort_unstable();
    let moved_buildings = moved_buildings(&as_opened, &session).expect("paired");
    assert_eq!(moved_buildings, absorbed_members);
    let transfer = transfer_buildings(
        &as_opened,
        &session,
        moved[0].from.as_deref(),
        moved[0].to.as_deref(),
    )
    .expect("paired");
    assert_eq!(transfer, moved_buildings);
    assert_eq!(transfer.len() as u32, moved[0].buildings);
    assert_eq!(
        compare_and_moved(&as_opened, &session).expect("compares"),
        (comparison.clone(), moved_buildings)
    );
}
