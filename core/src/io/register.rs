//! Household registers: a table (CSV in UTF-8 or GBK, or an Excel sheet through `calamine`) with
//! a header row, joined to the buildings by a key. Either one row per building with a households
//! column (and, if wanted, a residents column), or one row per household or person whose rows
//! are counted per building.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How a register gives each building's households.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterCount {
    /// One row per building; this column holds its households.
    Column(String),
    /// One row per household (or person): the rows of a building are counted.
    CountRows,
}

/// A register and how it joins the buildings, as the plan records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterSpec {
    /// The table file (`.csv`, `.xlsx`, `.xls`, `.ods`).
    pub path: PathBuf,
    /// The sheet of a workbook (`None`: the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The buildings' property that holds the key (it becomes their id).
    pub building_field: String,
    /// The table's column that holds the key.
    pub table_field: String,
    /// Where the households come from.
    pub households: RegisterCount,
    /// A column of residents, for a register of one row per building.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residents: Option<String>,
}

impl RegisterSpec {
    /// `FILE` or `FILE:SHEET` as the command line gives it (a drive letter's colon is not a
    /// sheet: `C:\data\户籍.xlsx`).
    pub fn split_file_and_sheet(text: &str) -> (PathBuf, Option<String>) {
        let is_drive_letter =
            |file: &str| file.len() == 1 && file.chars().all(|letter| letter.is_ascii_alphabetic());
        match text.rsplit_once(':') {
            Some((file, sheet))
                if !sheet.contains(['/', '\\']) && !file.is_empty() && !is_drive_letter(file) =>
            {
                (PathBuf::from(file), Some(sheet.to_owned()))
            }
            _ => (PathBuf::from(text), None),
        }
    }
}

/// A table as read: its header and its rows, every cell as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The column names, trimmed.
    pub headers: Vec<String>,
    /// The rows after the header.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The index of the column named `name`, or an error naming the file and the columns there.
    pub fn column(&self, name: &str, path: &Path) -> Result<usize> {
        self.headers
            .iter()
            .position(|header| header == name.trim())
            .ok_or_else(|| Error::Layer {
                path: path.to_path_buf(),
                problem: format!(
                    "the register has no column \"{name}\"; its columns are {}. Name one of them.",
                    self.headers
                        .iter()
                        .map(|header| format!("\"{header}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
    }
}

fn table_error(path: &Path, problem: impl std::fmt::Display) -> Error {
    Error::Layer {
        path: path.to_path_buf(),
        problem: format!(
            "{problem}. Save the register again as .xlsx or as CSV with a header row."
        ),
    }
}

/// Reads the register table at `path` (the sheet named `sheet`, else the first).
pub fn read_table(path: &Path, sheet: Option<&str>) -> Result<Table> {
    let is_csv = path.extension().is_some_and(|extension| {
        extension.eq_ignore_ascii_case("csv") || extension.eq_ignore_ascii_case("txt")
    });
    if is_csv {
        read_csv(path)
    } else {
        read_workbook(path, sheet)
    }
}

fn read_csv(path: &Path) -> Result<Table> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    // Chinese registers are often saved by Excel in GBK: valid UTF-8 is UTF-8, else GB18030.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => encoding_rs::GB18030.decode(bytes).0,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|error| table_error(path, error))?
        .iter()
        .map(|header| header.trim().to_owned())
        .collect();
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record =
            record.map_err(|error| table_error(path, format!("row {}: {error}", index + 2)))?;
        rows.push(record.iter().map(|cell| cell.trim().to_owned()).collect());
    }
    Ok(Table { headers, rows })
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Int(value) => value.to_string(),
        Data::Float(value) if value.fract() == 0.0 && value.abs() < 9.0e15 => {
            (*value as i64).to_string()
        }
        Data::Float(value) => value.to_string(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            text.trim().to_owned()
        }
        Data::Bool(value) => value.to_string(),
        Data::DateTime(moment) => moment.to_string(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<Table> {
    use calamine::Reader;
    let mut workbook =
        calamine::open_workbook_auto(path).map_err(|error| table_error(path, error))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(sheet) if names.iter().any(|name| name == sheet) => sheet.to_owned(),
        Some(sheet) => {
            return Err(Error::Layer {
                path: path.to_path_buf(),
                problem: format!(
                    "the workbook has no sheet \"{sheet}\"; its sheets are {}. Name one as FILE:SHEET.",
                    names.join(", ")
                ),
            });
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| table_error(path, "the workbook has no sheet"))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|error| table_error(path, error))?;
    let mut rows = range
        .rows()
        .map(|row| row.iter().map(cell_text).collect::<Vec<String>>());
    let headers = rows
        .next()
        .ok_or_else(|| table_error(path, format!("the sheet \"{name}\" is empty")))?;
    Ok(Table {
        headers,
        rows: rows.collect(),
    })
}

/// What a register gives each key, and what it could not read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegisterFigures {
    /// Households (and residents, when the register has them) by key.
    pub by_key: HashMap<String, (u64, Option<u64>)>,
    /// Rows read.
    pub rows: usize,
    /// Rows without a key, or whose figures are not whole non-negative numbers, skipped.
    pub unreadable_rows: Vec<usize>,
}

fn count_of(text: &str) -> Option<u64> {
    let value: f64 = text.trim().parse().ok()?;
    (value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value < 1e9)
        .then_some(value as u64)
}

/// The figures of `table` by key, as `spec` says to read them.
pub fn register_figures(table: &Table, spec: &RegisterSpec) -> Result<RegisterFigures> {
    let key_column = table.column(&spec.table_field, &spec.path)?;
    let households_column = match &spec.households {
        RegisterCount::Column(name) => Some(table.column(name, &spec.path)?),
        RegisterCount::CountRows => None,
    };
    let residents_column = spec
        .residents
        .as_deref()
        .map(|name| table.column(name, &spec.path))
        .transpose()?;
    let mut figures = RegisterFigures {
        rows: table.rows.len(),
        ..RegisterFigures::default()
    };
    for (index, row) in table.rows.iter().enumerate() {
        let cell = |column: usize| row.get(column).map(String::as_str).unwrap_or("");
        let key = cell(key_column).trim();
        let households = match households_column {
            Some(column) => count_of(cell(column)),
            None => Some(1),
        };
        let residents = residents_column.map(|column| count_of(cell(column)));
        let (false, Some(households), None | Some(Some(_))) =
            (key.is_empty(), households, residents)
        else {
            // The row's number in the file: the header is row 1.
            figures.unreadable_rows.push(index + 2);
            continue;
        };
        let entry = figures.by_key.entry(key.to_owned()).or_insert((0, None));
        entry.0 += households;
        if let Some(Some(residents)) = residents {
            entry.1 = Some(entry.1.unwrap_or(0) + residents);
        }
    }
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_and_sheet_are_split_at_the_last_colon_but_not_at_a_drive_letter() {
        assert_eq!(
            RegisterSpec::split_file_and_sheet("户籍.xlsx:东湖区"),
            (PathBuf::from("户籍.xlsx"), Some("东湖区".to_owned()))
        );
        assert_eq!(
            RegisterSpec::split_file_and_sheet("C:\\data\\户籍.xlsx"),
            (PathBuf::from("C:\\data\\户籍.xlsx"), None)
        );
        assert_eq!(
            RegisterSpec::split_file_and_sheet("/data/register.csv"),
            (PathBuf::from("/data/register.csv"), None)
        );
    }

    #[test]
    fn a_gbk_csv_is_read_and_rows_are_counted_or_summed_per_key() {
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join("户籍.csv");
        let text = "楼栋编码,户主,户数\nB1,张三,1\nB1,李四,1\nB2,王五,x\n,赵六,1\nB3,钱七,2\n";
        std::fs::write(&path, encoding_rs::GBK.encode(text).0).expect("write");
        let table = read_table(&path, None).expect("reads");
        assert_eq!(table.headers, ["楼栋编码", "户主", "户数"]);
        let mut spec = RegisterSpec {
            path: path.clone(),
            sheet: None,
            building_field: "code".to_owned(),
            table_field: "楼栋编码".to_owned(),
            households: RegisterCount::CountRows,
            residents: None,
        };
        let counted = register_figures(&table, &spec).expect("figures");
        assert_eq!(counted.by_key["B1"], (2, None));
        assert_eq!(counted.by_key["B2"], (1, None));
        assert_eq!(counted.unreadable_rows, vec![5]);
        spec.households = RegisterCount::Column("户数".to_owned());
        let summed = register_figures(&table, &spec).expect("figures");
        assert_eq!(summed.by_key["B1"], (2, None));
        assert_eq!(summed.by_key["B3"], (2, None));
        assert_eq!(summed.unreadable_rows, vec![4, 5]);
        spec.table_field = "编码".to_owned();
        let missing = register_figures(&table, &spec).expect_err("no such column");
        assert!(missing.to_string().contains("\"楼栋编码\""), "{missing}");
    }
}
