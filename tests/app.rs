//! The desktop app driven by label, as a planner would: select from the list, rename, retype,
//! merge, undo and redo, draw a community with clicks, drag a vertex and watch the inspector,
//! accept a violation, switch language. The bundled font is installed so Chinese renders.

use std::path::Path;

use eframe::egui::{self, Event, Modifiers, PointerButton, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use geo::{BoundingRect, Coord};
use shequ::app::i18n::Language;
use shequ::app::intent::Intent;
use shequ::app::loading::Loading;
use shequ::app::tools::kinds::{Tool, measured};
use shequ::app::update::recovery_path;
use shequ::app::{Dialog, Preferences, ShequApp, fonts};
use shequ_core::Session;
use shequ_core::edit::Command;
use shequ_core::format::grouped;
use shequ_core::io::print_layout::{Orientation, Paper};
use shequ_core::session::OpenOptions;
use shequ_core::testing::touching_grids;

fn demo_session() -> Session {
    Session::open(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/nanchang-demo/plan.shequ.geojson"),
    )
    .expect("demo opens")
}

fn harness(language: Language) -> Harness<'static, ShequApp> {
    harness_on(demo_session(), language)
}

fn harness_on(session: Session, language: Language) -> Harness<'static, ShequApp> {
    harness_checking(session, language, true)
}

/// The app's harness; `accessibility` false for windows of `egui_file`, whose path and file-name
/// fields carry no accessible name (its shortcoming, not the app's).
fn harness_checking(
    session: Session,
    language: Language,
    accessibility: bool,
) -> Harness<'static, ShequApp> {
    let app = ShequApp::new(
        Some(session),
        Preferences {
            language,
            recent: Vec::new(),
            layers: Default::default(),
            // Tests never call the system's dialog, which would wait for a person.
            built_in_file_dialog: true,
            user_name: String::new(),
        },
    );
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1500.0, 950.0))
        .with_accessibility_check(accessibility)
        .with_context_setup(fonts::install)
        .build_ui_state(|ui, app: &mut ShequApp| app.show(ui), app);
    harness.run();
    harness
}

fn key_of(harness: &Harness<'_, ShequApp>, id: &str) -> shequ_core::ids::CommunityKey {
    harness
        .state()
        .doc
        .session
        .as_ref()
        .and_then(|session| session.plan().key_of(id))
        .expect("community exists")
}

/// The demo with 章江路社区 (SQ0002) selected, its grids drawn, and the map showing it.
fn with_grids_of_zhangjiang_road() -> (Harness<'static, ShequApp>, shequ_core::ids::CommunityKey) {
    let mut harness = harness(Language::Chinese);
    let key = key_of(&harness, "SQ0002");
    harness.state_mut().doc.selection = vec![key];
    harness.state_mut().apply(Intent::DrawGrids);
    wait_for_grids(&mut harness);
    harness.state_mut().apply(Intent::ZoomToSelection);
    harness.run();
    (harness, key)
}

/// The grids of community `key` as they stand.
fn grids_of(
    harness: &Harness<'_, ShequApp>,
    key: shequ_core::ids::CommunityKey,
) -> Vec<shequ_core::plan::Grid> {
    let session = harness.state().doc.session.as_ref().expect("open");
    let community = session.plan().community(key).expect("there");
    community.properties.grids.clone()
}

/// Lets the frames pass until the grids drawn in the background are set.
fn wait_for_grids(harness: &mut Harness<'_, ShequApp>) {
    for _ in 0..3000 {
        if harness.state().ui.drawing_grids.is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.step();
    }
    harness.run();
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
    assert_eq!(harness.state().doc.selection, vec![key]);

    let name = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "名称");
    name.focus();
    name.type_text("新");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let renamed = harness
        .state()
        .doc
        .session
        .as_ref()
        .and_then(|session| session.plan().community(key))
        .map(|community| community.properties.name.clone());
    assert_eq!(renamed.as_deref(), Some("章江路社区新"));

    harness.get_by_label("老城区").click();
    harness.run();
    assert!(
        harness
            .state()
            .doc
            .session
            .as_ref()
            .and_then(|session| session.plan().community(key))
            .is_some_and(|community| community.properties.old_town)
    );

    harness.get_by_label("撤销").click();
    harness.run();
    harness.get_by_label("撤销").click();
    harness.run();
    let name_now = harness
        .state()
        .doc
        .session
        .as_ref()
        .and_then(|session| session.plan().community(key))
        .map(|community| community.properties.name.clone());
    assert_eq!(name_now.as_deref(), Some("章江路社区"));
    harness.get_by_label("重做").click();
    harness.run();
    let name_again = harness
        .state()
        .doc
        .session
        .as_ref()
        .and_then(|session| session.plan().community(key))
        .map(|community| community.properties.name.clone());
    assert_eq!(name_again.as_deref(), Some("章江路社区新"));
}

#[test]
fn merging_two_communities_selected_in_the_list_and_undoing_it() {
    let mut harness = harness(Language::Chinese);
    let (first, second) = (key_of(&harness, "SQ0041"), key_of(&harness, "SQ0042"));
    let (first_name, second_name) = {
        let session = harness.state().doc.session.as_ref().expect("open");
        (
            session
                .plan()
                .community(first)
                .expect("exists")
                .properties
                .name
                .clone(),
            session
                .plan()
                .community(second)
                .expect("exists")
                .properties
                .name
                .clone(),
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
    assert_eq!(harness.state().doc.selection, vec![first, second]);
    // Before the merge, its button tells what the merged community would count.
    let together = households_of(&harness, "SQ0041") + households_of(&harness, "SQ0042");
    harness.get_by_label("合并").hover();
    rest_the_pointer(&mut harness);
    assert!(
        harness
            .query_by_label_contains(&format!("合并后: {} 户", grouped(together)))
            .is_some(),
        "the merged households are shown before the merge"
    );
    harness.get_by_label("合并").click();
    harness.run();
    assert_eq!(households_of(&harness, "SQ0041"), together);
    assert!(
        harness
            .state()
            .doc
            .session
            .as_ref()
            .expect("open")
            .plan()
            .community(second)
            .is_none()
    );
    assert_edit_menu_undoes(&mut harness, "合并");
    harness.get_by_label("撤销").click();
    harness.run();
    assert!(
        harness
            .state()
            .doc
            .session
            .as_ref()
            .expect("open")
            .plan()
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
        let session = harness.state().doc.session.as_ref().expect("open");
        let park = session
            .plan()
            .community(session.plan().key_of("SQ0014").expect("planted"))
            .expect("exists");
        let bounds = geo::BoundingRect::bounding_rect(&park.boundary).expect("bounds");
        bounds.center()
    };
    let corners = [(-40.0, -40.0), (40.0, -40.0), (40.0, 40.0), (-40.0, 40.0)];
    let points: Vec<Pos2> = corners
        .iter()
        .map(|(dx, dy)| {
            harness.state().ui.map.to_screen(geo::Coord {
                x: centre.x + dx,
                y: centre.y + dy,
            })
        })
        .collect();
    for point in &points {
        click_at(&mut harness, *point);
    }
    assert_eq!(
        previewed_households(&harness, "①"),
        0,
        "the preview counts the park's households before Enter"
    );
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
    let session = harness.state().doc.session.as_ref().expect("open");
    assert!(
        session
            .plan()
            .communities()
            .any(|(_, community)| community.properties.name == "滨江新社区"),
        "{:?}",
        harness.state().ui.message
    );
}

#[test]
fn dragging_a_shared_vertex_updates_the_households_in_the_inspector() {
    let mut harness = harness(Language::Chinese);
    let (west, east) = (key_of(&harness, "SQ0041"), key_of(&harness, "SQ0042"));
    harness.state_mut().doc.selection = vec![west];
    harness.state_mut().apply(Intent::ZoomToSelection);
    harness.run();
    harness.get_by_label("顶点").click();
    harness.run();
    let (vertex, before) = {
        let session = harness.state().doc.session.as_ref().expect("open");
        let west_ring = &session.plan().community(west).expect("exists").boundary.0[0]
            .exterior()
            .0;
        let east_ring = &session.plan().community(east).expect("exists").boundary.0[0]
            .exterior()
            .0;
        let shared: Vec<_> = west_ring
            .iter()
            .filter(|coord| east_ring.contains(coord))
            .copied()
            .collect();
        (
            shared[shared.len() / 2],
            session.tallies().of(west).households,
        )
    };
    assert!(
        harness.query_by_label(&grouped(before)).is_some(),
        "the inspector shows {before}"
    );
    let start = harness.state().ui.map.to_screen(vertex);
    let metres_per_point = harness.state().ui.map.metres_per_point as f32;
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
        .doc
        .session
        .as_ref()
        .expect("open")
        .tallies()
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
            .doc
            .session
            .as_ref()
            .expect("open")
            .history()
            .undo_depth(),
        1,
        "the drag is one undo step"
    );
    harness.get_by_label("选择").click();
    harness.run();
    assert_edit_menu_undoes(&mut harness, "移动顶点");
}

#[test]
fn accepting_a_violation_with_a_reason_and_an_approver() {
    let mut harness = harness(Language::Chinese);
    let unaccepted = |harness: &Harness<'_, ShequApp>| {
        harness
            .state()
            .doc
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
            .doc
            .session
            .as_ref()
            .expect("open")
            .settings()
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
    assert_eq!(harness.state().prefs.language, Language::English);
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

/// Opens the Edit menu and checks that its Undo item names `step` ("撤销 合并"), then closes it.
fn assert_edit_menu_undoes(harness: &mut Harness<'_, ShequApp>, step: &str) {
    harness.get_by_label("编辑").click();
    harness.run();
    // The menu item's accessible name carries its shortcut.
    let label = format!("撤销 {step} Ctrl+Z");
    let offered: Vec<String> = harness
        .query_all_by_label_contains("撤销")
        .filter_map(|node| node.accesskit_node().label())
        .collect();
    assert!(
        offered.contains(&label),
        "the Edit menu offers {label}: {offered:?}"
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
}

/// Lets the frames pass that a tooltip waits for while the pointer rests.
fn rest_the_pointer(harness: &mut Harness<'_, ShequApp>) {
    harness.run();
    for _ in 0..30 {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run();
}

/// The households the edit preview beside the pointer gives for the piece numbered `number`.
fn previewed_households(harness: &Harness<'_, ShequApp>, number: &str) -> u64 {
    // A label keeps its text as its value.
    let label = harness
        .query_all_by_label_contains("户")
        .filter_map(|node| node.accesskit_node().value())
        .find(|label| label.starts_with(number))
        .unwrap_or_else(|| panic!("a preview line for {number}"));
    label
        .trim_start_matches(number)
        .split('户')
        .next()
        .and_then(|figure| figure.trim().replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("a count in {label:?}"))
}

fn households_of(harness: &Harness<'_, ShequApp>, id: &str) -> u64 {
    let session = harness.state().doc.session.as_ref().expect("open");
    session
        .tallies()
        .of(session.plan().key_of(id).expect("community exists"))
        .households
}

fn total_households(harness: &Harness<'_, ShequApp>) -> u64 {
    let session = harness.state().doc.session.as_ref().expect("open");
    session
        .plan()
        .communities()
        .map(|(key, _)| session.tallies().of(key).households)
        .sum()
}

fn undo_depth(harness: &Harness<'_, ShequApp>) -> usize {
    harness
        .state()
        .doc
        .session
        .as_ref()
        .expect("open")
        .history()
        .undo_depth()
}

/// Selects a community and fits the map to it with room around it.
fn select_and_zoom(harness: &mut Harness<'_, ShequApp>, id: &str) {
    let key = key_of(harness, id);
    harness.state_mut().doc.selection = vec![key];
    harness.state_mut().apply(Intent::ZoomToSelection);
    harness.run();
    harness.state_mut().ui.map.metres_per_point *= 1.6;
    harness.run();
}

/// The points two communities' outer rings share.
fn shared_vertices(harness: &Harness<'_, ShequApp>, first: &str, second: &str) -> Vec<Coord<f64>> {
    let session = harness.state().doc.session.as_ref().expect("open");
    let ring = |id: &str| {
        session
            .plan()
            .community(session.plan().key_of(id).expect("exists"))
            .expect("exists")
            .boundary
            .0[0]
            .exterior()
            .0
            .clone()
    };
    let second_ring = ring(second);
    ring(first)
        .into_iter()
        .filter(|coord| second_ring.contains(coord))
        .collect()
}

#[test]
fn writing_notes_in_the_inspector_keeps_them_with_the_community_as_one_step() {
    let mut harness = harness(Language::Chinese);
    harness.get_by_label("章江路社区").click();
    harness.run();
    let notes = harness.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "备注");
    notes.focus();
    notes.type_text("东侧两栋待核实");
    harness.run();
    // Typing is not yet a step; leaving the field is.
    assert_eq!(undo_depth(&harness), 0);
    harness.key_press(egui::Key::Escape);
    harness.run();
    let session = harness.state().doc.session.as_ref().expect("open");
    let community = session
        .plan()
        .community(session.plan().key_of("SQ0002").expect("exists"))
        .expect("exists");
    assert_eq!(community.properties.notes, "东侧两栋待核实");
    assert_eq!(undo_depth(&harness), 1);
}

#[test]
fn splitting_a_community_with_a_line_drawn_across_it() {
    let mut harness = harness(Language::Chinese);
    select_and_zoom(&mut harness, "SQ0041");
    let (communities, households) = (
        harness
            .state()
            .doc
            .session
            .as_ref()
            .expect("open")
            .plan()
            .len(),
        total_households(&harness),
    );
    let bounds = {
        let session = harness.state().doc.session.as_ref().expect("open");
        session
            .plan()
            .community(session.plan().key_of("SQ0041").expect("exists"))
            .and_then(|community| community.boundary.bounding_rect())
            .expect("has an extent")
    };
    harness.get_by_label("拆分").click();
    harness.run();
    let middle_y = bounds.center().y + 7.0;
    for x in [bounds.min().x - 25.0, bounds.max().x + 25.0] {
        let screen = harness.state().ui.map.to_screen(Coord { x, y: middle_y });
        click_at(&mut harness, screen);
    }
    // Before Enter, beside the pointer: each side's households.
    let previewed: Vec<u64> = ["①", "②"]
        .iter()
        .map(|number| previewed_households(&harness, number))
        .collect();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let session = harness.state().doc.session.as_ref().expect("open");
    assert_eq!(
        session.plan().len(),
        communities + 1,
        "{:?}",
        harness.state().ui.message
    );
    assert_eq!(
        previewed,
        vec![
            households_of(&harness, "SQ0041"),
            households_of(&harness, "SQ0041-2")
        ],
        "the preview showed what the split made"
    );
    assert_eq!(
        total_households(&harness),
        households,
        "a split keeps every household"
    );
    assert_eq!(undo_depth(&harness), 1);
    assert_edit_menu_undoes(&mut harness, "拆分");
}

#[test]
fn assigning_a_street_block_moves_its_households_into_the_selected_community() {
    let mut harness = harness(Language::Chinese);
    select_and_zoom(&mut harness, "SQ0041");
    let (west, east, total) = (
        households_of(&harness, "SQ0041"),
        households_of(&harness, "SQ0042"),
        total_households(&harness),
    );
    let shared = shared_vertices(&harness, "SQ0041", "SQ0042");
    let edge_x = shared[0].x;
    let middle_y = shared.iter().map(|coord| coord.y).sum::<f64>() / shared.len() as f64;
    harness.get_by_label("分配街区").click();
    harness.run();
    // A point just east of the shared edge: a block of the eastern community.
    let screen = harness.state().ui.map.to_screen(Coord {
        x: edge_x + 20.0,
        y: middle_y + 3.0,
    });
    click_at(&mut harness, screen);
    let (west_after, east_after) = (
        households_of(&harness, "SQ0041"),
        households_of(&harness, "SQ0042"),
    );
    assert!(
        west_after > west,
        "{west} -> {west_after}: {:?}",
        harness.state().ui.message
    );
    assert_eq!(
        west_after - west,
        east - east_after,
        "the households moved across"
    );
    assert_eq!(total_households(&harness), total);
    assert_eq!(undo_depth(&harness), 1);
}

#[test]
fn measuring_shows_the_length_and_enclosed_area_in_the_status_bar() {
    let mut harness = harness(Language::Chinese);
    select_and_zoom(&mut harness, "SQ0041");
    harness.get_by_label("量测").click();
    harness.run();
    let centre = harness
        .state()
        .ui
        .map
        .to_metres(harness.state().ui.map.rect.center());
    for (x, y) in [(-60.0, -40.0), (60.0, -40.0), (60.0, 40.0)] {
        let screen = harness.state().ui.map.to_screen(Coord {
            x: centre.x + x,
            y: centre.y + y,
        });
        click_at(&mut harness, screen);
    }
    let Tool::Measure(points) = &harness.state().ui.tool else {
        panic!("the measure tool is active");
    };
    assert_eq!(points.len(), 3);
    let (length, area) = measured(points);
    let expected = format!(
        "长度 {length:.1} m · 面积 {} m²",
        grouped(area.expect("three points enclose an area").round() as u64)
    );
    assert!(
        harness.query_by_label(&expected).is_some(),
        "the status bar shows {expected}"
    );
    assert!(harness.query_by_label("工具: 量测").is_some());
}

/// A copy of the demo (plan and layers) in a temporary folder, and its plan file.
fn demo_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let folder = tempfile::tempdir().expect("temp dir");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/nanchang-demo");
    for file in ["plan.shequ.geojson", "buildings.geojson", "streets.geojson"] {
        std::fs::copy(demo.join(file), folder.path().join(file)).expect("copy");
    }
    let plan = folder.path().join("plan.shequ.geojson");
    (folder, plan)
}

/// The demo's copy, opened, with community SQ0050 renamed and the edit written to the plan's
/// recovery file.
fn demo_copy_with_a_recovery_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let (folder, plan) = demo_copy();
    let mut session = Session::open(&plan).expect("opens");
    let key = session.plan().key_of("SQ0050").expect("exists");
    let mut properties = session
        .plan()
        .community(key)
        .expect("exists")
        .properties
        .clone();
    properties.name = "恢复测试社区".to_owned();
    session
        .execute(Command::SetProperties {
            key,
            properties: Box::new(properties),
        })
        .expect("renames");
    session
        .write_copy(&recovery_path(&plan))
        .expect("writes the recovery file");
    (folder, plan)
}

#[test]
fn a_recovery_file_is_offered_on_open_and_restores_the_unsaved_edits() {
    let (_folder, plan) = demo_copy_with_a_recovery_file();
    let mut harness = harness_on(Session::open(&plan).expect("opens"), Language::Chinese);
    assert!(matches!(
        harness.state().ui.dialog,
        Some(Dialog::OfferRecovery { .. })
    ));
    harness.get_by_label("恢复").click();
    harness.run();
    let session = harness.state().doc.session.as_ref().expect("open");
    let name = session
        .plan()
        .community(session.plan().key_of("SQ0050").expect("exists"))
        .map(|community| community.properties.name.clone());
    assert_eq!(name.as_deref(), Some("恢复测试社区"));
    assert_eq!(session.plan_path(), Some(plan.as_path()));
    assert!(session.is_dirty(), "the restored edits still need saving");
    assert!(harness.query_by_label("未保存").is_some());
}

#[test]
fn discarding_a_recovery_file_keeps_the_saved_plan_and_deletes_the_file() {
    let (_folder, plan) = demo_copy_with_a_recovery_file();
    let mut harness = harness_on(Session::open(&plan).expect("opens"), Language::Chinese);
    harness.get_by_label("丢弃").click();
    harness.run();
    assert!(harness.state().ui.dialog.is_none());
    assert!(!recovery_path(&plan).exists());
    let session = harness.state().doc.session.as_ref().expect("open");
    assert!(!session.is_dirty());
    assert!(
        session
            .plan()
            .communities()
            .all(|(_, community)| community.properties.name != "恢复测试社区")
    );
}

fn request_close(harness: &mut Harness<'_, ShequApp>) {
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.run();
}

#[test]
fn closing_with_unsaved_changes_asks_and_cancel_keeps_the_plan_open() {
    let mut harness = harness(Language::Chinese);
    // Closing a clean plan asks nothing.
    request_close(&mut harness);
    assert!(harness.state().ui.dialog.is_none());

    harness.get_by_label("章江路社区").click();
    harness.run();
    harness.get_by_label("老城区").click();
    harness.run();
    request_close(&mut harness);
    assert!(matches!(
        harness.state().ui.dialog,
        Some(Dialog::ConfirmQuit)
    ));
    assert!(harness.query_by_label("方案有未保存的修改。").is_some());
    harness.get_by_label("取消").click();
    harness.run();
    assert!(harness.state().ui.dialog.is_none());
    assert!(
        harness
            .state()
            .doc
            .session
            .as_ref()
            .is_some_and(Session::is_dirty)
    );

    request_close(&mut harness);
    harness.get_by_label("不保存退出").click();
    harness.run();
    assert!(harness.state().ui.dialog.is_none());
    // Once the planner chose to quit, the close goes through without asking again.
    request_close(&mut harness);
    assert!(harness.state().ui.dialog.is_none());
}

#[test]
fn a_new_plan_from_layers_previews_the_attribute_mapping_before_it_is_made() {
    let porto = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/porto");
    let mut harness = harness(Language::Chinese);
    harness.state_mut().start_new_plan(
        Some(porto.join("porto_osm_buildings.geojson")),
        Some(porto.join("porto_osm_roads.geojson")),
        Some(porto.join("porto_osm_parishes_pre2013.geojson")),
    );
    harness.run();
    // Porto's OSM buildings have no households field: every residential one is estimated,
    // and the use is read from OSM's `building` by default.
    assert!(harness.query_by_label("户数取自数据: 0 · 0 户").is_some());
    let estimated_before = match &harness.state().ui.dialog {
        Some(Dialog::NewPlan(draft)) => {
            let preview = draft.preview.as_ref().expect("previewed");
            let usage = preview
                .fields
                .iter()
                .find(|row| row.field == shequ_core::attributes::Field::Use)
                .expect("a use row");
            assert_eq!(usage.source.as_deref(), Some("building"));
            preview.estimated.0
        }
        _ => panic!("the new-plan dialog is open"),
    };
    assert!(estimated_before > 0);

    // Map households to a numeric property: those buildings now take it from the data.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "户数")
        .click();
    harness.run();
    harness.get_by_label("building:levels").click();
    harness.run();
    let from_data = match &harness.state().ui.dialog {
        Some(Dialog::NewPlan(draft)) => {
            assert_eq!(
                draft
                    .mapping
                    .override_for(shequ_core::attributes::Field::Households),
                Some("building:levels")
            );
            draft.preview.as_ref().expect("previewed").from_data.0
        }
        _ => panic!("the new-plan dialog is still open"),
    };
    assert!(
        from_data > 0,
        "buildings with levels now have households from the data"
    );

    harness.get_by_label("创建").click();
    harness.step();
    assert!(harness.state().ui.dialog.is_none());
    wait_for_loading(&mut harness);
    let session = harness
        .state()
        .doc
        .session
        .as_ref()
        .expect("a plan is open");
    assert_eq!(session.plan().len(), 4, "the four parishes");
    assert_eq!(session.layers().buildings.len(), 11_384);
    assert_eq!(
        session
            .settings()
            .layers
            .fields
            .override_for(shequ_core::attributes::Field::Households),
        Some("building:levels"),
        "the mapping is kept in the plan"
    );
}

/// Steps the app until its background load is done (at most a minute).
fn wait_for_loading(harness: &mut Harness<'_, ShequApp>) {
    let started = std::time::Instant::now();
    while harness.state().ui.loading.is_some() {
        assert!(started.elapsed().as_secs() < 60, "the load finishes");
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    harness.run();
}

#[test]
fn a_loading_plan_shows_a_progress_window_while_the_app_keeps_answering() {
    let (_folder, plan) = demo_copy_with_a_recovery_file();
    let mut harness = harness(Language::Chinese);
    // The load waits for a signal, so the progress window can be looked at.
    let (release, gate) = std::sync::mpsc::channel::<()>();
    let worker_plan = plan.clone();
    harness.state_mut().ui.loading = Some(Loading::start(&plan, move |progress| {
        let _ = gate.recv();
        Session::open_with(
            &worker_plan,
            OpenOptions {
                progress: Some(progress),
                ..OpenOptions::default()
            },
        )
    }));
    // A new window takes a frame to size itself before it shows.
    harness.step();
    harness.step();
    assert!(harness.query_by_label("plan.shequ.geojson").is_some());
    assert!(harness.query_by_label_contains("读取楼栋").is_some());
    // The rest of the window still answers: the list selects while the plan loads.
    harness.get_by_label("章江路社区").click();
    harness.step();
    assert_eq!(harness.state().doc.selection.len(), 1);
    release.send(()).expect("the worker waits");
    wait_for_loading(&mut harness);
    assert_eq!(
        harness
            .state()
            .doc
            .session
            .as_ref()
            .and_then(|session| session.plan_path()),
        Some(plan.as_path())
    );
}

#[test]
fn opening_a_plan_loads_it_in_the_background_and_offers_its_recovery_file() {
    let (_folder, plan) = demo_copy_with_a_recovery_file();
    let mut harness = harness(Language::Chinese);
    harness.state_mut().open(&plan);
    wait_for_loading(&mut harness);
    let session = harness
        .state()
        .doc
        .session
        .as_ref()
        .expect("the plan is open");
    assert_eq!(session.plan_path(), Some(plan.as_path()));
    assert!(
        harness
            .state()
            .ui
            .notice
            .as_deref()
            .is_some_and(|notice| notice.starts_with("已打开, 用时")),
        "{:?}",
        harness.state().ui.notice
    );
    assert!(matches!(
        harness.state().ui.dialog,
        Some(Dialog::OfferRecovery { .. })
    ));
}

#[test]
fn preferences_load_from_empty_and_older_settings_keeping_what_they_have() {
    let empty: Preferences = serde_json::from_str("{}").expect("empty settings load");
    assert!(empty.recent.is_empty());
    // An older settings file: no layer visibility yet, and one layer switch missing.
    let older: Preferences =
        serde_json::from_str(r#"{"language": "English", "recent": ["/plans/east.shequ.geojson"]}"#)
            .expect("older settings load");
    assert_eq!(older.language, Language::English);
    assert_eq!(
        older.recent,
        vec![std::path::PathBuf::from("/plans/east.shequ.geojson")]
    );
    let partial: Preferences =
        serde_json::from_str(r#"{"language": "Chinese", "layers": {"buildings": false}}"#)
            .expect("partial layer settings load");
    assert!(!partial.layers.buildings);
    assert!(partial.layers.streets, "a missing layer takes its default");
}

#[test]
fn a_community_whose_only_violation_is_accepted_shows_a_tick_in_the_list() {
    let mut session = demo_session();
    let (name, violation) = session
        .plan()
        .communities()
        .find_map(|(key, community)| {
            let violations: Vec<_> = session.rules().of_community(key).collect();
            match violations.as_slice() {
                [only] if only.severity == shequ_core::violation::Severity::Warning => {
                    Some((community.properties.name.clone(), only.key()))
                }
                _ => None,
            }
        })
        .expect("a community of the demo has one warning");
    // The list filtered to that community alone: its mark before and after the acceptance.
    let marks_of = |session: Session| {
        let mut harness = harness_on(session, Language::Chinese);
        harness.state_mut().ui.list_filter = name.clone();
        harness.run();
        assert!(harness.query_by_label(&name).is_some(), "{name} is listed");
        (
            harness.query_all_by_label("▲ 1").count(),
            harness.query_all_by_label("✓").count(),
        )
    };
    assert_eq!(marks_of(demo_session()), (1, 0), "{name} shows its warning");
    session
        .execute(shequ_core::edit::Command::Accept {
            key: violation,
            reason: "历史形成".to_owned(),
            approver: "东湖区民政局".to_owned(),
            date: "2026-12-01".to_owned(),
        })
        .expect("accepted");
    assert_eq!(marks_of(session), (0, 1), "{name}'s ▲ 1 became ✓");
}

#[test]
fn the_load_warnings_in_the_status_bar_open_a_list_naming_each_file_and_its_features() {
    let porto = Session::open(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/porto/plan.shequ.geojson"),
    )
    .expect("Porto opens");
    assert!(
        !porto.warnings().is_empty(),
        "Porto's buildings have no counts"
    );
    let mut harness = harness_on(porto, Language::Chinese);
    assert!(
        harness
            .query_by_label("porto_osm_buildings.geojson")
            .is_none()
    );
    harness.get_by_label_contains("读取警告: 1").click();
    harness.run();
    assert!(
        harness
            .query_by_label("porto_osm_buildings.geojson")
            .is_some(),
        "the list names the file"
    );
    // Said in Chinese: Porto's buildings carry no household counts, so all are estimated.
    assert!(
        harness
            .query_by_label_contains("个要素（全部住宅楼栋）没有户数")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("have no household count")
            .is_none()
    );
    harness.get_by_label("确定").click();
    harness.run();
    assert!(
        harness
            .query_by_label("porto_osm_buildings.geojson")
            .is_none(),
        "closed"
    );
}

/// The demo's copy open in the app, whose file dialogs are the built-in ones.
fn demo_copy_with_built_in_dialogs() -> (tempfile::TempDir, Harness<'static, ShequApp>) {
    let (folder, plan) = demo_copy();
    let session = Session::open(&plan).expect("opens");
    (folder, harness_checking(session, Language::Chinese, false))
}

fn from_file_menu(harness: &mut Harness<'_, ShequApp>, item: &str) {
    harness.get_by_label("文件").click();
    harness.run();
    harness.get_by_label(item).click();
    harness.run();
}

#[test]
fn save_as_in_the_built_in_file_dialog_writes_the_plan_under_the_name_typed() {
    let (folder, mut harness) = demo_copy_with_built_in_dialogs();
    from_file_menu(&mut harness, "另存为…");
    assert!(harness.query_by_label("💾  另存为 — 内置对话框").is_some());
    // It opens in the plan's folder, the plan's name proposed.
    let file_name = |node: &egui_kittest::kittest::AccessKitNode<'_>| {
        node.role() == egui::accesskit::Role::TextInput
            && node.value().as_deref() == Some("plan.shequ.geojson")
    };
    harness.get_by(file_name).focus();
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    harness.get_by(file_name).type_text("方案二.shequ.geojson");
    harness.run();
    harness.get_by_label("保存").click();
    harness.run();
    let saved = folder.path().join("方案二.shequ.geojson");
    assert!(saved.exists(), "the plan is written where the dialog said");
    assert!(harness.state().ui.file_dialog.is_none());
    let session = harness.state().doc.session.as_ref().expect("open");
    assert_eq!(session.plan_path(), Some(saved.as_path()));
    assert!(Session::open(&saved).is_ok());
}

#[test]
fn new_plan_from_layers_takes_its_buildings_from_the_built_in_file_dialog() {
    let (folder, mut harness) = demo_copy_with_built_in_dialogs();
    from_file_menu(&mut harness, "从图层新建方案…");
    // The new-plan dialog waits behind the file dialog, which lists only layer files.
    assert!(harness.state().ui.file_dialog.is_some());
    assert!(
        harness
            .query_by_label_contains("plan.shequ.geojson")
            .is_some()
    );
    harness.get_by_label_contains("buildings.geojson").click();
    harness.run();
    harness.get_by_label("打开").click();
    harness.run();
    assert!(harness.state().ui.file_dialog.is_none());
    match &harness.state().ui.dialog {
        Some(Dialog::NewPlan(draft)) => {
            assert_eq!(
                draft.buildings.as_deref(),
                Some(folder.path().join("buildings.geojson").as_path())
            );
        }
        _ => panic!("the new-plan dialog is open on the chosen buildings"),
    }
}

#[test]
fn cancelling_the_built_in_file_dialog_changes_nothing() {
    let mut harness = harness_checking(demo_session(), Language::Chinese, false);
    from_file_menu(&mut harness, "打开方案…");
    assert!(harness.state().ui.file_dialog.is_some());
    harness.get_by_label("取消").click();
    harness.run();
    assert!(harness.state().ui.file_dialog.is_none());
    assert!(harness.state().ui.loading.is_none());
    assert!(harness.state().doc.session.is_some());
}

#[test]
fn resting_the_pointer_on_a_building_shows_its_figures_and_where_they_come_from() {
    let mut harness = harness(Language::Chinese);
    let (building, point, community) = {
        let session = harness.state().doc.session.as_ref().expect("open");
        let index = session
            .layers()
            .buildings
            .iter()
            .position(|building| building.residential)
            .expect("a residential building");
        let building = &session.layers().buildings[index];
        (
            building.source_id.to_string(),
            building.representative_point,
            shequ::app::map::MapView::community_at(session, building.representative_point)
                .and_then(|key| session.plan().community(key))
                .map(|community| format!("{} ({})", community.properties.name, community.id))
                .expect("in a community"),
        )
    };
    {
        let map = &mut harness.state_mut().ui.map;
        map.metres_per_point = 0.5;
        map.centre = point;
        map.fit_frames_left = 0;
    }
    harness.run();
    let centre = harness.state().ui.map.to_screen(point);
    harness.event(Event::PointerMoved(centre));
    rest_the_pointer(&mut harness);
    assert!(
        harness
            .query_by_label(&format!("楼栋 {building}"))
            .is_some(),
        "the tooltip names the building"
    );
    assert!(harness.query_by_label_contains("取自数据").is_some());
    assert!(harness.query_by_label(&community).is_some());
    // A click pins the details in a window that stays when the pointer leaves.
    click_at(&mut harness, centre);
    harness.event(Event::PointerMoved(centre + Vec2::new(0.0, 400.0)));
    harness.run();
    assert_eq!(
        harness.state().ui.pinned_building.map(|index| harness
            .state()
            .doc
            .session
            .as_ref()
            .expect("open")
            .layers()
            .buildings[index as usize]
            .source_id
            .to_string()),
        Some(building.clone())
    );
    assert!(
        harness
            .query_by_label(&format!("楼栋 {building}"))
            .is_some(),
        "the pinned window names the building"
    );
}

/// Ctrl+F, then `query` typed into the search box.
fn search_for(harness: &mut Harness<'_, ShequApp>, query: &str) {
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.event(Event::Text(query.to_owned()));
    harness.run();
}

#[test]
fn ctrl_f_finds_a_community_by_its_pinyin_initials_and_enter_selects_and_shows_it() {
    let mut harness = harness(Language::Chinese);
    search_for(&mut harness, "zjl");
    assert!(
        harness.query_by_label("社区 · 章江路社区").is_some(),
        "the hit is listed under the box"
    );
    harness.key_press(egui::Key::Enter);
    harness.run();
    let key = harness
        .state()
        .doc
        .session
        .as_ref()
        .and_then(|session| {
            session
                .plan()
                .communities()
                .find(|(_, community)| community.properties.name == "章江路社区")
                .map(|(key, _)| key)
        })
        .expect("the community");
    assert_eq!(harness.state().doc.selection, vec![key]);
    let session = harness.state().doc.session.as_ref().expect("open");
    let [low, high] = session.community_index().envelope(key).expect("extent");
    let centre = harness.state().ui.map.centre;
    assert!(
        (low.x..=high.x).contains(&centre.x) && (low.y..=high.y).contains(&centre.y),
        "the map shows the community"
    );
    assert!(
        harness.query_by_label("社区 · 章江路社区").is_none(),
        "the list closes once a hit is shown"
    );
}

#[test]
fn a_building_found_by_its_id_is_selected_with_its_community_and_its_details_stay_open() {
    let mut harness = harness(Language::Chinese);
    search_for(&mut harness, "b0001517");
    harness.key_press(egui::Key::Enter);
    harness.run();
    let state = harness.state();
    let session = state.doc.session.as_ref().expect("open");
    let pinned = state.ui.pinned_building.expect("pinned");
    let building = &session.layers().buildings[pinned as usize];
    assert_eq!(&*building.source_id, "B0001517");
    assert_eq!(
        state.doc.selection,
        shequ::app::map::MapView::community_at(session, building.representative_point)
            .into_iter()
            .collect::<Vec<_>>()
    );
    assert!(harness.query_by_label("楼栋 B0001517").is_some());
    assert!(harness.query_by_label_contains("取自数据").is_some());
}

#[test]
fn a_typed_coordinate_is_shown_and_a_name_not_there_says_so() {
    let mut harness = harness(Language::Chinese);
    search_for(&mut harness, "没有这条路");
    assert!(harness.query_by_label("没有找到").is_some());
    harness.key_press(egui::Key::Escape);
    harness.run();
    let (point, longitude, latitude) = {
        let session = harness.state().doc.session.as_ref().expect("open");
        let key = session.plan().key_of("SQ0041").expect("exists");
        let community = session.plan().community(key).expect("exists");
        let point = geo::InteriorPoint::interior_point(&community.boundary)
            .expect("inside")
            .0;
        let (longitude, latitude) = session.projection().to_lon_lat(point);
        (point, longitude, latitude)
    };
    harness.state_mut().ui.search.query.clear();
    search_for(&mut harness, &format!("{longitude:.7}, {latitude:.7}"));
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().doc.selection,
        vec![key_of(&harness, "SQ0041")]
    );
    let centre = harness.state().ui.map.centre;
    assert!((centre.x - point.x).abs() < 0.5 && (centre.y - point.y).abs() < 0.5);
}

#[test]
fn the_legend_explains_each_colouring_of_the_communities() {
    use shequ::app::map::Colouring;
    let mut harness = harness(Language::Chinese);
    // The list and the inspector name types and street offices too: the legend adds one more.
    let count =
        |harness: &Harness<'_, ShequApp>, label: &str| harness.query_all_by_label(label).count();
    let (types_before, offices_before) = (count(&harness, "单元型"), count(&harness, "滕王阁街道"));
    for (colouring, title, entry, before) in [
        (Colouring::Violations, "按违规着色", "有错误", 0),
        (
            Colouring::Households,
            "按户数着色",
            "低于户数下限 (< 1,000)",
            0,
        ),
        (Colouring::Type, "按类型着色", "单元型", types_before),
        (
            Colouring::StreetOffice,
            "按街道着色",
            "滕王阁街道",
            offices_before,
        ),
        (Colouring::Walking, "按步行距离着色", "300–500 m", 0),
    ] {
        harness.state_mut().ui.map.colouring = colouring;
        harness.run();
        assert_eq!(count(&harness, title), 1, "the legend's title {title}");
        assert_eq!(count(&harness, entry), before + 1, "{title}: {entry}");
    }
}

/// An MBTiles file of the demo's streets drawn as a basemap would draw them (white ground, dark
/// streets) at zooms 13–17, shifted into GCJ-02 when asked: a basemap whose alignment with the
/// plan's own streets can be seen.
fn street_basemap(session: &Session, path: &Path, gcj02: bool) {
    use shequ_core::tiles::tiles_covering;
    use tiny_skia::{Paint, PathBuilder, Pixmap, Stroke, Transform};
    let projection = session.projection();
    let to_tile_lon_lat = |point: Coord<f64>| {
        let (longitude, latitude) = projection.to_lon_lat(point);
        if gcj02 {
            shequ_core::crs::wgs84_to_gcj02(longitude, latitude)
        } else {
            (longitude, latitude)
        }
    };
    let [low, high] = shequ_core::ops::blocks::data_extent(
        &session.layers().buildings,
        &session.layers().streets,
    )
    .expect("an extent");
    let (west, south) = to_tile_lon_lat(low);
    let (east, north) = to_tile_lon_lat(high);
    let mut tiles = Vec::new();
    for zoom in 13..=17u8 {
        for tile in tiles_covering([west, south, east, north], zoom, 10_000).expect("few") {
            let mut pixmap = Pixmap::new(256, 256).expect("a tile");
            pixmap.fill(tiny_skia::Color::from_rgba8(236, 236, 230, 255));
            let (tile_west, tile_north) = tile.north_west();
            let (tile_east, tile_south) = tile.point_at(1.0, 1.0);
            let mut builder = PathBuilder::new();
            for street in &session.layers().streets {
                for line in &street.lines {
                    for (index, &point) in line.coords().enumerate() {
                        let (longitude, latitude) = to_tile_lon_lat(point);
                        let x = ((longitude - tile_west) / (tile_east - tile_west) * 256.0) as f32;
                        let y =
                            ((tile_north - latitude) / (tile_north - tile_south) * 256.0) as f32;
                        if index == 0 {
                            builder.move_to(x, y);
                        } else {
                            builder.line_to(x, y);
                        }
                    }
                }
            }
            if let Some(streets) = builder.finish() {
                let mut paint = Paint::default();
                paint.set_color_rgba8(70, 70, 90, 255);
                let stroke = Stroke {
                    width: 2.0,
                    ..Stroke::default()
                };
                pixmap.stroke_path(&streets, &paint, &stroke, Transform::identity(), None);
            }
            tiles.push((tile, pixmap.encode_png().expect("encodes")));
        }
    }
    shequ_core::io::mbtiles::write(path, "街巷底图", "png", &tiles).expect("writes");
}

/// Lets the basemap's reader deliver the tiles the map asked for.
/// Steps (not `run`, which refuses a UI that keeps asking for frames) until no tile is awaited
/// for a few frames in a row: each delivered tile asks for a frame, and a new view asks for more.
fn wait_for_tiles(harness: &mut Harness<'_, ShequApp>) {
    let mut quiet_frames = 0;
    for _ in 0..300 {
        harness.step();
        if harness.state().ui.basemaps.tiles_waiting() == 0 {
            quiet_frames += 1;
            if quiet_frames == 3 {
                return;
            }
        } else {
            quiet_frames = 0;
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    panic!("the basemap's tiles never arrived");
}

#[test]
fn a_basemap_added_under_the_plan_is_drawn_remembered_by_relative_path_and_undone() {
    use shequ::app::file_dialog::FileRequest;
    let (folder, plan) = demo_copy();
    let session = Session::open(&plan).expect("opens");
    let basemap = folder.path().join("streets.mbtiles");
    street_basemap(&session, &basemap, false);
    if let Some(keep) = std::env::var_os("SHEQU_KEEP_BASEMAP_FIXTURE") {
        // For a look in a real window: this basemap, and one drawn in GCJ-02 beside it.
        let keep = std::path::PathBuf::from(keep);
        std::fs::copy(&basemap, &keep).expect("kept");
        street_basemap(&session, &keep.with_extension("gcj02.mbtiles"), true);
    }
    let mut harness = harness_on(session, Language::Chinese);
    harness
        .state_mut()
        .apply(Intent::Chosen(FileRequest::Basemap, basemap));
    wait_for_tiles(&mut harness);
    let settings = &harness
        .state()
        .doc
        .session
        .as_ref()
        .expect("open")
        .settings()
        .basemaps;
    assert_eq!(settings.len(), 1);
    assert_eq!(settings[0].path, "streets.mbtiles", "relative to the plan");
    assert!(
        harness.state().ui.basemaps.tiles_drawn() > 0,
        "the map drew tiles"
    );
    // The layers panel lists it by its name.
    harness.get_by_label("图层").click();
    wait_for_tiles(&mut harness);
    assert!(harness.query_by_label("街巷底图").is_some());
    // Saved and reopened, the plan still has it.
    harness.state_mut().apply(Intent::Save);
    let reopened = Session::open(&plan).expect("reopens");
    assert_eq!(reopened.settings().basemaps, *settings_of(&harness));
    // One undo takes it away.
    harness.state_mut().apply(Intent::Undo);
    wait_for_tiles(&mut harness);
    assert!(settings_of(&harness).is_empty());
    drop(folder);
}

fn settings_of<'a>(
    harness: &'a Harness<'_, ShequApp>,
) -> &'a Vec<shequ_core::io::plan_file::BasemapSettings> {
    &harness
        .state()
        .doc
        .session
        .as_ref()
        .expect("open")
        .settings()
        .basemaps
}

#[test]
fn a_file_that_is_not_a_raster_basemap_is_refused_with_its_reason() {
    use shequ::app::file_dialog::FileRequest;
    let (folder, _plan) = demo_copy();
    let not_tiles = folder.path().join("buildings.geojson");
    let mut harness = harness(Language::Chinese);
    harness
        .state_mut()
        .apply(Intent::Chosen(FileRequest::Basemap, not_tiles));
    harness.run();
    let message = harness.state().ui.message.clone().unwrap_or_default();
    assert!(message.contains("buildings.geojson"), "{message}");
    assert!(settings_of(&harness).is_empty());
}

#[test]
fn the_print_preview_commits_its_choices_as_undo_steps_of_the_plan_and_writes_a_pdf() {
    let (folder, mut harness) = demo_copy_with_built_in_dialogs();
    harness.get_by_label("文件").click();
    harness.run();
    harness.get_by_label_contains("打印预览").click();
    harness.run();
    let drawn = |harness: &Harness<'_, ShequApp>| {
        harness
            .state()
            .ui
            .print_preview
            .as_ref()
            .is_some_and(|preview| preview.is_drawn())
    };
    assert!(drawn(&harness), "the sheet is drawn in the window");
    let layout = |harness: &Harness<'_, ShequApp>| {
        let session = harness.state().doc.session.as_ref().expect("open");
        session.settings().print_layout.clone()
    };

    harness.get_by_label("A3").click();
    harness.run();
    assert_eq!(
        layout(&harness).paper,
        Paper::A3,
        "a choice is committed at once"
    );

    // A title is committed when its field is left, not at every keystroke.
    let title = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "标题");
    title.focus();
    title.type_text("东湖区社区调整方案");
    harness.run();
    assert_eq!(layout(&harness).title, None, "still typing");
    harness.get_by_label("纵向").click();
    harness.run();
    let changed = layout(&harness);
    assert_eq!(changed.title.as_deref(), Some("东湖区社区调整方案"));
    assert_eq!(changed.orientation, Orientation::Portrait);
    assert!(drawn(&harness));

    // Undo takes the last step back, and the window follows the plan.
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    let undone = layout(&harness);
    assert_eq!(
        (undone.paper, undone.orientation, undone.title),
        (Paper::A3, Orientation::Landscape, None)
    );

    harness.get_by_label("PDF…").click();
    harness.run();
    assert!(harness.state().ui.file_dialog.is_some(), "asks where");
    harness.get_by_label("保存").click();
    harness.run();
    let pdf = std::fs::read(folder.path().join("map.pdf")).expect("the sheet is written");
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn comparing_with_the_plan_as_opened_after_a_split_shows_the_transfer_and_marks_its_buildings() {
    let mut harness = harness(Language::Chinese);
    let key = key_of(&harness, "SQ0041");
    let bounds = {
        let session = harness.state().doc.session.as_ref().expect("open");
        session
            .plan()
            .community(key)
            .and_then(|community| community.boundary.bounding_rect())
            .expect("has an extent")
    };
    let middle_y = bounds.center().y + 7.0;
    let line = geo::LineString::from(vec![
        (bounds.min().x - 25.0, middle_y),
        (bounds.max().x + 25.0, middle_y),
    ]);
    assert!(
        harness
            .state_mut()
            .apply(Intent::Edit(Command::Split { key, line }))
    );
    harness.run();
    let new_half = households_of(&harness, "SQ0041-2");
    assert!(new_half > 0, "the split gave the new half households");

    harness.get_by_label("对比").click();
    harness.run();
    harness.get_by_label("与打开时的方案对比").click();
    harness.run();
    assert!(
        harness.state().doc.comparison.is_some(),
        "{:?}",
        harness.state().ui.message
    );
    harness.get_by_label("方案对比");
    harness.get_by_label_contains("变更楼栋");
    // The matrix's one off-diagonal cell: SQ0041's households that went to its new half.
    let cell = grouped(new_half);
    let cells: Vec<_> = harness.query_all_by_label(&cell).collect();
    assert!(!cells.is_empty(), "the transfer {cell} is in the matrix");
    cells[0].click();
    harness.run();
    let view = harness.state().doc.comparison.as_ref().expect("comparing");
    let (picked, buildings) = view.picked.as_ref().expect("a transfer is picked");
    assert_eq!(
        picked,
        &(Some("SQ0041".to_owned()), Some("SQ0041-2".to_owned()))
    );
    assert!(!buildings.is_empty());
    assert_eq!(
        view.moved.len(),
        buildings.len(),
        "only the new half's buildings moved"
    );
    // The new half is selected, and the inspector shows it new, from nothing to its households.
    assert_eq!(
        harness.state().doc.selection,
        vec![key_of(&harness, "SQ0041-2")]
    );
    harness.get_by_label_contains("对比前 → 后 (新增)");
    harness.get_by_label_contains(&format!("0 → {cell}"));

    // Undoing the split leaves nothing moved; ending the comparison closes the window.
    harness.state_mut().apply(Intent::Undo);
    harness.run();
    let view = harness.state().doc.comparison.as_ref().expect("comparing");
    assert!(view.moved.is_empty());
    harness.get_by_label("没有楼栋变更社区");
    harness.get_by_label("对比").click();
    harness.run();
    harness.get_by_label("结束对比").click();
    harness.run();
    assert!(harness.state().doc.comparison.is_none());
    assert!(harness.query_by_label("方案对比").is_none());
}

#[test]
fn the_change_log_lists_a_merge_and_its_undo_under_the_name_given_and_selects_their_communities() {
    let mut harness = harness(Language::Chinese);
    let (first, second) = (key_of(&harness, "SQ0041"), key_of(&harness, "SQ0042"));
    let together = households_of(&harness, "SQ0041") + households_of(&harness, "SQ0042");
    harness.get_by_label("编辑").click();
    harness.run();
    harness.get_by_label("修改记录…").click();
    harness.run();
    harness.get_by_label("尚无修改记录");
    let name = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "操作人");
    name.focus();
    name.type_text("王工");
    harness.run();
    assert_eq!(harness.state().prefs.user_name, "王工");

    harness.state_mut().doc.selection = vec![first, second];
    harness.state_mut().apply(Intent::MergeSelection);
    harness.state_mut().apply(Intent::Undo);
    harness.run();
    let log = harness
        .state()
        .doc
        .session
        .as_ref()
        .expect("open")
        .log()
        .to_vec();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|entry| entry.user == "王工"));
    // Newest first: the undo, then the merge with the merged households.
    harness.get_by_label("撤销 合并");
    harness.get_by_label_contains(&format!("→ {}", grouped(together)));

    // A community filter that matches neither hides both; clearing it shows them again.
    let filter = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "社区");
    filter.focus();
    filter.type_text("没有这个社区");
    harness.run();
    assert!(harness.query_by_label("撤销 合并").is_none());
    harness.get_by_label("未找到");
    harness.state_mut().ui.log_window = Some(Default::default());
    harness.run();

    // A click on an entry selects its communities.
    harness.state_mut().doc.selection.clear();
    let date = log[0].date().to_owned();
    let times: Vec<_> = harness.query_all_by_label_contains(&date).collect();
    assert_eq!(times.len(), 2, "an entry a row");
    times[1].click();
    harness.run();
    let mut selected = harness.state().doc.selection.clone();
    selected.sort();
    let mut expected = vec![first, second];
    expected.sort();
    assert_eq!(selected, expected);
}

#[test]
fn a_new_scenario_is_a_copy_with_its_own_edits_and_undo_and_the_toolbar_switches_back() {
    let mut harness = harness(Language::Chinese);
    let (first, second) = (
        households_of(&harness, "SQ0041"),
        households_of(&harness, "SQ0042"),
    );
    harness.get_by_label("方案").click();
    harness.run();
    harness.get_by_label("新建方案（复制当前）…").click();
    harness.run();
    // The name is proposed and has the keyboard; Enter makes the copy, and the plan stays on
    // the scenario it was on.
    harness.key_press(egui::Key::Enter);
    harness.run();
    let names = |harness: &Harness<'_, ShequApp>| -> Vec<String> {
        let session = harness.state().doc.session.as_ref().expect("open");
        session
            .scenario_names()
            .iter()
            .map(|name| (*name).to_owned())
            .collect()
    };
    assert_eq!(names(&harness), ["方案一", "方案二"]);
    let active = |harness: &Harness<'_, ShequApp>| -> String {
        let session = harness.state().doc.session.as_ref().expect("open");
        session.scenario_name().to_owned()
    };
    assert_eq!(active(&harness), "方案一");

    harness.get_by_label("方案").click();
    harness.run();
    harness.get_by_label("方案二").click();
    harness.run();
    assert_eq!(active(&harness), "方案二");
    let keys = vec![key_of(&harness, "SQ0041"), key_of(&harness, "SQ0042")];
    harness.state_mut().doc.selection = keys;
    harness.state_mut().apply(Intent::MergeSelection);
    harness.run();
    assert_eq!(households_of(&harness, "SQ0041"), first + second);
    assert_eq!(undo_depth(&harness), 1);

    // The toolbar's switch goes back: the first scenario is as it was, with nothing to undo.
    harness.get_by_label("当前方案").click();
    harness.run();
    harness.get_by_label("方案一").click();
    harness.run();
    assert_eq!(active(&harness), "方案一");
    assert_eq!(households_of(&harness, "SQ0041"), first);
    assert_eq!(households_of(&harness, "SQ0042"), second);
    assert_eq!(undo_depth(&harness), 0);
    assert!(harness.state().doc.selection.is_empty());
}

#[test]
fn the_charts_window_opens_from_the_view_menu_and_chooses_the_types_it_counts() {
    let mut harness = harness(Language::Chinese);
    harness.get_by_label("视图").click();
    harness.run();
    harness.get_by_label("统计图…").click();
    harness.run();
    harness.get_by_label("各社区户数分布（每柱 100 户）");
    harness.get_by_label("各街道人口");
    assert_eq!(
        harness.state().ui.charts,
        Some(shequ::app::state::ChartKinds::All)
    );
    harness.get_by_label("新建小区").click();
    harness.run();
    assert_eq!(
        harness.state().ui.charts,
        Some(shequ::app::state::ChartKinds::NewEstate)
    );
}

#[test]
fn a_fix_listed_from_the_violations_panel_shows_its_outcome_and_applies_as_one_undo_step() {
    let mut harness = harness(Language::Chinese);
    // Only the empty community's violation in the panel, so its row has the one Fix button.
    harness.state_mut().ui.violation_filter.rule = Some("community.empty");
    harness.run();
    harness.get_by_label("修复…").click();
    harness.run();
    harness.get_by_label("修复建议");
    harness.get_by_label_contains("删除空社区 状元桥社区 (SQ0014)");
    harness.get_by_label_contains("已解决违规");
    let communities = harness
        .state()
        .doc
        .session
        .as_ref()
        .expect("open")
        .plan()
        .len();
    harness.get_by_label("应用").click();
    harness.run();
    let session = harness.state().doc.session.as_ref().expect("open");
    assert_eq!(session.plan().len(), communities - 1);
    assert!(session.plan().key_of("SQ0014").is_none());
    assert!(harness.state().ui.fixes.is_none(), "the window closes");
    assert_eq!(undo_depth(&harness), 1);
    harness.state_mut().apply(Intent::Undo);
    harness.run();
    let session = harness.state().doc.session.as_ref().expect("open");
    assert!(session.plan().key_of("SQ0014").is_some());
}

#[test]
fn a_community_above_its_band_is_offered_splits_along_its_streets_drawn_dashed_before_they_are_applied()
 {
    let mut harness = harness(Language::Chinese);
    let key = {
        let session = harness.state().doc.session.as_ref().expect("open");
        session
            .rules()
            .iter()
            .find(|violation| {
                violation.rule == "community.households"
                    && violation.communities == ["SQ0002".to_owned()]
            })
            .expect("章江路社区 is above its band")
            .key()
    };
    harness.state_mut().apply(Intent::ShowFixes(key));
    harness.run();
    let splits: Vec<_> = harness
        .query_all_by_label_contains("沿街道把 章江路社区 拆分为")
        .collect();
    assert!(!splits.is_empty(), "a split is offered");
    let last = splits.len() - 1;
    splits[last].click();
    harness.run();
    let shown = harness
        .state()
        .ui
        .fixes
        .as_ref()
        .expect("the window stays open");
    assert_eq!(shown.chosen, last, "the picked fix is the one drawn");
    let fixes = shown.fixes.as_ref().expect("fixes");
    let proposed = &fixes[last].outcome.boundaries;
    assert!(proposed.len() >= 2, "the parts' boundaries: {proposed:?}");
    // The map is fitted to the proposed boundaries.
    let visible = harness.state().ui.map.visible();
    for (_, boundary) in proposed {
        let envelope = shequ_core::index::boundary_envelope(boundary).expect("a boundary");
        assert!(
            rstar::Envelope::contains_envelope(&visible, &envelope),
            "the proposal is on screen"
        );
    }
    harness
        .get_all_by_label("应用")
        .nth(last)
        .expect("an Apply per fix")
        .click();
    harness.run();
    let session = harness.state().doc.session.as_ref().expect("open");
    assert!(
        session.plan().key_of("SQ0002-2").is_some(),
        "a new community"
    );
    assert_eq!(undo_depth(&harness), 1);
}

#[test]
fn the_automatic_partition_of_a_street_office_is_shown_dashed_and_kept_as_a_new_scenario() {
    let mut harness = harness(Language::Chinese);
    harness.get_by_label("方案").click();
    harness.run();
    harness.get_by_label("自动划分…").click();
    harness.run();
    harness
        .state_mut()
        .ui
        .partition
        .as_mut()
        .expect("the window is open")
        .street_office = Some("滕王阁街道".to_owned());
    harness.run();
    harness.get_by_label("计算").click();
    // Worked out in the background: frames pass (a spinner turning) until it is done.
    harness.step();
    for _ in 0..3000 {
        if harness
            .state()
            .ui
            .partition
            .as_ref()
            .is_some_and(|window| window.working.is_none())
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.step();
    }
    harness.run();
    harness.get_by_label("户数在范围内");
    harness.get_by_label("100.0%");
    let made = {
        let window = harness.state().ui.partition.as_ref().expect("open");
        let (_, result) = window.result.as_ref().expect("computed");
        result.as_ref().expect("a partition").boundaries.len()
    };
    assert!(made >= 10, "the communities made, to draw dashed");
    harness.get_by_label("另存为新方案").click();
    harness.run();
    let session = harness.state().doc.session.as_ref().expect("open");
    assert_eq!(session.scenario_name(), "自动划分");
    assert!(session.scenario_names().contains(&"方案一"));
    assert!(harness.state().ui.partition.is_none(), "the window closes");
    assert_eq!(undo_depth(&harness), 1, "one step in the new scenario");
    let outside_band = session
        .rules()
        .iter()
        .filter(|violation| violation.rule == "community.households")
        .filter_map(|violation| session.plan().key_of(&violation.communities[0]))
        .filter_map(|key| session.plan().community(key))
        .filter(|community| {
            community.properties.street_office.as_deref() == Some("滕王阁街道")
                && community.properties.kind == shequ_core::plan::CommunityType::Geographic
        })
        .count();
    assert_eq!(outside_band, 0);
}

#[test]
fn placing_an_office_with_the_tool_shows_the_walking_distances_and_undoes_as_one_step() {
    let mut harness = harness(Language::Chinese);
    select_and_zoom(&mut harness, "SQ0041");
    assert!(
        harness
            .query_by_label_contains("未设居委会办公点")
            .is_some()
    );
    harness.get_by_label("办公点").click();
    harness.run();
    // The middle of the community's largest part.
    let key = key_of(&harness, "SQ0041");
    let inside = {
        let session = harness.state().doc.session.as_ref().expect("a plan");
        geo::InteriorPoint::interior_point(
            &session.plan().community(key).expect("present").boundary,
        )
        .expect("an inside")
        .0
    };
    let screen = harness.state().ui.map.to_screen(inside);
    click_at(&mut harness, screen);
    let session = harness.state().doc.session.as_ref().expect("a plan");
    let office = session
        .plan()
        .community(key)
        .expect("present")
        .properties
        .office;
    let placed = office.expect("the office is placed");
    assert!(
        (placed.x - inside.x).hypot(placed.y - inside.y)
            < 2.0 * harness.state().ui.map.metres_per_point
    );
    let walking = session.rules().walking_of(key).expect("walking figures");
    assert_eq!(walking.households, session.tallies().of(key).households);
    let within_300 = walking.within[0].1;
    assert_eq!(undo_depth(&harness), 1);
    // The inspector shows the share within 300 m with its households.
    let expected = format!("({} 户)", grouped(within_300));
    assert!(
        harness.query_by_label_contains(&expected).is_some(),
        "the inspector shows {expected}"
    );
    assert!(harness.query_by_label("步行 300 m 内").is_some());
    harness.get_by_label("撤销").click();
    harness.run();
    let session = harness.state().doc.session.as_ref().expect("a plan");
    assert_eq!(
        session
            .plan()
            .community(key)
            .expect("present")
            .properties
            .office,
        None
    );
    assert!(session.rules().walking_of(key).is_none());
}

#[test]
fn a_click_outside_every_community_with_the_office_tool_says_where_to_click() {
    let mut harness = harness(Language::Chinese);
    harness.get_by_label("办公点").click();
    harness.run();
    let corner = harness.state().ui.map.rect.left_top() + Vec2::new(3.0, 3.0);
    click_at(&mut harness, corner);
    assert_eq!(
        harness.state().ui.message.as_deref(),
        Some("请在某个社区范围内单击放置办公点")
    );
    assert_eq!(undo_depth(&harness), 0);
}

#[test]
fn drawing_grids_from_the_scenario_menu_gives_the_selected_community_coded_grids_as_one_undo_step()
{
    let mut harness = harness(Language::Chinese);
    let key = {
        let session = harness.state().doc.session.as_ref().expect("open");
        session.plan().key_of("SQ0002").expect("exists")
    };
    harness.state_mut().doc.selection = vec![key];
    harness.run();
    harness.get_by_label("方案").click();
    harness.run();
    harness.get_by_label("划分网格").click();
    harness.step();
    wait_for_grids(&mut harness);
    let session = harness.state().doc.session.as_ref().expect("open");
    let grids = &session
        .plan()
        .community(key)
        .expect("still there")
        .properties
        .grids;
    assert!(grids.len() >= 2, "2,461 households in grids of about 300");
    assert!(grids.iter().all(|grid| grid.code.starts_with("SQ0002")));
    let others = session
        .plan()
        .communities()
        .filter(|(other, _)| *other != key)
        .all(|(_, community)| community.properties.grids.is_empty());
    assert!(others, "only the selected community");
    assert_eq!(undo_depth(&harness), 1);
    let message = harness.state().ui.message.clone().unwrap_or_default();
    assert!(message.contains("网格"), "{message}");
    // The inspector lists them with their households.
    let count = grids.len();
    harness.get_by_label(&format!("网格 ({count})"));
    // Two touching grids ticked there merge into one, the rest renumbered, as one more step.
    let (first, second) = touching_grids(grids).expect("two touching grids");
    let touching = [grids[first].code.clone(), grids[second].code.clone()];
    // The list is further down the inspector: scrolled to, as a planner would.
    for code in &touching {
        harness.get_by_label(code).scroll_to_me();
        harness.run();
        harness.get_by_label(code).click();
        harness.run();
    }
    harness.get_by_label("合并所选网格").scroll_to_me();
    harness.run();
    harness.get_by_label("合并所选网格").click();
    harness.run();
    let merged = grids_of(&harness, key);
    assert_eq!(merged.len(), count - 1);
    assert_eq!(merged[count - 2].code, format!("SQ0002{:03}", count - 1));
    assert_eq!(undo_depth(&harness), 2);
}

#[test]
fn choosing_to_keep_grid_codes_in_the_inspector_keeps_them_through_a_merge() {
    let (mut harness, key) = with_grids_of_zhangjiang_road();
    let grids = |harness: &Harness<'_, ShequApp>| grids_of(harness, key);
    let before = grids(&harness);
    harness.get_by_label("保留原编号").scroll_to_me();
    harness.run();
    harness.get_by_label("保留原编号").click();
    harness.run();
    {
        let session = harness.state().doc.session.as_ref().expect("open");
        assert_eq!(
            session.profile().grids.codes_after_edits,
            shequ_core::profile::GridCodes::Kept
        );
        assert!(session.is_dirty(), "a setting of the plan, to be saved");
        assert_eq!(undo_depth(&harness), 1, "not an undo step");
    }
    // Two touching grids merged: the merged grid keeps the lower code, the others keep theirs.
    let (first, second) = touching_grids(&before).expect("two touching grids");
    let touching = [before[first].code.clone(), before[second].code.clone()];
    let last = &before.last().expect("grids").code;
    assert_ne!(
        &touching[1], last,
        "renumbering would then give the same codes"
    );
    let session = harness.state().doc.session.as_ref().expect("open");
    let merge = shequ_core::grids::merge_grids(session, key, &touching).expect("they merge");
    harness.state_mut().apply(Intent::Edit(merge));
    harness.run();
    let codes: Vec<String> = grids(&harness).into_iter().map(|grid| grid.code).collect();
    let expected: Vec<String> = (before.iter())
        .map(|grid| grid.code.clone())
        .filter(|code| *code != touching[1])
        .collect();
    assert_eq!(codes, expected);
}

#[test]
fn with_edit_grids_on_the_split_tool_splits_the_grid_under_the_line_as_one_undo_step() {
    use geo::{Contains, InteriorPoint};
    let (mut harness, key) = with_grids_of_zhangjiang_road();
    let grids = |harness: &Harness<'_, ShequApp>| grids_of(harness, key);
    let before = grids(&harness);
    // A grid whose extent's middle lies in it, and a line across it there, from side to side.
    let (grid, middle, extent) = before
        .iter()
        .find_map(|grid| {
            let extent = grid.boundary.bounding_rect()?;
            let middle = extent.center();
            grid.boundary
                .contains(&geo::Point(middle))
                .then_some((grid.clone(), middle, extent))
        })
        .expect("a grid holding its middle");
    assert!(grid.boundary.interior_point().is_some());
    harness.get_by_label("编辑网格").click();
    harness.run();
    assert!(harness.state().ui.edit_grids);
    harness.get_by_label("拆分").click();
    harness.run();
    let map = &harness.state().ui.map;
    let (start, end) = (
        map.to_screen(Coord {
            x: extent.min().x - 2.0,
            y: middle.y,
        }),
        map.to_screen(Coord {
            x: extent.max().x + 2.0,
            y: middle.y,
        }),
    );
    click_at(&mut harness, start);
    click_at(&mut harness, end);
    // Before Enter, the pieces are previewed with their households against the grids' range.
    harness.event(Event::PointerMoved(end));
    harness.run();
    assert_eq!(
        harness
            .query_all_by_label_contains("网格户数范围 150–500 户")
            .count(),
        2,
        "the preview weighs each of the two pieces against the grids' range"
    );
    harness.key_press(egui::Key::Enter);
    harness.run();
    let after = grids(&harness);
    let message = harness.state().ui.message.clone().unwrap_or_default();
    assert_eq!(after.len(), before.len() + 1, "{message}");
    // The community itself is not split.
    let session = harness.state().doc.session.as_ref().expect("open");
    assert!(session.plan().key_of("SQ0002-2").is_none());
    assert_eq!(undo_depth(&harness), 2, "drawing, then the split");
    harness.get_by_label("选择").click();
    harness.run();
    assert_edit_menu_undoes(&mut harness, "修改网格");
    harness.state_mut().apply(Intent::Undo);
    harness.run();
    assert_eq!(grids(&harness), before);
}

#[test]
fn grids_drawn_in_the_background_are_not_set_when_the_plan_changed_meanwhile() {
    let mut harness = harness(Language::Chinese);
    let key = key_of(&harness, "SQ0002");
    harness.state_mut().doc.selection = vec![key];
    harness.state_mut().apply(Intent::DrawGrids);
    assert!(
        harness.state().ui.drawing_grids.is_some(),
        "drawn in the background"
    );
    // Before they come back, the community is renamed: the grids were drawn for another plan.
    let mut properties = {
        let session = harness.state().doc.session.as_ref().expect("open");
        session
            .plan()
            .community(key)
            .expect("there")
            .properties
            .clone()
    };
    properties.name = "章江社区".to_owned();
    harness
        .state_mut()
        .apply(Intent::Edit(Command::SetProperties {
            key,
            properties: Box::new(properties),
        }));
    wait_for_grids(&mut harness);
    assert!(grids_of(&harness, key).is_empty());
    assert_eq!(undo_depth(&harness), 1, "only the renaming");
    let message = harness.state().ui.message.clone().unwrap_or_default();
    assert!(message.contains("请重新划分"), "{message}");
}

#[test]
fn with_edit_grids_on_a_stroke_from_a_grid_brushes_a_street_block_into_it_as_one_undo_step() {
    use geo::{Contains, InteriorPoint};
    let (mut harness, key) = with_grids_of_zhangjiang_road();
    harness.get_by_label("编辑网格").click();
    harness.run();
    harness.get_by_label("分配街区").click();
    harness.run();
    // A grid, and a street block of the community that none of the grid's ground is in.
    let (start, target) = {
        let session = harness.state().doc.session.as_ref().expect("open");
        let community = session.plan().community(key).expect("there");
        let grid = &community.properties.grids[0];
        let start = grid.boundary.interior_point().expect("inside").0;
        let blocks = session.derived_blocks().expect("derived for the tool");
        let target = blocks
            .polygons
            .iter()
            .filter_map(|block| block.interior_point())
            .find(|inside| community.boundary.contains(inside) && !grid.boundary.contains(inside))
            .expect("another block of the community")
            .0;
        (start, target)
    };
    let depth = undo_depth(&harness);
    let map = &harness.state().ui.map;
    let (from, to) = (map.to_screen(start), map.to_screen(target));
    harness.event(Event::PointerMoved(from));
    harness.run();
    harness.drag_at(from);
    harness.run();
    for step in 1..=20 {
        harness.event(Event::PointerMoved(
            from + (to - from) * (step as f32 / 20.0),
        ));
        harness.run();
    }
    harness.drop_at(to);
    harness.run();
    let grids = grids_of(&harness, key);
    let holder = grids
        .iter()
        .find(|grid| grid.boundary.contains(&geo::Point(start)))
        .expect("the stroke's grid");
    assert!(
        holder.boundary.contains(&geo::Point(target)),
        "the block is the grid's now"
    );
    assert_eq!(
        undo_depth(&harness),
        depth + 1,
        "the stroke is one undo step"
    );
}
