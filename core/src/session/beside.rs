//! Plans side by side over the same layers: another plan file opened beside this one, the plan
//! as opened, another scenario — counted and checked over the layers and indexes already read,
//! which are shared, not copied.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use crate::error::Result;
use crate::io::plan_file::PlanSettings;
use crate::plan::Plan;
use crate::progress::LoadProgress;

use super::Session;
use super::open::{LayerParts, OpenOptions, PlanFileRead, elapsed_ms, layer_identity, plan_of};

impl Session {
    /// Opens a plan file beside `neighbour` (the plan it is to be compared with): where the file
    /// names the same layers, read the same way, the two sessions share them and their indexes
    /// (neither read nor indexed again, nor held twice in memory); else it opens as
    /// [`Session::open_with`] does. The layers' load warnings stay with `neighbour`.
    pub fn open_beside(
        plan_path: &Path,
        neighbour: &SharedLayers,
        options: OpenOptions<'_>,
    ) -> Result<Self> {
        let start = Instant::now();
        let file = PlanFileRead::read(plan_path)?;
        if file.layer_identity() != neighbour.identity {
            return file.open_layers(plan_path, options, start);
        }
        let unwatched = LoadProgress::default();
        let mut warnings = Vec::new();
        let plan = plan_of(
            Some((&file.raw_plan, plan_path)),
            &file.settings,
            &neighbour.parts.projection,
            &mut warnings,
        )?;
        let mut session = Self::assemble_on(
            neighbour.parts.clone(),
            warnings,
            plan,
            file.settings,
            file.raw_plan.foreign_members,
            file.profile,
            options.progress.unwrap_or(&unwatched),
        );
        session.plan_path = Some(plan_path.to_path_buf());
        session.report_unreadable_log(plan_path);
        session.load_scenarios(plan_path)?;
        session.timings.layers_from_cache = true;
        session.timings.load_ms =
            elapsed_ms(start) - session.timings.tally_ms - session.timings.rules_ms;
        Ok(session)
    }

    /// A session of `plan` over this session's layers (shared, not copied), with `settings`,
    /// counted and checked anew: the plan as it was opened, or another scenario.
    pub fn with_plan(&self, plan: Plan, settings: PlanSettings) -> Self {
        let mut session = Self::assemble_on(
            self.layer_parts(),
            Vec::new(),
            plan,
            settings,
            self.collection_members.clone(),
            self.profile.clone(),
            &LoadProgress::default(),
        );
        session.plan_path = self.plan_path.clone();
        session.blocks = self.blocks.clone();
        session.timings.layers_from_cache = true;
        session
    }

    /// This session's layers and indexes, to open another plan over them
    /// ([`Session::open_beside`]); cheap to take and to send to another thread.
    pub fn shared_layers(&self) -> SharedLayers {
        SharedLayers {
            parts: self.layer_parts(),
            identity: layer_identity(
                &self.layers.buildings_path,
                self.layers.streets_path.as_deref(),
                &self.settings,
                &self.profile,
            ),
        }
    }

    /// This session's layers and indexes, shared.
    fn layer_parts(&self) -> LayerParts {
        LayerParts {
            layers: Arc::clone(&self.layers),
            building_index: Arc::clone(&self.building_index),
            street_index: Arc::clone(&self.street_index),
            projection: self.projection,
        }
    }

    /// This plan as it was opened (or as it was given to [`Session::with_plan`]), counted and
    /// checked over the same layers: what "compare with the plan as opened" compares with.
    pub fn as_opened(&self) -> Self {
        let (plan, exceptions) = &*self.opened;
        let mut settings = self.settings.clone();
        settings.exceptions = exceptions.clone();
        self.with_plan(plan.clone(), settings)
    }
}

/// A session's layers and their indexes, which sessions of the same layers share, with what the
/// layers as read depend on (their files and how they are read and converted): two sessions of
/// the same identity hold the same layers.
#[derive(Debug, Clone)]
pub struct SharedLayers {
    parts: LayerParts,
    identity: String,
}
