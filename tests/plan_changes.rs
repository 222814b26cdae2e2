//! The app changes a plan only through `src/app/update.rs`: no other file of the app calls the
//! session's editing methods or replaces the session with a recovery copy.

use std::path::Path;

/// The calls that change a session's plan.
const EDITING_CALLS: [&str; 8] = [
    "session.execute(",
    ".undo()",
    ".redo()",
    "session.begin(",
    "session.commit()",
    "session.abort()",
    "Session::open_recovery(",
    ".press(session",
];

#[test]
fn only_update_rs_changes_the_plan_in_the_app() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let mut found = Vec::new();
    let mut pending = vec![folder];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.file_name().is_some_and(|name| name == "update.rs")
                || path.extension().is_none_or(|extension| extension != "rs")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            for (number, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                for call in EDITING_CALLS {
                    if line.contains(call) {
                        found.push(format!(
                            "{}:{}: {}",
                            path.display(),
                            number + 1,
                            line.trim()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "plan changes outside update.rs:\n{}",
        found.join("\n")
    );
}
