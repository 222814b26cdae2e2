//! The automatic partition from the app: worked out for the window's ground and seed, then
//! carried out as one undo step (through [`Intent::Edit`]) or as a new scenario.

use shequ_core::partition::{Scope, partition};

use super::Target;
use crate::app::intent::Intent;
use crate::app::tools::kinds::Tool;

impl Target<'_> {
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
                let result = partition(session, &scope, window.seed)
                    .map_err(|error| error.describe(language));
                window.result = Some((session.generation(), result));
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
