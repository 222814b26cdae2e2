//! Problems found while loading that do not stop the load: each kind counted, with the first few
//! features named, so a planner can find them in QGIS.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::lang::{Language, Words};

/// How many features a warning names before it only counts.
const FEATURES_NAMED: usize = 5;

/// One kind of problem in one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadWarning {
    /// The file.
    pub path: PathBuf,
    /// What was found and what shequ did about it.
    pub problem: String,
    /// What the planner can do.
    pub advice: String,
    /// What was found, in Chinese.
    pub problem_zh: String,
    /// What the planner can do, in Chinese.
    pub advice_zh: String,
    /// How many features have it; none for a warning about the file as a whole.
    pub count: usize,
    /// The first few features, as `#index (id)`.
    pub first_features: Vec<String>,
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.count == 0 {
            // About the file as a whole, not its features.
            return write!(
                formatter,
                "{}: {}. {}",
                self.path.display(),
                self.problem,
                self.advice
            );
        }
        write!(formatter, "{}: {} feature", self.path.display(), self.count)?;
        if self.count == 1 {
            // Problems are written for several features ("have …").
            write!(formatter, " {}", self.problem.replacen("have ", "has ", 1))?;
        } else {
            write!(formatter, "s {}", self.problem)?;
        }
        if !self.first_features.is_empty() {
            write!(formatter, " (first: {}", self.first_features.join(", "))?;
            if self.count > self.first_features.len() {
                write!(formatter, ", …")?;
            }
            write!(formatter, ")")?;
        }
        write!(formatter, ". {}", self.advice)
    }
}

impl LoadWarning {
    /// What was found, in `language`.
    pub fn problem_in(&self, language: Language) -> &str {
        language.pick(&self.problem_zh, &self.problem)
    }

    /// What the planner can do, in `language`.
    pub fn advice_in(&self, language: Language) -> &str {
        language.pick(&self.advice_zh, &self.advice)
    }

    /// The whole warning in `language`, as the CLI prints it (English: as `Display`).
    pub fn describe(&self, language: Language) -> String {
        if language == Language::English {
            return self.to_string();
        }
        if self.count == 0 {
            return format!(
                "{}: {}。{}",
                self.path.display(),
                self.problem_zh,
                self.advice_zh
            );
        }
        let mut text = format!(
            "{}: {} 个要素{}",
            self.path.display(),
            crate::format::grouped(self.count as u64),
            self.problem_zh
        );
        if !self.first_features.is_empty() {
            text.push_str(&format!("（首个: {}", self.first_features.join(", ")));
            if self.count > self.first_features.len() {
                text.push_str(", …");
            }
            text.push('）');
        }
        text.push('。');
        text.push_str(&self.advice_zh);
        text
    }
}

/// Rings left open in the file and closed on reading (buildings and community boundaries).
pub fn rings_closed() -> (Words, Words) {
    (
        Words::new(
            "有环的终点与起点不同，已闭合",
            "have a ring whose last position differs from its first; it was closed",
        ),
        Words::new(
            "请在源数据中闭合各环（RFC 7946 的要求）。",
            "Close the rings in the source data (RFC 7946 requires it).",
        ),
    )
}

/// Gathers warnings of one file while it loads.
#[derive(Debug)]
pub struct WarningCollector {
    path: PathBuf,
    by_problem: BTreeMap<(Words, Words), (usize, Vec<String>)>,
}

impl WarningCollector {
    /// A collector for `path`.
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            by_problem: BTreeMap::new(),
        }
    }

    /// Records that feature `index` (with id `feature_id`) has `problem`.
    pub fn add(&mut self, problem: Words, advice: Words, index: usize, feature_id: &str) {
        let entry = self
            .by_problem
            .entry((problem, advice))
            .or_insert((0, Vec::new()));
        entry.0 += 1;
        if entry.1.len() < FEATURES_NAMED {
            entry.1.push(format!("#{index} ({feature_id})"));
        }
    }

    /// Records a problem of the whole file.
    pub fn add_file_problem(&mut self, problem: Words, advice: Words, count: usize) {
        let entry = self
            .by_problem
            .entry((problem, advice))
            .or_insert((0, Vec::new()));
        entry.0 += count;
    }

    /// Takes in another collector's warnings (from a parallel part of the same file).
    pub fn absorb(&mut self, other: WarningCollector) {
        for (key, (count, features)) in other.by_problem {
            let entry = self.by_problem.entry(key).or_insert((0, Vec::new()));
            entry.0 += count;
            for feature in features {
                if entry.1.len() < FEATURES_NAMED {
                    entry.1.push(feature);
                }
            }
        }
    }

    /// The warnings gathered.
    pub fn finish(self) -> Vec<LoadWarning> {
        self.by_problem
            .into_iter()
            .map(|((problem, advice), (count, first_features))| LoadWarning {
                path: self.path.clone(),
                problem: problem.english.into_owned(),
                advice: advice.english.into_owned(),
                problem_zh: problem.chinese.into_owned(),
                advice_zh: advice.chinese.into_owned(),
                count,
                first_features,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warning_is_told_in_either_language_with_its_count_and_first_features() {
        let mut collector = WarningCollector::new(Path::new("buildings.shp"));
        let (problem, advice) = rings_closed();
        collector.add(problem.clone(), advice.clone(), 3, "B3");
        collector.add(problem, advice, 8, "B8");
        let warnings = collector.finish();
        assert_eq!(warnings.len(), 1, "the same problem is counted once");
        let warning = &warnings[0];
        assert_eq!(
            warning.describe(Language::Chinese),
            "buildings.shp: 2 个要素有环的终点与起点不同，已闭合（首个: #3 (B3), #8 (B8)）。\
             请在源数据中闭合各环（RFC 7946 的要求）。"
        );
        assert_eq!(
            warning.describe(Language::English),
            "buildings.shp: 2 features have a ring whose last position differs from its first; \
             it was closed (first: #3 (B3), #8 (B8)). Close the rings in the source data (RFC 7946 \
             requires it)."
        );
    }
}
