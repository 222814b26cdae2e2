//! How the sheet is drawn, and the words on it in each language.

use shequ_core::Session;
use shequ_core::io::print_layout::PrintLayout;
use shequ_core::lang::Language;

/// What the sheet is drawn from besides the plan: its layout, language and date.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetOptions {
    /// Paper, orientation, scale, title and approval block.
    pub layout: PrintLayout,
    /// The language of the sheet's text.
    pub language: Language,
    /// The date printed on the sheet (YYYY-MM-DD).
    pub date: String,
    /// The resolution of the PNG, and of the basemap tiles chosen for every format.
    pub dots_per_inch: f32,
}

impl SheetOptions {
    /// The plan's own print layout in `language`, dated as the layout says or today.
    pub fn of(session: &Session, language: Language) -> Self {
        Self::with_layout(session.settings().print_layout.clone(), language)
    }

    /// `layout` in `language`, dated as the layout says or today.
    pub fn with_layout(layout: PrintLayout, language: Language) -> Self {
        let date = layout
            .date
            .clone()
            .unwrap_or_else(shequ_core::format::today);
        Self {
            layout,
            language,
            date,
            dots_per_inch: 200.0,
        }
    }

    pub(crate) fn words(&self) -> &'static Words {
        words_in(self.language)
    }
}

/// The sheet's words in `language`.
pub(crate) fn words_in(language: Language) -> &'static Words {
    match language {
        Language::Chinese => &CHINESE_WORDS,
        Language::English => &ENGLISH_WORDS,
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
    pub(crate) figures: &'static str,
    pub(crate) street_offices: &'static str,
    pub(crate) other_street_offices: &'static str,
    pub(crate) organisation: &'static str,
    pub(crate) reviewer: &'static str,
    pub(crate) approver: &'static str,
    pub(crate) date: &'static str,
    pub(crate) boundary_before: &'static str,
    pub(crate) moved_buildings: &'static str,
    pub(crate) before_after: &'static str,
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
    figures: "主要指标",
    street_offices: "街道办事处",
    other_street_offices: "其余街道",
    organisation: "编制单位",
    reviewer: "审核",
    approver: "审批",
    date: "日期",
    boundary_before: "调整前边界",
    moved_buildings: "变更社区的楼栋",
    before_after: "调整前后对照",
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
    figures: "Figures",
    street_offices: "Office",
    other_street_offices: "Other street offices",
    organisation: "Prepared by",
    reviewer: "Reviewed",
    approver: "Approved",
    date: "Date",
    boundary_before: "Boundary before",
    moved_buildings: "Buildings that change community",
    before_after: "before and after",
};
