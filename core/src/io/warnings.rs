//! Problems found while loading that do not stop the load: each kind counted, with the first few
//! features named, so a planner can find them in QGIS.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

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
    /// How many features have it.
    pub count: usize,
    /// The first few features, as `#index (id)`.
    pub first_features: Vec<String>,
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
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

/// Gathers warnings of one file while it loads.
#[derive(Debug)]
pub struct WarningCollector {
    path: PathBuf,
    by_problem: BTreeMap<(String, String), (usize, Vec<String>)>,
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
    pub fn add(&mut self, problem: &str, advice: &str, index: usize, feature_id: &str) {
        let entry = self
            .by_problem
            .entry((problem.to_owned(), advice.to_owned()))
            .or_insert((0, Vec::new()));
        entry.0 += 1;
        if entry.1.len() < FEATURES_NAMED {
            entry.1.push(format!("#{index} ({feature_id})"));
        }
    }

    /// Records a problem of the whole file.
    pub fn add_file_problem(&mut self, problem: &str, advice: &str, count: usize) {
        let entry = self
            .by_problem
            .entry((problem.to_owned(), advice.to_owned()))
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
                problem,
                advice,
                count,
                first_features,
            })
            .collect()
    }
}
