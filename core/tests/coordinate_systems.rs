//! Layers in other coordinate systems count exactly as the same layers in WGS 84: the demo's
//! buildings and streets in CGCS2000 Gauss-Krüger zone 39 and its communities in GCJ-02 give the
//! same households and violations, whether the system is given, declared in the file, or
//! recorded in the saved plan.

mod district;

use std::path::Path;

use district::{demo_folder, open, read_json};

use serde_json::{Value, json};
use shequ_core::Session;
use shequ_core::crs::Crs;
use shequ_core::load::{LayerCacheUse, LayerSystems};
use shequ_core::profile::RuleProfile;
use shequ_core::session::{LayerInputs, OpenOptions};

/// Every position of every feature of `collection` taken from WGS 84 into `crs`.
fn into_system(mut collection: Value, crs: &Crs) -> Value {
    fn positions(value: &mut Value, crs: &Crs) {
        match value {
            Value::Array(items) if items.first().is_some_and(Value::is_number) => {
                let (longitude, latitude) = (
                    items[0].as_f64().expect("number"),
                    items[1].as_f64().expect("number"),
                );
                let (x, y) = crs.from_wgs84(longitude, latitude).expect("projects");
                *value = json!([x, y]);
            }
            Value::Array(items) => items.iter_mut().for_each(|item| positions(item, crs)),
            _ => {}
        }
    }
    for feature in collection["features"].as_array_mut().expect("features") {
        positions(&mut feature["geometry"]["coordinates"], crs);
    }
    collection
}

/// The plan's communities as a layer of their own (no `shequ` member).
fn communities_layer(plan: &Path) -> Value {
    let plan = read_json(plan);
    json!({"type": "FeatureCollection", "features": plan["features"]})
}

fn outcome(session: &Session) -> (Vec<(String, u64)>, Vec<String>) {
    let households = session
        .plan()
        .communities()
        .map(|(key, community)| (community.id.clone(), session.tallies().of(key).households))
        .collect();
    let mut violations: Vec<String> = session
        .rules()
        .iter()
        .map(|violation| format!("{:?}", violation.key()))
        .collect();
    violations.sort();
    (households, violations)
}

fn layers(folder: &Path, systems: LayerSystems) -> LayerInputs {
    LayerInputs {
        buildings: folder.join("buildings.geojson"),
        streets: Some(folder.join("streets.geojson")),
        communities: Some(folder.join("communities.geojson")),
        fields: Default::default(),
        unknown_use_is_residential: false,
        systems,
        encodings: Default::default(),
        register: None,
    }
}

#[test]
fn layers_in_gauss_kruger_and_gcj02_count_as_the_same_layers_in_wgs84() {
    let demo = demo_folder();
    let wgs84 = tempfile::tempdir().expect("folder");
    let projected = tempfile::tempdir().expect("folder");
    let zone_39 = Crs::parse("EPSG:4527").expect("zone 39");
    let gcj02 = Crs::parse("gcj02").expect("gcj02");
    for name in ["buildings.geojson", "streets.geojson"] {
        std::fs::copy(demo.join(name), wgs84.path().join(name)).expect("copy");
        let layer = into_system(read_json(&demo.join(name)), &zone_39);
        std::fs::write(projected.path().join(name), layer.to_string()).expect("write");
    }
    let communities = communities_layer(&demo.join("plan.shequ.geojson"));
    std::fs::write(
        wgs84.path().join("communities.geojson"),
        communities.to_string(),
    )
    .expect("write");
    let shifted = into_system(communities, &gcj02);
    std::fs::write(
        projected.path().join("communities.geojson"),
        shifted.to_string(),
    )
    .expect("write");

    let expected = outcome(&open(&layers(wgs84.path(), LayerSystems::default())));
    assert!(
        expected
            .0
            .iter()
            .map(|(_, households)| households)
            .sum::<u64>()
            > 100_000
    );
    let systems = LayerSystems::from_assignments(&[
        "buildings=EPSG:4527".to_owned(),
        "streets=EPSG:4527".to_owned(),
        "communities=gcj02".to_owned(),
    ])
    .expect("assignments");
    let session = open(&layers(projected.path(), systems));
    assert_eq!(outcome(&session), expected);

    // Saved, the plan records the layers' system and opens them the same way.
    let plan = projected.path().join("plan.shequ.geojson");
    let mut session = session;
    session.save_as(&plan).expect("saves");
    assert!(
        std::fs::read_to_string(&plan)
            .expect("read")
            .contains("\"buildings_crs\": \"EPSG:4527\"")
    );
    assert_eq!(outcome(&Session::open(&plan).expect("reopens")), expected);
}

#[test]
fn a_layer_declaring_its_system_in_the_legacy_crs_member_needs_no_flag() {
    let demo = demo_folder();
    let folder = tempfile::tempdir().expect("folder");
    let zone_39 = Crs::parse("EPSG:4527").expect("zone 39");
    let mut buildings = into_system(read_json(&demo.join("buildings.geojson")), &zone_39);
    buildings["crs"] =
        json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4527"}});
    // The member comes first, as GDAL writes it.
    let text = format!(
        "{{\"type\":\"FeatureCollection\",\"crs\":{},\"features\":{}}}",
        buildings["crs"], buildings["features"]
    );
    std::fs::write(folder.path().join("buildings.geojson"), text).expect("write");
    let inputs = LayerInputs {
        buildings: folder.path().join("buildings.geojson"),
        streets: None,
        communities: None,
        fields: Default::default(),
        unknown_use_is_residential: false,
        systems: LayerSystems::default(),
        encodings: Default::default(),
        register: None,
    };
    let session = open(&inputs);
    let reference = open(&LayerInputs {
        buildings: demo.join("buildings.geojson"),
        ..inputs.clone()
    });
    let total = |session: &Session| -> u64 {
        session
            .layers()
            .buildings
            .iter()
            .map(|building| u64::from(building.households))
            .sum()
    };
    assert_eq!(total(&session), total(&reference));
    assert_eq!(
        session.layers().buildings.len(),
        reference.layers().buildings.len()
    );
}

#[test]
fn projected_metres_without_a_system_are_refused_with_a_guess_at_the_zone() {
    let demo = demo_folder();
    let folder = tempfile::tempdir().expect("folder");
    let zone_39 = Crs::parse("EPSG:4527").expect("zone 39");
    let buildings = into_system(read_json(&demo.join("buildings.geojson")), &zone_39);
    std::fs::write(
        folder.path().join("buildings.geojson"),
        buildings.to_string(),
    )
    .expect("write");
    let error = Session::from_layers(
        &LayerInputs {
            buildings: folder.path().join("buildings.geojson"),
            streets: None,
            communities: None,
            fields: Default::default(),
            unknown_use_is_residential: false,
            systems: LayerSystems::default(),
            encodings: Default::default(),
            register: None,
        },
        RuleProfile::default(),
        OpenOptions {
            cache: LayerCacheUse::Off,
            ..OpenOptions::default()
        },
    )
    .expect_err("projected metres are not longitude/latitude");
    let message = error.to_string();
    assert!(
        message.contains("EPSG:4527") && message.contains("--crs"),
        "{message}"
    );
}

#[test]
fn a_wrong_crs_assignment_is_named() {
    let unknown_layer =
        LayerSystems::from_assignments(&["roads=EPSG:4527".to_owned()]).expect_err("no such layer");
    assert!(unknown_layer.contains("roads"), "{unknown_layer}");
    let unknown_system =
        LayerSystems::from_assignments(&["buildings=EPSG:1".to_owned()]).expect_err("no such code");
    assert!(unknown_system.contains("EPSG:1"), "{unknown_system}");
    let not_an_assignment =
        LayerSystems::from_assignments(&["EPSG:4527".to_owned()]).expect_err("no layer");
    assert!(
        not_an_assignment.contains("LAYER=CRS"),
        "{not_an_assignment}"
    );
}
