//! The charts window (统计图): households per community as a histogram against the band of the
//! type chosen, each bar split by the type's verdict (below, within, above); residents per
//! street office against 40,000–60,000. Both are drawn from the live tallies, so they follow a
//! vertex as it is dragged; a click on a bar selects its communities.

use eframe::egui::{self, Color32};
use egui_plot::{Bar, BarChart, Legend, Plot, VLine};
use shequ_core::Session;
use shequ_core::ids::CommunityKey;
use shequ_core::plan::CommunityType;
use shequ_core::rules::community_households::{BandVerdict, band_verdict};

use crate::app::context::ViewCtx;
use crate::app::intent::Intent;
use crate::app::state::{ChartKinds, UiState};
use crate::theme;

/// Households a histogram bar spans.
pub const BIN_HOUSEHOLDS: u64 = 100;

/// The communities of one histogram bar, by their verdict.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HouseholdsBin {
    /// Below the band of their type.
    pub below: Vec<CommunityKey>,
    /// Within it.
    pub within: Vec<CommunityKey>,
    /// Above it.
    pub above: Vec<CommunityKey>,
}

impl HouseholdsBin {
    /// Every community of the bar.
    pub fn all(&self) -> Vec<CommunityKey> {
        [&self.below, &self.within, &self.above]
            .into_iter()
            .flatten()
            .copied()
            .collect()
    }
}

/// True when a community of this type (new estate or not) is among `kinds`.
fn chosen(kinds: ChartKinds, kind: CommunityType, new_estate: bool) -> bool {
    match kinds {
        ChartKinds::All => true,
        ChartKinds::Geographic => kind == CommunityType::Geographic && !new_estate,
        ChartKinds::WorkUnit => kind == CommunityType::WorkUnit,
        ChartKinds::ResidentialEstate => kind == CommunityType::ResidentialEstate && !new_estate,
        ChartKinds::NewEstate => new_estate && kind != CommunityType::WorkUnit,
    }
}

/// The chosen communities in bars of [`BIN_HOUSEHOLDS`], from none upward.
pub fn households_histogram(session: &Session, kinds: ChartKinds) -> Vec<HouseholdsBin> {
    let band = &session.profile().community_households;
    let mut bins: Vec<HouseholdsBin> = Vec::new();
    for (key, community) in session.plan().communities() {
        let properties = &community.properties;
        if !chosen(kinds, properties.kind, properties.new_estate) {
            continue;
        }
        let households = session.tallies().of(key).households;
        let bin = (households / BIN_HOUSEHOLDS) as usize;
        if bins.len() <= bin {
            bins.resize(bin + 1, HouseholdsBin::default());
        }
        let side = match band_verdict(band, properties.kind, properties.new_estate, households) {
            BandVerdict::Within => &mut bins[bin].within,
            BandVerdict::BelowMinimum(_) | BandVerdict::BelowWorkUnitMinimum(_) => {
                &mut bins[bin].below
            }
            BandVerdict::AboveMaximum(_) | BandVerdict::NewEstateAbove(_) => &mut bins[bin].above,
        };
        side.push(key);
    }
    bins
}

/// The band's bounds for the chosen types, as lines on the histogram: (value, what it is).
fn band_lines(session: &Session, kinds: ChartKinds, view: &ViewCtx) -> Vec<(u64, &'static str)> {
    let band = &session.profile().community_households;
    let strings = view.strings;
    match kinds {
        ChartKinds::All | ChartKinds::Geographic | ChartKinds::ResidentialEstate => vec![
            (band.minimum, strings.chart_minimum),
            (band.maximum, strings.chart_maximum),
        ],
        ChartKinds::WorkUnit => vec![(band.work_unit_minimum, strings.chart_minimum)],
        ChartKinds::NewEstate => vec![
            (band.new_estate_minimum, strings.chart_minimum),
            (band.new_estate_warning_above, strings.chart_confirm_above),
        ],
    }
}

/// Each street office's residents as the `street_office.residents` rule counts them (the plan's
/// figures), by name.
pub fn street_office_residents(session: &Session) -> Vec<(String, u64)> {
    session
        .plan_figures()
        .street_offices
        .iter()
        .map(|office| (office.name.clone(), office.residents))
        .collect()
}

/// The communities of the street office named `name` (as the plan's figures group them).
pub fn communities_of_office(session: &Session, name: &str) -> Vec<CommunityKey> {
    session
        .plan()
        .communities()
        .filter(|(_, community)| community.properties.street_office.as_deref() == Some(name))
        .map(|(key, _)| key)
        .collect()
}

/// The charts window, while open.
pub fn charts_window(
    view: &ViewCtx,
    state: &mut UiState,
    ctx: &egui::Context,
    out: &mut Vec<Intent>,
) {
    let (Some(kinds), Some(session)) = (&mut state.charts, view.session) else {
        return;
    };
    let strings = view.strings;
    let mut open = true;
    egui::Window::new(strings.charts)
        .id(egui::Id::unique("charts window"))
        .open(&mut open)
        .default_width(560.0)
        .resizable(true)
        .show(ctx, |ui| {
            ui.strong(strings.chart_households_title);
            ui.horizontal_wrapped(|ui| {
                for (choice, label) in [
                    (ChartKinds::All, strings.all),
                    (
                        ChartKinds::Geographic,
                        view.type_name(CommunityType::Geographic),
                    ),
                    (
                        ChartKinds::WorkUnit,
                        view.type_name(CommunityType::WorkUnit),
                    ),
                    (
                        ChartKinds::ResidentialEstate,
                        view.type_name(CommunityType::ResidentialEstate),
                    ),
                    (ChartKinds::NewEstate, strings.new_estate),
                ] {
                    ui.selectable_value(kinds, choice, label);
                }
            });
            households_chart(view, session, *kinds, ui, out);
            ui.separator();
            ui.strong(strings.chart_residents_title);
            residents_chart(view, session, ui, out);
            ui.label(egui::RichText::new(strings.chart_click_hint).weak());
        });
    if !open {
        state.charts = None;
    }
}

/// An axis mark grouped by thousands ("60,000"); none for a negative one.
fn grouped_mark(value: f64) -> String {
    if value < 0.0 {
        String::new()
    } else {
        shequ_core::format::grouped(value.round() as u64)
    }
}

fn households_chart(
    view: &ViewCtx,
    session: &Session,
    kinds: ChartKinds,
    ui: &mut egui::Ui,
    out: &mut Vec<Intent>,
) {
    let strings = view.strings;
    let bins = households_histogram(session, kinds);
    let series = |name: &str, colour: Color32, pick: fn(&HouseholdsBin) -> usize| {
        BarChart::new(
            name,
            bins.iter()
                .enumerate()
                .map(|(index, bin)| {
                    let start = index as f64 * BIN_HOUSEHOLDS as f64;
                    Bar::new(start + BIN_HOUSEHOLDS as f64 / 2.0, pick(bin) as f64)
                        .width(BIN_HOUSEHOLDS as f64 * 0.9)
                        .fill(colour)
                })
                .collect(),
        )
        .color(colour)
    };
    let below = series(strings.chart_below, theme::BELOW_BAND.egui(), |bin| {
        bin.below.len()
    });
    let within = series(strings.chart_within, theme::CLEAN.egui(), |bin| {
        bin.within.len()
    })
    .stack_on(&[&below]);
    let above = series(strings.chart_above, theme::ERROR.egui(), |bin| {
        bin.above.len()
    })
    .stack_on(&[&below, &within]);
    let lines = band_lines(session, kinds, view);
    // The band's lines in the theme's strongest text colour, seen on a dark or a light plot.
    let line_colour = ui.visuals().strong_text_color();
    let response = Plot::new("households histogram")
        .height(200.0)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .include_y(0.0)
        .include_x(0.0)
        .x_axis_label(strings.households)
        .x_axis_formatter(|mark, _| grouped_mark(mark.value))
        .y_axis_label(strings.communities)
        .show(ui, |plot| {
            plot.bar_chart(below);
            plot.bar_chart(within);
            plot.bar_chart(above);
            for (value, name) in lines {
                plot.vline(
                    VLine::new(format!("{name} {value}"), value as f64)
                        .color(line_colour)
                        .style(egui_plot::LineStyle::dashed_dense()),
                );
            }
            plot.pointer_coordinate()
        });
    if response.response.clicked()
        && let Some(point) = response.inner
        && point.x >= 0.0
        && let Some(bin) = bins.get((point.x / BIN_HOUSEHOLDS as f64) as usize)
    {
        let keys = bin.all();
        if !keys.is_empty() {
            out.push(Intent::SelectAndZoom(keys));
        }
    }
}

fn residents_chart(view: &ViewCtx, session: &Session, ui: &mut egui::Ui, out: &mut Vec<Intent>) {
    let strings = view.strings;
    let band = &session.profile().street_office_residents;
    let offices = street_office_residents(session);
    let bars: Vec<Bar> = offices
        .iter()
        .enumerate()
        .map(|(index, (name, residents))| {
            let within = (band.minimum..=band.maximum).contains(residents);
            let colour = if within {
                theme::CLEAN.egui()
            } else if *residents < band.minimum {
                theme::BELOW_BAND.egui()
            } else {
                theme::ERROR.egui()
            };
            Bar::new(index as f64, *residents as f64)
                .width(0.8)
                .name(name)
                .fill(colour)
        })
        .collect();
    let line_colour = ui.visuals().strong_text_color();
    let response = Plot::new("street office residents")
        .height(200.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .include_y(0.0)
        .include_y(band.maximum as f64 * 1.1)
        // A bar a street office, named when hovered: a city's offices are too many to name
        // along the axis.
        .show_axes([false, true])
        .y_axis_label(strings.residents)
        .y_axis_formatter(|mark, _| grouped_mark(mark.value))
        .show(ui, |plot| {
            let unit = strings.residents;
            plot.bar_chart(
                BarChart::new(strings.residents, bars).element_formatter(Box::new(
                    move |bar, _| format!("{}\n{} {unit}", bar.name, grouped_mark(bar.value)),
                )),
            );
            for value in [band.minimum, band.maximum] {
                plot.hline(
                    egui_plot::HLine::new(value.to_string(), value as f64)
                        .color(line_colour)
                        .style(egui_plot::LineStyle::dashed_dense()),
                );
            }
            plot.pointer_coordinate()
        });
    if response.response.clicked()
        && let Some(point) = response.inner
        && point.x > -0.5
        && let Some((name, _)) = offices.get(point.x.round() as usize)
    {
        let communities = communities_of_office(session, name);
        if !communities.is_empty() {
            out.push(Intent::SelectAndZoom(communities));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Session {
        Session::open(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("sample_data/nanchang-demo/plan.shequ.geojson"),
        )
        .expect("the demo opens")
    }

    #[test]
    fn every_community_is_in_the_bar_of_its_households_on_the_side_of_its_verdict() {
        let session = demo();
        let bins = households_histogram(&session, ChartKinds::All);
        let counted: usize = bins.iter().map(|bin| bin.all().len()).sum();
        assert_eq!(counted, session.plan().len());
        let band = &session.profile().community_households;
        for (index, bin) in bins.iter().enumerate() {
            for key in bin.all() {
                let households = session.tallies().of(key).households;
                assert_eq!((households / BIN_HOUSEHOLDS) as usize, index);
                let community = session.plan().community(key).expect("there");
                let verdict = band_verdict(
                    band,
                    community.properties.kind,
                    community.properties.new_estate,
                    households,
                );
                assert_eq!(bin.within.contains(&key), verdict == BandVerdict::Within);
            }
        }
        // The demo plants a community above the maximum and one below the minimum.
        assert!(bins.iter().any(|bin| !bin.above.is_empty()));
        assert!(bins.iter().any(|bin| !bin.below.is_empty()));
    }

    #[test]
    fn a_type_chosen_counts_only_its_communities_and_new_estates_apart() {
        let session = demo();
        let count = |kinds| -> usize {
            households_histogram(&session, kinds)
                .iter()
                .map(|bin| bin.all().len())
                .sum()
        };
        let parts = count(ChartKinds::Geographic)
            + count(ChartKinds::WorkUnit)
            + count(ChartKinds::ResidentialEstate)
            + count(ChartKinds::NewEstate);
        assert_eq!(parts, count(ChartKinds::All));
        assert!(
            count(ChartKinds::NewEstate) > 0,
            "the demo has a new estate"
        );
    }

    #[test]
    fn street_office_residents_add_up_to_their_communities() {
        let session = demo();
        let offices = street_office_residents(&session);
        assert_eq!(offices.len(), session.plan().street_offices.len());
        for (name, residents) in &offices {
            let sum: u64 = communities_of_office(&session, name)
                .iter()
                .map(|key| session.tallies().of(*key).residents)
                .sum();
            assert_eq!(*residents, sum, "{name}");
        }
        let figures = session.plan_figures();
        for (name, residents) in &offices {
            if let Some(office) = figures
                .street_offices
                .iter()
                .find(|office| &office.name == name)
            {
                assert_eq!(*residents, office.residents, "{name}");
            }
        }
    }
}
