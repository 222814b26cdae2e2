//! Fixes on violations: for a violation, the commands that would remedy it, ranked, each with
//! its outcome — carried out on a copy of the session (the layers and their indexes are shared,
//! not copied), so what a planner is shown is exactly what applying the fix gives: the figures of
//! the communities it touches, the violations it removes and any it brings.
//!
//! Fixes are proposed for an empty community (delete it), a community above its type's band
//! (split it along its streets into communities each within the band), one below its band
//! (merge it with a touching neighbour, in the same street office where there is one, when the
//! merged community falls within the band) and residential buildings in no community (give them
//! to a community nearby that stays within its band) and a committee office too few households
//! can walk to (move it to the place on the streets inside the community that most can), two
//! communities overlapping (the shared ground to one side), a boundary cutting buildings (each
//! building wholly to the community holding most of it) and a community across street offices
//! (kept to the office where most of its households live), and a street office outside its
//! residents' band (border communities moved between neighbouring offices, or, under the merge
//! threshold, the office merged into a neighbour), and a management grid's violations (a grid
//! with too few households merged with a touching grid, or the community's grids drawn again).
//! Other rules have no fix yet: they are left to a planner, and said so.

use std::collections::BTreeSet;

use geo::Intersects;
use serde::Serialize;

use crate::audit::LoggedCommunity;
use crate::edit::{Command, EditError};
use crate::ids::CommunityKey;
use crate::index::aabb;
use crate::lang::Language;
use crate::session::Session;
use crate::violation::{Severity, ViolationKey};

mod coverage;
mod grid_fixes;
mod households;
mod in_turn;
mod office;
mod shapes;
mod share;
mod split;
mod street_office;

pub use in_turn::{AppliedFix, FixReport, LeftViolation, fix_in_turn};

/// A remedy for one violation, with what it would do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    /// What it does, in Chinese.
    pub description_zh: String,
    /// What it does, in English.
    pub description_en: String,
    /// The command that carries it out (one undo step).
    #[serde(skip)]
    pub command: Command,
    /// What carrying it out gives.
    pub outcome: FixOutcome,
}

impl Fix {
    /// What it does, in `language`.
    pub fn describe(&self, language: Language) -> &str {
        language.pick(&self.description_zh, &self.description_en)
    }
}

/// What a fix gives, found by carrying it out on a copy of the session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixOutcome {
    /// The communities it touches, households before and after.
    pub communities: Vec<LoggedCommunity>,
    /// Unaccepted violations it removes.
    pub removed: Vec<ViolationKey>,
    /// Unaccepted violations it brings.
    pub added: Vec<ViolationKey>,
    /// How many of those it brings are errors.
    pub added_errors: usize,
    /// The boundaries it proposes: each community it touches that is still there after it, by
    /// id, with its boundary then (metres), to draw before it is applied; where the fix changes a
    /// community's grids, each of its grids by code instead.
    #[serde(skip)]
    pub boundaries: Vec<(String, geo::MultiPolygon<f64>)>,
}

/// Why no fix is offered for a violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoFix {
    /// The rule has no automatic fix: a planner decides.
    NotForThisRule,
    /// Fixes were looked for, and none would leave the communities (or street offices) within
    /// their band.
    NoneWithinTheBand,
    /// A community above its band wants splitting, and no split along its streets leaves every
    /// part within the band.
    SplitByHand,
    /// No place on the streets inside the community brings more households within walking
    /// distance of the office.
    NoBetterPlace,
    /// The violation is not (or no longer) in the plan.
    NotFound,
    /// Fixes were looked for and none can be carried out (the communities that would change are
    /// locked, or no boundary would be left).
    NoneFound,
    /// Street-office boundaries are given as a layer: moving communities between offices means
    /// redrawing them.
    OfficeBoundariesGiven,
}

impl NoFix {
    /// Why, in `language`.
    pub fn describe(self, language: Language) -> &'static str {
        match (self, language) {
            (NoFix::NotForThisRule, Language::Chinese) => "此规则暂无自动修复，需人工处理",
            (NoFix::NotForThisRule, Language::English) => {
                "this rule has no automatic fix; a planner decides"
            }
            (NoFix::NoneWithinTheBand, Language::Chinese) => {
                "没有能使户数或人口落入范围的合并、分给相邻社区、划入或调整，需人工调整"
            }
            (NoFix::NoneWithinTheBand, Language::English) => {
                "no merge, sharing out among neighbours, hand-over or move keeps the figures within their band; a planner decides"
            }
            (NoFix::SplitByHand, Language::Chinese) => {
                "沿社区内街道的拆分都不能使各部分户数落入范围，请用拆分工具人工拆分"
            }
            (NoFix::SplitByHand, Language::English) => {
                "no split along the community's streets leaves every part within the band: use the split tool"
            }
            (NoFix::NoBetterPlace, Language::Chinese) => {
                "社区内沿街没有能让更多住户在步行范围内的办公点位置，需人工处理"
            }
            (NoFix::NoBetterPlace, Language::English) => {
                "no place on the streets inside the community brings more households within walking distance; a planner decides"
            }
            (NoFix::NotFound, Language::Chinese) => "方案中已没有此违规",
            (NoFix::NotFound, Language::English) => "the plan no longer has this violation",
            (NoFix::OfficeBoundariesGiven, Language::Chinese) => {
                "街道边界已作为图层给定，在街道之间调整社区需重新划定街道边界，需人工处理"
            }
            (NoFix::OfficeBoundariesGiven, Language::English) => {
                "street-office boundaries are given as a layer: moving communities between offices means redrawing them; a planner decides"
            }
            (NoFix::NoneFound, Language::Chinese) => {
                "找不到可执行的修复（相关社区已锁定或边界无法保留），需人工处理"
            }
            (NoFix::NoneFound, Language::English) => {
                "no fix can be carried out (the communities involved are locked, or no boundary would be left); a planner decides"
            }
        }
    }
}

/// True when violations of `rule` may have fixes.
pub fn has_fixes(rule: &str) -> bool {
    [
        crate::rules::community_empty::RULE,
        crate::rules::community_geometry::RULE,
        crate::rules::community_households::RULE,
        crate::rules::plan_uncovered::RULE,
        crate::rules::community_walking_distance::RULE,
        crate::rules::plan_overlap::RULE,
        crate::rules::community_cuts_building::RULE,
        crate::rules::community_crosses_street_office::RULE,
        crate::rules::street_office_residents::RULE,
        crate::rules::street_office_residents::MERGE_RULE,
        crate::rules::community_grids::HOUSEHOLDS_RULE,
        crate::rules::community_grids::OUTSIDE_RULE,
        crate::rules::community_grids::OVERLAP_RULE,
        crate::rules::community_grids::GAPS_RULE,
    ]
    .contains(&rule)
}

/// The fixes for the violation with `key`, best first, or why there are none.
pub fn fixes_for(session: &Session, key: &ViolationKey) -> Result<Vec<Fix>, NoFix> {
    let violation = session
        .rules()
        .iter()
        .find(|violation| violation.key() == *key)
        .ok_or(NoFix::NotFound)?;
    let community = violation
        .communities
        .first()
        .and_then(|id| session.plan().key_of(id));
    let candidates = match (violation.rule, community) {
        (crate::rules::community_empty::RULE, Some(community)) => {
            households::delete_empty(session, community)
        }
        (crate::rules::plan_uncovered::RULE, _) => match &violation.location {
            crate::violation::Location::Areas(outline) => {
                coverage::give_to_neighbour(session, outline)
            }
            _ => return Err(NoFix::NotForThisRule),
        },
        (crate::rules::community_households::RULE, Some(community)) => {
            if households::above_band(session, community) {
                let splits = split::splits_along_streets(session, community);
                if splits.is_empty() {
                    return Err(NoFix::SplitByHand);
                }
                splits
            } else {
                let mut remedies = households::merges_into_band(session, community);
                remedies.extend(share::share_among_neighbours(session, community));
                remedies
            }
        }
        // Moving the office does not join a street network in pieces.
        (crate::rules::community_walking_distance::RULE, Some(community))
            if violation.case != "unreachable" =>
        {
            let moves = office::office_moves(session, community);
            if moves.is_empty() {
                return Err(NoFix::NoBetterPlace);
            }
            moves
        }
        (crate::rules::plan_overlap::RULE, _) => {
            let pair: Vec<CommunityKey> = violation
                .communities
                .iter()
                .filter_map(|id| session.plan().key_of(id))
                .collect();
            shapes::overlap_to_one_side(session, &pair)
        }
        (crate::rules::community_geometry::RULE, Some(community)) => {
            shapes::repaired(session, community)
        }
        (crate::rules::community_cuts_building::RULE, Some(community)) => {
            shapes::whole_buildings(session, community, violation.case == "estate")
        }
        (crate::rules::community_crosses_street_office::RULE, Some(community)) => {
            shapes::into_one_street_office(session, community)
        }
        (
            crate::rules::street_office_residents::RULE
            | crate::rules::street_office_residents::MERGE_RULE,
            _,
        ) => {
            if session
                .plan()
                .street_offices
                .iter()
                .any(|office| office.boundary.is_some())
            {
                return Err(NoFix::OfficeBoundariesGiven);
            }
            let Some(office) = violation.areas.first() else {
                return Err(NoFix::NotForThisRule);
            };
            street_office::rebalance(session, office)
        }
        (rule, Some(community)) if rule.starts_with("grid.") => {
            grid_fixes::grid_fixes(session, community, &violation.areas)
        }
        _ => return Err(NoFix::NotForThisRule),
    };
    let mut fixes: Vec<(f64, Fix)> = candidates
        .into_iter()
        .filter_map(|(rank, fix)| Some((rank, with_outcome(session, fix).ok()?)))
        .collect();
    if fixes.is_empty() {
        let about_households = [
            crate::rules::community_households::RULE,
            crate::rules::plan_uncovered::RULE,
            crate::rules::street_office_residents::RULE,
            crate::rules::street_office_residents::MERGE_RULE,
        ];
        return Err(if about_households.contains(&violation.rule) {
            NoFix::NoneWithinTheBand
        } else {
            NoFix::NoneFound
        });
    }
    // Those that bring no error first, then by the candidate's own rank.
    fixes.sort_by(|(first_rank, first), (second_rank, second)| {
        (first.outcome.added_errors, *first_rank)
            .partial_cmp(&(second.outcome.added_errors, *second_rank))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    Ok(fixes.into_iter().map(|(_, fix)| fix).collect())
}

/// `window` cut along every street that crosses it: the street blocks around a place, as far as
/// the window reaches.
pub(super) fn street_blocks(
    session: &Session,
    window: geo::Polygon<f64>,
) -> Vec<geo::Polygon<f64>> {
    use geo::BoundingRect;
    let Some(extent) = window.bounding_rect() else {
        return Vec::new();
    };
    let streets = &session.layers().streets;
    let mut found: Vec<u32> = session
        .street_index()
        .segments_of_streets_meeting(aabb(extent.min(), extent.max()))
        .map(|(_, _, street)| street)
        .collect();
    found.sort_unstable();
    found.dedup();
    let lines: Vec<geo::LineString<f64>> = found
        .into_iter()
        .flat_map(|street| streets[street as usize].lines.0.iter().cloned())
        .collect();
    crate::geometry::overlay::slice(&geo::MultiPolygon::new(vec![window]), &lines)
}

/// True when `shape` lies inside `window` by more than a metre on every side: a street block cut
/// from the window by [`street_blocks`] is closed by streets, not by the window's edge.
pub(super) fn closed_within(
    shape: &impl geo::BoundingRect<f64, Output = Option<geo::Rect<f64>>>,
    window: geo::Rect<f64>,
) -> bool {
    shape.bounding_rect().is_some_and(|extent| {
        extent.min().x > window.min().x + 1.0
            && extent.min().y > window.min().y + 1.0
            && extent.max().x < window.max().x - 1.0
            && extent.max().y < window.max().y - 1.0
    })
}

/// A fix not yet tried, as (rank, fix): lower ranks first.
pub(super) type Candidate = (f64, Fix);

/// The communities whose boundary touches or overlaps `key`'s, in plan order.
pub fn touching(session: &Session, key: CommunityKey) -> Vec<CommunityKey> {
    let (Some(community), Some([lower, upper])) = (
        session.plan().community(key),
        session.community_index().envelope(key),
    ) else {
        return Vec::new();
    };
    let mut found: BTreeSet<CommunityKey> = BTreeSet::new();
    for other in session.community_index().meeting(aabb(lower, upper)) {
        if other != key
            && session
                .plan()
                .community(other)
                .is_some_and(|neighbour| neighbour.boundary.intersects(&community.boundary))
        {
            found.insert(other);
        }
    }
    found.into_iter().collect()
}

pub(super) fn unmeasured(description_zh: String, description_en: String, command: Command) -> Fix {
    Fix {
        description_zh,
        description_en,
        command,
        outcome: FixOutcome {
            communities: Vec::new(),
            removed: Vec::new(),
            added: Vec::new(),
            added_errors: 0,
            boundaries: Vec::new(),
        },
    }
}

/// Carries `fix` out on a copy of the session and records what it gives.
fn with_outcome(session: &Session, mut fix: Fix) -> Result<Fix, EditError> {
    let mut trial = session.trial();
    trial.execute(fix.command.clone())?;
    let unaccepted = |session: &Session| -> BTreeSet<(ViolationKey, Severity)> {
        session
            .violations()
            .into_iter()
            .filter(|checked| checked.accepted.is_none())
            .map(|checked| (checked.violation.key(), checked.violation.severity))
            .collect()
    };
    let (before, after) = (unaccepted(session), unaccepted(&trial));
    let keys = |set: &BTreeSet<(ViolationKey, Severity)>| -> BTreeSet<ViolationKey> {
        set.iter().map(|(key, _)| key.clone()).collect()
    };
    let (before_keys, after_keys) = (keys(&before), keys(&after));
    let communities = trial
        .log()
        .last()
        .map(|entry| entry.communities.clone())
        .unwrap_or_default();
    // A community whose grids the fix changes proposes its grids; any other, its boundary.
    let boundaries = communities
        .iter()
        .filter_map(|community| {
            let after = trial
                .plan()
                .community(trial.plan().key_of(&community.id)?)?;
            let before = (session.plan().key_of(&community.id))
                .and_then(|key| session.plan().community(key));
            let grids = &after.properties.grids;
            Some(
                if before.is_some_and(|before| before.properties.grids != *grids) {
                    (grids.iter())
                        .map(|grid| (grid.code.clone(), grid.boundary.clone()))
                        .collect()
                } else {
                    vec![(community.id.clone(), after.boundary.clone())]
                },
            )
        })
        .flatten()
        .collect();
    fix.outcome = FixOutcome {
        communities,
        removed: before_keys.difference(&after_keys).cloned().collect(),
        added: after_keys.difference(&before_keys).cloned().collect(),
        added_errors: after
            .iter()
            .filter(|(key, severity)| *severity == Severity::Error && !before_keys.contains(key))
            .count(),
        boundaries,
    };
    Ok(fix)
}
