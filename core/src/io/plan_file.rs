//! The plan file: a GeoJSON FeatureCollection (lon/lat) with one Feature per community, so QGIS
//! opens it as it is, plus a top-level member `shequ` with everything else a plan needs.
//!
//! ```json
//! {"type": "FeatureCollection",
//!  "shequ": {"format_version": 1,
//!            "layers": {"buildings": "buildings.geojson", "streets": "streets.geojson",
//!                       "fields": {"households": "HH_CNT"}},
//!            "street_offices": [{"id": "…", "name": "…", "district": "…"}],
//!            "districts": [{"id": "360102", "name": "东湖区"}],
//!            "profile": {"name": "nanchang-2002", "overrides": {"estimate": {"default_floors": 4}}}},
//!  "features": [ … ]}
//! ```
//!
//! Unknown members, at the top level, in `shequ` and in community properties, are kept and
//! written back, so a newer shequ's additions survive an older one's save.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::attributes::{Field, FieldMapping, number_of};
use crate::error::{Error, Result};
use crate::exception::AcceptedException;
use crate::io::atomic::write_atomically;
use crate::io::geojson::{RawCollection, RawGeometry, feature_label};
use crate::io::geojson_out::multipolygon_json;
use crate::io::geometry_in::polygons_in_metres;
use crate::io::grid_records::{GRIDS_KEY, grids_from_property, grids_property};
use crate::io::print_layout::PrintLayout;
use crate::io::register::RegisterSpec;
use crate::io::warnings::{LoadWarning, WarningCollector, rings_closed};
use crate::lang::Words;
use crate::plan::{Community, CommunityProperties, CommunityType, District, Plan, StreetOffice};
use crate::projection::LocalProjection;

/// The plan-file format this version writes. Files of this or an older version load.
pub const FORMAT_VERSION: u32 = 1;

/// The member of the FeatureCollection that holds shequ's settings.
pub const PLAN_MEMBER: &str = "shequ";

/// Where the base layers are, relative to the plan file, and how their fields map.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LayerSettings {
    /// The buildings layer.
    pub buildings: String,
    /// The streets layer, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streets: Option<String>,
    /// Field overrides for the layers and the communities.
    #[serde(default, skip_serializing_if = "FieldMapping::is_empty")]
    pub fields: FieldMapping,
    /// The buildings layer's coordinate system, when it is not WGS 84 longitude/latitude
    /// (`EPSG:4527`, `gcj02`, a PROJ string…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buildings_crs: Option<String>,
    /// The streets layer's coordinate system, likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streets_crs: Option<String>,
    /// The buildings Shapefile's text encoding, when the planner chose it (`GBK`, `UTF-8`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buildings_encoding: Option<String>,
    /// The streets Shapefile's text encoding, likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streets_encoding: Option<String>,
    /// A household register joined to the buildings (its path relative to the plan's folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register: Option<RegisterSpec>,
    /// Members of a newer version, kept.
    #[serde(flatten)]
    pub other_members: Map<String, Value>,
}

/// Which rule profile the plan is checked against.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileSettings {
    /// A built-in profile's name, or a TOML file relative to the plan; the default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Values laid over the profile (same shape as its TOML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Value>,
}

/// A street office as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreetOfficeRecord {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// District name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Boundary as a GeoJSON geometry in lon/lat, where one is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<Value>,
}

/// The `shequ` member of a plan file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanSettings {
    /// The format version the file was written in.
    pub format_version: u32,
    /// The plan's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The base layers.
    pub layers: LayerSettings,
    /// Street offices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub street_offices: Vec<StreetOfficeRecord>,
    /// Districts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub districts: Vec<District>,
    /// The rule profile.
    #[serde(default)]
    pub profile: ProfileSettings,
    /// Violations the planners accepted, with reason, approver and date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<AcceptedException>,
    /// Background maps under the plan's layers, bottom first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub basemaps: Vec<BasemapSettings>,
    /// How the map sheet is printed (paper, scale, title, approval block).
    #[serde(default, skip_serializing_if = "PrintLayout::is_default")]
    pub print_layout: PrintLayout,
    /// The name of the scenario (方案) whose communities are the file's features; none for a
    /// plan of one scenario never named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// Members of that scenario's stored form this version does not know (it was another's,
    /// written by a newer version), kept.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub scenario_members: Map<String, Value>,
    /// The plan's other scenarios: alternative community sets over the same layers, street
    /// offices and districts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<StoredScenario>,
    /// The change log, oldest first (read apart from the rest by [`take_settings`], so that a
    /// log that cannot be read leaves the plan usable).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<crate::audit::LogEntry>,
    /// A log member that could not be read, to report when the plan opens.
    #[serde(skip)]
    pub unreadable_log: Option<crate::audit::UnreadableLog>,
    /// Members this version does not know (accepted exceptions of a newer one, …), kept.
    #[serde(flatten)]
    pub other_members: Map<String, Value>,
}

impl PlanSettings {
    /// Settings for a new plan over these layers.
    pub fn new(buildings: String, streets: Option<String>, fields: FieldMapping) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            title: None,
            layers: LayerSettings {
                buildings,
                streets,
                fields,
                buildings_crs: None,
                streets_crs: None,
                buildings_encoding: None,
                streets_encoding: None,
                register: None,
                other_members: Map::new(),
            },
            street_offices: Vec::new(),
            districts: Vec::new(),
            profile: ProfileSettings::default(),
            exceptions: Vec::new(),
            basemaps: Vec::new(),
            print_layout: PrintLayout::default(),
            scenario: None,
            scenario_members: Map::new(),
            scenarios: Vec::new(),
            log: Vec::new(),
            unreadable_log: None,
            other_members: Map::new(),
        }
    }
}

/// A scenario other than the one whose communities are the file's features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredScenario {
    /// Its name, unique in the plan.
    pub name: String,
    /// Its communities, as GeoJSON features (WGS 84), written as the file's own features are.
    #[serde(default)]
    pub features: Vec<Value>,
    /// Violations accepted in this scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<AcceptedException>,
    /// Members this version does not know, kept.
    #[serde(flatten)]
    pub other_members: Map<String, Value>,
}

/// A community as the plan file's feature.
pub fn community_feature(community: &Community, projection: &LocalProjection) -> Value {
    json!({
        "type": "Feature",
        "properties": community_properties(community, projection),
        "geometry": multipolygon_json(&community.boundary, projection),
    })
}

/// Takes the `shequ` member out of a collection and reads it.
/// A background map of the plan: a local tile file and how it is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasemapSettings {
    /// The tile file (MBTiles), relative to the plan's folder where it lies under it.
    pub path: String,
    /// Shown.
    #[serde(default = "shown")]
    pub visible: bool,
    /// Opacity, 0–1.
    #[serde(default = "opaque")]
    pub opacity: f32,
    /// The tiles are drawn in GCJ-02 (as many Chinese tile sets are): shift them onto WGS 84.
    #[serde(default)]
    pub gcj02: bool,
}

fn shown() -> bool {
    true
}

fn opaque() -> f32 {
    1.0
}

impl BasemapSettings {
    /// A basemap shown whole, its path as given.
    pub fn new(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            visible: true,
            opacity: 1.0,
            gcj02: false,
        }
    }
}

pub fn take_settings(raw: &mut RawCollection, path: &Path) -> Result<PlanSettings> {
    let Some(member) = raw.foreign_members.shift_remove(PLAN_MEMBER) else {
        return Err(Error::Plan {
            path: path.to_path_buf(),
            problem: "is missing, so this is a plain GeoJSON layer, not a shequ plan. Start a plan from layers with `shequ import --buildings B --streets S --communities THIS_FILE --out PLAN`.".to_owned(),
        });
    };
    let mut member = member;
    let (log, unreadable_log) = match member.as_object_mut() {
        Some(object) => crate::audit::take_log(object),
        None => (Vec::new(), None),
    };
    let mut settings: PlanSettings =
        serde_json::from_value(member).map_err(|error| Error::Plan {
            path: path.to_path_buf(),
            problem: format!("{error}. Compare it with a plan written by `shequ import`."),
        })?;
    settings.log = log;
    settings.unreadable_log = unreadable_log;
    if settings.format_version > FORMAT_VERSION {
        return Err(Error::Plan {
            path: path.to_path_buf(),
            problem: format!(
                "format version {} was written by a newer shequ (this one reads up to {FORMAT_VERSION}). Update shequ to open it.",
                settings.format_version
            ),
        });
    }
    Ok(settings)
}

/// The change log of a plan file, read without its layers; a log that cannot be read is
/// returned as such, with no entries.
pub fn read_plan_log(
    path: &Path,
) -> Result<(
    Vec<crate::audit::LogEntry>,
    Option<crate::audit::UnreadableLog>,
)> {
    let mut raw = crate::io::geojson::read_feature_collection(
        path,
        crate::io::geojson::DEFAULT_MAX_FILE_BYTES,
    )?;
    let mut settings = take_settings(&mut raw, path)?;
    Ok((
        std::mem::take(&mut settings.log),
        settings.unreadable_log.take(),
    ))
}

/// Street offices of the settings, boundaries in metres.
pub fn street_offices_in_metres(
    settings: &PlanSettings,
    path: &Path,
    projection: &LocalProjection,
) -> Result<Vec<StreetOffice>> {
    settings
        .street_offices
        .iter()
        .map(|record| {
            let boundary = match &record.boundary {
                None => None,
                Some(value) => {
                    let geometry: RawGeometry = serde_json::from_value(value.clone()).map_err(|error| Error::Plan {
                        path: path.to_path_buf(),
                        problem: format!("street office {}: its boundary is not a GeoJSON geometry ({error})", record.id),
                    })?;
                    let converted = polygons_in_metres(Some(&geometry), projection).map_err(|problem| Error::Plan {
                        path: path.to_path_buf(),
                        problem: format!("street office {}: its boundary {}", record.id, problem.describe_one()),
                    })?;
                    Some(converted.polygons)
                }
            };
            Ok(StreetOffice { id: record.id.clone(), name: record.name.clone(), district: record.district.clone(), boundary })
        })
        .collect()
}

const COMMUNITY_FIELDS: [Field; 11] = [
    Field::Id,
    Field::Name,
    Field::CommunityType,
    Field::StreetOffice,
    Field::District,
    Field::NewEstate,
    Field::OldTown,
    Field::Locked,
    Field::OfficeArea,
    Field::ServiceArea,
    Field::Notes,
];

/// Reads communities from a collection (a plan file's features or a boundaries layer).
pub fn communities_from_collection(
    raw: &RawCollection,
    path: &Path,
    projection: &LocalProjection,
    mapping: &FieldMapping,
) -> Result<(Vec<Community>, Vec<LoadWarning>)> {
    let mut warnings = WarningCollector::new(path);
    let mut communities: Vec<Community> = Vec::with_capacity(raw.features.len());
    let mut seen_ids = std::collections::HashMap::new();
    for (index, feature) in raw.features.iter().enumerate() {
        let properties = &feature.properties;
        let id = mapping
            .text(properties, Field::Id)
            .or_else(|| feature.id.as_ref().and_then(crate::attributes::text_of))
            .unwrap_or_else(|| format!("C{index}"));
        let feature_error = |problem: String| Error::Feature {
            path: path.to_path_buf(),
            feature_index: index,
            feature_id: feature_label(feature, mapping.lookup(properties, Field::Id)),
            problem,
        };
        if let Some(previous) = seen_ids.insert(id.clone(), index) {
            return Err(feature_error(format!(
                "its id `{id}` is also the id of feature {previous}. Give every community its own id."
            )));
        }
        let converted =
            polygons_in_metres(feature.geometry.as_ref(), projection).map_err(|problem| {
                feature_error(format!(
                    "this community's boundary {}",
                    problem.describe_one().replace(" and were skipped", "")
                ))
            })?;
        if converted.rings_closed > 0 {
            let (problem, advice) = rings_closed();
            warnings.add(problem, advice, index, &id);
        }
        let kind = match mapping.text(properties, Field::CommunityType) {
            None => {
                warnings.add(
                    Words::new(
                        "没有类型，按地缘型读取",
                        "have no type; they were read as geographic (地缘型)",
                    ),
                    Words::new(
                        "请设置每个社区的类型：geographic 地缘型、work_unit 单位型 或 residential_estate 单元型。",
                        "Set each community's type: geographic 地缘型, work_unit 单位型 or residential_estate 单元型.",
                    ),
                    index,
                    &id,
                );
                CommunityType::Geographic
            }
            Some(text) => CommunityType::parse(&text).ok_or_else(|| {
                feature_error(format!(
                    "its type `{text}` is not one of geographic (地缘型), work_unit (单位型), residential_estate (单元型). Correct the type."
                ))
            })?,
        };
        let area = |field: Field| -> Result<Option<f64>> {
            match mapping.lookup(properties, field) {
                None => Ok(None),
                Some(value) => number_of(value)
                    .filter(|area| *area >= 0.0)
                    .map(Some)
                    .ok_or_else(|| {
                        feature_error(format!(
                            "its {} `{value}` is not an area in m². Correct it or remove it.",
                            field.key()
                        ))
                    }),
            }
        };
        let office_area_m2 = area(Field::OfficeArea)?;
        let service_area_m2 = area(Field::ServiceArea)?;
        let place = |key: &str| -> Result<Option<geo::Coord<f64>>> {
            match properties.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => crate::io::geometry_in::lon_lat_point(value)
                    .map(|[longitude, latitude]| Some(projection.to_metres(longitude, latitude)))
                    .ok_or_else(|| {
                        feature_error(format!(
                            "its {key} `{value}` is not a point [longitude, latitude]. Place it again on the map or remove it."
                        ))
                    }),
            }
        };
        let office = place(PLACE_KEYS[0])?;
        let service = place(PLACE_KEYS[1])?;
        let grids = match properties.get(GRIDS_KEY) {
            None | Some(Value::Null) => Vec::new(),
            Some(value) => grids_from_property(value, projection).map_err(|problem| {
                feature_error(format!(
                    "{problem}. Draw its grids again (shequ grids) or remove the property."
                ))
            })?,
        };
        let mut other_properties = properties.clone();
        for field in COMMUNITY_FIELDS {
            if let Some(source) = mapping.source_key(properties, field) {
                other_properties.shift_remove(source);
            }
        }
        for key in PLACE_KEYS.into_iter().chain([GRIDS_KEY]) {
            other_properties.shift_remove(key);
        }
        communities.push(Community {
            properties: CommunityProperties {
                name: mapping
                    .text(properties, Field::Name)
                    .unwrap_or_else(|| id.clone()),
                kind,
                street_office: mapping.text(properties, Field::StreetOffice),
                district: mapping.text(properties, Field::District),
                new_estate: mapping.flag(properties, Field::NewEstate),
                old_town: mapping.flag(properties, Field::OldTown),
                locked: mapping.flag(properties, Field::Locked),
                office_area_m2,
                service_area_m2,
                office,
                service,
                notes: mapping.text(properties, Field::Notes).unwrap_or_default(),
                grids,
            },
            id,
            boundary: converted.polygons,
            other_properties,
        });
    }
    Ok((communities, warnings.finish()))
}

/// The properties that hold the committee office's and the service centre's places.
const PLACE_KEYS: [&str; 2] = ["office", "service"];

/// A community's own properties as written to the plan file (no computed figures).
pub fn community_properties(
    community: &Community,
    projection: &LocalProjection,
) -> Map<String, Value> {
    let mut properties = Map::new();
    properties.insert("id".into(), json!(community.id));
    properties.insert("name".into(), json!(community.properties.name));
    properties.insert("type".into(), json!(community.properties.kind.key()));
    properties.insert(
        "street_office".into(),
        json!(community.properties.street_office),
    );
    properties.insert("district".into(), json!(community.properties.district));
    properties.insert("new_estate".into(), json!(community.properties.new_estate));
    properties.insert("old_town".into(), json!(community.properties.old_town));
    properties.insert("locked".into(), json!(community.properties.locked));
    if let Some(area) = community.properties.office_area_m2 {
        properties.insert("office_area_m2".into(), json!(area));
    }
    if let Some(area) = community.properties.service_area_m2 {
        properties.insert("service_area_m2".into(), json!(area));
    }
    for (key, place) in PLACE_KEYS
        .into_iter()
        .zip([community.properties.office, community.properties.service])
    {
        if let Some(place) = place {
            properties.insert(key.into(), json!(projection.to_lon_lat_rounded(place)));
        }
    }
    if !community.properties.notes.is_empty() {
        properties.insert("notes".into(), json!(community.properties.notes));
    }
    if !community.properties.grids.is_empty() {
        properties.insert(
            GRIDS_KEY.into(),
            grids_property(&community.properties.grids, projection),
        );
    }
    for (key, value) in &community.other_properties {
        properties
            .entry(key.clone())
            .or_insert_with(|| value.clone());
    }
    properties
}

/// Writes a FeatureCollection: `members` first (in order), then one feature per line.
pub fn write_feature_collection(
    writer: &mut dyn Write,
    members: &Map<String, Value>,
    features: impl Iterator<Item = Value>,
) -> std::io::Result<()> {
    writer.write_all(b"{\"type\":\"FeatureCollection\",\n")?;
    for (key, value) in members {
        serde_json::to_writer(&mut *writer, key)?;
        writer.write_all(b":")?;
        serde_json::to_writer_pretty(&mut *writer, value)?;
        writer.write_all(b",\n")?;
    }
    writer.write_all(b"\"features\":[\n")?;
    let mut first = true;
    for feature in features {
        if !first {
            writer.write_all(b",\n")?;
        }
        first = false;
        serde_json::to_writer(&mut *writer, &feature)?;
    }
    writer.write_all(b"\n]}\n")
}

/// Everything needed to write a plan file.
pub struct PlanFileContents<'a> {
    /// The `shequ` member.
    pub settings: &'a PlanSettings,
    /// Other top-level members of the collection, kept from the file read.
    pub collection_members: &'a Map<String, Value>,
    /// The communities.
    pub plan: &'a Plan,
    /// The projection the plan's metres are in.
    pub projection: &'a LocalProjection,
}

/// Saves a plan file atomically.
pub fn save_plan_file(path: &Path, contents: &PlanFileContents<'_>) -> Result<()> {
    let mut settings = contents.settings.clone();
    settings.format_version = FORMAT_VERSION;
    settings.street_offices = contents
        .plan
        .street_offices
        .iter()
        .map(|office| StreetOfficeRecord {
            id: office.id.clone(),
            name: office.name.clone(),
            district: office.district.clone(),
            boundary: office
                .boundary
                .as_ref()
                .map(|boundary| multipolygon_json(boundary, contents.projection)),
        })
        .collect();
    settings.districts = contents.plan.districts.clone();
    let mut members = contents.collection_members.clone();
    members.shift_remove("type");
    members.shift_remove("features");
    let settings_json = serde_json::to_value(&settings).map_err(|error| Error::Write {
        path: path.to_path_buf(),
        source: error.into(),
    })?;
    members.insert(PLAN_MEMBER.to_owned(), settings_json);
    let features = contents
        .plan
        .communities()
        .map(|(_, community)| community_feature(community, contents.projection));
    write_atomically(path, |writer| {
        write_feature_collection(writer, &members, features)
    })
}
