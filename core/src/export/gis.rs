//! The communities for the district's GIS department, in its own system: a Shapefile
//! (`communities.shp` with `.shx`, `.dbf` in UTF-8 or GBK with its `.cpg`, and a `.prj` when the
//! system has a WKT) and a GeoPackage (`communities.gpkg`: tables `communities`,
//! `street_offices`, `grids` and `violations`); where communities have management grids, the
//! Shapefile `grids.shp` beside. WGS 84 unless another system is chosen.
//!
//! dBASE field names hold at most 10 bytes; the Shapefile's are fixed and listed in the README:
//! `id name type type_zh street_off district households residents buildings est_hh area_m2
//! errors warnings accepted`.

use std::path::{Path, PathBuf};

use dbase::{FieldName, FieldValue, Record, TableWriterBuilder};
use geo::{Coord, MapCoords, MultiPolygon};

use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::report::CheckReport;
use crate::session::Session;

/// The Shapefile's base name in an export folder.
pub const SHAPEFILE_NAME: &str = "communities.shp";

/// The grids' Shapefile's base name, beside the communities'.
pub const GRIDS_SHAPEFILE_NAME: &str = "grids.shp";

/// The grids' Shapefile's fields.
const GRID_SHAPEFILE_FIELDS: [(&str, u8, bool); 5] = [
    ("code", 40, false),
    ("community", 40, false),
    ("households", 10, true),
    ("residents", 10, true),
    ("buildings", 10, true),
];

/// The GeoPackage's name in an export folder.
pub const GEOPACKAGE_NAME: &str = "communities.gpkg";

/// The Shapefile's fields: name (at most 10 bytes), width, and whether a number.
const SHAPEFILE_FIELDS: [(&str, u8, bool); 14] = [
    ("id", 40, false),
    ("name", 80, false),
    ("type", 20, false),
    ("type_zh", 12, false),
    ("street_off", 80, false),
    ("district", 80, false),
    ("households", 10, true),
    ("residents", 10, true),
    ("buildings", 10, true),
    ("est_hh", 10, true),
    ("area_m2", 14, true),
    ("errors", 6, true),
    ("warnings", 6, true),
    ("accepted", 6, true),
];

fn write_error(path: &Path, problem: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(problem.to_string()),
    }
}

/// A boundary in metres, in `crs`.
fn in_system(session: &Session, boundary: &MultiPolygon<f64>, crs: &Crs) -> MultiPolygon<f64> {
    boundary.map_coords(|coord| {
        let (longitude, latitude) = session.projection().to_lon_lat(coord);
        let (x, y) = crs
            .from_wgs84(longitude, latitude)
            .unwrap_or((f64::NAN, f64::NAN));
        Coord { x, y }
    })
}

/// One community's row: texts and numbers in the order of [`SHAPEFILE_FIELDS`].
fn values(report: &CheckReport, index: usize) -> Vec<FieldValue> {
    let row = &report.communities[index];
    let count = |accepted: bool, severity: &str| {
        report
            .violations
            .iter()
            .filter(|violation| violation.communities.contains(&row.id))
            .filter(|violation| {
                violation.accepted.is_some() == accepted
                    && (accepted || violation.severity == severity)
            })
            .count() as f64
    };
    let type_zh = match row.kind {
        "geographic" => "地缘型",
        "work_unit" => "单位型",
        _ => "单元型",
    };
    let text = |value: &str| FieldValue::Character(Some(value.to_owned()));
    let number = |value: f64| FieldValue::Numeric(Some(value));
    vec![
        text(&row.id),
        text(&row.name),
        text(row.kind),
        text(type_zh),
        text(row.street_office.as_deref().unwrap_or("")),
        text(row.district.as_deref().unwrap_or("")),
        number(row.households as f64),
        number(row.residents as f64),
        number(f64::from(row.buildings)),
        number(row.estimated_households as f64),
        number(row.area_m2),
        number(count(false, "error")),
        number(count(false, "warning")),
        number(count(true, "")),
    ]
}

/// Writes `communities.shp` (and its companions) into `folder`, in `crs`, its text in
/// `encoding` (UTF-8 or GBK), and `grids.shp` beside it where communities have grids; the files
/// written.
pub fn write_shapefile(
    folder: &Path,
    session: &Session,
    report: &CheckReport,
    crs: &Crs,
    encoding: &'static encoding_rs::Encoding,
) -> Result<Vec<PathBuf>> {
    let communities = session
        .plan()
        .communities()
        .enumerate()
        .map(|(index, (_, community))| {
            (
                in_system(session, &community.boundary, crs),
                values(report, index),
            )
        });
    let mut written = write_polygons(
        &folder.join(SHAPEFILE_NAME),
        &SHAPEFILE_FIELDS,
        communities,
        crs,
        encoding,
    )?;
    if !report.grids.is_empty() {
        let grids = grids_with_figures(session, report).map(|(boundary, figures)| {
            (
                in_system(session, boundary, crs),
                vec![
                    FieldValue::Character(Some(figures.code.clone())),
                    FieldValue::Character(Some(figures.community.clone())),
                    FieldValue::Numeric(Some(figures.households as f64)),
                    FieldValue::Numeric(Some(figures.residents as f64)),
                    FieldValue::Numeric(Some(f64::from(figures.buildings))),
                ],
            )
        });
        written.extend(write_polygons(
            &folder.join(GRIDS_SHAPEFILE_NAME),
            &GRID_SHAPEFILE_FIELDS,
            grids,
            crs,
            encoding,
        )?);
    }
    Ok(written)
}

/// Each grid's boundary with its figures (the report lists the grids in the plan's order).
pub(super) fn grids_with_figures<'a>(
    session: &'a Session,
    report: &'a CheckReport,
) -> impl Iterator<Item = (&'a MultiPolygon<f64>, &'a crate::grid_figures::GridFigures)> {
    session
        .plan()
        .communities()
        .flat_map(|(_, community)| community.properties.grids.iter())
        .map(|grid| &grid.boundary)
        .zip(&report.grids)
}

/// One Shapefile of polygons with `fields` (name, width, numeric) and its `.cpg` and `.prj`.
fn write_polygons(
    path: &Path,
    fields: &[(&str, u8, bool)],
    features: impl Iterator<Item = (MultiPolygon<f64>, Vec<FieldValue>)>,
    crs: &Crs,
    encoding: &'static encoding_rs::Encoding,
) -> Result<Vec<PathBuf>> {
    let mut table = TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(encoding));
    for &(name, width, numeric) in fields {
        let name = FieldName::try_from(name).map_err(|error| write_error(path, error))?;
        table = if numeric {
            table.add_numeric_field(name, width, if width == 14 { 1 } else { 0 })
        } else {
            table.add_character_field(name, width)
        };
    }
    let mut writer =
        shapefile::Writer::from_path(path, table).map_err(|error| write_error(path, error))?;
    for (boundary, cells) in features {
        let polygon = shapefile::Polygon::from(boundary);
        let mut record = Record::default();
        for ((name, _, _), value) in fields.iter().zip(cells) {
            record.insert((*name).to_owned(), value);
        }
        writer
            .write_shape_and_record(&polygon, &record)
            .map_err(|error| write_error(path, error))?;
    }
    drop(writer);
    let mut written = vec![
        path.to_path_buf(),
        path.with_extension("shx"),
        path.with_extension("dbf"),
    ];
    let cpg = path.with_extension("cpg");
    let label = if encoding == encoding_rs::UTF_8 {
        "UTF-8"
    } else {
        "GBK"
    };
    std::fs::write(&cpg, label).map_err(|source| Error::Write {
        path: cpg.clone(),
        source,
    })?;
    written.push(cpg);
    if let Some(wkt) = crs.wkt() {
        let prj = path.with_extension("prj");
        std::fs::write(&prj, wkt).map_err(|source| Error::Write {
            path: prj.clone(),
            source,
        })?;
        written.push(prj);
    }
    Ok(written)
}

/// A geometry as a GeoPackage blob: the `GP` header (little-endian, no envelope) and WKB.
fn geopackage_blob(geometry: &geo::Geometry<f64>, srs_id: i32) -> Result<Vec<u8>> {
    let mut blob = vec![b'G', b'P', 0, 1];
    blob.extend_from_slice(&srs_id.to_le_bytes());
    wkb::writer::write_geometry(&mut blob, geometry, &wkb::writer::WriteOptions::default())
        .map_err(|error| write_error(Path::new(GEOPACKAGE_NAME), error))?;
    Ok(blob)
}

/// Writes `communities.gpkg` into `folder` (any file of that name is replaced): tables
/// `communities`, `street_offices` and `violations`, in `crs`.
pub fn write_geopackage(
    folder: &Path,
    session: &Session,
    report: &CheckReport,
    crs: &Crs,
) -> Result<PathBuf> {
    let path = folder.join(GEOPACKAGE_NAME);
    // Written beside, then moved over the old one, so a failure leaves the old file whole.
    let temporary = folder.join(format!(".{GEOPACKAGE_NAME}.writing"));
    std::fs::remove_file(&temporary).ok();
    let connection =
        rusqlite::Connection::open(&temporary).map_err(|error| write_error(&path, error))?;
    let mut writing = GeoPackageWriting {
        connection,
        path: &path,
        session,
        report,
        crs,
        srs_id: 0,
    };
    writing.srs_id = create_tables(&writing)?;
    insert_communities(&writing)?;
    insert_street_offices(&writing)?;
    insert_grids(&writing)?;
    insert_violations(&writing)?;
    drop(writing);
    std::fs::rename(&temporary, &path).map_err(|source| Error::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// A GeoPackage being written, and what its rows come from.
struct GeoPackageWriting<'a> {
    connection: rusqlite::Connection,
    path: &'a Path,
    session: &'a Session,
    report: &'a CheckReport,
    crs: &'a Crs,
    /// The id its geometries' system has in `gpkg_spatial_ref_sys`.
    srs_id: i32,
}

impl GeoPackageWriting<'_> {
    fn failed(&self, error: rusqlite::Error) -> Error {
        write_error(self.path, error)
    }
}

/// The GeoPackage's tables and its system's row; the system's id.
fn create_tables(writing: &GeoPackageWriting<'_>) -> Result<i32> {
    let crs = writing.crs;
    let (organisation, srs_id) = match crs.epsg_code() {
        Some(code) => ("EPSG", i32::try_from(code).unwrap_or(100_000)),
        None if crs.is_wgs84() => ("EPSG", 4326),
        None => ("NONE", 100_000),
    };
    let definition = crs.wkt().unwrap_or_else(|| "undefined".to_owned());
    writing.connection
        .execute_batch(
            "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
                organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
                definition TEXT NOT NULL, description TEXT);
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL);
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL);
            CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
                identifier TEXT UNIQUE, description TEXT DEFAULT '',
                last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
            CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
                geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL,
                m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name));
            CREATE TABLE communities (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB, id TEXT,
                name TEXT, type TEXT, type_zh TEXT, street_office TEXT, district TEXT,
                households INTEGER, residents INTEGER, buildings INTEGER,
                estimated_households INTEGER, area_m2 REAL, errors INTEGER, warnings INTEGER,
                accepted INTEGER);
            CREATE TABLE street_offices (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB,
                id TEXT, name TEXT, district TEXT, communities INTEGER, households INTEGER,
                residents INTEGER);
            CREATE TABLE grids (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB, code TEXT,
                community TEXT, households INTEGER, residents INTEGER, buildings INTEGER);
            CREATE TABLE violations (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB, rule TEXT,
                severity TEXT, clause INTEGER, message_zh TEXT, message_en TEXT,
                communities TEXT, accepted INTEGER);",
        )
        .map_err(|error| writing.failed(error))?;
    if srs_id != 4326 || organisation != "EPSG" || crs.is_wgs84() {
        writing
            .connection
            .execute(
                "INSERT OR REPLACE INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
                rusqlite::params![crs.name(), srs_id, organisation, srs_id, definition],
            )
            .map_err(|error| writing.failed(error))?;
    }
    for (table, kind) in [
        ("communities", "MULTIPOLYGON"),
        ("street_offices", "MULTIPOLYGON"),
        ("grids", "MULTIPOLYGON"),
        ("violations", "GEOMETRY"),
    ] {
        writing.connection
            .execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?1, 'features', ?1, ?2)",
                rusqlite::params![table, srs_id],
            )
            .map_err(|error| writing.failed(error))?;
        writing
            .connection
            .execute(
                "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
                rusqlite::params![table, kind, srs_id],
            )
            .map_err(|error| writing.failed(error))?;
    }
    Ok(srs_id)
}

/// One row per community: its boundary, figures and violation counts.
fn insert_communities(writing: &GeoPackageWriting<'_>) -> Result<()> {
    let srs_id = writing.srs_id;
    for (index, (_, community)) in writing.session.plan().communities().enumerate() {
        let geometry = geo::Geometry::MultiPolygon(in_system(
            writing.session,
            &community.boundary,
            writing.crs,
        ));
        let row = &writing.report.communities[index];
        let cells = values(writing.report, index);
        let number = |cell: &FieldValue| match cell {
            FieldValue::Numeric(Some(value)) => *value,
            _ => 0.0,
        };
        writing.connection
            .execute(
                "INSERT INTO communities (geom, id, name, type, type_zh, street_office, district, households, residents, buildings, estimated_households, area_m2, errors, warnings, accepted) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                rusqlite::params![
                    geopackage_blob(&geometry, srs_id)?,
                    row.id,
                    row.name,
                    row.kind,
                    match &cells[3] {
                        FieldValue::Character(Some(text)) => text.clone(),
                        _ => String::new(),
                    },
                    row.street_office,
                    row.district,
                    row.households as i64,
                    row.residents as i64,
                    i64::from(row.buildings),
                    row.estimated_households as i64,
                    row.area_m2,
                    number(&cells[11]) as i64,
                    number(&cells[12]) as i64,
                    number(&cells[13]) as i64,
                ],
            )
            .map_err(|error| writing.failed(error))?;
    }
    Ok(())
}

/// One row per management grid (none where no community has grids).
fn insert_grids(writing: &GeoPackageWriting<'_>) -> Result<()> {
    for (boundary, figures) in grids_with_figures(writing.session, writing.report) {
        let geometry =
            geo::Geometry::MultiPolygon(in_system(writing.session, boundary, writing.crs));
        writing
            .connection
            .execute(
                "INSERT INTO grids (geom, code, community, households, residents, buildings) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    geopackage_blob(&geometry, writing.srs_id)?,
                    figures.code,
                    figures.community,
                    figures.households as i64,
                    figures.residents as i64,
                    i64::from(figures.buildings),
                ],
            )
            .map_err(|error| writing.failed(error))?;
    }
    Ok(())
}

/// One row per street office, with its boundary where one is given.
fn insert_street_offices(writing: &GeoPackageWriting<'_>) -> Result<()> {
    let srs_id = writing.srs_id;
    for office in &writing.session.plan().street_offices {
        let figures = writing
            .report
            .street_offices
            .iter()
            .find(|figures| figures.name == office.name);
        let geometry = office.boundary.as_ref().map(|boundary| {
            geo::Geometry::MultiPolygon(in_system(writing.session, boundary, writing.crs))
        });
        writing.connection
            .execute(
                "INSERT INTO street_offices (geom, id, name, district, communities, households, residents) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    geometry
                        .as_ref()
                        .map(|geometry| geopackage_blob(geometry, srs_id))
                        .transpose()?,
                    office.id,
                    office.name,
                    office.district,
                    figures.map(|figures| i64::from(figures.communities)),
                    figures.map(|figures| figures.households as i64),
                    figures.map(|figures| figures.residents as i64),
                ],
            )
            .map_err(|error| writing.failed(error))?;
    }
    Ok(())
}

/// One row per violation, located where it is.
fn insert_violations(writing: &GeoPackageWriting<'_>) -> Result<()> {
    let srs_id = writing.srs_id;
    // In the report's order: errors first, each severity in the rules' order.
    let mut checked = writing.session.violations();
    checked.sort_by_key(|checked| checked.violation.severity != crate::violation::Severity::Error);
    for (violation, checked) in writing.report.violations.iter().zip(&checked) {
        let geometry =
            location_in_system(writing.session, &checked.violation.location, writing.crs);
        writing.connection
            .execute(
                "INSERT INTO violations (geom, rule, severity, clause, message_zh, message_en, communities, accepted) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![
                    geometry
                        .as_ref()
                        .map(|geometry| geopackage_blob(geometry, srs_id))
                        .transpose()?,
                    violation.rule,
                    violation.severity,
                    violation.clause,
                    violation.message_zh,
                    violation.message_en,
                    violation.communities.join(", "),
                    i64::from(violation.accepted.is_some()),
                ],
            )
            .map_err(|error| writing.failed(error))?;
    }
    Ok(())
}

/// Where a violation is, in `crs`.
fn location_in_system(
    session: &Session,
    location: &crate::violation::Location,
    crs: &Crs,
) -> Option<geo::Geometry<f64>> {
    use crate::violation::Location;
    let point = |coord: Coord<f64>| {
        let (longitude, latitude) = session.projection().to_lon_lat(coord);
        crs.from_wgs84(longitude, latitude)
            .map(|(x, y)| Coord { x, y })
            .unwrap_or(Coord {
                x: f64::NAN,
                y: f64::NAN,
            })
    };
    Some(match location {
        Location::Point(at) => geo::Geometry::Point(point(*at).into()),
        Location::Areas(areas) => geo::Geometry::MultiPolygon(areas.map_coords(point)),
        Location::Lines(lines) => geo::Geometry::MultiLineString(lines.map_coords(point)),
    })
}
