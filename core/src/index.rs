//! R-trees: buildings by footprint envelope (bulk-loaded once), communities by envelope (removed
//! and re-inserted whenever one changes: an object in an rstar tree must not move).

use geo::{BoundingRect, Coord, MultiPolygon};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, Envelope, RTree, RTreeObject};

use crate::ids::CommunityKey;
use crate::layers::Building;
use crate::plan::Plan;

/// A footprint envelope in single precision, rounded outward, with the building's index: half
/// the tree's memory, and every query is widened the same way, so it finds at least the buildings
/// the exact envelopes would (callers then test exactly).
pub type BuildingEnvelope = GeomWithData<Rectangle<[f32; 2]>, u32>;

/// The single-precision box holding the double-precision one from `lower` to `upper`.
fn widened(lower: [f64; 2], upper: [f64; 2]) -> AABB<[f32; 2]> {
    let down = |value: f64| {
        let narrowed = value as f32;
        if f64::from(narrowed) > value {
            narrowed.next_down()
        } else {
            narrowed
        }
    };
    let up = |value: f64| {
        let narrowed = value as f32;
        if f64::from(narrowed) < value {
            narrowed.next_up()
        } else {
            narrowed
        }
    };
    AABB::from_corners(
        [down(lower[0]), down(lower[1])],
        [up(upper[0]), up(upper[1])],
    )
}
/// A community envelope with the community's key.
pub type CommunityEnvelope = GeomWithData<Rectangle<[f64; 2]>, CommunityKey>;

/// The rectangle of two corners.
pub fn aabb(lower: Coord<f64>, upper: Coord<f64>) -> AABB<[f64; 2]> {
    AABB::from_corners([lower.x, lower.y], [upper.x, upper.y])
}

/// The extent (lower-left and upper-right corners) holding both.
pub fn extent_union(a: [Coord<f64>; 2], b: [Coord<f64>; 2]) -> [Coord<f64>; 2] {
    [
        Coord {
            x: a[0].x.min(b[0].x),
            y: a[0].y.min(b[0].y),
        },
        Coord {
            x: a[1].x.max(b[1].x),
            y: a[1].y.max(b[1].y),
        },
    ]
}

/// The envelope of a boundary, or `None` for an empty one.
pub fn boundary_envelope(boundary: &MultiPolygon<f64>) -> Option<AABB<[f64; 2]>> {
    boundary
        .bounding_rect()
        .map(|rect| aabb(rect.min(), rect.max()))
}

/// Buildings by footprint envelope, with their representative points beside the trees. One kind
/// of tree answers both questions — a representative point lies inside its footprint's envelope,
/// so the buildings whose point is in a box are among those whose envelope meets it — where a
/// second tree by point cost 90 MB and a third of the index time at 1M buildings. A large layer
/// is split at its middle from west to east into two trees bulk-loaded side by side on two cores
/// (rstar's bulk load is serial: 0.25 s at 1M buildings in one tree).
#[derive(Debug, Clone)]
pub struct BuildingIndex {
    /// Footprint envelopes: one tree, or a western and an eastern one.
    trees: Vec<RTree<BuildingEnvelope>>,
    /// Representative points, by building index.
    points: Vec<[f64; 2]>,
}

/// Layers of at least this many buildings are indexed in two trees.
const TWO_TREES_FROM: usize = 100_000;

impl BuildingIndex {
    /// Bulk-loads the trees.
    pub fn build(buildings: &[Building]) -> Self {
        let mut envelopes: Vec<BuildingEnvelope> = buildings
            .par_iter()
            .enumerate()
            .map(|(index, building)| {
                let [lower, upper] = building.envelope();
                GeomWithData::new(
                    Rectangle::from_aabb(widened([lower.x, lower.y], [upper.x, upper.y])),
                    index as u32,
                )
            })
            .collect();
        let trees = if envelopes.len() < TWO_TREES_FROM {
            vec![RTree::bulk_load(envelopes)]
        } else {
            let middle = envelopes.len() / 2;
            let centre_x = |envelope: &BuildingEnvelope| {
                let bounds = envelope.geom().envelope();
                bounds.lower()[0] + bounds.upper()[0]
            };
            envelopes.select_nth_unstable_by(middle, |a, b| centre_x(a).total_cmp(&centre_x(b)));
            let east = envelopes.split_off(middle);
            let (west, east) =
                rayon::join(|| RTree::bulk_load(envelopes), || RTree::bulk_load(east));
            vec![west, east]
        };
        Self {
            trees,
            points: buildings
                .iter()
                .map(|building| {
                    [
                        building.representative_point.x,
                        building.representative_point.y,
                    ]
                })
                .collect(),
        }
    }

    /// Buildings whose representative point lies in `envelope` (borders included).
    pub fn points_in(&self, envelope: AABB<[f64; 2]>) -> impl Iterator<Item = u32> + '_ {
        self.footprints_meeting(envelope).filter(move |building| {
            self.points
                .get(*building as usize)
                .is_some_and(|point| envelope.contains_point(point))
        })
    }

    /// Buildings whose footprint envelope meets `envelope`, in no particular order.
    /// (A superset by a few millimetres at most: the trees are single precision, rounded outward.)
    pub fn footprints_meeting(&self, envelope: AABB<[f64; 2]>) -> impl Iterator<Item = u32> + '_ {
        let query = widened(envelope.lower(), envelope.upper());
        self.trees.iter().flat_map(move |tree| {
            tree.locate_in_envelope_intersecting(&query)
                .map(|rectangle| rectangle.data)
        })
    }
}

/// Communities by envelope, kept current as boundaries change.
#[derive(Debug, Clone, Default)]
pub struct CommunityIndex {
    tree: RTree<CommunityEnvelope>,
    /// The envelope each key is filed under, to remove it again.
    filed: Vec<Option<CommunityEnvelope>>,
}

impl CommunityIndex {
    /// Bulk-loads every community of the plan.
    pub fn build(plan: &Plan) -> Self {
        let mut filed = vec![None; plan.slot_count()];
        let mut entries = Vec::with_capacity(plan.len());
        for (key, community) in plan.communities() {
            if let Some(envelope) = boundary_envelope(&community.boundary) {
                let entry = GeomWithData::new(Rectangle::from_aabb(envelope), key);
                filed[key.index()] = Some(entry);
                entries.push(entry);
            }
        }
        Self {
            tree: RTree::bulk_load(entries),
            filed,
        }
    }

    /// Files `key` under its current boundary (or removes it, when the community is gone).
    pub fn refresh(&mut self, plan: &Plan, key: CommunityKey) {
        if self.filed.len() <= key.index() {
            self.filed.resize(key.index() + 1, None);
        }
        if let Some(old) = self.filed[key.index()].take() {
            self.tree.remove(&old);
        }
        let envelope = plan
            .community(key)
            .and_then(|community| boundary_envelope(&community.boundary));
        if let Some(envelope) = envelope {
            let entry = GeomWithData::new(Rectangle::from_aabb(envelope), key);
            self.tree.insert(entry);
            self.filed[key.index()] = Some(entry);
        }
    }

    /// Communities whose envelope meets `envelope`.
    pub fn meeting(&self, envelope: AABB<[f64; 2]>) -> impl Iterator<Item = CommunityKey> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|entry| entry.data)
    }

    /// The envelope `key` is filed under, as lower-left and upper-right corners.
    pub fn envelope(&self, key: CommunityKey) -> Option<[Coord<f64>; 2]> {
        let entry = self.filed.get(key.index())?.as_ref()?;
        let envelope = entry.geom().envelope();
        let (lower, upper) = (envelope.lower(), envelope.upper());
        Some([
            Coord {
                x: lower[0],
                y: lower[1],
            },
            Coord {
                x: upper[0],
                y: upper[1],
            },
        ])
    }

    /// How many communities are filed.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when none is.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }
}

/// A street centreline segment with the street's index.
pub type StreetSegment = GeomWithData<rstar::primitives::Line<[f64; 2]>, u32>;

/// Street centrelines by segment, for "is this boundary on a street" and snapping.
#[derive(Debug, Clone, Default)]
pub struct StreetIndex {
    tree: RTree<StreetSegment>,
    /// The streets as a graph for walking distances, built when first asked for (only plans
    /// with committee offices placed need it).
    walking: std::sync::OnceLock<crate::network::WalkingNetwork>,
}

impl StreetIndex {
    /// Bulk-loads every segment of every street.
    pub fn build(streets: &[crate::layers::Street]) -> Self {
        let segments = streets
            .iter()
            .enumerate()
            .flat_map(|(index, street)| {
                street.lines.iter().flat_map(move |line| {
                    line.lines().map(move |segment| {
                        GeomWithData::new(
                            rstar::primitives::Line::new(
                                [segment.start.x, segment.start.y],
                                [segment.end.x, segment.end.y],
                            ),
                            index as u32,
                        )
                    })
                })
            })
            .collect();
        Self {
            tree: RTree::bulk_load(segments),
            walking: std::sync::OnceLock::new(),
        }
    }

    /// The walking network of `streets` (the streets this index was built from), built on first
    /// use and kept.
    pub fn walking_network(
        &self,
        streets: &[crate::layers::Street],
    ) -> &crate::network::WalkingNetwork {
        self.walking
            .get_or_init(|| crate::network::WalkingNetwork::build(streets))
    }

    /// True when some street centreline passes within `distance` metres of `point`.
    pub fn is_near(&self, point: Coord<f64>, distance: f64) -> bool {
        self.tree
            .locate_within_distance([point.x, point.y], distance * distance)
            .next()
            .is_some()
    }

    /// True when there are no streets.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// The street segments whose envelope meets `envelope`, as (start, end, street index).
    pub fn segments_of_streets_meeting(
        &self,
        envelope: AABB<[f64; 2]>,
    ) -> impl Iterator<Item = (Coord<f64>, Coord<f64>, u32)> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|segment| {
                let line = segment.geom();
                (
                    Coord {
                        x: line.from[0],
                        y: line.from[1],
                    },
                    Coord {
                        x: line.to[0],
                        y: line.to[1],
                    },
                    segment.data,
                )
            })
    }

    /// The street segments whose envelope meets `envelope`, as (start, end).
    pub fn segments_meeting(&self, envelope: AABB<[f64; 2]>) -> Vec<(Coord<f64>, Coord<f64>)> {
        self.segments_of_streets_meeting(envelope)
            .map(|(start, end, _)| (start, end))
            .collect()
    }
}

impl StreetIndex {
    /// The closest point on any street centreline within `distance` of `point`.
    pub fn nearest_point(&self, point: Coord<f64>, distance: f64) -> Option<Coord<f64>> {
        self.tree
            .locate_within_distance([point.x, point.y], distance * distance)
            .map(|segment| segment.geom().nearest_point(&[point.x, point.y]))
            .map(|[x, y]| Coord { x, y })
            .min_by(|a, b| {
                (a.x - point.x)
                    .hypot(a.y - point.y)
                    .total_cmp(&(b.x - point.x).hypot(b.y - point.y))
            })
    }
}
