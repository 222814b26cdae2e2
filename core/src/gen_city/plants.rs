//! Deliberate violations planted in a generated city, one or more of each rule, so demos show the
//! checks at work and tests can expect them by id. Planted only in cities large enough to hold
//! them all (40 communities or more, of at least 3 × 2 blocks each).

use std::collections::BTreeMap;

use super::grid::Layout;

/// Which communities (by index) and street offices carry which plant.
#[derive(Debug, Clone, Default)]
pub struct Plants {
    /// The streets along its west and south edges are missing (a river bank): its boundary
    /// does not follow streets.
    pub off_street: Option<usize>,
    /// 2,450 households: above the maximum.
    pub too_many: Option<usize>,
    /// 760 households: below the minimum.
    pub too_few: Option<usize>,
    /// A new estate of 3,300 households: a warning.
    pub large_new_estate: Option<usize>,
    /// Its north-east block is left out of its boundary: uncovered buildings.
    pub uncovered_corner: Option<usize>,
    /// A work unit of 820 households: below the work-unit minimum.
    pub small_work_unit: Option<usize>,
    /// Two vertices of its boundary swapped: a ring that runs back over itself.
    pub invalid_geometry: Option<usize>,
    /// Records too little office and service space, in the old town.
    pub short_of_space: Option<usize>,
    /// Records ample space (a community that passes the space rule).
    pub ample_space: Option<usize>,
    /// A park with no buildings, in two parts.
    pub empty_in_two_parts: Option<usize>,
    /// West and east neighbours in different street offices; their shared edge moved into the
    /// east one, a residential estate: cut estate buildings, and the west one crosses into the
    /// east one's street office.
    pub crossing_pair: Option<(usize, usize)>,
    /// The west one reaches into the east one: an overlap.
    pub overlap_pair: Option<(usize, usize)>,
    /// Street office with 15 communities: too many residents.
    pub crowded_office: Option<usize>,
    /// Street office with 5 communities: a merge candidate.
    pub small_office: Option<usize>,
}

/// Street offices' sizes in communities: about ten each; with plants the first has fifteen and the
/// last five.
pub fn office_sizes(communities: usize, plant: bool) -> Vec<usize> {
    let count = ((communities as f64 / 10.0).round() as usize).max(1);
    if plant && count >= 4 && communities >= 40 {
        let middle = count - 2;
        let rest = communities - 20;
        let mut sizes = vec![15];
        sizes.extend((0..middle).map(|index| rest / middle + usize::from(index < rest % middle)));
        sizes.push(5);
        return sizes;
    }
    (0..count)
        .map(|index| communities / count + usize::from(index < communities % count))
        .collect()
}

/// Chooses where to plant, given each community's street office.
pub fn choose(
    layout: &Layout,
    office_of_community: &[usize],
    office_count: usize,
    plant: bool,
) -> Plants {
    let fits = layout.communities >= 40
        && layout.community_columns >= 6
        && layout.block_rows >= 2
        && layout.block_columns >= 3
        && office_count >= 4;
    if !plant || !fits {
        return Plants::default();
    }
    let columns = layout.community_columns;
    let mut plants = Plants {
        off_street: Some(0),
        too_many: Some(1),
        too_few: Some(2),
        large_new_estate: Some(4),
        uncovered_corner: Some(5),
        small_work_unit: Some(7),
        invalid_geometry: Some(19),
        short_of_space: Some(24),
        ample_space: Some(30),
        empty_in_two_parts: Some(columns + 3),
        crowded_office: Some(0),
        small_office: Some(office_count - 1),
        ..Plants::default()
    };
    let used = |plants: &Plants, index: usize| {
        plants
            .communities()
            .values()
            .any(|indices| indices.contains(&index))
    };
    plants.crossing_pair = (columns..layout.communities).find_map(|west| {
        let east = layout.east_of(west)?;
        (office_of_community[west] != office_of_community[east]
            && !used(&plants, west)
            && !used(&plants, east))
        .then_some((west, east))
    });
    plants.overlap_pair = (2 * columns..layout.communities).find_map(|west| {
        let east = layout.east_of(west)?;
        (office_of_community[west] == office_of_community[east]
            && !used(&plants, west)
            && !used(&plants, east))
        .then_some((west, east))
    });
    plants
}

impl Plants {
    /// The communities each planted rule should flag, by rule (and case).
    pub fn communities(&self) -> BTreeMap<&'static str, Vec<usize>> {
        let mut planted: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
        let mut add = |rule: &'static str, indices: Vec<usize>| {
            planted.entry(rule).or_default().extend(indices);
        };
        let one = |index: Option<usize>| index.into_iter().collect::<Vec<_>>();
        add("community.follows_streets", one(self.off_street));
        add("community.households.above_maximum", one(self.too_many));
        add("community.households.below_minimum", one(self.too_few));
        add(
            "community.households.new_estate_above_warning",
            one(self.large_new_estate),
        );
        add(
            "community.households.work_unit_below_minimum",
            one(self.small_work_unit),
        );
        add("plan.uncovered", one(self.uncovered_corner));
        add("community.geometry", one(self.invalid_geometry));
        add("community.space", one(self.short_of_space));
        add("community.empty", one(self.empty_in_two_parts));
        add("community.contiguous", one(self.empty_in_two_parts));
        if let Some((west, east)) = self.crossing_pair {
            add("community.cuts_building", vec![west, east]);
            add("community.crosses_street_office", vec![west]);
        }
        if let Some((west, east)) = self.overlap_pair {
            add("plan.overlap", vec![west, east]);
        }
        planted.retain(|_, indices| !indices.is_empty());
        planted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_sizes_add_up_and_plant_a_crowded_and_a_small_office() {
        let sizes = office_sizes(90, true);
        assert_eq!(sizes.iter().sum::<usize>(), 90);
        assert_eq!((sizes[0], sizes[sizes.len() - 1]), (15, 5));
        let plain = office_sizes(90, false);
        assert_eq!(plain.iter().sum::<usize>(), 90);
        assert!(plain.iter().all(|&size| size == 10));
    }
}
