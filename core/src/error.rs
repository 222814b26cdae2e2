//! Errors of the core. Every message says what went wrong, where (file, feature index, id) and
//! what the planner can do about it, so the CLI and the app can show it as it is.

use std::path::PathBuf;

/// Everything that can go wrong while reading, checking or writing a plan.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error(
        "{path}: cannot read the file ({source}). Check the path and that the file is readable."
    )]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },

    /// The path names a device, a pipe, a socket or a folder rather than a file.
    #[error("{path} is {kind}, not a file: give the path of a GeoJSON, plan or profile file.")]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },

    /// The file has no bytes, or only white space.
    #[error("{path}: the file is empty. Export the layer again as a GeoJSON FeatureCollection.")]
    EmptyFile {
        /// The file.
        path: PathBuf,
    },

    /// The file is larger than a layer may be.
    #[error(
        "{path}: the file has {size_bytes} bytes, more than the {limit_bytes} bytes shequ reads for one layer. Split the layer into smaller files or clip it to the area being planned."
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size_bytes: u64,
        /// The limit in force.
        limit_bytes: u64,
    },

    /// The file is not well-formed JSON, or its GeoJSON structure is broken.
    #[error(
        "{path}: line {line}, column {column}: {message}. Fix the file there, or export the layer again as GeoJSON."
    )]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the parser found.
        message: String,
    },

    /// The file is not UTF-8 text.
    #[error("{path}: {problem}.")]
    Encoding {
        /// The file.
        path: PathBuf,
        /// Which encoding it looks like and what to do.
        problem: String,
    },

    /// The top level of the file is not a FeatureCollection.
    #[error(
        "{path}: the top level is {found}, not a GeoJSON FeatureCollection. Save the layer as a FeatureCollection (QGIS: Export → Save Features As… → GeoJSON)."
    )]
    NotFeatureCollection {
        /// The file.
        path: PathBuf,
        /// What the top level was.
        found: String,
    },

    /// One feature cannot be used and the layer cannot go on without it.
    #[error("{path}: feature {feature_index} (id {feature_id}): {problem}")]
    Feature {
        /// The file.
        path: PathBuf,
        /// 0-based index of the feature in the collection.
        feature_index: usize,
        /// The feature's id, or `-` when it has none.
        feature_id: String,
        /// What is wrong and what to do.
        problem: String,
    },

    /// The layer has no feature of the kind it must hold.
    #[error("{path}: {problem}")]
    Layer {
        /// The file.
        path: PathBuf,
        /// What is wrong and what to do.
        problem: String,
    },

    /// The plan file's own member `shequ` is wrong.
    #[error("{path}: the plan's \"shequ\" member: {problem}")]
    Plan {
        /// The plan file.
        path: PathBuf,
        /// What is wrong and what to do.
        problem: String,
    },

    /// A rule profile is invalid.
    #[error("rule profile {source_name}: {problem}")]
    Profile {
        /// Where the profile came from (a file, or the built-in name).
        source_name: String,
        /// What is wrong, naming the key.
        problem: String,
    },

    /// An attribute mapping given by the user is wrong.
    #[error("field mapping: {0}")]
    FieldMapping(String),

    /// Writing a file failed; the previous file at that path is untouched.
    #[error(
        "{path}: could not save ({source}); the previous file is unchanged. Check free disk space and permissions."
    )]
    Write {
        /// The file that was being written.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },

    /// Generating a synthetic city was asked for with impossible settings.
    #[error("gen-city: {0}")]
    Generator(String),
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
