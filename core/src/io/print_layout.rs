//! How the plan's map sheet is laid out for print: the paper, its orientation, the scale, the
//! words around the map and the approval block. Saved in the plan, so the app's print preview,
//! `shequ export` and the next session all print the same sheet.

use serde::{Deserialize, Serialize};

/// A paper size of ISO 216.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// 297 × 420 mm.
    A3,
}

impl Paper {
    /// Every paper, smallest first.
    pub const ALL: [Paper; 2] = [Paper::A4, Paper::A3];

    /// The short and the long side in millimetres.
    pub fn sides_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A3 => (297.0, 420.0),
        }
    }

    /// "A4" or "A3".
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::A3 => "A3",
        }
    }
}

/// Which way up the paper is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// Long side across.
    #[default]
    Landscape,
    /// Long side down.
    Portrait,
}

/// The map's scale on paper; in the plan file "fit" or "1:N".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum PrintScale {
    /// The plan fills the map frame, at the nearest round scale that fits.
    #[default]
    Fit,
    /// 1:N: one millimetre on paper is N millimetres on the ground.
    OneTo(u32),
}

impl From<PrintScale> for String {
    fn from(scale: PrintScale) -> String {
        match scale {
            PrintScale::Fit => "fit".to_owned(),
            PrintScale::OneTo(denominator) => format!("1:{denominator}"),
        }
    }
}

impl TryFrom<String> for PrintScale {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        PrintScale::parse(&text)
    }
}

impl PrintScale {
    /// "fit", or N of 1:N ("5000", "1:5000" and "1:5,000" alike).
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("fit") {
            return Ok(PrintScale::Fit);
        }
        let digits: String = trimmed
            .trim_start_matches("1:")
            .chars()
            .filter(|character| !matches!(character, ',' | '_' | ' '))
            .collect();
        match digits.parse::<u32>() {
            Ok(denominator) if denominator >= 100 => Ok(PrintScale::OneTo(denominator)),
            _ => Err(format!(
                "\"{text}\" is no print scale: give \"fit\" or a denominator of at least 100, \
                 such as 5000 for 1:5,000"
            )),
        }
    }
}

/// The print layout of the map sheet.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PrintLayout {
    /// The paper size.
    pub paper: Paper,
    /// Landscape or portrait.
    pub orientation: Orientation,
    /// Fit, or 1:N.
    pub scale: PrintScale,
    /// The sheet's title; none for the plan's own title in the sheet's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A line under the title; none for "community plan map" in the sheet's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// 编制单位: who drew the plan.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub organisation: String,
    /// 审核: who reviewed it (blank for a signature by hand).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reviewer: String,
    /// 审批: who approved it (blank for a signature by hand).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub approver: String,
    /// The date on the sheet (YYYY-MM-DD); none for the day it is printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl PrintLayout {
    /// The paper's width and height in millimetres, as oriented.
    pub fn page_mm(&self) -> (f64, f64) {
        let (short, long) = self.paper.sides_mm();
        match self.orientation {
            Orientation::Landscape => (long, short),
            Orientation::Portrait => (short, long),
        }
    }

    /// True when nothing was changed from the defaults (the plan file then leaves it out).
    pub fn is_default(&self) -> bool {
        *self == PrintLayout::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_scales_read_as_fit_or_a_denominator() {
        assert_eq!(PrintScale::parse("fit"), Ok(PrintScale::Fit));
        assert_eq!(PrintScale::parse(" 1:5,000 "), Ok(PrintScale::OneTo(5000)));
        assert_eq!(PrintScale::parse("10000"), Ok(PrintScale::OneTo(10000)));
        assert!(PrintScale::parse("1:0").is_err());
        assert!(PrintScale::parse("large").is_err());
    }

    #[test]
    fn a_layout_round_trips_and_an_empty_member_reads_as_the_default() {
        let layout = PrintLayout {
            paper: Paper::A3,
            orientation: Orientation::Portrait,
            scale: PrintScale::OneTo(5000),
            title: Some("东湖区社区划分".into()),
            organisation: "东湖区民政局".into(),
            ..PrintLayout::default()
        };
        let text = serde_json::to_string(&layout).expect("writes");
        assert!(text.contains("\"paper\":\"a3\"") && text.contains("\"scale\":\"1:5000\""));
        assert_eq!(
            serde_json::from_str::<PrintLayout>(&text).expect("reads"),
            layout
        );
        assert!(
            serde_json::from_str::<PrintLayout>("{}")
                .expect("reads")
                .is_default()
        );
        assert_eq!(layout.page_mm(), (297.0, 420.0));
    }
}
