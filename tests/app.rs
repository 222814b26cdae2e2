//! The desktop app driven by label, as a planner would: select from the list, rename, retype,
//! merge, undo and redo, draw a community with clicks, drag a vertex and watch the inspector,
//! accept a violation, switch language. The bundled font is installed so Chinese renders.

use std::path::Path;

use eframe::egui::{self, Event, Modifiers, PointerButton, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use shequ::app::i18n::Language;
use shequ::app::{Preferences, ShequApp, fonts};
use shequ_core::Session;
use shequ_core::format::grouped;

fn demo_session() -> Session {
    Session::open(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/nanchang-demo/plan.shequ.geojson"),
    )
    .expect("demo opens")
}

fn harness(language: Language) -> Harness<'static, ShequApp> {
    let app = ShequApp::new(
        Some(demo_session()),
        Preferences {
            language,
            recent: Vec::new(),
            layers: Default::default(),
        },
    );
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1500.0, 950.0))
        .with_context_setup(fonts::install)
        .build_ui_state(|ui, app: &mut ShequApp| app.show(ui), app);
    harness.run();
    harness
}

fn key_of(harness: &Harness<'_, ShequApp>, id: &str) -> shequ_core::ids::CommunityKey {
    harness
        .state()
        .session
        .as_ref()
        .and_then(|session| session.plan.key_of(id))
        .expect("community exists")
}

fn click_at(harness: &mut Harness<'_, ShequApp>, position: Pos2) {
    harness.event(Event::PointerMoved(position));
    harness.event(Event::PointerButton {
        pos: position,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    harness.event(Event::PointerButton {
        pos: position,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    harness.run();
}

#[test]
fn selecting_from_the_list_renaming_and_retyping_go_through_undoable_commands() {
    let mut harness = harness(Language::Chinese);
    harness.get_by_label("章江路社区").click();
    harness.run();
    let key = key_of(&harness, "SQ0002");
    assert_eq!(harness.state().selection, vec![key]);

    let name = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "名称");
    name.focus();
    name.type_text("新");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let renamed = harness
        .state()
        .session
        .as_ref()
        .and_then(|session| session.plan.community(key))
        .map(|community| community.name.clone());
    assert_eq!(renamed.as_deref(), Some("章江路社区新"));

    harness.get_by_label("老城区").click();
    harness.run();
    assert!(
        harness
            .state()
            .session
            .as_ref()
            .and_then(|session| session.plan.community(key))
            .is_some_and(|community| community.old_town)
    );

    harness.get_by_label("撤销").click();
    harness.run();
    harness.get_by_label("撤销").click();
    harness.run();
    let name_now = harness
        .state()
        .session
        .as_ref()
        .and_then(|session| session.plan.community(key))
        .map(|community| community.name.clone());
    assert_eq!(name_now.as_deref(), Some("章江路社区"));
    harness.get_by_label("重做").click();
    harness.run();
    let name_again = harness
        .state()
        .session
        .as_ref()
        .and_then(|session| session.plan.community(key))
        .map(|community| community.name.clone());
    assert_eq!(name_again.as_deref(), Some("章江路社区新"));
}

#[test]
fn merging_two_communities_selected_in_the_list_and_undoing_it() {
    let mut harness = harness(Language::Chinese);
    let (first, second) = (key_of(&harness, "SQ0041"), key_of(&harness, "SQ0042"));
    let (first_name, second_name) = {
        let session = harness.state().session.as_ref().expect("open");
        (
            session.plan.community(first).expect("exists").name.clone(),
            session.plan.community(second).expect("exists").name.clone(),
        )
    };
    let filter = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "筛选");
    filter.focus();
    filter.type_text("SQ004");
    harness.run();
    harness.get_by_label(&first_name).click();
    harness.run();
    harness
        .get_by_label(&second_name)
        .click_modifiers(Modifiers::SHIFT);
    harness.run();
    assert_eq!(harness.state().selection, vec![first, second]);
    harness.get_by_label("合并").click();
    harness.run();
    assert!(
        harness
            .state()
            .session
            .as_ref()
            .expect("open")
            .plan
            .community(second)
            .is_none()
    );
    harness.get_by_label("撤销").click();
    harness.run();
    assert!(
        harness
            .state()
            .session
            .as_ref()
            .expect("open")
            .plan
            .community(second)
            .is_some()
    );
}

#[test]
fn drawing_a_community_with_clicks_and_naming_it_in_the_dialog() {
    let mut harness = harness(Language::Chinese);
    harness.get_by_label("绘制").click();
    harness.run();
    // A square in the park between the two parts of the planted empty community, where no
    // community is.
    let centre = {
        let session = harness.state().session.as_ref().expect("open");
        let park = session
            .plan
            .community(session.plan.key_of("SQ0014").expect("planted"))
            .expect("exists");
        let bounds = geo::BoundingRect::bounding_rect(&park.boundary).expect("bounds");
        bounds.center()
    };
    let corners = [(-40.0, -40.0), (40.0, -40.0), (40.0, 40.0), (-40.0, 40.0)];
    let points: Vec<Pos2> = corners
        .iter()
        .map(|(dx, dy)| {
            harness.state().map.to_screen(geo::Coord {
                x: centre.x + dx,
                y: centre.y + dy,
            })
        })
        .collect();
    for point in &points {
        click_at(&mut harness, *point);
    }
    harness.key_press(egui::Key::Enter);
    harness.run();
    let id = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "编号");
    id.focus();
    id.type_text("X");
    let name = harness
        .get_all_by_role_and_label(egui::accesskit::Role::TextInput, "名称")
        .last()
        .expect("the dialog's name field");
    name.focus();
    name.type_text("滨江新社区");
    harness.run();
    harness.get_by_label("创建").click();
    harness.run();
    let session = harness.state().session.as_ref().expect("open");
    assert!(
        session
            .plan
            .communities()
            .any(|(_, community)| community.name == "滨江新社区"),
        "{:?}",
        harness.state().message
    );
}

#[test]
fn dragging_a_shared_vertex_updates_the_households_in_the_inspector() {
    let mut harness = harness(Language::Chinese);
    let (west, east) = (key_of(&harness, "SQ0041"), key_of(&harness, "SQ0042"));
    harness.state_mut().selection = vec![west];
    harness.state_mut().zoom_to_selection();
    harness.run();
    harness.get_by_label("顶点").click();
    harness.run();
    let (vertex, before) = {
        let session = harness.state().session.as_ref().expect("open");
        let west_ring = &session.plan.community(west).expect("exists").boundary.0[0]
            .exterior()
            .0;
        let east_ring = &session.plan.community(east).expect("exists").boundary.0[0]
            .exterior()
            .0;
        let shared: Vec<_> = west_ring
            .iter()
            .filter(|coord| east_ring.contains(coord))
            .copied()
            .collect();
        (
            shared[shared.len() / 2],
            session.tallies.of(west).households,
        )
    };
    assert!(
        harness.query_by_label(&grouped(before)).is_some(),
        "the inspector shows {before}"
    );
    let start = harness.state().map.to_screen(vertex);
    let metres_per_point = harness.state().map.metres_per_point as f32;
    harness.event(Event::PointerMoved(start));
    harness.run();
    harness.drag_at(start);
    harness.run();
    for step in 1..=12 {
        harness.event(Event::PointerMoved(
            start + Vec2::new(step as f32 * 6.0 / metres_per_point, 0.0),
        ));
        harness.run();
    }
    harness.drop_at(start + Vec2::new(72.0 / metres_per_point, 0.0));
    harness.run();
    let after = harness
        .state()
        .session
        .as_ref()
        .expect("open")
        .tallies
        .of(west)
        .households;
    assert_ne!(
        after, before,
        "moving the shared edge 72 m east gives the west community more households"
    );
    assert!(
        harness.query_by_label(&grouped(after)).is_some(),
        "the inspector shows {after}"
    );
    assert_eq!(
        harness
            .state()
            .session
            .as_ref()
            .expect("open")
            .history
            .undo_depth(),
        1,
        "the drag is one undo step"
    );
}

#[test]
fn accepting_a_violation_with_a_reason_and_an_approver() {
    let mut harness = harness(Language::Chinese);
    let unaccepted = |harness: &Harness<'_, ShequApp>| {
        harness
            .state()
            .session
            .as_ref()
            .expect("open")
            .violations()
            .iter()
            .filter(|checked| checked.accepted.is_none())
            .count()
    };
    let before = unaccepted(&harness);
    harness
        .get_all_by_label("接受…")
        .next()
        .expect("an accept button")
        .click();
    harness.run();
    let reason = harness.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "理由");
    reason.focus();
    reason.type_text("历史形成, 区政府同意保留");
    let approver = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "批准人");
    approver.focus();
    approver.type_text("东湖区民政局");
    harness.run();
    harness.get_by_label("确定").click();
    harness.run();
    assert_eq!(
        harness
            .state()
            .session
            .as_ref()
            .expect("open")
            .settings
            .exceptions
            .len(),
        1
    );
    assert_eq!(unaccepted(&harness), before - 1);
    assert!(
        harness.query_by_label_contains("已接受").is_some(),
        "the accepted violation is marked"
    );
}

#[test]
fn switching_the_language_changes_every_label() {
    let mut harness = harness(Language::Chinese);
    assert!(harness.query_by_label("撤销").is_some());
    harness.get_by_label("English").click();
    harness.run();
    assert!(harness.query_by_label("Undo").is_some());
    assert!(harness.query_by_label("撤销").is_none());
    assert_eq!(harness.state().preferences.language, Language::English);
}

#[test]
fn the_main_window_looks_as_it_did() {
    let mut harness = harness(Language::Chinese);
    harness.get_by_label("章江路社区").click();
    harness.run();
    harness.remove_cursor();
    harness.run();
    harness.snapshot("main_window_zh");
    harness.get_by_label("English").click();
    harness.run();
    harness.remove_cursor();
    harness.run();
    harness.snapshot("main_window_en");
}
