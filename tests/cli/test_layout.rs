//! The shape of the codebase that a newcomer relies on: every declared dependency is used, no
//! build artefact is committed, and no source file or function grows past what one can read.

use std::path::{Path, PathBuf};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Every `.rs` file below `dir`, with its text.
fn rust_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path, text));
            }
        }
    }
    files.sort();
    files
}

/// The crate names of one dependency table of Cargo.toml, as Rust code names them.
fn dependencies(manifest: &toml::Table, table: &str) -> Vec<String> {
    manifest[table]
        .as_table()
        .unwrap()
        .keys()
        .map(|name| name.replace('-', "_"))
        .collect()
}

fn is_used(name: &str, files: &[(PathBuf, String)]) -> bool {
    let uses = [
        format!("{name}::"),
        format!("use {name}"),
        format!("{name}!"),
        format!("extern crate {name}"),
    ];
    files
        .iter()
        .any(|(_, text)| uses.iter().any(|u| text.contains(u.as_str())))
}

#[test]
fn every_declared_dependency_is_used() {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo("Cargo.toml")).unwrap()).unwrap();
    let src = rust_files(&repo("src"));
    for name in dependencies(&manifest, "dependencies") {
        assert!(
            is_used(&name, &src),
            "dependency {name} is not used in src/"
        );
    }
    let mut all = src.clone();
    for dir in ["tests", "examples", "benches"] {
        if repo(dir).is_dir() {
            all.extend(rust_files(&repo(dir)));
        }
    }
    for name in dependencies(&manifest, "dev-dependencies") {
        assert!(is_used(&name, &all), "dev-dependency {name} is not used");
    }
}

/// Lines of a source file before its `#[cfg(test)]` part.
fn code_lines(text: &str) -> Vec<&str> {
    text.lines()
        .take_while(|line| !line.trim_start().starts_with("#[cfg(test)]"))
        .collect()
}

#[test]
fn no_source_file_over_800_lines_before_its_tests() {
    for (path, text) in rust_files(&repo("src")) {
        let lines = code_lines(&text).len();
        assert!(lines <= 800, "{} has {lines} lines", path.display());
    }
}

#[test]
fn no_function_over_80_lines() {
    for (path, text) in rust_files(&repo("src")) {
        let lines = code_lines(&text);
        let mut index = 0;
        while index < lines.len() {
            let line = lines[index];
            let indent = line.len() - line.trim_start().len();
            let words: Vec<&str> = line.split_whitespace().collect();
            let is_fn = words.iter().position(|w| *w == "fn").is_some_and(|at| {
                words[..at]
                    .iter()
                    .all(|w| w.starts_with("pub") || *w == "const" || *w == "unsafe")
            });
            if !is_fn || line.trim_end().ends_with(';') {
                index += 1;
                continue;
            }
            let close = " ".repeat(indent) + "}";
            let end = (index + 1..lines.len())
                .find(|&at| {
                    lines[at].starts_with(&close)
                        && lines[at].len() - lines[at].trim_start().len() == indent
                })
                .unwrap_or(index);
            let length = end - index + 1;
            assert!(
                length <= 80,
                "{}:{} {} is {length} lines",
                path.display(),
                index + 1,
                line.trim()
            );
            index = end + 1;
        }
    }
}

#[test]
fn no_build_artefact_is_committed() {
    let ignore = std::fs::read_to_string(repo(".gitignore")).unwrap();
    for pattern in ["__pycache__/", "*.pyc", "*.snap.new", "/target"] {
        assert!(
            ignore.lines().any(|l| l == pattern),
            ".gitignore lacks {pattern}"
        );
    }
    assert!(!repo("scripts/__pycache__").exists());
}
