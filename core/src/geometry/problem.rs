//! What is wrong with an invalid boundary, typed (geo's validation says it in English only), so
//! that a refusal or a violation can say it in the planner's language.

use geo::algorithm::validation::{InvalidMultiPolygon, InvalidPolygon};

use crate::lang::Language;

/// Why a boundary is not a valid polygon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundaryProblem {
    /// A ring has fewer than three distinct corners.
    TooFewCorners,
    /// A ring crosses or touches itself.
    CrossesItself,
    /// A coordinate is not a finite number.
    NotFinite,
    /// A hole lies (partly) outside its outer ring.
    HoleOutside,
    /// Two rings of one part meet.
    RingsMeet,
    /// Two parts overlap.
    PartsOverlap,
    /// Two parts touch along a line.
    PartsTouch,
}

impl BoundaryProblem {
    /// The problem geo's validation found.
    pub fn of(error: &InvalidMultiPolygon) -> Self {
        match error {
            InvalidMultiPolygon::InvalidPolygon(_, polygon) => match polygon {
                InvalidPolygon::TooFewPointsInRing(_) => BoundaryProblem::TooFewCorners,
                InvalidPolygon::SelfIntersection(_) => BoundaryProblem::CrossesItself,
                InvalidPolygon::NonFiniteCoord(..) => BoundaryProblem::NotFinite,
                InvalidPolygon::InteriorRingNotContainedInExteriorRing(_) => {
                    BoundaryProblem::HoleOutside
                }
                InvalidPolygon::IntersectingRingsOnALine(..)
                | InvalidPolygon::IntersectingRingsOnAnArea(..) => BoundaryProblem::RingsMeet,
            },
            InvalidMultiPolygon::ElementsOverlaps(..) => BoundaryProblem::PartsOverlap,
            InvalidMultiPolygon::ElementsTouchOnALine(..) => BoundaryProblem::PartsTouch,
        }
    }

    /// The problem in `language`.
    pub fn describe(self, language: Language) -> &'static str {
        let (chinese, english) = match self {
            BoundaryProblem::TooFewCorners => (
                "有一个环不足三个不同的角点",
                "a ring has fewer than three distinct corners",
            ),
            BoundaryProblem::CrossesItself => ("边界自相交", "the boundary crosses itself"),
            BoundaryProblem::NotFinite => {
                ("有坐标不是有效数字", "a coordinate is not a finite number")
            }
            BoundaryProblem::HoleOutside => {
                ("内环不在外环之内", "a hole lies outside its outer ring")
            }
            BoundaryProblem::RingsMeet => ("同一部分的环相交", "two rings of one part meet"),
            BoundaryProblem::PartsOverlap => ("各部分相互重叠", "two parts overlap"),
            BoundaryProblem::PartsTouch => ("各部分沿线相接", "two parts touch along a line"),
        };
        language.pick(chinese, english)
    }
}
