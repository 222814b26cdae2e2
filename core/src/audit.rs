//! The change log (修改记录): every committed change to a plan, append-only — when, who, what
//! (the step in both languages), and the communities it touched with their households before and
//! after. Undo and redo are entries of their own; accepting and revoking exceptions are entries
//! too. Kept in the plan file's `shequ.log` member.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::lang::Language;

/// The plan file's member that holds the log.
pub const LOG_MEMBER: &str = "log";

/// Where a log member that cannot be read is kept, unchanged, when the plan is saved again.
pub const UNREADABLE_LOG_MEMBER: &str = "log_unreadable";

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogAction {
    /// A step done.
    Done,
    /// A step taken back.
    Undone,
    /// A step done again.
    Redone,
}

impl LogAction {
    /// The action's name in `language`.
    pub fn describe(self, language: Language) -> &'static str {
        match (self, language) {
            (LogAction::Done, Language::Chinese) => "修改",
            (LogAction::Done, Language::English) => "done",
            (LogAction::Undone, Language::Chinese) => "撤销",
            (LogAction::Undone, Language::English) => "undone",
            (LogAction::Redone, Language::Chinese) => "重做",
            (LogAction::Redone, Language::English) => "redone",
        }
    }
}

/// A community a change touched, with its households before and after (none where it did not
/// exist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedCommunity {
    /// Its id.
    pub id: String,
    /// Its name (after the change, else before).
    pub name: String,
    /// Households before; none for a community the change made.
    pub households_before: Option<u64>,
    /// Households after; none for a community the change removed.
    pub households_after: Option<u64>,
}

/// One committed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// When, as local time with its offset (`2026-12-02T16:10:05+08:00`).
    pub time: String,
    /// Who: the name set in the app's preferences, else the system account.
    pub user: String,
    /// Done, undone or redone.
    pub action: LogAction,
    /// The step, in Chinese ("合并").
    pub step_zh: String,
    /// The step, in English ("merge").
    pub step_en: String,
    /// What the step concerned beyond communities: the violation an exception accepts or
    /// withdraws, with the reason given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// The communities it touched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub communities: Vec<LoggedCommunity>,
    /// The scenario (方案) it changed, where the plan has been given scenarios.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
}

impl LogEntry {
    /// A new entry, stamped now, of a step named in both languages.
    pub fn now(user: &str, action: LogAction, (step_zh, step_en): (&str, &str)) -> Self {
        Self {
            time: local_time_now(),
            user: user.to_owned(),
            action,
            step_zh: step_zh.to_owned(),
            step_en: step_en.to_owned(),
            detail: String::new(),
            communities: Vec::new(),
            scenario: None,
        }
    }

    /// The step in `language`, with the action where it is not a step done ("撤销 合并").
    pub fn describe(&self, language: Language) -> String {
        let step = match language {
            Language::Chinese => &self.step_zh,
            Language::English => &self.step_en,
        };
        match self.action {
            LogAction::Done => step.clone(),
            action => format!("{} {step}", action.describe(language)),
        }
    }

    /// The date part of the time (`2026-12-02`).
    pub fn date(&self) -> &str {
        self.time.get(..10).unwrap_or(&self.time)
    }

    /// The communities as "name (id) 1,511 → 3,046", joined by "; ".
    pub fn communities_text(&self) -> String {
        let figure = |households: Option<u64>| {
            households.map_or_else(|| "—".to_owned(), crate::format::grouped)
        };
        self.communities
            .iter()
            .map(|community| {
                format!(
                    "{} ({}) {} → {}",
                    community.name,
                    community.id,
                    figure(community.households_before),
                    figure(community.households_after)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The system account's name, for a log entry when the planner has not given one.
pub fn system_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|variable| std::env::var(variable).ok())
        .filter(|name| !name.trim().is_empty())
        // A service or container may set none of them; the home folder is named for the account.
        .or_else(|| {
            std::env::home_dir()?
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Now, in the system's time zone, to the second, with its offset.
pub fn local_time_now() -> String {
    jiff::Zoned::now()
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// A log member that could not be read: why, and the member it is kept in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableLog {
    /// What is wrong with it.
    pub error: String,
    /// The member of `shequ` it was moved to.
    pub kept_as: String,
}

/// Takes the log out of the plan file's `shequ` member. A log that cannot be read leaves the
/// plan usable: it is moved, unchanged, to [`UNREADABLE_LOG_MEMBER`] (written back on save, so
/// nothing is lost), a new log begins, and the problem is returned to report.
pub fn take_log(member: &mut Map<String, Value>) -> (Vec<LogEntry>, Option<UnreadableLog>) {
    let Some(value) = member.remove(LOG_MEMBER) else {
        return (Vec::new(), None);
    };
    match serde_json::from_value::<Vec<LogEntry>>(value.clone()) {
        Ok(entries) => (entries, None),
        Err(error) => {
            let mut kept_as = UNREADABLE_LOG_MEMBER.to_owned();
            let mut number = 2;
            while member.contains_key(&kept_as) {
                kept_as = format!("{UNREADABLE_LOG_MEMBER}_{number}");
                number += 1;
            }
            member.insert(kept_as.clone(), value);
            (
                Vec::new(),
                Some(UnreadableLog {
                    error: error.to_string(),
                    kept_as,
                }),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry() -> LogEntry {
        LogEntry {
            time: "2026-12-02T16:10:05+08:00".to_owned(),
            user: "王工".to_owned(),
            action: LogAction::Undone,
            step_zh: "合并".to_owned(),
            step_en: "merge".to_owned(),
            detail: String::new(),
            communities: vec![LoggedCommunity {
                id: "SQ0041".to_owned(),
                name: "体苑社区".to_owned(),
                households_before: Some(3046),
                households_after: Some(1511),
            }],
            scenario: None,
        }
    }

    #[test]
    fn an_entry_reads_back_as_it_was_written_and_describes_its_action() {
        let written = serde_json::to_value(vec![entry()]).expect("serialises");
        let mut member = Map::new();
        member.insert(LOG_MEMBER.to_owned(), written);
        let (entries, problem) = take_log(&mut member);
        assert_eq!((entries, problem), (vec![entry()], None));
        assert_eq!(entry().describe(Language::Chinese), "撤销 合并");
        assert_eq!(entry().describe(Language::English), "undone merge");
        assert_eq!(entry().date(), "2026-12-02");
        assert_eq!(
            entry().communities_text(),
            "体苑社区 (SQ0041) 3,046 → 1,511"
        );
    }

    #[test]
    fn an_unreadable_log_is_kept_aside_unchanged_and_reported() {
        let mut member = Map::new();
        member.insert(LOG_MEMBER.to_owned(), json!({"not": "a list"}));
        member.insert(UNREADABLE_LOG_MEMBER.to_owned(), json!("an older one"));
        let (entries, problem) = take_log(&mut member);
        assert!(entries.is_empty());
        let problem = problem.expect("reported");
        assert_eq!(problem.kept_as, "log_unreadable_2");
        assert_eq!(member["log_unreadable_2"], json!({"not": "a list"}));
        assert_eq!(member[UNREADABLE_LOG_MEMBER], json!("an older one"));
        assert!(!member.contains_key(LOG_MEMBER));
    }

    #[test]
    fn the_local_time_has_a_date_a_time_and_an_offset() {
        let time = local_time_now();
        assert_eq!(time.len(), 25, "{time}");
        assert_eq!(&time[10..11], "T");
        assert!(matches!(&time[19..20], "+" | "-"), "{time}");
    }
}
