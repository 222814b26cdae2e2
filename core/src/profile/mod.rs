//! The rule profile: every number of the regulation, each with its clause, loaded from TOML.
//!
//! The Nanchang 2002 profile ships in `assets/profiles/` and is built into the binary; a plan may
//! name another profile file or carry overrides. No rule or figure holds a number of its own.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The built-in default profile's TOML text.
pub const NANCHANG_2002_TOML: &str = include_str!("../../../assets/profiles/nanchang-2002.toml");

/// The name of the built-in default profile.
pub const DEFAULT_PROFILE_NAME: &str = "nanchang-2002";

/// Every number the rules and figures use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleProfile {
    /// Short name, as plans refer to it.
    pub name: String,
    /// Full title in Chinese.
    pub title_zh: String,
    /// Full title in English.
    pub title_en: String,
    /// Households per community (clause 6).
    pub community_households: CommunityHouseholds,
    /// Residents per street office (clause 1).
    pub street_office_residents: StreetOfficeResidents,
    /// Counts per district and city (clauses 1 and 7).
    pub targets: Targets,
    /// Residents' committee staffing (clauses 10 and 29).
    pub staffing: Staffing,
    /// Funding lines (clauses 13 – 16).
    pub funding: Funding,
    /// Office and service space (clauses 17 and 21).
    pub space: Space,
    /// How households are estimated where the data has none.
    pub estimate: Estimate,
    /// Geometric tolerances (clause 6).
    pub geometry: GeometryTolerances,
    /// Walking distance to the residents' committee office. Profiles written before it get the
    /// built-in settings.
    #[serde(default)]
    pub walking: Walking,
    /// Management grids (网格) within communities. Profiles written before it get the built-in
    /// settings.
    #[serde(default)]
    pub grids: Grids,
}

/// Management grids (网格): each community subdivided into grids of about `target_households`,
/// coded after CJ/T 213-2005. The regulation sets no figure; these are planning settings of the
/// profile (the usual practice of about 300 households a grid).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grids {
    /// Where the figures come from, cited in the rule's message.
    pub basis: String,
    /// Households a grid is drawn to hold.
    pub target_households: u64,
    /// Fewest households a grid may hold.
    pub minimum_households: u64,
    /// Most households a grid may hold.
    pub maximum_households: u64,
    /// How grids are coded after they are edited (split, merged, cut by a community's change).
    /// Profiles written before it renumber in reading order.
    #[serde(default)]
    pub codes_after_edits: GridCodes,
}

/// How grids are coded after an edit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GridCodes {
    /// Every grid of the community renumbered in reading order (north to south, west to east),
    /// so that the codes always follow the CJ/T 213-2005 order.
    #[default]
    ReadingOrder,
    /// Grids keep the codes they have (a grid cut in pieces: its largest piece, merged grids:
    /// the lowest code); new grids take the numbers after the highest the community's grids
    /// hold — for codes already registered elsewhere.
    Kept,
}

impl Default for Grids {
    fn default() -> Self {
        Self {
            basis: "CJ/T 213-2005".to_owned(),
            target_households: 300,
            minimum_households: 150,
            maximum_households: 500,
            codes_after_edits: GridCodes::ReadingOrder,
        }
    }
}

/// Walking distance to the residents' committee office, after the life circles of
/// GB 50180-2018 (5, 10 and 15 minutes: 300, 500 and 1,000 m). The regulation itself sets no
/// distance: the rule's distance and share are this profile's planning settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Walking {
    /// Where the distances come from, cited in the rule's message.
    pub basis: String,
    /// The distances figures are given for, metres, ascending.
    pub distances_m: Vec<f64>,
    /// The rule's distance, metres.
    pub rule_distance_m: f64,
    /// The share of a community's households that should live within `rule_distance_m` of its
    /// office, 0–1.
    pub minimum_share: f64,
}

impl Default for Walking {
    fn default() -> Self {
        Self {
            basis: "GB 50180-2018 3.0.4".to_owned(),
            distances_m: vec![300.0, 500.0, 1000.0],
            rule_distance_m: 500.0,
            minimum_share: 0.8,
        }
    }
}

/// Household bands of clause 6.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunityHouseholds {
    /// The clause.
    pub clause: u32,
    /// Lower end of the normal band.
    pub minimum: u64,
    /// Upper end of the normal band.
    pub maximum: u64,
    /// Lower end for a newly built estate.
    pub new_estate_minimum: u64,
    /// A newly built estate above this draws a warning.
    pub new_estate_warning_above: u64,
    /// Lower end for a work-unit community.
    pub work_unit_minimum: u64,
}

/// Street-office resident bands of clause 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreetOfficeResidents {
    /// The clause.
    pub clause: u32,
    /// Lower end of the band.
    pub minimum: u64,
    /// Upper end of the band.
    pub maximum: u64,
    /// Below this a street office is a candidate for merging.
    pub merge_candidate_below: u64,
}

/// District and city counts of clauses 1 and 7.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// The clause.
    pub clause: u32,
    /// "About" is read as within this share either side.
    pub about_tolerance: f64,
    /// Street offices in the city, about.
    pub city_street_offices_about: u64,
    /// Communities in the city, about.
    pub city_communities_about: u64,
    /// Pure-residential communities in the city, about.
    pub city_pure_residential_about: u64,
    /// Work-unit communities in the city, about.
    pub city_work_unit_about: u64,
    /// Per-district targets.
    #[serde(default)]
    pub districts: Vec<DistrictTarget>,
}

/// One district's targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictTarget {
    /// The district's name as plans write it.
    pub name: String,
    /// Fewest street offices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_offices_minimum: Option<u64>,
    /// Most street offices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_offices_maximum: Option<u64>,
    /// Residents per street office, about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residents_per_street_office_about: Option<u64>,
    /// Communities, about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub communities_about: Option<u64>,
}

/// Staffing of clause 10 (and the police officer of clause 29).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staffing {
    /// The clause.
    pub clause: u32,
    /// Directors per committee.
    pub directors: u32,
    /// Deputy directors per committee, normally.
    pub deputy_directors: u32,
    /// Below this many households, [`Self::fewer_deputies`].
    pub fewer_deputies_below_households: u64,
    /// Deputies of a small committee.
    pub fewer_deputies: u32,
    /// Above this many households, [`Self::more_deputies`].
    pub more_deputies_above_households: u64,
    /// Deputies of a large committee.
    pub more_deputies: u32,
    /// Community police officers per community (clause 29).
    pub police_officers: u32,
}

/// Funding lines of clauses 13 – 16, in yuan a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    /// The clause.
    pub clause: u32,
    /// Office costs.
    pub office: u64,
    /// A director's pay per month.
    pub director_monthly_pay: u64,
    /// A deputy's pay per month.
    pub deputy_monthly_pay: u64,
    /// Months of pay a year.
    pub months_a_year: u64,
    /// Social insurance.
    pub social_insurance: u64,
    /// Development fund.
    pub development: u64,
    /// City special fund.
    pub city_special_fund: u64,
    /// The city's share of the total (the district pays the rest).
    pub city_share: f64,
}

/// How required space is rounded above the base floor area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpaceRounding {
    /// Every started step counts.
    Ceil,
    /// Only completed steps count.
    Floor,
}

/// Office and service space of clauses 17 and 21.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Space {
    /// The clause (17).
    pub clause: u32,
    /// Floor area up to which the base space applies.
    pub base_floor_area_m2: f64,
    /// The base space.
    pub base_space_m2: f64,
    /// Floor area of one further step.
    pub step_floor_area_m2: f64,
    /// Space added per step.
    pub step_space_m2: f64,
    /// How steps are counted.
    pub rounding: SpaceRounding,
    /// The clause of the old-town minimums (21).
    pub old_town_clause: u32,
    /// Old town: office at least this.
    pub old_town_office_minimum_m2: f64,
    /// Old town: service space at least this.
    pub old_town_service_minimum_m2: f64,
}

/// Household estimation settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    /// 0: these are planning assumptions, not clauses.
    pub clause: u32,
    /// Uses that count as residential.
    pub residential_uses: Vec<String>,
    /// Share of floor area that is dwelling.
    pub net_ratio: f64,
    /// Floor area of one dwelling.
    pub dwelling_size_m2: f64,
    /// Floors where the data gives neither floors nor height.
    pub default_floors: u32,
    /// Height of one storey, to turn a height into floors.
    pub storey_height_m: f64,
    /// Residents per household where a building gives none.
    pub household_size: f64,
    /// Count a building with no use value as residential (its households estimated). Off by
    /// default: a layer without uses then counts no homes, and loading says so loudly.
    #[serde(default)]
    pub unknown_use_is_residential: bool,
}

/// Geometric tolerances.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeometryTolerances {
    /// The clause.
    pub clause: u32,
    /// A building is cut when more than this lies on each side of a boundary.
    pub cut_tolerance_m2: f64,
    /// Two communities overlap when they share more than this.
    pub overlap_tolerance_m2: f64,
    /// A community lies in a street office when more than this share of its area lies there.
    pub street_office_share_minimum: f64,
    /// The clause that puts every household in a community (5).
    pub uncovered_clause: u32,
    /// Uncovered buildings this close to each other are reported as one cluster.
    pub uncovered_cluster_distance_m: f64,
    /// A boundary stretch within this distance of a street centreline follows the street.
    pub street_distance_m: f64,
    /// A geographic community should have at least this share of its boundary on streets.
    pub street_share_minimum: f64,
}

impl RuleProfile {
    /// The built-in Nanchang 2002 profile.
    pub fn nanchang_2002() -> Self {
        // The built-in text is tested to parse and validate, so this cannot fail at run time.
        Self::from_toml(NANCHANG_2002_TOML, DEFAULT_PROFILE_NAME)
            .unwrap_or_else(|error| unreachable!("built-in profile is invalid: {error}"))
    }

    /// Parses and validates a profile; `source_name` names it in errors.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Self> {
        let profile: Self = toml::from_str(text).map_err(|error| Error::Profile {
            source_name: source_name.to_owned(),
            problem: error.to_string().trim().to_owned(),
        })?;
        profile.validate(source_name)?;
        Ok(profile)
    }

    /// Writes the profile as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self)
            .unwrap_or_else(|error| unreachable!("profile serialises: {error}"))
    }

    /// This profile with `overrides` (a JSON object of the same shape, any depth) laid over it.
    pub fn with_overrides(&self, overrides: &serde_json::Value, source_name: &str) -> Result<Self> {
        let mut merged = serde_json::to_value(self).map_err(|error| Error::Profile {
            source_name: source_name.to_owned(),
            problem: error.to_string(),
        })?;
        merge_json(&mut merged, overrides);
        let profile: Self = serde_json::from_value(merged).map_err(|error| Error::Profile {
            source_name: source_name.to_owned(),
            problem: format!("override: {error}"),
        })?;
        profile.validate(source_name)?;
        Ok(profile)
    }

    /// Checks that the numbers make sense together; the error names every key that is wrong, not
    /// only the first.
    pub fn validate(&self, source_name: &str) -> Result<()> {
        let problems = self.problems();
        if problems.is_empty() {
            return Ok(());
        }
        Err(Error::Profile {
            source_name: source_name.to_owned(),
            problem: problems.join("; "),
        })
    }

    /// Every value that does not make sense, each naming its key.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let households = &self.community_households;
        if households.minimum > households.maximum {
            problems.push(format!(
                "`community_households.minimum` ({}) is above `maximum` ({})",
                households.minimum, households.maximum
            ));
        }
        let residents = &self.street_office_residents;
        let grids = &self.grids;
        if grids.minimum_households > grids.maximum_households
            || !(grids.minimum_households..=grids.maximum_households)
                .contains(&grids.target_households)
        {
            problems.push(format!(
                "`grids.target_households` ({}) must lie between `minimum_households` ({}) and `maximum_households` ({})",
                grids.target_households, grids.minimum_households, grids.maximum_households
            ));
        }
        if residents.minimum > residents.maximum {
            problems.push(format!(
                "`street_office_residents.minimum` ({}) is above `maximum` ({})",
                residents.minimum, residents.maximum
            ));
        }
        for district in &self.targets.districts {
            if let (Some(minimum), Some(maximum)) = (
                district.street_offices_minimum,
                district.street_offices_maximum,
            ) && minimum > maximum
            {
                problems.push(format!(
                    "`targets.districts.street_offices_minimum` of {} ({minimum}) is above the maximum ({maximum})",
                    district.name
                ));
            }
        }
        let shares = [
            ("targets.about_tolerance", self.targets.about_tolerance),
            ("funding.city_share", self.funding.city_share),
            ("estimate.net_ratio", self.estimate.net_ratio),
            (
                "geometry.street_share_minimum",
                self.geometry.street_share_minimum,
            ),
            (
                "geometry.street_office_share_minimum",
                self.geometry.street_office_share_minimum,
            ),
            ("walking.minimum_share", self.walking.minimum_share),
        ];
        for (key, value) in shares {
            if !(0.0..=1.0).contains(&value) {
                problems.push(format!("`{key}` must be between 0 and 1, not {value}"));
            }
        }
        let positive = [
            ("estimate.dwelling_size_m2", self.estimate.dwelling_size_m2),
            ("estimate.storey_height_m", self.estimate.storey_height_m),
            ("estimate.household_size", self.estimate.household_size),
            (
                "estimate.default_floors",
                f64::from(self.estimate.default_floors),
            ),
            ("space.step_floor_area_m2", self.space.step_floor_area_m2),
            ("walking.rule_distance_m", self.walking.rule_distance_m),
        ];
        let distances = &self.walking.distances_m;
        if distances.is_empty()
            || distances
                .iter()
                .any(|distance| !(distance.is_finite() && *distance > 0.0))
            || distances.windows(2).any(|pair| pair[0] >= pair[1])
        {
            problems.push(format!(
                "`walking.distances_m` must be positive distances in ascending order, not {distances:?}"
            ));
        }
        for (key, value) in positive {
            if !(value.is_finite() && value > 0.0) {
                problems.push(format!("`{key}` must be a positive number, not {value}"));
            }
        }
        let not_negative = [
            ("geometry.cut_tolerance_m2", self.geometry.cut_tolerance_m2),
            (
                "geometry.overlap_tolerance_m2",
                self.geometry.overlap_tolerance_m2,
            ),
            (
                "geometry.street_distance_m",
                self.geometry.street_distance_m,
            ),
            (
                "geometry.uncovered_cluster_distance_m",
                self.geometry.uncovered_cluster_distance_m,
            ),
            ("space.base_floor_area_m2", self.space.base_floor_area_m2),
            ("space.base_space_m2", self.space.base_space_m2),
            ("space.step_space_m2", self.space.step_space_m2),
            (
                "space.old_town_office_minimum_m2",
                self.space.old_town_office_minimum_m2,
            ),
            (
                "space.old_town_service_minimum_m2",
                self.space.old_town_service_minimum_m2,
            ),
        ];
        for (key, value) in not_negative {
            if !(value.is_finite() && value >= 0.0) {
                problems.push(format!(
                    "`{key}` must be a finite number, not negative, not {value}"
                ));
            }
        }
        // Distances that reach across a city make every check one of everything with everything.
        let bounded = [
            (
                "geometry.uncovered_cluster_distance_m",
                self.geometry.uncovered_cluster_distance_m,
                1_000.0,
            ),
            (
                "geometry.street_distance_m",
                self.geometry.street_distance_m,
                1_000.0,
            ),
        ];
        for (key, value, most) in bounded {
            if value.is_finite() && value > most {
                problems.push(format!("`{key}` must be at most {most} m, not {value}"));
            }
        }
        problems
    }

    /// True when a building of this use counts as residential.
    pub fn is_residential_use(&self, building_use: &str) -> bool {
        self.estimate
            .residential_uses
            .iter()
            .any(|residential| residential.eq_ignore_ascii_case(building_use))
    }
}

impl Default for RuleProfile {
    fn default() -> Self {
        Self::nanchang_2002()
    }
}

/// Lays `overrides` over `base`: objects merge key by key, anything else replaces.
fn merge_json(base: &mut serde_json::Value, overrides: &serde_json::Value) {
    match (base, overrides) {
        (serde_json::Value::Object(base), serde_json::Value::Object(overrides)) => {
            for (key, value) in overrides {
                match base.get_mut(key) {
                    Some(existing) => merge_json(existing, value),
                    None => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (base, overrides) => *base = overrides.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_profile_parses_and_validates() {
        let profile = RuleProfile::nanchang_2002();
        assert_eq!(profile.name, DEFAULT_PROFILE_NAME);
        assert_eq!(profile.community_households.minimum, 1000);
        assert_eq!(profile.community_households.maximum, 2000);
    }

    #[test]
    fn the_printed_profile_reads_back_the_same() {
        let profile = RuleProfile::nanchang_2002();
        let again = RuleProfile::from_toml(&profile.to_toml(), "printed").expect("reads back");
        assert_eq!(profile, again);
    }

    #[test]
    fn every_wrong_value_is_named_at_once_and_infinity_is_refused() {
        let text = NANCHANG_2002_TOML
            .replace("net_ratio = 0.75", "net_ratio = 1.5")
            .replace("household_size = 2.6", "household_size = -1.0");
        let text = text.replace(
            "uncovered_cluster_distance_m = 60.0",
            "uncovered_cluster_distance_m = inf",
        );
        let error = RuleProfile::from_toml(&text, "test")
            .expect_err("three wrong values")
            .to_string();
        for key in [
            "estimate.net_ratio",
            "estimate.household_size",
            "geometry.uncovered_cluster_distance_m",
        ] {
            assert!(error.contains(key), "{key} in {error}");
        }
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it() {
        let text =
            NANCHANG_2002_TOML.replace("net_ratio = 0.75", "net_ratio = 0.75\nnett_ratio = 1");
        let error = RuleProfile::from_toml(&text, "typo.toml").expect_err("unknown key");
        assert!(error.to_string().contains("nett_ratio"), "{error}");
    }

    #[test]
    fn a_minimum_above_its_maximum_is_an_error_naming_the_key() {
        let text = NANCHANG_2002_TOML.replace(
            "minimum = 1000\nmaximum = 2000",
            "minimum = 2500\nmaximum = 2000",
        );
        let error = RuleProfile::from_toml(&text, "swapped.toml").expect_err("min above max");
        assert!(
            error.to_string().contains("community_households.minimum"),
            "{error}"
        );
    }

    #[test]
    fn a_negative_dwelling_size_is_an_error_naming_the_key() {
        let text =
            NANCHANG_2002_TOML.replace("dwelling_size_m2 = 90.0", "dwelling_size_m2 = -90.0");
        let error = RuleProfile::from_toml(&text, "negative.toml").expect_err("negative");
        assert!(
            error.to_string().contains("estimate.dwelling_size_m2"),
            "{error}"
        );
    }

    #[test]
    fn overrides_change_only_the_keys_they_name() {
        let profile = RuleProfile::nanchang_2002();
        let overrides = serde_json::json!({"estimate": {"default_floors": 4}});
        let changed = profile
            .with_overrides(&overrides, "plan")
            .expect("valid override");
        assert_eq!(changed.estimate.default_floors, 4);
        assert_eq!(changed.estimate.net_ratio, profile.estimate.net_ratio);
        assert_eq!(changed.community_households, profile.community_households);
    }

    #[test]
    fn an_override_of_an_unknown_key_is_an_error() {
        let overrides = serde_json::json!({"estimate": {"default_flors": 4}});
        let error = RuleProfile::nanchang_2002()
            .with_overrides(&overrides, "plan")
            .expect_err("unknown key");
        assert!(error.to_string().contains("default_flors"), "{error}");
    }
}
