//! The check report: per-community figures, street-office and district totals, unassigned
//! buildings and cut buildings, as the CLI prints them and as JSON schema `shequ.check/1`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::plan::CommunityType;
use crate::session::Session;

/// The JSON schema name of the report.
pub const CHECK_SCHEMA: &str = "shequ.check/1";

/// One community's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommunityRow {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its type key.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its street office.
    pub street_office: Option<String>,
    /// Its district.
    pub district: Option<String>,
    /// Households.
    pub households: u64,
    /// Residents.
    pub residents: u64,
    /// Buildings (residential or not).
    pub buildings: u32,
    /// Households that were estimated.
    pub estimated_households: u64,
}

/// Totals of a street office or district.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    /// Its name.
    pub name: String,
    /// The district (for a street office).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Communities in it.
    pub communities: u32,
    /// Communities by type key.
    pub communities_by_type: BTreeMap<&'static str, u32>,
    /// Households.
    pub households: u64,
    /// Residents.
    pub residents: u64,
    /// Households that were estimated.
    pub estimated_households: u64,
}

/// Residential buildings in no community.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct UnassignedRow {
    /// How many.
    pub buildings: u64,
    /// Their households.
    pub households: u64,
}

/// A building cut by one or more boundaries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutRow {
    /// The building's id.
    pub building: String,
    /// The ids of the communities whose boundary cuts it.
    pub communities: Vec<String>,
}

/// How long each stage took, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TimingsRow {
    /// Reading and projecting.
    pub load: f64,
    /// Building the R-trees.
    pub index: f64,
    /// Counting.
    pub tally: f64,
    /// Checking rules.
    pub rules: f64,
    /// All of it.
    pub total: f64,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// Always [`CHECK_SCHEMA`].
    pub schema: &'static str,
    /// One row per community, in plan order.
    pub communities: Vec<CommunityRow>,
    /// Street-office totals, by name.
    pub street_offices: Vec<GroupRow>,
    /// District totals, by name.
    pub districts: Vec<GroupRow>,
    /// Residential buildings in no community.
    pub unassigned: UnassignedRow,
    /// Buildings cut by boundaries.
    pub cut_buildings: Vec<CutRow>,
    /// Rule violations (filled in by the rules).
    pub violations: Vec<serde_json::Value>,
    /// What loading found and worked around.
    pub warnings: Vec<String>,
    /// Timings.
    pub timings_ms: TimingsRow,
}

fn empty_group(name: String, district: Option<String>) -> GroupRow {
    GroupRow {
        name,
        district,
        communities: 0,
        communities_by_type: CommunityType::ALL
            .iter()
            .map(|kind| (kind.key(), 0))
            .collect(),
        households: 0,
        residents: 0,
        estimated_households: 0,
    }
}

impl CheckReport {
    /// Builds the report of a session; `rules_ms` is the time the rules took.
    pub fn of(session: &Session, rules_ms: f64) -> Self {
        let plan = &session.plan;
        let mut communities = Vec::with_capacity(plan.len());
        let mut offices: BTreeMap<String, GroupRow> = BTreeMap::new();
        let mut districts: BTreeMap<String, GroupRow> = BTreeMap::new();
        let mut cuts: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for (key, community) in plan.communities() {
            let tally = session.tallies.of(key);
            let district = plan.district_of(community);
            let row = CommunityRow {
                id: community.id.clone(),
                name: community.name.clone(),
                kind: community.kind.key(),
                street_office: community.street_office.clone(),
                district: district.clone(),
                households: tally.households,
                residents: tally.residents,
                buildings: tally.buildings,
                estimated_households: tally.estimated_households,
            };
            let add_to = |group: &mut GroupRow| {
                group.communities += 1;
                *group
                    .communities_by_type
                    .entry(community.kind.key())
                    .or_insert(0) += 1;
                group.households += row.households;
                group.residents += row.residents;
                group.estimated_households += row.estimated_households;
            };
            if let Some(office) = &community.street_office {
                add_to(
                    offices
                        .entry(office.clone())
                        .or_insert_with(|| empty_group(office.clone(), district.clone())),
                );
            }
            if let Some(district) = &district {
                add_to(
                    districts
                        .entry(district.clone())
                        .or_insert_with(|| empty_group(district.clone(), None)),
                );
            }
            for &building in &tally.cut_buildings {
                cuts.entry(building).or_default().push(community.id.clone());
            }
            communities.push(row);
        }
        let unassigned = session.tallies.unassigned();
        let timings = session.timings;
        Self {
            schema: CHECK_SCHEMA,
            communities,
            street_offices: offices.into_values().collect(),
            districts: districts.into_values().collect(),
            unassigned: UnassignedRow {
                buildings: unassigned.residential_buildings,
                households: unassigned.households,
            },
            cut_buildings: cuts
                .into_iter()
                .map(|(building, communities)| CutRow {
                    building: session.layers.buildings[building as usize]
                        .source_id
                        .clone(),
                    communities,
                })
                .collect(),
            violations: Vec::new(),
            warnings: session.warnings.iter().map(ToString::to_string).collect(),
            timings_ms: TimingsRow {
                load: timings.load_ms,
                index: timings.index_ms,
                tally: timings.tally_ms,
                rules: rules_ms,
                total: timings.load_ms + timings.index_ms + timings.tally_ms + rules_ms,
            },
        }
    }
}
