//! Plain-text tables that line up with Chinese text (two columns a character).

use unicode_width::UnicodeWidthStr;

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers.
    Right,
}

/// The widest a cell is shown, in terminal columns; longer text ends in "…".
const WIDEST_CELL: usize = 48;

/// The widest a message line is shown.
pub const WIDEST_MESSAGE: usize = 400;

/// A cell as a terminal may show it: control characters (escape codes a name could carry into
/// the terminal) dropped, and cut to [`WIDEST_CELL`] columns.
pub fn printable(cell: &str) -> String {
    printable_within(cell, WIDEST_CELL)
}

/// Text as a terminal may show it, cut to `widest` columns.
pub fn printable_within(cell: &str, widest: usize) -> String {
    let mut shown = String::new();
    let mut width = 0;
    for character in cell.chars().filter(|character| !character.is_control()) {
        let character_width = unicode_width::UnicodeWidthChar::width(character).unwrap_or(0);
        if width + character_width > widest - 1 {
            shown.push('…');
            break;
        }
        width += character_width;
        shown.push(character);
    }
    shown
}

/// Prints load warnings to standard error in `language`, each made printable.
pub fn print_warnings(
    warnings: &[shequ_core::io::warnings::LoadWarning],
    language: shequ_core::lang::Language,
) {
    for warning in warnings {
        eprintln!(
            "{}: {}",
            language.pick("警告", "warning"),
            printable_within(&warning.describe(language), WIDEST_MESSAGE)
        );
    }
}

/// Lays out `rows` under `headers`, each column as wide as its widest cell (cells made
/// [`printable`]).
pub fn render(headers: &[(&str, Align)], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| printable(cell)).collect())
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|(header, _)| header.width()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut text = String::new();
        for (column, cell) in cells.into_iter().enumerate() {
            let padding = " ".repeat(widths[column].saturating_sub(cell.width()));
            if column > 0 {
                text.push_str("  ");
            }
            match headers[column].1 {
                Align::Left => {
                    text.push_str(cell);
                    text.push_str(&padding);
                }
                Align::Right => {
                    text.push_str(&padding);
                    text.push_str(cell);
                }
            }
        }
        text.trim_end().to_owned() + "\n"
    };
    let mut output = line(headers.iter().map(|(header, _)| *header).collect());
    let rule: Vec<String> = widths.iter().map(|width| "─".repeat(*width)).collect();
    output.push_str(&rule.join("  "));
    output.push('\n');
    for row in &rows {
        output.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_cells_line_up_with_latin_ones() {
        let text = render(
            &[("name", Align::Left), ("n", Align::Right)],
            &[
                vec!["东湖".into(), "1".into()],
                vec!["ab".into(), "22".into()],
            ],
        );
        let widths: Vec<usize> = text.lines().skip(2).map(UnicodeWidthStr::width).collect();
        assert_eq!(widths[0], widths[1]);
    }

    #[test]
    fn escape_codes_are_dropped_and_long_names_cut() {
        assert_eq!(printable("东湖\u{1b}[31m社区\u{7}"), "东湖[31m社区");
        let long = "社".repeat(10_000);
        let shown = printable(&long);
        assert!(
            shown.ends_with('…') && shown.width() <= WIDEST_CELL,
            "{}",
            shown.width()
        );
    }
}
