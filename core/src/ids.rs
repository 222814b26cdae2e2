//! Identifiers. Internal keys are small integers into the session's tables; the ids the data
//! came with (an `id` or `osm_id` property, or the feature's index) are kept beside them.

use serde::{Deserialize, Serialize};

/// A community's slot in the plan. Slots are never reused within a session, so a key stays valid
/// for the undo history even after its community is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CommunityKey(pub u32);

impl CommunityKey {
    /// The slot as an index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}
