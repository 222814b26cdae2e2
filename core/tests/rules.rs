//! Every rule on both sides of each threshold, on small hand-made GeoJSON worlds, plus the
//! profile's figures against the regulation digest, accepted exceptions and the baseline.

mod support;

use serde_json::json;
use shequ_core::Session;
use shequ_core::profile::RuleProfile;
use shequ_core::violation::Severity;
use support::{World, found, rectangle, ring};

/// A world of one 100 m square community per entry, side by side, each with one building of the
/// given households, with streets all round.
fn communities_with_households(
    entries: &[(&str, &str, u64, serde_json::Value)],
) -> (tempfile::TempDir, Session) {
    let mut world = World::new();
    for (index, (id, kind, households, flags)) in entries.iter().enumerate() {
        let x0 = index as f64 * 200.0;
        world = world.house(&format!("b{id}"), x0 + 50.0, 50.0, *households);
        let mut properties = json!({"id": id, "name": format!("{id}社区"), "type": kind});
        if let (Some(target), Some(source)) = (properties.as_object_mut(), flags.as_object()) {
            target.extend(source.clone());
        }
        world = world.community_with(properties, rectangle(x0, 0.0, x0 + 100.0, 100.0));
    }
    world.open()
}

fn ids_of(found: &[(String, Vec<String>)]) -> Vec<String> {
    found.iter().flat_map(|(_, ids)| ids.clone()).collect()
}

#[test]
fn community_households_flags_only_communities_outside_their_band() {
    let (_folder, session) = communities_with_households(&[
        ("at_minimum", "geographic", 1000, json!({})),
        ("below_minimum", "geographic", 999, json!({})),
        ("at_maximum", "residential_estate", 2000, json!({})),
        ("above_maximum", "geographic", 2001, json!({})),
        ("work_unit_at_minimum", "work_unit", 1000, json!({})),
        ("work_unit_below", "单位型", 999, json!({})),
        ("work_unit_large", "work_unit", 5000, json!({})),
        (
            "new_estate_at_warning",
            "residential_estate",
            3000,
            json!({"new_estate": true}),
        ),
        (
            "new_estate_above_warning",
            "residential_estate",
            3001,
            json!({"new_estate": true}),
        ),
        (
            "new_estate_small",
            "residential_estate",
            999,
            json!({"new_estate": true}),
        ),
    ]);
    let found = found(&session, "community.households");
    let errors: Vec<&str> = found
        .iter()
        .filter(|(severity, _)| severity == "error")
        .map(|(_, ids)| ids[0].as_str())
        .collect();
    let warnings: Vec<&str> = found
        .iter()
        .filter(|(severity, _)| severity == "warning")
        .map(|(_, ids)| ids[0].as_str())
        .collect();
    assert_eq!(
        errors,
        vec![
            "below_minimum",
            "above_maximum",
            "work_unit_below",
            "new_estate_small"
        ]
    );
    assert_eq!(warnings, vec!["new_estate_above_warning"]);
}

#[test]
fn the_household_message_gives_the_figures_and_the_clause_in_both_languages() {
    let (_folder, session) = communities_with_households(&[("dh", "geographic", 2340, json!({}))]);
    let violation = session
        .rules()
        .iter()
        .find(|violation| violation.rule == "community.households")
        .expect("flagged");
    assert_eq!(
        violation.message_zh,
        "dh社区: 2,340 户, 超过 2,000 户上限 (第6条)"
    );
    assert_eq!(
        violation.message_en,
        "dh社区: 2,340 households, above the maximum of 2,000 (clause 6)"
    );
    assert_eq!((violation.clause, violation.severity), (6, Severity::Error));
}

#[test]
fn community_empty_flags_a_community_with_no_households_only() {
    let (_folder, session) = communities_with_households(&[
        ("none", "geographic", 0, json!({})),
        ("one", "geographic", 1, json!({})),
    ]);
    assert_eq!(ids_of(&found(&session, "community.empty")), vec!["none"]);
    assert!(!ids_of(&found(&session, "community.households")).contains(&"none".to_owned()));
}

/// One community per street office, each with one building of the given residents.
fn offices_with_residents(residents: &[(&str, u64)]) -> (tempfile::TempDir, Session) {
    let mut world = World::new();
    for (index, (office, count)) in residents.iter().enumerate() {
        let x0 = index as f64 * 200.0;
        world = world
            .building(
                &format!("b{index}"),
                (x0 + 40.0, 40.0, x0 + 60.0, 60.0),
                1500,
                json!({"residents": count}),
            )
            .community_with(
                json!({"id": format!("c{index}"), "type": "geographic", "street_office": office}),
                rectangle(x0, 0.0, x0 + 100.0, 100.0),
            );
    }
    world.open()
}

#[test]
fn street_office_residents_warn_outside_40000_to_60000_and_merge_below_30000() {
    let (_folder, session) = offices_with_residents(&[
        ("at_minimum", 40_000),
        ("below_minimum", 39_999),
        ("at_maximum", 60_000),
        ("above_maximum", 60_001),
        ("at_merge_line", 30_000),
        ("below_merge_line", 29_999),
    ]);
    let mut flagged = ids_of(&found(&session, "street_office.residents"));
    flagged.sort();
    assert_eq!(
        flagged,
        vec!["above_maximum", "at_merge_line", "below_minimum"]
    );
    let merge = found(&session, "street_office.merge_candidate");
    assert_eq!(
        merge,
        vec![("error".to_owned(), vec!["below_merge_line".to_owned()])]
    );
}

#[test]
fn district_targets_are_met_within_the_tolerance_and_warned_outside() {
    // 湾里区: exactly 2 street offices, about 10 communities (9 – 11 with ±10 %).
    let build = |communities: usize, offices: usize| {
        let mut world = World::new();
        for index in 0..communities {
            let x0 = index as f64 * 200.0;
            world = world.house(&format!("b{index}"), x0 + 50.0, 50.0, 1500).community_with(
                json!({"id": format!("c{index}"), "type": "geographic", "district": "湾里区", "street_office": format!("街道{}", index % offices)}),
                rectangle(x0, 0.0, x0 + 100.0, 100.0),
            );
        }
        world.open()
    };
    let (_a, within) = build(9, 2);
    assert!(found(&within, "district.communities").is_empty());
    assert!(found(&within, "district.street_offices").is_empty());
    let (_b, too_few) = build(8, 3);
    assert_eq!(
        ids_of(&found(&too_few, "district.communities")),
        vec!["湾里区"]
    );
    assert_eq!(
        ids_of(&found(&too_few, "district.street_offices")),
        vec!["湾里区"]
    );
    let (_c, too_many) = build(12, 2);
    assert_eq!(
        ids_of(&found(&too_many, "district.communities")),
        vec!["湾里区"]
    );
}

#[test]
fn city_totals_are_checked_when_the_plan_covers_every_target_district() {
    let overrides = |communities_about: u64| {
        json!({"overrides": {"targets": {
            "districts": [{"name": "湾里区", "communities_about": 2}],
            "city_street_offices_about": 1, "city_communities_about": communities_about,
            "city_pure_residential_about": 2, "city_work_unit_about": 0}}})
    };
    let build = |communities_about: u64| {
        World::new()
            .house("b0", 50.0, 50.0, 1500)
            .house("b1", 250.0, 50.0, 1500)
            .community_with(json!({"id": "c0", "type": "geographic", "district": "湾里区", "street_office": "s"}), rectangle(0.0, 0.0, 100.0, 100.0))
            .community_with(json!({"id": "c1", "type": "geographic", "district": "湾里区", "street_office": "s"}), rectangle(200.0, 0.0, 300.0, 100.0))
            .setting("profile", overrides(communities_about))
            .open()
    };
    let (_a, met) = build(2);
    assert!(
        found(&met, "city.totals").is_empty(),
        "{:?}",
        found(&met, "city.totals")
    );
    let (_b, missed) = build(3);
    assert_eq!(
        ids_of(&found(&missed, "city.totals")),
        vec!["city:communities"]
    );
}

#[test]
fn overlaps_above_the_tolerance_are_errors_and_slivers_below_it_are_not() {
    let (_a, overlapping) = World::new()
        .house("b0", 50.0, 50.0, 1500)
        .house("b1", 150.0, 50.0, 1500)
        .community("a", "geographic", (0.0, 0.0, 100.5, 100.0))
        .community("b", "geographic", (100.0, 0.0, 200.0, 100.0))
        .open();
    assert_eq!(
        found(&overlapping, "plan.overlap"),
        vec![("error".to_owned(), vec!["a".to_owned(), "b".to_owned()])]
    );
    let (_b, sliver) = World::new()
        .house("b0", 50.0, 50.0, 1500)
        .house("b1", 150.0, 50.0, 1500)
        .community("a", "geographic", (0.0, 0.0, 100.004, 100.0))
        .community("b", "geographic", (100.0, 0.0, 200.0, 100.0))
        .open();
    assert!(found(&sliver, "plan.overlap").is_empty());
}

#[test]
fn uncovered_residential_buildings_form_clusters_with_their_households() {
    let (_folder, session) = World::new()
        .house("inside", 50.0, 50.0, 1500)
        .house("out1", 300.0, 50.0, 20)
        .house("out2", 330.0, 50.0, 30)
        .house("far", 2000.0, 50.0, 7)
        .building(
            "shop",
            (500.0, 0.0, 510.0, 10.0),
            0,
            json!({"building": "commercial", "households": null}),
        )
        .community("a", "geographic", (0.0, 0.0, 100.0, 100.0))
        .open();
    let clusters: Vec<&shequ_core::violation::Violation> = session
        .rules()
        .iter()
        .filter(|violation| violation.rule == "plan.uncovered")
        .collect();
    assert_eq!(clusters.len(), 2);
    assert_eq!(clusters[0].buildings, vec!["out1", "out2"]);
    assert_eq!(clusters[0].figures["households"], 50);
    assert_eq!(clusters[1].buildings, vec!["far"]);
    assert_eq!(session.tallies().unassigned().households, 57);
}

#[test]
fn a_boundary_cutting_a_building_warns_and_an_estate_cut_in_an_estate_community_is_an_error() {
    let (_folder, session) = World::new()
        .building("halved", (90.0, 40.0, 110.0, 60.0), 10, json!({}))
        .building("grazed", (60.0, 40.0, 100.04, 60.0), 10, json!({}))
        .building(
            "estate_halved",
            (290.0, 40.0, 310.0, 60.0),
            10,
            json!({"estate": "青山小区"}),
        )
        .house("b0", 30.0, 20.0, 1200)
        .house("b1", 230.0, 20.0, 1200)
        .community("geo", "geographic", (0.0, 0.0, 100.0, 100.0))
        .community("estate", "residential_estate", (200.0, 0.0, 300.0, 100.0))
        .open();
    let cuts: Vec<&shequ_core::violation::Violation> = session
        .rules()
        .iter()
        .filter(|violation| violation.rule == "community.cuts_building")
        .collect();
    assert_eq!(cuts.len(), 2, "{cuts:#?}");
    assert_eq!(
        (cuts[0].severity, cuts[0].buildings.clone()),
        (Severity::Warning, vec!["halved".to_owned()])
    );
    assert_eq!(
        (cuts[1].severity, cuts[1].buildings.clone()),
        (Severity::Error, vec!["estate_halved".to_owned()])
    );
}

#[test]
fn a_geographic_community_must_mostly_follow_streets_within_the_distance() {
    let square = |world: World| {
        world
            .house("b", 50.0, 50.0, 1500)
            .community("g", "geographic", (0.0, 0.0, 100.0, 100.0))
    };
    let all_round = square(World::new())
        .street((-10.0, 0.0), (110.0, 0.0))
        .street((-10.0, 100.0), (110.0, 100.0))
        .street((0.0, -10.0), (0.0, 110.0))
        .street((100.0, -10.0), (100.0, 110.0));
    let (_a, follows) = all_round.open();
    assert!(found(&follows, "community.follows_streets").is_empty());
    let (_b, two_sides) = square(World::new())
        .street((-10.0, 0.0), (110.0, 0.0))
        .street((0.0, -10.0), (0.0, 110.0))
        .open();
    let violation = two_sides
        .rules()
        .iter()
        .find(|violation| violation.rule == "community.follows_streets")
        .expect("50 % on streets");
    // Two sides, and the first 15 m of the other two, which are within 15 m of the streets' ends.
    let share = violation.figures["street_share"].as_f64().expect("a share");
    assert!((0.55..0.6).contains(&share), "{share}");
    // Streets 14 m outside every side count; 16 m outside do not.
    let offset = |distance: f64| {
        square(World::new())
            .street((-30.0, -distance), (130.0, -distance))
            .street((-30.0, 100.0 + distance), (130.0, 100.0 + distance))
            .street((-distance, -30.0), (-distance, 130.0))
            .street((100.0 + distance, -30.0), (100.0 + distance, 130.0))
            .open()
    };
    let (_c, near) = offset(14.0);
    assert!(found(&near, "community.follows_streets").is_empty());
    let (_d, far) = offset(16.0);
    assert_eq!(found(&far, "community.follows_streets").len(), 1);
    let (_e, work_unit) = World::new()
        .house("b", 50.0, 50.0, 1500)
        .community("w", "work_unit", (0.0, 0.0, 100.0, 100.0))
        .street((500.0, 0.0), (600.0, 0.0))
        .open();
    assert!(found(&work_unit, "community.follows_streets").is_empty());
}

#[test]
fn a_community_in_two_parts_is_not_contiguous() {
    let two_parts = serde_json::json!({"type": "MultiPolygon", "coordinates": [rectangle(0.0, 0.0, 100.0, 100.0), rectangle(300.0, 0.0, 400.0, 100.0)]});
    let mut world = World::new()
        .house("b", 50.0, 50.0, 1500)
        .house("c", 150.0 + 500.0, 50.0, 1500);
    world = world.community("one", "geographic", (600.0, 0.0, 700.0, 100.0));
    let (folder, _) = world.open();
    // Rewrite the plan with a MultiPolygon community added.
    let path = folder.path().join("plan.shequ.geojson");
    let mut plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("JSON");
    plan["features"].as_array_mut().expect("features").push(json!({"type": "Feature", "properties": {"id": "two", "type": "geographic"}, "geometry": two_parts}));
    std::fs::write(&path, plan.to_string()).expect("write");
    let session = Session::open(&path).expect("opens");
    assert_eq!(
        ids_of(&found(&session, "community.contiguous")),
        vec!["two"]
    );
}

#[test]
fn an_invalid_boundary_is_a_geometry_error_and_a_valid_one_is_not() {
    let bowtie = ring(&[(0.0, 0.0), (100.0, 100.0), (100.0, 0.0), (0.0, 100.0)]);
    let (_folder, session) = World::new()
        .house("b", 50.0, 20.0, 1500)
        .community_with(json!({"id": "bowtie", "type": "geographic"}), bowtie)
        .community("fine", "geographic", (200.0, 0.0, 300.0, 100.0))
        .open();
    assert_eq!(
        found(&session, "community.geometry"),
        vec![("error".to_owned(), vec!["bowtie".to_owned()])]
    );
}

#[test]
fn a_community_across_two_street_offices_is_an_error_and_a_digitising_sliver_is_not() {
    let office = |id: &str, corners: (f64, f64, f64, f64)| json!({"id": id, "name": id, "boundary": {"type": "Polygon", "coordinates": rectangle(corners.0, corners.1, corners.2, corners.3)}});
    let (_folder, session) = World::new()
        .house("b0", 50.0, 50.0, 1500)
        .house("b1", 250.0, 50.0, 1500)
        .house("b2", 450.0, 50.0, 1500)
        .community("inside", "geographic", (0.0, 0.0, 100.0, 100.0))
        .community("across", "geographic", (150.0, 0.0, 350.0, 100.0))
        .community("sliver", "geographic", (400.0, 0.0, 500.5, 100.0))
        .setting(
            "street_offices",
            json!([
                office("west", (-10.0, -10.0, 250.0, 110.0)),
                office("middle", (250.0, -10.0, 500.0, 110.0)),
                office("east", (500.0, -10.0, 900.0, 110.0))
            ]),
        )
        .open();
    assert_eq!(
        ids_of(&found(&session, "community.crosses_street_office")),
        vec!["across", "west", "middle"]
    );
}

#[test]
fn recorded_space_below_the_clause_17_and_21_requirements_warns() {
    // One building of 1,900 m² footprint × 10 floors = 19,000 m²: 150 m² required.
    let build = |floors: u32, office: f64, service: f64, old_town: bool| {
        World::new()
            .building("b", (0.0, 0.0, 38.0, 50.0), 1500, json!({"floors": floors}))
            .community_with(
                json!({"id": "c", "type": "geographic", "office_area_m2": office, "service_area_m2": service, "old_town": old_town}),
                rectangle(-10.0, -10.0, 60.0, 60.0),
            )
            .open()
    };
    let (_a, enough) = build(10, 50.0, 100.0, false);
    assert!(found(&enough, "community.space").is_empty());
    let (_b, short) = build(10, 49.0, 100.0, false);
    assert_eq!(found(&short, "community.space").len(), 1);
    // 11 floors: 20,900 m², a started step above 20,000: 200 m² required.
    let (_c, larger) = build(11, 50.0, 100.0, false);
    assert_eq!(
        larger
            .rules()
            .iter()
            .find(|violation| violation.rule == "community.space")
            .map(|violation| violation.figures["required_m2"].clone()),
        Some(json!(200.0))
    );
    let (_d, old_town_short) = build(10, 49.0, 151.0, true);
    let cases: Vec<&str> = old_town_short
        .rules()
        .iter()
        .filter(|violation| violation.rule == "community.space")
        .map(|violation| violation.case)
        .collect();
    assert_eq!(cases, vec!["old_town"]);
    let (_e, old_town_fine) = build(10, 50.0, 100.0, true);
    assert!(found(&old_town_fine, "community.space").is_empty());
}

#[test]
fn every_figure_of_the_regulation_digest_is_in_the_default_profile() {
    let profile = RuleProfile::nanchang_2002();
    let households = &profile.community_households;
    assert_eq!(
        (
            households.minimum,
            households.maximum,
            households.new_estate_warning_above,
            households.work_unit_minimum
        ),
        (1000, 2000, 3000, 1000)
    );
    assert_eq!(households.clause, 6);
    let residents = &profile.street_office_residents;
    assert_eq!(
        (
            residents.minimum,
            residents.maximum,
            residents.merge_candidate_below,
            residents.clause
        ),
        (40_000, 60_000, 30_000, 1)
    );
    let targets = &profile.targets;
    assert_eq!(
        (
            targets.city_street_offices_about,
            targets.city_communities_about,
            targets.city_pure_residential_about,
            targets.city_work_unit_about
        ),
        (30, 330, 240, 90)
    );
    assert_eq!(targets.about_tolerance, 0.10);
    let district = |name: &str| {
        targets
            .districts
            .iter()
            .find(|district| district.name == name)
            .expect(name)
            .clone()
    };
    assert_eq!(
        (
            district("东湖区").street_offices_minimum,
            district("东湖区").street_offices_maximum,
            district("东湖区").communities_about
        ),
        (Some(8), Some(10), Some(130))
    );
    assert_eq!(
        (
            district("西湖区").street_offices_minimum,
            district("西湖区").street_offices_maximum,
            district("西湖区").communities_about
        ),
        (Some(8), Some(10), Some(140))
    );
    assert_eq!(
        (
            district("青云谱区").residents_per_street_office_about,
            district("青云谱区").communities_about
        ),
        (Some(40_000), Some(40))
    );
    assert_eq!(
        (
            district("湾里区").street_offices_minimum,
            district("湾里区").street_offices_maximum,
            district("湾里区").communities_about
        ),
        (Some(2), Some(2), Some(10))
    );
    let staffing = &profile.staffing;
    assert_eq!(
        (
            staffing.directors,
            staffing.deputy_directors,
            staffing.fewer_deputies,
            staffing.more_deputies,
            staffing.police_officers
        ),
        (1, 3, 2, 4, 1)
    );
    assert_eq!(
        (
            staffing.fewer_deputies_below_households,
            staffing.more_deputies_above_households,
            staffing.clause
        ),
        (1000, 2000, 10)
    );
    let funding = &profile.funding;
    assert_eq!(
        (
            funding.office,
            funding.director_monthly_pay,
            funding.deputy_monthly_pay,
            funding.months_a_year,
            funding.social_insurance,
            funding.development,
            funding.city_special_fund
        ),
        (4000, 500, 450, 12, 3800, 5000, 1000)
    );
    assert_eq!((funding.city_share, funding.clause), (0.5, 13));
    let space = &profile.space;
    assert_eq!(
        (
            space.base_floor_area_m2,
            space.base_space_m2,
            space.step_floor_area_m2,
            space.step_space_m2
        ),
        (20_000.0, 150.0, 10_000.0, 50.0)
    );
    assert_eq!(
        (
            space.old_town_office_minimum_m2,
            space.old_town_service_minimum_m2,
            space.clause,
            space.old_town_clause
        ),
        (50.0, 100.0, 17, 21)
    );
    assert_eq!(
        (
            profile.estimate.net_ratio,
            profile.estimate.dwelling_size_m2,
            profile.estimate.household_size
        ),
        (0.75, 90.0, 2.6)
    );
    assert_eq!(
        (
            profile.geometry.cut_tolerance_m2,
            profile.geometry.street_distance_m,
            profile.geometry.street_share_minimum
        ),
        (1.0, 15.0, 0.8)
    );
}

#[test]
fn an_accepted_violation_is_listed_apart_and_lapses_when_its_figures_change() {
    let (folder, mut session) =
        communities_with_households(&[("big", "geographic", 2400, json!({}))]);
    let violation = session
        .rules()
        .iter()
        .find(|violation| violation.rule == "community.households")
        .expect("flagged")
        .clone();
    assert_eq!(session.unaccepted_errors(), 1);
    session
        .accept(
            &violation.key(),
            "历史形成, 暂不拆分",
            "东湖区民政局",
            "2026-11-27",
        )
        .expect("accepts");
    assert_eq!(session.unaccepted_errors(), 0);
    let checked = session.violations();
    let accepted = checked
        .iter()
        .find(|checked| checked.violation.rule == "community.households")
        .and_then(|checked| checked.accepted)
        .expect("accepted");
    assert_eq!(
        (accepted.clause, accepted.approver.as_str()),
        (6, "东湖区民政局")
    );

    // Saved and reopened, the exception still holds.
    let path = folder.path().join("plan.shequ.geojson");
    session.save_as(&path).expect("saves");
    let reopened = Session::open(&path).expect("reopens");
    assert_eq!(reopened.unaccepted_errors(), 0);

    // The data changes under it: the community now has 2,500 households, not the 2,400 that were
    // accepted, so the exception lapses.
    let buildings = folder.path().join("buildings.geojson");
    let text = std::fs::read_to_string(&buildings)
        .expect("read")
        .replace("\"households\":2400", "\"households\":2500");
    std::fs::write(&buildings, text).expect("write");
    let mut changed = Session::open(&path).expect("reopens");
    assert_eq!(
        changed.unaccepted_errors(),
        1,
        "2,500 is not the 2,400 that was accepted"
    );
    assert_eq!(changed.lapsed_exceptions().len(), 1);
    changed.save_as(&path).expect("saves");
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("JSON");
    assert!(
        written["shequ"].get("exceptions").is_none(),
        "the lapsed exception is dropped at save"
    );
}

#[test]
fn violations_present_at_opening_are_pre_existing_and_new_ones_are_not() {
    let (_folder, mut session) = communities_with_households(&[
        ("a", "geographic", 1500, json!({})),
        ("b", "geographic", 2400, json!({})),
    ]);
    assert!(
        session
            .violations()
            .iter()
            .all(|checked| checked.pre_existing)
    );
    // Community a is moved a kilometre west, off its building: it becomes empty and the building
    // uncovered.
    let key = session.plan().key_of("a").expect("a");
    session.change_plan_directly(|plan| {
        plan.community_mut(key).expect("a").boundary.0[0].exterior_mut(|ring| {
            for coord in ring.0.iter_mut() {
                coord.x -= 1000.0;
            }
        });
        vec![key]
    });
    let new_rules: Vec<&str> = session
        .violations()
        .iter()
        .filter(|checked| !checked.pre_existing)
        .map(|checked| checked.violation.rule)
        .collect();
    assert!(
        new_rules.contains(&"community.empty") && new_rules.contains(&"plan.uncovered"),
        "{new_rules:?}"
    );
    assert!(session.violations().iter().any(|checked| checked.pre_existing && checked.violation.rule == "community.households"));
}

#[test]
fn the_demo_plan_reports_every_planted_violation_by_id_and_most_communities_are_clean() {
    let plan = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sample_data/nanchang-demo/plan.shequ.geojson");
    let session = Session::open(&plan).expect("demo opens");
    let planted = session.settings().other_members["generator"]["planted"]
        .as_object()
        .expect("planted")
        .clone();
    assert!(planted.len() >= 14, "{planted:?}");
    for (kind, ids) in &planted {
        let rule = kind.split('.').take(2).collect::<Vec<_>>().join(".");
        let expected: Vec<String> = ids
            .as_array()
            .expect("ids")
            .iter()
            .filter_map(|id| id.as_str().map(str::to_owned))
            .collect();
        let flagged: Vec<String> = session
            .rules()
            .iter()
            .filter(|violation| violation.rule == rule)
            .flat_map(|violation| {
                violation
                    .communities
                    .iter()
                    .chain(&violation.areas)
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect();
        let flagged_uncovered = rule == "plan.uncovered"
            && session
                .rules()
                .iter()
                .any(|violation| violation.rule == rule);
        for id in expected {
            assert!(
                flagged.contains(&id) || flagged_uncovered,
                "{kind}: {id} not flagged (flagged: {flagged:?})"
            );
        }
    }
    let with_violations: std::collections::HashSet<String> = session
        .rules()
        .iter()
        .flat_map(|violation| violation.communities.clone())
        .collect();
    assert!(
        with_violations.len() * 4 <= session.plan().len(),
        "{} of {} communities have violations",
        with_violations.len(),
        session.plan().len()
    );
}

#[test]
fn an_uncovered_cluster_strung_along_a_corner_is_outlined_around_its_buildings_not_across_it() {
    use geo::{Contains, ConvexHull, MultiPoint};
    // Houses 40 m apart along two sides of a corner, around a community they do not belong to.
    let mut world = World::new().community("a", "geographic", (0.0, -250.0, 250.0, 100.0));
    let mut corner = Vec::new();
    for step in 0..8 {
        corner.push((step as f64 * 40.0, 150.0));
    }
    for step in 0..9 {
        corner.push((300.0, 150.0 - step as f64 * 40.0));
    }
    for (number, (x, y)) in corner.iter().enumerate() {
        world = world.house(&format!("h{number:02}"), *x, *y, 10);
    }
    let (_folder, session) = world.open();
    let clusters: Vec<&shequ_core::violation::Violation> = session
        .rules()
        .iter()
        .filter(|violation| violation.rule == "plan.uncovered")
        .collect();
    assert_eq!(clusters.len(), 1, "one cluster");
    let shequ_core::violation::Location::Areas(outline) = &clusters[0].location else {
        panic!("a cluster is located by its areas");
    };
    let points: Vec<geo::Point<f64>> = session
        .layers()
        .buildings
        .iter()
        .map(|building| geo::Point(building.representative_point))
        .collect();
    for point in &points {
        assert!(outline.contains(point), "every house is inside the outline");
    }
    // Inside the corner's hull, between its arms: covered ground, outside the outline.
    let (first, turn, last) = (points[0], points[7], points[points.len() - 1]);
    let between = geo::Point::new(
        (first.x() + turn.x() + last.x()) / 3.0,
        (first.y() + turn.y() + last.y()) / 3.0,
    );
    assert!(
        MultiPoint::new(points.clone())
            .convex_hull()
            .contains(&between)
    );
    assert!(!outline.contains(&between), "the outline hugs the houses");
}
