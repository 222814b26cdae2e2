//! Fixes on violations, each proved on a hand-made world: the violation is gone after it, no
//! error is added, households are conserved, and undo restores the plan.

mod support;

use shequ_core::Session;
use shequ_core::fixes::{NoFix, fixes_for};
use shequ_core::violation::ViolationKey;
use support::World;

fn key_of(session: &Session, rule: &str, community: &str) -> ViolationKey {
    session
        .rules()
        .iter()
        .find(|violation| {
            violation.rule == rule && violation.communities.iter().any(|id| id == community)
        })
        .unwrap_or_else(|| panic!("{rule} for {community} is in the plan"))
        .key()
}

/// Households in communities plus those in none: what no fix may change.
fn total_households(session: &Session) -> u64 {
    session
        .plan()
        .communities()
        .map(|(key, _)| session.tallies().of(key).households)
        .sum::<u64>()
        + session.tallies().unassigned().households
}

/// The best fix applied: its violation gone, no error added, households kept, and undone.
fn best_fix_works(session: &mut Session, key: &ViolationKey) -> shequ_core::fixes::Fix {
    let fixes = fixes_for(session, key).expect("a fix applies");
    let best = fixes[0].clone();
    assert!(best.outcome.removed.contains(key), "{best:?}");
    assert_eq!(best.outcome.added_errors, 0, "{best:?}");
    let (plan, households) = (session.plan().clone(), total_households(session));
    session.execute(best.command.clone()).expect("applies");
    assert!(
        !session
            .rules()
            .iter()
            .any(|violation| violation.key() == *key),
        "the violation is gone"
    );
    assert_eq!(total_households(session), households);
    assert!(session.undo().expect("undoes"));
    assert_eq!(session.plan(), &plan, "undo restores the plan");
    best
}

#[test]
fn an_empty_community_is_deleted() {
    let (_folder, mut session) = World::new()
        .house("B1", 20.0, 20.0, 1500)
        .community("SQ1", "geographic", (0.0, 0.0, 100.0, 100.0))
        .community("SQ2", "geographic", (100.0, 0.0, 200.0, 100.0))
        .open();
    let key = key_of(&session, "community.empty", "SQ2");
    let fix = best_fix_works(&mut session, &key);
    assert!(
        fix.describe(shequ_core::lang::Language::English)
            .contains("delete")
    );
}

#[test]
fn a_community_below_its_band_is_merged_with_the_neighbour_that_brings_it_within() {
    // SQ2 has 600 households: with SQ1 (900) it makes 1,500, within 1,000–2,000; with SQ3
    // (1,800) it would make 2,400, above the band, so that merge is not offered.
    let (_folder, mut session) = World::new()
        .house("B1", 50.0, 50.0, 900)
        .house("B2", 150.0, 50.0, 600)
        .house("B3", 250.0, 50.0, 1800)
        .community("SQ1", "geographic", (0.0, 0.0, 100.0, 100.0))
        .community("SQ2", "geographic", (100.0, 0.0, 200.0, 100.0))
        .community("SQ3", "geographic", (200.0, 0.0, 300.0, 100.0))
        .open();
    let key = key_of(&session, "community.households", "SQ2");
    let fixes = fixes_for(&session, &key).expect("a fix applies");
    assert_eq!(fixes.len(), 1, "only the merge within the band: {fixes:?}");
    let fix = best_fix_works(&mut session, &key);
    let figures: Vec<(&str, Option<u64>, Option<u64>)> = fix
        .outcome
        .communities
        .iter()
        .map(|community| {
            (
                community.id.as_str(),
                community.households_before,
                community.households_after,
            )
        })
        .collect();
    assert_eq!(
        figures,
        [("SQ1", Some(900), Some(1500)), ("SQ2", Some(600), None)]
    );
}

#[test]
fn residential_buildings_in_no_community_go_to_the_neighbour_that_stays_within_its_band() {
    // Two houses just east of SQ1 (900): given to it, SQ1 has 1,400, within the band.
    let (_folder, mut session) = World::new()
        .house("B1", 50.0, 50.0, 900)
        .house("B2", 130.0, 40.0, 300)
        .house("B3", 130.0, 70.0, 200)
        .community("SQ1", "geographic", (0.0, 0.0, 100.0, 100.0))
        .open();
    let key = session
        .rules()
        .iter()
        .find(|violation| violation.rule == "plan.uncovered")
        .expect("B2 and B3 are in no community")
        .key();
    let fix = best_fix_works(&mut session, &key);
    assert_eq!(
        fix.outcome.communities[0].households_after,
        Some(1400),
        "{fix:?}"
    );
}

#[test]
fn a_violation_without_a_fix_says_a_planner_decides() {
    let (_folder, session) = World::new()
        .house("B1", 20.0, 50.0, 1200)
        .house("B2", 130.0, 50.0, 1300)
        .community("SQ1", "geographic", (0.0, 0.0, 100.0, 100.0))
        .community("SQ2", "geographic", (60.0, 0.0, 160.0, 100.0))
        .open();
    // Two communities overlapping: no automatic fix.
    let overlap = session
        .rules()
        .iter()
        .find(|violation| violation.rule == "plan.overlap")
        .expect("SQ1 and SQ2 overlap")
        .key();
    assert_eq!(fixes_for(&session, &overlap), Err(NoFix::NotForThisRule));
    let gone = ViolationKey {
        rule: "community.households".to_owned(),
        case: String::new(),
        subjects: vec!["SQ9".to_owned()],
    };
    assert_eq!(fixes_for(&session, &gone), Err(NoFix::NotFound));
}

#[test]
fn fixing_the_demo_in_turn_leaves_no_error_a_fix_can_solve_and_keeps_every_household() {
    let mut session = support::demo();
    let households = total_households(&session);
    let report = shequ_core::fixes::fix_in_turn(&mut session, |_| true);
    assert!(
        !report.applied.is_empty(),
        "the demo has fixable violations"
    );
    assert_eq!(total_households(&session), households);
    // Every error still in the plan is listed as left, and none of them has a fix now.
    for checked in session.violations() {
        if checked.accepted.is_none() {
            let key = checked.violation.key();
            assert!(
                report.left.iter().any(|left| left.violation == key),
                "{key:?} listed"
            );
            if let Ok(fixes) = fixes_for(&session, &key) {
                assert!(
                    fixes.iter().all(|fix| fix.outcome.added_errors > 0),
                    "{key:?} had a fix that adds no error"
                );
            }
        }
    }
    assert_eq!(session.history().undo_depth(), report.applied.len());
    assert_eq!(session.log().len(), report.applied.len());
}

#[test]
fn a_community_above_its_band_is_left_for_the_split_tool() {
    let (_folder, session) = World::new()
        .house("B1", 50.0, 50.0, 2500)
        .community("SQ1", "geographic", (0.0, 0.0, 100.0, 100.0))
        .open();
    let key = key_of(&session, "community.households", "SQ1");
    assert_eq!(fixes_for(&session, &key), Err(NoFix::SplitByHand));
}
