//! Search over the demo plan: communities by name, id and pinyin initials, street offices, named
//! streets, building ids and coordinates, best match first.

use std::path::Path;

use geo::Contains;
use shequ_core::Session;
use shequ_core::search::{Closeness, Found};

fn demo() -> Session {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sample_data/nanchang-demo/plan.shequ.geojson");
    Session::open(&plan).expect("demo opens")
}

#[test]
fn pinyin_initials_find_a_community_by_its_chinese_name() {
    let session = demo();
    let hits = session.search("zjl");
    let first = hits.first().expect("found");
    assert_eq!(first.title, "章江路社区");
    assert_eq!(first.closeness, Closeness::Pinyin);
    assert!(matches!(first.found, Found::Community(_)), "{first:?}");
}

#[test]
fn a_community_is_found_by_its_id_and_the_whole_name_comes_before_a_part() {
    let session = demo();
    let by_id = session.search("sq0041");
    let key = session.plan().key_of("SQ0041").expect("exists");
    assert_eq!(
        by_id.first().map(|hit| &hit.found),
        Some(&Found::Community(key))
    );
    let name = &session
        .plan()
        .community(key)
        .expect("exists")
        .properties
        .name;
    let by_name = session.search(name);
    assert_eq!(by_name[0].closeness, Closeness::Exact);
    assert_eq!(by_name[0].found, Found::Community(key));
}

#[test]
fn a_street_office_is_found_with_all_its_communities() {
    let session = demo();
    let hits = session.search("滕王阁");
    let (name, communities) = hits
        .iter()
        .find_map(|hit| match &hit.found {
            Found::StreetOffice { name, communities } => Some((name, communities)),
            _ => None,
        })
        .expect("the street office");
    let expected = session
        .plan()
        .communities()
        .filter(|(_, community)| community.properties.street_office.as_deref() == Some(name))
        .count();
    assert_eq!(communities.len(), expected);
    assert!(expected > 1);
}

#[test]
fn a_street_name_is_found_once_with_every_street_that_bears_it() {
    let session = demo();
    let hits = session.search("纬1路");
    let first = hits.first().expect("found");
    assert_eq!(first.closeness, Closeness::Exact);
    let Found::Street { name, streets } = &first.found else {
        panic!("a street: {first:?}");
    };
    assert_eq!(name, "纬1路");
    let bearing = session
        .layers()
        .streets
        .iter()
        .filter(|street| street.name.as_deref() == Some("纬1路"))
        .count();
    assert_eq!(streets.len(), bearing);
    // "w1l" is 纬1路's initials and no other street's.
    let by_initials: Vec<_> = session
        .search("w1l")
        .into_iter()
        .filter(|hit| matches!(hit.found, Found::Street { .. }))
        .map(|hit| hit.title)
        .collect();
    assert_eq!(by_initials, ["纬1路"]);
}

#[test]
fn a_building_is_found_by_its_id_whatever_the_case() {
    let session = demo();
    let hits = session.search("b0001517");
    let first = hits.first().expect("found");
    let Found::Building(index) = first.found else {
        panic!("a building: {first:?}");
    };
    assert_eq!(
        &*session.layers().buildings[index as usize].source_id,
        "B0001517"
    );
    assert_eq!(first.closeness, Closeness::Exact);
}

#[test]
fn a_coordinate_inside_a_community_is_a_place_in_it() {
    let session = demo();
    let key = session.plan().key_of("SQ0041").expect("exists");
    let community = session.plan().community(key).expect("exists");
    let inside = geo::InteriorPoint::interior_point(&community.boundary)
        .expect("has an inside")
        .0;
    let (longitude, latitude) = session.projection().to_lon_lat(inside);
    for typed in [
        format!("{longitude:.7}, {latitude:.7}"),
        format!("{latitude:.7} {longitude:.7}"),
    ] {
        let hits = session.search(&typed);
        let [hit] = &hits[..] else {
            panic!("one place for {typed}: {hits:?}");
        };
        let Found::Place(point) = hit.found else {
            panic!("a place: {hit:?}");
        };
        assert!(community.boundary.contains(&point), "{typed}");
    }
}

#[test]
fn nothing_is_found_for_an_empty_query_or_a_name_that_is_not_there() {
    let session = demo();
    assert!(session.search("   ").is_empty());
    assert!(session.search("没有这个地方").is_empty());
}

#[test]
fn a_grid_is_found_by_its_code_once_the_query_reaches_past_its_community_id() {
    let mut session = demo();
    let key = session.plan().key_of("SQ0002").expect("章江路社区");
    let target = session.profile().grids.target_households;
    let (command, _) = shequ_core::grids::draw_grids(&session, &[key], target);
    session.execute(command).expect("grids drawn");
    let hits = session.search("SQ0002003");
    assert_eq!(
        hits.first().map(|hit| &hit.found),
        Some(&Found::Grid {
            community: key,
            code: "SQ0002003".to_owned()
        })
    );
    assert_eq!(hits[0].closeness, Closeness::Exact);
    // The community's id alone finds the community, not a list of its grids.
    let by_id = session.search("sq0002");
    assert!(
        by_id
            .iter()
            .all(|hit| !matches!(hit.found, Found::Grid { .. })),
        "{by_id:?}"
    );
    // Its first digits list the grids they begin.
    assert!(session.search("SQ00020").len() >= 2);
}
