//! The map under the walking-distance colouring: communities by the share of their households
//! within the profile's distance of the committee office, buildings by their own distance, and
//! the legend's rows. (The offices themselves are drawn under every colouring, in `paint.rs`.)

use eframe::egui::Color32;
use shequ_core::Session;
use shequ_core::ids::CommunityKey;
use shequ_core::profile::Walking;

use crate::theme;

/// A community's fill: green when enough of its households live within the profile's distance
/// of its office, orange when not, none when no office is placed.
pub(super) fn community_fill(session: &Session, key: CommunityKey) -> Color32 {
    let settings = &session.profile().walking;
    match session.rules().walking_of(key) {
        None => Color32::TRANSPARENT,
        Some(walking) if walking.share_within_rule_distance() + 1e-12 >= settings.minimum_share => {
            theme::CLEAN.with_alpha(60).egui()
        }
        Some(_) => theme::WARNING.with_alpha(70).egui(),
    }
}

/// A building's fill by its walking distance (`None`: it cannot reach the office).
pub(super) fn building_fill(distance: Option<f32>, settings: &Walking) -> Color32 {
    let Some(distance) = distance else {
        return theme::WALKING_UNREACHABLE.egui();
    };
    let band = settings
        .distances_m
        .iter()
        .position(|&limit| f64::from(distance) <= limit)
        .unwrap_or(settings.distances_m.len());
    theme::WALKING_BANDS[band.min(theme::WALKING_BANDS.len() - 1)].egui()
}

/// The legend's rows: each distance band, beyond the last, cannot reach, no office.
pub fn legend_entries(
    settings: &Walking,
    strings: &crate::app::i18n::Strings,
) -> Vec<(Color32, String)> {
    use shequ_core::format::grouped;
    let metres = |distance: f64| format!("{} m", grouped(distance as u64));
    let mut entries = Vec::new();
    let mut previous: Option<f64> = None;
    for &distance in &settings.distances_m {
        let range = match previous {
            None => format!("≤ {}", metres(distance)),
            Some(previous) => format!("{}–{}", grouped(previous as u64), metres(distance)),
        };
        entries.push((building_fill(Some(distance as f32), settings), range));
        previous = Some(distance);
    }
    let previous = previous.unwrap_or_default();
    entries.push((
        building_fill(Some((previous + 1.0) as f32), settings),
        format!("{} {}", strings.legend_walking_beyond, metres(previous)),
    ));
    entries.push((
        theme::WALKING_UNREACHABLE.egui(),
        strings.legend_walking_unreachable.to_owned(),
    ));
    entries.push((
        Color32::TRANSPARENT,
        strings.legend_walking_no_office.to_owned(),
    ));
    entries
}
