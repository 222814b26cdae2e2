//! Editing a community's grids by hand: merging touching grids, splitting one along a line
//! (moving each building the line would cut wholly to the side that holds its representative
//! point, where it is counted) and giving street blocks to a grid. Each gives one command that
//! sets the community's grids: one undo step.

use geo::{BoundingRect, Contains, Intersects, LineString, MultiPolygon};

use crate::edit::Command;
use crate::geometry::overlay;
use crate::grid_figures::{GridFigures, grids_of_community};
use crate::ids::CommunityKey;
use crate::lang::Language;
use crate::ops::grid_order::coded_after_edit;
use crate::ops::{self, OpError, validity};
use crate::plan::{Community, Grid};
use crate::session::Session;

/// Why grids cannot be edited so.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GridEditError {
    /// Fewer than two grids were named.
    #[error("name at least two grids to merge")]
    TooFew,
    /// A code the community's grids do not have.
    #[error("the community has no grid {0}")]
    NoSuchGrid(String),
    /// The grids named do not make one piece.
    #[error("grids {0} do not touch: merged they would be in pieces")]
    NotTouching(String),
    /// A split line that does not cross the grid from side to side.
    #[error("the line does not cross grid {0} from one side to the other")]
    DoesNotCross(String),
    /// Blocks that lie outside the grid's community.
    #[error("the blocks lie outside the community of grid {0}")]
    OutsideCommunity(String),
    /// The grid's community is locked.
    #[error("{0} is locked: unlock it to edit its grids")]
    Locked(String),
    /// The street blocks have not been worked out from the streets.
    #[error("the street blocks have not been derived")]
    NoBlocks,
    /// The result would not be a valid grid.
    #[error("grid {code}: {error}")]
    Geometry {
        /// The grid.
        code: String,
        /// What is wrong with the result.
        error: OpError,
    },
}

impl GridEditError {
    /// The error in `language`.
    pub fn describe(&self, language: Language) -> String {
        match (self, language) {
            (_, Language::English) => self.to_string(),
            (GridEditError::TooFew, _) => "请选择至少两个网格再合并".to_owned(),
            (GridEditError::NoSuchGrid(code), _) => format!("社区没有网格 {code}"),
            (GridEditError::NotTouching(codes), _) => {
                format!("网格 {codes} 不相邻, 合并后会分成几块")
            }
            (GridEditError::DoesNotCross(code), _) => {
                format!("拆分线没有从一侧穿过网格 {code} 到另一侧")
            }
            (GridEditError::OutsideCommunity(code), _) => {
                format!("所选街区不在网格 {code} 所属的社区内")
            }
            (GridEditError::NoBlocks, _) => "街区尚未由街道生成".to_owned(),
            (GridEditError::Locked(name), _) => format!("{name} 已锁定; 解锁后才能编辑其网格"),
            (GridEditError::Geometry { code, error }, _) => {
                format!("网格 {code}: {}", error.describe(language))
            }
        }
    }
}

/// The community of `key`, or the error naming the grid asked for; refused when it is locked.
fn community_of<'a>(
    session: &'a Session,
    key: CommunityKey,
    code: &str,
) -> Result<&'a Community, GridEditError> {
    let community = session
        .plan()
        .community(key)
        .ok_or_else(|| GridEditError::NoSuchGrid(code.to_owned()))?;
    if community.properties.locked {
        return Err(GridEditError::Locked(community.properties.name.clone()));
    }
    Ok(community)
}

/// The position of the grid `code` among the community's grids.
fn position_of(community: &Community, code: &str) -> Result<usize, GridEditError> {
    community
        .properties
        .grids
        .iter()
        .position(|grid| grid.code == code)
        .ok_or_else(|| GridEditError::NoSuchGrid(code.to_owned()))
}

/// The command setting `community`'s grids to these boundaries, each with the code of the grid
/// it comes from, coded as the profile says (renumbered in reading order, or codes kept).
fn recoded(
    session: &Session,
    key: CommunityKey,
    community: &Community,
    after: Vec<(Option<String>, MultiPolygon<f64>)>,
) -> Command {
    let codes = session.profile().grids.codes_after_edits;
    let grids = coded_after_edit(&community.id, &community.properties.grids, after, codes);
    Command::SetGrids { key, grids }
}

/// `community`'s grids with those of `codes` merged into one (which comes from the first of them
/// in code order), every grid then coded as the profile says; the command that sets them (one
/// undo step).
pub fn merge_grids(
    session: &Session,
    key: CommunityKey,
    codes: &[String],
) -> Result<Command, GridEditError> {
    let community = community_of(session, key, &codes.join(", "))?;
    if codes.len() < 2 {
        return Err(GridEditError::TooFew);
    }
    let grids = &community.properties.grids;
    let mut chosen = Vec::new();
    for code in codes {
        chosen.push(&grids[position_of(community, code)?].boundary);
    }
    let joined = validity::without_slivers(overlay::union(&chosen));
    if joined.0.len() != 1 {
        return Err(GridEditError::NotTouching(codes.join(", ")));
    }
    let first = codes
        .iter()
        .min_by_key(|code| (code.len(), code.as_str()))
        .cloned();
    let after = grids
        .iter()
        .filter(|grid| !codes.contains(&grid.code))
        .map(|grid| (Some(grid.code.clone()), grid.boundary.clone()))
        .chain(std::iter::once((first, joined)))
        .collect();
    Ok(recoded(session, key, community, after))
}

/// Grid `code` of the community cut along `line`, each building the line would cut kept whole
/// on the side that holds its representative point; every grid then coded as the profile says
/// (with codes kept, the largest piece keeps `code`). Refused when the line does not cut the
/// grid in two.
pub fn split_grid(
    session: &Session,
    key: CommunityKey,
    code: &str,
    line: &LineString<f64>,
) -> Result<Command, GridEditError> {
    let community = community_of(session, key, code)?;
    let pieces = split_pieces(session, key, code, line)?;
    let after = (community.properties.grids.iter())
        .filter(|other| other.code != code)
        .map(|other| (Some(other.code.clone()), other.boundary.clone()))
        .chain(
            pieces
                .into_iter()
                .map(|piece| (Some(code.to_owned()), piece)),
        )
        .collect();
    Ok(recoded(session, key, community, after))
}

/// What splitting grid `code` along `line` would give, shown while the line is drawn: each
/// piece's boundary with its figures (the piece's code is not yet known: the grids are
/// renumbered when the split is made). `Err` says why the split would be refused.
pub fn split_grid_preview(
    session: &Session,
    key: CommunityKey,
    code: &str,
    line: &LineString<f64>,
) -> Result<Vec<(MultiPolygon<f64>, GridFigures)>, GridEditError> {
    let community = community_of(session, key, code)?;
    let pieces = split_pieces(session, key, code, line)?;
    let mut drafted = community.clone();
    drafted.properties.grids = (pieces.iter())
        .map(|boundary| Grid {
            code: code.to_owned(),
            boundary: boundary.clone(),
        })
        .collect();
    let members = &session.tallies().of(key).members;
    let counted = grids_of_community(&drafted, members, &session.layers().buildings);
    Ok(pieces.into_iter().zip(counted.grids).collect())
}

/// The pieces of grid `code` cut along `line`, every building kept whole, each a valid
/// boundary; refused when the line does not cut the grid in two.
fn split_pieces(
    session: &Session,
    key: CommunityKey,
    code: &str,
    line: &LineString<f64>,
) -> Result<Vec<MultiPolygon<f64>>, GridEditError> {
    let community = community_of(session, key, code)?;
    let grid = &community.properties.grids[position_of(community, code)?];
    let pieces = ops::split(&grid.boundary, &reaching_past(line)).map_err(|error| match error {
        OpError::DoesNotCross => GridEditError::DoesNotCross(code.to_owned()),
        error => GridEditError::Geometry {
            code: code.to_owned(),
            error,
        },
    })?;
    let pieces: Vec<MultiPolygon<f64>> = pieces
        .into_iter()
        .map(|piece| MultiPolygon::new(vec![piece]))
        .collect();
    let pieces = with_whole_buildings(session, key, &grid.boundary, pieces);
    if pieces.len() < 2 {
        return Err(GridEditError::DoesNotCross(code.to_owned()));
    }
    for piece in &pieces {
        validity::check_boundary(piece).map_err(|error| GridEditError::Geometry {
            code: code.to_owned(),
            error,
        })?;
    }
    Ok(pieces)
}

/// A split line's ends snap to streets and community edges, which grid edges follow only to
/// within millimetres; a line is reached this far past each end so that one drawn from edge
/// to edge crosses them, m.
const REACH_PAST_ENDS_M: f64 = 0.5;

/// `line` with its first and last segments lengthened by [`REACH_PAST_ENDS_M`].
fn reaching_past(line: &LineString<f64>) -> LineString<f64> {
    let mut coords = line.0.clone();
    let count = coords.len();
    if count < 2 {
        return line.clone();
    }
    let lengthened = |end: geo::Coord<f64>, before: geo::Coord<f64>| {
        let along = end - before;
        let length = along.x.hypot(along.y);
        if length == 0.0 {
            end
        } else {
            end + along * (REACH_PAST_ENDS_M / length)
        }
    };
    coords[0] = lengthened(coords[0], coords[1]);
    coords[count - 1] = lengthened(coords[count - 1], coords[count - 2]);
    LineString::new(coords)
}

/// The pieces of a grid, each building of the community that more than one of them holds moved
/// wholly into the piece holding its representative point; pieces left empty are dropped.
fn with_whole_buildings(
    session: &Session,
    key: CommunityKey,
    grid: &MultiPolygon<f64>,
    pieces: Vec<MultiPolygon<f64>>,
) -> Vec<MultiPolygon<f64>> {
    let buildings = &session.layers().buildings;
    let extents: Vec<_> = pieces.iter().map(BoundingRect::bounding_rect).collect();
    // For each piece, the cut footprints it gains and those it loses.
    let mut gained: Vec<Vec<MultiPolygon<f64>>> = vec![Vec::new(); pieces.len()];
    let mut lost: Vec<Vec<MultiPolygon<f64>>> = vec![Vec::new(); pieces.len()];
    for &member in &session.tallies().of(key).members {
        let building = &buildings[member as usize];
        let point = geo::Point(building.representative_point);
        let Some(holder) = pieces.iter().position(|piece| piece.contains(&point)) else {
            continue;
        };
        let [lower, upper] = building.envelope();
        let envelope = geo::Rect::new(lower, upper);
        let others: Vec<usize> = (0..pieces.len())
            .filter(|&other| other != holder)
            .filter(|&other| extents[other].is_some_and(|extent| extent.intersects(&envelope)))
            .filter(|&other| pieces[other].intersects(&building.footprint))
            .collect();
        if others.is_empty() {
            continue;
        }
        let inside_grid = overlay::intersection(&building.footprint, grid);
        gained[holder].push(inside_grid.clone());
        for other in others {
            lost[other].push(inside_grid.clone());
        }
    }
    pieces
        .into_iter()
        .zip(gained.iter().zip(&lost))
        .map(|(piece, (gains, losses))| {
            if gains.is_empty() && losses.is_empty() {
                return piece;
            }
            let losses: Vec<&MultiPolygon<f64>> = losses.iter().collect();
            let kept = overlay::difference(&piece, &losses);
            let mut parts = vec![&kept];
            parts.extend(gains.iter());
            validity::without_slivers(overlay::union(&parts))
        })
        .filter(|piece| !piece.0.is_empty())
        .collect()
}

/// The street `blocks` (their part inside the community) given to grid `code`, taken from the
/// community's other grids; a grid left with nothing is dropped and the rest coded as the
/// profile says, otherwise every grid keeps its code. Refused when the blocks lie outside the community or
/// the grid would be in pieces.
pub fn give_blocks_to_grid(
    session: &Session,
    key: CommunityKey,
    code: &str,
    blocks: &[usize],
) -> Result<Command, GridEditError> {
    let community = community_of(session, key, code)?;
    let position = position_of(community, code)?;
    let derived = session.derived_blocks().ok_or(GridEditError::NoBlocks)?;
    let polygons: Vec<_> = blocks
        .iter()
        .filter_map(|&block| derived.polygons.get(block).cloned())
        .collect();
    let area = validity::without_slivers(overlay::intersection(
        &MultiPolygon::new(polygons),
        &community.boundary,
    ));
    if area.0.is_empty() {
        return Err(GridEditError::OutsideCommunity(code.to_owned()));
    }
    let grids = &community.properties.grids;
    let grown = validity::without_slivers(overlay::union(&[&grids[position].boundary, &area]));
    if grown.0.len() != 1 {
        return Err(GridEditError::NotTouching(code.to_owned()));
    }
    let mut changed: Vec<Grid> = Vec::with_capacity(grids.len());
    for (index, grid) in grids.iter().enumerate() {
        let boundary = if index == position {
            grown.clone()
        } else {
            validity::without_slivers(overlay::difference(&grid.boundary, &[&area]))
        };
        if !boundary.0.is_empty() {
            changed.push(Grid {
                code: grid.code.clone(),
                boundary,
            });
        }
    }
    if changed.len() == grids.len() {
        return Ok(Command::SetGrids {
            key,
            grids: changed,
        });
    }
    let after = (changed.into_iter())
        .map(|grid| (Some(grid.code), grid.boundary))
        .collect();
    Ok(recoded(session, key, community, after))
}
