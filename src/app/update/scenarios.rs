//! Scenarios from the app: switching, creating, renaming and deleting, each refused with its
//! reason where it cannot be done.

use shequ_core::session::ScenarioError;

use super::Target;
use crate::app::intent::Intent;
use crate::app::tools::kinds::Tool;

impl Target<'_> {
    /// Carries out a scenario intent; false for any other intent.
    pub(super) fn change_scenarios(&mut self, intent: Intent) -> bool {
        let Some(session) = &mut self.document.session else {
            return false;
        };
        let outcome: Result<(), ScenarioError> = match intent {
            Intent::SwitchScenario(name) => {
                let switched = session.switch_scenario(&name);
                if switched.is_ok() {
                    // The selection, the tool's draft and a pinned building belong to the
                    // scenario left.
                    self.document.selection.clear();
                    self.ui.tool = Tool::default();
                    self.ui.pinned_building = None;
                }
                switched
            }
            Intent::CreateScenario(name) => session.create_scenario(&name),
            Intent::RenameScenario { from, to } => session.rename_scenario(&from, &to),
            Intent::DeleteScenario(name) => {
                let deleted = session.delete_scenario(&name);
                if deleted.is_ok() {
                    self.document.selection.clear();
                }
                deleted
            }
            _ => return false,
        };
        match outcome {
            Ok(()) => true,
            Err(error) => {
                self.ui.message = Some(error.to_string());
                false
            }
        }
    }
}
