//! No import circle between the files of `src/`: every file names other files of its crate only
//! one way (a panel reads the app's context and intents; the app's frame calls the panels, never
//! the other way round). Reads the sources; test modules may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn source_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `folder`, relative to it.
fn rust_files(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                files.push(path.strip_prefix(folder).expect("inside").to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// Which crate a file belongs to (the binary's root `main.rs` holds the command line) and its
/// module path within that crate.
fn crate_and_module(file: &Path) -> (&'static str, Vec<String>) {
    let mut parts: Vec<String> = file
        .iter()
        .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    let crate_name = if parts
        .first()
        .is_some_and(|first| first == "cli" || first == "main")
    {
        "main"
    } else {
        "lib"
    };
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    if parts == ["lib"] || parts == ["main"] {
        parts.clear();
    }
    (crate_name, parts)
}

/// The code of a file without comments and without its test module (which comes last).
fn code_without_tests(text: &str) -> String {
    let code = text
        .find("#[cfg(test)]\nmod tests")
        .map_or(text, |start| &text[..start]);
    code.lines()
        .map(|line| match line.find("//") {
            Some(start) if !line[..start].contains('"') => &line[..start],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths of a use tree starting at `at` (just after `head::`), each as its segments.
fn use_tree(code: &[u8], at: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let mut segments = prefix.to_vec();
    loop {
        while code.get(*at).is_some_and(u8::is_ascii_whitespace) {
            *at += 1;
        }
        match code.get(*at) {
            Some(b'{') => {
                *at += 1;
                loop {
                    use_tree(code, at, &segments, out);
                    while code.get(*at).is_some_and(u8::is_ascii_whitespace) {
                        *at += 1;
                    }
                    match code.get(*at) {
                        Some(b',') => *at += 1,
                        Some(b'}') => {
                            *at += 1;
                            return;
                        }
                        _ => return,
                    }
                    while code.get(*at).is_some_and(u8::is_ascii_whitespace) {
                        *at += 1;
                    }
                    if code.get(*at) == Some(&b'}') {
                        *at += 1;
                        return;
                    }
                }
            }
            Some(byte) if byte.is_ascii_alphanumeric() || *byte == b'_' => {
                let start = *at;
                while code
                    .get(*at)
                    .is_some_and(|byte| byte.is_ascii_alphanumeric() || *byte == b'_')
                {
                    *at += 1;
                }
                segments.push(String::from_utf8_lossy(&code[start..*at]).into_owned());
                if code.get(*at..*at + 2) == Some(b"::") {
                    *at += 2;
                    continue;
                }
                out.push(segments);
                return;
            }
            _ => {
                out.push(segments);
                return;
            }
        }
    }
}

/// The module paths (absolute within the crate) a file's code names: `crate::…`, `super::…`,
/// `self::…` and its own child modules.
fn paths_named(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let children: Vec<String> = code
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("mod "))?;
            rest.strip_suffix(';').map(str::to_owned)
        })
        .collect();
    let bytes = code.as_bytes();
    let mut named = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let starts_word =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let rest = &bytes[at..];
        let head = ["crate::", "super::", "self::"]
            .into_iter()
            .find(|head| rest.starts_with(head.as_bytes()))
            .map(str::to_owned)
            .or_else(|| {
                children
                    .iter()
                    .map(|child| format!("{child}::"))
                    .find(|head| rest.starts_with(head.as_bytes()))
            });
        let (true, Some(head)) = (starts_word, head) else {
            at += 1;
            continue;
        };
        at += head.len();
        let mut base: Vec<String> = match head.as_str() {
            "crate::" => Vec::new(),
            "super::" => module[..module.len().saturating_sub(1)].to_vec(),
            "self::" => module.to_vec(),
            child => {
                let mut path = module.to_vec();
                path.push(child.trim_end_matches("::").to_owned());
                path
            }
        };
        while bytes[at..].starts_with(b"super::") {
            base.pop();
            at += "super::".len();
        }
        use_tree(bytes, &mut at, &base, &mut named);
    }
    named
}

/// The files each file names, within its crate.
fn dependencies() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let folder = source_folder();
    let files = rust_files(&folder);
    let modules: BTreeMap<(&str, Vec<String>), PathBuf> = files
        .iter()
        .map(|file| (crate_and_module(file), file.clone()))
        .collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let (crate_name, module) = crate_and_module(file);
        let text = std::fs::read_to_string(folder.join(file)).expect("source");
        let mut named = BTreeSet::new();
        for path in paths_named(&code_without_tests(&text), &module) {
            // The deepest module of the path that is a file: the rest names items in it.
            let target = (0..=path.len())
                .rev()
                .find_map(|length| modules.get(&(crate_name, path[..length].to_vec())));
            if let Some(target) = target
                && target != file
            {
                named.insert(target.clone());
            }
        }
        graph.insert(file.clone(), named);
    }
    graph
}

/// The circles of `graph`: every group of two or more files that reach each other (Tarjan's
/// strongly connected components).
fn circles(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct Search<'a> {
        graph: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        stack: Vec<&'a PathBuf>,
        found: Vec<Vec<PathBuf>>,
    }
    impl<'a> Search<'a> {
        fn visit(&mut self, file: &'a PathBuf) {
            let number = self.index.len();
            self.index.insert(file, number);
            self.low.insert(file, number);
            self.stack.push(file);
            for next in &self.graph[file] {
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[file].min(self.low[next]);
                    self.low.insert(file, low);
                } else if self.stack.contains(&next) {
                    let low = self.low[file].min(self.index[next]);
                    self.low.insert(file, low);
                }
            }
            if self.low[file] == self.index[file] {
                let mut group = Vec::new();
                while let Some(member) = self.stack.pop() {
                    group.push(member.clone());
                    if member == file {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut search = Search {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for file in graph.keys() {
        if !search.index.contains_key(file) {
            search.visit(file);
        }
    }
    search.found
}

#[test]
fn no_two_files_of_src_name_each_other_even_through_others() {
    let graph = dependencies();
    assert!(graph.len() > 20, "the sources are read: {}", graph.len());
    let found = circles(&graph);
    let described: Vec<String> = found
        .iter()
        .map(|group| {
            let names: Vec<String> = group
                .iter()
                .map(|file| {
                    let named: Vec<String> = graph[file]
                        .iter()
                        .filter(|other| group.contains(other))
                        .map(|other| other.display().to_string())
                        .collect();
                    format!("  {} names {}", file.display(), named.join(", "))
                })
                .collect();
            format!("a circle of {} files:\n{}", group.len(), names.join("\n"))
        })
        .collect();
    assert!(described.is_empty(), "{}", described.join("\n"));
}

#[test]
fn the_circle_check_reads_grouped_relative_and_child_paths() {
    let module = vec!["app".to_owned(), "panels".to_owned()];
    let code = "mod toolbar;\nuse crate::app::{intent::Intent, ShequApp};\nuse super::super::theme;\nfn f() { toolbar::show(); self::g(); }";
    let named = paths_named(code, &module);
    let joined: Vec<String> = named.iter().map(|path| path.join("::")).collect();
    assert_eq!(
        joined,
        vec![
            "app::intent::Intent",
            "app::ShequApp",
            "theme",
            "app::panels::toolbar::show",
            "app::panels::g",
        ]
    );
    let graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = [
        ("a.rs", vec!["b.rs"]),
        ("b.rs", vec!["c.rs"]),
        ("c.rs", vec!["a.rs"]),
        ("d.rs", vec!["a.rs"]),
    ]
    .into_iter()
    .map(|(file, named)| {
        (
            PathBuf::from(file),
            named.into_iter().map(PathBuf::from).collect(),
        )
    })
    .collect();
    assert_eq!(
        circles(&graph),
        vec![vec![
            PathBuf::from("a.rs"),
            PathBuf::from("b.rs"),
            PathBuf::from("c.rs")
        ]]
    );
}
