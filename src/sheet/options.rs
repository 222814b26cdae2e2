//! How the sheet is drawn, and the words on it in each language.

use shequ_core::lang::Language;

/// How the sheet is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct MapImageOptions {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The language of the sheet's text.
    pub language: Language,
    /// The date printed on the sheet (YYYY-MM-DD).
    pub date: String,
}

impl MapImageOptions {
    /// An A4-landscape-shaped sheet (2400 × 1700 px, ≈ 200 dpi) dated today.
    pub fn sheet(language: Language) -> Self {
        Self {
            width: 2400,
            height: 1700,
            language,
            date: shequ_core::format::today(),
        }
    }
}

/// The words on the sheet.
pub(crate) struct Words {
    pub(crate) subtitle: &'static str,
    pub(crate) drawn_on: &'static str,
    pub(crate) legend: &'static str,
    pub(crate) clean: &'static str,
    pub(crate) warnings: &'static str,
    pub(crate) errors: &'static str,
    pub(crate) street_office: &'static str,
    pub(crate) street: &'static str,
    pub(crate) north: &'static str,
    pub(crate) households: &'static str,
    pub(crate) untitled: &'static str,
    pub(crate) communities: &'static str,
    pub(crate) households_total: &'static str,
    pub(crate) residents_total: &'static str,
    pub(crate) errors_total: &'static str,
    pub(crate) warnings_total: &'static str,
    pub(crate) accepted_total: &'static str,
}

pub(crate) const CHINESE_WORDS: Words = Words {
    subtitle: "社区划分方案图",
    drawn_on: "制图日期",
    legend: "图例",
    clean: "符合规定",
    warnings: "有警告",
    errors: "有错误(未接受)",
    street_office: "街道办事处界线",
    street: "道路",
    north: "北",
    households: "户",
    untitled: "社区划分方案",
    communities: "社区",
    households_total: "户数",
    residents_total: "人口",
    errors_total: "错误",
    warnings_total: "警告",
    accepted_total: "已接受例外",
};

pub(crate) const ENGLISH_WORDS: Words = Words {
    subtitle: "Community plan map",
    drawn_on: "drawn",
    legend: "Legend",
    clean: "Within the rules",
    warnings: "Warnings",
    errors: "Errors (not accepted)",
    street_office: "Street-office boundary",
    street: "Street",
    north: "N",
    households: "households",
    untitled: "Community plan",
    communities: "Communities",
    households_total: "households",
    residents_total: "residents",
    errors_total: "errors",
    warnings_total: "warnings",
    accepted_total: "accepted exceptions",
};
