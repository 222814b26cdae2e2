//! `plan.uncovered` (clauses 5 and 6): residential buildings in no community, grouped into
//! clusters of buildings near each other, each with its households. Every household must belong
//! to a community.

use geo::{ConvexHull, MultiPoint, MultiPolygon, Point};
use serde_json::json;

use crate::format::grouped;
use crate::rules::community_cuts_building::preview;
use crate::rules::context::RuleContext;
use crate::violation::{Location, Severity, Violation, clause_en, clause_zh};

/// The rule id.
pub const RULE: &str = "plan.uncovered";

fn find(parent: &mut [usize], mut item: usize) -> usize {
    while parent[item] != item {
        parent[item] = parent[parent[item]];
        item = parent[item];
    }
    item
}

/// Checks the whole plan.
pub fn check(context: &RuleContext<'_>, out: &mut Vec<Violation>) {
    let buildings = &context.layers.buildings;
    let cluster_distance = context.profile.geometry.uncovered_cluster_distance_m;
    let clause = context.profile.geometry.uncovered_clause;
    let uncovered: Vec<u32> = context.tallies.unassigned_buildings().collect();
    if uncovered.is_empty() {
        return;
    }
    // Union-find over the uncovered buildings, joining those within the cluster distance; the
    // building R-tree (filtered by representative point) finds the neighbours.
    let position: std::collections::HashMap<u32, usize> = uncovered
        .iter()
        .enumerate()
        .map(|(index, &building)| (building, index))
        .collect();
    let mut parent: Vec<usize> = (0..uncovered.len()).collect();
    for (index, &building) in uncovered.iter().enumerate() {
        let point = buildings[building as usize].representative_point;
        let envelope = rstar::AABB::from_corners(
            [point.x - cluster_distance, point.y - cluster_distance],
            [point.x + cluster_distance, point.y + cluster_distance],
        );
        for neighbour in context.building_index.points_in(envelope) {
            let Some(&other) = position.get(&neighbour) else {
                continue;
            };
            let other_point = buildings[neighbour as usize].representative_point;
            if (other_point - point).x.hypot((other_point - point).y) <= cluster_distance {
                let (root_a, root_b) = (find(&mut parent, index), find(&mut parent, other));
                if root_a != root_b {
                    parent[root_a.max(root_b)] = root_a.min(root_b);
                }
            }
        }
    }
    let mut clusters: std::collections::BTreeMap<usize, Vec<u32>> =
        std::collections::BTreeMap::new();
    for (index, &building) in uncovered.iter().enumerate() {
        let root = find(&mut parent, index);
        clusters.entry(root).or_default().push(building);
    }
    for members in clusters.into_values() {
        let households: u64 = members
            .iter()
            .map(|&building| u64::from(buildings[building as usize].households))
            .sum();
        // Listed by id, not by file order: the cluster's key (its first building) and its message
        // must not change when the same buildings come in another order.
        let mut ids: Vec<String> = members
            .iter()
            .map(|&building| buildings[building as usize].source_id.to_string())
            .collect();
        ids.sort();
        let corners: Vec<Point<f64>> = members
            .iter()
            .flat_map(|&building| buildings[building as usize].envelope().map(Point))
            .collect();
        let hull = MultiPoint::new(corners).convex_hull();
        out.push(Violation {
            rule: RULE,
            case: "",
            severity: Severity::Error,
            clause,
            message_zh: format!(
                "{} 栋住宅楼 ({} 户) 不属于任何社区 ({}){}",
                grouped(ids.len() as u64),
                grouped(households),
                preview(&ids),
                clause_zh(clause)
            ),
            message_en: format!(
                "{} residential buildings ({} households) are in no community ({}){}",
                grouped(ids.len() as u64),
                grouped(households),
                preview(&ids),
                clause_en(clause)
            ),
            communities: Vec::new(),
            areas: Vec::new(),
            figures: json!({"buildings": ids.len(), "households": households}),
            buildings: ids,
            location: Location::Areas(MultiPolygon::new(vec![hull])),
        });
    }
}
