//! The export's CSV files as Excel opens them: UTF-8 with a byte-order mark (so that Chinese
//! text shows), headers in the export's language, and cells that begin like a formula kept as
//! text.

use std::path::Path;

use crate::error::{Error, Result};
use crate::io::atomic::write_atomically;
use crate::lang::Language;

/// CSV headers in `language`, of (English, Chinese) columns.
pub fn headers_in(
    columns: &[(&'static str, &'static str)],
    language: Language,
) -> Vec<&'static str> {
    columns
        .iter()
        .map(|(english, chinese)| language.pick(chinese, english))
        .collect()
}

fn csv_error(path: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |error| Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(error.to_string()),
    }
}

/// A cell as Excel may safely open it: text that begins like a formula (`=`, `+`, `-`, `@`, a tab
/// or a carriage return) gets a leading apostrophe, as OWASP advises, so that a community named
/// `=HYPERLINK(…)` stays text. Numbers, negative ones included, are left as they are.
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula_like = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula_like && cell.parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Rows as UTF-8 CSV with a byte-order mark (so that Excel shows Chinese text), each cell made
/// [`spreadsheet_safe`].
pub fn csv_bytes(
    header: &[&str],
    rows: &[Vec<String>],
) -> std::result::Result<Vec<u8>, csv::Error> {
    let mut buffer = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut buffer);
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row.iter().map(|cell| spreadsheet_safe(cell).into_owned()))?;
        }
        writer.flush()?;
    }
    Ok(buffer)
}

/// Writes rows to a UTF-8 CSV with a byte-order mark, atomically.
pub(super) fn write_csv(path: &Path, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let buffer = csv_bytes(header, rows).map_err(csv_error(path))?;
    write_atomically(path, |file| file.write_all(&buffer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_begins_like_a_formula_is_kept_as_text_and_numbers_stay_numbers() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("+86 123"), "'+86 123");
        assert_eq!(spreadsheet_safe("-5"), "-5");
        assert_eq!(spreadsheet_safe("南湖路社区"), "南湖路社区");
    }
}
