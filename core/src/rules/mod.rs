//! The regulation as rules: one file per rule, and the engine that runs them all at load and only
//! the affected ones after an edit. The numbers come from [`crate::profile`]; what a broken rule
//! says is a [`crate::violation::Violation`].
//!
//! | rule | clause | severity |
//! |---|---|---|
//! | `community.households` | 6 | error outside the band of the type; warning for a new estate above 3,000 |
//! | `community.empty` | 6 | error |
//! | `street_office.residents` | 1 | warning outside 40,000 – 60,000 |
//! | `street_office.merge_candidate` | 1 | error under 30,000 |
//! | `district.communities`, `district.street_offices`, `city.totals` | 1, 7 | warning |
//! | `plan.overlap` | 6 | error |
//! | `plan.uncovered` | 5 | error |
//! | `community.cuts_building` | 6 | warning; error for estate buildings of a residential-estate community |
//! | `community.follows_streets` | 6 | warning |
//! | `community.contiguous` | 6 | warning |
//! | `community.geometry` | — | error |
//! | `community.crosses_street_office` | 1 | error |
//! | `community.space` | 17, 21 | warning |
//! | `community.walking_distance` | — (GB 50180-2018) | warning |
//! | `grid.households` / `grid.gaps` | — (profile `grids`) | warning |
//! | `grid.outside_community` / `grid.overlap` | — (profile `grids`) | error |

pub mod community_contiguous;
pub mod community_crosses_street_office;
pub mod community_cuts_building;
pub mod community_empty;
pub mod community_follows_streets;
pub mod community_geometry;
pub mod community_grids;
pub mod community_households;
pub mod community_space;
pub mod community_walking_distance;
pub mod context;
pub mod plan_overlap;
pub mod plan_uncovered;
pub mod street_office_residents;
pub mod targets;

use std::collections::BTreeMap;
use std::sync::Arc;

use geo::{Area, Centroid, InteriorPoint};
use rayon::prelude::*;

pub use context::RuleContext;

use crate::figures::{PlanFigures, plan_figures};
use crate::grid_figures::{CountedGrids, grids_of_community};
use crate::ids::CommunityKey;
use crate::index::boundary_envelope;
use crate::lang::Language;
use crate::violation::{Location, Violation};
use crate::walking::{CommunityWalking, community_walking};

/// Every rule id, in the order violations are listed.
pub const RULE_IDS: [&str; 20] = [
    community_geometry::RULE,
    community_empty::RULE,
    community_households::RULE,
    community_cuts_building::RULE,
    community_follows_streets::RULE,
    community_contiguous::RULE,
    community_crosses_street_office::RULE,
    community_space::RULE,
    community_walking_distance::RULE,
    community_grids::HOUSEHOLDS_RULE,
    community_grids::OUTSIDE_RULE,
    community_grids::OVERLAP_RULE,
    community_grids::GAPS_RULE,
    plan_overlap::RULE,
    plan_uncovered::RULE,
    street_office_residents::MERGE_RULE,
    street_office_residents::RULE,
    targets::DISTRICT_STREET_OFFICES,
    targets::DISTRICT_COMMUNITIES,
    targets::CITY_TOTALS,
];

/// A rule's name for people, in `language` (the id stays what JSON, exceptions and the CLI use).
/// An id no rule has is given back as it is.
pub fn rule_name(rule: &str, language: Language) -> &str {
    let (chinese, english) = match rule {
        community_geometry::RULE => ("边界几何", "boundary geometry"),
        community_empty::RULE => ("空社区", "empty community"),
        community_households::RULE => ("社区户数", "community households"),
        community_cuts_building::RULE => ("切割楼栋", "cuts buildings"),
        community_follows_streets::RULE => ("沿街巷划界", "follows streets"),
        community_contiguous::RULE => ("社区连片", "contiguous"),
        community_crosses_street_office::RULE => ("跨街道", "crosses street offices"),
        community_space::RULE => ("办公服务用房", "office and service space"),
        community_walking_distance::RULE => ("步行距离", "walking distance"),
        community_grids::HOUSEHOLDS_RULE => ("网格户数", "grid households"),
        community_grids::OUTSIDE_RULE => ("网格出界", "grid outside its community"),
        community_grids::OVERLAP_RULE => ("网格重叠", "grids overlap"),
        community_grids::GAPS_RULE => ("网格遗漏", "homes in no grid"),
        plan_overlap::RULE => ("社区重叠", "overlap"),
        plan_uncovered::RULE => ("未划入社区的住宅", "homes in no community"),
        street_office_residents::MERGE_RULE => ("街道宜合并", "street office to merge"),
        street_office_residents::RULE => ("街道人口", "street office residents"),
        targets::DISTRICT_STREET_OFFICES => ("区街道数", "district street offices"),
        targets::DISTRICT_COMMUNITIES => ("区社区数", "district communities"),
        targets::CITY_TOTALS => ("全市总量", "city totals"),
        _ => return rule,
    };
    language.pick(chinese, english)
}

/// A point inside a community (for zooming), or its centroid when it has no inside.
fn community_focus(community: &crate::plan::Community) -> Location {
    let point = community
        .boundary
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
        .and_then(|largest| largest.interior_point())
        .or_else(|| community.boundary.centroid())
        .map(|point| point.0)
        .unwrap_or_default();
    Location::Point(point)
}

/// A community's walking figures, shared between copies of the results.
pub type SharedWalking = Option<Arc<CommunityWalking>>;

/// What the rules measured of one community on the way, kept for the report and the screen
/// (shared between copies of the results): its walking figures when it has an office, its grids
/// counted when it has grids.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    /// The walking figures, when the community has an office.
    pub walking: SharedWalking,
    /// The grids counted, when the community has grids.
    pub grids: Option<Arc<CountedGrids>>,
}

/// The rules that concern one community alone, and what they measured of it.
pub fn check_community(context: &RuleContext<'_>, key: CommunityKey) -> (Vec<Violation>, Measured) {
    let mut out = Vec::new();
    let Some(community) = context.plan.community(key) else {
        return (out, Measured::default());
    };
    let focus = community_focus(community);
    community_geometry::check(community, focus.clone(), &mut out);
    community_empty::check(context, key, community, focus.clone(), &mut out);
    community_households::check(context, key, community, focus.clone(), &mut out);
    community_cuts_building::check(context, key, community, &mut out);
    community_follows_streets::check(context, community, &mut out);
    community_contiguous::check(community, context.profile.geometry.clause, &mut out);
    community_crosses_street_office::check(context, community, &mut out);
    community_space::check(context, key, community, focus.clone(), &mut out);
    let grids = (!community.properties.grids.is_empty()).then(|| {
        Arc::new(grids_of_community(
            community,
            &context.tallies.of(key).members,
            &context.layers.buildings,
        ))
    });
    if let Some(counted) = &grids {
        community_grids::check(context, community, counted, &mut out);
    }
    let walking = community.properties.office.is_some().then(|| {
        community_walking(
            context
                .street_index
                .walking_network(&context.layers.streets),
            &context.layers.buildings,
            community,
            &context.tallies.of(key).members,
            &context.profile.walking,
        )
    });
    let walking = walking.flatten().map(Arc::new);
    if let Some(walking) = &walking {
        community_walking_distance::check(context, community, walking, focus, &mut out);
    }
    (out, Measured { walking, grids })
}

/// The overlap violations of `key` with each neighbour, keyed by the ordered pair.
fn overlaps_of(context: &RuleContext<'_>, key: CommunityKey) -> Vec<OverlapEntry> {
    let Some(community) = context.plan.community(key) else {
        return Vec::new();
    };
    let Some(envelope) = boundary_envelope(&community.boundary) else {
        return Vec::new();
    };
    context
        .community_index
        .meeting(envelope)
        .filter(|&other| other != key)
        .filter_map(|other| {
            let pair = if key < other {
                (key, other)
            } else {
                (other, key)
            };
            plan_overlap::check_pair(context, pair.0, pair.1).map(|violation| (pair, violation))
        })
        .collect()
}

/// The plan-wide rules, with the totals they were checked against.
fn plan_level(context: &RuleContext<'_>) -> (Vec<Violation>, PlanFigures) {
    let figures = plan_figures(
        context.plan,
        context.tallies,
        context.profile,
        context.community_index,
    );
    let mut out = Vec::new();
    plan_uncovered::check(context, &mut out);
    street_office_residents::check(context, &figures.street_offices, &mut out);
    targets::check(context, &figures, &mut out);
    (out, figures)
}

/// A community's own violations, what they measured and the overlaps it is the first of.
type CheckedCommunity = (CommunityKey, (Vec<Violation>, Measured), Vec<OverlapEntry>);
/// An overlap violation under its ordered pair of communities.
type OverlapEntry = ((CommunityKey, CommunityKey), Violation);

/// The violations of a plan, kept per community so that an edit re-checks only what it touched.
#[derive(Debug, Clone, Default)]
pub struct RuleResults {
    per_community: Vec<Vec<Violation>>,
    /// What the rules measured of each community, by slot.
    measured: Vec<Measured>,
    overlaps: BTreeMap<(CommunityKey, CommunityKey), Violation>,
    plan_level: Vec<Violation>,
    /// Totals per street office, district and city, as of the last check.
    pub figures: Option<PlanFigures>,
}

impl RuleResults {
    /// Runs every rule (community rules in parallel).
    pub fn full(context: &RuleContext<'_>) -> Self {
        let keys = context.plan.keys();
        let checked: Vec<CheckedCommunity> = keys
            .par_iter()
            .map(|&key| {
                let overlaps = overlaps_of(context, key)
                    .into_iter()
                    .filter(|((first, _), _)| *first == key)
                    .collect();
                (key, check_community(context, key), overlaps)
            })
            .collect();
        let mut results = Self {
            per_community: vec![Vec::new(); context.plan.slot_count()],
            measured: vec![Measured::default(); context.plan.slot_count()],
            ..Self::default()
        };
        for (key, (violations, measured), overlaps) in checked {
            results.per_community[key.index()] = violations;
            results.measured[key.index()] = measured;
            results.overlaps.extend(overlaps);
        }
        results.check_plan_level(context);
        results
    }

    /// Re-runs the rules that concern `touched` communities and their neighbours, and the plan-wide
    /// rules (which are sums over tallies already kept current).
    pub fn recheck(&mut self, context: &RuleContext<'_>, touched: &[CommunityKey]) {
        if self.per_community.len() < context.plan.slot_count() {
            self.per_community
                .resize(context.plan.slot_count(), Vec::new());
        }
        if self.measured.len() < context.plan.slot_count() {
            self.measured
                .resize(context.plan.slot_count(), Measured::default());
        }
        // The touched communities' own rules and overlaps, and the plan-wide rules, are
        // independent of each other: they run side by side.
        let (checked, plan_level) = rayon::join(
            || {
                touched
                    .par_iter()
                    .map(|&key| {
                        (
                            key,
                            check_community(context, key),
                            overlaps_of(context, key),
                        )
                    })
                    .collect::<Vec<_>>()
            },
            || plan_level(context),
        );
        for &key in touched {
            self.overlaps
                .retain(|(first, second), _| *first != key && *second != key);
        }
        for (key, (violations, measured), overlaps) in checked {
            self.per_community[key.index()] = violations;
            self.measured[key.index()] = measured;
            self.overlaps.extend(overlaps);
        }
        (self.plan_level, self.figures) = (plan_level.0, Some(plan_level.1));
    }

    fn check_plan_level(&mut self, context: &RuleContext<'_>) {
        let (violations, figures) = plan_level(context);
        self.plan_level = violations;
        self.figures = Some(figures);
    }

    /// Every violation: per community in plan order, then overlaps, then plan-wide ones.
    pub fn iter(&self) -> impl Iterator<Item = &Violation> {
        self.per_community
            .iter()
            .flatten()
            .chain(self.overlaps.values())
            .chain(&self.plan_level)
    }

    /// The walking figures of community `key`, when it has an office.
    pub fn walking_of(&self, key: CommunityKey) -> Option<&CommunityWalking> {
        self.measured.get(key.index())?.walking.as_deref()
    }

    /// The grids of community `key` counted, when it has grids.
    pub fn grids_of(&self, key: CommunityKey) -> Option<&CountedGrids> {
        self.measured.get(key.index())?.grids.as_deref()
    }

    /// The violations that concern community `key` (its own, and overlaps it is part of).
    pub fn of_community(&self, key: CommunityKey) -> impl Iterator<Item = &Violation> {
        self.per_community
            .get(key.index())
            .into_iter()
            .flatten()
            .chain(
                self.overlaps
                    .iter()
                    .filter(move |((first, second), _)| *first == key || *second == key)
                    .map(|(_, violation)| violation),
            )
    }
}

#[cfg(test)]
mod rule_name_tests {
    use super::*;

    #[test]
    fn every_rule_has_a_chinese_and_an_english_name() {
        for rule in RULE_IDS {
            let chinese = rule_name(rule, Language::Chinese);
            let english = rule_name(rule, Language::English);
            assert_ne!(chinese, rule, "{rule} has a Chinese name");
            assert_ne!(english, rule, "{rule} has an English name");
            assert!(!chinese.is_ascii(), "{chinese}");
        }
        assert_eq!(rule_name("no.such_rule", Language::Chinese), "no.such_rule");
    }
}
