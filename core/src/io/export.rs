//! The approval export: `communities.geojson` (RFC 7946, one Feature per community with its
//! figures) and `communities.csv` (UTF-8 with a byte-order mark, so Excel shows Chinese text).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::io::atomic::write_atomically;
use crate::io::geojson_out::multipolygon_json;
use crate::io::plan_file::write_feature_collection;
use crate::report::CheckReport;
use crate::session::Session;

/// The files an export wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedFiles {
    /// `communities.geojson`.
    pub communities_geojson: PathBuf,
    /// `communities.csv`.
    pub communities_csv: PathBuf,
}

const CSV_COLUMNS: [&str; 11] = [
    "id",
    "name",
    "type",
    "street_office",
    "district",
    "households",
    "residents",
    "buildings",
    "estimated_households",
    "estimate_share",
    "violations",
];

/// Writes the approval export of `session` into `folder` (created if missing).
pub fn export_for_approval(
    session: &Session,
    report: &CheckReport,
    folder: &Path,
) -> Result<ExportedFiles> {
    std::fs::create_dir_all(folder).map_err(|source| Error::Write {
        path: folder.to_path_buf(),
        source,
    })?;
    let communities_geojson = folder.join("communities.geojson");
    let communities_csv = folder.join("communities.csv");

    let rows_with_geometry = session.plan.communities().zip(&report.communities);
    let features = rows_with_geometry.map(|((key, community), row)| {
        let tally = session.tallies.of(key);
        let mut properties = Map::new();
        properties.insert("id".into(), json!(row.id));
        properties.insert("name".into(), json!(row.name));
        properties.insert("type".into(), json!(row.kind));
        properties.insert("type_zh".into(), json!(community.kind.chinese()));
        properties.insert("street_office".into(), json!(row.street_office));
        properties.insert("district".into(), json!(row.district));
        properties.insert("households".into(), json!(row.households));
        properties.insert("residents".into(), json!(row.residents));
        properties.insert("buildings".into(), json!(row.buildings));
        properties.insert(
            "estimated_households".into(),
            json!(row.estimated_households),
        );
        properties.insert(
            "estimate_share".into(),
            json!(round_share(tally.estimated_share())),
        );
        properties.insert("violations".into(), Value::Array(Vec::new()));
        json!({
            "type": "Feature",
            "properties": properties,
            "geometry": multipolygon_json(&community.boundary, &session.projection),
        })
    });
    write_atomically(&communities_geojson, |writer| {
        write_feature_collection(writer, &Map::new(), features)
    })?;

    write_atomically(&communities_csv, |writer| {
        writer.write_all(b"\xEF\xBB\xBF")?;
        let mut csv_writer = csv::Writer::from_writer(writer);
        csv_writer.write_record(CSV_COLUMNS)?;
        for ((key, _), row) in session.plan.communities().zip(&report.communities) {
            let share = round_share(session.tallies.of(key).estimated_share());
            csv_writer.write_record([
                row.id.clone(),
                row.name.clone(),
                row.kind.to_owned(),
                row.street_office.clone().unwrap_or_default(),
                row.district.clone().unwrap_or_default(),
                row.households.to_string(),
                row.residents.to_string(),
                row.buildings.to_string(),
                row.estimated_households.to_string(),
                share.to_string(),
                String::new(),
            ])?;
        }
        csv_writer.flush()?;
        Ok(())
    })?;
    Ok(ExportedFiles {
        communities_geojson,
        communities_csv,
    })
}

fn round_share(share: f64) -> f64 {
    (share * 1000.0).round() / 1000.0
}
