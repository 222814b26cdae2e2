//! The plan: communities with their boundaries and attributes, street offices and districts.

use geo::{Coord, MultiPolygon};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ids::CommunityKey;

/// The three kinds of community of clause 6.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum CommunityType {
    /// 地缘型: bounded by streets and roads.
    #[default]
    Geographic,
    /// 单位型: an employer's staff housing area.
    WorkUnit,
    /// 单元型: one independent residential estate.
    ResidentialEstate,
}

impl CommunityType {
    /// Every type, in the order of clause 6.
    pub const ALL: [CommunityType; 3] = [
        CommunityType::Geographic,
        CommunityType::WorkUnit,
        CommunityType::ResidentialEstate,
    ];

    /// The name written to files.
    pub fn key(self) -> &'static str {
        match self {
            CommunityType::Geographic => "geographic",
            CommunityType::WorkUnit => "work_unit",
            CommunityType::ResidentialEstate => "residential_estate",
        }
    }

    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            CommunityType::Geographic => "地缘型",
            CommunityType::WorkUnit => "单位型",
            CommunityType::ResidentialEstate => "单元型",
        }
    }

    /// Reads a type from its English key or Chinese name (with or without 型).
    pub fn parse(text: &str) -> Option<CommunityType> {
        let text = text.trim();
        CommunityType::ALL.into_iter().find(|kind| {
            text.eq_ignore_ascii_case(kind.key())
                || text == kind.chinese()
                || text == kind.chinese().trim_end_matches('型')
                || text.eq_ignore_ascii_case(&kind.key().replace('_', "-"))
                || text.eq_ignore_ascii_case(&kind.key().replace('_', " "))
        })
    }

    /// True for the "pure residential" types (纯居民社区), which clause 13 funds.
    pub fn is_pure_residential(self) -> bool {
        matches!(
            self,
            CommunityType::Geographic | CommunityType::ResidentialEstate
        )
    }
}

/// A community's own attributes: what the inspector edits and one `SetProperties` command
/// replaces whole.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityProperties {
    /// Display name.
    pub name: String,
    /// Type of clause 6.
    pub kind: CommunityType,
    /// The street office (街道) it belongs to.
    pub street_office: Option<String>,
    /// The district (区) it belongs to.
    pub district: Option<String>,
    /// A newly built estate that had no residents' committee (clause 6).
    pub new_estate: bool,
    /// In the old town (clause 21).
    pub old_town: bool,
    /// Locked against edits.
    pub locked: bool,
    /// Recorded office space in m², if known.
    pub office_area_m2: Option<f64>,
    /// Recorded service space in m², if known.
    pub service_area_m2: Option<f64>,
    /// Where the residents' committee office is, in metres (walking distances are measured
    /// from it).
    pub office: Option<Coord<f64>>,
    /// Where the community service centre is, in metres.
    pub service: Option<Coord<f64>>,
    /// The planner's notes (empty: none).
    pub notes: String,
    /// Its management grids (网格) in code order: rows north to south, west to east within a
    /// row (none until drawn).
    pub grids: Vec<Grid>,
}

/// A management grid (网格): a part of a community's ground with its code after CJ/T 213-2005
/// (the community's code followed by a three-digit number).
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The community's code and the grid's three-digit number.
    pub code: String,
    /// Its ground, in metres.
    pub boundary: MultiPolygon<f64>,
}

impl CommunityProperties {
    /// Just a name and a type: no street office or district yet, not a new estate, not in the
    /// old town, unlocked, no recorded space, no notes.
    pub fn new(name: impl Into<String>, kind: CommunityType) -> Self {
        Self {
            name: name.into(),
            kind,
            street_office: None,
            district: None,
            new_estate: false,
            old_town: false,
            locked: false,
            office_area_m2: None,
            service_area_m2: None,
            office: None,
            service: None,
            notes: String::new(),
            grids: Vec::new(),
        }
    }
}

/// One community (社区) and its residents' committee.
#[derive(Debug, Clone, PartialEq)]
pub struct Community {
    /// Stable id, as in the source data.
    pub id: String,
    /// Its own attributes.
    pub properties: CommunityProperties,
    /// The boundary, in metres.
    pub boundary: MultiPolygon<f64>,
    /// Every other property of the source feature, written back unchanged.
    pub other_properties: Map<String, Value>,
}

impl Community {
    /// A community with just an id, a name, a type and a boundary: no street office or district
    /// yet, not a new estate, not in the old town, unlocked, no recorded space, no notes.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        kind: CommunityType,
        boundary: MultiPolygon<f64>,
    ) -> Self {
        Self {
            id: id.into(),
            properties: CommunityProperties::new(name, kind),
            boundary,
            other_properties: Map::new(),
        }
    }
}

/// A street office (街道办事处).
#[derive(Debug, Clone, PartialEq)]
pub struct StreetOffice {
    /// Stable id.
    pub id: String,
    /// Name, as communities refer to it.
    pub name: String,
    /// The district it belongs to.
    pub district: Option<String>,
    /// Its boundary, in metres, where one is given.
    pub boundary: Option<MultiPolygon<f64>>,
}

/// A district (区).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    /// Stable id (for example the administrative code).
    pub id: String,
    /// Name, as communities and street offices refer to it.
    pub name: String,
}

/// The communities of a plan in stable slots, with the street offices and districts. Two plans
/// are equal when they hold the same communities in the same slots (empty slots left at the end
/// by an undone insertion do not count).
#[derive(Debug, Clone, Default)]
pub struct Plan {
    slots: Vec<Option<Community>>,
    /// Street offices, in file order.
    pub street_offices: Vec<StreetOffice>,
    /// Districts, in file order.
    pub districts: Vec<District>,
}

impl PartialEq for Plan {
    fn eq(&self, other: &Self) -> bool {
        self.communities().eq(other.communities())
            && self.street_offices == other.street_offices
            && self.districts == other.districts
    }
}

impl Plan {
    /// The street offices whose boundary (where one is given) shares ground with `boundary`,
    /// each with the ground it shares; offices whose extents do not meet it are skipped unclipped.
    pub fn street_office_shares(
        &self,
        boundary: &MultiPolygon<f64>,
    ) -> Vec<(&StreetOffice, MultiPolygon<f64>)> {
        use geo::{BooleanOps, BoundingRect, Intersects};
        let Some(extent) = boundary.bounding_rect() else {
            return Vec::new();
        };
        self.street_offices
            .iter()
            .filter_map(|office| {
                let office_boundary = office.boundary.as_ref()?;
                if !office_boundary.bounding_rect()?.intersects(&extent) {
                    return None;
                }
                Some((office, office_boundary.intersection(boundary)))
            })
            .collect()
    }

    /// A plan of these communities (keys 0, 1, … in order).
    pub fn new(communities: Vec<Community>) -> Self {
        Self {
            slots: communities.into_iter().map(Some).collect(),
            ..Self::default()
        }
    }

    /// The community in slot `key`, if it exists.
    pub fn community(&self, key: CommunityKey) -> Option<&Community> {
        self.slots.get(key.index()).and_then(Option::as_ref)
    }

    /// The community in slot `key`, for changing.
    pub fn community_mut(&mut self, key: CommunityKey) -> Option<&mut Community> {
        self.slots.get_mut(key.index()).and_then(Option::as_mut)
    }

    /// Every community with its key, in slot order.
    pub fn communities(&self) -> impl Iterator<Item = (CommunityKey, &Community)> {
        self.slots.iter().enumerate().filter_map(|(index, slot)| {
            slot.as_ref()
                .map(|community| (CommunityKey(index as u32), community))
        })
    }

    /// Every key in use.
    pub fn keys(&self) -> Vec<CommunityKey> {
        self.communities().map(|(key, _)| key).collect()
    }

    /// How many communities there are.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|slot| slot.is_some()).count()
    }

    /// True when there is no community.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One past the highest slot ever used: the size tables indexed by key need.
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }

    /// Adds a community in a new slot.
    pub fn insert(&mut self, community: Community) -> CommunityKey {
        self.slots.push(Some(community));
        CommunityKey((self.slots.len() - 1) as u32)
    }

    /// Puts a community back into slot `key` (for undo), growing the table if needed.
    pub fn restore(&mut self, key: CommunityKey, community: Community) {
        if self.slots.len() <= key.index() {
            self.slots.resize(key.index() + 1, None);
        }
        self.slots[key.index()] = Some(community);
    }

    /// Takes the community out of slot `key`.
    pub fn remove(&mut self, key: CommunityKey) -> Option<Community> {
        self.slots.get_mut(key.index()).and_then(Option::take)
    }

    /// The key of the community with this id.
    pub fn key_of(&self, id: &str) -> Option<CommunityKey> {
        self.communities()
            .find(|(_, community)| community.id == id)
            .map(|(key, _)| key)
    }

    /// The district of a community, borrowed: its own, else its street office's.
    pub fn district_name_of<'a>(&'a self, community: &'a Community) -> Option<&'a str> {
        community.properties.district.as_deref().or_else(|| {
            let office = community.properties.street_office.as_deref()?;
            self.street_offices
                .iter()
                .find(|candidate| candidate.name == office || candidate.id == office)
                .and_then(|office| office.district.as_deref())
        })
    }

    /// The district of a community: its own, else its street office's.
    pub fn district_of(&self, community: &Community) -> Option<String> {
        community.properties.district.clone().or_else(|| {
            let office = community.properties.street_office.as_deref()?;
            self.street_offices
                .iter()
                .find(|candidate| candidate.name == office || candidate.id == office)
                .and_then(|office| office.district.clone())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_from_english_and_chinese_names() {
        assert_eq!(
            CommunityType::parse("地缘型"),
            Some(CommunityType::Geographic)
        );
        assert_eq!(CommunityType::parse("单位"), Some(CommunityType::WorkUnit));
        assert_eq!(
            CommunityType::parse("residential-estate"),
            Some(CommunityType::ResidentialEstate)
        );
        assert_eq!(CommunityType::parse("village"), None);
    }

    #[test]
    fn a_removed_slot_is_not_reused() {
        let community = Community::new(
            "a",
            "A",
            CommunityType::Geographic,
            MultiPolygon::new(vec![]),
        );
        let mut plan = Plan::new(vec![community.clone()]);
        let removed = plan.remove(CommunityKey(0)).expect("was there");
        let key = plan.insert(community);
        assert_eq!(key, CommunityKey(1));
        plan.restore(CommunityKey(0), removed);
        assert_eq!(plan.len(), 2);
    }
}
