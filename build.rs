//! Embeds the bundled rule files and extracts each check's doc comment for `ccguard explain`.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR is set by cargo");
    bundle(Path::new(&out), "licenses", "bundled_rules.rs");
    bundle(Path::new(&out), "policies", "bundled_policies.rs");
    rule_docs(Path::new(&out));
}

/// `<target>`: `&[(file name, contents)]` for every `rules/<folder>/*.toml`, sorted.
fn bundle(out: &Path, folder: &str, target: &str) {
    println!("cargo::rerun-if-changed=rules/{folder}");
    let mut files: Vec<_> = fs::read_dir(format!("rules/{folder}"))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from("&[\n");
    for path in files {
        let abs = fs::canonicalize(&path).expect("rule file path");
        let abs = abs.to_string_lossy();
        let name = path.file_name().unwrap().to_string_lossy();
        writeln!(
            code,
            "    (\"rules/{folder}/{name}\", include_str!({abs:?})),"
        )
        .unwrap();
    }
    code.push(']');
    fs::write(out.join(target), code).expect("write bundled file list");
}

/// `rule_docs.rs`: `&[(rule id, doc)]` taken from the `///` comment above `pub fn check` (generic
/// or not) in each `src/check/<rule_id>.rs`, so the doc comment is the one source of a rule's
/// documentation.
fn rule_docs(out: &Path) {
    println!("cargo::rerun-if-changed=src/check");
    let mut files: Vec<_> = fs::read_dir("src/check")
        .expect("src/check exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "rs") && p.file_stem().is_some_and(|s| s != "mod")
        })
        .collect();
    files.sort();
    let mut code = String::from("&[\n");
    for path in files {
        let text = fs::read_to_string(&path).expect("read check file");
        let Some(doc) = doc_above_check(&text) else {
            continue;
        };
        let id = path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .replace('_', "-");
        writeln!(code, "    ({id:?}, {doc:?}),").unwrap();
    }
    code.push(']');
    fs::write(out.join("rule_docs.rs"), code).expect("write rule_docs.rs");
}

fn doc_above_check(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("pub fn check(") || l.starts_with("pub fn check<"))?;
    let mut start = at;
    while start > 0 && lines[start - 1].trim_start().starts_with("///") {
        start -= 1;
    }
    let doc: Vec<&str> = lines[start..at]
        .iter()
        .map(|l| {
            let l = l.trim_start().trim_start_matches("///");
            l.strip_prefix(' ').unwrap_or(l)
        })
        .collect();
    Some(doc.join("\n").trim().to_owned())
}
