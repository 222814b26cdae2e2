//! `community.households` (clause 6): households within the band of the community's type.
//! Normal: 1,000 – 2,000. A newly built estate: from 1,000, no upper limit, a warning above 3,000.
//! Work-unit: at least 1,000. An empty community is `community.empty`'s, not this rule's.

use serde_json::json;

use crate::format::grouped;
use crate::ids::CommunityKey;
use crate::lang::Language;
use crate::plan::{Community, CommunityType};
use crate::profile::CommunityHouseholds;
use crate::rules::context::RuleContext;
use crate::violation::{Location, Severity, Violation, clause_en, clause_zh};

/// The rule id.
pub const RULE: &str = "community.households";

/// Checks one community.
pub fn check(
    context: &RuleContext<'_>,
    key: CommunityKey,
    community: &Community,
    focus: Location,
    out: &mut Vec<Violation>,
) {
    let households = context.tallies.of(key).households;
    if households == 0 {
        return;
    }
    let band = &context.profile.community_households;
    let clause = band.clause;
    let verdict = band_verdict(
        band,
        community.properties.kind,
        community.properties.new_estate,
        households,
    );
    let Some(severity) = verdict.severity() else {
        return;
    };
    let (name, figure) = (&community.properties.name, grouped(households));
    out.push(Violation {
        rule: RULE,
        case: "",
        severity,
        clause,
        message_zh: format!(
            "{name}: {figure} 户, {}{}",
            verdict.describe(Language::Chinese),
            clause_zh(clause)
        ),
        message_en: format!(
            "{name}: {figure} households, {}{}",
            verdict.describe(Language::English),
            clause_en(clause)
        ),
        communities: vec![community.id.clone()],
        areas: Vec::new(),
        buildings: Vec::new(),
        figures: json!({"households": households}),
        location: focus,
    });
}

/// Where a count of households stands in the band of a community's type (clause 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BandVerdict {
    /// Within the band.
    Within,
    /// A work-unit community below its minimum (given).
    BelowWorkUnitMinimum(u64),
    /// Below the minimum (given).
    BelowMinimum(u64),
    /// A new estate above the size to confirm (given): a warning.
    NewEstateAbove(u64),
    /// Above the maximum (given).
    AboveMaximum(u64),
}

impl BandVerdict {
    /// How serious it is: `None` within the band.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Self::Within => None,
            Self::NewEstateAbove(_) => Some(Severity::Warning),
            _ => Some(Severity::Error),
        }
    }

    /// The verdict in words, as the rule's messages give it.
    pub fn describe(self, language: Language) -> String {
        let chinese = language == Language::Chinese;
        match self {
            Self::Within if chinese => "在户数标准之内".to_owned(),
            Self::Within => "within the band".to_owned(),
            Self::BelowWorkUnitMinimum(minimum) if chinese => {
                format!("低于单位型社区 {} 户下限", grouped(minimum))
            }
            Self::BelowWorkUnitMinimum(minimum) => {
                format!("below the work-unit minimum of {}", grouped(minimum))
            }
            Self::BelowMinimum(minimum) if chinese => format!("低于 {} 户下限", grouped(minimum)),
            Self::BelowMinimum(minimum) => format!("below the minimum of {}", grouped(minimum)),
            Self::NewEstateAbove(above) if chinese => {
                format!("新建小区超过 {} 户, 请确认规模", grouped(above))
            }
            Self::NewEstateAbove(above) => {
                format!("a new estate above {}; confirm its size", grouped(above))
            }
            Self::AboveMaximum(maximum) if chinese => format!("超过 {} 户上限", grouped(maximum)),
            Self::AboveMaximum(maximum) => format!("above the maximum of {}", grouped(maximum)),
        }
    }
}

/// Where `households` stands in the band of a community of this type. (An empty community is
/// `community.empty`'s concern; here it is below the minimum.)
pub fn band_verdict(
    band: &CommunityHouseholds,
    kind: CommunityType,
    new_estate: bool,
    households: u64,
) -> BandVerdict {
    if kind == CommunityType::WorkUnit {
        if households < band.work_unit_minimum {
            return BandVerdict::BelowWorkUnitMinimum(band.work_unit_minimum);
        }
    } else if new_estate {
        if households < band.new_estate_minimum {
            return BandVerdict::BelowMinimum(band.new_estate_minimum);
        }
        if households > band.new_estate_warning_above {
            return BandVerdict::NewEstateAbove(band.new_estate_warning_above);
        }
    } else if households < band.minimum {
        return BandVerdict::BelowMinimum(band.minimum);
    } else if households > band.maximum {
        return BandVerdict::AboveMaximum(band.maximum);
    }
    BandVerdict::Within
}
