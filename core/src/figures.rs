//! What a plan implies, by the profile's numbers: staffing, funding, office and service space per
//! community (clauses 10, 13 – 17, 21, 29), and totals per street office, district and city.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ids::CommunityKey;
use crate::index::CommunityIndex;
use crate::plan::{Community, CommunityType, Plan};
use crate::profile::RuleProfile;
use crate::profile::{Funding, Space, SpaceRounding, Staffing};
use crate::tally::{CommunityTally, Tallies};

/// Office and service space a community needs for its residential floor area (clause 17):
/// the base space up to the base floor area, then a step of space per further step of floor
/// area, the steps counted as the profile's rounding says.
pub fn required_space_m2(residential_floor_area_m2: f64, space: &Space) -> f64 {
    if residential_floor_area_m2 <= space.base_floor_area_m2 {
        return space.base_space_m2;
    }
    let steps = (residential_floor_area_m2 - space.base_floor_area_m2) / space.step_floor_area_m2;
    let steps = match space.rounding {
        SpaceRounding::Ceil => steps.ceil(),
        SpaceRounding::Floor => steps.floor(),
    };
    space.base_space_m2 + steps * space.step_space_m2
}

/// Deputy directors of a committee with this many households (clause 10).
pub fn deputy_directors(households: u64, staffing: &Staffing) -> u32 {
    if households < staffing.fewer_deputies_below_households {
        staffing.fewer_deputies
    } else if households > staffing.more_deputies_above_households {
        staffing.more_deputies
    } else {
        staffing.deputy_directors
    }
}

/// A committee's yearly funding, line by line (clause 13), in yuan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FundingLines {
    /// Office costs.
    pub office: u64,
    /// Cadre pay: the director and the deputies, monthly pay × months.
    pub pay: u64,
    /// Social insurance.
    pub social_insurance: u64,
    /// Development fund.
    pub development: u64,
    /// City special fund.
    pub city_special_fund: u64,
}

impl FundingLines {
    /// The lines of a committee with `deputies` deputy directors.
    pub fn for_committee(directors: u32, deputies: u32, funding: &Funding) -> Self {
        Self {
            office: funding.office,
            pay: (u64::from(directors) * funding.director_monthly_pay
                + u64::from(deputies) * funding.deputy_monthly_pay)
                * funding.months_a_year,
            social_insurance: funding.social_insurance,
            development: funding.development,
            city_special_fund: funding.city_special_fund,
        }
    }

    /// All lines.
    pub fn total(&self) -> u64 {
        self.office + self.pay + self.social_insurance + self.development + self.city_special_fund
    }

    /// Adds another committee's lines.
    pub fn add(&mut self, other: &FundingLines) {
        self.office += other.office;
        self.pay += other.pay;
        self.social_insurance += other.social_insurance;
        self.development += other.development;
        self.city_special_fund += other.city_special_fund;
    }
}

/// The city's and the district's parts of a total (clause 14), rounded to the yuan.
pub fn split_city_district(total: u64, funding: &Funding) -> (u64, u64) {
    let city = (total as f64 * funding.city_share).round() as u64;
    (city, total - city)
}

/// What one community implies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommunityFigures {
    /// Directors (主任).
    pub directors: u32,
    /// Deputy directors (副主任).
    pub deputy_directors: u32,
    /// Community police officers (社区民警, clause 29).
    pub police_officers: u32,
    /// Yearly funding lines.
    pub funding: FundingLines,
    /// True for pure-residential communities, funded from the city and district budgets;
    /// work-unit committees are funded through their original channel at the same standard.
    pub budget_funded: bool,
    /// City part of the funding (budget-funded only).
    pub city_funding: u64,
    /// District part of the funding (budget-funded only).
    pub district_funding: u64,
    /// Office and service space required for the residential floor area (clause 17), m².
    pub required_space_m2: f64,
    /// Old town: office at least (clause 21), m²; 0 elsewhere.
    pub old_town_office_minimum_m2: f64,
    /// Old town: service space at least (clause 21), m²; 0 elsewhere.
    pub old_town_service_minimum_m2: f64,
}

/// The figures of one community.
pub fn community_figures(
    community: &Community,
    tally: &CommunityTally,
    profile: &RuleProfile,
) -> CommunityFigures {
    let deputies = deputy_directors(tally.households, &profile.staffing);
    let funding =
        FundingLines::for_committee(profile.staffing.directors, deputies, &profile.funding);
    let budget_funded = community.properties.kind.is_pure_residential();
    let (city_funding, district_funding) = if budget_funded {
        split_city_district(funding.total(), &profile.funding)
    } else {
        (0, 0)
    };
    CommunityFigures {
        directors: profile.staffing.directors,
        deputy_directors: deputies,
        police_officers: profile.staffing.police_officers,
        funding,
        budget_funded,
        city_funding,
        district_funding,
        required_space_m2: required_space_m2(tally.residential_floor_area_m2, &profile.space),
        old_town_office_minimum_m2: if community.properties.old_town {
            profile.space.old_town_office_minimum_m2
        } else {
            0.0
        },
        old_town_service_minimum_m2: if community.properties.old_town {
            profile.space.old_town_service_minimum_m2
        } else {
            0.0
        },
    }
}

/// Totals of a street office, district or the whole plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaFigures {
    /// Its name ("" for the city).
    pub name: String,
    /// The district, for a street office.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Communities.
    pub communities: u32,
    /// Communities by type key.
    pub communities_by_type: BTreeMap<&'static str, u32>,
    /// Street offices (for a district or the city).
    pub street_offices: u32,
    /// Households.
    pub households: u64,
    /// Residents.
    pub residents: u64,
    /// Households that were estimated.
    pub estimated_households: u64,
    /// Yearly funding of the pure-residential committees, from the budgets.
    pub budget_funding: u64,
    /// The city's part of it.
    pub city_funding: u64,
    /// The district's part of it.
    pub district_funding: u64,
    /// Yearly funding of the work-unit committees, through their original channel.
    pub work_unit_funding: u64,
    /// Deputy directors in all.
    pub deputy_directors: u32,
    /// Community police officers in all.
    pub police_officers: u32,
    /// Lower-left and upper-right corners around its communities, metres (for zooming to it).
    #[serde(skip)]
    pub envelope: Option<[geo::Coord<f64>; 2]>,
}

impl AreaFigures {
    fn new(name: String, district: Option<String>) -> Self {
        Self {
            name,
            district,
            communities: 0,
            communities_by_type: CommunityType::ALL
                .iter()
                .map(|kind| (kind.key(), 0))
                .collect(),
            street_offices: 0,
            households: 0,
            residents: 0,
            estimated_households: 0,
            budget_funding: 0,
            city_funding: 0,
            district_funding: 0,
            work_unit_funding: 0,
            deputy_directors: 0,
            police_officers: 0,
            envelope: None,
        }
    }

    fn add(
        &mut self,
        community: &Community,
        tally: &CommunityTally,
        figures: &CommunityFigures,
        envelope: Option<[geo::Coord<f64>; 2]>,
    ) {
        self.communities += 1;
        *self
            .communities_by_type
            .entry(community.properties.kind.key())
            .or_insert(0) += 1;
        self.households += tally.households;
        self.residents += tally.residents;
        self.estimated_households += tally.estimated_households;
        if figures.budget_funded {
            self.budget_funding += figures.funding.total();
            self.city_funding += figures.city_funding;
            self.district_funding += figures.district_funding;
        } else {
            self.work_unit_funding += figures.funding.total();
        }
        self.deputy_directors += figures.deputy_directors;
        self.police_officers += figures.police_officers;
        if let Some([low, high]) = envelope {
            self.envelope = Some(match self.envelope {
                None => [low, high],
                Some([current_low, current_high]) => [
                    geo::Coord {
                        x: current_low.x.min(low.x),
                        y: current_low.y.min(low.y),
                    },
                    geo::Coord {
                        x: current_high.x.max(high.x),
                        y: current_high.y.max(high.y),
                    },
                ],
            });
        }
    }

    /// The rectangle around its communities, as a violation's location.
    pub fn location(&self) -> crate::violation::Location {
        let polygons = self
            .envelope
            .map(|[low, high]| geo::Rect::new(low, high).to_polygon())
            .into_iter()
            .collect();
        crate::violation::Location::Areas(geo::MultiPolygon::new(polygons))
    }
}

/// Totals per street office, per district and for the whole plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanFigures {
    /// Per street office, by name.
    pub street_offices: Vec<AreaFigures>,
    /// Per district, by name.
    pub districts: Vec<AreaFigures>,
    /// The whole plan.
    pub city: AreaFigures,
}

/// Adds up the figures of every community.
pub fn plan_figures(
    plan: &Plan,
    tallies: &Tallies,
    profile: &RuleProfile,
    envelopes: &CommunityIndex,
) -> PlanFigures {
    // Keyed by borrowed names: this runs after every edit, over every community.
    let mut offices: BTreeMap<&str, AreaFigures> = BTreeMap::new();
    let mut districts: BTreeMap<&str, (AreaFigures, std::collections::BTreeSet<&str>)> =
        BTreeMap::new();
    let mut city = AreaFigures::new(String::new(), None);
    for (key, community) in plan.communities() {
        let tally = tallies.of(key);
        let figures = community_figures(community, tally, profile);
        let district = plan.district_name_of(community);
        let envelope = envelopes.envelope(key);
        if let Some(office) = community.properties.street_office.as_deref() {
            offices
                .entry(office)
                .or_insert_with(|| AreaFigures::new(office.to_owned(), district.map(str::to_owned)))
                .add(community, tally, &figures, envelope);
        }
        if let Some(district) = district {
            let (area, district_offices) = districts.entry(district).or_insert_with(|| {
                (
                    AreaFigures::new(district.to_owned(), None),
                    std::collections::BTreeSet::new(),
                )
            });
            area.add(community, tally, &figures, envelope);
            if let Some(office) = community.properties.street_office.as_deref() {
                district_offices.insert(office);
            }
        }
        city.add(community, tally, &figures, envelope);
    }
    city.street_offices = offices.len() as u32;
    PlanFigures {
        street_offices: offices.into_values().collect(),
        districts: districts
            .into_values()
            .map(|(mut area, district_offices)| {
                area.street_offices = district_offices.len() as u32;
                area
            })
            .collect(),
        city,
    }
}

/// Figures of the community with this key, if it exists.
pub fn figures_of(
    plan: &Plan,
    tallies: &Tallies,
    profile: &RuleProfile,
    key: CommunityKey,
) -> Option<CommunityFigures> {
    plan.community(key)
        .map(|community| community_figures(community, tallies.of(key), profile))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pure_residential_committee_costs_36000_yuan_in_five_lines() {
        let profile = RuleProfile::nanchang_2002();
        let lines = FundingLines::for_committee(1, 3, &profile.funding);
        assert_eq!(lines.pay, 22_200);
        assert_eq!(lines.pay, 500 * 12 + 3 * 450 * 12);
        assert_eq!(
            (
                lines.office,
                lines.social_insurance,
                lines.development,
                lines.city_special_fund
            ),
            (4_000, 3_800, 5_000, 1_000)
        );
        assert_eq!(lines.total(), 36_000);
    }

    #[test]
    fn two_hundred_and_forty_pure_residential_committees_cost_8_64_million_shared_half_and_half() {
        let profile = RuleProfile::nanchang_2002();
        let mut total = FundingLines::default();
        for _ in 0..240 {
            total.add(&FundingLines::for_committee(1, 3, &profile.funding));
        }
        assert_eq!(total.total(), 8_640_000);
        assert_eq!(
            split_city_district(total.total(), &profile.funding),
            (4_320_000, 4_320_000)
        );
    }

    #[test]
    fn the_pay_line_follows_the_number_of_deputies() {
        let profile = RuleProfile::nanchang_2002();
        let staffing = &profile.staffing;
        assert_eq!(deputy_directors(999, staffing), 2);
        assert_eq!(deputy_directors(1000, staffing), 3);
        assert_eq!(deputy_directors(2000, staffing), 3);
        assert_eq!(deputy_directors(2001, staffing), 4);
        let two = FundingLines::for_committee(1, 2, &profile.funding).pay;
        let four = FundingLines::for_committee(1, 4, &profile.funding).pay;
        assert_eq!((two, four), (22_200 - 450 * 12, 22_200 + 450 * 12));
    }

    #[test]
    fn required_space_is_150_up_to_20000_then_50_per_started_10000() {
        let space = RuleProfile::nanchang_2002().space;
        assert_eq!(required_space_m2(0.0, &space), 150.0);
        assert_eq!(required_space_m2(20_000.0, &space), 150.0);
        assert_eq!(required_space_m2(20_001.0, &space), 200.0);
        assert_eq!(required_space_m2(30_000.0, &space), 200.0);
        assert_eq!(required_space_m2(30_001.0, &space), 250.0);
        let floor = Space {
            rounding: SpaceRounding::Floor,
            ..space
        };
        assert_eq!(required_space_m2(29_999.0, &floor), 150.0);
    }
}
