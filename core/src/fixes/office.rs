//! Fix for the walking distance: move the committee office.

use crate::edit::Command;
use crate::ids::CommunityKey;
use crate::session::Session;

use super::{Candidate, unmeasured};

/// The office moved to the place on the streets inside the community from which the most
/// households live within the profile's walking distance.
pub(super) fn office_moves(session: &Session, key: CommunityKey) -> Vec<Candidate> {
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
