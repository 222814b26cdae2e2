//! Fixes for residential buildings in no community: given to a neighbour with room, or made a
//! community of their own when they alone reach the band's minimum.

use geo::{Area, BoundingRect, Coord, MultiPolygon, Polygon, Rect};

use crate::geometry::overlay;
use crate::index::aabb;
use crate::ops::validity::without_slivers;
use crate::plan::{Community, CommunityType};
use crate::rules::community_households::{BandVerdict, band_verdict};
use crate::session::Session;

use super::{Candidate, unmeasured};
use crate::edit::Command;
use crate::format::grouped;

/// How far (m) from an uncovered cluster a community may lie and still be offered its buildings.
const NEIGHBOUR_REACH_M: f64 = 60.0;

/// Residential buildings in no community, inside `outline` (their cluster): given to each
/// community within [`NEIGHBOUR_REACH_M`] that stays within its band with them, nearest first.
pub(super) fn give_to_neighbour(session: &Session, outline: &MultiPolygon<f64>) -> Vec<Candidate> {
    let mut candidates = to_neighbours(session, outline);
    candidates.extend(new_community(session, outline));
    candidates
}

/// The uncovered residential buildings inside `outline`, with their households.
fn cluster_in(session: &Session, outline: &MultiPolygon<f64>) -> (Vec<u32>, u64) {
    use geo::Contains;
    let buildings = &session.layers().buildings;
    let cluster: Vec<u32> = session
        .tallies()
        .unassigned_buildings()
        .filter(|&building| outline.contains(&buildings[building as usize].representative_point))
        .collect();
    let households = cluster
        .iter()
        .map(|&building| u64::from(buildings[building as usize].households))
        .sum();
    (cluster, households)
}

fn to_neighbours(session: &Session, outline: &MultiPolygon<f64>) -> Vec<Candidate> {
    use geo::{Distance, Euclidean};
    let (cluster, households) = cluster_in(session, outline);
    let Some(bounds) = outline.bounding_rect() else {
        return Vec::new();
    };
    if cluster.is_empty() {
        return Vec::new();
    }
    let near = grown(bounds, NEIGHBOUR_REACH_M);
    let band = &session.profile().community_households;
    // Blocks the window cuts off are not closed by streets: the buildings go alone there.
    let window = grown(bounds, BLOCK_REACH_M);
    let ground = cluster_ground(session, bounds, &cluster)
        .filter(|ground| super::closed_within(ground, window));
    session
        .community_index()
        .meeting(aabb(near.min(), near.max()))
        .filter_map(|key| {
            let community = session.plan().community(key)?;
            let properties = &community.properties;
            if properties.locked {
                return None;
            }
            let distance = Euclidean.distance(&community.boundary, outline);
            if distance > NEIGHBOUR_REACH_M {
                return None;
            }
            let together = session.tallies().of(key).households + households;
            if band_verdict(band, properties.kind, properties.new_estate, together)
                != BandVerdict::Within
            {
                return None;
            }
            let count = cluster.len();
            let (name, id) = (&properties.name, &community.id);
            let (households, together) = (grouped(households), grouped(together));
            let fix = match with_blocks(session, &community.boundary, ground.as_ref(), &cluster) {
                Some(boundary) => unmeasured(
                    format!(
                        "把 {count} 栋住宅楼 ({households} 户) 所在街区划入相邻的 {name} ({id})，划入后 {together} 户"
                    ),
                    format!(
                        "give the street blocks of the {count} residential buildings ({households} households) to the neighbouring {name} ({id}): {together} households then"
                    ),
                    Command::Reshape { key, boundary },
                ),
                None => unmeasured(
                    format!(
                        "把 {count} 栋住宅楼 ({households} 户) 划入相邻的 {name} ({id})，划入后 {together} 户"
                    ),
                    format!(
                        "give the {count} residential buildings ({households} households) to the neighbouring {name} ({id}): {together} households then"
                    ),
                    Command::AssignBuildings {
                        buildings: cluster.clone(),
                        to: key,
                    },
                ),
            };
            Some((distance, fix))
        })
        .collect()
}

/// `boundary` with the cluster's street-block `ground` (closed by streets) joined to it, when
/// the two make one piece (the ground touches the community) holding every building of the
/// `cluster`; else `None`, and the buildings are given on their own.
fn with_blocks(
    session: &Session,
    boundary: &MultiPolygon<f64>,
    ground: Option<&MultiPolygon<f64>>,
    cluster: &[u32],
) -> Option<MultiPolygon<f64>> {
    use geo::Contains;
    let joined = without_slivers(overlay::union_noded(boundary, ground?));
    let buildings = &session.layers().buildings;
    let holds_all = cluster
        .iter()
        .all(|&building| joined.contains(&buildings[building as usize].representative_point));
    (joined.0.len() <= boundary.0.len() && holds_all).then_some(joined)
}

/// How far (m) around a cluster the streets are looked for, to bound its new community.
const BLOCK_REACH_M: f64 = 150.0;
/// Margin (m) around a cluster's buildings where no street bounds them.
const BARE_MARGIN_M: f64 = 10.0;

/// A cluster whose households alone reach the minimum of a geographic community: a new one of
/// the street blocks its buildings stand in (the ground within [`BLOCK_REACH_M`] cut along the
/// streets), less the ground of existing communities. Offered after every hand-over.
fn new_community(session: &Session, outline: &MultiPolygon<f64>) -> Vec<Candidate> {
    let (cluster, households) = cluster_in(session, outline);
    let band = &session.profile().community_households;
    let Some(bounds) = outline.bounding_rect() else {
        return Vec::new();
    };
    if cluster.is_empty()
        || band_verdict(band, CommunityType::Geographic, false, households) != BandVerdict::Within
    {
        return Vec::new();
    }
    let Some(boundary) = cluster_ground(session, bounds, &cluster) else {
        return Vec::new();
    };
    let id = crate::partition::fresh_id(session, &std::collections::BTreeSet::new());
    let name = format!("新建社区 {id}");
    let count = cluster.len();
    let households = crate::format::grouped(households);
    vec![(
        f64::MAX,
        unmeasured(
            format!("用这 {count} 栋住宅楼 ({households} 户) 所在街区新建社区 {name} ({id})"),
            format!(
                "make a new community {name} ({id}) of the street blocks of these {count} residential buildings ({households} households)"
            ),
            Command::Create {
                community: Box::new(Community::new(
                    id,
                    name,
                    CommunityType::Geographic,
                    boundary,
                )),
                avoid_overlap: false,
            },
        ),
    )]
}

/// The ground of the street blocks the `cluster`'s buildings stand in (the ground within
/// [`BLOCK_REACH_M`] of `bounds` cut along the streets; where no street divides it, the
/// buildings' extent grown by [`BARE_MARGIN_M`]), less the ground of existing communities.
fn cluster_ground(
    session: &Session,
    bounds: Rect<f64>,
    cluster: &[u32],
) -> Option<MultiPolygon<f64>> {
    use geo::Contains;
    let buildings = &session.layers().buildings;
    let blocks = super::street_blocks(session, grown(bounds, BLOCK_REACH_M).to_polygon());
    let chosen: Vec<Polygon<f64>> = if blocks.len() < 2 {
        vec![grown(bounds, BARE_MARGIN_M).to_polygon()]
    } else {
        blocks
            .into_iter()
            .filter(|block| {
                cluster.iter().any(|&building| {
                    block.contains(&buildings[building as usize].representative_point)
                })
            })
            .collect()
    };
    let area = overlay::union(&[&MultiPolygon::new(chosen)]);
    let neighbours: Vec<&MultiPolygon<f64>> = area
        .bounding_rect()
        .map(|extent| {
            session
                .community_index()
                .meeting(aabb(extent.min(), extent.max()))
                .filter_map(|key| session.plan().community(key))
                .map(|community| &community.boundary)
                .collect()
        })
        .unwrap_or_default();
    let boundary = without_slivers(overlay::difference(&area, &neighbours));
    (boundary.unsigned_area() > 0.0).then_some(boundary)
}

/// `bounds` grown by `margin` metres on every side.
fn grown(bounds: Rect<f64>, margin: f64) -> Rect<f64> {
    let reach = Coord {
        x: margin,
        y: margin,
    };
    Rect::new(bounds.min() - reach, bounds.max() + reach)
}
