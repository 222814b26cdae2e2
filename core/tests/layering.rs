//! The core's modules form one-way layers: each module imports only modules listed above it in
//! `lib.rs`. Reads the sources; tests (`#[cfg(test)]` modules) may reach anywhere.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn source_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level modules in the order `lib.rs` declares them.
fn declared_order() -> Vec<String> {
    let lib = std::fs::read_to_string(source_folder().join("lib.rs")).expect("lib.rs");
    lib.lines()
        .filter_map(|line| line.trim().strip_prefix("pub mod "))
        .map(|rest| rest.trim_end_matches(';').to_owned())
        .collect()
}

/// Every `.rs` file of a top-level module (its file, or every file under its folder).
fn files_of(module: &str) -> Vec<PathBuf> {
    let folder = source_folder().join(module);
    if folder.is_dir() {
        let mut files = Vec::new();
        let mut pending = vec![folder];
        while let Some(folder) = pending.pop() {
            for entry in std::fs::read_dir(&folder).expect("folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|extension| extension == "rs") {
                    files.push(path);
                }
            }
        }
        files.sort();
        files
    } else {
        vec![source_folder().join(format!("{module}.rs"))]
    }
}

/// The code of a file without its comments and its test module (which, by this crate's habit,
/// comes last).
fn code_without_tests(text: &str) -> String {
    let code = text
        .find("#[cfg(test)]\nmod tests")
        .map_or(text, |start| &text[..start]);
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules `code` names through `crate::`, including inside `use crate::{…}`.
fn modules_named(code: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    let identifier = |text: &str| -> String {
        text.chars()
            .take_while(|character| character.is_alphanumeric() || *character == '_')
            .collect()
    };
    for (position, _) in code.match_indices("crate::") {
        let rest = &code[position + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = identifier(item.trim());
                if !name.is_empty() {
                    named.insert(name);
                }
            }
        } else {
            let name = identifier(rest);
            if !name.is_empty() {
                named.insert(name);
            }
        }
    }
    named
}

#[test]
fn every_core_module_imports_only_modules_listed_above_it_in_lib_rs() {
    let order = declared_order();
    assert!(order.len() > 10, "lib.rs lists the modules: {order:?}");
    let mut wrong = Vec::new();
    for (rank, module) in order.iter().enumerate() {
        for file in files_of(module) {
            let text = std::fs::read_to_string(&file).expect("source");
            for named in modules_named(&code_without_tests(&text)) {
                if &named == module {
                    continue;
                }
                match order.iter().position(|known| *known == named) {
                    Some(other) if other < rank => {}
                    Some(_) => wrong.push(format!(
                        "{} imports `{named}`, which lib.rs lists below `{module}`",
                        file.display()
                    )),
                    None => wrong.push(format!(
                        "{} names `crate::{named}`, which is no module of lib.rs",
                        file.display()
                    )),
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_layering_check_finds_grouped_and_plain_imports() {
    let named = modules_named("use crate::{ids::Key, plan};\nlet x = crate::tally::of();");
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        vec!["ids", "plan", "tally"]
    );
    assert_eq!(
        code_without_tests(
            "/// See [`crate::load`].\nfn a() {}\n#[cfg(test)]\nmod tests {\n use crate::session;\n}"
        ),
        "fn a() {}"
    );
}
