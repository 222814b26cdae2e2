//! Fixes on violations: for a violation, the commands that would remedy it, ranked, each with
//! its outcome — carried out on a copy of the session (the layers and their indexes are shared,
//! not copied), so what a planner is shown is exactly what applying the fix gives: the figures of
//! the communities it touches, the violations it removes and any it brings.
//!
//! Fixes are proposed for an empty community (delete it), a community below its type's band
//! (merge it with a touching neighbour, in the same street office where there is one, when the
//! merged community falls within the band) and residential buildings in no community (give them
//! to a community nearby that stays within its band) and a committee office too few households
//! can walk to (move it to the place on the streets inside the community that most can). Other
//! rules have no fix yet: they are left to a planner, and said so.

use std::collections::BTreeSet;

use geo::Intersects;
use serde::Serialize;

use crate::audit::LoggedCommunity;
use crate::edit::{Command, EditError};
use crate::ids::CommunityKey;
use crate::index::aabb;
use crate::lang::Language;
use crate::rules::community_households::{BandVerdict, band_verdict};
use crate::session::Session;
use crate::violation::{Severity, ViolationKey};

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
}

/// Why no fix is offered for a violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoFix {
    /// The rule has no automatic fix: a planner decides.
    NotForThisRule,
    /// Fixes were looked for, and none would leave the community within its band.
    NoneWithinTheBand,
    /// A community above its band wants splitting, which is not automatic yet.
    SplitByHand,
    /// No place on the streets inside the community brings more households within walking
    /// distance of the office.
    NoBetterPlace,
    /// The violation is not (or no longer) in the plan.
    NotFound,
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
                "没有能使社区户数落入范围的合并或划入，需人工调整"
            }
            (NoFix::NoneWithinTheBand, Language::English) => {
                "no merge or hand-over keeps the communities within their band; a planner decides"
            }
            (NoFix::SplitByHand, Language::Chinese) => {
                "户数超出上限的社区需拆分，暂无自动拆分，请用拆分工具"
            }
            (NoFix::SplitByHand, Language::English) => {
                "a community above its band wants splitting, not yet automatic: use the split tool"
            }
            (NoFix::NoBetterPlace, Language::Chinese) => {
                "社区内沿街没有能让更多住户在步行范围内的办公点位置，需人工处理"
            }
            (NoFix::NoBetterPlace, Language::English) => {
                "no place on the streets inside the community brings more households within walking distance; a planner decides"
            }
            (NoFix::NotFound, Language::Chinese) => "方案中已没有此违规",
            (NoFix::NotFound, Language::English) => "the plan no longer has this violation",
        }
    }
}

/// True when violations of `rule` may have fixes.
pub fn has_fixes(rule: &str) -> bool {
    [
        crate::rules::community_empty::RULE,
        crate::rules::community_households::RULE,
        crate::rules::plan_uncovered::RULE,
        crate::rules::community_walking_distance::RULE,
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
        (crate::rules::community_empty::RULE, Some(community)) => delete_empty(session, community),
        (crate::rules::plan_uncovered::RULE, _) => match &violation.location {
            crate::violation::Location::Areas(outline) => give_to_neighbour(session, outline),
            _ => return Err(NoFix::NotForThisRule),
        },
        (crate::rules::community_households::RULE, Some(community)) => {
            if above_band(session, community) {
                return Err(NoFix::SplitByHand);
            }
            merges_into_band(session, community)
        }
        // Moving the office does not join a street network in pieces.
        (crate::rules::community_walking_distance::RULE, Some(community))
            if violation.case != "unreachable" =>
        {
            let moves = office_moves(session, community);
            if moves.is_empty() {
                return Err(NoFix::NoBetterPlace);
            }
            moves
        }
        _ => return Err(NoFix::NotForThisRule),
    };
    let mut fixes: Vec<(f64, Fix)> = candidates
        .into_iter()
        .filter_map(|(rank, fix)| Some((rank, with_outcome(session, fix).ok()?)))
        .collect();
    if fixes.is_empty() {
        return Err(NoFix::NoneWithinTheBand);
    }
    // Those that bring no error first, then by the candidate's own rank.
    fixes.sort_by(|(first_rank, first), (second_rank, second)| {
        (first.outcome.added_errors, *first_rank)
            .partial_cmp(&(second.outcome.added_errors, *second_rank))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    Ok(fixes.into_iter().map(|(_, fix)| fix).collect())
}

/// True when the community has more households than its type's band allows.
fn above_band(session: &Session, key: CommunityKey) -> bool {
    let Some(community) = session.plan().community(key) else {
        return false;
    };
    let properties = &community.properties;
    matches!(
        band_verdict(
            &session.profile().community_households,
            properties.kind,
            properties.new_estate,
            session.tallies().of(key).households,
        ),
        BandVerdict::AboveMaximum(_) | BandVerdict::NewEstateAbove(_)
    )
}

/// A fix not yet tried, as (rank, fix): lower ranks first.
type Candidate = (f64, Fix);

fn delete_empty(session: &Session, key: CommunityKey) -> Vec<Candidate> {
    let Some(community) = session.plan().community(key) else {
        return Vec::new();
    };
    vec![(
        0.0,
        unmeasured(
            format!(
                "删除空社区 {} ({})",
                community.properties.name, community.id
            ),
            format!(
                "delete the empty community {} ({})",
                community.properties.name, community.id
            ),
            Command::Delete { key },
        ),
    )]
}

/// The office moved to the place on the streets inside the community from which the most
/// households live within the profile's walking distance.
fn office_moves(session: &Session, key: CommunityKey) -> Vec<Candidate> {
    let Some(community) = session.plan().community(key) else {
        return Vec::new();
    };
    let layers = session.layers();
    let Some((place, within)) = crate::walking::better_office_place(
        session.street_index().walking_network(&layers.streets),
        &layers.buildings,
        community,
        &session.tallies().of(key).members,
        &session.profile().walking,
    ) else {
        return Vec::new();
    };
    let distance = crate::format::grouped(session.profile().walking.rule_distance_m as u64);
    let households = crate::format::grouped(within);
    let mut properties = community.properties.clone();
    properties.office = Some(place);
    vec![(
        0.0,
        unmeasured(
            format!(
                "把 {} 的居委会办公点移到沿街更居中的位置: 步行 {distance} m 内 {households} 户",
                community.properties.name
            ),
            format!(
                "move the committee office of {} to a more central place on the street: {households} households within {distance} m",
                community.properties.name
            ),
            Command::SetProperties {
                key,
                properties: Box::new(properties),
            },
        ),
    )]
}

/// Merges with each touching neighbour (in the same street office, where any is) whose merged
/// households fall within the band of the neighbour's type; ranked by how near the band's middle
/// the result lies.
fn merges_into_band(session: &Session, key: CommunityKey) -> Vec<Candidate> {
    let Some(community) = session.plan().community(key) else {
        return Vec::new();
    };
    let band = &session.profile().community_households;
    let households = session.tallies().of(key).households;
    let neighbours = touching(session, key);
    let same_office: Vec<CommunityKey> = neighbours
        .iter()
        .copied()
        .filter(|neighbour| {
            session.plan().community(*neighbour).is_some_and(|other| {
                other.properties.street_office == community.properties.street_office
            })
        })
        .collect();
    let choices = if same_office.is_empty() {
        neighbours
    } else {
        same_office
    };
    choices
        .into_iter()
        .filter_map(|neighbour| {
            let other = session.plan().community(neighbour)?;
            if other.properties.locked {
                return None;
            }
            let merged = households + session.tallies().of(neighbour).households;
            let properties = &other.properties;
            let verdict = band_verdict(band, properties.kind, properties.new_estate, merged);
            if verdict != BandVerdict::Within {
                return None;
            }
            let middle = (band.minimum + band.maximum) as f64 / 2.0;
            let rank = (merged as f64 - middle).abs();
            Some((
                rank,
                unmeasured(
                    format!(
                        "并入相邻的 {} ({})，合并后 {} 户",
                        properties.name,
                        other.id,
                        crate::format::grouped(merged)
                    ),
                    format!(
                        "merge into the neighbouring {} ({}): {} households together",
                        properties.name,
                        other.id,
                        crate::format::grouped(merged)
                    ),
                    // The neighbour keeps its id and attributes.
                    Command::Merge {
                        keys: vec![neighbour, key],
                        allow_several_parts: false,
                    },
                ),
            ))
        })
        .collect()
}

/// How far (m) from an uncovered cluster a community may lie and still be offered its buildings.
const NEIGHBOUR_REACH_M: f64 = 60.0;

/// Residential buildings in no community, inside `outline` (their cluster): given to each
/// community within [`NEIGHBOUR_REACH_M`] that stays within its band with them, nearest first.
fn give_to_neighbour(session: &Session, outline: &geo::MultiPolygon<f64>) -> Vec<Candidate> {
    use geo::{BoundingRect, Contains, Distance, Euclidean};
    let buildings = &session.layers().buildings;
    let cluster: Vec<u32> = session
        .tallies()
        .unassigned_buildings()
        .filter(|&building| outline.contains(&buildings[building as usize].representative_point))
        .collect();
    let Some(bounds) = outline.bounding_rect() else {
        return Vec::new();
    };
    if cluster.is_empty() {
        return Vec::new();
    }
    let households: u64 = cluster
        .iter()
        .map(|&building| u64::from(buildings[building as usize].households))
        .sum();
    let reach = geo::Coord {
        x: NEIGHBOUR_REACH_M,
        y: NEIGHBOUR_REACH_M,
    };
    let band = &session.profile().community_households;
    session
        .community_index()
        .meeting(aabb(bounds.min() - reach, bounds.max() + reach))
        .filter_map(|key| {
            let community = session.plan().community(key)?;
            let properties = &community.properties;
            if properties.locked {
                return None;
            }
            let distance = Euclidean.distance(&community.boundary, outline);
            if distance > NEIGHBOUR_REACH_M {
                return None;
            }
            let together = session.tallies().of(key).households + households;
            if band_verdict(band, properties.kind, properties.new_estate, together)
                != BandVerdict::Within
            {
                return None;
            }
            Some((
                distance,
                unmeasured(
                    format!(
                        "把 {} 栋住宅楼 ({} 户) 划入相邻的 {} ({})，划入后 {} 户",
                        cluster.len(),
                        crate::format::grouped(households),
                        properties.name,
                        community.id,
                        crate::format::grouped(together)
                    ),
                    format!(
                        "give the {} residential buildings ({} households) to the neighbouring {} ({}): {} households then",
                        cluster.len(),
                        crate::format::grouped(households),
                        properties.name,
                        community.id,
                        crate::format::grouped(together)
                    ),
                    Command::AssignBuildings {
                        buildings: cluster.clone(),
                        to: key,
                    },
                ),
            ))
        })
        .collect()
}

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

fn unmeasured(description_zh: String, description_en: String, command: Command) -> Fix {
    Fix {
        description_zh,
        description_en,
        command,
        outcome: FixOutcome {
            communities: Vec::new(),
            removed: Vec::new(),
            added: Vec::new(),
            added_errors: 0,
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
    fix.outcome = FixOutcome {
        communities: trial
            .log()
            .last()
            .map(|entry| entry.communities.clone())
            .unwrap_or_default(),
        removed: before_keys.difference(&after_keys).cloned().collect(),
        added: after_keys.difference(&before_keys).cloned().collect(),
        added_errors: after
            .iter()
            .filter(|(key, severity)| *severity == Severity::Error && !before_keys.contains(key))
            .count(),
    };
    Ok(fix)
}

/// A fix carried out by [`fix_in_turn`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliedFix {
    /// The violation it fixed.
    pub violation: ViolationKey,
    /// What it did, in Chinese.
    pub description_zh: String,
    /// What it did, in English.
    pub description_en: String,
    /// Its outcome.
    pub outcome: FixOutcome,
}

/// A violation [`fix_in_turn`] left for a planner, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeftViolation {
    /// The violation.
    pub violation: ViolationKey,
    /// Its message in Chinese.
    pub message_zh: String,
    /// Its message in English.
    pub message_en: String,
    /// Why it was left, in Chinese.
    pub reason_zh: String,
    /// Why it was left, in English.
    pub reason_en: String,
}

/// What [`fix_in_turn`] did and left.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FixReport {
    /// The fixes carried out, in order.
    pub applied: Vec<AppliedFix>,
    /// The matching violations left, with why.
    pub left: Vec<LeftViolation>,
}

/// Carries out the best fix of each unaccepted violation that `matches`, one at a time and
/// re-checking after each (a fix can remove or change others), skipping a fix that would add an
/// error; each fix is one undo step and one entry of the change log.
pub fn fix_in_turn(
    session: &mut Session,
    matches: impl Fn(&crate::violation::Violation) -> bool,
) -> FixReport {
    let mut report = FixReport::default();
    let mut tried: BTreeSet<ViolationKey> = BTreeSet::new();
    let mut reasons: Vec<(ViolationKey, String, String)> = Vec::new();
    loop {
        let next = session
            .violations()
            .into_iter()
            .filter(|checked| checked.accepted.is_none() && matches(checked.violation))
            .map(|checked| checked.violation.key())
            .find(|key| !tried.contains(key));
        let Some(key) = next else { break };
        tried.insert(key.clone());
        let chosen = match fixes_for(session, &key) {
            Ok(fixes) => fixes
                .into_iter()
                .find(|fix| fix.outcome.added_errors == 0)
                .ok_or((
                    "每种修复都会带来新的错误，需人工处理",
                    "every fix would add an error; a planner decides",
                )),
            Err(no_fix) => Err((
                no_fix.describe(Language::Chinese),
                no_fix.describe(Language::English),
            )),
        };
        match chosen {
            Ok(fix) if session.execute(fix.command.clone()).is_ok() => {
                report.applied.push(AppliedFix {
                    violation: key,
                    description_zh: fix.description_zh,
                    description_en: fix.description_en,
                    outcome: fix.outcome,
                });
            }
            Ok(_) => reasons.push((
                key,
                "修复被拒绝（社区已锁定或几何不可行）".to_owned(),
                "the fix was refused (a community is locked, or the geometry does not allow it)"
                    .to_owned(),
            )),
            Err((chinese, english)) => reasons.push((key, chinese.to_owned(), english.to_owned())),
        }
    }
    // Left: the matching violations still in the plan, with why they were left.
    for checked in session.violations() {
        let violation = checked.violation;
        if checked.accepted.is_some() || !matches(violation) {
            continue;
        }
        let key = violation.key();
        let (reason_zh, reason_en) = reasons
            .iter()
            .find(|(left, _, _)| *left == key)
            .map(|(_, chinese, english)| (chinese.clone(), english.clone()))
            .unwrap_or_else(|| {
                (
                    "修复其他违规后仍存在，需人工处理".to_owned(),
                    "still there after the other fixes; a planner decides".to_owned(),
                )
            });
        report.left.push(LeftViolation {
            violation: key,
            message_zh: violation.message_zh.clone(),
            message_en: violation.message_en.clone(),
            reason_zh,
            reason_en,
        });
    }
    report
}
