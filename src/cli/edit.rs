//! `shequ edit`: the editor's commands from a script, so a planner's change can be reproduced and
//! reviewed: merge, split along a line, give a street block to a community. Saved atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use geo::{Coord, LineString};
use shequ_core::Session;
use shequ_core::edit::Command;
use shequ_core::format::grouped;
use shequ_core::ids::CommunityKey;
use shequ_core::lang::Language;

use super::layers::EXIT_CLEAN;

/// `shequ edit PLAN (--merge A,B | --split ID --line "…" | --assign-block LON,LAT --to ID |
/// --place-office ID --at LON,LAT | --place-service ID --at LON,LAT) [--out PLAN2]`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("operation").required(true).multiple(false).args(["merge", "split", "assign_block", "place_office", "place_service"]))]
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
    /// The split line as "LON LAT, LON LAT, …" (WGS 84), crossing the community.
    #[arg(long, value_name = "\"LON LAT, …\"")]
    pub line: Option<String>,
    /// Give the street block 街区 containing this point ("LON,LAT") to the community --to.
    #[arg(long, value_name = "LON,LAT", requires = "to")]
    pub assign_block: Option<String>,
    /// The community receiving the block.
    #[arg(long, value_name = "ID")]
    pub to: Option<String>,
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
        let key = community(&session, id)?;
        let points = line
            .split(',')
            .map(|pair| parse_pair(pair, ' ').map(|point| metres(&session, point)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        if points.len() < 2 {
            bail!("--line needs at least two positions");
        }
        Command::Split {
            key,
            line: LineString::new(points),
        }
    } else if let (Some(point), Some(to)) = (&arguments.assign_block, &arguments.to) {
        let key = community(&session, to)?;
        let at = metres(&session, parse_pair(point, ',')?);
        let block = session.blocks().at(at).with_context(|| {
            format!("no street block contains {point}; give a point between streets")
        })?;
        Command::AssignBlocks {
            blocks: vec![block],
            to: key,
        }
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
            "give one of --merge, --split with --line, --assign-block with --to, or --place-office/--place-service with --at"
        );
    };
    let step = command.step();
    let label = format!(
        "{} {}",
        step.describe(Language::Chinese),
        step.describe(Language::English)
    );
    let effects = session.execute(command)?;
    // The change as the log records it: each community touched, households before and after.
    let entry = session.log().last().cloned();
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
    Ok(ExitCode::from(EXIT_CLEAN))
}
