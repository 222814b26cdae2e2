//! The street network as a graph, for walking distances.
//!
//! Every street vertex is a node and every segment an edge as long as it is. Vertices at the same
//! spot (to the centimetre) are one node: that is how street data marks a junction, so two streets
//! that cross without a shared vertex — a bridge over a road — do not meet. Motorways are left
//! out: nobody walks them. A point (a building, an office) joins the network at the nearest point
//! of the nearest segment, and walks straight there first.
//!
//! The graph is a `petgraph` graph and its pieces are found with petgraph's union–find. The
//! search is our own Dijkstra: petgraph's runs from one node to every node (or to one goal), while
//! a community's office sits between two nodes and its search should stop as soon as the
//! community's own buildings are reached — which is what keeps a 1M-building city fast.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

use geo::Coord;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

use crate::layers::Street;

/// Street classes that are not walked.
const NOT_WALKED: [&str; 2] = ["motorway", "motorway_link"];

/// Vertices closer than this (metres) are one node.
const NODE_PRECISION_M: f64 = 0.01;

/// A segment in the index, with the nodes at its ends.
type IndexedSegment = GeomWithData<Line<[f64; 2]>, (u32, u32)>;

/// Where a point joins the network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attachment {
    /// The segment's first node.
    pub from: u32,
    /// The segment's second node.
    pub to: u32,
    /// Metres along the segment from `from` to the joining point.
    pub along_m: f64,
    /// The segment's length.
    pub length_m: f64,
    /// Metres from the point to the joining point.
    pub offset_m: f64,
    /// The joining point on the street.
    pub joined: Coord<f64>,
}

impl Attachment {
    /// Metres from the joining point to `from`.
    fn metres_to_from(&self) -> f64 {
        self.along_m
    }

    /// Metres from the joining point to `to`.
    fn metres_to_to(&self) -> f64 {
        (self.length_m - self.along_m).max(0.0)
    }

    /// True when both join the same segment (either way round).
    fn same_segment(&self, other: &Attachment) -> bool {
        (self.from, self.to) == (other.from, other.to)
    }
}

/// The walkable street network.
#[derive(Debug, Clone, Default)]
pub struct WalkingNetwork {
    graph: UnGraph<(), f64, u32>,
    segments: RTree<IndexedSegment>,
    /// The connected piece of each node.
    piece: Vec<u32>,
    /// How many connected pieces there are.
    piece_count: usize,
}

impl WalkingNetwork {
    /// Builds the network of every walkable street.
    pub fn build(streets: &[Street]) -> Self {
        let mut graph: UnGraph<(), f64, u32> = UnGraph::default();
        let mut nodes: HashMap<(i64, i64), u32> = HashMap::new();
        let mut node_of = |graph: &mut UnGraph<(), f64, u32>, point: Coord<f64>| -> u32 {
            let key = (
                (point.x / NODE_PRECISION_M).round() as i64,
                (point.y / NODE_PRECISION_M).round() as i64,
            );
            *nodes
                .entry(key)
                .or_insert_with(|| graph.add_node(()).index() as u32)
        };
        let mut segments = Vec::new();
        for street in streets {
            if street
                .class
                .as_deref()
                .is_some_and(|class| NOT_WALKED.contains(&class))
            {
                continue;
            }
            for line in &street.lines {
                for segment in line.lines() {
                    let length =
                        (segment.end.x - segment.start.x).hypot(segment.end.y - segment.start.y);
                    if !length.is_finite() || length < NODE_PRECISION_M {
                        continue;
                    }
                    let from = node_of(&mut graph, segment.start);
                    let to = node_of(&mut graph, segment.end);
                    if from == to {
                        continue;
                    }
                    graph.add_edge(
                        NodeIndex::new(from as usize),
                        NodeIndex::new(to as usize),
                        length,
                    );
                    segments.push(GeomWithData::new(
                        Line::new(
                            [segment.start.x, segment.start.y],
                            [segment.end.x, segment.end.y],
                        ),
                        (from, to),
                    ));
                }
            }
        }
        let mut pieces = UnionFind::<u32>::new(graph.node_count());
        for edge in graph.edge_references() {
            pieces.union(edge.source().index() as u32, edge.target().index() as u32);
        }
        let mut label_of_root: HashMap<u32, u32> = HashMap::new();
        let piece: Vec<u32> = (0..graph.node_count() as u32)
            .map(|node| {
                let root = pieces.find_mut(node);
                let next = label_of_root.len() as u32;
                *label_of_root.entry(root).or_insert(next)
            })
            .collect();
        Self {
            piece_count: label_of_root.len(),
            graph,
            segments: RTree::bulk_load(segments),
            piece,
        }
    }

    /// True when there is no walkable street.
    pub fn is_empty(&self) -> bool {
        self.graph.edge_count() == 0
    }

    /// How many separate pieces the network is in (1 when every street connects).
    pub fn piece_count(&self) -> usize {
        self.piece_count
    }

    /// The connected piece an attachment lies in.
    pub fn piece_of(&self, attachment: &Attachment) -> u32 {
        self.piece[attachment.from as usize]
    }

    /// Where `point` joins the network: the nearest point of the nearest segment.
    pub fn attach(&self, point: Coord<f64>) -> Option<Attachment> {
        let query = [point.x, point.y];
        let nearest = self.segments.nearest_neighbor(&query)?;
        let [start, end] = [nearest.geom().from, nearest.geom().to];
        let (dx, dy) = (end[0] - start[0], end[1] - start[1]);
        let length = dx.hypot(dy);
        let fraction = (((point.x - start[0]) * dx + (point.y - start[1]) * dy)
            / (length * length))
            .clamp(0.0, 1.0);
        let joined = [start[0] + fraction * dx, start[1] + fraction * dy];
        let (from, to) = nearest.data;
        Some(Attachment {
            from,
            to,
            along_m: fraction * length,
            length_m: length,
            offset_m: (point.x - joined[0]).hypot(point.y - joined[1]),
            joined: Coord {
                x: joined[0],
                y: joined[1],
            },
        })
    }

    /// Walking metres from `origin` to each of `targets` (`None`: not reachable, another piece of
    /// the network). The search stops once every reachable target's nodes are settled.
    pub fn distances(&self, origin: &Attachment, targets: &[Attachment]) -> Vec<Option<f64>> {
        let origin_piece = self.piece_of(origin);
        let mut waiting: HashSet<u32> = HashSet::new();
        for target in targets {
            if self.piece_of(target) == origin_piece {
                waiting.insert(target.from);
                waiting.insert(target.to);
            }
        }
        let settled = self.settle(origin, waiting);
        targets
            .iter()
            .map(|target| {
                if self.piece_of(target) != origin_piece {
                    return None;
                }
                let through_ends = [
                    settled
                        .get(&target.from)
                        .map(|d| d + target.metres_to_from()),
                    settled.get(&target.to).map(|d| d + target.metres_to_to()),
                ]
                .into_iter()
                .flatten()
                .fold(f64::INFINITY, f64::min);
                let along_the_segment = if target.same_segment(origin) {
                    (target.along_m - origin.along_m).abs()
                } else {
                    f64::INFINITY
                };
                let walked = through_ends.min(along_the_segment);
                walked
                    .is_finite()
                    .then_some(walked + target.offset_m + origin.offset_m)
            })
            .collect()
    }

    /// Dijkstra from the two ends of `origin`'s segment until every node of `waiting` is settled.
    fn settle(&self, origin: &Attachment, mut waiting: HashSet<u32>) -> HashMap<u32, f64> {
        let mut best: HashMap<u32, f64> = HashMap::new();
        let mut settled: HashMap<u32, f64> = HashMap::new();
        if waiting.is_empty() {
            return settled;
        }
        let mut queue = BinaryHeap::new();
        for (node, distance) in [
            (origin.from, origin.metres_to_from()),
            (origin.to, origin.metres_to_to()),
        ] {
            if best.get(&node).is_none_or(|&known| distance < known) {
                best.insert(node, distance);
                queue.push(Frontier { distance, node });
            }
        }
        while let Some(Frontier { distance, node }) = queue.pop() {
            if settled.contains_key(&node) {
                continue;
            }
            settled.insert(node, distance);
            waiting.remove(&node);
            if waiting.is_empty() {
                break;
            }
            for edge in self.graph.edges(NodeIndex::new(node as usize)) {
                let next = edge.target().index() as u32;
                let next = if next == node {
                    edge.source().index() as u32
                } else {
                    next
                };
                if settled.contains_key(&next) {
                    continue;
                }
                let through = distance + edge.weight();
                if best.get(&next).is_none_or(|&known| through < known) {
                    best.insert(next, through);
                    queue.push(Frontier {
                        distance: through,
                        node: next,
                    });
                }
            }
        }
        settled
    }
}

/// A node waiting in the search, nearest first.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Frontier {
    distance: f64,
    node: u32,
}

impl Eq for Frontier {}

impl Ord for Frontier {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap pops the greatest.
        other
            .distance
            .total_cmp(&self.distance)
            .then_with(|| other.node.cmp(&self.node))
    }
}

impl PartialOrd for Frontier {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, MultiLineString};

    fn street(points: &[(f64, f64)], class: Option<&str>) -> Street {
        Street {
            source_id: "s".into(),
            lines: MultiLineString::new(vec![LineString::from(points.to_vec())]),
            class: class.map(str::to_owned),
            name: None,
        }
    }

    #[test]
    fn a_building_is_reached_along_the_streets_not_across_the_block() {
        // An L of streets: the office near the west end, the building near the north end.
        let network = WalkingNetwork::build(&[
            street(&[(0.0, 0.0), (100.0, 0.0)], None),
            street(&[(100.0, 0.0), (100.0, 100.0)], None),
        ]);
        assert_eq!(network.piece_count(), 1);
        let office = network.attach(Coord { x: 10.0, y: -5.0 }).expect("present");
        let home = network
            .attach(Coord { x: 110.0, y: 90.0 })
            .expect("present");
        let [distance] = network.distances(&office, &[home])[..] else {
            panic!("one distance");
        };
        // 5 to the street, 90 east, 90 north, 10 to the door.
        assert!(
            (distance.expect("present") - 195.0).abs() < 1e-9,
            "{distance:?}"
        );
    }

    #[test]
    fn two_points_on_one_segment_walk_straight_along_it() {
        let network = WalkingNetwork::build(&[street(&[(0.0, 0.0), (100.0, 0.0)], None)]);
        let office = network.attach(Coord { x: 20.0, y: 3.0 }).expect("present");
        let home = network.attach(Coord { x: 70.0, y: -4.0 }).expect("present");
        let distance = network.distances(&office, &[home])[0].expect("present");
        assert!((distance - 57.0).abs() < 1e-9, "{distance}");
    }

    #[test]
    fn streets_that_cross_without_a_shared_vertex_do_not_meet_and_motorways_are_not_walked() {
        let network = WalkingNetwork::build(&[
            street(&[(0.0, 0.0), (100.0, 0.0)], None),
            // A bridge across the first street: no shared vertex.
            street(&[(50.0, -50.0), (50.0, 50.0)], None),
            street(&[(0.0, 500.0), (100.0, 500.0)], Some("motorway")),
        ]);
        assert_eq!(network.piece_count(), 2);
        let office = network.attach(Coord { x: 10.0, y: 1.0 }).expect("present");
        let home = network.attach(Coord { x: 51.0, y: 40.0 }).expect("present");
        assert_eq!(network.distances(&office, &[home]), vec![None]);
        // The motorway is not there: a point beside it joins the nearest walked street.
        let beside_motorway = network
            .attach(Coord { x: 50.0, y: 490.0 })
            .expect("present");
        assert!((beside_motorway.offset_m - 440.0).abs() < 1e-9);
    }

    #[test]
    fn the_shorter_of_two_ways_round_a_block_is_taken() {
        // A 100 × 100 block; the office at the south-west corner, the home on the north side
        // near the west: round by the west (100 + 10) not by the east (100 + 100 + 90).
        let network = WalkingNetwork::build(&[street(
            &[
                (0.0, 0.0),
                (100.0, 0.0),
                (100.0, 100.0),
                (0.0, 100.0),
                (0.0, 0.0),
            ],
            None,
        )]);
        let office = network.attach(Coord { x: 0.0, y: 0.0 }).expect("present");
        let home = network
            .attach(Coord { x: 10.0, y: 100.0 })
            .expect("present");
        let distance = network.distances(&office, &[home])[0].expect("present");
        assert!((distance - 110.0).abs() < 1e-9, "{distance}");
    }
}
