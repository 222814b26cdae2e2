//! Fixing violations one after another, re-checking after each.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::lang::Language;
use crate::session::Session;
use crate::violation::ViolationKey;

use super::{FixOutcome, fixes_for};

/// A fix carried out by [`fix_in_turn`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliedFix {
    /// The violation it fixed.
    pub violation: ViolationKey,
    /// What it did, in Chinese.
    pub description_zh: String,
    /// What it did, in English.
    pub description_en: String,
    /// Its outcome.
    pub outcome: FixOutcome,
}

/// A violation [`fix_in_turn`] left for a planner, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeftViolation {
    /// The violation.
    pub violation: ViolationKey,
    /// Its message in Chinese.
    pub message_zh: String,
    /// Its message in English.
    pub message_en: String,
    /// Why it was left, in Chinese.
    pub reason_zh: String,
    /// Why it was left, in English.
    pub reason_en: String,
}

/// What [`fix_in_turn`] did and left.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FixReport {
    /// The fixes carried out, in order.
    pub applied: Vec<AppliedFix>,
    /// The matching violations left, with why.
    pub left: Vec<LeftViolation>,
}

/// Carries out the best fix of each unaccepted violation that `matches`, one at a time and
/// re-checking after each (a fix can remove or change others), skipping a fix that would add an
/// error; each fix is one undo step and one entry of the change log.
pub fn fix_in_turn(
    session: &mut Session,
    matches: impl Fn(&crate::violation::Violation) -> bool,
) -> FixReport {
    let mut report = FixReport::default();
    let mut tried: BTreeSet<ViolationKey> = BTreeSet::new();
    let mut reasons: Vec<(ViolationKey, String, String)> = Vec::new();
    loop {
        let next = session
            .violations()
            .into_iter()
            .filter(|checked| checked.accepted.is_none() && matches(checked.violation))
            .map(|checked| checked.violation.key())
            .find(|key| !tried.contains(key));
        let Some(key) = next else { break };
        tried.insert(key.clone());
        let chosen = match fixes_for(session, &key) {
            Ok(fixes) => fixes
                .into_iter()
                .find(|fix| fix.outcome.added_errors == 0)
                .ok_or((
                    "每种修复都会带来新的错误，需人工处理",
                    "every fix would add an error; a planner decides",
                )),
            Err(no_fix) => Err((
                no_fix.describe(Language::Chinese),
                no_fix.describe(Language::English),
            )),
        };
        match chosen {
            Ok(fix) if session.execute(fix.command.clone()).is_ok() => {
                report.applied.push(AppliedFix {
                    violation: key,
                    description_zh: fix.description_zh,
                    description_en: fix.description_en,
                    outcome: fix.outcome,
                });
            }
            Ok(_) => reasons.push((
                key,
                "修复被拒绝（社区已锁定或几何不可行）".to_owned(),
                "the fix was refused (a community is locked, or the geometry does not allow it)"
                    .to_owned(),
            )),
            Err((chinese, english)) => reasons.push((key, chinese.to_owned(), english.to_owned())),
        }
    }
    // Left: the matching violations still in the plan, with why they were left.
    for checked in session.violations() {
        let violation = checked.violation;
        if checked.accepted.is_some() || !matches(violation) {
            continue;
        }
        let key = violation.key();
        let (reason_zh, reason_en) = reasons
            .iter()
            .find(|(left, _, _)| *left == key)
            .map(|(_, chinese, english)| (chinese.clone(), english.clone()))
            .unwrap_or_else(|| {
                (
                    "修复其他违规后仍存在，需人工处理".to_owned(),
                    "still there after the other fixes; a planner decides".to_owned(),
                )
            });
        report.left.push(LeftViolation {
            violation: key,
            message_zh: violation.message_zh.clone(),
            message_en: violation.message_en.clone(),
            reason_zh,
            reason_en,
        });
    }
    report
}
