//! `community.walking_distance` (warning; GB 50180-2018's life circles, not a clause of the
//! regulation): where a community's committee office is placed, enough of its households live
//! within the profile's walking distance of it, every residential building can reach it along
//! the streets, and it lies inside the community.

use serde_json::json;

use crate::format::grouped;
use crate::plan::Community;
use crate::rules::context::RuleContext;
use crate::violation::{Location, Severity, Violation};
use crate::walking::CommunityWalking;

/// The rule id.
pub const RULE: &str = "community.walking_distance";

/// At most this many buildings are named in a violation (the figures give the full count).
const BUILDINGS_NAMED: usize = 200;

/// Checks one community's walking figures.
pub fn check(
    context: &RuleContext<'_>,
    community: &Community,
    walking: &CommunityWalking,
    focus: Location,
    out: &mut Vec<Violation>,
) {
    let settings = &context.profile.walking;
    let name = &community.properties.name;
    let basis_zh = format!(" ({})", settings.basis);
    let basis_en = basis_zh.clone();
    let mut report = |case: &'static str,
                      zh: String,
                      en: String,
                      buildings: Vec<String>,
                      figures: serde_json::Value,
                      location: Location| {
        out.push(Violation {
            rule: RULE,
            case,
            severity: Severity::Warning,
            clause: 0,
            message_zh: format!("{name}: {zh}{basis_zh}"),
            message_en: format!("{name}: {en}{basis_en}"),
            communities: vec![community.id.clone()],
            areas: Vec::new(),
            buildings,
            figures,
            location,
        });
    };
    if walking.office_outside {
        report(
            "office_outside",
            "居委会办公点不在社区范围内".to_owned(),
            "the committee office lies outside the community".to_owned(),
            Vec::new(),
            json!({}),
            Location::Point(walking.office),
        );
    }
    let share = walking.share_within_rule_distance();
    if share + 1e-12 < settings.minimum_share {
        let farthest = walking
            .farthest
            .map_or(0, |(_, metres)| metres.round() as u64);
        report(
            "",
            format!(
                "步行 {} m 内住户占 {:.0}% (应至少 {:.0}%), 最远楼栋 {} m",
                grouped(settings.rule_distance_m.round() as u64),
                share * 100.0,
                settings.minimum_share * 100.0,
                grouped(farthest)
            ),
            format!(
                "{:.0}% of households live within {} m walk of the office (at least {:.0}% expected); the farthest building is {} m away",
                share * 100.0,
                grouped(settings.rule_distance_m.round() as u64),
                settings.minimum_share * 100.0,
                grouped(farthest)
            ),
            Vec::new(),
            json!({
                "share": share,
                "minimum_share": settings.minimum_share,
                "distance_m": settings.rule_distance_m,
                "farthest_m": farthest,
            }),
            focus.clone(),
        );
    }
    if !walking.unreachable.is_empty() {
        let network = context
            .street_index
            .walking_network(&context.layers.streets);
        let pieces = network.piece_count();
        let buildings = &context.layers.buildings;
        let (zh, en) = if network.is_empty() {
            (
                "没有可步行的街巷".to_owned(),
                "there are no walkable streets".to_owned(),
            )
        } else {
            (
                format!("街巷网分为 {pieces} 片, 互不相连"),
                format!("the street network is in {pieces} unconnected pieces"),
            )
        };
        let location = walking.unreachable.first().map_or(focus, |&building| {
            Location::Point(buildings[building as usize].representative_point)
        });
        report(
            "unreachable",
            format!(
                "{} 栋住宅楼 ({} 户) 沿街巷走不到办公点: {zh}",
                grouped(walking.unreachable.len() as u64),
                grouped(walking.unreachable_households)
            ),
            format!(
                "{} residential buildings ({} households) cannot reach the office along the streets: {en}",
                grouped(walking.unreachable.len() as u64),
                grouped(walking.unreachable_households)
            ),
            walking
                .unreachable
                .iter()
                .take(BUILDINGS_NAMED)
                .map(|&building| buildings[building as usize].source_id.to_string())
                .collect(),
            json!({
                "buildings": walking.unreachable.len(),
                "households": walking.unreachable_households,
                "network_pieces": pieces,
            }),
            location,
        );
    }
}
