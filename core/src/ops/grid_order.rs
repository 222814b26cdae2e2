//! The order management grids are numbered in (CJ/T 213-2005 codes: the community's code and a
//! three-digit number), kept here below the editing commands so that splitting and merging
//! communities can number the grids they share out.

use geo::{BoundingRect, Centroid, MultiPolygon};

use crate::plan::Grid;

/// The order grids are numbered in: rows from north to south, each row from west to east. The
/// grids are taken by their centroid, northernmost first; a grid starts a new row when its
/// centroid lies more than half the median grid height south of the centroid that began the
/// row. Within a row, grids go by their centroid from west to east.
pub fn codes_in_reading_order(boundaries: &[MultiPolygon<f64>]) -> Vec<usize> {
    let centres: Vec<(f64, f64)> = boundaries
        .iter()
        .map(|boundary| {
            boundary
                .centroid()
                .map_or((0.0, 0.0), |point| (point.x(), point.y()))
        })
        .collect();
    let mut heights: Vec<f64> = boundaries
        .iter()
        .filter_map(|boundary| boundary.bounding_rect())
        .map(|extent| extent.height())
        .collect();
    heights.sort_by(f64::total_cmp);
    let median_height = heights.get(heights.len() / 2).copied().unwrap_or(0.0);
    let mut northward: Vec<usize> = (0..boundaries.len()).collect();
    northward.sort_by(|&a, &b| centres[b].1.total_cmp(&centres[a].1));
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut row_top = f64::INFINITY;
    for index in northward {
        let y = centres[index].1;
        match rows.last_mut() {
            Some(row) if row_top - y <= median_height / 2.0 => row.push(index),
            _ => {
                rows.push(vec![index]);
                row_top = y;
            }
        }
    }
    rows.into_iter()
        .flat_map(|mut row| {
            row.sort_by(|&a, &b| centres[a].0.total_cmp(&centres[b].0));
            row
        })
        .collect()
}

/// Grids of these boundaries, numbered in reading order after `community`'s code, and for each
/// grid the index of its boundary among `boundaries`.
pub fn numbered_in_reading_order(
    community: &str,
    boundaries: Vec<MultiPolygon<f64>>,
) -> (Vec<Grid>, Vec<usize>) {
    let order = codes_in_reading_order(&boundaries);
    let mut slots: Vec<Option<MultiPolygon<f64>>> = boundaries.into_iter().map(Some).collect();
    let grids = order
        .iter()
        .enumerate()
        .filter_map(|(number, &index)| {
            Some(Grid {
                code: format!("{community}{:03}", number + 1),
                boundary: slots[index].take()?,
            })
        })
        .collect();
    (grids, order)
}
