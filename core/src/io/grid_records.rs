//! A community's management grids as its plan-file property `grids`: a list of
//! `{"code": "…001", "boundary": <GeoJSON Polygon or MultiPolygon in longitude/latitude>}`, in
//! code order. Kept in the community's properties, grids travel with it through edits, undo,
//! scenarios and saves.

use serde_json::{Value, json};

use crate::io::geojson::RawGeometry;
use crate::io::geojson_out::multipolygon_json;
use crate::io::geometry_in::polygons_in_metres;
use crate::plan::Grid;
use crate::projection::LocalProjection;

/// The property's key.
pub const GRIDS_KEY: &str = "grids";

/// The grids of a community's `grids` property, boundaries in metres; the problem (which grid,
/// what is wrong) when one cannot be read.
pub fn grids_from_property(
    value: &Value,
    projection: &LocalProjection,
) -> Result<Vec<Grid>, String> {
    let Value::Array(records) = value else {
        return Err(format!("its {GRIDS_KEY} `{value}` is not a list of grids"));
    };
    records
        .iter()
        .enumerate()
        .map(|(number, record)| {
            let code = record
                .get("code")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("grid {} of its {GRIDS_KEY} has no code", number + 1))?;
            let geometry: RawGeometry = record
                .get("boundary")
                .cloned()
                .ok_or_else(|| format!("grid {code} has no boundary"))
                .and_then(|boundary| {
                    serde_json::from_value(boundary).map_err(|error| {
                        format!("grid {code}: its boundary is not a GeoJSON geometry ({error})")
                    })
                })?;
            let converted = polygons_in_metres(Some(&geometry), projection).map_err(|problem| {
                format!("grid {code}: its boundary {}", problem.describe_one())
            })?;
            Ok(Grid {
                code: code.to_owned(),
                boundary: converted.polygons,
            })
        })
        .collect()
}

/// The `grids` property of these grids.
pub fn grids_property(grids: &[Grid], projection: &LocalProjection) -> Value {
    Value::Array(
        grids
            .iter()
            .map(|grid| {
                json!({
                    "code": grid.code,
                    "boundary": multipolygon_json(&grid.boundary, projection),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use geo::{LineString, MultiPolygon, Polygon};
    use serde_json::json;

    use super::{grids_from_property, grids_property};
    use crate::plan::Grid;
    use crate::projection::LocalProjection;

    #[test]
    fn grids_written_to_the_property_read_back_as_they_were() {
        let projection = LocalProjection::centred_on(115.9, 28.68);
        let square = LineString::from(vec![
            (0.0, 0.0),
            (100.0, 0.0),
            (100.0, 80.0),
            (0.0, 80.0),
            (0.0, 0.0),
        ]);
        let grids = vec![Grid {
            code: "360102001001001".to_owned(),
            boundary: MultiPolygon::new(vec![Polygon::new(square, Vec::new())]),
        }];
        let read =
            grids_from_property(&grids_property(&grids, &projection), &projection).expect("reads");
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].code, grids[0].code);
        let area = |boundary: &MultiPolygon<f64>| geo::Area::unsigned_area(boundary);
        assert!((area(&read[0].boundary) - 8000.0).abs() < 1.0);
    }

    #[test]
    fn a_grid_without_a_code_or_boundary_is_named_in_the_problem() {
        let projection = LocalProjection::centred_on(115.9, 28.68);
        let problem =
            grids_from_property(&json!([{"boundary": null}]), &projection).expect_err("no code");
        assert!(problem.contains("grid 1"), "{problem}");
        let problem =
            grids_from_property(&json!([{"code": "X001"}]), &projection).expect_err("no boundary");
        assert!(problem.contains("X001"), "{problem}");
        assert!(grids_from_property(&json!("a grid"), &projection).is_err());
    }
}
