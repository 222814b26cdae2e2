//! Fixes for a community's households: delete an empty one, merge one below its band.

use crate::edit::Command;
use crate::ids::CommunityKey;
use crate::rules::community_households::{BandVerdict, band_verdict};
use crate::session::Session;

use super::{Candidate, touching, unmeasured};

/// True when the community has more households than its type's band allows.
pub(super) fn above_band(session: &Session, key: CommunityKey) -> bool {
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

pub(super) fn delete_empty(session: &Session, key: CommunityKey) -> Vec<Candidate> {
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

/// Merges with each touching neighbour (in the same street office, where any is) whose merged
/// households fall within the band of the neighbour's type; ranked by how near the band's middle
/// the result lies.
pub(super) fn merges_into_band(session: &Session, key: CommunityKey) -> Vec<Candidate> {
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
