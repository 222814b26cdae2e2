//! Scenarios (方案): alternative community sets over the same layers, street offices and
//! districts, in one plan file. The active scenario lives in the session's own fields; the others
//! wait in their slots, each with its own undo history and, once counted, its index, tallies and
//! violations, so that switching back is a swap. A scenario not yet counted is counted when first
//! switched to.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use crate::audit::{LogAction, LogEntry};
use crate::error::{Error, Result};
use crate::exception::AcceptedException;
use crate::history::History;
use crate::index::CommunityIndex;
use crate::io::geojson::{RawCollection, RawFeature};
use crate::io::plan_file::{StoredScenario, communities_from_collection, community_feature};
use crate::plan::{Community, Plan};
use crate::rules::RuleResults;
use crate::tally::{CommunityTally, Tallies};
use crate::violation::ViolationKey;

use super::Session;

/// The name of a plan's only scenario when the file names none.
pub const DEFAULT_SCENARIO_NAME: &str = "方案一";

/// A scenario of the plan: its name, and its parts while it is not the active one.
#[derive(Debug, Clone)]
pub(super) struct ScenarioSlot {
    name: String,
    /// None for the active scenario, whose parts are the session's own.
    waiting: Option<Box<WaitingScenario>>,
}

impl ScenarioSlot {
    /// The active scenario's slot.
    pub(super) fn active(name: String) -> Self {
        Self {
            name,
            waiting: None,
        }
    }
}

/// A scenario that is not the active one.
#[derive(Debug, Clone)]
struct WaitingScenario {
    plan: Plan,
    exceptions: Vec<AcceptedException>,
    history: History,
    opened: Arc<(Plan, Vec<AcceptedException>)>,
    /// Its index, tallies and violations, once it has been active.
    counted: Option<Counted>,
    /// Members of its stored form this version does not know, kept.
    other_members: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone)]
struct Counted {
    community_index: CommunityIndex,
    tallies: Tallies,
    rules: RuleResults,
    baseline: HashSet<(ViolationKey, String)>,
}

/// Why a scenario operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// No scenario has this name.
    #[error("the plan has no scenario named \"{name}\"; its scenarios are: {known}")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The plan's scenarios, comma-separated.
        known: String,
    },
    /// The name is taken, or blank.
    #[error("\"{name}\" cannot name a new scenario: the name is blank or already used")]
    NameTaken {
        /// The name asked for.
        name: String,
    },
    /// The last scenario cannot be deleted.
    #[error("a plan keeps at least one scenario: \"{name}\" is its last")]
    LastScenario {
        /// The scenario's name.
        name: String,
    },
    /// A drag or another step is still open.
    #[error("finish the change in progress before switching scenarios")]
    StepOpen,
}

impl Session {
    /// Every scenario's name, in the plan's order.
    pub fn scenario_names(&self) -> Vec<&str> {
        self.scenarios
            .iter()
            .map(|slot| slot.name.as_str())
            .collect()
    }

    /// The active scenario's name.
    pub fn scenario_name(&self) -> &str {
        &self.scenarios[self.active_scenario].name
    }

    fn scenario_index(&self, name: &str) -> std::result::Result<usize, ScenarioError> {
        self.scenarios
            .iter()
            .position(|slot| slot.name == name)
            .ok_or_else(|| ScenarioError::Unknown {
                name: name.to_owned(),
                known: self.scenario_names().join(", "),
            })
    }

    /// Makes `name` the active scenario: its communities, exceptions, undo history and figures
    /// become the session's, the others wait with theirs.
    pub fn switch_scenario(&mut self, name: &str) -> std::result::Result<(), ScenarioError> {
        let target = self.scenario_index(name)?;
        if target == self.active_scenario {
            return Ok(());
        }
        if self.history.in_transaction() {
            return Err(ScenarioError::StepOpen);
        }
        let Some(incoming) = self.scenarios[target].waiting.take() else {
            return Ok(());
        };
        let outgoing = self.take_active();
        self.put_active(*incoming, &outgoing);
        self.scenarios[self.active_scenario].waiting = Some(Box::new(outgoing));
        self.active_scenario = target;
        Ok(())
    }

    /// A new scenario, a copy of the active one's communities and exceptions (with a history of
    /// its own), placed after it; the active scenario stays active.
    pub fn create_scenario(&mut self, name: &str) -> std::result::Result<(), ScenarioError> {
        let name = self.new_scenario_name(name)?;
        let copy = WaitingScenario {
            plan: self.plan.clone(),
            exceptions: self.settings.exceptions.clone(),
            history: History::default(),
            opened: Arc::new((self.plan.clone(), self.settings.exceptions.clone())),
            counted: Some(Counted {
                community_index: self.community_index.clone(),
                tallies: self.tallies.clone(),
                rules: self.rules.clone(),
                baseline: self.baseline.clone(),
            }),
            other_members: serde_json::Map::new(),
        };
        self.scenarios.insert(
            self.active_scenario + 1,
            ScenarioSlot {
                name: name.clone(),
                waiting: Some(Box::new(copy)),
            },
        );
        self.scenario_changed(("新建方案", "new scenario"), name);
        Ok(())
    }

    /// Renames a scenario.
    pub fn rename_scenario(
        &mut self,
        from: &str,
        to: &str,
    ) -> std::result::Result<(), ScenarioError> {
        let index = self.scenario_index(from)?;
        let to = self.new_scenario_name(to)?;
        self.scenarios[index].name = to.clone();
        self.scenario_changed(("重命名方案", "rename scenario"), format!("{from} → {to}"));
        Ok(())
    }

    /// Deletes a scenario; deleting the active one makes its neighbour active.
    pub fn delete_scenario(&mut self, name: &str) -> std::result::Result<(), ScenarioError> {
        let index = self.scenario_index(name)?;
        if self.scenarios.len() == 1 {
            return Err(ScenarioError::LastScenario {
                name: name.to_owned(),
            });
        }
        if index == self.active_scenario {
            let neighbour = if index > 0 { index - 1 } else { index + 1 };
            let neighbour_name = self.scenarios[neighbour].name.clone();
            self.switch_scenario(&neighbour_name)?;
        }
        self.scenarios.remove(index);
        if index < self.active_scenario {
            self.active_scenario -= 1;
        }
        self.scenario_changed(("删除方案", "delete scenario"), name.to_owned());
        Ok(())
    }

    /// A session of scenario `name` over the same layers, counted and checked: to compare two
    /// scenarios. The active one is a copy of the session's plan as it is.
    pub fn scenario_session(&self, name: &str) -> std::result::Result<Session, ScenarioError> {
        let index = self.scenario_index(name)?;
        let mut settings = self.settings.clone();
        let plan = match &self.scenarios[index].waiting {
            None => self.plan.clone(),
            Some(waiting) => {
                settings.exceptions = waiting.exceptions.clone();
                waiting.plan.clone()
            }
        };
        let mut session = self.with_plan(plan, settings);
        session.scenarios = vec![ScenarioSlot::active(name.to_owned())];
        Ok(session)
    }

    /// True when some waiting scenario has changes not saved.
    pub(super) fn waiting_scenarios_dirty(&self) -> bool {
        self.scenarios_changed
            || self
                .scenarios
                .iter()
                .filter_map(|slot| slot.waiting.as_ref())
                .any(|waiting| waiting.history.is_dirty())
    }

    /// Marks every scenario saved.
    pub(super) fn mark_scenarios_saved(&mut self) {
        self.scenarios_changed = false;
        for waiting in self
            .scenarios
            .iter_mut()
            .filter_map(|slot| slot.waiting.as_mut())
        {
            waiting.history.mark_saved();
        }
    }

    /// Writes the scenarios into `settings` as the plan file stores them: the active one's name
    /// (and members this version does not know), and the others with their communities as
    /// features.
    pub(super) fn store_scenarios(&self, settings: &mut crate::io::plan_file::PlanSettings) {
        let (name, stored) = self.stored_scenarios();
        settings.scenario = name;
        settings.scenarios = stored;
        settings.scenario_members = self.active_scenario_members.clone();
    }

    fn stored_scenarios(&self) -> (Option<String>, Vec<StoredScenario>) {
        let active = self.scenario_name().to_owned();
        let stored = self
            .scenarios
            .iter()
            .filter_map(|slot| {
                let waiting = slot.waiting.as_ref()?;
                Some(StoredScenario {
                    name: slot.name.clone(),
                    features: waiting
                        .plan
                        .communities()
                        .map(|(_, community)| community_feature(community, &self.projection))
                        .collect(),
                    exceptions: waiting.exceptions.clone(),
                    other_members: waiting.other_members.clone(),
                })
            })
            .collect::<Vec<_>>();
        // A plan of one scenario never named is written as older versions wrote it.
        let name = (!stored.is_empty() || active != DEFAULT_SCENARIO_NAME).then_some(active);
        (name, stored)
    }

    /// Reads the file's other scenarios (taken out of the settings) into their slots, in the
    /// file's order after the active one.
    pub(super) fn load_scenarios(&mut self, plan_path: &Path) -> Result<()> {
        let stored = std::mem::take(&mut self.settings.scenarios);
        let active_name = self
            .settings
            .scenario
            .take()
            .unwrap_or_else(|| DEFAULT_SCENARIO_NAME.to_owned());
        self.scenarios = vec![ScenarioSlot::active(active_name)];
        self.active_scenario = 0;
        self.active_scenario_members = std::mem::take(&mut self.settings.scenario_members);
        for scenario in stored {
            let refused = |problem: String| Error::Plan {
                path: plan_path.to_path_buf(),
                problem: format!("scenario \"{}\": {problem}", scenario.name),
            };
            if self.scenario_index(&scenario.name).is_ok() || scenario.name.trim().is_empty() {
                return Err(refused(
                    "its name is blank or used by another scenario; give each scenario its own name"
                        .to_owned(),
                ));
            }
            let features = scenario
                .features
                .iter()
                .map(|feature| serde_json::from_value::<RawFeature>(feature.clone()))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|error| refused(format!("a feature is not GeoJSON ({error})")))?;
            let raw = RawCollection {
                features,
                foreign_members: serde_json::Map::new(),
            };
            let (communities, warnings) = communities_from_collection(
                &raw,
                plan_path,
                &self.projection,
                &self.settings.layers.fields,
            )?;
            self.warnings.extend(warnings);
            let mut plan = Plan::new(communities);
            plan.street_offices = self.plan.street_offices.clone();
            plan.districts = self.plan.districts.clone();
            self.scenarios.push(ScenarioSlot {
                name: scenario.name,
                waiting: Some(Box::new(WaitingScenario {
                    opened: Arc::new((plan.clone(), scenario.exceptions.clone())),
                    plan,
                    exceptions: scenario.exceptions,
                    history: History::default(),
                    counted: None,
                    other_members: scenario.other_members,
                })),
            });
        }
        Ok(())
    }

    /// The active scenario's parts, taken out of the session to wait in its slot.
    fn take_active(&mut self) -> WaitingScenario {
        let counted = Some(Counted {
            community_index: std::mem::take(&mut self.community_index),
            tallies: std::mem::take(&mut self.tallies),
            rules: std::mem::take(&mut self.rules),
            baseline: std::mem::take(&mut self.baseline),
        });
        WaitingScenario {
            plan: std::mem::take(&mut self.plan),
            exceptions: std::mem::take(&mut self.settings.exceptions),
            history: std::mem::take(&mut self.history),
            opened: Arc::clone(&self.opened),
            counted,
            other_members: std::mem::take(&mut self.active_scenario_members),
        }
    }

    /// Makes a waiting scenario's parts the session's, counting it if it never was: a community
    /// with the same id and boundary in the scenario just left (`outgoing`) keeps its tally, the
    /// others are counted.
    fn put_active(&mut self, incoming: WaitingScenario, outgoing: &WaitingScenario) {
        self.plan = incoming.plan;
        self.settings.exceptions = incoming.exceptions;
        self.history = incoming.history;
        self.opened = incoming.opened;
        self.active_scenario_members = incoming.other_members;
        self.open_step = None;
        match incoming.counted {
            Some(counted) => {
                self.community_index = counted.community_index;
                self.tallies = counted.tallies;
                self.rules = counted.rules;
                self.baseline = counted.baseline;
            }
            None => {
                self.community_index = CommunityIndex::build(&self.plan);
                let counted: HashMap<&str, (&Community, &CommunityTally)> = outgoing
                    .counted
                    .as_ref()
                    .map(|counted| {
                        outgoing
                            .plan
                            .communities()
                            .map(|(key, community)| {
                                (community.id.as_str(), (community, counted.tallies.of(key)))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                self.tallies = Tallies::full_reusing(
                    &self.plan,
                    &self.layers.buildings,
                    &self.building_index,
                    self.profile.geometry.cut_tolerance_m2,
                    |community| {
                        let (known, tally) = counted.get(community.id.as_str())?;
                        (known.boundary == community.boundary).then(|| (*tally).clone())
                    },
                );
                self.rules = RuleResults::full(&self.rule_context());
                self.mark_baseline();
            }
        }
        self.generation += 1;
    }

    /// A name for a new scenario, or why it cannot be.
    fn new_scenario_name(&self, name: &str) -> std::result::Result<String, ScenarioError> {
        let name = name.trim();
        if name.is_empty() || self.scenario_index(name).is_ok() {
            return Err(ScenarioError::NameTaken {
                name: name.to_owned(),
            });
        }
        Ok(name.to_owned())
    }

    /// Records a change to the plan's scenarios: the file differs, and the log says so.
    fn scenario_changed(&mut self, step: (&str, &str), detail: String) {
        self.scenarios_changed = true;
        self.generation += 1;
        let mut entry = LogEntry::now(&self.user, LogAction::Done, step);
        entry.detail = detail;
        entry.scenario = Some(self.scenario_name().to_owned());
        self.settings.log.push(entry);
    }
}
