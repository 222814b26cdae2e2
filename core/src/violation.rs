//! A broken rule: which rule, how bad, which clause, what in Chinese and English, who is
//! involved and where to look.

use geo::{BoundingRect, Centroid, Coord, MultiLineString, MultiPolygon};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::lang::Language;

/// How bad a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The plan cannot be approved while it stands (unless accepted).
    Error,
    /// Worth a look; approval may go ahead.
    Warning,
}

impl Severity {
    /// The Chinese word.
    pub fn chinese(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }

    /// The English word.
    pub fn english(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Where a violation is, in metres.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// A point to zoom to.
    Point(Coord<f64>),
    /// Areas (an overlap, cut footprints, a cluster of buildings).
    Areas(MultiPolygon<f64>),
    /// Lines (boundary stretches off the streets).
    Lines(MultiLineString<f64>),
}

impl Location {
    /// A point to centre the view on.
    pub fn focus(&self) -> Option<Coord<f64>> {
        match self {
            Location::Point(point) => Some(*point),
            Location::Areas(areas) => areas
                .centroid()
                .map(|point| point.0)
                .or_else(|| areas.bounding_rect().map(|rect| rect.center())),
            Location::Lines(lines) => lines.bounding_rect().map(|rect| rect.center()),
        }
    }

    /// Lower-left and upper-right corners, for zooming.
    pub fn bounds(&self) -> Option<[Coord<f64>; 2]> {
        let rect = match self {
            Location::Point(point) => return Some([*point, *point]),
            Location::Areas(areas) => areas.bounding_rect(),
            Location::Lines(lines) => lines.bounding_rect(),
        }?;
        Some([rect.min(), rect.max()])
    }
}

/// What identifies a violation across edits: the rule and the ids it is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ViolationKey {
    /// The rule id.
    pub rule: String,
    /// Which case of the rule, where one rule has several for the same ids (`old_town`,
    /// `estate`); empty otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub case: String,
    /// The ids involved (communities, street offices, districts, or the first building of a
    /// cluster), sorted.
    pub subjects: Vec<String>,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The rule id, e.g. `community.households`.
    pub rule: &'static str,
    /// Which case of the rule (`old_town`, `estate`), where one rule can break twice for the
    /// same ids; empty otherwise.
    pub case: &'static str,
    /// How bad.
    pub severity: Severity,
    /// The clause of the regulation (第N条); 0 where the rule is not from a clause.
    pub clause: u32,
    /// The message in Chinese, with the figures that matter.
    pub message_zh: String,
    /// The message in English, with the figures that matter.
    pub message_en: String,
    /// Ids of the communities involved.
    pub communities: Vec<String>,
    /// Names of the street offices or districts involved, or codes of the management grids.
    pub areas: Vec<String>,
    /// Ids of the buildings involved.
    pub buildings: Vec<String>,
    /// The figures the violation was found with; an accepted exception lapses when they change.
    pub figures: Value,
    /// Where to look.
    pub location: Location,
}

impl Violation {
    /// The key that identifies it across edits.
    pub fn key(&self) -> ViolationKey {
        let mut subjects: Vec<String> = self
            .communities
            .iter()
            .chain(&self.areas)
            .cloned()
            .collect();
        if subjects.is_empty() {
            subjects.extend(self.buildings.first().cloned());
        }
        subjects.sort();
        ViolationKey {
            rule: self.rule.to_owned(),
            case: self.case.to_owned(),
            subjects,
        }
    }

    /// The message in the language asked for.
    pub fn message(&self, language: Language) -> &str {
        language.pick(&self.message_zh, &self.message_en)
    }
}

/// "(第6条)".
pub fn clause_zh(clause: u32) -> String {
    if clause == 0 {
        String::new()
    } else {
        format!(" (第{clause}条)")
    }
}

/// "(clause 6)".
pub fn clause_en(clause: u32) -> String {
    if clause == 0 {
        String::new()
    } else {
        format!(" (clause {clause})")
    }
}
