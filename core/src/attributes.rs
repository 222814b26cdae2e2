//! Which source field holds which figure: sensible defaults, and overrides such as
//! `households=HH_CNT` given on the command line or saved in the plan file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// A figure or label shequ reads from a feature's properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// A building's or community's stable id.
    Id,
    /// Households (户数) of a building.
    Households,
    /// Residents (人口) of a building.
    Residents,
    /// Floors (层数) of a building.
    Floors,
    /// Height in metres, used for floors when they are absent.
    Height,
    /// What the building is used for.
    Use,
    /// The residential estate (小区) a building is in.
    Estate,
    /// The work unit (单位) a building houses staff of.
    WorkUnit,
    /// A display name.
    Name,
    /// A street's class (primary, residential, …).
    StreetClass,
    /// A community's type (地缘型, 单位型, 单元型).
    CommunityType,
    /// A community's street office (街道).
    StreetOffice,
    /// A community's district (区).
    District,
    /// Flag: a newly built estate.
    NewEstate,
    /// Flag: in the old town.
    OldTown,
    /// Flag: locked against edits.
    Locked,
    /// A community's recorded office space in m².
    OfficeArea,
    /// A community's recorded service space in m².
    ServiceArea,
    /// A community's notes (free text the planner keeps with it).
    Notes,
}

impl Field {
    /// Every field, for listing in help and errors.
    pub const ALL: [Field; 19] = [
        Field::Id,
        Field::Households,
        Field::Residents,
        Field::Floors,
        Field::Height,
        Field::Use,
        Field::Estate,
        Field::WorkUnit,
        Field::Name,
        Field::StreetClass,
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

    /// The name used in `--field NAME=SOURCE` and as the canonical property name on export.
    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Households => "households",
            Field::Residents => "residents",
            Field::Floors => "floors",
            Field::Height => "height",
            Field::Use => "use",
            Field::Estate => "estate",
            Field::WorkUnit => "work_unit",
            Field::Name => "name",
            Field::StreetClass => "class",
            Field::CommunityType => "type",
            Field::StreetOffice => "street_office",
            Field::District => "district",
            Field::NewEstate => "new_estate",
            Field::OldTown => "old_town",
            Field::Locked => "locked",
            Field::OfficeArea => "office_area_m2",
            Field::ServiceArea => "service_area_m2",
            Field::Notes => "notes",
        }
    }

    /// Source property names looked for when no override is given, in order.
    pub fn default_sources(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["id", "osm_id", "编号"],
            Field::Households => &["households", "户数"],
            Field::Residents => &["residents", "population", "人口"],
            Field::Floors => &["floors", "building:levels", "层数"],
            Field::Height => &["height", "height_m", "高度"],
            Field::Use => &["use", "building", "用途"],
            Field::Estate => &["estate", "小区"],
            Field::WorkUnit => &["work_unit", "单位"],
            Field::Name => &["name", "名称"],
            Field::StreetClass => &["class", "highway", "fclass", "等级"],
            Field::CommunityType => &["type", "类型"],
            Field::StreetOffice => &["street_office", "街道"],
            Field::District => &["district", "区"],
            Field::NewEstate => &["new_estate", "新建小区"],
            Field::OldTown => &["old_town", "老城区"],
            Field::Locked => &["locked", "锁定"],
            Field::OfficeArea => &["office_area_m2", "办公用房"],
            Field::ServiceArea => &["service_area_m2", "服务用房"],
            Field::Notes => &["notes", "备注"],
        }
    }

    fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.key() == key)
    }
}

/// A field is present but holds no number ("many", `true`, an object…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// Overrides of the default source fields, as saved in the plan file (`{"households": "HH_CNT"}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldMapping {
    overrides: BTreeMap<String, String>,
}

impl FieldMapping {
    /// Adds an override written as `NAME=SOURCE`, e.g. `households=HH_CNT`.
    pub fn add_assignment(&mut self, assignment: &str) -> Result<()> {
        let Some((name, source)) = assignment.split_once('=') else {
            return Err(Error::FieldMapping(format!(
                "`{assignment}` is not NAME=SOURCE (for example households=HH_CNT)"
            )));
        };
        let (name, source) = (name.trim(), source.trim());
        if Field::from_key(name).is_none() {
            let known: Vec<&str> = Field::ALL.iter().map(|field| field.key()).collect();
            return Err(Error::FieldMapping(format!(
                "unknown field `{name}`; the fields are {}",
                known.join(", ")
            )));
        }
        if source.is_empty() {
            return Err(Error::FieldMapping(format!(
                "`{assignment}` names no source field"
            )));
        }
        self.overrides.insert(name.to_owned(), source.to_owned());
        Ok(())
    }

    /// Maps `field` to the property `source`, or (with `None`) back to its default sources.
    pub fn set_source(&mut self, field: Field, source: Option<&str>) {
        match source {
            Some(source) => {
                self.overrides
                    .insert(field.key().to_owned(), source.to_owned());
            }
            None => {
                self.overrides.remove(field.key());
            }
        }
    }

    /// Builds a mapping from `NAME=SOURCE` assignments.
    pub fn from_assignments<S: AsRef<str>>(assignments: &[S]) -> Result<Self> {
        let mut mapping = Self::default();
        for assignment in assignments {
            mapping.add_assignment(assignment.as_ref())?;
        }
        Ok(mapping)
    }

    /// The source field explicitly mapped to `field`, if any.
    pub fn override_for(&self, field: Field) -> Option<&str> {
        self.overrides.get(field.key()).map(String::as_str)
    }

    /// Every override, as (field key, source property).
    pub fn overrides(&self) -> impl Iterator<Item = (&str, &str)> {
        self.overrides
            .iter()
            .map(|(key, source)| (key.as_str(), source.as_str()))
    }

    /// True when no override is set.
    pub fn is_empty(&self) -> bool {
        self.overrides.is_empty()
    }

    /// The value of `field` in `properties`: the override's source if one is set, else the first
    /// default source present and not null.
    pub fn lookup<'a>(
        &self,
        properties: &'a Map<String, Value>,
        field: Field,
    ) -> Option<&'a Value> {
        let present = |source: &str| properties.get(source).filter(|value| !value.is_null());
        match self.override_for(field) {
            Some(source) => present(source),
            None => field
                .default_sources()
                .iter()
                .find_map(|source| present(source)),
        }
    }

    /// Which property key `field` reads from in `properties`, if any.
    pub fn source_key<'a>(
        &'a self,
        properties: &Map<String, Value>,
        field: Field,
    ) -> Option<&'a str> {
        match self.override_for(field) {
            Some(source) => properties.contains_key(source).then_some(source),
            None => field.default_sources().iter().copied().find(|source| {
                properties
                    .get(*source)
                    .is_some_and(|value| !value.is_null())
            }),
        }
    }

    /// The field as a number: JSON numbers, and strings that read as one ("4", " 4.5 ").
    /// [`NotANumber`] when present but not a number.
    pub fn number<P: FieldValues + ?Sized>(
        &self,
        properties: &P,
        field: Field,
    ) -> Result<Option<f64>, NotANumber> {
        match properties.field_value(self, field) {
            None => Ok(None),
            Some(value) => value.number().map(Some).ok_or(NotANumber),
        }
    }

    /// The field as text: strings as they are, numbers written out.
    pub fn text<P: FieldValues + ?Sized>(&self, properties: &P, field: Field) -> Option<String> {
        properties
            .field_value(self, field)
            .and_then(FieldValue::text)
    }

    /// The field as a flag: true, "true", "yes", "是", 1.
    pub fn flag(&self, properties: &Map<String, Value>, field: Field) -> bool {
        self.lookup(properties, field).is_some_and(flag_of)
    }
}

/// A property value as a conversion reads it: a JSON value as parsed, or one of the plain values
/// a fast reader keeps without building a JSON value (see `io::flat_features`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldValue<'a> {
    /// A JSON value.
    Json(&'a Value),
    /// A string.
    Text(&'a str),
    /// A whole number of at most 19 digits, as JSON writes a count.
    Count(u64),
    /// `true` or `false`.
    Flag(bool),
}

impl<'a> FieldValue<'a> {
    /// The value as a finite number, if it is one: numbers, and strings that read as one.
    pub fn number(self) -> Option<f64> {
        let number = match self {
            FieldValue::Json(Value::Number(number)) => number.as_f64(),
            FieldValue::Json(Value::String(text)) => text.trim().parse::<f64>().ok(),
            FieldValue::Text(text) => text.trim().parse::<f64>().ok(),
            FieldValue::Count(count) => Some(count as f64),
            FieldValue::Json(_) | FieldValue::Flag(_) => None,
        }?;
        number.is_finite().then_some(number)
    }

    /// The value as text, borrowed where it can be: strings trimmed (none when blank),
    /// numbers written out.
    pub fn text_borrowed(self) -> Option<std::borrow::Cow<'a, str>> {
        use std::borrow::Cow;
        match self {
            FieldValue::Json(Value::String(text)) => non_blank(text).map(Cow::Borrowed),
            FieldValue::Text(text) => non_blank(text).map(Cow::Borrowed),
            FieldValue::Json(Value::Number(number)) => Some(Cow::Owned(number.to_string())),
            FieldValue::Count(count) => Some(Cow::Owned(count.to_string())),
            FieldValue::Json(_) | FieldValue::Flag(_) => None,
        }
    }

    /// The value as text: strings trimmed (none when blank), numbers written out.
    pub fn text(self) -> Option<String> {
        self.text_borrowed().map(std::borrow::Cow::into_owned)
    }

    /// The value as a flag: true, "true", "yes", "是", a number other than 0.
    pub fn flag(self) -> bool {
        let text = match self {
            FieldValue::Json(Value::Bool(flag)) => return *flag,
            FieldValue::Flag(flag) => return flag,
            FieldValue::Json(Value::Number(number)) => {
                return number.as_f64().is_some_and(|number| number != 0.0);
            }
            FieldValue::Count(count) => return count != 0,
            FieldValue::Json(Value::String(text)) => text.as_str(),
            FieldValue::Text(text) => text,
            FieldValue::Json(_) => return false,
        };
        matches!(
            text.trim().to_lowercase().as_str(),
            "true" | "yes" | "y" | "1" | "是"
        )
    }
}

fn non_blank(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

/// Where a feature's field values are looked up: a property map, or the few properties a fast
/// reader kept (see `io::flat_features`).
pub trait FieldValues {
    /// The value of `field` as `mapping` reads it: the override's source if one is set, else the
    /// first default source present and not null.
    fn field_value(&self, mapping: &FieldMapping, field: Field) -> Option<FieldValue<'_>>;
}

impl FieldValues for Map<String, Value> {
    fn field_value(&self, mapping: &FieldMapping, field: Field) -> Option<FieldValue<'_>> {
        mapping.lookup(self, field).map(FieldValue::Json)
    }
}

/// A JSON value read as a finite number, if it is one.
pub fn number_of(value: &Value) -> Option<f64> {
    FieldValue::Json(value).number()
}

/// A JSON value read as text, if it is a string or a number.
pub fn text_of(value: &Value) -> Option<String> {
    FieldValue::Json(value).text()
}

/// A JSON value read as a flag.
pub fn flag_of(value: &Value) -> bool {
    FieldValue::Json(value).flag()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn properties(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn defaults_find_chinese_field_names() {
        let mapping = FieldMapping::default();
        let props = properties(json!({"户数": 120, "层数": "6"}));
        assert_eq!(mapping.number(&props, Field::Households), Ok(Some(120.0)));
        assert_eq!(mapping.number(&props, Field::Floors), Ok(Some(6.0)));
    }

    #[test]
    fn an_override_replaces_the_defaults() {
        let mapping = FieldMapping::from_assignments(&["households=HH_CNT"]).expect("valid");
        let props = properties(json!({"households": 5, "HH_CNT": 80}));
        assert_eq!(mapping.number(&props, Field::Households), Ok(Some(80.0)));
    }

    #[test]
    fn an_unknown_field_name_is_an_error_listing_the_fields() {
        let error = FieldMapping::from_assignments(&["housholds=HH"]).expect_err("typo");
        assert!(error.to_string().contains("households"), "{error}");
    }

    #[test]
    fn a_text_value_that_is_no_number_is_reported_as_such() {
        let props = properties(json!({"households": "many"}));
        assert_eq!(
            FieldMapping::default().number(&props, Field::Households),
            Err(NotANumber)
        );
    }

    #[test]
    fn flags_read_chinese_and_english_words() {
        for (value, expected) in [(json!("是"), true), (json!("no"), false), (json!(1), true)] {
            assert_eq!(flag_of(&value), expected, "{value}");
        }
    }
}
