//! The order management grids are numbered in (CJ/T 213-2005 codes: the community's code and a
//! three-digit number), kept here below the editing commands so that splitting and merging
//! communities can number the grids they share out.

use std::collections::BTreeMap;

use geo::{Area, BoundingRect, Centroid, MultiPolygon};

use crate::plan::Grid;
use crate::profile::GridCodes;

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

/// Grids coded after an edit. `after` holds each grid's boundary with the code of the grid it
/// comes from (`None` for new ground); `before` the community's grids before the edit.
///
/// With [`GridCodes::ReadingOrder`] all are numbered in reading order. With
/// [`GridCodes::Kept`] each grid keeps the code it comes from — where several pieces come from
/// one grid, the largest — provided the code is this community's (its id and a number); the
/// others are numbered in reading order after the highest number among `before` (a code that
/// goes below the highest is not given again; the plan keeps no record of codes gone before
/// this edit). The grids come out in code order.
pub fn coded_after_edit(
    community: &str,
    before: &[Grid],
    after: Vec<(Option<String>, MultiPolygon<f64>)>,
    codes: GridCodes,
) -> Vec<Grid> {
    if codes == GridCodes::ReadingOrder {
        let boundaries = after.into_iter().map(|(_, boundary)| boundary).collect();
        return numbered_in_reading_order(community, boundaries).0;
    }
    let number_of = |code: &str| -> Option<u32> {
        let digits = code.strip_prefix(community)?;
        (!digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
    };
    // Which piece keeps each code: the largest of those that come from it.
    let mut keepers: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
    for (index, (from, boundary)) in after.iter().enumerate() {
        let Some(code) = from.as_deref().filter(|code| number_of(code).is_some()) else {
            continue;
        };
        let area = boundary.unsigned_area();
        let keeper = keepers.entry(code).or_insert((index, area));
        if area > keeper.1 {
            *keeper = (index, area);
        }
    }
    let kept: BTreeMap<usize, String> = keepers
        .into_iter()
        .map(|(code, (index, _))| (index, code.to_owned()))
        .collect();
    let highest = before
        .iter()
        .filter_map(|grid| number_of(&grid.code))
        .chain(kept.values().filter_map(|code| number_of(code)))
        .max()
        .unwrap_or(0);
    let mut grids = Vec::with_capacity(after.len());
    let mut newcomers = Vec::new();
    for (index, (_, boundary)) in after.into_iter().enumerate() {
        match kept.get(&index) {
            Some(code) => grids.push(Grid {
                code: code.clone(),
                boundary,
            }),
            None => newcomers.push(boundary),
        }
    }
    let order = codes_in_reading_order(&newcomers);
    let mut slots: Vec<Option<MultiPolygon<f64>>> = newcomers.into_iter().map(Some).collect();
    for (number, index) in (highest + 1..).zip(order) {
        if let Some(boundary) = slots[index].take() {
            grids.push(Grid {
                code: format!("{community}{number:03}"),
                boundary,
            });
        }
    }
    grids.sort_by(|first, second| {
        (first.code.len(), &first.code).cmp(&(second.code.len(), &second.code))
    });
    grids
}

#[cfg(test)]
mod tests {
    use geo::{Coord, Rect};

    use super::*;

    fn square(west: f64, north: f64) -> MultiPolygon<f64> {
        let corner = Coord { x: west, y: north };
        let size = Coord {
            x: 100.0,
            y: -100.0,
        };
        MultiPolygon::new(vec![Rect::new(corner, corner + size).to_polygon()])
    }

    fn codes(grids: &[Grid]) -> Vec<&str> {
        grids.iter().map(|grid| grid.code.as_str()).collect()
    }

    /// Three grids in a row, west to east, coded C001–C003.
    fn row_of_three() -> Vec<Grid> {
        numbered_in_reading_order(
            "C",
            (0..3).map(|at| square(100.0 * at as f64, 0.0)).collect(),
        )
        .0
    }

    #[test]
    fn in_reading_order_every_grid_is_renumbered() {
        let before = row_of_three();
        // The middle grid goes; a new one appears west of them all.
        let after = vec![
            (Some("C001".to_owned()), before[0].boundary.clone()),
            (Some("C003".to_owned()), before[2].boundary.clone()),
            (None, square(-100.0, 0.0)),
        ];
        let grids = coded_after_edit("C", &before, after, GridCodes::ReadingOrder);
        assert_eq!(codes(&grids), ["C001", "C002", "C003"]);
        assert_eq!(grids[0].boundary, square(-100.0, 0.0));
    }

    #[test]
    fn kept_codes_stay_and_new_grids_follow_the_highest_number_ever_given() {
        let before = row_of_three();
        // C003 goes; C001 is cut in two (its larger western piece keeps the code); a new grid
        // appears: the new ones take 004 and 005, not 003.
        let west_piece = MultiPolygon::new(vec![
            Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 70.0, y: -100.0 }).to_polygon(),
        ]);
        let east_piece = MultiPolygon::new(vec![
            Rect::new(
                Coord { x: 70.0, y: 0.0 },
                Coord {
                    x: 100.0,
                    y: -100.0,
                },
            )
            .to_polygon(),
        ]);
        let after = vec![
            (Some("C001".to_owned()), east_piece.clone()),
            (Some("C001".to_owned()), west_piece.clone()),
            (Some("C002".to_owned()), before[1].boundary.clone()),
            (Some("OTHER007".to_owned()), square(0.0, 200.0)),
        ];
        let grids = coded_after_edit("C", &before, after, GridCodes::Kept);
        assert_eq!(codes(&grids), ["C001", "C002", "C004", "C005"]);
        assert_eq!(grids[0].boundary, west_piece);
        // Reading order among the new: the one to the north first.
        assert_eq!(grids[2].boundary, square(0.0, 200.0));
        assert_eq!(grids[3].boundary, east_piece);
    }
}
