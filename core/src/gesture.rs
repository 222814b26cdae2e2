//! Pointer gestures on a plan without a screen: the screen transform and the vertex tool's drag
//! (press on a vertex, drag, release; Esc restores the plan as it was before the press). The
//! desktop app's vertex tool drives exactly this; tests script it with a fixed transform.

use geo::Coord;

use crate::edit::{Command, EditError, Step};
type Result<T> = std::result::Result<T, EditError>;
use crate::ops::vertex::{VertexLayers, nearest_vertex};
use crate::session::Session;

/// Pixels ⇄ metres: x grows to the right and y downwards on screen, northwards in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenTransform {
    /// The point (metres) shown at the screen's top-left corner.
    pub top_left: Coord<f64>,
    /// Screen pixels per metre.
    pub pixels_per_metre: f64,
}

impl ScreenTransform {
    /// The screen position of a point in metres.
    pub fn to_screen(&self, metres: Coord<f64>) -> [f64; 2] {
        [
            (metres.x - self.top_left.x) * self.pixels_per_metre,
            (self.top_left.y - metres.y) * self.pixels_per_metre,
        ]
    }

    /// The point in metres under a screen position.
    pub fn to_metres(&self, screen: [f64; 2]) -> Coord<f64> {
        Coord {
            x: self.top_left.x + screen[0] / self.pixels_per_metre,
            y: self.top_left.y - screen[1] / self.pixels_per_metre,
        }
    }
}

/// How near the pointer must be to a vertex to grab it, in screen pixels.
pub const GRAB_RADIUS_PIXELS: f64 = 8.0;

/// The vertex tool's drag in progress.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VertexDrag {
    /// Where the grabbed vertex is now, metres.
    grabbed: Option<Coord<f64>>,
}

impl VertexDrag {
    /// True while a vertex is held.
    pub fn is_dragging(&self) -> bool {
        self.grabbed.is_some()
    }

    /// Presses at a screen position: grabs the nearest vertex of `layers` within the grab
    /// radius and opens a transaction. True when a vertex was grabbed.
    pub fn press(
        &mut self,
        session: &mut Session,
        transform: &ScreenTransform,
        screen: [f64; 2],
        layers: VertexLayers,
    ) -> Result<bool> {
        let point = transform.to_metres(screen);
        let tolerance = GRAB_RADIUS_PIXELS / transform.pixels_per_metre;
        let index = session.community_index();
        let Some(vertex) = nearest_vertex(session.plan(), index, point, tolerance, layers) else {
            return Ok(false);
        };
        session.begin(Step::MoveVertex)?;
        self.grabbed = Some(vertex);
        Ok(true)
    }

    /// Drags to a screen position: the vertex (and every community sharing it) follows, and the
    /// tallies and violations with it. A position the plan refuses (a self-intersection) leaves the
    /// vertex where it was.
    pub fn drag(
        &mut self,
        session: &mut Session,
        transform: &ScreenTransform,
        screen: [f64; 2],
    ) -> Result<()> {
        let Some(from) = self.grabbed else {
            return Ok(());
        };
        let to = transform.to_metres(screen);
        if session.execute(Command::MoveVertex { from, to }).is_ok() {
            self.grabbed = Some(to);
        }
        Ok(())
    }

    /// Releases: the whole drag becomes one undo step.
    pub fn release(&mut self, session: &mut Session) {
        if self.grabbed.take().is_some() {
            session.commit();
        }
    }

    /// Esc: the plan goes back to how it was before the press.
    pub fn escape(&mut self, session: &mut Session) -> Result<()> {
        if self.grabbed.take().is_some() {
            session.abort()?;
        }
        Ok(())
    }
}
