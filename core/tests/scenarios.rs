//! Scenarios (方案): alternative community sets in one plan file, each with its own undo
//! history, switched, compared, saved and reopened; older files open as one scenario and are
//! written back as they were.

mod support;

use shequ_core::Session;
use shequ_core::compare::compare;
use shequ_core::edit::Command;
use shequ_core::session::{DEFAULT_SCENARIO_NAME, ScenarioError};
use support::demo_copy;

fn households(session: &Session, id: &str) -> u64 {
    session
        .tallies()
        .of(session.plan().key_of(id).expect("the community is there"))
        .households
}

fn merge(session: &mut Session, survivor: &str, absorbed: &str) {
    let keys = vec![
        session.plan().key_of(survivor).expect("there"),
        session.plan().key_of(absorbed).expect("there"),
    ];
    session
        .execute(Command::Merge {
            keys,
            allow_several_parts: false,
        })
        .expect("merges");
}

#[test]
fn an_older_plan_opens_as_one_scenario_and_is_written_back_without_scenario_members() {
    let (_folder, path) = demo_copy();
    let mut session = Session::open(&path).expect("opens");
    assert_eq!(session.scenario_names(), [DEFAULT_SCENARIO_NAME]);
    session.save_as(&path).expect("saves");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("reads")).expect("json");
    assert!(saved["shequ"].get("scenario").is_none());
    assert!(saved["shequ"].get("scenarios").is_none());
}

#[test]
fn each_scenario_keeps_its_communities_and_its_own_undo_history() {
    let (_folder, path) = demo_copy();
    let mut session = Session::open(&path).expect("opens");
    let (first, second) = (
        households(&session, "SQ0081"),
        households(&session, "SQ0082"),
    );
    session.create_scenario("合并方案").expect("creates");
    assert!(session.is_dirty(), "a new scenario is a change to the file");
    assert_eq!(session.scenario_name(), DEFAULT_SCENARIO_NAME);
    session.switch_scenario("合并方案").expect("switches");
    merge(&mut session, "SQ0081", "SQ0082");
    assert_eq!(households(&session, "SQ0081"), first + second);

    session
        .switch_scenario(DEFAULT_SCENARIO_NAME)
        .expect("switches back");
    assert_eq!(households(&session, "SQ0081"), first);
    assert_eq!(households(&session, "SQ0082"), second);
    assert_eq!(
        session.history().undo_depth(),
        0,
        "the merge is the other's"
    );
    assert!(!session.undo().expect("nothing to undo"));

    session.switch_scenario("合并方案").expect("switches");
    assert_eq!(session.history().undo_depth(), 1);
    assert!(session.undo().expect("undoes the merge"));
    assert_eq!(households(&session, "SQ0081"), first);
    assert!(session.redo().expect("redoes"));

    // The two scenarios compared: the merge is one transfer.
    let before = session
        .scenario_session(DEFAULT_SCENARIO_NAME)
        .expect("exists");
    let after = session.scenario_session("合并方案").expect("exists");
    let comparison = compare(&before, &after).expect("compares");
    let moved: Vec<_> = comparison
        .transfers
        .iter()
        .filter(|transfer| transfer.from != transfer.to)
        .collect();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].households, second);
}

#[test]
fn scenarios_survive_saving_and_reopening_with_their_unknown_members() {
    let (_folder, path) = demo_copy();
    let mut session = Session::open(&path).expect("opens");
    let second = households(&session, "SQ0082");
    session.create_scenario("合并方案").expect("creates");
    session.switch_scenario("合并方案").expect("switches");
    merge(&mut session, "SQ0081", "SQ0082");
    let merged = households(&session, "SQ0081");
    session
        .switch_scenario(DEFAULT_SCENARIO_NAME)
        .expect("switches back");
    session.save_as(&path).expect("saves");
    assert!(!session.is_dirty());

    // A newer version's member in a stored scenario is kept.
    let mut saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("reads")).expect("json");
    assert_eq!(saved["shequ"]["scenario"], DEFAULT_SCENARIO_NAME);
    assert_eq!(saved["shequ"]["scenarios"][0]["name"], "合并方案");
    saved["shequ"]["scenarios"][0]["colour"] = serde_json::json!("#88aaff");
    std::fs::write(&path, saved.to_string()).expect("writes");

    let mut reopened = Session::open(&path).expect("reopens");
    assert_eq!(
        reopened.scenario_names(),
        [DEFAULT_SCENARIO_NAME, "合并方案"]
    );
    assert_eq!(reopened.scenario_name(), DEFAULT_SCENARIO_NAME);
    assert!(reopened.plan().key_of("SQ0082").is_some());
    reopened.switch_scenario("合并方案").expect("switches");
    assert_eq!(households(&reopened, "SQ0081"), merged);
    assert!(reopened.plan().key_of("SQ0082").is_none());
    assert!(merged > second);
    reopened.save_as(&path).expect("saves again");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("reads")).expect("json");
    assert_eq!(
        saved["shequ"]["scenario"], "合并方案",
        "the active one is the file's features"
    );
    assert_eq!(
        saved["shequ"]["scenarios"][0]["name"],
        DEFAULT_SCENARIO_NAME
    );
    let reopened = Session::open(&path).expect("reopens");
    assert_eq!(reopened.scenario_name(), "合并方案");
    assert!(reopened.plan().key_of("SQ0082").is_none());
    // The scenario's unknown member came through both saves: kept beside the active
    // scenario's name while it is the file's features.
    assert_eq!(saved["shequ"]["scenario_members"]["colour"], "#88aaff");
}

#[test]
fn renaming_deleting_and_unknown_names_are_handled_and_explained() {
    let (_folder, path) = demo_copy();
    let mut session = Session::open(&path).expect("opens");
    session.create_scenario("乙").expect("creates");
    assert_eq!(
        session.create_scenario("乙"),
        Err(ScenarioError::NameTaken {
            name: "乙".to_owned()
        })
    );
    session.rename_scenario("乙", "丙").expect("renames");
    let unknown = session.switch_scenario("乙").expect_err("no such scenario");
    assert!(unknown.to_string().contains("丙"), "{unknown}");
    session.switch_scenario("丙").expect("switches");
    session
        .delete_scenario("丙")
        .expect("deletes the active one");
    assert_eq!(session.scenario_name(), DEFAULT_SCENARIO_NAME);
    assert!(matches!(
        session.delete_scenario(DEFAULT_SCENARIO_NAME),
        Err(ScenarioError::LastScenario { .. })
    ));
    let steps: Vec<&str> = session
        .log()
        .iter()
        .map(|entry| entry.step_en.as_str())
        .collect();
    assert_eq!(
        steps,
        ["new scenario", "rename scenario", "delete scenario"]
    );
}

#[test]
fn a_scenario_counted_on_its_first_switch_reuses_unchanged_tallies_and_equals_a_full_count() {
    let (_folder, path) = demo_copy();
    let mut session = Session::open(&path).expect("opens");
    session.create_scenario("合并方案").expect("creates");
    session.switch_scenario("合并方案").expect("switches");
    merge(&mut session, "SQ0081", "SQ0082");
    session
        .switch_scenario(DEFAULT_SCENARIO_NAME)
        .expect("back");
    session.save_as(&path).expect("saves");
    // Reopened, the merged scenario waits uncounted; the first switch counts it.
    let mut reopened = Session::open(&path).expect("reopens");
    reopened.switch_scenario("合并方案").expect("switches");
    let full = shequ_core::tally::Tallies::full(
        reopened.plan(),
        &reopened.layers().buildings,
        reopened.building_index(),
        reopened.profile().geometry.cut_tolerance_m2,
    );
    for (key, community) in reopened.plan().communities() {
        assert_eq!(reopened.tallies().of(key), full.of(key), "{}", community.id);
    }
    assert_eq!(reopened.tallies().unassigned(), full.unassigned());
    assert_eq!(
        reopened.violations().len(),
        session
            .scenario_session("合并方案")
            .expect("exists")
            .violations()
            .len()
    );
}
