//! Why an edit was refused, typed, so the app can react to a locked community differently from a
//! refused shape. Each text begins as the CLI has always printed it ("edit refused: …",
//! "accept: …"); the app shows them in the planner's language through [`EditError::describe`].

use crate::lang::Language;
use crate::ops::OpError;

/// An edit that was refused; nothing changed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    /// The community is locked against changes.
    #[error("edit refused: {name} ({id}) is locked; unlock it in its properties to change it")]
    Locked {
        /// The community's id.
        id: String,
        /// Its name.
        name: String,
    },
    /// No community is stored in that slot (it was removed, or never existed).
    #[error("edit refused: there is no community in slot {slot}")]
    NoSuchCommunity {
        /// The slot asked for.
        slot: u32,
    },
    /// A community is to be restored into a slot that holds one already.
    #[error("edit refused: slot {slot} is taken")]
    SlotTaken {
        /// The slot asked for.
        slot: u32,
    },
    /// A new community would take an id another community has.
    #[error("edit refused: a community with id {id} exists already; choose another id")]
    IdTaken {
        /// The id.
        id: String,
    },
    /// The same community is named more than once in one merge, which would delete it.
    #[error(
        "edit refused: {name} ({id}) is named more than once in the merge; name each community once, the one that keeps its id first"
    )]
    RepeatedInMerge {
        /// The community's id.
        id: String,
        /// Its name.
        name: String,
    },
    /// No street block has that number.
    #[error("edit refused: there is no street block {block}")]
    NoSuchBlock {
        /// The block number asked for.
        block: usize,
    },
    /// No building has that index.
    #[error("edit refused: there is no building {building}")]
    NoSuchBuilding {
        /// The building index asked for.
        building: u32,
    },
    /// The geometry operation refused the shape.
    #[error("edit refused: {0}")]
    Geometry(#[from] OpError),
    /// Street blocks were asked for before the session derived them.
    #[error("edit refused: the street blocks have not been derived")]
    BlocksNotDerived,
    /// An exception needs both a reason and an approver.
    #[error("accept: an exception needs a reason and an approver")]
    ExceptionWithoutReasonOrApprover,
    /// The date of an exception is not a date.
    #[error("accept: `{date}` is not a date; give it as YYYY-MM-DD")]
    NotADate {
        /// What was given.
        date: String,
    },
    /// The violation to accept does not occur.
    #[error(
        "accept: no violation of rule {rule} about {subjects} occurs in this plan; check the rule id and the ids"
    )]
    NoSuchViolation {
        /// The rule id.
        rule: String,
        /// The ids it would be about, comma-separated.
        subjects: String,
    },
    /// A transaction was begun while another was open.
    #[error("edit refused: a transaction is already open")]
    TransactionOpen,
}

impl EditError {
    /// The refusal in `language` (the English is the error's own text).
    pub fn describe(&self, language: Language) -> String {
        if language == Language::English {
            return self.to_string();
        }
        match self {
            EditError::Locked { id, name } => {
                format!("已拒绝: {name} ({id}) 已锁定; 请在其属性中解锁后再修改")
            }
            EditError::NoSuchCommunity { slot } => format!("已拒绝: 位置 {slot} 没有社区"),
            EditError::SlotTaken { slot } => format!("已拒绝: 位置 {slot} 已被占用"),
            EditError::IdTaken { id } => format!("已拒绝: 编号为 {id} 的社区已存在; 请换一个编号"),
            EditError::RepeatedInMerge { id, name } => format!(
                "已拒绝: {name} ({id}) 在合并中出现多次; 每个社区只列一次, 保留编号的社区放在最前"
            ),
            EditError::NoSuchBlock { block } => format!("已拒绝: 没有街区 {block}"),
            EditError::NoSuchBuilding { building } => format!("已拒绝: 没有建筑 {building}"),
            EditError::Geometry(error) => format!("已拒绝: {}", error.describe(language)),
            EditError::BlocksNotDerived => "已拒绝: 街区尚未生成".to_owned(),
            EditError::ExceptionWithoutReasonOrApprover => {
                "接受例外: 需要填写理由和批准人".to_owned()
            }
            EditError::NoSuchViolation { rule, subjects } => format!(
                "接受例外: 本方案中没有关于 {subjects} 的规则 {rule} 违规; 请检查规则编号和社区编号"
            ),
            EditError::TransactionOpen => "已拒绝: 已有一个未结束的操作".to_owned(),
            EditError::NotADate { date } => {
                format!("接受例外: `{date}` 不是日期; 请按 YYYY-MM-DD 填写")
            }
        }
    }
}
