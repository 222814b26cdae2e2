//! Ground cut along its streets into units and units grown into contiguous groups: the shared
//! machinery of an automatic partition and of splitting one community.
//!
//! The ground is cut along every street that crosses it into pieces (its blocks); pieces a
//! building or an estate spans are kept together as one unit, so no grouping cuts a building or
//! an estate. Groups grow from seeds far apart, the group with the fewest households taking the
//! free unit next to it nearest its seed; then units on the edge between two groups move across
//! while that brings the groups nearer their target without splitting the one they leave.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use geo::{
    Area, BoundingRect, Centroid, Contains, Coord, Distance, Euclidean, LineString, MultiPolygon,
    Polygon,
};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::geometry::overlay;
use crate::index::aabb;
use crate::ops::validity::{MINIMUM_PART_AREA_M2, without_slivers};
use crate::session::Session;

/// Pieces of the ground kept together: a block, or blocks a building or an estate spans.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Its pieces.
    pub polygons: Vec<Polygon<f64>>,
    /// Households of the buildings whose representative point lies in it.
    pub households: u64,
    /// The middle of its pieces.
    pub centre: Coord<f64>,
    /// Those buildings.
    pub buildings: Vec<u32>,
}

/// `ground` cut along the streets that cross it, its pieces gathered into units no building or
/// estate spans; `members` (the buildings on the ground) counted into the unit holding each.
pub fn units_of(session: &Session, ground: &MultiPolygon<f64>, members: &[u32]) -> Vec<Unit> {
    pieces_kept_together(session, ground, members, true)
}

/// As [`units_of`], with pieces kept together only where a building spans them (an estate may
/// be divided, as grids within it are).
pub fn blocks_of(session: &Session, ground: &MultiPolygon<f64>, members: &[u32]) -> Vec<Unit> {
    pieces_kept_together(session, ground, members, false)
}

fn pieces_kept_together(
    session: &Session,
    ground: &MultiPolygon<f64>,
    members: &[u32],
    estates_whole: bool,
) -> Vec<Unit> {
    let Some(extent) = ground.bounding_rect() else {
        return Vec::new();
    };
    let streets = &session.layers().streets;
    let crossing: BTreeSet<u32> = session
        .street_index()
        .segments_of_streets_meeting(aabb(extent.min(), extent.max()))
        .map(|(_, _, street)| street)
        .collect();
    let lines: Vec<LineString<f64>> = crossing
        .iter()
        .flat_map(|&street| streets[street as usize].lines.0.iter().cloned())
        .collect();
    let pieces: Vec<Polygon<f64>> = overlay::slice(ground, &lines)
        .into_iter()
        .filter(|piece| piece.unsigned_area() >= MINIMUM_PART_AREA_M2)
        .collect();
    if pieces.is_empty() {
        return Vec::new();
    }
    let tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>> = RTree::bulk_load(
        pieces
            .iter()
            .enumerate()
            .filter_map(|(index, piece)| {
                let envelope = piece.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners(
                        [envelope.min().x, envelope.min().y],
                        [envelope.max().x, envelope.max().y],
                    ),
                    index,
                ))
            })
            .collect(),
    );
    // Pieces joined (union–find) where a building or an estate spans them.
    let mut parent: Vec<usize> = (0..pieces.len()).collect();
    fn root(parent: &mut [usize], mut piece: usize) -> usize {
        while parent[piece] != piece {
            parent[piece] = parent[parent[piece]];
            piece = parent[piece];
        }
        piece
    }
    let buildings = &session.layers().buildings;
    let mut households = vec![0_u64; pieces.len()];
    let mut holds: Vec<Vec<u32>> = vec![Vec::new(); pieces.len()];
    let mut estates: BTreeMap<&str, usize> = BTreeMap::new();
    for &member in members {
        let building = &buildings[member as usize];
        let [lower, upper] = building.envelope();
        let meeting: Vec<usize> = tree
            .locate_in_envelope_intersecting(&aabb(lower, upper))
            .map(|entry| entry.data)
            .filter(|&piece| geo::Intersects::intersects(&pieces[piece], &building.footprint))
            .collect();
        let home = meeting
            .iter()
            .copied()
            .find(|&piece| pieces[piece].contains(&building.representative_point))
            .or_else(|| meeting.first().copied());
        let Some(home) = home else { continue };
        households[home] += u64::from(building.households);
        holds[home].push(member);
        let mut joined = meeting;
        if let Some(estate) = building.estate().filter(|_| estates_whole) {
            joined.push(*estates.entry(estate).or_insert(home));
        }
        for other in joined {
            let (first, second) = (root(&mut parent, home), root(&mut parent, other));
            parent[first] = second;
        }
    }
    let mut grouped: BTreeMap<usize, Unit> = BTreeMap::new();
    for (piece, polygon) in pieces.into_iter().enumerate() {
        let unit = grouped.entry(root(&mut parent, piece)).or_insert(Unit {
            polygons: Vec::new(),
            households: 0,
            centre: Coord::zero(),
            buildings: Vec::new(),
        });
        unit.households += households[piece];
        unit.buildings.append(&mut holds[piece]);
        unit.polygons.push(polygon);
    }
    grouped
        .into_values()
        .map(|mut unit| {
            unit.centre = MultiPolygon::new(unit.polygons.clone())
                .centroid()
                .map(|point| point.0)
                .unwrap_or_default();
            unit
        })
        .collect()
}

/// Which units share an edge: two corners in common (to the centimetre) that are the two ends
/// of a side of either one. (A street meeting another at a T leaves a corner on one side of the
/// street and none on the other, so the sides themselves need not match; pieces meeting at a
/// corner, or at two corners apart, are not neighbours.)
pub fn adjacency(units: &[Unit]) -> Vec<BTreeSet<usize>> {
    type Corner = (i64, i64);
    let quantise = |coord: &Coord<f64>| -> Corner {
        (
            (coord.x * 100.0).round() as i64,
            (coord.y * 100.0).round() as i64,
        )
    };
    let sides = |unit: &Unit| -> Vec<(Corner, Corner)> {
        unit.polygons
            .iter()
            .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
            .flat_map(|ring| ring.lines())
            .map(|side| (quantise(&side.start), quantise(&side.end)))
            .collect()
    };
    let mut owners: std::collections::HashMap<Corner, Vec<usize>> =
        std::collections::HashMap::new();
    for (index, unit) in units.iter().enumerate() {
        for (corner, _) in sides(unit) {
            let holders = owners.entry(corner).or_default();
            if !holders.contains(&index) {
                holders.push(index);
            }
        }
    }
    let mut shared: BTreeMap<(usize, usize), BTreeSet<Corner>> = BTreeMap::new();
    for (corner, holders) in &owners {
        for &first in holders {
            for &second in holders {
                if first < second {
                    shared.entry((first, second)).or_default().insert(*corner);
                }
            }
        }
    }
    let mut adjacent = vec![BTreeSet::new(); units.len()];
    for ((first, second), corners) in shared {
        if corners.len() < 2 {
            continue;
        }
        let side_between = [first, second].into_iter().any(|unit| {
            sides(&units[unit])
                .iter()
                .any(|(start, end)| corners.contains(start) && corners.contains(end))
        });
        if side_between {
            adjacent[first].insert(second);
            adjacent[second].insert(first);
        }
    }
    adjacent
}

fn distance(a: Coord<f64>, b: Coord<f64>) -> f64 {
    Euclidean.distance(geo::Point(a), geo::Point(b))
}

/// The units in order of distance from their middle, farthest first: the first seeds to try.
pub fn farthest_first(units: &[Unit]) -> Vec<usize> {
    let count = units.len().max(1) as f64;
    let middle = Coord {
        x: units.iter().map(|unit| unit.centre.x).sum::<f64>() / count,
        y: units.iter().map(|unit| unit.centre.y).sum::<f64>() / count,
    };
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by(|&a, &b| {
        distance(units[b].centre, middle).total_cmp(&distance(units[a].centre, middle))
    });
    order
}

/// Units grown into `parts` contiguous groups from `first` and further seeds each as far as can
/// be from those before; `None` when there are fewer units than parts.
pub fn grow(
    units: &[Unit],
    adjacent: &[BTreeSet<usize>],
    parts: usize,
    first: usize,
) -> Option<Vec<Vec<usize>>> {
    if first >= units.len() || parts == 0 || parts > units.len() {
        return None;
    }
    let mut seeds = vec![first];
    let mut nearest_seed: Vec<f64> = units
        .iter()
        .map(|unit| distance(unit.centre, units[first].centre))
        .collect();
    while seeds.len() < parts {
        let next = (0..units.len())
            .filter(|unit| !seeds.contains(unit))
            .max_by(|&a, &b| nearest_seed[a].total_cmp(&nearest_seed[b]))?;
        seeds.push(next);
        for (unit, nearest) in nearest_seed.iter_mut().enumerate() {
            *nearest = nearest.min(distance(units[unit].centre, units[next].centre));
        }
    }
    let mut owner: Vec<Option<usize>> = vec![None; units.len()];
    let mut groups: Vec<Vec<usize>> = Vec::with_capacity(parts);
    let mut households: Vec<u64> = Vec::with_capacity(parts);
    // Each group's free neighbours, kept as it grows.
    let mut frontier: Vec<BTreeSet<usize>> = Vec::with_capacity(parts);
    for (group, &seed) in seeds.iter().enumerate() {
        owner[seed] = Some(group);
        groups.push(vec![seed]);
        households.push(units[seed].households);
    }
    for &seed in &seeds {
        frontier.push(
            adjacent[seed]
                .iter()
                .copied()
                .filter(|&unit| owner[unit].is_none())
                .collect(),
        );
    }
    loop {
        let mut order: Vec<usize> = (0..parts).collect();
        order.sort_by_key(|&group| households[group]);
        let taken = order.into_iter().find_map(|group| {
            let seed = units[seeds[group]].centre;
            frontier[group]
                .iter()
                .copied()
                .filter(|&unit| owner[unit].is_none())
                .min_by(|&a, &b| {
                    distance(units[a].centre, seed).total_cmp(&distance(units[b].centre, seed))
                })
                .map(|unit| (group, unit))
        });
        let Some((group, unit)) = taken else {
            break;
        };
        owner[unit] = Some(group);
        groups[group].push(unit);
        households[group] += units[unit].households;
        for list in frontier.iter_mut() {
            list.remove(&unit);
        }
        frontier[group].extend(
            adjacent[unit]
                .iter()
                .copied()
                .filter(|&next| owner[next].is_none()),
        );
    }
    // Units no seed can reach (ground in pieces) join the group with a unit nearest them, so
    // nothing is dropped; that group is then in pieces too, as the ground was.
    for unit in 0..units.len() {
        if owner[unit].is_some() {
            continue;
        }
        let nearest = (0..units.len())
            .filter(|&other| owner[other].is_some())
            .min_by(|&a, &b| {
                distance(units[a].centre, units[unit].centre)
                    .total_cmp(&distance(units[b].centre, units[unit].centre))
            })
            .and_then(|other| owner[other]);
        let group = nearest.unwrap_or(0);
        owner[unit] = Some(group);
        groups[group].push(unit);
    }
    Some(groups)
}

/// How far a group's households lie from what is wanted: nothing within the band near the
/// target, growing with the distance from it, and far more outside the band.
pub fn cost(households: u64, band: (u64, u64), target: f64) -> f64 {
    let (minimum, maximum) = band;
    let outside = if households < minimum {
        (minimum - households) as f64
    } else if households > maximum {
        (households - maximum) as f64
    } else {
        0.0
    };
    let off = (households as f64 - target) / target.max(1.0);
    off * off + 100.0 * outside / target.max(1.0)
}

/// Units on the edge between groups moved across while that lowers the groups' total
/// [`cost`], never leaving a group empty or in pieces; at most `passes` rounds.
pub fn balance(
    units: &[Unit],
    adjacent: &[BTreeSet<usize>],
    groups: &mut [Vec<usize>],
    band: (u64, u64),
    target: f64,
    passes: usize,
) {
    let mut owner = vec![usize::MAX; units.len()];
    for (group, members) in groups.iter().enumerate() {
        for &unit in members {
            owner[unit] = group;
        }
    }
    let mut households: Vec<u64> = groups
        .iter()
        .map(|group| group.iter().map(|&unit| units[unit].households).sum())
        .collect();
    for _ in 0..passes {
        let mut moved = false;
        for unit in 0..units.len() {
            let from = owner[unit];
            let neighbours: BTreeSet<usize> = adjacent[unit]
                .iter()
                .map(|&next| owner[next])
                .filter(|&group| group != from)
                .collect();
            let weight = units[unit].households;
            let before_from = cost(households[from], band, target);
            let best = neighbours
                .into_iter()
                .map(|to| {
                    let gain = before_from + cost(households[to], band, target)
                        - cost(households[from] - weight, band, target)
                        - cost(households[to] + weight, band, target);
                    (gain, to)
                })
                .filter(|(gain, _)| *gain > 1e-9)
                .max_by(|(first, _), (second, _)| first.total_cmp(second));
            let Some((_, to)) = best else { continue };
            if groups[from].len() < 2 || !stays_whole(adjacent, &groups[from], &owner, unit) {
                continue;
            }
            groups[from].retain(|&other| other != unit);
            groups[to].push(unit);
            owner[unit] = to;
            households[from] -= weight;
            households[to] += weight;
            moved = true;
        }
        if !moved {
            break;
        }
    }
}

/// What groups are drawn to hold: households within `band`, near `target`, balanced over at
/// most `passes` rounds.
#[derive(Debug, Clone, Copy)]
pub struct Aim {
    /// Fewest and most households a group may hold.
    pub band: (u64, u64),
    /// Households a group is drawn to hold.
    pub target: f64,
    /// Rounds of [`balance`].
    pub passes: usize,
}

/// The best of the groupings grown from each unit of `firsts` into `parts` groups and
/// [`balance`]d: the one whose groups' [`cost`] plus `penalty` of each is lowest. All units in
/// one group when no grouping can be grown (fewer units than parts, or none).
pub fn best_grouping(
    units: &[Unit],
    adjacent: &[BTreeSet<usize>],
    parts: usize,
    firsts: impl IntoIterator<Item = usize>,
    aim: Aim,
    penalty: impl Fn(&[usize]) -> f64,
) -> Vec<Vec<usize>> {
    let mut best: Option<(f64, Vec<Vec<usize>>)> = None;
    for first in firsts {
        let Some(mut groups) = grow(units, adjacent, parts, first) else {
            continue;
        };
        balance(
            units,
            adjacent,
            &mut groups,
            aim.band,
            aim.target,
            aim.passes,
        );
        let score: f64 = groups
            .iter()
            .map(|group| {
                cost(group_households(units, group), aim.band, aim.target) + penalty(group)
            })
            .sum();
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, groups));
        }
    }
    best.map_or_else(|| vec![(0..units.len()).collect()], |(_, groups)| groups)
}

/// True when `group` without `unit` is still one piece.
fn stays_whole(
    adjacent: &[BTreeSet<usize>],
    group: &[usize],
    owner: &[usize],
    unit: usize,
) -> bool {
    let home = owner[unit];
    let Some(&start) = group.iter().find(|&&other| other != unit) else {
        return false;
    };
    let mut seen: BTreeSet<usize> = BTreeSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(current) = queue.pop_front() {
        for &next in &adjacent[current] {
            if next != unit && owner[next] == home && seen.insert(next) {
                queue.push_back(next);
            }
        }
    }
    seen.len() == group.len() - 1
}

/// The boundary of a group of units: their pieces joined.
pub fn group_boundary(units: &[Unit], group: &[usize]) -> MultiPolygon<f64> {
    let polygons: Vec<Polygon<f64>> = group
        .iter()
        .flat_map(|&unit| units[unit].polygons.iter().cloned())
        .collect();
    without_slivers(overlay::union(&[&MultiPolygon::new(polygons)]))
}

/// Households of a group of units.
pub fn group_households(units: &[Unit], group: &[usize]) -> u64 {
    group.iter().map(|&unit| units[unit].households).sum()
}

/// How round a boundary is: 4π·area / perimeter² (Polsby–Popper), 1 for a circle.
pub fn polsby_popper(boundary: &MultiPolygon<f64>) -> f64 {
    let perimeter = crate::geometry::perimeter(boundary);
    if perimeter <= 0.0 {
        return 0.0;
    }
    4.0 * std::f64::consts::PI * boundary.unsigned_area() / (perimeter * perimeter)
}
