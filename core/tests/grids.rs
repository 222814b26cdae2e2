//! Management grids (网格): drawn within each community along its streets and the gaps between
//! buildings, coded, saved with the plan, counted and checked.

mod support;

use geo::{Area, BooleanOps, Intersects, MultiPolygon};
use shequ_core::Session;
use shequ_core::edit::Command;
use shequ_core::grids::draw_grids;
use shequ_core::report::CheckReport;
use shequ_core::testing::touching_grids;
use support::World;

/// A 400 × 200 m community cut by a street at x = 200, with 32 houses of 40 households in
/// rows and columns (1,280 households: four grids of about 300), and, with `neighbour`, one more
/// house east of it in no community.
fn estate_of_houses(neighbour: bool) -> (tempfile::TempDir, Session) {
    estate_world(neighbour).open()
}

/// The world of [`estate_of_houses`], before it is opened.
fn estate_world(neighbour: bool) -> World {
    let mut world = World::new().street((200.0, -20.0), (200.0, 220.0));
    if neighbour {
        world = world.house("EAST", 450.0, 100.0, 40);
    }
    for column in 0..8 {
        for row in 0..4 {
            let x = 25.0 + 50.0 * f64::from(column);
            let y = 25.0 + 50.0 * f64::from(row);
            world = world.house(&format!("H{column}{row}"), x, y, 40);
        }
    }
    world.community("360102001001", "geographic", (0.0, 0.0, 400.0, 200.0))
}

fn grid_rule_violations(session: &Session) -> Vec<String> {
    session
        .rules()
        .iter()
        .filter(|violation| violation.rule.starts_with("grid."))
        .map(|violation| violation.message_en.clone())
        .collect()
}

#[test]
fn a_community_is_divided_into_coded_grids_within_the_range_that_cover_it_and_cut_no_building() {
    let (_folder, mut session) = estate_of_houses(false);
    let (command, drawn) = draw_grids(&session, &[], 300);
    assert_eq!(drawn.communities.len(), 1);
    session.execute(command).expect("the grids are set");
    let community = session
        .plan()
        .communities()
        .next()
        .map(|(_, community)| community.clone())
        .expect("a community");
    let grids = &community.properties.grids;
    assert_eq!(grids.len(), 4, "1,280 households in grids of about 300");
    let codes: Vec<&str> = grids.iter().map(|grid| grid.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "360102001001001",
            "360102001001002",
            "360102001001003",
            "360102001001004"
        ]
    );
    let report = CheckReport::of(&session);
    assert_eq!(report.grids.len(), 4);
    let households: u64 = report.grids.iter().map(|grid| grid.households).sum();
    assert_eq!(households, 1280, "every household in exactly one grid");
    assert!(
        report
            .grids
            .iter()
            .all(|grid| (150..=500).contains(&grid.households)),
        "{:?}",
        report.grids
    );
    assert_eq!(grid_rule_violations(&session), Vec::<String>::new());
    // Each grid is one piece.
    assert!(
        grids.iter().all(|grid| grid.boundary.0.len() == 1),
        "{grids:?}"
    );
    // Together the grids cover the community, and no grid crosses a house.
    let area: f64 = grids.iter().map(|grid| grid.boundary.unsigned_area()).sum();
    assert!(
        (area - community.boundary.unsigned_area()).abs() < 1.0,
        "{area}"
    );
    for building in &session.layers().buildings {
        let holding = grids
            .iter()
            .filter(|grid| {
                grid.boundary
                    .intersection(&MultiPolygon::new(building.footprint.0.clone()))
                    .unsigned_area()
                    > 0.01
            })
            .count();
        assert_eq!(
            holding, 1,
            "building {} lies in one grid",
            building.source_id
        );
    }
}

#[test]
fn grids_are_saved_with_the_plan_and_one_undo_takes_them_away() {
    let (folder, mut session) = estate_of_houses(false);
    let (command, _) = draw_grids(&session, &[], 300);
    session.execute(command).expect("the grids are set");
    let saved = folder.path().join("with-grids.shequ.geojson");
    session.save_as(&saved).expect("saves");
    let reopened = Session::open(&saved).expect("reopens");
    let codes = |session: &Session| -> Vec<String> {
        session
            .plan()
            .communities()
            .flat_map(|(_, community)| community.properties.grids.iter())
            .map(|grid| grid.code.clone())
            .collect()
    };
    assert_eq!(codes(&reopened), codes(&session));
    assert_eq!(
        CheckReport::of(&reopened).grids,
        CheckReport::of(&session).grids
    );
    session.undo().expect("undoes");
    assert!(codes(&session).is_empty());
}

#[test]
fn a_community_shrunk_under_its_grids_has_grids_outside_it_and_homes_in_no_grid() {
    let (_folder, mut session) = estate_of_houses(true);
    let key = with_grids_drawn(&mut session);
    // The community gives up its westernmost 50 m, which its grids still cover, and takes in
    // the house east of it, which no grid holds.
    let reshaped = MultiPolygon::new(vec![
        geo::Rect::new(
            geo::Coord { x: 50.0, y: 0.0 },
            geo::Coord { x: 500.0, y: 200.0 },
        )
        .to_polygon(),
    ]);
    session
        .execute(Command::ReplaceBoundary {
            key,
            boundary: reshaped,
        })
        .expect("reshapes");
    let found = grid_rule_violations(&session);
    assert!(
        found
            .iter()
            .any(|message| message.contains("outside the community")),
        "{found:?}"
    );
    let rules: Vec<&str> = session
        .rules()
        .iter()
        .map(|violation| violation.rule)
        .filter(|rule| rule.starts_with("grid."))
        .collect();
    assert!(rules.contains(&"grid.outside_community"), "{rules:?}");
    assert!(rules.contains(&"grid.gaps"), "{rules:?}");
}

#[test]
fn on_generated_cities_every_home_lies_in_exactly_one_grid_of_its_community_and_codes_are_unique_and_ordered()
 {
    use shequ_core::gen_city::{CityOptions, generate_city};
    for seed in [3, 17, 2002] {
        let folder = tempfile::tempdir().expect("temp dir");
        generate_city(
            &CityOptions {
                buildings: 2000,
                communities: Some(8),
                seed,
                plant_violations: false,
                households_for_all: false,
            },
            folder.path(),
        )
        .expect("generates");
        let mut session = Session::open(&folder.path().join("plan.shequ.geojson")).expect("opens");
        let (command, _) = draw_grids(&session, &[], 300);
        session.execute(command).expect("the grids are set");
        let buildings = &session.layers().buildings;
        for (key, community) in session.plan().communities() {
            let grids = &community.properties.grids;
            let tally = session.tallies().of(key);
            if tally.households == 0 {
                continue;
            }
            assert!(!grids.is_empty(), "seed {seed}: {} has grids", community.id);
            for (number, grid) in grids.iter().enumerate() {
                assert_eq!(
                    grid.code,
                    format!("{}{:03}", community.id, number + 1),
                    "seed {seed}: codes numbered in order"
                );
            }
            for &member in &tally.members {
                let building = &buildings[member as usize];
                if !building.residential {
                    continue;
                }
                let point = geo::Point(building.representative_point);
                let holding = grids
                    .iter()
                    .filter(|grid| geo::Contains::contains(&grid.boundary, &point))
                    .count();
                assert_eq!(
                    holding, 1,
                    "seed {seed}: building {} of {} in one grid",
                    building.source_id, community.id
                );
            }
        }
        // Grids are single pieces (the generated communities are); a divided block's corners
        // once left pieces of one grid touching only at points.
        let in_pieces = session
            .plan()
            .communities()
            .flat_map(|(_, community)| community.properties.grids.iter())
            .filter(|grid| grid.boundary.0.len() > 1)
            .count();
        assert_eq!(in_pieces, 0, "seed {seed}");
        let broken: Vec<String> = session
            .rules()
            .iter()
            .filter(|violation| {
                ["grid.outside_community", "grid.overlap", "grid.gaps"].contains(&violation.rule)
            })
            .map(|violation| violation.message_en.clone())
            .collect();
        assert_eq!(broken, Vec::<String>::new(), "seed {seed}");
    }
}

#[test]
fn the_export_writes_the_grids_in_every_format_it_writes_communities_in() {
    use shequ_core::export::{ExportFormats, ExportOptions, export_for_approval};
    let (folder, mut session) = estate_of_houses(false);
    let (command, _) = draw_grids(&session, &[], 300);
    session.execute(command).expect("the grids are set");
    let report = CheckReport::of(&session);
    let out = folder.path().join("export");
    let mut options = ExportOptions::new(shequ_core::lang::Language::Chinese);
    options.formats = ExportFormats::parse("geojson,csv,xlsx,shp,gpkg").expect("formats");
    let written = export_for_approval(&session, &report, &out, &options)
        .expect("exports")
        .written;
    let names: Vec<String> = written
        .iter()
        .filter_map(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .collect();
    for name in [
        "grids.geojson",
        "grids.csv",
        "grids.shp",
        "grids.dbf",
        "grids.cpg",
    ] {
        assert!(
            names.iter().any(|written| written == name),
            "{name}: {names:?}"
        );
    }
    // The Shapefile's table: one record per grid.
    let records = dbase::read(out.join("grids.dbf")).expect("reads the .dbf");
    assert_eq!(records.len(), 4);
    // The GeoPackage's grids table.
    let connection = rusqlite::Connection::open(out.join("communities.gpkg")).expect("opens");
    let (count, households): (i64, i64) = connection
        .query_row("SELECT count(*), sum(households) FROM grids", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .expect("a grids table");
    assert_eq!((count, households), (4, 1280));
    // The workbook's 网格 sheet: a header and a row per grid.
    use calamine::Reader;
    let mut workbook =
        calamine::open_workbook_auto(out.join("approval.xlsx")).expect("opens the workbook");
    let sheet = workbook.worksheet_range("网格").expect("a 网格 sheet");
    assert_eq!(sheet.rows().count(), 5);
}

#[test]
fn two_touching_grids_merge_into_one_and_the_rest_are_renumbered_as_one_undo_step() {
    use shequ_core::grids::{GridEditError, merge_grids};
    let (_folder, mut session) = estate_of_houses(false);
    let key = with_grids_drawn(&mut session);
    let grids = |session: &Session| grids_of(session, key);
    let before = grids(&session);
    // Two grids sharing a side.
    let (first, second) = touching_grids(&before).expect("two touching grids");
    let touching = vec![before[first].code.clone(), before[second].code.clone()];
    let merged = merge_grids(&session, key, &touching).expect("they merge");
    session.execute(merged).expect("applied");
    let after = grids(&session);
    assert_eq!(after.len(), before.len() - 1);
    let codes: Vec<String> = after.iter().map(|grid| grid.code.clone()).collect();
    let expected: Vec<String> = (1..=after.len())
        .map(|number| format!("360102001001{number:03}"))
        .collect();
    assert_eq!(codes, expected, "renumbered in order");
    // Two grids of about 300 make one above the range, and the rule says so; nothing else.
    let found = grid_rule_violations(&session);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("outside 150–500"), "{found:?}");
    let households: u64 = CheckReport::of(&session)
        .grids
        .iter()
        .map(|grid| grid.households)
        .sum();
    assert_eq!(households, 1280);
    session.undo().expect("undoes");
    assert_eq!(grids(&session), before);
    // Errors name what is wrong.
    assert_eq!(
        merge_grids(&session, key, &[before[0].code.clone()]),
        Err(GridEditError::TooFew)
    );
    assert_eq!(
        merge_grids(&session, key, &[before[0].code.clone(), "X999".to_owned()]),
        Err(GridEditError::NoSuchGrid("X999".to_owned()))
    );
}

#[test]
fn grids_of_the_demo_are_single_pieces_where_blocks_divided_on_either_side_of_a_street_meet() {
    // 章江路社区's blocks are divided at nearly the same places on both sides of its streets;
    // their pieces once joined into grids of two or three parts touching at points.
    let mut session = support::demo();
    let key = session.plan().key_of("SQ0002").expect("章江路社区");
    let (command, _) = draw_grids(&session, &[key], 300);
    session.execute(command).expect("the grids are set");
    let grids = &session
        .plan()
        .community(key)
        .expect("there")
        .properties
        .grids;
    let parts: Vec<usize> = grids.iter().map(|grid| grid.boundary.0.len()).collect();
    assert!(parts.iter().all(|&count| count == 1), "{parts:?}");
}

/// The first community of the session, with its grids drawn at 300 households.
fn with_grids_drawn(session: &mut Session) -> shequ_core::ids::CommunityKey {
    let (command, _) = draw_grids(session, &[], 300);
    session.execute(command).expect("the grids are set");
    session
        .plan()
        .communities()
        .next()
        .map(|(key, _)| key)
        .expect("one")
}

fn grids_of(session: &Session, key: shequ_core::ids::CommunityKey) -> Vec<shequ_core::plan::Grid> {
    session
        .plan()
        .community(key)
        .expect("there")
        .properties
        .grids
        .clone()
}

/// For each building, the share of its footprint in each grid that holds some of it.
fn building_shares(session: &Session, grids: &[shequ_core::plan::Grid]) -> Vec<Vec<f64>> {
    session
        .layers()
        .buildings
        .iter()
        .map(|building| {
            let area = building.footprint.unsigned_area();
            grids
                .iter()
                .map(|grid| {
                    grid.boundary
                        .intersection(&building.footprint)
                        .unsigned_area()
                        / area
                })
                .filter(|share| *share > 1e-6)
                .collect()
        })
        .collect()
}

fn households_in_grids(session: &Session) -> u64 {
    CheckReport::of(session)
        .grids
        .iter()
        .map(|grid| grid.households)
        .sum()
}

#[test]
fn a_grid_split_along_a_line_through_houses_keeps_each_house_whole_and_counted_once() {
    use geo::{BoundingRect, LineString};
    use shequ_core::grids::{GridEditError, split_grid};
    let (_folder, mut session) = estate_of_houses(false);
    let key = with_grids_drawn(&mut session);
    let before = grids_of(&session, key);
    // A line across the first grid through its middle, crossing it from side to side; the
    // houses stand in rows 50 m apart, so a line through the middle cuts some of them.
    let grid = &before[0];
    let extent = grid.boundary.bounding_rect().expect("an extent");
    let middle = extent.center();
    let line = LineString::from(vec![
        (extent.min().x - 5.0, middle.y),
        (extent.max().x + 5.0, middle.y),
    ]);
    let cut_before: usize = session
        .layers()
        .buildings
        .iter()
        .filter(|building| {
            let [lower, upper] = building.envelope();
            lower.y < middle.y
                && middle.y < upper.y
                && grid.boundary.intersects(&building.footprint)
        })
        .count();
    let split = split_grid(&session, key, &grid.code, &line).expect("the grid splits");
    session.execute(split).expect("applied");
    let after = grids_of(&session, key);
    assert_eq!(after.len(), before.len() + 1);
    for (building, shares) in building_shares(&session, &after).iter().enumerate() {
        assert!(
            shares.len() == 1 && (shares[0] - 1.0).abs() < 1e-6,
            "building {building} lies in grids by shares {shares:?} (the line crossed {cut_before} houses)"
        );
    }
    assert_eq!(households_in_grids(&session), 1280);
    assert!(
        grid_rule_violations(&session)
            .iter()
            .all(|found| !found.contains("gap"))
    );
    let codes: Vec<String> = after.iter().map(|grid| grid.code.clone()).collect();
    let expected: Vec<String> = (1..=after.len())
        .map(|number| format!("360102001001{number:03}"))
        .collect();
    assert_eq!(codes, expected, "renumbered in order");
    session.undo().expect("undoes");
    assert_eq!(grids_of(&session, key), before);
    // A line that stays inside the grid does not split it.
    let short = LineString::from(vec![(middle.x - 1.0, middle.y), (middle.x + 1.0, middle.y)]);
    assert_eq!(
        split_grid(&session, key, &before[0].code, &short),
        Err(GridEditError::DoesNotCross(before[0].code.clone()))
    );
    // A locked community's grids are left as they are.
    let mut properties = session
        .plan()
        .community(key)
        .expect("there")
        .properties
        .clone();
    properties.locked = true;
    session
        .execute(Command::SetProperties {
            key,
            properties: Box::new(properties),
        })
        .expect("locked");
    assert_eq!(
        split_grid(&session, key, &before[0].code, &line),
        Err(GridEditError::Locked("360102001001社区".to_owned()))
    );
}

#[test]
fn moving_a_community_corner_carries_the_grids_along_its_edges_and_an_inner_corner_moves_only_grids()
 {
    use geo::Coord;
    let (_folder, mut session) = estate_of_houses(false);
    let key = with_grids_drawn(&mut session);
    let before = grids_of(&session, key);
    let has = |grid: &shequ_core::plan::Grid, point: Coord<f64>| {
        grid.boundary.iter().any(|polygon| {
            polygon
                .exterior()
                .coords()
                .any(|coord| (coord.x - point.x).abs() < 1e-3 && (coord.y - point.y).abs() < 1e-3)
        })
    };
    // The community's corner is a corner of one of its grids: both move.
    let boundary = boundary_of(&session, key);
    let corner = boundary.0[0].exterior().0[0];
    assert!(
        before.iter().any(|grid| has(grid, corner)),
        "a grid has the community's corner"
    );
    // Inwards, 7 m along each axis: the community's two edges from the corner swing in, and
    // the grid corners standing on them (where grid boundaries meet the community's edge) must
    // swing with them or the grids would stick out of the community.
    let centre = geo::Centroid::centroid(&boundary).expect("a centre");
    let moved = Coord {
        x: corner.x + 7.0 * (centre.x() - corner.x).signum(),
        y: corner.y + 7.0 * (centre.y() - corner.y).signum(),
    };
    session
        .execute(Command::MoveVertex {
            from: corner,
            to: moved,
        })
        .expect("moved");
    assert!(grids_of(&session, key).iter().any(|grid| has(grid, moved)));
    assert!(
        grid_rule_violations(&session).is_empty(),
        "{:?}",
        grid_rule_violations(&session)
    );
    session.undo().expect("undoes");
    // A corner inserted on the community's edge between the grid corners that divide it,
    // and dragged inwards: the grids along the edge follow it.
    let ring = &boundary.0[0].exterior().0;
    let (start, end) = (ring[0], ring[1]);
    // A little over a third along: not where a grid corner already stands.
    let at = start + (end - start) * 0.37;
    session
        .execute(Command::InsertVertex { start, end, at })
        .expect("inserted");
    let inwards = Coord {
        x: at.x
            + 5.0
                * (centre.x() - at.x).signum()
                * f64::from(u8::from((start.x - end.x).abs() < 1.0)),
        y: at.y
            + 5.0
                * (centre.y() - at.y).signum()
                * f64::from(u8::from((start.y - end.y).abs() < 1.0)),
    };
    session
        .execute(Command::MoveVertex {
            from: at,
            to: inwards,
        })
        .expect("moved");
    assert!(
        grid_rule_violations(&session).is_empty(),
        "{:?}",
        grid_rule_violations(&session)
    );
    session.undo().expect("undoes the move");
    session.undo().expect("undoes the insertion");
    assert_eq!(grids_of(&session, key), before);
    // A corner two grids share inside the community: the grids move, the community does not.
    let on_boundary = |point: Coord<f64>| {
        use geo::{Distance, Euclidean};
        Euclidean.distance(&geo::Point(point), &boundary.0[0].exterior().clone()) < 1e-3
    };
    let inner = before
        .iter()
        .flat_map(|grid| grid.boundary.0[0].exterior().coords().copied())
        .find(|&point| {
            !on_boundary(point) && before.iter().filter(|grid| has(grid, point)).count() >= 2
        })
        .expect("a corner two grids share inside the community");
    let nudged = Coord {
        x: inner.x + 3.0,
        y: inner.y + 2.0,
    };
    session
        .execute(Command::MoveVertex {
            from: inner,
            to: nudged,
        })
        .expect("moved");
    let after = grids_of(&session, key);
    assert!(after.iter().filter(|grid| has(grid, nudged)).count() >= 2);
    assert!(!after.iter().any(|grid| has(grid, inner)));
    assert_eq!(
        session.plan().community(key).expect("there").boundary,
        boundary
    );
    session.undo().expect("undoes");
    assert_eq!(grids_of(&session, key), before);
}

#[test]
fn street_blocks_brushed_into_a_grid_leave_the_others_and_an_emptied_grid_goes() {
    use geo::{Centroid, Contains};
    use shequ_core::grids::give_blocks_to_grid;
    let (_folder, mut session) = estate_of_houses(false);
    let key = with_grids_drawn(&mut session);
    let before = grids_of(&session, key);
    session.blocks();
    let blocks = session.derived_blocks().expect("derived").polygons.clone();
    assert_eq!(blocks.len(), 2, "the street divides the ground in two");
    // A western grid along the street takes the eastern block: the eastern grids are emptied
    // and go. A western grid away from the street cannot: it would be in two pieces.
    let centre = |grid: &shequ_core::plan::Grid| grid.boundary.centroid().expect("a centre");
    let east_block = (0..blocks.len())
        .max_by(|&first, &second| {
            let x = |block: usize| blocks[block].centroid().expect("a centre").x();
            x(first).total_cmp(&x(second))
        })
        .expect("a block");
    let east = MultiPolygon::new(vec![blocks[east_block].clone()]);
    let (eastern, western): (Vec<_>, Vec<_>) = before
        .iter()
        .partition(|grid| blocks[east_block].contains(&centre(grid)));
    let eastern_grids = eastern.len();
    let touches = |grid: &shequ_core::plan::Grid| grid.boundary.union(&east).0.len() == 1;
    let west = *western
        .iter()
        .find(|grid| touches(grid))
        .expect("a western grid on the street");
    if let Some(away) = western.iter().find(|grid| !touches(grid)) {
        assert_eq!(
            give_blocks_to_grid(&session, key, &away.code, &[east_block]),
            Err(shequ_core::grids::GridEditError::NotTouching(
                away.code.clone()
            ))
        );
    }
    let command =
        give_blocks_to_grid(&session, key, &west.code, &[east_block]).expect("the block is given");
    session.execute(command).expect("applied");
    let after = grids_of(&session, key);
    // The eastern grids are emptied of homes; one of them keeps the strip at the community's
    // east edge beyond the data's extent, which no block covers.
    assert!(after.len() < before.len() && after.len() >= before.len() - eastern_grids);
    let grown = after
        .iter()
        .find(|grid| grid.boundary.contains(&centre(west)))
        .expect("the grid that took the block");
    let east_houses: Vec<_> = session
        .layers()
        .buildings
        .iter()
        .filter(|building| blocks[east_block].contains(&building.footprint))
        .collect();
    assert_eq!(east_houses.len(), 16);
    // Wholly inside, to the overlay's precision (a house on the edge of the data's extent
    // shares its side with the block).
    assert!(east_houses.iter().all(|house| {
        let area = house.footprint.unsigned_area();
        (grown
            .boundary
            .intersection(&house.footprint)
            .unsigned_area()
            - area)
            .abs()
            < 1e-6 * area
    }));
    assert_eq!(households_in_grids(&session), 1280);
    for shares in building_shares(&session, &after) {
        assert!(
            shares.len() == 1 && (shares[0] - 1.0).abs() < 1e-6,
            "{shares:?}"
        );
    }
    let overlaps: Vec<String> = grid_rule_violations(&session)
        .into_iter()
        .filter(|found| found.contains("overlap") || found.contains("gap"))
        .collect();
    assert!(overlaps.is_empty(), "{overlaps:?}");
    session.undo().expect("undoes");
    assert_eq!(grids_of(&session, key), before);
}

#[test]
fn a_community_split_gives_each_piece_its_part_of_the_grids_and_a_merge_gives_the_survivor_all() {
    use geo::LineString;
    let (_folder, mut session) = estate_of_houses(false);
    let key = with_grids_drawn(&mut session);
    let before = grids_of(&session, key);
    let extent = extent_of(&session, key);
    // Along the street down the middle, which no house stands on.
    let middle = extent.center().x;
    let line = LineString::from(vec![
        (middle, extent.min().y - 10.0),
        (middle, extent.max().y + 10.0),
    ]);
    session
        .execute(Command::Split { key, line })
        .expect("the community splits");
    let pieces: Vec<(String, Vec<shequ_core::plan::Grid>)> = session
        .plan()
        .communities()
        .map(|(_, community)| (community.id.clone(), community.properties.grids.clone()))
        .collect();
    assert_eq!(pieces.len(), 2);
    for (id, grids) in &pieces {
        assert!(!grids.is_empty(), "{id} has grids");
        let codes: Vec<String> = grids.iter().map(|grid| grid.code.clone()).collect();
        let expected: Vec<String> = (1..=grids.len())
            .map(|number| format!("{id}{number:03}"))
            .collect();
        assert_eq!(codes, expected);
    }
    assert_eq!(pieces[1].0, "360102001001-2");
    // Every home in one grid of its own community, none outside: no grid rule to break.
    assert_eq!(households_in_grids(&session), 1280);
    let found: Vec<String> = grid_rule_violations(&session)
        .into_iter()
        .filter(|found| !found.contains("outside 150–500"))
        .collect();
    assert!(found.is_empty(), "{found:?}");
    // Merged back, the survivor takes both pieces' grids, renumbered after its id.
    let second = session
        .plan()
        .key_of("360102001001-2")
        .expect("the new piece");
    session
        .execute(Command::Merge {
            keys: vec![key, second],
            allow_several_parts: false,
        })
        .expect("they merge");
    let merged = grids_of(&session, key);
    let total: usize = pieces.iter().map(|(_, grids)| grids.len()).sum();
    assert_eq!(merged.len(), total);
    assert!(
        merged
            .iter()
            .all(|grid| grid.code.starts_with("360102001001"))
    );
    assert!(
        merged
            .iter()
            .all(|grid| grid.code.len() == "360102001001".len() + 3)
    );
    assert_eq!(households_in_grids(&session), 1280);
    session.undo().expect("undoes the merge");
    session.undo().expect("undoes the split");
    assert_eq!(session.plan().len(), 1);
    assert_eq!(grids_of(&session, key), before);
}

#[test]
fn a_grid_left_too_small_is_offered_a_merge_with_a_touching_grid_and_a_redrawing() {
    use geo::{BoundingRect, LineString};
    use shequ_core::fixes::fixes_for;
    use shequ_core::grids::split_grid;
    let (_folder, mut session) = estate_of_houses(false);
    let key = with_grids_drawn(&mut session);
    let grid = grids_of(&session, key)[0].clone();
    // A line across the grid 50 m above its southern edge, between two rows of houses: one
    // row on the south side, below the range.
    let extent = grid.boundary.bounding_rect().expect("an extent");
    let y = extent.min().y + 50.0;
    let line = LineString::from(vec![(extent.min().x - 5.0, y), (extent.max().x + 5.0, y)]);
    let split = split_grid(&session, key, &grid.code, &line).expect("splits");
    session.execute(split).expect("applied");
    let too_small: Vec<_> = session
        .rules()
        .iter()
        .filter(|violation| violation.rule == "grid.households")
        .cloned()
        .collect();
    assert_eq!(too_small.len(), 1, "{too_small:?}");
    let violation = &too_small[0];
    assert_eq!(
        violation.areas.len(),
        1,
        "the grid is named: {:?}",
        violation.areas
    );
    let fixes = fixes_for(&session, &violation.key()).expect("fixes");
    assert!(
        fixes[0].description_en.starts_with("merge grid"),
        "{:?}",
        fixes[0].description_en
    );
    assert!(
        fixes
            .iter()
            .any(|fix| fix.description_en.starts_with("draw the grids"))
    );
    for fix in &fixes {
        assert_eq!(fix.outcome.added_errors, 0, "{}", fix.description_en);
        assert!(
            fix.outcome.removed.contains(&violation.key()),
            "{}",
            fix.description_en
        );
    }
    let depth = session.history().undo_depth();
    session
        .execute(fixes[0].command.clone())
        .expect("the merge applies");
    assert!(
        grid_rule_violations(&session).is_empty(),
        "{:?}",
        grid_rule_violations(&session)
    );
    assert_eq!(households_in_grids(&session), 1280);
    session.undo().expect("undoes");
    assert_eq!(session.history().undo_depth(), depth);
    assert_eq!(grid_rule_violations(&session).len(), 1);
}

#[test]
fn while_grids_are_edited_a_point_snaps_to_a_grid_corner_near_it() {
    use geo::Coord;
    use shequ_core::ops::snap::{SnapKind, SnapTargets, snap};
    let (_folder, mut session) = estate_of_houses(false);
    let key = with_grids_drawn(&mut session);
    let boundary = boundary_of(&session, key);
    let on_boundary = |point: Coord<f64>| {
        use geo::{Distance, Euclidean};
        Euclidean.distance(&geo::Point(point), &boundary.0[0].exterior().clone()) < 1.0
    };
    let corner = grids_of(&session, key)
        .iter()
        .flat_map(|grid| grid.boundary.0[0].exterior().0.clone())
        .find(|&point| !on_boundary(point))
        .expect("a grid corner inside the community");
    let near = Coord {
        x: corner.x + 0.6,
        y: corner.y - 0.4,
    };
    let targets = |grids: bool| SnapTargets {
        plan: session.plan(),
        community_index: session.community_index(),
        street_index: session.street_index(),
        blocks: None,
        grids,
    };
    let snapped = snap(near, 2.0, &targets(true)).expect("snaps");
    assert_eq!(
        (snapped.kind, snapped.point),
        (SnapKind::GridVertex, corner)
    );
    let without = snap(near, 2.0, &targets(false));
    assert!(without.is_none_or(|found| found.kind != SnapKind::GridVertex));
}

/// Two communities of 640 households side by side, west (0–200 m) and east (200–400 m), on a
/// street grid (x = 200 between them, y = 100 across both), houses of 40 households in rows,
/// their grids drawn.
fn two_communities_with_grids_on_a_street_grid() -> (tempfile::TempDir, Session) {
    let mut world = World::new()
        .street((200.0, -20.0), (200.0, 220.0))
        .street((-20.0, 100.0), (420.0, 100.0));
    for column in 0..8 {
        for row in 0..4 {
            let x = 25.0 + 50.0 * f64::from(column);
            let y = 25.0 + 50.0 * f64::from(row);
            world = world.house(&format!("H{column}{row}"), x, y, 40);
        }
    }
    let (folder, mut session) = world
        .community("360102001001", "geographic", (0.0, 0.0, 200.0, 200.0))
        .community("360102001002", "geographic", (200.0, 0.0, 400.0, 200.0))
        .open();
    let (command, _) = draw_grids(&session, &[], 300);
    session.execute(command).expect("the grids are set");
    (folder, session)
}

/// Community `key`'s boundary, in the session's metres.
fn boundary_of(session: &Session, key: shequ_core::ids::CommunityKey) -> MultiPolygon<f64> {
    let community = session.plan().community(key).expect("there");
    community.boundary.clone()
}

/// The extent of community `key`'s boundary, in the session's metres.
fn extent_of(session: &Session, key: shequ_core::ids::CommunityKey) -> geo::Rect<f64> {
    geo::BoundingRect::bounding_rect(&boundary_of(session, key)).expect("an extent")
}

/// Every house lies wholly in one grid of the community that counts it, and no grid rule finds
/// a grid outside its community, overlapping another or leaving ground uncovered.
fn assert_grids_fit_their_communities(session: &Session) {
    use geo::Contains;
    for (key, community) in session.plan().communities() {
        let grids = &community.properties.grids;
        for shares in building_shares(session, grids)
            .into_iter()
            .zip(&session.layers().buildings)
            .filter(|(_, house)| {
                community
                    .boundary
                    .contains(&geo::Point(house.representative_point))
            })
            .map(|(shares, _)| shares)
        {
            assert!(
                shares.len() == 1 && (shares[0] - 1.0).abs() < 1e-6,
                "{key:?}: {shares:?}"
            );
        }
    }
    let misfits: Vec<&str> = (session.rules().iter())
        .map(|violation| violation.rule)
        .filter(|rule| ["grid.outside_community", "grid.overlap", "grid.gaps"].contains(rule))
        .collect();
    assert!(misfits.is_empty(), "{misfits:?}");
}

#[test]
fn a_block_given_to_a_neighbouring_community_leaves_its_grids_and_joins_the_grid_it_borders() {
    use geo::Contains;
    let (_folder, mut session) = two_communities_with_grids_on_a_street_grid();
    let west = session.plan().key_of("360102001001").expect("west");
    let east = session.plan().key_of("360102001002").expect("east");
    let (west_before, east_before) = (grids_of(&session, west), grids_of(&session, east));
    assert!(west_before.len() >= 2 && east_before.len() >= 2);
    assert_grids_fit_their_communities(&session);
    // The middle of the east's northern half, in the session's metres.
    let east_extent = extent_of(&session, east);
    let north_east_point = geo::Point::new(
        east_extent.center().x,
        east_extent.min().y + 0.75 * east_extent.height(),
    );
    session.blocks();
    let blocks = session.derived_blocks().expect("derived").polygons.clone();
    let north_east = blocks
        .iter()
        .position(|block| block.contains(&north_east_point))
        .expect("the north-eastern block");
    session
        .execute(Command::AssignBlocks {
            blocks: vec![north_east],
            to: west,
        })
        .expect("the block is given");
    let (west_after, east_after) = (grids_of(&session, west), grids_of(&session, east));
    // The west keeps as many grids, one of them grown by the block; the east keeps only what
    // lies south of the cross street.
    assert_eq!(west_after.len(), west_before.len());
    let grown = west_after
        .iter()
        .find(|grid| grid.boundary.contains(&north_east_point))
        .expect("a western grid holds the block");
    // It is a grid the west had, with the block added to it.
    let was = west_before
        .iter()
        .find(|grid| grid.code == grown.code)
        .expect("the same code as before");
    assert!(grown.boundary.contains(&was.boundary));
    let block_area = blocks[north_east].unsigned_area();
    let added = grown.boundary.unsigned_area() - was.boundary.unsigned_area();
    assert!(
        (added - block_area).abs() < 1.0,
        "{added} m² added, the block is {block_area}"
    );
    let cross_street = east_extent.center().y;
    assert!(east_after.iter().all(|grid| {
        geo::BoundingRect::bounding_rect(&grid.boundary)
            .is_some_and(|extent| extent.max().y < cross_street + 0.5)
    }));
    assert_grids_fit_their_communities(&session);
    assert_eq!(households_in_grids(&session), 1280);
    session.undo().expect("undoes");
    assert_eq!(grids_of(&session, west), west_before);
    assert_eq!(grids_of(&session, east), east_before);
}

#[test]
fn a_fix_that_moves_a_boundary_carries_the_grids_with_it() {
    use shequ_core::fixes::fixes_for;
    let (_folder, mut session) = two_communities_with_grids_on_a_street_grid();
    let west = session.plan().key_of("360102001001").expect("west");
    // The west reaches 30 m into the east: an overlap, whose fix gives the shared ground to
    // one side and takes it from the other.
    let extent = extent_of(&session, west);
    let reaching = geo::Rect::new(
        extent.min(),
        geo::Coord {
            x: extent.max().x + 30.0,
            y: extent.max().y,
        },
    );
    session
        .execute(Command::Reshape {
            key: west,
            boundary: MultiPolygon::new(vec![reaching.to_polygon()]),
        })
        .expect("reshaped");
    let overlap = session
        .rules()
        .iter()
        .find(|violation| violation.rule == "plan.overlap")
        .cloned()
        .expect("an overlap");
    let fixes = fixes_for(&session, &overlap.key()).expect("fixes");
    let fix = fixes.first().expect("a fix for the overlap");
    session
        .execute(fix.command.clone())
        .expect("the fix applies");

    assert!(
        !session
            .rules()
            .iter()
            .any(|violation| violation.rule == "plan.overlap")
    );
    assert_grids_fit_their_communities(&session);
    assert_eq!(households_in_grids(&session), 1280);
}

#[test]
fn with_codes_kept_a_split_grid_keeps_its_code_in_its_larger_piece_and_new_grids_follow_the_highest()
 {
    use geo::{BoundingRect, LineString};
    use shequ_core::grids::{merge_grids, split_grid};
    let (_folder, mut session) = estate_world(false)
        .setting(
            "profile",
            serde_json::json!({"overrides": {"grids": {"codes_after_edits": "kept"}}}),
        )
        .open();
    let key = with_grids_drawn(&mut session);
    let codes = |session: &Session| -> Vec<String> {
        grids_of(session, key)
            .into_iter()
            .map(|grid| grid.code)
            .collect()
    };
    let code = |number: u32| format!("360102001001{number:03}");
    let before = grids_of(&session, key);
    assert_eq!(codes(&session), (1..=4).map(code).collect::<Vec<_>>());
    // Grid 001 cut a quarter of the way down: its larger, southern piece keeps 001 and the
    // northern piece is 005, though it lies north-west of them all.
    let extent = before[0].boundary.bounding_rect().expect("an extent");
    let y = extent.max().y - extent.height() / 4.0;
    let line = LineString::from(vec![(extent.min().x - 5.0, y), (extent.max().x + 5.0, y)]);
    let split = split_grid(&session, key, &code(1), &line).expect("the grid splits");
    session.execute(split).expect("applied");
    assert_eq!(codes(&session), (1..=5).map(code).collect::<Vec<_>>());
    let grids = grids_of(&session, key);
    let centre_y = |grid: &shequ_core::plan::Grid| {
        geo::Centroid::centroid(&grid.boundary)
            .expect("a centre")
            .y()
    };
    assert!(centre_y(&grids[4]) > centre_y(&grids[0]));
    assert!(grids[0].boundary.unsigned_area() > grids[4].boundary.unsigned_area());
    // Two touching grids below 005 merge: the merged grid takes the lower code, the higher one
    // goes, and a grid split off later is 006, not the code that went.
    let (first, second) = touching_grids(&grids[..4]).expect("two touching grids");
    let pair = [grids[second].code.clone(), grids[first].code.clone()];
    let merged = merge_grids(&session, key, &pair).expect("they merge");
    session.execute(merged).expect("applied");
    let mut left: Vec<String> = (1..=5).map(code).filter(|code| *code != pair[0]).collect();
    assert_eq!(codes(&session), left);
    let grid = grids_of(&session, key)
        .into_iter()
        .next()
        .expect("grid 001");
    let extent = grid.boundary.bounding_rect().expect("an extent");
    let x = extent.center().x;
    let across = LineString::from(vec![(x, extent.min().y - 5.0), (x, extent.max().y + 5.0)]);
    let split = split_grid(&session, key, &code(1), &across).expect("the grid splits");
    session.execute(split).expect("applied");
    left.push(code(6));
    assert_eq!(codes(&session), left);
    assert_eq!(households_in_grids(&session), 1280);
    for _ in 0..3 {
        session.undo().expect("undoes");
    }
    assert_eq!(grids_of(&session, key), before);
}

#[test]
fn the_grid_codes_rule_set_on_a_plan_is_saved_in_its_profile_overrides() {
    use shequ_core::profile::GridCodes;
    let (folder, mut session) = estate_of_houses(false);
    assert_eq!(
        session.profile().grids.codes_after_edits,
        GridCodes::ReadingOrder
    );
    session.set_grid_codes(GridCodes::Kept);
    assert!(session.is_dirty());
    let path = folder.path().join("kept.shequ.geojson");
    session.save_as(&path).expect("saves");
    assert!(!session.is_dirty());
    let reopened = Session::open(&path).expect("opens");
    assert_eq!(reopened.profile().grids.codes_after_edits, GridCodes::Kept);
}
