//! Comparing the open plan with another state of it or another plan file, and showing one
//! transfer's buildings.

use std::path::Path;

use shequ_core::Session;
use shequ_core::session::OpenOptions;

use super::Target;
use crate::app::comparison::{CompareAgainst, ComparisonView, TransferCell};

impl Target<'_> {
    /// Starts comparing the open plan with `against` (a plan file over the same layers shares
    /// them). A plan that cannot be opened or compared is refused with its reason.
    pub(super) fn start_comparison(&mut self, against: CompareAgainst) -> bool {
        let strings = self.strings();
        let Some(session) = &self.document.session else {
            return false;
        };
        let beside = |path: &Path| {
            Session::open_beside(path, &session.shared_layers(), OpenOptions::default())
                .map_err(|error| error.to_string())
        };
        let before = match &against {
            CompareAgainst::Opened => Ok(session.as_opened()),
            CompareAgainst::Saved => match session.plan_path() {
                Some(path) => beside(path),
                None => Err(format!(
                    "{}: {}",
                    strings.compare_with_saved, strings.not_saved_yet
                )),
            },
            CompareAgainst::File(path) => beside(path),
            CompareAgainst::Scenario(name) => session
                .scenario_session(name)
                .map_err(|error| error.to_string()),
        };
        let compared = before.and_then(|before| {
            ComparisonView::new(against, before, session).map_err(|error| error.to_string())
        });
        match compared {
            Ok(view) => {
                self.document.comparison = Some(view);
                self.ui.message = None;
                true
            }
            Err(reason) => {
                self.ui.message = Some(format!("{}: {reason}", strings.comparison_title));
                false
            }
        }
    }

    /// Marks the buildings of one transfer and shows them; picking the marked transfer again
    /// clears the mark.
    pub(super) fn pick_transfer(&mut self, cell: TransferCell) -> bool {
        let (Some(session), Some(view)) =
            (&self.document.session, self.document.comparison.as_mut())
        else {
            return false;
        };
        if view
            .picked
            .as_ref()
            .is_some_and(|(picked, _)| *picked == cell)
        {
            view.picked = None;
            return true;
        }
        let buildings = match view.buildings_of(session, &cell) {
            Ok(buildings) => buildings,
            Err(error) => {
                self.ui.message = Some(error.to_string());
                return false;
            }
        };
        let all = &session.layers().buildings;
        let bounds = buildings
            .iter()
            .filter_map(|&building| all.get(building as usize))
            .filter_map(|building| {
                use geo::BoundingRect;
                let bounds = building.footprint.bounding_rect()?;
                Some([bounds.min(), bounds.max()])
            })
            .reduce(shequ_core::index::extent_union);
        if let Some([low, high]) = bounds {
            self.ui.map.fit(low, high);
            // Room around the buildings, and the streets beside them.
            self.ui.map.metres_per_point *= 1.3;
        }
        // The community the buildings went to becomes the selection, so the inspector shows its
        // figures before and after.
        if let Some(to) = &cell.1
            && let Some((key, _)) = session
                .plan()
                .communities()
                .find(|(_, community)| &community.id == to)
        {
            self.document.selection = vec![key];
        }
        view.picked = Some((cell, buildings));
        true
    }
}
