//! The automatic partition from the app: worked out for the window's ground and seed, then
//! carried out as one undo step (through [`Intent::Edit`]) or as a new scenario; and the
//! management grids, drawn as one undo step.

use shequ_core::lang::Language;
use shequ_core::partition::{Scope, partition};

use super::Target;
use crate::app::intent::Intent;
use crate::app::tools::kinds::Tool;

impl Target<'_> {
    /// Starts drawing the grids of the selected communities (every one when none is selected)
    /// with the profile's target, on a copy of the plan in the background (the layers are
    /// shared): a whole city of a million buildings takes about a second.
    pub(super) fn draw_grids(&mut self) -> bool {
        let Some(session) = &self.document.session else {
            return false;
        };
        if self.ui.drawing_grids.is_some() {
            return false;
        }
        let selection = self.document.selection.clone();
        let slot = on_a_copy(session, move |copy| {
            let target = copy.profile().grids.target_households;
            shequ_core::grids::draw_grids(copy, &selection, target)
        });
        self.ui.drawing_grids = Some(crate::app::state::DrawingGrids {
            generation: session.generation(),
            slot,
        });
        false
    }

    /// Sets the grids worked out, as one undo step, unless the plan changed meanwhile; says in
    /// the status line what was drawn, or that they are already as they would be.
    pub(super) fn grids_worked_out(
        &mut self,
        generation: u64,
        command: shequ_core::edit::Command,
        drawn: shequ_core::grids::GridsDrawn,
    ) -> bool {
        let Some(session) = &self.document.session else {
            return false;
        };
        let language = self.preferences.language;
        if session.generation() != generation {
            self.ui.message = Some(
                language
                    .pick(
                        "方案在划分网格期间已改变, 网格未设置; 请重新划分",
                        "the plan changed while the grids were drawn: they were not set; draw them again",
                    )
                    .to_owned(),
            );
            return false;
        }
        if drawn.communities.is_empty() {
            self.ui.message = Some(
                language
                    .pick(
                        "网格已是最新, 无需重新划分",
                        "the grids are already as they would be drawn",
                    )
                    .to_owned(),
            );
            return false;
        }
        let count = drawn.communities.len();
        let grids: usize = drawn
            .communities
            .iter()
            .map(|community| community.households.len())
            .sum();
        let done = self.apply(Intent::Edit(command));
        if done {
            self.ui.message = Some(match language {
                Language::Chinese => format!("已为 {count} 个社区划分 {grids} 个网格"),
                Language::English => format!("{grids} grids drawn in {count} communities"),
            });
        }
        done
    }

    /// Carries out a partition intent; false for any other intent.
    pub(super) fn partition(&mut self, intent: Intent) -> bool {
        let Some(session) = &mut self.document.session else {
            return false;
        };
        let Some(window) = &mut self.ui.partition else {
            return false;
        };
        match intent {
            Intent::ComputePartition => {
                let scope = window
                    .street_office
                    .clone()
                    .map_or(Scope::All, Scope::StreetOffice);
                let language = self.preferences.language;
                // A whole city of a million buildings takes about a second.
                let seed = window.seed;
                window.working = Some(on_a_copy(session, move |copy| {
                    let result =
                        partition(copy, &scope, seed).map_err(|error| error.describe(language));
                    (copy.generation(), result)
                }));
                true
            }
            Intent::PartitionAsScenario(name) => {
                let Some((_, Ok(made))) = &window.result else {
                    return false;
                };
                let command = made.command.clone();
                let done = session
                    .create_scenario(&name)
                    .and_then(|()| session.switch_scenario(&name));
                if let Err(error) = done {
                    self.ui.message = Some(error.to_string());
                    return false;
                }
                self.document.selection.clear();
                self.ui.tool = Tool::default();
                self.ui.pinned_building = None;
                self.ui.partition = None;
                self.apply(Intent::Edit(command))
            }
            _ => false,
        }
    }
}

/// `work` carried out in the background on a copy of the session (the layers and their indexes
/// are shared, not copied), so that the window keeps answering; its result lands in the slot
/// returned, for the window to take when it is there.
fn on_a_copy<T: Send + Sync + 'static>(
    session: &shequ_core::Session,
    work: impl FnOnce(&shequ_core::Session) -> T + Send + 'static,
) -> std::sync::Arc<std::sync::OnceLock<T>> {
    let copy = session.trial();
    let slot = std::sync::Arc::new(std::sync::OnceLock::new());
    let delivered = std::sync::Arc::clone(&slot);
    std::thread::spawn(move || {
        // Nobody else fills the slot: the first set is the only one.
        let _ = delivered.set(work(&copy));
    });
    slot
}
