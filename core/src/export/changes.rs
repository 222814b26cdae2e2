//! What changed, for the approval export: the change log (`log.csv`, the workbook's log sheet)
//! and, when the plan is compared with another, its transfers (`transfers.csv`, a sheet).

use crate::audit::LogEntry;
use crate::compare::Comparison;
use crate::lang::Language;

/// The file names in an export folder.
pub const LOG_FILE_NAME: &str = "log.csv";
/// See [`LOG_FILE_NAME`].
pub const TRANSFERS_FILE_NAME: &str = "transfers.csv";

/// The log's columns: (English, Chinese), as the export's other CSV columns. One row a community an entry touched (one row for an
/// entry that touched none), so that the households are numbers a spreadsheet can add.
pub const LOG_COLUMNS: [(&str, &str); 10] = [
    ("Time", "时间"),
    ("User", "操作人"),
    ("Scenario", "方案"),
    ("Action", "操作"),
    ("Step", "步骤"),
    ("Detail", "说明"),
    ("Community id", "社区编号"),
    ("Community", "社区名称"),
    ("Households before", "原户数"),
    ("Households after", "新户数"),
];

/// The log columns that hold numbers.
pub const LOG_NUMBER_COLUMNS: [usize; 2] = [8, 9];

/// The transfers' columns: (English, Chinese).
pub const TRANSFER_COLUMNS: [(&str, &str); 5] = [
    ("From", "原社区"),
    ("To", "新社区"),
    ("Households", "户数"),
    ("Residents", "人口"),
    ("Buildings", "楼栋"),
];

/// The transfer columns that hold numbers.
pub const TRANSFER_NUMBER_COLUMNS: [usize; 3] = [2, 3, 4];

/// The log's rows in `language`, oldest first.
pub fn log_rows(log: &[LogEntry], language: Language) -> Vec<Vec<String>> {
    let figure = |households: Option<u64>| households.map(|value| value.to_string());
    log.iter()
        .flat_map(|entry| {
            let common = [
                entry.time.clone(),
                entry.user.clone(),
                entry.scenario.clone().unwrap_or_default(),
                entry.action.describe(language).to_owned(),
                language.pick(&entry.step_zh, &entry.step_en).to_owned(),
                entry.detail.clone(),
            ];
            let communities: Vec<[String; 4]> = if entry.communities.is_empty() {
                vec![Default::default()]
            } else {
                entry
                    .communities
                    .iter()
                    .map(|community| {
                        [
                            community.id.clone(),
                            community.name.clone(),
                            figure(community.households_before).unwrap_or_default(),
                            figure(community.households_after).unwrap_or_default(),
                        ]
                    })
                    .collect()
            };
            communities
                .into_iter()
                .map(move |community| common.iter().cloned().chain(community).collect::<Vec<_>>())
        })
        .collect()
}

/// The transfers' rows: every (from, to) pair, a community to itself included; no community is
/// an empty cell.
pub fn transfer_rows(comparison: &Comparison) -> Vec<Vec<String>> {
    comparison
        .transfers
        .iter()
        .map(|transfer| {
            vec![
                transfer.from.clone().unwrap_or_default(),
                transfer.to.clone().unwrap_or_default(),
                transfer.households.to_string(),
                transfer.residents.to_string(),
                transfer.buildings.to_string(),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{LogAction, LoggedCommunity};

    #[test]
    fn a_log_entry_is_a_row_per_community_and_one_row_without_any() {
        let entry = |communities: Vec<LoggedCommunity>| LogEntry {
            time: "2026-12-02T16:10:05+08:00".to_owned(),
            user: "王工".to_owned(),
            action: LogAction::Done,
            step_zh: "合并".to_owned(),
            step_en: "merge".to_owned(),
            detail: String::new(),
            communities,
            scenario: None,
        };
        let community = |id: &str, before: Option<u64>, after: Option<u64>| LoggedCommunity {
            id: id.to_owned(),
            name: format!("{id}社区"),
            households_before: before,
            households_after: after,
        };
        let log = vec![
            entry(vec![
                community("A", Some(1000), Some(1800)),
                community("B", Some(800), None),
            ]),
            entry(Vec::new()),
        ];
        let rows = log_rows(&log, Language::Chinese);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][4], "合并");
        assert_eq!(rows[0][6..], ["A", "A社区", "1000", "1800"]);
        assert_eq!(rows[1][6..], ["B", "B社区", "800", ""]);
        assert!(rows[2][6..].iter().all(String::is_empty));
        assert!(rows.iter().all(|row| row.len() == LOG_COLUMNS.len()));
    }
}
