//! Small hand-made worlds for rule tests: buildings, streets and communities placed in metres
//! around a point in Nanchang, written out as GeoJSON and opened as a plan.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use shequ_core::Session;
use shequ_core::ids::CommunityKey;

/// The bundled demo's folder.
pub fn demo_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sample_data/nanchang-demo")
}

/// The bundled demo plan, opened.
pub fn demo() -> Session {
    Session::open(&demo_folder().join("plan.shequ.geojson")).expect("the demo opens")
}

/// A copy of the demo plan in a temporary folder, with its layers beside it.
pub fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().expect("temp dir");
    for file in ["plan.shequ.geojson", "buildings.geojson", "streets.geojson"] {
        std::fs::copy(demo_folder().join(file), folder.path().join(file)).expect("copy");
    }
    let plan = folder.path().join("plan.shequ.geojson");
    (folder, plan)
}

/// The key of the community of this name.
pub fn key_named(session: &Session, name: &str) -> CommunityKey {
    session
        .plan()
        .communities()
        .find(|(_, community)| community.properties.name == name)
        .map(|(key, _)| key)
        .expect("the community is in the plan")
}

const ORIGIN: (f64, f64) = (115.9, 28.6);
const METRES_PER_DEGREE_LATITUDE: f64 = 110_850.0;

/// A point given in metres from the world's origin, in lon/lat.
pub fn lon_lat(x: f64, y: f64) -> [f64; 2] {
    let metres_per_degree_longitude = 111_320.0 * ORIGIN.1.to_radians().cos();
    [
        ORIGIN.0 + x / metres_per_degree_longitude,
        ORIGIN.1 + y / METRES_PER_DEGREE_LATITUDE,
    ]
}

/// A closed ring of a rectangle in lon/lat.
pub fn rectangle(x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
    json!([[
        lon_lat(x0, y0),
        lon_lat(x1, y0),
        lon_lat(x1, y1),
        lon_lat(x0, y1),
        lon_lat(x0, y0)
    ]])
}

/// A closed ring through the given points (metres).
pub fn ring(points: &[(f64, f64)]) -> Value {
    let mut coordinates: Vec<[f64; 2]> = points.iter().map(|&(x, y)| lon_lat(x, y)).collect();
    coordinates.push(coordinates[0]);
    json!([coordinates])
}

/// A world under construction.
#[derive(Default)]
pub struct World {
    buildings: Vec<Value>,
    streets: Vec<Value>,
    communities: Vec<Value>,
    shequ: serde_json::Map<String, Value>,
}

impl World {
    /// An empty world.
    pub fn new() -> Self {
        Self::default()
    }

    /// A residential building with `households` (and the given extra properties) over a rectangle.
    pub fn building(
        mut self,
        id: &str,
        corners: (f64, f64, f64, f64),
        households: u64,
        extra: Value,
    ) -> Self {
        let mut properties = json!({"id": id, "building": "residential", "households": households});
        if let (Some(target), Some(source)) = (properties.as_object_mut(), extra.as_object()) {
            target.extend(source.clone());
        }
        let (x0, y0, x1, y1) = corners;
        self.buildings.push(json!({"type": "Feature", "properties": properties, "geometry": {"type": "Polygon", "coordinates": rectangle(x0, y0, x1, y1)}}));
        self
    }

    /// A 10 m square residential building centred at (x, y).
    pub fn house(self, id: &str, x: f64, y: f64, households: u64) -> Self {
        self.building(
            id,
            (x - 5.0, y - 5.0, x + 5.0, y + 5.0),
            households,
            json!({}),
        )
    }

    /// A street centreline.
    pub fn street(mut self, from: (f64, f64), to: (f64, f64)) -> Self {
        self.streets.push(json!({"type": "Feature", "properties": {"highway": "residential"}, "geometry": {"type": "LineString", "coordinates": [lon_lat(from.0, from.1), lon_lat(to.0, to.1)]}}));
        self
    }

    /// A community with the given properties (id, type, …) and polygon rings.
    pub fn community_with(mut self, properties: Value, coordinates: Value) -> Self {
        self.communities.push(json!({"type": "Feature", "properties": properties, "geometry": {"type": "Polygon", "coordinates": coordinates}}));
        self
    }

    /// A rectangular community of the given type.
    pub fn community(self, id: &str, kind: &str, corners: (f64, f64, f64, f64)) -> Self {
        let (x0, y0, x1, y1) = corners;
        self.community_with(
            json!({"id": id, "name": format!("{id}社区"), "type": kind}),
            rectangle(x0, y0, x1, y1),
        )
    }

    /// Sets a member of the plan's `shequ` object.
    pub fn setting(mut self, key: &str, value: Value) -> Self {
        self.shequ.insert(key.to_owned(), value);
        self
    }

    /// Writes the files into a temporary folder and opens the plan.
    pub fn open(self) -> (tempfile::TempDir, Session) {
        let (folder, session) = self.try_open();
        (folder, session.expect("the world opens"))
    }

    /// Writes the files into a temporary folder and tries to open the plan.
    pub fn try_open(self) -> (tempfile::TempDir, shequ_core::Result<Session>) {
        let folder = tempfile::tempdir().expect("temp dir");
        let collection =
            |features: Vec<Value>| json!({"type": "FeatureCollection", "features": features});
        std::fs::write(
            folder.path().join("buildings.geojson"),
            collection(self.buildings).to_string(),
        )
        .expect("write");
        std::fs::write(
            folder.path().join("streets.geojson"),
            collection(self.streets).to_string(),
        )
        .expect("write");
        let mut shequ = self.shequ;
        shequ.insert("format_version".into(), json!(1));
        shequ.insert(
            "layers".into(),
            json!({"buildings": "buildings.geojson", "streets": "streets.geojson"}),
        );
        let plan =
            json!({"type": "FeatureCollection", "shequ": shequ, "features": self.communities});
        let path = folder.path().join("plan.shequ.geojson");
        std::fs::write(&path, plan.to_string()).expect("write");
        let session = Session::open(&path);
        (folder, session)
    }
}

/// The violations of `rule` as (severity, subject ids) pairs.
pub fn found(session: &Session, rule: &str) -> Vec<(String, Vec<String>)> {
    session
        .rules()
        .iter()
        .filter(|violation| violation.rule == rule)
        .map(|violation| {
            let mut ids = violation.communities.clone();
            ids.extend(violation.areas.iter().cloned());
            (violation.severity.english().to_owned(), ids)
        })
        .collect()
}

/// Cases for a property test: `default`, or `SHEQU_PROPTEST_CASES` when set.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("SHEQU_PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default)
}
