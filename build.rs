//! Embeds the bundled rule files (licenses, publisher policies and cues).

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR is set by cargo");
    bundle(Path::new(&out), "licenses", "bundled_rules.rs");
    bundle(Path::new(&out), "policies", "bundled_policies.rs");
    bundle(Path::new(&out), "cues", "bundled_cues.rs");
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
