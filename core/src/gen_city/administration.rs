//! Districts, street offices and names, and each community as planned: type, flags, target
//! households, with the planted violations set up.

use crate::plan::{CommunityType, District};
use crate::random::SplitMix64;
use names::Names;

use super::*;

/// Districts, street offices and the names of everything.
pub(super) struct Administration {
    pub(super) districts: Vec<District>,
    pub(super) office_count: usize,
    /// The street office of each community.
    pub(super) office_of_community: Vec<usize>,
    /// Each street office's code and name.
    pub(super) office_names: Vec<(String, String)>,
    pub(super) community_names: Vec<String>,
}

impl Administration {
    pub(super) fn new(community_count: usize, plant_violations: bool) -> Self {
        let names = Names::load();
        let sizes = plants::office_sizes(community_count, plant_violations);
        let office_count = sizes.len();
        let office_of_community: Vec<usize> = sizes
            .iter()
            .enumerate()
            .flat_map(|(office, &size)| std::iter::repeat_n(office, size))
            .collect();
        let district_count = office_count.div_ceil(10).max(1);
        let districts: Vec<District> = (0..district_count)
            .map(|index| {
                let (id, name) = names.district(index);
                District { id, name }
            })
            .collect();
        let district_codes: Vec<String> = districts
            .iter()
            .map(|district| district.id.clone())
            .collect();
        let office_names = names.street_offices(&district_codes, office_count);
        let township_codes: Vec<String> =
            office_names.iter().map(|(code, _)| code.clone()).collect();
        let community_names = names.communities(&township_codes, community_count);
        Self {
            districts,
            office_count,
            office_of_community,
            office_names,
            community_names,
        }
    }
}

/// Each community's type, flags and target households, with the planted violations set up.
pub(super) fn plan_communities(
    administration: &Administration,
    plants: &plants::Plants,
    random: &mut SplitMix64,
) -> Vec<PlannedCommunity> {
    let community_count = administration.community_names.len();
    let office_of_community = &administration.office_of_community;
    let mut planned: Vec<PlannedCommunity> = (0..community_count)
        .map(|index| PlannedCommunity {
            name: administration.community_names[index].clone(),
            kind: match index % 10 {
                3 => CommunityType::ResidentialEstate,
                7 => CommunityType::WorkUnit,
                _ => CommunityType::Geographic,
            },
            new_estate: false,
            old_town: index % 6 == 0,
            target_households: random.between(1300, 1900),
            has_buildings: true,
            office_area_m2: None,
            service_area_m2: None,
        })
        .collect();
    if let Some(index) = plants.too_many {
        planned[index].target_households = 2450;
    }
    if let Some(index) = plants.too_few {
        planned[index].target_households = 760;
    }
    if let Some(index) = plants.large_new_estate {
        planned[index].kind = CommunityType::ResidentialEstate;
        planned[index].new_estate = true;
        planned[index].target_households = 3300;
    }
    if let Some(index) = plants.small_work_unit {
        planned[index].kind = CommunityType::WorkUnit;
        planned[index].target_households = 820;
    }
    if let Some(index) = plants.empty_in_two_parts {
        planned[index].has_buildings = false;
    }
    if let Some(index) = plants.short_of_space {
        planned[index].old_town = true;
        (
            planned[index].office_area_m2,
            planned[index].service_area_m2,
        ) = (Some(40.0), Some(80.0));
    }
    if let Some(index) = plants.ample_space {
        (
            planned[index].office_area_m2,
            planned[index].service_area_m2,
        ) = (Some(1200.0), Some(2400.0));
    }
    if let Some((_, east)) = plants.crossing_pair {
        planned[east].kind = CommunityType::ResidentialEstate;
    }
    if let Some(office) = plants.crowded_office {
        // Fifteen communities near the top of the band: more residents than a street office
        // should have.
        for index in (0..community_count).filter(|&index| office_of_community[index] == office) {
            if planned[index].target_households < 2000 && planned[index].target_households >= 1000 {
                planned[index].target_households =
                    (planned[index].target_households + 300).min(1980);
            }
        }
    }
    if let Some(index) = plants.off_street {
        planned[index].kind = CommunityType::Geographic;
    }
    planned
}
