//! Accepted exceptions: a planner accepts one violation with a reason, an approver, a date and
//! the clause. The exception records the figures it accepted; when the violation no longer occurs
//! or its figures change, the exception lapses and is dropped at the next save.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::violation::{Violation, ViolationKey};

/// One accepted violation, as saved in the plan file's `shequ.exceptions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcceptedException {
    /// The rule id.
    pub rule: String,
    /// The case of the rule, if it has several.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub case: String,
    /// The ids the violation is about, sorted.
    pub subjects: Vec<String>,
    /// The clause it breaks.
    #[serde(default)]
    pub clause: u32,
    /// The figures that were accepted.
    #[serde(default)]
    pub figures: Value,
    /// Why it is acceptable.
    pub reason: String,
    /// Who approved it.
    pub approver: String,
    /// When (YYYY-MM-DD).
    pub date: String,
    /// Members of a newer version, kept.
    #[serde(flatten)]
    pub other_members: Map<String, Value>,
}

impl AcceptedException {
    /// An exception for `violation` as it stands now.
    pub fn accepting(violation: &Violation, reason: &str, approver: &str, date: &str) -> Self {
        let key = violation.key();
        Self {
            rule: key.rule,
            case: key.case,
            subjects: key.subjects,
            clause: violation.clause,
            figures: violation.figures.clone(),
            reason: reason.to_owned(),
            approver: approver.to_owned(),
            date: date.to_owned(),
            other_members: Map::new(),
        }
    }

    /// The key of the violation it accepts.
    pub fn key(&self) -> ViolationKey {
        let mut subjects = self.subjects.clone();
        subjects.sort();
        ViolationKey {
            rule: self.rule.clone(),
            case: self.case.clone(),
            subjects,
        }
    }

    /// True when it accepts `violation` exactly as it stands (same rule, ids and figures).
    pub fn covers(&self, violation: &Violation) -> bool {
        self.key() == violation.key() && self.figures == violation.figures
    }
}
