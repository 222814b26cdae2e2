//! `community.space` (clauses 17 and 21): where a community records its office and service
//! space, they meet the requirement. Clause 17: 150 m² up to 20,000 m² of residential floor
//! area, 50 m² more for each further 10,000 m². Clause 21: in the old town, office at least 50 m²
//! and service space at least 100 m².

use serde_json::json;

use crate::figures::required_space_m2;
use crate::format::grouped;
use crate::ids::CommunityKey;
use crate::plan::Community;
use crate::rules::context::RuleContext;
use crate::violation::{Location, Severity, Violation, clause_en, clause_zh};

/// The rule id.
pub const RULE: &str = "community.space";

/// Checks one community.
pub fn check(
    context: &RuleContext<'_>,
    key: CommunityKey,
    community: &Community,
    focus: Location,
    out: &mut Vec<Violation>,
) {
    if community.properties.office_area_m2.is_none()
        && community.properties.service_area_m2.is_none()
    {
        return;
    }
    let space = &context.profile.space;
    let office = community.properties.office_area_m2.unwrap_or(0.0);
    let service = community.properties.service_area_m2.unwrap_or(0.0);
    let floor_area = context.tallies.of(key).residential_floor_area_m2;
    let required = required_space_m2(floor_area, space);
    let mut report =
        |case: &'static str, clause: u32, zh: String, en: String, figures: serde_json::Value| {
            out.push(Violation {
                rule: RULE,
                case,
                severity: Severity::Warning,
                clause,
                message_zh: format!("{}: {zh}{}", community.properties.name, clause_zh(clause)),
                message_en: format!("{}: {en}{}", community.properties.name, clause_en(clause)),
                communities: vec![community.id.clone()],
                areas: Vec::new(),
                buildings: Vec::new(),
                figures,
                location: focus.clone(),
            });
        };
    let total = office + service;
    if total + 1e-9 < required {
        report(
            "",
            space.clause,
            format!(
                "办公及服务用房 {} m², 住宅建筑面积 {} m² 应配 {} m²",
                grouped(total.round() as u64),
                grouped(floor_area.round() as u64),
                grouped(required.round() as u64)
            ),
            format!(
                "office and service space {} m²; {} m² of residential floor area requires {} m²",
                grouped(total.round() as u64),
                grouped(floor_area.round() as u64),
                grouped(required.round() as u64)
            ),
            json!({"space_m2": total, "required_m2": required}),
        );
    }
    if community.properties.old_town
        && (office < space.old_town_office_minimum_m2
            || service < space.old_town_service_minimum_m2)
    {
        report(
            "old_town",
            space.old_town_clause,
            format!(
                "老城区社区办公用房 {office} m² (至少 {}), 服务用房 {service} m² (至少 {})",
                space.old_town_office_minimum_m2, space.old_town_service_minimum_m2
            ),
            format!(
                "old-town community: office {office} m² (at least {}), service space {service} m² (at least {})",
                space.old_town_office_minimum_m2, space.old_town_service_minimum_m2
            ),
            json!({"office_m2": office, "service_m2": service}),
        );
    }
}
