//! The search over a plan: what a planner types in the search box, found among its communities,
//! street offices, named streets and buildings, or read as a coordinate.

use std::collections::HashMap;

use geo::Coord;

use crate::ids::CommunityKey;
use crate::index::extent_union;
use crate::search::{
    Closeness, Found, MOST_HITS, SearchHit, Searchable, StreetNames, parse_coordinate,
};

use super::Session;

impl Session {
    /// What `query` finds, best first: closer matches before looser ones, then communities,
    /// street offices, streets, buildings. At most [`MOST_HITS`].
    pub fn search(&self, query: &str) -> Vec<SearchHit> {
        let query = query.trim().to_lowercase();
        if query.is_empty() {
            return Vec::new();
        }
        let mut hits = Vec::new();
        if let Some((longitude, latitude)) = parse_coordinate(&query) {
            let point = self.projection.to_metres(longitude, latitude);
            hits.push(SearchHit {
                found: Found::Place(point),
                title: format!("{longitude:.6}, {latitude:.6}"),
                closeness: Closeness::Exact,
                extent: [point, point],
            });
            return hits;
        }
        self.search_communities(&query, &mut hits);
        self.search_street_names(&query, &mut hits);
        self.search_buildings(&query, &mut hits);
        // Closer first, then shorter titles; a stable sort keeps the kinds in the order they were
        // searched where both tie.
        hits.sort_by(|a, b| {
            a.closeness
                .cmp(&b.closeness)
                .then(a.title.chars().count().cmp(&b.title.chars().count()))
        });
        hits.truncate(MOST_HITS);
        hits
    }

    /// Communities by name or id, their grids by code, and street offices by name.
    fn search_communities(&self, query: &str, hits: &mut Vec<SearchHit>) {
        let mut street_offices: HashMap<&str, (Vec<CommunityKey>, [Coord<f64>; 2])> =
            HashMap::new();
        for (key, community) in self.plan.communities() {
            let Some(extent) = self.community_index.envelope(key) else {
                continue;
            };
            let by_name = Searchable::new(&community.properties.name).closeness(query);
            let by_id = Searchable::new(&community.id)
                .closeness(query)
                .filter(|&closeness| closeness <= Closeness::Prefix);
            if let Some(closeness) = by_name.into_iter().chain(by_id).min() {
                hits.push(SearchHit {
                    found: Found::Community(key),
                    title: community.properties.name.clone(),
                    closeness,
                    extent,
                });
            }
            // A grid's code begins with its community's id: grids are listed once the query
            // reaches past the id into a grid's number.
            if query.len() > community.id.len() {
                for grid in &community.properties.grids {
                    let Some(closeness) = Searchable::new(&grid.code)
                        .closeness(query)
                        .filter(|&closeness| closeness <= Closeness::Prefix)
                    else {
                        continue;
                    };
                    let Some(bounds) = geo::BoundingRect::bounding_rect(&grid.boundary) else {
                        continue;
                    };
                    hits.push(SearchHit {
                        found: Found::Grid {
                            community: key,
                            code: grid.code.clone(),
                        },
                        title: grid.code.clone(),
                        closeness,
                        extent: [bounds.min(), bounds.max()],
                    });
                }
            }
            if let Some(office) = community.properties.street_office.as_deref() {
                let entry = street_offices
                    .entry(office)
                    .or_insert_with(|| (Vec::new(), extent));
                entry.0.push(key);
                entry.1 = extent_union(entry.1, extent);
            }
        }
        let mut offices: Vec<_> = street_offices.into_iter().collect();
        offices.sort_by(|a, b| a.0.cmp(b.0));
        for (name, (communities, extent)) in offices {
            if let Some(closeness) = Searchable::new(name).closeness(query) {
                hits.push(SearchHit {
                    found: Found::StreetOffice {
                        name: name.to_owned(),
                        communities,
                    },
                    title: name.to_owned(),
                    closeness,
                    extent,
                });
            }
        }
    }

    /// Streets by name, each name once.
    fn search_street_names(&self, query: &str, hits: &mut Vec<SearchHit>) {
        let names = self
            .street_names
            .get_or_init(|| StreetNames::new(&self.layers.streets));
        hits.extend(names.matching(query));
    }

    /// Buildings by id: the whole id, or its start once three characters are typed.
    fn search_buildings(&self, query: &str, hits: &mut Vec<SearchHit>) {
        let by_prefix = query.chars().count() >= 3;
        let mut found = 0;
        for (index, building) in self.layers.buildings.iter().enumerate() {
            let id = &*building.source_id;
            let closeness = if id.eq_ignore_ascii_case(query) {
                Closeness::Exact
            } else if by_prefix
                && id.len() > query.len()
                && id.is_char_boundary(query.len())
                && id[..query.len()].eq_ignore_ascii_case(query)
            {
                Closeness::Prefix
            } else {
                continue;
            };
            let [low, high] = building.envelope();
            hits.push(SearchHit {
                found: Found::Building(index as u32),
                title: id.to_owned(),
                closeness,
                extent: [low, high],
            });
            found += 1;
            if found == MOST_HITS {
                break;
            }
        }
    }
}
