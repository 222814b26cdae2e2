//! The one place the app changes a plan: each [`Intent`] carried out on the session, the
//! selection kept to communities that exist, and any refusal shown in the planner's language.

use shequ_core::edit::Command;

use super::ShequApp;
use super::intent::{DragEvent, Intent};
use super::tools::Tool;

impl ShequApp {
    /// Carries out `intent`. True when it was done; a refusal goes to the status bar.
    pub fn apply(&mut self, intent: Intent) -> bool {
        let language = self.preferences.language;
        if let Intent::RestoreRecovery(recovery) = &intent {
            return self.restore_recovery(recovery);
        }
        let Some(session) = &mut self.session else {
            return false;
        };
        let outcome = match intent {
            Intent::Edit(command) => {
                let selects = match &command {
                    Command::Merge { keys, .. } => keys.first().copied(),
                    _ => None,
                };
                let creates = matches!(command, Command::Create { .. });
                session.execute(command).map(|effects| {
                    if creates {
                        // The new community is the one selected.
                        if let Some(key) = effects
                            .communities
                            .iter()
                            .find(|key| session.plan().community(**key).is_some())
                        {
                            self.selection = vec![*key];
                        }
                    }
                    if let Some(survivor) = selects {
                        self.selection = vec![survivor];
                    }
                })
            }
            Intent::Undo => session.undo().map(|_| ()),
            Intent::Redo => session.redo().map(|_| ()),
            Intent::BeginStep(step) => {
                // A step whose end was never seen (the release happened outside the window) is
                // closed, so that a new one can always begin.
                session.commit();
                session.begin(step)
            }
            Intent::EndStep => {
                session.commit();
                Ok(())
            }
            Intent::Drag(event) => match &mut self.tool {
                Tool::Vertices(drag) => match event {
                    DragEvent::Press(transform, screen) => {
                        drag.press(session, &transform, screen).map(|_| ())
                    }
                    DragEvent::Move(transform, screen) => drag.drag(session, &transform, screen),
                    DragEvent::Release => {
                        drag.release(session);
                        Ok(())
                    }
                    DragEvent::Escape => drag.escape(session),
                },
                _ => Ok(()),
            },
            // Carried out above, before the session is borrowed.
            Intent::RestoreRecovery(_) => Ok(()),
        };
        let plan = session.plan();
        self.selection.retain(|key| plan.community(*key).is_some());
        match outcome {
            Ok(()) => {
                self.message = None;
                true
            }
            Err(error) => {
                self.message = Some(error.describe(language));
                false
            }
        }
    }

    fn restore_recovery(&mut self, recovery: &std::path::Path) -> bool {
        let plan_path = self
            .session
            .as_ref()
            .and_then(|session| session.plan_path().map(std::path::Path::to_path_buf));
        let Some(plan_path) = plan_path else {
            return false;
        };
        match shequ_core::Session::open_recovery(recovery, &plan_path) {
            Ok(session) => {
                self.session = Some(session);
                self.selection.clear();
                self.map.fitted = false;
                true
            }
            Err(error) => {
                self.message = Some(error.to_string());
                false
            }
        }
    }

    /// Merges the selected communities into the first selected.
    pub fn merge_selection(&mut self) {
        if self.selection.len() >= 2 {
            let keys = self.selection.clone();
            self.apply(Intent::Edit(Command::Merge {
                keys,
                allow_several_parts: false,
            }));
        }
    }

    /// Deletes the selected communities (one undo step).
    pub fn delete_selection(&mut self) {
        if self.selection.is_empty() {
            return;
        }
        let commands = self
            .selection
            .iter()
            .map(|&key| Command::Delete { key })
            .collect();
        if self.apply(Intent::Edit(Command::Batch(commands))) {
            self.selection.clear();
        }
    }
}
