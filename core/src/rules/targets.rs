//! `district.communities`, `district.street_offices` and `city.totals` (clauses 1 and 7): counts
//! against the district targets and the city totals, "about" read with the profile's tolerance.
//! City totals are checked only when the plan covers every district the targets name.

use geo::MultiPolygon;
use serde_json::json;

use crate::figures::{AreaFigures, PlanFigures};
use crate::format::grouped;
use crate::profile::DistrictTarget;
use crate::rules::context::RuleContext;
use crate::violation::{Location, Severity, Violation, clause_en, clause_zh};

/// Communities per district.
pub const DISTRICT_COMMUNITIES: &str = "district.communities";
/// Street offices per district.
pub const DISTRICT_STREET_OFFICES: &str = "district.street_offices";
/// City-wide counts.
pub const CITY_TOTALS: &str = "city.totals";

/// True when `count` is "about" `target` within `tolerance` (a share).
pub fn is_about(count: u64, target: u64, tolerance: f64) -> bool {
    let (count, target) = (count as f64, target as f64);
    (count - target).abs() <= target * tolerance + 1e-9
}

struct Finding {
    rule: &'static str,
    clause: u32,
    subject: String,
    zh: String,
    en: String,
    figures: serde_json::Value,
}

/// Checks districts and the city.
pub fn check(context: &RuleContext<'_>, figures: &PlanFigures, out: &mut Vec<Violation>) {
    let targets = &context.profile.targets;
    let mut findings: Vec<(Finding, Location)> = Vec::new();
    for target in &targets.districts {
        let Some(district) = figures
            .districts
            .iter()
            .find(|district| district.name == target.name)
        else {
            continue;
        };
        district_findings(context, figures, target, district, &mut findings);
    }
    let covers_city = !targets.districts.is_empty()
        && targets.districts.iter().all(|target| {
            figures
                .districts
                .iter()
                .any(|district| district.name == target.name)
        });
    if covers_city {
        city_findings(context, figures, &mut findings);
    }
    for (finding, location) in findings {
        out.push(Violation {
            rule: finding.rule,
            case: "",
            severity: Severity::Warning,
            clause: finding.clause,
            message_zh: format!("{}{}", finding.zh, clause_zh(finding.clause)),
            message_en: format!("{}{}", finding.en, clause_en(finding.clause)),
            communities: Vec::new(),
            areas: vec![finding.subject],
            buildings: Vec::new(),
            figures: finding.figures,
            location,
        });
    }
}

fn about_range(about: u64, tolerance: f64) -> String {
    let (low, high) = (
        (about as f64 * (1.0 - tolerance)).ceil() as u64,
        (about as f64 * (1.0 + tolerance)).floor() as u64,
    );
    format!("约 {} ({}–{})", grouped(about), grouped(low), grouped(high))
}

/// The targets a street office (`level` "street_office"), district or the city ("city") is held
/// to, in Chinese, for the approval summary.
pub fn targets_text(profile: &crate::profile::RuleProfile, level: &str, name: &str) -> String {
    let targets = &profile.targets;
    let tolerance = targets.about_tolerance;
    match level {
        "street_office" => {
            let band = &profile.street_office_residents;
            format!(
                "常住人口 {}–{} 人, 不足 {} 人可考虑撤并 (第{}条)",
                grouped(band.minimum),
                grouped(band.maximum),
                grouped(band.merge_candidate_below),
                band.clause
            )
        }
        "district" => {
            let Some(target) = targets.districts.iter().find(|target| target.name == name) else {
                return String::new();
            };
            let mut parts = Vec::new();
            if let Some(about) = target.communities_about {
                parts.push(format!("社区{} 个", about_range(about, tolerance)));
            }
            match (target.street_offices_minimum, target.street_offices_maximum) {
                (Some(minimum), Some(maximum)) if minimum == maximum => {
                    parts.push(format!("街道 {minimum} 个"))
                }
                (Some(minimum), Some(maximum)) => {
                    parts.push(format!("街道 {minimum}–{maximum} 个"))
                }
                _ => {}
            }
            if let Some(about) = target.residents_per_street_office_about {
                parts.push(format!(
                    "每街道常住人口{} 人",
                    about_range(about, tolerance)
                ));
            }
            format!("{} (第1、{}条)", parts.join("; "), targets.clause)
        }
        _ => format!(
            "街道{} 个; 社区{} 个, 其中纯居民社区{} 个, 单位社区{} 个 (第1、{}条)",
            about_range(targets.city_street_offices_about, tolerance),
            about_range(targets.city_communities_about, tolerance),
            about_range(targets.city_pure_residential_about, tolerance),
            about_range(targets.city_work_unit_about, tolerance),
            targets.clause
        ),
    }
}

/// What a district's targets say: its communities, its street offices, their residents.
fn district_findings(
    context: &RuleContext<'_>,
    figures: &PlanFigures,
    target: &DistrictTarget,
    district: &AreaFigures,
    findings: &mut Vec<(Finding, Location)>,
) {
    let targets = &context.profile.targets;
    let tolerance = targets.about_tolerance;
    let office_clause = context.profile.street_office_residents.clause;
    let percent = (tolerance * 100.0).round();
    let location = || district.location();
    if let Some(about) = target.communities_about
        && !is_about(u64::from(district.communities), about, tolerance)
    {
        findings.push((
            Finding {
                rule: DISTRICT_COMMUNITIES,
                clause: targets.clause,
                subject: district.name.clone(),
                zh: format!(
                    "{}: {} 个社区, 目标约 {} 个 (±{percent}%)",
                    district.name,
                    district.communities,
                    grouped(about)
                ),
                en: format!(
                    "{}: {} communities, the target is about {} (±{percent}%)",
                    district.name,
                    district.communities,
                    grouped(about)
                ),
                figures: json!({"communities": district.communities}),
            },
            location(),
        ));
    }
    let offices = u64::from(district.street_offices);
    let below = target
        .street_offices_minimum
        .is_some_and(|minimum| offices < minimum);
    let above = target
        .street_offices_maximum
        .is_some_and(|maximum| offices > maximum);
    if below || above {
        let range = match (target.street_offices_minimum, target.street_offices_maximum) {
            (Some(minimum), Some(maximum)) if minimum == maximum => format!("{minimum}"),
            (Some(minimum), Some(maximum)) => format!("{minimum}–{maximum}"),
            (Some(minimum), None) => format!("≥ {minimum}"),
            (None, Some(maximum)) => format!("≤ {maximum}"),
            (None, None) => String::new(),
        };
        findings.push((
            Finding {
                rule: DISTRICT_STREET_OFFICES,
                clause: office_clause,
                subject: district.name.clone(),
                zh: format!("{}: {offices} 个街道, 应为 {range} 个", district.name),
                en: format!(
                    "{}: {offices} street offices, the target is {range}",
                    district.name
                ),
                figures: json!({"street_offices": offices}),
            },
            location(),
        ));
    }
    if let Some(about) = target.residents_per_street_office_about {
        for office in figures
            .street_offices
            .iter()
            .filter(|office| office.district.as_deref() == Some(&district.name))
        {
            if !is_about(office.residents, about, tolerance) {
                findings.push((
                    Finding {
                        rule: DISTRICT_STREET_OFFICES,
                        clause: office_clause,
                        subject: office.name.clone(),
                        zh: format!("{}: {} 人, {}街道应约 {} 人 (±{percent}%)", office.name, grouped(office.residents), district.name, grouped(about)),
                        en: format!(
                            "{}: {} residents; street offices of {} should have about {} (±{percent}%)",
                            office.name,
                            grouped(office.residents),
                            district.name,
                            grouped(about)
                        ),
                        figures: json!({"residents": office.residents}),
                    },
                    office.location(),
                ));
            }
        }
    }
}

/// What the city's targets say: street offices, communities, pure-residential and work-unit
/// communities.
fn city_findings(
    context: &RuleContext<'_>,
    figures: &PlanFigures,
    findings: &mut Vec<(Finding, Location)>,
) {
    let targets = &context.profile.targets;
    let tolerance = targets.about_tolerance;
    let percent = (tolerance * 100.0).round();
    let city = &figures.city;
    let pure = u64::from(
        city.communities_by_type
            .get("geographic")
            .copied()
            .unwrap_or(0),
    ) + u64::from(
        city.communities_by_type
            .get("residential_estate")
            .copied()
            .unwrap_or(0),
    );
    let work_unit = u64::from(
        city.communities_by_type
            .get("work_unit")
            .copied()
            .unwrap_or(0),
    );
    let checks = [
        (
            "street_offices",
            "街道",
            "street offices",
            u64::from(city.street_offices),
            targets.city_street_offices_about,
        ),
        (
            "communities",
            "社区",
            "communities",
            u64::from(city.communities),
            targets.city_communities_about,
        ),
        (
            "pure_residential",
            "纯居民社区",
            "pure-residential communities",
            pure,
            targets.city_pure_residential_about,
        ),
        (
            "work_unit",
            "单位社区",
            "work-unit communities",
            work_unit,
            targets.city_work_unit_about,
        ),
    ];
    for (figure, zh, en, count, about) in checks {
        if !is_about(count, about, tolerance) {
            findings.push((
                Finding {
                    rule: CITY_TOTALS,
                    clause: targets.clause,
                    subject: format!("city:{figure}"),
                    zh: format!(
                        "全市 {count} 个{zh}, 目标约 {} 个 (±{percent}%)",
                        grouped(about)
                    ),
                    en: format!(
                        "the city has {count} {en}, the target is about {} (±{percent}%)",
                        grouped(about)
                    ),
                    figures: json!({figure: count}),
                },
                Location::Areas(MultiPolygon::new(Vec::new())),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_about, targets_text};
    use crate::profile::RuleProfile;

    #[test]
    fn district_targets_read_as_the_regulation_states_them() {
        let text = targets_text(&RuleProfile::nanchang_2002(), "district", "东湖区");
        assert_eq!(text, "社区约 130 (117–143) 个; 街道 8–10 个 (第1、7条)");
    }

    #[test]
    fn about_means_within_the_tolerance_either_side() {
        assert!(is_about(117, 130, 0.10));
        assert!(is_about(143, 130, 0.10));
        assert!(!is_about(116, 130, 0.10));
        assert!(!is_about(144, 130, 0.10));
    }
}
