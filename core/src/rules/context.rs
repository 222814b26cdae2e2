//! What every rule may read: the plan, its layers, tallies, indexes and the profile.

use crate::index::{BuildingIndex, CommunityIndex, StreetIndex};
use crate::layers::BaseLayers;
use crate::plan::Plan;
use crate::profile::RuleProfile;
use crate::tally::Tallies;

/// A read-only view of a session for the rules.
#[derive(Clone, Copy)]
pub struct RuleContext<'a> {
    /// The communities.
    pub plan: &'a Plan,
    /// Buildings and streets.
    pub layers: &'a BaseLayers,
    /// Per-community figures.
    pub tallies: &'a Tallies,
    /// Buildings by point and envelope.
    pub building_index: &'a BuildingIndex,
    /// Communities by envelope.
    pub community_index: &'a CommunityIndex,
    /// Streets by segment.
    pub street_index: &'a StreetIndex,
    /// The numbers.
    pub profile: &'a RuleProfile,
}
