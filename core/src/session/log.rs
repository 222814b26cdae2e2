//! The change log as the session keeps it: an entry for every committed step, undo and redo,
//! with the communities it touched and their households before and after.

use std::collections::{BTreeSet, HashMap};

use crate::audit::{LogAction, LogEntry, LoggedCommunity};
use crate::edit::{Command, Step};
use crate::ids::CommunityKey;
use crate::lang::Language;

use super::Session;

/// The communities as they were before a step: id, name and households.
#[derive(Debug, Clone, Default)]
pub(super) struct Before {
    communities: HashMap<CommunityKey, (String, String, u64)>,
    touched: BTreeSet<CommunityKey>,
    detail: String,
}

impl Session {
    /// The change log, oldest first.
    pub fn log(&self) -> &[LogEntry] {
        &self.settings.log
    }

    /// Who the log names for the changes from now on.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Names the person making the changes from now on (blank: the system account).
    pub fn set_user(&mut self, user: &str) {
        self.user = if user.trim().is_empty() {
            crate::audit::system_user()
        } else {
            user.trim().to_owned()
        };
    }

    /// The communities as they are, to compare with after a step.
    pub(super) fn before_step(&self, command: Option<&Command>) -> Before {
        Before {
            communities: self
                .plan
                .communities()
                .map(|(key, community)| {
                    let households = self.tallies.of(key).households;
                    (
                        key,
                        (
                            community.id.clone(),
                            community.properties.name.clone(),
                            households,
                        ),
                    )
                })
                .collect(),
            touched: BTreeSet::new(),
            detail: command.map(detail_of).unwrap_or_default(),
        }
    }

    /// Writes the entry of a step: the communities `before` recorded as touched, before and
    /// after.
    pub(super) fn log_step(&mut self, action: LogAction, step: Step, before: Before) {
        let communities = before
            .touched
            .iter()
            .filter_map(|key| {
                let old = before.communities.get(key);
                let new = self.plan.community(*key);
                let (id, name) = match (new, old) {
                    (Some(community), _) => {
                        (community.id.clone(), community.properties.name.clone())
                    }
                    (None, Some((id, name, _))) => (id.clone(), name.clone()),
                    (None, None) => return None,
                };
                Some(LoggedCommunity {
                    id,
                    name,
                    households_before: old.map(|(_, _, households)| *households),
                    households_after: new.map(|_| self.tallies.of(*key).households),
                })
            })
            .collect();
        let mut entry = LogEntry::now(
            &self.user,
            action,
            (
                step.describe(Language::Chinese),
                step.describe(Language::English),
            ),
        );
        entry.detail = before.detail;
        entry.communities = communities;
        entry.scenario = Some(self.scenario_name().to_owned());
        self.settings.log.push(entry);
    }
}

impl Session {
    /// Reports a log member that could not be read (kept aside in the file) as a load warning.
    pub(super) fn report_unreadable_log(&mut self, plan_path: &std::path::Path) {
        let Some(unreadable) = self.settings.unreadable_log.take() else {
            return;
        };
        let member = format!("shequ.{}", unreadable.kept_as);
        let log = format!("shequ.{}", crate::audit::LOG_MEMBER);
        self.warnings.push(crate::io::warnings::LoadWarning {
            path: plan_path.to_path_buf(),
            problem: format!(
                "its change log ({log}) could not be read ({}); it is kept unchanged as {member}, and a new log begins",
                unreadable.error
            ),
            advice: format!(
                "The plan itself is unaffected. To keep the old entries, repair {member} by hand and rename it back to {log}."
            ),
            problem_zh: format!(
                "修改记录 ({log}) 无法读取 ({})；已原样保存为 {member}，并开始新的记录",
                unreadable.error
            ),
            advice_zh: format!(
                "方案本身不受影响。如需保留旧记录，请手工修复 {member} 后改名为 {log}。"
            ),
            count: 0,
            first_features: Vec::new(),
        });
    }
}

impl Before {
    /// Adds communities a command touched.
    pub(super) fn touched(&mut self, keys: impl IntoIterator<Item = CommunityKey>) {
        self.touched.extend(keys);
    }
}

/// What a command concerns beyond communities: the violation an exception accepts (with the
/// reason) or withdraws.
fn detail_of(command: &Command) -> String {
    let key_text = |key: &crate::violation::ViolationKey| {
        let mut text = key.rule.clone();
        if !key.case.is_empty() {
            text.push_str(&format!(" ({})", key.case));
        }
        format!("{text}: {}", key.subjects.join(", "))
    };
    match command {
        Command::Accept { key, reason, .. } => format!("{} — {reason}", key_text(key)),
        Command::Revoke { key } => key_text(key),
        Command::Batch(commands) => commands
            .iter()
            .map(detail_of)
            .filter(|detail| !detail.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}
