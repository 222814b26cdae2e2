//! A community's management grids fitted to its reshaped boundary, so that giving blocks or
//! buildings to a community, or a fix that moves its boundary, leaves every grid inside its
//! community with no ground uncovered: ground the community loses leaves its grids, ground it
//! gains joins the grid it borders most.

use geo::{BoundingRect, MultiPolygon, Rect};

use crate::geometry::{extent_meets, overlay, perimeter};
use crate::ops::grid_order::coded_after_edit;
use crate::ops::validity::without_spikes;
use crate::plan::Grid;
use crate::profile::GridCodes;

/// Gained ground joins a grid only when they share at least this much border, m; a part that
/// borders no grid so becomes a grid of its own.
const TOUCHING_BORDER_M: f64 = 0.5;

/// The grids of a community whose boundary goes from `old` to `new`, with the community's code
/// `community`; `None` when it has no grids or the change moves no ground.
///
/// Each grid loses the ground the community loses; a grid cut in pieces so becomes a grid per
/// piece. Each piece of gained ground joins the grid it shares the longest border with, or
/// becomes a grid of its own where it borders none. The grids keep their codes when they are
/// the same grids as before; otherwise they are coded as `codes` says, as the other grid edits
/// are.
pub fn grids_fitted(
    grids: &[Grid],
    old: &MultiPolygon<f64>,
    new: &MultiPolygon<f64>,
    community: &str,
    codes: GridCodes,
) -> Option<Vec<Grid>> {
    if grids.is_empty() {
        return None;
    }
    let lost = without_spikes(overlay::difference(old, &[new]));
    let gained = without_spikes(overlay::difference(new, &[old]));
    if lost.0.is_empty() && gained.0.is_empty() {
        return None;
    }
    let lost_extent = lost.bounding_rect();
    let mut boundaries: Vec<MultiPolygon<f64>> = grids
        .iter()
        .map(|grid| {
            if lost_extent.is_some_and(|extent| extent_meets(&grid.boundary, extent)) {
                without_spikes(overlay::difference(&grid.boundary, &[&lost]))
            } else {
                grid.boundary.clone()
            }
        })
        .collect();
    let mut own_grids = Vec::new();
    for part in gained.0 {
        let part = MultiPolygon::new(vec![part]);
        match most_bordering(&boundaries, &part) {
            Some(index) => {
                boundaries[index] = without_spikes(overlay::union_noded(&boundaries[index], &part));
            }
            None => own_grids.push(part),
        }
    }
    // A grid the lost ground cut in pieces becomes a grid per piece; one left empty goes.
    let mut after: Vec<(Option<String>, MultiPolygon<f64>)> = Vec::with_capacity(grids.len());
    let mut same_grids = own_grids.is_empty();
    for (grid, boundary) in grids.iter().zip(boundaries) {
        let pieces_before = grid.boundary.0.len();
        same_grids &= !boundary.0.is_empty() && boundary.0.len() <= pieces_before;
        if boundary.0.len() > pieces_before {
            let pieces = boundary.0.into_iter();
            after.extend(
                pieces.map(|piece| (Some(grid.code.clone()), MultiPolygon::new(vec![piece]))),
            );
        } else if !boundary.0.is_empty() {
            after.push((Some(grid.code.clone()), boundary));
        }
    }
    if same_grids {
        // The same grids, reshaped: each keeps its code as it is, whatever its form.
        let kept = grids.iter().zip(after);
        return Some(
            kept.map(|(grid, (_, boundary))| Grid {
                code: grid.code.clone(),
                boundary,
            })
            .collect(),
        );
    }
    after.extend(own_grids.into_iter().map(|part| (None, part)));
    Some(coded_after_edit(community, grids, after, codes))
}

/// The boundary among `boundaries` that shares the longest border with `part`, if any shares
/// at least [`TOUCHING_BORDER_M`]. Shared border = (perimeter of each − perimeter of the
/// union) / 2, which holds for shapes that meet along edges without overlapping.
fn most_bordering(boundaries: &[MultiPolygon<f64>], part: &MultiPolygon<f64>) -> Option<usize> {
    let reach = part.bounding_rect().map(|extent| {
        let margin = geo::Coord {
            x: TOUCHING_BORDER_M,
            y: TOUCHING_BORDER_M,
        };
        Rect::new(extent.min() - margin, extent.max() + margin)
    });
    let part_perimeter = perimeter(part);
    boundaries
        .iter()
        .enumerate()
        .filter(|(_, boundary)| reach.is_some_and(|reach| extent_meets(boundary, reach)))
        .map(|(index, boundary)| {
            let joined = overlay::union(&[boundary, part]);
            let shared = (perimeter(boundary) + part_perimeter - perimeter(&joined)) / 2.0;
            (index, shared)
        })
        .filter(|(_, shared)| *shared >= TOUCHING_BORDER_M)
        .max_by(|(_, first), (_, second)| first.total_cmp(second))
        .map(|(index, _)| index)
}

#[cfg(test)]
mod tests {
    use geo::{Area, Contains, Coord};

    use super::*;

    fn rectangle(west: f64, south: f64, east: f64, north: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![
            Rect::new(Coord { x: west, y: south }, Coord { x: east, y: north }).to_polygon(),
        ])
    }

    fn grid(code: &str, boundary: MultiPolygon<f64>) -> Grid {
        Grid {
            code: code.to_owned(),
            boundary,
        }
    }

    /// A 300 × 100 m community in three grids side by side, west to east.
    fn three_grids() -> (MultiPolygon<f64>, Vec<Grid>) {
        let grids = vec![
            grid("C001", rectangle(0.0, 0.0, 100.0, 100.0)),
            grid("C002", rectangle(100.0, 0.0, 200.0, 100.0)),
            grid("C003", rectangle(200.0, 0.0, 300.0, 100.0)),
        ];
        (rectangle(0.0, 0.0, 300.0, 100.0), grids)
    }

    /// The three grids fitted to their community's new boundary `new`, renumbered in reading
    /// order where they change.
    fn fitted_to(new: &MultiPolygon<f64>) -> Vec<Grid> {
        let (old, grids) = three_grids();
        grids_fitted(&grids, &old, new, "C", GridCodes::ReadingOrder).expect("the grids change")
    }

    #[test]
    fn ground_gained_east_joins_the_eastern_grid_and_codes_stay() {
        let new = rectangle(0.0, 0.0, 350.0, 100.0);
        let fitted = fitted_to(&new);
        let codes: Vec<&str> = fitted.iter().map(|grid| grid.code.as_str()).collect();
        assert_eq!(codes, ["C001", "C002", "C003"]);
        assert!((fitted[2].boundary.unsigned_area() - 15_000.0).abs() < 1e-6);
        assert!((fitted[0].boundary.unsigned_area() - 10_000.0).abs() < 1e-6);
        let total: f64 = fitted
            .iter()
            .map(|grid| grid.boundary.unsigned_area())
            .sum();
        assert!((total - new.unsigned_area()).abs() < 1e-6);
    }

    #[test]
    fn ground_lost_leaves_the_grids_and_a_grid_left_with_nothing_goes() {
        let new = rectangle(0.0, 0.0, 150.0, 100.0);
        let fitted = fitted_to(&new);
        assert_eq!(fitted.len(), 2);
        assert_eq!(fitted[1].code, "C002");
        assert!((fitted[1].boundary.unsigned_area() - 5_000.0).abs() < 1e-6);
        for grid in &fitted {
            assert!(new.contains(&grid.boundary));
        }
    }

    #[test]
    fn a_grid_cut_in_two_becomes_two_grids_renumbered_in_reading_order() {
        // The middle of the western grid goes: a 20 m wide strip from south to north.
        let strip = rectangle(40.0, 0.0, 60.0, 100.0);
        let fitted = fitted_to(&overlay::difference(&three_grids().0, &[&strip]));
        let codes: Vec<&str> = fitted.iter().map(|grid| grid.code.as_str()).collect();
        assert_eq!(codes, ["C001", "C002", "C003", "C004"]);
        assert!((fitted[0].boundary.unsigned_area() - 4_000.0).abs() < 1e-6);
        assert!((fitted[1].boundary.unsigned_area() - 4_000.0).abs() < 1e-6);
    }

    #[test]
    fn ground_that_borders_no_grid_becomes_a_grid_of_its_own() {
        let island = rectangle(500.0, 0.0, 550.0, 50.0);
        let new = overlay::union(&[&three_grids().0, &island]);
        let fitted = fitted_to(&new);
        assert_eq!(fitted.len(), 4);
        assert!(
            fitted
                .iter()
                .any(|grid| (grid.boundary.unsigned_area() - 2_500.0).abs() < 1e-6)
        );
    }

    #[test]
    fn the_same_grids_reshaped_keep_codes_of_any_form() {
        let (old, mut grids) = three_grids();
        for (grid, code) in grids.iter_mut().zip(["west", "middle", "east"]) {
            grid.code = code.to_owned();
        }
        let new = rectangle(0.0, 0.0, 350.0, 100.0);
        let fitted =
            grids_fitted(&grids, &old, &new, "C", GridCodes::Kept).expect("the grids change");
        let codes: Vec<&str> = fitted.iter().map(|grid| grid.code.as_str()).collect();
        assert_eq!(codes, ["west", "middle", "east"]);
    }

    #[test]
    fn a_community_without_grids_or_a_boundary_unchanged_gives_none() {
        let (old, grids) = three_grids();
        assert!(
            grids_fitted(
                &[],
                &old,
                &rectangle(0.0, 0.0, 10.0, 10.0),
                "C",
                GridCodes::Kept
            )
            .is_none()
        );
        assert!(grids_fitted(&grids, &old, &old.clone(), "C", GridCodes::Kept).is_none());
    }
}
