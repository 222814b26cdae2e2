//! Pure geometry in metres for editing: vertices moved, inserted and deleted with shared borders
//! kept shared, merge, split by a line, clipping a new community against its neighbours, street
//! blocks and snapping. Nothing here changes a plan; the edit commands do, with what these return.

pub mod blocks;
pub mod grid_fit;
pub mod grid_order;
pub mod snap;
pub mod validity;
pub mod vertex;

use geo::{Area, BoundingRect, LineString, MultiPolygon, Polygon};

use crate::geometry::problem::BoundaryProblem;
use crate::geometry::{extent_meets, overlay};
use crate::lang::Language;
use crate::plan::Grid;
use crate::profile::GridCodes;

/// Why a geometric operation was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OpError {
    /// No community has a vertex at the point.
    #[error("no community boundary has a vertex there")]
    NoVertexThere,
    /// No community has that edge.
    #[error("no community boundary has that edge")]
    NoEdgeThere,
    /// A ring would keep fewer than three corners.
    #[error("a boundary would keep fewer than three corners; delete the community instead")]
    TooFewVertices,
    /// The result would be empty.
    #[error("the result would have no area")]
    Empty,
    /// The result would not be a valid polygon.
    #[error("the result would not be a valid polygon ({detail})")]
    Invalid {
        /// What is wrong.
        problem: BoundaryProblem,
        /// geo's own words for it, with the part and ring.
        detail: String,
    },
    /// The result would have a sliver part.
    #[error("the result would have a sliver of {0:.2} m²")]
    Sliver(f64),
    /// Communities to merge do not touch.
    #[error(
        "the communities do not touch, so merging them would make a community in several parts"
    )]
    NotTouching,
    /// A split line does not cross the community.
    #[error("the line does not cross the community from one side to the other")]
    DoesNotCross,
    /// Fewer than two communities to merge.
    #[error("merging needs two or more communities")]
    NothingToMerge,
}

impl OpError {
    /// The refusal in `language` (the English is the error's own text).
    pub fn describe(&self, language: Language) -> String {
        if language == Language::English {
            return self.to_string();
        }
        match self {
            OpError::NoVertexThere => "那里没有社区边界的顶点".to_owned(),
            OpError::NoEdgeThere => "没有这样的社区边界边".to_owned(),
            OpError::TooFewVertices => "边界将少于三个角点; 请改为删除该社区".to_owned(),
            OpError::Empty => "结果没有面积".to_owned(),
            OpError::Invalid { problem, .. } => {
                format!("结果不是有效多边形 ({})", problem.describe(language))
            }
            OpError::Sliver(area) => format!("结果会留下 {area:.2} 平方米的碎片"),
            OpError::NotTouching => "这些社区互不相接, 合并后会成为多块的社区".to_owned(),
            OpError::DoesNotCross => "拆分线没有从一侧穿过社区到另一侧".to_owned(),
            OpError::NothingToMerge => "合并需要两个或更多社区".to_owned(),
        }
    }
}

/// The union of the boundaries; refused when they do not form one piece, unless allowed.
pub fn merge(
    boundaries: &[&MultiPolygon<f64>],
    allow_several_parts: bool,
) -> Result<MultiPolygon<f64>, OpError> {
    if boundaries.len() < 2 {
        return Err(OpError::NothingToMerge);
    }
    // Without the micro-holes left where sides digitised apart meet (see `reshaped`).
    let merged = validity::without_slivers(overlay::union(boundaries));
    if merged.0.len() > 1 && !allow_several_parts {
        return Err(OpError::NotTouching);
    }
    validity::check_boundary(&merged)?;
    Ok(merged)
}

/// The pieces of `boundary` cut along `line`, largest first; refused when the line does not cut it.
pub fn split(
    boundary: &MultiPolygon<f64>,
    line: &LineString<f64>,
) -> Result<Vec<Polygon<f64>>, OpError> {
    let mut pieces = overlay::slice(boundary, std::slice::from_ref(line));
    if pieces.len() < 2 {
        return Err(OpError::DoesNotCross);
    }
    pieces.sort_by(|a, b| b.unsigned_area().total_cmp(&a.unsigned_area()));
    for piece in &pieces {
        validity::check_boundary(&MultiPolygon::new(vec![piece.clone()]))?;
    }
    Ok(pieces)
}

/// A split community's management grids shared out among its pieces: each piece gets every
/// grid's part inside it (slivers dropped), coded after the piece's id (`ids`, one per piece) as
/// `codes` says (a piece under a new id numbers its grids afresh in reading order).
pub fn grids_in_pieces(
    grids: &[Grid],
    pieces: &[Polygon<f64>],
    ids: &[String],
    codes: GridCodes,
) -> Vec<Vec<Grid>> {
    pieces
        .iter()
        .zip(ids)
        .map(|(piece, id)| {
            let piece = MultiPolygon::new(vec![piece.clone()]);
            let extent = piece.bounding_rect();
            let parts: Vec<(Option<String>, MultiPolygon<f64>)> = grids
                .iter()
                .filter(|grid| extent.is_some_and(|extent| extent_meets(&grid.boundary, extent)))
                .map(|grid| {
                    let part = overlay::intersection(&grid.boundary, &piece);
                    (Some(grid.code.clone()), validity::without_slivers(part))
                })
                .filter(|(_, boundary)| !boundary.0.is_empty())
                .collect();
            grid_order::coded_after_edit(id, grids, parts, codes)
        })
        .collect()
}

/// The grids of merged communities as the survivor's (its own first in `grids`): all of them,
/// coded after the survivor's id `id` as `codes` says (the others' grids are new to it).
pub fn grids_merged(grids: &[&[Grid]], id: &str, codes: GridCodes) -> Vec<Grid> {
    let after = grids
        .iter()
        .flat_map(|grids| grids.iter())
        .map(|grid| (Some(grid.code.clone()), grid.boundary.clone()))
        .collect();
    let survivors = grids.first().copied().unwrap_or_default();
    grid_order::coded_after_edit(id, survivors, after, codes)
}

/// A new boundary with every existing neighbour cut out of it, so drawing beside a neighbour
/// never makes an overlap.
pub fn clip_against(
    drawn: &MultiPolygon<f64>,
    neighbours: &[&MultiPolygon<f64>],
) -> Result<MultiPolygon<f64>, OpError> {
    let clipped = if neighbours.is_empty() {
        drawn.clone()
    } else {
        validity::without_slivers(overlay::difference(drawn, neighbours))
    };
    validity::check_boundary(&clipped)?;
    Ok(clipped)
}
