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

/// Lays out `rows` under `headers`, each column as wide as its widest cell.
pub fn render(headers: &[(&str, Align)], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|(header, _)| header.width()).collect();
    for row in rows {
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
    for row in rows {
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
}
