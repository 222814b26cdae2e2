//! `plan.uncovered` (clauses 5 and 6): residential buildings in no community, grouped into
//! clusters of buildings near each other, each with its households. Every household must belong
//! to a community.

use geo::{ConvexHull, Coord, MultiPoint, MultiPolygon, Point, Rect};
use serde_json::json;

use crate::format::grouped;
use crate::geometry::overlay;
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

/// Union-find parents joining every two points within `distance` of each other (then every
/// point reachable through such steps), in near-linear time however dense the points: they are
/// put in square cells whose diagonal is `distance`, so that the points of a cell all join at
/// once, and only cells at most two apart are compared, each pair until its first close pair
/// (or not at all when they have joined already). A tree query per point, as before, cost
/// 500,000 × thousands of neighbours for uncovered footprints a metre apart.
fn clusters_within(points: &[geo::Coord<f64>], distance: f64) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..points.len()).collect();
    let cell_size = if distance > 0.0 {
        distance / std::f64::consts::SQRT_2
    } else {
        1.0
    };
    let mut cells: std::collections::HashMap<(i64, i64), Vec<usize>> =
        std::collections::HashMap::new();
    for (index, point) in points.iter().enumerate() {
        let cell = (
            (point.x / cell_size).floor() as i64,
            (point.y / cell_size).floor() as i64,
        );
        cells.entry(cell).or_default().push(index);
    }
    let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (root_a, root_b) = (find(parent, a), find(parent, b));
        if root_a != root_b {
            parent[root_a.max(root_b)] = root_a.min(root_b);
        }
    };
    let close = |a: usize, b: usize| {
        let (first, second) = (points[a], points[b]);
        (first.x - second.x).hypot(first.y - second.y) <= distance
    };
    for members in cells.values() {
        for &member in &members[1..] {
            // Within one cell every two points are closer than its diagonal, `distance`; with
            // no distance, only the same point joins.
            if distance > 0.0 || close(members[0], member) {
                join(&mut parent, members[0], member);
            }
        }
    }
    let mut keys: Vec<(i64, i64)> = cells.keys().copied().collect();
    keys.sort_unstable();
    for &(x, y) in &keys {
        let members = &cells[&(x, y)];
        for (dx, dy) in (-2..=2).flat_map(|dx| (-2..=2).map(move |dy| (dx, dy))) {
            // Each pair of cells once.
            if (dx, dy) <= (0, 0) {
                continue;
            }
            let Some(others) = cells.get(&(x + dx, y + dy)) else {
                continue;
            };
            if find(&mut parent, members[0]) == find(&mut parent, others[0]) {
                continue;
            }
            let pair = members
                .iter()
                .flat_map(|&a| others.iter().map(move |&b| (a, b)))
                .find(|&(a, b)| close(a, b));
            if let Some((a, b)) = pair {
                join(&mut parent, a, b);
            }
        }
    }
    parent
}

/// How far a cluster's outline stands off its buildings, in metres.
const OUTLINE_MARGIN_M: f64 = 10.0;

/// Clusters larger than this are outlined by their convex hull: the union of their buildings'
/// boxes would cost more than the rest of the check.
const MOST_OUTLINED_BY_BOXES: usize = 20_000;

/// An outline that hugs the cluster: the union of its buildings' boxes, each widened by
/// [`OUTLINE_MARGIN_M`]. The convex hull of a cluster strung along a street (its buildings
/// within 60 m of one another, step by step) drew long lines across the communities beside it.
fn cluster_outline(buildings: &[crate::layers::Building], members: &[u32]) -> MultiPolygon<f64> {
    if members.len() > MOST_OUTLINED_BY_BOXES {
        let corners: Vec<Point<f64>> = members
            .iter()
            .flat_map(|&building| buildings[building as usize].envelope().map(Point))
            .collect();
        return MultiPolygon::new(vec![MultiPoint::new(corners).convex_hull()]);
    }
    let boxes = MultiPolygon::new(
        members
            .iter()
            .map(|&building| {
                let [low, high] = buildings[building as usize].envelope();
                Rect::new(
                    Coord {
                        x: low.x - OUTLINE_MARGIN_M,
                        y: low.y - OUTLINE_MARGIN_M,
                    },
                    Coord {
                        x: high.x + OUTLINE_MARGIN_M,
                        y: high.y + OUTLINE_MARGIN_M,
                    },
                )
                .to_polygon()
            })
            .collect(),
    );
    overlay::union(&[&boxes])
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
    let points: Vec<geo::Coord<f64>> = uncovered
        .iter()
        .map(|&building| buildings[building as usize].representative_point)
        .collect();
    let mut parent = clusters_within(&points, cluster_distance);
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
        let outline = cluster_outline(buildings, &members);
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
            location: Location::Areas(outline),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_clusters_equal_the_clusters_of_every_pair_compared() {
        let mut random = crate::random::SplitMix64(0xc1_0057);
        for round in 0..40 {
            let count = 50 + (random.next_u64() % 300) as usize;
            let spread = 100.0 + (round * 25) as f64;
            let points: Vec<geo::Coord<f64>> = (0..count)
                .map(|_| geo::Coord {
                    x: (random.next_u64() % 100_000) as f64 / 100_000.0 * spread,
                    y: (random.next_u64() % 100_000) as f64 / 100_000.0 * spread,
                })
                .collect();
            let distance = [0.0, 5.0, 20.0, 60.0][round % 4];
            let mut fast = clusters_within(&points, distance);
            let mut slow: Vec<usize> = (0..count).collect();
            for a in 0..count {
                for b in a + 1..count {
                    let (first, second) = (points[a], points[b]);
                    if (first.x - second.x).hypot(first.y - second.y) <= distance {
                        let (root_a, root_b) = (find(&mut slow, a), find(&mut slow, b));
                        if root_a != root_b {
                            slow[root_a.max(root_b)] = root_a.min(root_b);
                        }
                    }
                }
            }
            for a in 0..count {
                for b in a + 1..count {
                    assert_eq!(
                        find(&mut fast, a) == find(&mut fast, b),
                        find(&mut slow, a) == find(&mut slow, b),
                        "round {round}, points {a} and {b}"
                    );
                }
            }
        }
    }
}
