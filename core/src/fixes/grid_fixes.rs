//! Fixes for a community's management grids: a grid with too few households merged with a
//! touching grid of its community (where the two together fall within the grids' range), and,
//! for any grid violation, the community's grids drawn again.

use crate::grids::{draw_grids, merge_grids};
use crate::ids::CommunityKey;
use crate::session::Session;

use super::{Candidate, unmeasured};

/// A redrawing comes after the merges: it renumbers every grid of the community.
const REDRAWING_RANK: f64 = 1.0;

/// The fixes for a grid violation of the community `key`, about the grids `codes` (none for
/// homes in no grid).
pub(super) fn grid_fixes(session: &Session, key: CommunityKey, codes: &[String]) -> Vec<Candidate> {
    let mut candidates = match codes {
        [code] => merges_into_range(session, key, code),
        _ => Vec::new(),
    };
    candidates.extend(redrawn(session, key));
    candidates
}

/// The community's grids drawn again at the profile's target.
fn redrawn(session: &Session, key: CommunityKey) -> Option<Candidate> {
    let community = session.plan().community(key)?;
    let target = session.profile().grids.target_households;
    let (command, drawn) = draw_grids(session, &[key], target);
    // Nothing is reported (and nothing set) for a locked community, or for grids already as
    // they would be drawn.
    let count = drawn.communities.first()?.households.len();
    Some((
        REDRAWING_RANK,
        unmeasured(
            format!(
                "重新划分{}的网格 (约 {target} 户一格, 共 {count} 格)",
                community.properties.name
            ),
            format!(
                "draw the grids of {} again (about {target} households each, {count} grids)",
                community.properties.name
            ),
            command,
        ),
    ))
}

/// Grid `code`, below the range, merged with each touching grid of its community with which it
/// falls within the range; ranked by how near the target the merged grid lies.
fn merges_into_range(session: &Session, key: CommunityKey, code: &str) -> Vec<Candidate> {
    let Some(counted) = session.rules().grids_of(key) else {
        return Vec::new();
    };
    let settings = &session.profile().grids;
    let households_of = |wanted: &str| {
        (counted.grids.iter())
            .find(|grid| grid.code == wanted)
            .map(|grid| grid.households)
    };
    let Some(own) = households_of(code) else {
        return Vec::new();
    };
    if own >= settings.minimum_households {
        return Vec::new();
    }
    let range = settings.minimum_households..=settings.maximum_households;
    (counted.grids.iter())
        .filter(|other| other.code != code && range.contains(&(own + other.households)))
        .filter_map(|other| {
            let codes = [code.to_owned(), other.code.clone()];
            // Refused (and so left out) where the two do not touch.
            let command = merge_grids(session, key, &codes).ok()?;
            let merged = own + other.households;
            let rank = (merged as f64 - settings.target_households as f64).abs()
                / settings.target_households.max(1) as f64;
            Some((
                rank.min(REDRAWING_RANK - f64::EPSILON),
                unmeasured(
                    format!("把网格 {code} 与相邻的网格 {} 合并 (合并后 {merged} 户)", other.code),
                    format!(
                        "merge grid {code} with the touching grid {} ({merged} households together)",
                        other.code
                    ),
                    command,
                ),
            ))
        })
        .collect()
}
