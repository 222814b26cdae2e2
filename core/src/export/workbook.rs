//! The approval workbook (`rust_xlsxwriter`): sheets of communities, street offices, districts
//! and the city, violations and accepted exceptions, headers in the chosen language, numbers as
//! numbers. Written atomically like every other export file.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::error::{Error, Result};
use crate::figures::AreaFigures;
use crate::io::atomic::write_atomically;
use crate::lang::Language;
use crate::report::CheckReport;

/// The workbook's file name in an export folder.
pub const WORKBOOK_FILE_NAME: &str = "approval.xlsx";

/// A cell: text or a number.
enum Cell {
    Text(String),
    Number(f64),
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<u64> for Cell {
    fn from(number: u64) -> Self {
        Cell::Number(number as f64)
    }
}

impl From<u32> for Cell {
    fn from(number: u32) -> Self {
        Cell::Number(f64::from(number))
    }
}

impl From<f64> for Cell {
    fn from(number: f64) -> Self {
        Cell::Number(number)
    }
}

/// One sheet: its name and headers in both languages, and its rows.
struct Sheet {
    name: (&'static str, &'static str),
    headers: Vec<(&'static str, &'static str)>,
    rows: Vec<Vec<Cell>>,
}

fn write_sheet(
    worksheet: &mut Worksheet,
    sheet: &Sheet,
    language: Language,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    worksheet.set_name(language.pick(sheet.name.0, sheet.name.1))?;
    for (column, header) in sheet.headers.iter().enumerate() {
        let column = column as u16;
        worksheet.write_string_with_format(0, column, language.pick(header.0, header.1), bold)?;
        worksheet.set_column_width(column, 14)?;
    }
    for (row, cells) in sheet.rows.iter().enumerate() {
        let row = row as u32 + 1;
        for (column, cell) in cells.iter().enumerate() {
            let column = column as u16;
            match cell {
                Cell::Text(text) => worksheet.write_string(row, column, text)?,
                Cell::Number(number) => worksheet.write_number(row, column, *number)?,
            };
        }
    }
    worksheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn area_row(area: &AreaFigures, name: String) -> Vec<Cell> {
    vec![
        name.into(),
        area.district.clone().unwrap_or_default().into(),
        area.communities.into(),
        area.households.into(),
        area.residents.into(),
        area.estimated_households.into(),
        area.deputy_directors.into(),
        area.police_officers.into(),
        area.budget_funding.into(),
        area.city_funding.into(),
        area.district_funding.into(),
        area.work_unit_funding.into(),
    ]
}

const AREA_HEADERS: [(&str, &str); 12] = [
    ("名称", "Name"),
    ("所属区", "District"),
    ("社区数", "Communities"),
    ("户数", "Households"),
    ("人口", "Residents"),
    ("估算户数", "Estimated households"),
    ("副主任", "Deputy directors"),
    ("社区民警", "Police officers"),
    ("财政经费(元/年)", "Budget funding (yuan/year)"),
    ("市级承担", "City's part"),
    ("区级承担", "District's part"),
    ("单位型原渠道经费", "Work-unit funding (original channel)"),
];

/// The workbook's sheets.
fn sheets(report: &CheckReport, language: Language) -> Vec<Sheet> {
    let type_name = |key: &str| -> String {
        let names = [
            ("geographic", "地缘型"),
            ("work_unit", "单位型"),
            ("residential_estate", "单元型"),
        ];
        names
            .iter()
            .find(|(found, _)| *found == key)
            .map_or(key.to_owned(), |(english, chinese)| {
                language.pick(chinese, english).to_owned()
            })
    };
    let violations_of = |id: &str, severity: &str, accepted: bool| -> u64 {
        report
            .violations
            .iter()
            .filter(|violation| {
                violation
                    .communities
                    .iter()
                    .any(|community| community == id)
            })
            .filter(|violation| {
                violation.accepted.is_some() == accepted
                    && (accepted || violation.severity == severity)
            })
            .count() as u64
    };
    let communities = Sheet {
        name: ("社区", "Communities"),
        headers: vec![
            ("编号", "Id"),
            ("名称", "Name"),
            ("类型", "Type"),
            ("街道", "Street office"),
            ("区", "District"),
            ("户数", "Households"),
            ("人口", "Residents"),
            ("楼栋", "Buildings"),
            ("估算户数", "Estimated households"),
            ("面积(平方米)", "Area (m²)"),
            ("错误", "Errors"),
            ("警告", "Warnings"),
            ("已接受例外", "Accepted exceptions"),
        ],
        rows: report
            .communities
            .iter()
            .map(|row| {
                vec![
                    row.id.clone().into(),
                    row.name.clone().into(),
                    type_name(row.kind).into(),
                    row.street_office.clone().unwrap_or_default().into(),
                    row.district.clone().unwrap_or_default().into(),
                    row.households.into(),
                    row.residents.into(),
                    row.buildings.into(),
                    row.estimated_households.into(),
                    row.area_m2.into(),
                    violations_of(&row.id, "error", false).into(),
                    violations_of(&row.id, "warning", false).into(),
                    violations_of(&row.id, "", true).into(),
                ]
            })
            .collect(),
    };
    let areas = |name, rows: &[AreaFigures]| Sheet {
        name,
        headers: AREA_HEADERS.to_vec(),
        rows: rows
            .iter()
            .map(|area| area_row(area, area.name.clone()))
            .collect(),
    };
    let city_name = language.pick("全市", "City").to_owned();
    let violations = violations_sheet(report, language);
    let exceptions = exceptions_sheet(report, language);
    vec![
        communities,
        areas(("街道", "Street offices"), &report.street_offices),
        areas(("区", "Districts"), &report.districts),
        Sheet {
            name: ("全市", "City"),
            headers: AREA_HEADERS.to_vec(),
            rows: vec![area_row(&report.city, city_name)],
        },
        violations,
        exceptions,
    ]
}

/// Every violation, accepted or not.
fn violations_sheet(report: &CheckReport, language: Language) -> Sheet {
    Sheet {
        name: ("违规", "Violations"),
        headers: vec![
            ("规则", "Rule"),
            ("级别", "Severity"),
            ("条款", "Clause"),
            ("说明", "Message"),
            ("社区", "Communities"),
            ("街道/区", "Areas"),
            ("已接受", "Accepted"),
        ],
        rows: report
            .violations
            .iter()
            .map(|violation| {
                vec![
                    violation.rule.into(),
                    match violation.severity {
                        "error" => language.pick("错误", "error"),
                        _ => language.pick("警告", "warning"),
                    }
                    .into(),
                    violation.clause.into(),
                    language
                        .pick(&violation.message_zh, &violation.message_en)
                        .to_owned()
                        .into(),
                    violation.communities.join(", ").into(),
                    violation.areas.join(", ").into(),
                    if violation.accepted.is_some() {
                        language.pick("是", "yes")
                    } else {
                        ""
                    }
                    .into(),
                ]
            })
            .collect(),
    }
}

/// The accepted exceptions with their reasons.
fn exceptions_sheet(report: &CheckReport, language: Language) -> Sheet {
    Sheet {
        name: ("已接受例外", "Accepted exceptions"),
        headers: vec![
            ("规则", "Rule"),
            ("说明", "Message"),
            ("理由", "Reason"),
            ("批准人", "Approver"),
            ("日期", "Date"),
        ],
        rows: report
            .accepted()
            .filter_map(|violation| {
                let exception = violation.accepted.as_ref()?;
                Some(vec![
                    violation.rule.into(),
                    language
                        .pick(&violation.message_zh, &violation.message_en)
                        .to_owned()
                        .into(),
                    exception.reason.clone().into(),
                    exception.approver.clone().into(),
                    exception.date.clone().into(),
                ])
            })
            .collect(),
    }
}

/// What changed, for the workbook's last sheets: the change log, and the transfers where the
/// plan is compared with another.
#[derive(Debug, Clone, Copy, Default)]
pub struct Changes<'a> {
    /// The plan's change log.
    pub log: &'a [crate::audit::LogEntry],
    /// The comparison, if any.
    pub comparison: Option<&'a crate::compare::Comparison>,
}

/// A sheet of text rows whose `numbers` columns hold numbers (an empty cell stays empty);
/// `columns` are (English, Chinese), as the CSV files name them.
fn sheet_of_rows(
    name: (&'static str, &'static str),
    columns: &[(&'static str, &'static str)],
    numbers: &[usize],
    rows: Vec<Vec<String>>,
) -> Sheet {
    Sheet {
        name,
        headers: columns
            .iter()
            .map(|(english, chinese)| (*chinese, *english))
            .collect(),
        rows: rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .enumerate()
                    .map(|(column, text)| match text.parse::<f64>() {
                        Ok(number) if numbers.contains(&column) => Cell::Number(number),
                        _ => Cell::Text(text),
                    })
                    .collect()
            })
            .collect(),
    }
}

/// The management grids with their figures, where communities have any.
fn grids_sheet(report: &CheckReport) -> Option<Sheet> {
    if report.grids.is_empty() {
        return None;
    }
    let rows = report
        .grids
        .iter()
        .map(|grid| {
            vec![
                grid.code.clone(),
                grid.community.clone(),
                grid.households.to_string(),
                grid.residents.to_string(),
                grid.buildings.to_string(),
            ]
        })
        .collect();
    Some(sheet_of_rows(
        ("网格", "Grids"),
        &[
            ("code", "网格编码"),
            ("community", "社区编号"),
            ("households", "户数"),
            ("residents", "人口"),
            ("buildings", "楼栋数"),
        ],
        &[2, 3, 4],
        rows,
    ))
}

/// The log sheet, and the transfers sheet when there is a comparison.
fn change_sheets(changes: &Changes<'_>, language: Language) -> Vec<Sheet> {
    use super::changes::{
        LOG_COLUMNS, LOG_NUMBER_COLUMNS, TRANSFER_COLUMNS, TRANSFER_NUMBER_COLUMNS, log_rows,
        transfer_rows,
    };
    let mut sheets = vec![sheet_of_rows(
        ("修改记录", "Change log"),
        &LOG_COLUMNS,
        &LOG_NUMBER_COLUMNS,
        log_rows(changes.log, language),
    )];
    if let Some(comparison) = changes.comparison {
        sheets.push(sheet_of_rows(
            ("户数迁移", "Transfers"),
            &TRANSFER_COLUMNS,
            &TRANSFER_NUMBER_COLUMNS,
            transfer_rows(comparison),
        ));
    }
    sheets
}

/// Writes the approval workbook of `report` and `changes` to `path`, in `language`.
pub fn write_workbook(
    path: &Path,
    report: &CheckReport,
    changes: &Changes<'_>,
    language: Language,
) -> Result<()> {
    let refused = |error: XlsxError| Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(error.to_string()),
    };
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets(report, language)
        .into_iter()
        .chain(grids_sheet(report))
        .chain(change_sheets(changes, language))
    {
        write_sheet(workbook.add_worksheet(), &sheet, language, &bold).map_err(refused)?;
    }
    let bytes = workbook.save_to_buffer().map_err(refused)?;
    write_atomically(path, |writer| writer.write_all(&bytes))
}
