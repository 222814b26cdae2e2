//! Finding things in a plan by what a planner types: communities by name or id, street offices,
//! streets by name or by their pinyin, spelled or as initials ("zjl" finds 章江路), buildings by id, and a
//! coordinate ("115.90, 28.68"). Each hit carries the extent to show. The search over a plan is
//! [`crate::Session::search`].

use std::collections::HashMap;

use geo::{BoundingRect, Coord};
use pinyin::{ToPinyin, ToPinyinMulti};

use crate::ids::CommunityKey;
use crate::index::extent_union;
use crate::layers::Street;

/// The most hits a search returns.
pub const MOST_HITS: usize = 20;

/// What a hit is.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A community.
    Community(CommunityKey),
    /// A street office: its communities.
    StreetOffice {
        /// Its name.
        name: String,
        /// Its communities.
        communities: Vec<CommunityKey>,
    },
    /// The streets of a name.
    Street {
        /// The name.
        name: String,
        /// The streets (indices into the street layer) that bear it.
        streets: Vec<u32>,
    },
    /// A building (index into the building layer).
    Building(u32),
    /// A point typed as longitude and latitude, metres.
    Place(Coord<f64>),
    /// A management grid, by its code.
    Grid {
        /// Its community.
        community: CommunityKey,
        /// Its code.
        code: String,
    },
}

/// How well a hit matched: lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Closeness {
    /// The whole name or id.
    Exact,
    /// The start of the name or id.
    Prefix,
    /// Somewhere in the name.
    Contains,
    /// The name's pinyin: its initials ("zjl") or spelled out ("zhangjiang").
    Pinyin,
}

/// One thing found.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// What it is.
    pub found: Found,
    /// Its name (or id, or the coordinate) as shown.
    pub title: String,
    /// How well it matched.
    pub closeness: Closeness,
    /// Its extent, metres: lower-left and upper-right corners.
    pub extent: [Coord<f64>; 2],
}

/// A name ready to match: lower-cased, with the possible pinyin initials of each character.
#[derive(Debug, Clone)]
pub struct Searchable {
    lowered: String,
    /// The name spelled in pinyin, each character by its first reading, without spaces.
    spelled: String,
    /// Per Chinese character, every letter its readings begin with; per Latin word, its first
    /// letter; per digit, itself. Other characters are left out.
    initials: Vec<Vec<char>>,
}

impl Searchable {
    /// Prepares `name`.
    pub fn new(name: &str) -> Self {
        let mut previous = ' ';
        let initials = name
            .chars()
            .filter_map(|character| {
                let after = std::mem::replace(&mut previous, character);
                // A Latin word gives its first letter; a number, every digit (纬10路 is w10l).
                if character.is_ascii_digit() {
                    return Some(vec![character]);
                }
                if character.is_ascii_alphabetic() {
                    return (!after.is_ascii_alphabetic())
                        .then(|| vec![character.to_ascii_lowercase()]);
                }
                let readings = character.to_pinyin_multi()?;
                let mut letters: Vec<char> = readings
                    .into_iter()
                    .filter_map(|reading| reading.first_letter().chars().next())
                    .collect();
                letters.sort_unstable();
                letters.dedup();
                Some(letters)
            })
            .collect();
        let spelled = name
            .chars()
            .filter_map(|character| match character.to_pinyin() {
                Some(reading) => Some(reading.plain().to_owned()),
                None if character.is_ascii_alphanumeric() => {
                    Some(character.to_ascii_lowercase().to_string())
                }
                None => None,
            })
            .collect();
        Self {
            lowered: name.to_lowercase(),
            spelled,
            initials,
        }
    }

    /// How `query` (already lower-cased and trimmed) matches this name, if it does.
    pub fn closeness(&self, query: &str) -> Option<Closeness> {
        if self.lowered == query {
            Some(Closeness::Exact)
        } else if self.lowered.starts_with(query) {
            Some(Closeness::Prefix)
        } else if self.lowered.contains(query) {
            Some(Closeness::Contains)
        } else if self.initials_contain(query) || self.spelled_contains(query) {
            Some(Closeness::Pinyin)
        } else {
            None
        }
    }

    /// True when `query`, three or more letters, is part of the name spelled in pinyin.
    fn spelled_contains(&self, query: &str) -> bool {
        query.len() >= 3
            && query
                .chars()
                .all(|character| character.is_ascii_alphanumeric())
            && self.spelled.contains(query)
    }

    /// True when `query`, all letters, is a run of this name's initials.
    fn initials_contain(&self, query: &str) -> bool {
        let letters: Vec<char> = query.chars().collect();
        if letters.len() < 2 || !letters.iter().all(char::is_ascii_alphanumeric) {
            return false;
        }
        self.initials.windows(letters.len()).any(|window| {
            window
                .iter()
                .zip(&letters)
                .all(|(possible, letter)| possible.contains(letter))
        })
    }
}

/// The street layer's names, each with the streets that bear it and their extent: built once per
/// session, on the first search.
#[derive(Debug, Clone, Default)]
pub struct StreetNames {
    names: Vec<StreetName>,
}

/// One street name, ready to match, with the streets that bear it and their extent.
#[derive(Debug, Clone)]
struct StreetName {
    name: String,
    searchable: Searchable,
    streets: Vec<u32>,
    extent: [Coord<f64>; 2],
}

impl StreetNames {
    /// Groups the streets by name.
    pub fn new(streets: &[Street]) -> Self {
        let mut by_name: HashMap<&str, (Vec<u32>, [Coord<f64>; 2])> = HashMap::new();
        for (index, street) in streets.iter().enumerate() {
            let (Some(name), Some(bounds)) = (
                street.name.as_deref().map(str::trim),
                street.lines.bounding_rect(),
            ) else {
                continue;
            };
            if name.is_empty() {
                continue;
            }
            let entry = by_name
                .entry(name)
                .or_insert_with(|| (Vec::new(), [bounds.min(), bounds.max()]));
            entry.0.push(index as u32);
            entry.1 = extent_union(entry.1, [bounds.min(), bounds.max()]);
        }
        let mut names: Vec<_> = by_name
            .into_iter()
            .map(|(name, (streets, extent))| StreetName {
                name: name.to_owned(),
                searchable: Searchable::new(name),
                streets,
                extent,
            })
            .collect();
        names.sort_by(|a, b| a.name.cmp(&b.name));
        Self { names }
    }

    /// How many names there are.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no street has a name.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The names `query` (lower-cased and trimmed) matches, each as a hit.
    pub fn matching<'a>(&'a self, query: &'a str) -> impl Iterator<Item = SearchHit> + 'a {
        self.names.iter().filter_map(move |street| {
            // Matched before anything is copied: most names are not hits.
            let closeness = street.searchable.closeness(query)?;
            Some(SearchHit {
                found: Found::Street {
                    name: street.name.clone(),
                    streets: street.streets.clone(),
                },
                title: street.name.clone(),
                closeness,
                extent: street.extent,
            })
        })
    }
}

/// A longitude and latitude typed as two numbers ("115.90, 28.68", "28.68 115.90", with a
/// Chinese comma too); the order is taken as longitude first unless only the other order fits.
pub fn parse_coordinate(query: &str) -> Option<(f64, f64)> {
    let numbers: Vec<f64> = query
        .split(|character: char| {
            character == ',' || character == '，' || character == ';' || character.is_whitespace()
        })
        .filter(|part| !part.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [first, second] = numbers[..] else {
        return None;
    };
    let fits = |longitude: f64, latitude: f64| {
        longitude.is_finite()
            && latitude.is_finite()
            && longitude.abs() <= 180.0
            && latitude.abs() <= 90.0
    };
    if fits(first, second) {
        Some((first, second))
    } else if fits(second, first) {
        Some((second, first))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_find_a_chinese_name_and_a_heteronym_reads_either_way() {
        let street = Searchable::new("章江路");
        assert_eq!(street.closeness("zjl"), Some(Closeness::Pinyin));
        assert_eq!(street.closeness("jl"), Some(Closeness::Pinyin));
        assert_eq!(street.closeness("zl"), None);
        assert_eq!(street.closeness("zhangjiang"), Some(Closeness::Pinyin));
        assert_eq!(street.closeness("jianglu"), Some(Closeness::Pinyin));
        // 长 reads cháng and zhǎng.
        assert_eq!(
            Searchable::new("长沙路").closeness("csl"),
            Some(Closeness::Pinyin)
        );
        assert_eq!(
            Searchable::new("长沙路").closeness("zsl"),
            Some(Closeness::Pinyin)
        );
    }

    #[test]
    fn names_match_whole_then_start_then_anywhere_ignoring_case() {
        let street = Searchable::new("Rua de Santa Catarina");
        assert_eq!(
            street.closeness("rua de santa catarina"),
            Some(Closeness::Exact)
        );
        assert_eq!(street.closeness("rua de"), Some(Closeness::Prefix));
        assert_eq!(street.closeness("catarina"), Some(Closeness::Contains));
        assert_eq!(street.closeness("rdsc"), Some(Closeness::Pinyin));
        assert_eq!(street.closeness("x"), None);
    }

    #[test]
    fn a_coordinate_is_read_in_either_order_and_with_a_chinese_comma() {
        assert_eq!(parse_coordinate("115.90, 28.68"), Some((115.90, 28.68)));
        assert_eq!(parse_coordinate("28.68 115.90"), Some((115.90, 28.68)));
        assert_eq!(parse_coordinate("115.9，28.68"), Some((115.9, 28.68)));
        assert_eq!(parse_coordinate("-8.61 41.15"), Some((-8.61, 41.15)));
        assert_eq!(parse_coordinate("115.9"), None);
        assert_eq!(parse_coordinate("200 100"), None);
        assert_eq!(parse_coordinate("章江路"), None);
    }
}
