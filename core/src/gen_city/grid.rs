//! The street grid: blocks between street centrelines, communities of whole blocks, and the
//! outline of a set of blocks with every grid point kept, so that neighbours share vertices.

use std::collections::{HashMap, HashSet};

use geo::Coord;

/// Distance between street centrelines east–west and north–south, in metres.
pub const BLOCK_PITCH: (f64, f64) = (120.0, 100.0);

/// The layout: communities of `block_columns × block_rows` blocks, in `community_columns` columns.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Communities per row of the city.
    pub community_columns: usize,
    /// Blocks per community, east–west.
    pub block_columns: usize,
    /// Blocks per community, north–south.
    pub block_rows: usize,
    /// Communities in all.
    pub communities: usize,
}

impl Layout {
    /// A layout of about twelve buildings a block.
    pub fn new(buildings: usize, communities: usize) -> Self {
        let blocks = buildings.div_ceil(12).max(1);
        let blocks_per_community = (blocks as f64 / communities as f64).round().max(1.0) as usize;
        let block_columns = (blocks_per_community as f64).sqrt().round().max(1.0) as usize;
        let block_rows = blocks_per_community.div_ceil(block_columns).max(1);
        let community_columns = (communities as f64).sqrt().ceil().max(1.0) as usize;
        Self {
            community_columns,
            block_columns,
            block_rows,
            communities,
        }
    }

    /// Grid column and row of community `index`'s lower-left block.
    pub fn origin(&self, index: usize) -> (usize, usize) {
        (
            (index % self.community_columns) * self.block_columns,
            (index / self.community_columns) * self.block_rows,
        )
    }

    /// The blocks of community `index`, row by row.
    pub fn cells(&self, index: usize) -> Vec<(usize, usize)> {
        let (column, row) = self.origin(index);
        (row..row + self.block_rows)
            .flat_map(|y| (column..column + self.block_columns).map(move |x| (x, y)))
            .collect()
    }

    /// Blocks east–west across the whole city.
    pub fn grid_columns(&self) -> usize {
        self.community_columns * self.block_columns
    }

    /// Blocks north–south across the whole city.
    pub fn grid_rows(&self) -> usize {
        self.communities.div_ceil(self.community_columns) * self.block_rows
    }

    /// The community to the east of `index`, if there is one in the same row.
    pub fn east_of(&self, index: usize) -> Option<usize> {
        (index % self.community_columns + 1 < self.community_columns
            && index + 1 < self.communities)
            .then_some(index + 1)
    }
}

/// The outline of a simply connected set of grid cells as a counter-clockwise ring of grid points,
/// starting at its lowest-leftmost point, with every grid point along its edges kept.
pub fn outline_of_cells(cells: &[(usize, usize)]) -> Vec<(i64, i64)> {
    let mut edges: HashSet<((i64, i64), (i64, i64))> = HashSet::new();
    for &(x, y) in cells {
        let (x, y) = (x as i64, y as i64);
        for edge in [
            ((x, y), (x + 1, y)),
            ((x + 1, y), (x + 1, y + 1)),
            ((x + 1, y + 1), (x, y + 1)),
            ((x, y + 1), (x, y)),
        ] {
            if !edges.remove(&(edge.1, edge.0)) {
                edges.insert(edge);
            }
        }
    }
    let next: HashMap<(i64, i64), (i64, i64)> = edges.iter().copied().collect();
    let Some(start) = next.keys().min().copied() else {
        return Vec::new();
    };
    let mut ring = vec![start];
    let mut current = next[&start];
    while current != start && ring.len() <= next.len() {
        ring.push(current);
        current = next[&current];
    }
    ring
}

/// A grid point in metres (before the city is centred).
pub fn grid_to_metres(point: (i64, i64)) -> Coord<f64> {
    Coord {
        x: point.0 as f64 * BLOCK_PITCH.0,
        y: point.1 as f64 * BLOCK_PITCH.1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_of_an_l_of_three_cells_keeps_every_grid_point() {
        let ring = outline_of_cells(&[(0, 0), (1, 0), (0, 1)]);
        assert_eq!(ring.len(), 8);
        assert_eq!(ring[0], (0, 0));
    }
}
