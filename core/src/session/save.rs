//! Saving: the plan written atomically (layer paths relative to its folder), a recovery copy
//! beside it, and a recovery copy opened as the plan with unsaved changes.

use std::path::Path;

use crate::error::Result;
use crate::io::paths::{folder_of, relative_to};
use crate::io::plan_file::{PlanFileContents, save_plan_file};

use super::Session;

impl Session {
    /// Writes the plan as it is to `path` — a recovery copy in the plan file's folder — without
    /// making it the plan's file or marking the plan saved.
    pub fn write_copy(&self, path: &Path) -> Result<()> {
        let mut settings = self.settings.clone();
        self.store_scenarios(&mut settings);
        save_plan_file(
            path,
            &PlanFileContents {
                settings: &settings,
                collection_members: &self.collection_members,
                plan: &self.plan,
                projection: &self.projection,
            },
        )
    }

    /// Opens a recovery copy written by [`Session::write_copy`] as the plan at `plan_path` with
    /// unsaved changes: saving writes to `plan_path`, and the title shows the plan unsaved.
    pub fn open_recovery(recovery: &Path, plan_path: &Path) -> Result<Self> {
        let mut session = Self::open(recovery)?;
        session.plan_path = Some(plan_path.to_path_buf());
        session.history.mark_unsaved();
        Ok(session)
    }

    /// Saves the plan to `path` atomically; layer paths are rewritten relative to its folder.
    /// Lapsed exceptions are left out of the file but kept in the session, so that undoing back
    /// to the figures they accepted finds them again (and marks the plan unsaved).
    pub fn save_as(&mut self, path: &Path) -> Result<()> {
        let folder = folder_of(path);
        self.settings.layers.buildings = relative_to(&folder, &self.layers.buildings_path);
        self.settings.layers.streets = self
            .layers
            .streets_path
            .as_deref()
            .map(|streets| relative_to(&folder, streets));
        let mut settings = self.settings.clone();
        self.store_scenarios(&mut settings);
        if let Some(register) = &mut settings.layers.register {
            register.path = relative_to(&folder, &register.path).into();
        }
        settings.exceptions.retain(|exception| {
            self.rules
                .iter()
                .any(|violation| exception.covers(violation))
        });
        save_plan_file(
            path,
            &PlanFileContents {
                settings: &settings,
                collection_members: &self.collection_members,
                plan: &self.plan,
                projection: &self.projection,
            },
        )?;
        self.plan_path = Some(path.to_path_buf());
        self.history.mark_saved();
        self.mark_scenarios_saved();
        self.settings_changed = false;
        Ok(())
    }
}
