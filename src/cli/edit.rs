//! `shequ edit`: the editor's commands from a script, so a planner's change can be reproduced and
//! reviewed: merge, split along a line, give a street block to a community, and the same on
//! management grids. Saved atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use geo::{Coord, LineString};
use shequ_core::Session;
use shequ_core::edit::Command;
use shequ_core::format::grouped;
use shequ_core::grids;
use shequ_core::ids::CommunityKey;
use shequ_core::lang::Language;
use shequ_core::profile::GridCodes;

use super::layers::EXIT_CLEAN;

/// `shequ edit PLAN (--merge A,B | --split ID --line "…" | --assign-block LON,LAT (--to ID |
/// --to-grid CODE) | --merge-grids A,B | --split-grid CODE --line "…" | --place-office ID --at
/// LON,LAT | --place-service ID --at LON,LAT) [--out PLAN2]`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("operation").required(true).multiple(false).args(["merge", "split", "assign_block", "merge_grids", "split_grid", "place_office", "place_service"]))]
#[command(group = clap::ArgGroup::new("receiver").multiple(false).args(["to", "to_grid"]))]
pub struct EditArguments {
    /// The plan file 方案.
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// Merge 合并 these communities (ids, comma-separated) into the first, which keeps its id.
    #[arg(long, value_delimiter = ',', value_name = "ID,ID")]
    pub merge: Option<Vec<String>>,
    /// With --merge: allow a result in several parts (communities that do not touch).
    #[arg(long, requires = "merge")]
    pub allow_several_parts: bool,
    /// Split 拆分 this community along --line; the larger part keeps the id.
    #[arg(long, value_name = "ID", requires = "line")]
    pub split: Option<String>,
    /// The split line as "LON LAT, LON LAT, …" (WGS 84), crossing the community or grid.
    #[arg(long, value_name = "\"LON LAT, …\"")]
    pub line: Option<String>,
    /// Give the street block 街区 containing this point ("LON,LAT") to the community --to, or
    /// (its part inside the grid's community) to the grid --to-grid.
    #[arg(long, value_name = "LON,LAT", requires = "receiver")]
    pub assign_block: Option<String>,
    /// The community receiving the block.
    #[arg(long, value_name = "ID")]
    pub to: Option<String>,
    /// The management grid 网格 receiving the block, by code; taken from the community's other
    /// grids.
    #[arg(long, value_name = "CODE")]
    pub to_grid: Option<String>,
    /// Merge these touching management grids 合并网格 of one community (codes, comma-separated);
    /// its grids are then coded as the profile's `grids.codes_after_edits` says (renumbered in
    /// reading order, or codes kept).
    #[arg(long, value_delimiter = ',', value_name = "CODE,CODE")]
    pub merge_grids: Option<Vec<String>>,
    /// Split 拆分 this management grid along --line; a building the line crosses stays whole on
    /// the side of its representative point; the grids are then coded as the profile says.
    #[arg(long, value_name = "CODE", requires = "line")]
    pub split_grid: Option<String>,
    /// Place (or move) this community's residents' committee office 居委会办公点 at --at; walking
    /// distances are measured from it.
    #[arg(long, value_name = "ID", requires = "at")]
    pub place_office: Option<String>,
    /// Place (or move) this community's service centre 服务站 at --at.
    #[arg(long, value_name = "ID", requires = "at")]
    pub place_service: Option<String>,
    /// Where the office or service centre goes, "LON,LAT" (WGS 84).
    #[arg(long, value_name = "LON,LAT")]
    pub at: Option<String>,
    /// The scenario 方案 to edit, where the plan has several (by default the one it was saved
    /// with; the file keeps showing that one).
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Write the edited plan here instead of over PLAN.
    #[arg(long, value_name = "PLAN")]
    pub out: Option<PathBuf>,
}

fn community(session: &Session, id: &str) -> anyhow::Result<CommunityKey> {
    session
        .plan()
        .key_of(id.trim())
        .with_context(|| format!("there is no community with id `{}` in the plan", id.trim()))
}

/// The community whose grids include the grid `code`.
fn grid_owner(session: &Session, code: &str) -> anyhow::Result<CommunityKey> {
    let code = code.trim();
    session
        .plan()
        .communities()
        .find(|(_, community)| community.properties.grids.iter().any(|grid| grid.code == code))
        .map(|(key, _)| key)
        .with_context(|| {
            format!(
                "there is no management grid with code `{code}` in the plan; `shequ check --format json` lists them under `grids`"
            )
        })
}

/// The line of `--line`, in metres.
fn line_of(session: &Session, line: &str) -> anyhow::Result<LineString<f64>> {
    let points = line
        .split(',')
        .map(|pair| parse_pair(pair, ' ').map(|point| metres(session, point)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if points.len() < 2 {
        bail!("--line needs at least two positions");
    }
    Ok(LineString::new(points))
}

/// The street block containing `--assign-block`'s point.
fn block_at(session: &mut Session, point: &str) -> anyhow::Result<usize> {
    let at = metres(session, parse_pair(point, ',')?);
    session
        .blocks()
        .at(at)
        .with_context(|| format!("no street block contains {point}; give a point between streets"))
}

fn parse_pair(text: &str, separator: char) -> anyhow::Result<(f64, f64)> {
    let mut parts = text
        .trim()
        .split(separator)
        .map(str::trim)
        .filter(|part| !part.is_empty());
    let (Some(longitude), Some(latitude), None) = (parts.next(), parts.next(), parts.next()) else {
        bail!("`{text}` is not a longitude and a latitude");
    };
    let longitude: f64 = longitude
        .parse()
        .with_context(|| format!("`{longitude}` is not a longitude"))?;
    let latitude: f64 = latitude
        .parse()
        .with_context(|| format!("`{latitude}` is not a latitude"))?;
    if !(-180.0..=180.0).contains(&longitude) || !(-90.0..=90.0).contains(&latitude) {
        bail!("`{text}` is not a longitude/latitude position (WGS 84 degrees)");
    }
    Ok((longitude, latitude))
}

fn metres(session: &Session, (longitude, latitude): (f64, f64)) -> Coord<f64> {
    session.projection().to_metres(longitude, latitude)
}

pub fn run(arguments: &EditArguments) -> anyhow::Result<ExitCode> {
    let mut session = Session::open(&arguments.plan)?;
    let saved_with = session.scenario_name().to_owned();
    super::scenario::choose_scenario(&mut session, arguments.scenario.as_deref())?;
    // The community of the grid a grid edit names.
    let grid_code = (arguments.to_grid.as_ref())
        .filter(|_| arguments.assign_block.is_some())
        .or(arguments.split_grid.as_ref())
        .or(arguments.merge_grids.iter().flatten().next())
        .map(|code| code.trim());
    let grid_community = grid_code
        .map(|code| grid_owner(&session, code))
        .transpose()?;
    let command = if let Some(ids) = &arguments.merge {
        let keys = ids
            .iter()
            .map(|id| community(&session, id))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Command::Merge {
            keys,
            allow_several_parts: arguments.allow_several_parts,
        }
    } else if let (Some(id), Some(line)) = (&arguments.split, &arguments.line) {
        Command::Split {
            key: community(&session, id)?,
            line: line_of(&session, line)?,
        }
    } else if let (Some(point), Some(to)) = (&arguments.assign_block, &arguments.to) {
        let key = community(&session, to)?;
        Command::AssignBlocks {
            blocks: vec![block_at(&mut session, point)?],
            to: key,
        }
    } else if let (Some(point), Some(code), Some(key)) =
        (&arguments.assign_block, &arguments.to_grid, grid_community)
    {
        let block = block_at(&mut session, point)?;
        grids::give_blocks_to_grid(&session, key, code.trim(), &[block])?
    } else if let (Some(codes), Some(key)) = (&arguments.merge_grids, grid_community) {
        let codes: Vec<String> = codes.iter().map(|code| code.trim().to_owned()).collect();
        grids::merge_grids(&session, key, &codes)?
    } else if let (Some(code), Some(line), Some(key)) =
        (&arguments.split_grid, &arguments.line, grid_community)
    {
        grids::split_grid(&session, key, code.trim(), &line_of(&session, line)?)?
    } else if let (Some(id), Some(at)) = (
        arguments
            .place_office
            .as_ref()
            .or(arguments.place_service.as_ref()),
        &arguments.at,
    ) {
        let key = community(&session, id)?;
        let point = metres(&session, parse_pair(at, ',')?);
        let mut properties = session
            .plan()
            .community(key)
            .context("the community is in the plan")?
            .properties
            .clone();
        if arguments.place_office.is_some() {
            properties.office = Some(point);
        } else {
            properties.service = Some(point);
        }
        Command::SetProperties {
            key,
            properties: Box::new(properties),
        }
    } else {
        bail!(
            "give one of --merge, --split with --line, --assign-block with --to or --to-grid, --merge-grids, --split-grid with --line, or --place-office/--place-service with --at"
        );
    };
    let step = command.step();
    let label = format!(
        "{} {}",
        step.describe(Language::Chinese),
        step.describe(Language::English)
    );
    let grids_before = grid_community.map(|key| grid_count(&session, key));
    let effects = session.execute(command)?;
    // The change as the log records it: each community touched, households before and after.
    let entry = session.log().last().cloned();
    let mut grid_lines = grid_community.map_or_else(Vec::new, |key| grid_lines(&session, key));
    if let (Some(key), Some(before)) = (grid_community, grids_before)
        && grid_count(&session, key) != before
    {
        let after = grid_count(&session, key);
        grid_lines.push(match session.profile().grids.codes_after_edits {
            GridCodes::ReadingOrder => format!(
                "  {before} grids became {after}: all renumbered in reading order 已按阅读顺序重新编号"
            ),
            GridCodes::Kept => format!(
                "  {before} grids became {after}: codes kept, new grids numbered after the highest 原编号保留, 新网格续编"
            ),
        });
    }
    super::scenario::choose_scenario(&mut session, Some(&saved_with))?;
    let out = arguments.out.as_ref().unwrap_or(&arguments.plan);
    session.save_as(out)?;
    println!(
        "{label}: {} communities changed; saved {}.",
        effects.communities.len(),
        out.display()
    );
    let households = |figure: Option<u64>| figure.map_or_else(|| "—".to_owned(), grouped);
    for community in entry.iter().flat_map(|entry| &entry.communities) {
        println!(
            "  {} {}: {} → {} households",
            community.id,
            community.name,
            households(community.households_before),
            households(community.households_after)
        );
    }
    for line in grid_lines {
        println!("{line}");
    }
    if let Some(id) = &arguments.place_office {
        print_walking(&session, id);
    }
    Ok(ExitCode::from(EXIT_CLEAN))
}

/// The walking figures from the community's newly placed office: the share of households
/// within each distance, the farthest building, and what keeps the figures from being whole.
fn print_walking(session: &Session, id: &str) {
    let report = shequ_core::report::CheckReport::of(session);
    let Some(row) = report.walking.iter().find(|row| row.community == id) else {
        return;
    };
    let within: Vec<String> = (row.within.iter())
        .map(|within| {
            let share = within.share * 100.0;
            format!("{:.0} m {share:.0}%", within.distance_m)
        })
        .collect();
    let farthest = row
        .farthest_m
        .map_or_else(|| "—".to_owned(), |metres| format!("{metres:.0} m"));
    println!(
        "  walking 步行: households within 户数占比 {}; farthest 最远 {farthest}",
        within.join(", ")
    );
    if row.office_outside {
        println!("  note: the office lies outside the community 办公点在社区界外");
    }
    if row.unreachable_households > 0 {
        println!(
            "  note: {} residential buildings ({} households) cannot reach the office along the streets 不能沿街道到达办公点",
            row.unreachable_buildings.len(),
            grouped(row.unreachable_households)
        );
    }
}

/// How many grids the community has.
fn grid_count(session: &Session, key: CommunityKey) -> usize {
    session
        .plan()
        .community(key)
        .map_or(0, |community| community.properties.grids.len())
}

/// After a grid edit, a line for each grid of the community edited: its code, households and
/// whether that is within the profile's range.
fn grid_lines(session: &Session, key: CommunityKey) -> Vec<String> {
    let settings = &session.profile().grids;
    let range = settings.minimum_households..=settings.maximum_households;
    let Some(counted) = session.rules().grids_of(key) else {
        return Vec::new();
    };
    counted
        .grids
        .iter()
        .map(|grid| {
            let mark = if range.contains(&grid.households) {
                ""
            } else {
                "  (out of range 超出范围)"
            };
            format!(
                "  {}: {} households 户{mark}",
                grid.code,
                grouped(grid.households)
            )
        })
        .collect()
}
