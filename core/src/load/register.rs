//! A household register joined to the buildings by their id (the register's building field):
//! a building with rows takes their households (and residents, or the estimate from the
//! households); a residential building without rows keeps what the layer gave (its data, else
//! the estimate), and loading says how many there are, and how many rows matched no building.

use std::collections::HashSet;

use crate::error::Result;
use crate::io::register::{RegisterSpec, read_table, register_figures};
use crate::io::warnings::{LoadWarning, WarningCollector};
use crate::lang::Words;
use crate::layers::{Building, FigureSource, estimate_residents};
use crate::profile::RuleProfile;

/// How many of each a register gave.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegisterOutcome {
    /// Buildings that took their households from the register.
    pub matched_buildings: usize,
    /// Residential buildings without a row.
    pub residential_without_rows: usize,
    /// Keys of the register that matched no building.
    pub unmatched_keys: usize,
}

/// How many buildings or keys a warning names.
const NAMED: usize = 5;

/// Joins the register `spec` describes to `buildings`; the warnings say what did not join.
pub fn apply_register(
    buildings: &mut [Building],
    spec: &RegisterSpec,
    profile: &RuleProfile,
) -> Result<(RegisterOutcome, Vec<LoadWarning>)> {
    let table = read_table(&spec.path, spec.sheet.as_deref())?;
    let figures = register_figures(&table, spec)?;
    let mut outcome = RegisterOutcome::default();
    let mut used: HashSet<&str> = HashSet::new();
    let mut without_rows = WarningCollector::new(&spec.path);
    for (index, building) in buildings.iter_mut().enumerate() {
        match figures.by_key.get_key_value(&*building.source_id) {
            Some((key, &(households, residents))) => {
                used.insert(key.as_str());
                outcome.matched_buildings += 1;
                // At most a billion households in a register row: within u32.
                building.households = u32::try_from(households).unwrap_or(u32::MAX);
                building.households_source = FigureSource::Data;
                building.residential = building.residential || households > 0;
                (building.residents, building.residents_source) = match residents {
                    Some(residents) => (
                        u32::try_from(residents).unwrap_or(u32::MAX),
                        FigureSource::Data,
                    ),
                    None => (
                        estimate_residents(building.households, profile),
                        FigureSource::Estimate,
                    ),
                };
            }
            None if building.residential => {
                outcome.residential_without_rows += 1;
                without_rows.add(
                    Words::new(
                        "是住宅，但在户籍登记表中没有对应行；其户数取自楼栋图层或估算",
                        "are residential but have no row in the household register; their households come from the buildings layer, or are estimated",
                    ),
                    Words::new(
                        "请核对登记表的编码与楼栋的编码（相同的编码、相同的写法），或补上缺少的行。",
                        "Check the register's keys against the buildings' (the same codes, the same spelling), or add the missing rows.",
                    ),
                    index,
                    &building.source_id,
                );
            }
            None => {}
        }
    }
    let mut warnings = without_rows.finish();
    let mut unmatched: Vec<&String> = figures
        .by_key
        .keys()
        .filter(|key| !used.contains(key.as_str()))
        .collect();
    unmatched.sort();
    outcome.unmatched_keys = unmatched.len();
    if !unmatched.is_empty() {
        let mut collector = WarningCollector::new(&spec.path);
        let first = unmatched
            .iter()
            .take(NAMED)
            .map(|key| key.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let (buildings_field, register_field) = (&spec.building_field, &spec.table_field);
        collector.add_file_problem(
            Words::new(
                format!("的编码对不上任何楼栋（首个: {first}），未计入"),
                format!("have keys that match no building (first: {first}) and were not counted"),
            ),
            Words::new(
                format!(
                    "请核对楼栋的「{buildings_field}」与登记表的「{register_field}」是否为同一套编码。"
                ),
                format!(
                    "Check that \"{buildings_field}\" of the buildings holds the same codes as \"{register_field}\" of the register."
                ),
            ),
            unmatched.len(),
        );
        warnings.extend(collector.finish());
    }
    if !figures.unreadable_rows.is_empty() {
        let mut collector = WarningCollector::new(&spec.path);
        let rows = figures
            .unreadable_rows
            .iter()
            .take(NAMED)
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        collector.add_file_problem(
            Words::new(
                format!("没有编码，或户数/人口不是整数（第 {rows} 行），已跳过"),
                format!(
                    "have no key or a households/residents figure that is not a whole number (rows {rows}) and were skipped"
                ),
            ),
            Words::new(
                "请填写编码，并把数字写成整数。",
                "Fill in the key and write the figures as whole numbers.",
            ),
            figures.unreadable_rows.len(),
        );
        warnings.extend(collector.finish());
    }
    Ok((outcome, warnings))
}
