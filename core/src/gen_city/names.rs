//! Real Nanchang names for generated districts, street offices and communities, from the
//! National Bureau of Statistics division codes and the 2020 census tables in `assets/nanchang/`.

use std::collections::HashSet;

const DISTRICTS_CSV: &str =
    include_str!("../../../assets/nanchang/nanchang_districts_census2020.csv");
const TOWNSHIPS_CSV: &str =
    include_str!("../../../assets/nanchang/nanchang_township_units_nbs2023.csv");
const VILLAGES_CSV: &str =
    include_str!("../../../assets/nanchang/nanchang_village_level_units_nbs2023.csv");

/// The name tables.
pub struct Names {
    /// (code, name) of each district.
    pub districts: Vec<(String, String)>,
    /// (code, name, district code) of each street-level unit.
    townships: Vec<(String, String, String)>,
    /// (community name, township code) of each residents' committee.
    villages: Vec<(String, String)>,
}

fn csv_rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.split(',').collect())
}

/// "民巷社区居委会" → "民巷社区": the community, not its committee.
fn community_name(committee: &str) -> String {
    match committee.find("社区") {
        Some(position) => committee[..position + "社区".len()].to_owned(),
        None => committee.to_owned(),
    }
}

/// Takes `count` (code, name) pairs, numbering repeats ("…社区2") once the list runs out.
fn unique_names(names: Vec<(String, String)>, count: usize) -> Vec<(String, String)> {
    let mut seen = HashSet::new();
    let distinct: Vec<(String, String)> = names
        .into_iter()
        .filter(|(_, name)| seen.insert(name.clone()))
        .collect();
    (0..count)
        .map(|index| {
            let (code, name) = &distinct[index % distinct.len()];
            let round = index / distinct.len();
            if round == 0 {
                (code.clone(), name.clone())
            } else {
                (format!("{code}-{round}"), format!("{name}{}", round + 1))
            }
        })
        .collect()
}

impl Names {
    /// Reads the built-in tables.
    pub fn load() -> Self {
        Self {
            districts: csv_rows(DISTRICTS_CSV)
                .map(|row| (row[0].to_owned(), row[1].to_owned()))
                .collect(),
            townships: csv_rows(TOWNSHIPS_CSV)
                .map(|row| (row[0].to_owned(), row[1].to_owned(), row[2].to_owned()))
                .collect(),
            villages: csv_rows(VILLAGES_CSV)
                .filter(|row| row[1].contains("社区"))
                .map(|row| (community_name(row[1]), row[2].to_owned()))
                .collect(),
        }
    }

    /// (code, name) of district `index`, numbered when there are more than the table has.
    pub fn district(&self, index: usize) -> (String, String) {
        let (code, name) = &self.districts[index % self.districts.len()];
        let round = index / self.districts.len();
        if round == 0 {
            (code.clone(), name.clone())
        } else {
            (format!("{code}-{round}"), format!("{name}{}", round + 1))
        }
    }

    /// Street-office (code, name) pairs: the 街道 of the given districts first, then the others.
    pub fn street_offices(&self, district_codes: &[String], count: usize) -> Vec<(String, String)> {
        let is_street = |name: &str| name.ends_with("街道");
        let mut names: Vec<(String, String)> = Vec::new();
        for code in district_codes {
            names.extend(
                self.townships
                    .iter()
                    .filter(|(_, name, district)| district == code && is_street(name))
                    .map(|(township, name, _)| (township.clone(), name.clone())),
            );
        }
        names.extend(
            self.townships
                .iter()
                .filter(|(_, name, district)| !district_codes.contains(district) && is_street(name))
                .map(|(township, name, _)| (township.clone(), name.clone())),
        );
        unique_names(names, count)
    }

    /// Community names: those of the given street offices first, then all others.
    pub fn communities(&self, township_codes: &[String], count: usize) -> Vec<String> {
        let mut names: Vec<(String, String)> = Vec::new();
        for code in township_codes {
            names.extend(
                self.villages
                    .iter()
                    .filter(|(_, township)| township == code)
                    .map(|(name, township)| (township.clone(), name.clone())),
            );
        }
        names.extend(
            self.villages
                .iter()
                .filter(|(_, township)| !township_codes.contains(township))
                .map(|(name, township)| (township.clone(), name.clone())),
        );
        unique_names(names, count)
            .into_iter()
            .map(|(_, name)| name)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committee_names_become_community_names() {
        assert_eq!(community_name("民巷社区居委会"), "民巷社区");
        assert_eq!(community_name("建新社区居委员会"), "建新社区");
    }

    #[test]
    fn names_repeat_numbered_once_the_table_runs_out() {
        let names = unique_names(
            vec![("1".into(), "甲".into()), ("2".into(), "乙".into())],
            3,
        );
        assert_eq!(names[2], ("1-1".to_owned(), "甲2".to_owned()));
    }
}
