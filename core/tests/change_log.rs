//! The change log: every committed step, undo and redo an entry with the communities it touched
//! and their households before and after; kept in the plan file; a log that cannot be read
//! leaves the plan usable and is kept aside unchanged.

mod support;

use shequ_core::Session;
use shequ_core::audit::{LogAction, UNREADABLE_LOG_MEMBER};
use shequ_core::edit::{Command, Step};
use support::{demo_copy, key_named};

#[test]
fn a_merge_and_its_undo_are_two_entries_with_households_before_and_after_and_survive_saving() {
    let (_folder, path) = demo_copy();
    let mut session = Session::open(&path).expect("opens");
    session.set_user("王工");
    let survivor = key_named(&session, "李家庄社区");
    let absorbed = key_named(&session, "新祺周社区");
    let (survivor_households, absorbed_households) = (
        session.tallies().of(survivor).households,
        session.tallies().of(absorbed).households,
    );
    session
        .execute(Command::Merge {
            keys: vec![survivor, absorbed],
            allow_several_parts: false,
        })
        .expect("merges");
    assert!(session.undo().expect("undoes"));
    let log = session.log();
    assert_eq!(log.len(), 2, "{log:#?}");
    let (merge, undo) = (&log[0], &log[1]);
    assert_eq!(
        (merge.action, undo.action),
        (LogAction::Done, LogAction::Undone)
    );
    assert_eq!(
        merge.step_zh,
        Step::Merge.describe(shequ_core::lang::Language::Chinese)
    );
    assert_eq!(merge.user, "王工");
    let figures = |entry: &shequ_core::audit::LogEntry, name: &str| {
        entry
            .communities
            .iter()
            .find(|community| community.name == name)
            .map(|community| (community.households_before, community.households_after))
            .expect("the community is in the entry")
    };
    assert_eq!(
        figures(merge, "李家庄社区"),
        (
            Some(survivor_households),
            Some(survivor_households + absorbed_households)
        )
    );
    assert_eq!(
        figures(merge, "新祺周社区"),
        (Some(absorbed_households), None)
    );
    assert_eq!(
        figures(undo, "新祺周社区"),
        (None, Some(absorbed_households))
    );
    assert!(merge.time.starts_with("20"), "{}", merge.time);

    session.save_as(&path).expect("saves");
    let reopened = Session::open(&path).expect("reopens");
    assert_eq!(reopened.log(), session.log());
    assert!(reopened.warnings().is_empty(), "{:?}", reopened.warnings());
}

#[test]
fn a_drag_is_one_entry_and_accepting_an_exception_records_the_violation_and_the_reason() {
    let (_folder, path) = demo_copy();
    let mut session = Session::open(&path).expect("opens");
    let key = key_named(&session, "李家庄社区");
    let boundary = session
        .plan()
        .community(key)
        .expect("there")
        .boundary
        .clone();
    session.begin(Step::EditProperties).expect("begins");
    for name in ["李家庄", "李家庄社区（新）"] {
        let mut properties = session
            .plan()
            .community(key)
            .expect("there")
            .properties
            .clone();
        properties.name = name.to_owned();
        session
            .execute(Command::SetProperties {
                key,
                properties: Box::new(properties),
            })
            .expect("renames");
    }
    assert!(session.log().is_empty(), "the open step is not logged yet");
    session.commit();
    assert_eq!(session.log().len(), 1);
    assert_eq!(session.log()[0].communities[0].name, "李家庄社区（新）");
    assert_eq!(
        session.plan().community(key).expect("there").boundary,
        boundary
    );

    let violation = session
        .rules()
        .iter()
        .next()
        .expect("the demo has violations")
        .key();
    session
        .accept(&violation, "历史遗留，街道已确认", "李主任", "2026-12-02")
        .expect("accepts");
    let entry = session.log().last().expect("logged");
    assert_eq!(entry.step_en, "accept exception");
    assert!(entry.detail.contains(&violation.rule), "{}", entry.detail);
    assert!(entry.detail.contains("历史遗留"), "{}", entry.detail);
    session.revoke(&violation).expect("revokes");
    assert_eq!(
        session.log().last().expect("logged").step_en,
        "revoke exception"
    );
}

#[test]
fn a_plan_whose_log_cannot_be_read_opens_reports_it_and_keeps_it_unchanged_on_saving() {
    let (_folder, path) = demo_copy();
    let text = std::fs::read_to_string(&path).expect("reads");
    let mut plan: serde_json::Value = serde_json::from_str(&text).expect("json");
    plan["shequ"]["log"] = serde_json::json!([{"time": 12}]);
    std::fs::write(&path, plan.to_string()).expect("writes");

    let mut session = Session::open(&path).expect("the plan still opens");
    assert!(!session.plan().is_empty());
    let warning = session
        .warnings()
        .iter()
        .find(|warning| warning.problem.contains("change log"))
        .expect("the log problem is reported");
    assert!(
        warning.to_string().contains(UNREADABLE_LOG_MEMBER),
        "{warning}"
    );
    let key = key_named(&session, "李家庄社区");
    let mut properties = session
        .plan()
        .community(key)
        .expect("there")
        .properties
        .clone();
    properties.notes = "核对过".to_owned();
    session
        .execute(Command::SetProperties {
            key,
            properties: Box::new(properties),
        })
        .expect("edits");
    session.save_as(&path).expect("saves");

    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("reads")).expect("json");
    assert_eq!(
        saved["shequ"][UNREADABLE_LOG_MEMBER],
        serde_json::json!([{"time": 12}])
    );
    assert_eq!(saved["shequ"]["log"].as_array().map(Vec::len), Some(1));
}
