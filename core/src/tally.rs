//! Households, residents, buildings and floor area per community, counted exactly building by
//! building: an envelope query on the building R-tree (filtered by representative point), then an
//! exact point-in-polygon test.
//!
//! A building belongs to every community whose boundary strictly contains its representative
//! point. Where communities overlap, a building is counted in each (the overlap is a violation of
//! its own); a building on no community's inside is unassigned. Each building keeps a count of the
//! communities covering it, so recounting some communities updates the unassigned totals exactly.

use geo::algorithm::indexed::IntervalTreeMultiPolygon;
use geo::{Area, BooleanOps, Contains, Intersects, MultiPolygon};
use rayon::prelude::*;

use crate::ids::CommunityKey;
use crate::index::{BuildingIndex, aabb, boundary_envelope};
use crate::layers::{Building, FigureSource};
use crate::plan::{Community, Plan};

/// What one community holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommunityTally {
    /// Households of its residential buildings.
    pub households: u64,
    /// Residents of its buildings.
    pub residents: u64,
    /// All its buildings, residential or not.
    pub buildings: u32,
    /// Its residential buildings.
    pub residential_buildings: u32,
    /// Floor area of its residential buildings, m².
    pub residential_floor_area_m2: f64,
    /// Households that were estimated, not read.
    pub estimated_households: u64,
    /// Its buildings, ascending.
    pub members: Vec<u32>,
    /// Buildings its boundary cuts, ascending.
    pub cut_buildings: Vec<u32>,
}

impl CommunityTally {
    /// Share of households that were estimated (0 when there are none).
    pub fn estimated_share(&self) -> f64 {
        if self.households == 0 {
            0.0
        } else {
            self.estimated_households as f64 / self.households as f64
        }
    }
}

/// Residential buildings in no community.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unassigned {
    /// Residential buildings in no community.
    pub residential_buildings: u64,
    /// Their households.
    pub households: u64,
}

/// Tallies of every community, plus what no community holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tallies {
    per_community: Vec<CommunityTally>,
    cover_count: Vec<u16>,
    unassigned: Unassigned,
    /// The residential buildings in no community, kept as they change so that listing them does
    /// not scan every building.
    unassigned_set: std::collections::BTreeSet<u32>,
}

/// The buildings whose representative point lies strictly inside `boundary`, ascending.
pub fn members_of(
    boundary: &MultiPolygon<f64>,
    buildings: &[Building],
    index: &BuildingIndex,
) -> Vec<u32> {
    let Some(envelope) = boundary_envelope(boundary) else {
        return Vec::new();
    };
    let mut candidates: Vec<u32> = index.points_in(envelope).collect();
    if candidates.is_empty() {
        return candidates;
    }
    // An interval tree answers point-in-polygon in O(log n) per point; building it pays off from
    // a handful of candidates on.
    let prepared = IntervalTreeMultiPolygon::new(boundary);
    candidates
        .retain(|&building| prepared.contains(&buildings[building as usize].representative_point));
    candidates.sort_unstable();
    candidates
}

/// The buildings cut by `community`'s boundary: more than `tolerance_m2` of the footprint on each
/// side. Candidates come from the envelope tree, segment by segment along the boundary.
pub fn cut_by(
    community: &Community,
    buildings: &[Building],
    index: &BuildingIndex,
    tolerance_m2: f64,
) -> Vec<u32> {
    // A building is a candidate only when one of the boundary's segments actually meets its
    // footprint; testing that segment alone is far cheaper than the whole ring.
    let mut crossing = Vec::new();
    for polygon in &community.boundary {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for segment in ring.lines() {
                let envelope = aabb(
                    geo::Coord {
                        x: segment.start.x.min(segment.end.x),
                        y: segment.start.y.min(segment.end.y),
                    },
                    geo::Coord {
                        x: segment.start.x.max(segment.end.x),
                        y: segment.start.y.max(segment.end.y),
                    },
                );
                crossing.extend(index.footprints_meeting(envelope).filter(|&candidate| {
                    segment.intersects(&buildings[candidate as usize].footprint)
                }));
            }
        }
    }
    crossing.sort_unstable();
    crossing.dedup();
    crossing.retain(|&candidate| {
        let building = &buildings[candidate as usize];
        let inside = building
            .footprint
            .intersection(&community.boundary)
            .unsigned_area();
        let outside = building.footprint_area_m2 - inside;
        inside > tolerance_m2 && outside > tolerance_m2
    });
    crossing
}

fn count(members: Vec<u32>, cut_buildings: Vec<u32>, buildings: &[Building]) -> CommunityTally {
    let mut tally = CommunityTally {
        buildings: members.len() as u32,
        cut_buildings,
        ..CommunityTally::default()
    };
    for &member in &members {
        let building = &buildings[member as usize];
        tally.residents += u64::from(building.residents);
        if building.residential {
            tally.households += u64::from(building.households);
            tally.residential_buildings += 1;
            tally.residential_floor_area_m2 += building.floor_area_m2();
            if building.households_source == FigureSource::Estimate {
                tally.estimated_households += u64::from(building.households);
            }
        }
    }
    tally.members = members;
    tally
}

/// What a community of `boundary` would count (its cut buildings left out): the preview of an
/// edit before it is made.
pub fn tally_of_boundary(
    boundary: &MultiPolygon<f64>,
    buildings: &[Building],
    index: &BuildingIndex,
) -> CommunityTally {
    count(
        members_of(boundary, buildings, index),
        Vec::new(),
        buildings,
    )
}

fn tally_community(
    community: &Community,
    buildings: &[Building],
    index: &BuildingIndex,
    cut_tolerance_m2: f64,
) -> CommunityTally {
    count(
        members_of(&community.boundary, buildings, index),
        cut_by(community, buildings, index, cut_tolerance_m2),
        buildings,
    )
}

impl Tallies {
    /// Counts every community from scratch (in parallel).
    pub fn full(
        plan: &Plan,
        buildings: &[Building],
        index: &BuildingIndex,
        cut_tolerance_m2: f64,
    ) -> Self {
        Self::full_reusing(plan, buildings, index, cut_tolerance_m2, |_| None)
    }

    /// Counts every community, taking the tally `known` gives for a community (one whose
    /// boundary another plan over the same buildings has counted already) and counting the rest
    /// (in parallel).
    pub fn full_reusing(
        plan: &Plan,
        buildings: &[Building],
        index: &BuildingIndex,
        cut_tolerance_m2: f64,
        known: impl Fn(&Community) -> Option<CommunityTally> + Sync,
    ) -> Self {
        let keys = plan.keys();
        let counted: Vec<(CommunityKey, CommunityTally)> = keys
            .par_iter()
            .filter_map(|&key| {
                let community = plan.community(key)?;
                let tally = known(community).unwrap_or_else(|| {
                    tally_community(community, buildings, index, cut_tolerance_m2)
                });
                Some((key, tally))
            })
            .collect();
        let mut tallies = Self {
            per_community: vec![CommunityTally::default(); plan.slot_count()],
            cover_count: vec![0; buildings.len()],
            unassigned: Unassigned::default(),
            unassigned_set: std::collections::BTreeSet::new(),
        };
        for (key, tally) in counted {
            for &member in &tally.members {
                let cover = &mut tallies.cover_count[member as usize];
                *cover = cover.saturating_add(1);
            }
            tallies.per_community[key.index()] = tally;
        }
        tallies.unassigned_set = tallies
            .cover_count
            .iter()
            .enumerate()
            .filter(|(index, cover)| **cover == 0 && buildings[*index].residential)
            .map(|(index, _)| index as u32)
            .collect();
        for &building in &tallies.unassigned_set {
            tallies.unassigned.residential_buildings += 1;
            tallies.unassigned.households += u64::from(buildings[building as usize].households);
        }
        tallies
    }

    /// Recounts only `keys` (communities changed, added or removed), keeping the rest.
    pub fn recount(
        &mut self,
        keys: &[CommunityKey],
        plan: &Plan,
        buildings: &[Building],
        index: &BuildingIndex,
        cut_tolerance_m2: f64,
    ) {
        if self.per_community.len() < plan.slot_count() {
            self.per_community
                .resize(plan.slot_count(), CommunityTally::default());
        }
        // Counting is independent per community: done side by side, then the covers updated.
        let counted: Vec<(CommunityKey, CommunityTally)> = keys
            .par_iter()
            .map(|&key| {
                let tally = match plan.community(key) {
                    Some(community) => {
                        tally_community(community, buildings, index, cut_tolerance_m2)
                    }
                    None => CommunityTally::default(),
                };
                (key, tally)
            })
            .collect();
        for (key, tally) in counted {
            let old = std::mem::take(&mut self.per_community[key.index()]);
            // Both member lists are ascending: walk them together and touch only the buildings
            // that left or joined (an edit moves a few; the rest stay covered as they were).
            let (mut left, mut joined) = (
                old.members.iter().peekable(),
                tally.members.iter().peekable(),
            );
            loop {
                match (left.peek(), joined.peek()) {
                    (Some(&&was), Some(&&now)) if was == now => {
                        left.next();
                        joined.next();
                    }
                    (Some(&&was), Some(&&now)) if was < now => {
                        self.uncover(was, buildings);
                        left.next();
                    }
                    (Some(_), Some(&&now)) => {
                        self.cover(now, buildings);
                        joined.next();
                    }
                    (Some(&&was), None) => {
                        self.uncover(was, buildings);
                        left.next();
                    }
                    (None, Some(&&now)) => {
                        self.cover(now, buildings);
                        joined.next();
                    }
                    (None, None) => break,
                }
            }
            self.per_community[key.index()] = tally;
        }
    }

    fn cover(&mut self, building: u32, buildings: &[Building]) {
        let cover = &mut self.cover_count[building as usize];
        if *cover == 0 && buildings[building as usize].residential {
            self.unassigned.residential_buildings -= 1;
            self.unassigned.households -= u64::from(buildings[building as usize].households);
            self.unassigned_set.remove(&building);
        }
        *cover = cover.saturating_add(1);
    }

    fn uncover(&mut self, building: u32, buildings: &[Building]) {
        let cover = &mut self.cover_count[building as usize];
        *cover = cover.saturating_sub(1);
        if *cover == 0 && buildings[building as usize].residential {
            self.unassigned.residential_buildings += 1;
            self.unassigned.households += u64::from(buildings[building as usize].households);
            self.unassigned_set.insert(building);
        }
    }

    /// The tally of one community (empty for a key with no community).
    pub fn of(&self, key: CommunityKey) -> &CommunityTally {
        static EMPTY: CommunityTally = CommunityTally {
            households: 0,
            residents: 0,
            buildings: 0,
            residential_buildings: 0,
            residential_floor_area_m2: 0.0,
            estimated_households: 0,
            members: Vec::new(),
            cut_buildings: Vec::new(),
        };
        self.per_community.get(key.index()).unwrap_or(&EMPTY)
    }

    /// Residential buildings in no community.
    pub fn unassigned(&self) -> Unassigned {
        self.unassigned
    }

    /// How many communities contain building `building`'s point.
    pub fn cover_count(&self, building: u32) -> u16 {
        self.cover_count
            .get(building as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Residential buildings in no community, ascending.
    pub fn unassigned_buildings(&self) -> impl Iterator<Item = u32> + '_ {
        self.unassigned_set.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Centroid, InteriorPoint, LineString, MultiPolygon, Polygon};

    use crate::plan::CommunityType;

    fn rectangle(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
            vec![],
        )])
    }

    fn building(footprint: MultiPolygon<f64>, households: u32) -> Building {
        let point = footprint.interior_point().expect("has an inside").0;
        Building {
            source_id: "b".into(),
            representative_point: point,
            footprint_area_m2: footprint.unsigned_area(),
            floors: 1.0,
            residential: true,
            households,
            households_source: FigureSource::Data,
            residents: households * 2,
            residents_source: FigureSource::Data,
            building_use: None,
            labels: None,
            footprint,
        }
    }

    fn community(boundary: MultiPolygon<f64>) -> Community {
        Community::new("c", "c", CommunityType::Geographic, boundary)
    }

    #[test]
    fn an_l_shaped_building_belongs_where_its_inside_is_not_where_its_centroid_is() {
        // A thin L whose centroid lies in the notch, outside the footprint.
        let footprint = MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (20.0, 0.0),
                (20.0, 2.0),
                (2.0, 2.0),
                (2.0, 20.0),
                (0.0, 20.0),
                (0.0, 0.0),
            ]),
            vec![],
        )]);
        let centroid = footprint.centroid().expect("centroid").0;
        let buildings = vec![building(footprint, 10)];
        assert!(
            !geo::Contains::contains(&buildings[0].footprint, &centroid),
            "the centroid is outside the L"
        );
        let index = BuildingIndex::build(&buildings);
        // A community covering only the notch (where the centroid is) gets nothing.
        let notch = community(rectangle(3.0, 3.0, 19.0, 19.0));
        assert!(members_of(&notch.boundary, &buildings, &index).is_empty());
        let whole = community(rectangle(-1.0, -1.0, 21.0, 21.0));
        assert_eq!(members_of(&whole.boundary, &buildings, &index), vec![0]);
    }

    #[test]
    fn a_building_is_cut_only_when_more_than_the_tolerance_lies_on_each_side() {
        let buildings = vec![
            building(rectangle(0.0, 0.0, 10.0, 10.0), 5), // 50 m² each side of x = 5
            building(rectangle(20.0, 0.0, 30.0, 10.0), 5), // 0.5 m² beyond x = 29.95
        ];
        let index = BuildingIndex::build(&buildings);
        let half = community(rectangle(-10.0, -10.0, 5.0, 20.0));
        assert_eq!(cut_by(&half, &buildings, &index, 1.0), vec![0]);
        let nearly_all = community(rectangle(15.0, -10.0, 29.95, 20.0));
        assert!(cut_by(&nearly_all, &buildings, &index, 1.0).is_empty());
        assert_eq!(cut_by(&nearly_all, &buildings, &index, 0.1), vec![1]);
    }

    #[test]
    fn overlapping_communities_both_count_a_shared_building_and_it_is_not_unassigned() {
        let buildings = vec![
            building(rectangle(4.0, 4.0, 6.0, 6.0), 7),
            building(rectangle(40.0, 40.0, 42.0, 42.0), 3),
        ];
        let index = BuildingIndex::build(&buildings);
        let plan = Plan::new(vec![
            community(rectangle(0.0, 0.0, 10.0, 10.0)),
            community(rectangle(3.0, 3.0, 12.0, 12.0)),
        ]);
        let tallies = Tallies::full(&plan, &buildings, &index, 1.0);
        assert_eq!(tallies.of(CommunityKey(0)).households, 7);
        assert_eq!(tallies.of(CommunityKey(1)).households, 7);
        assert_eq!(tallies.cover_count(0), 2);
        assert_eq!(
            tallies.unassigned(),
            Unassigned {
                residential_buildings: 1,
                households: 3
            }
        );
    }
}
