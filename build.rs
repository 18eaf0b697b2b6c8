//! Embeds the bundled rule files (licenses, publisher policies and cues), and lists the lint rules:
//! each file in `src/check/` but `mod.rs` is one rule, named after its id in snake case
//! (`missing_title.rs` is `missing-title`). Only file names are read; what a rule is
//! (severity, summary, doc, check) its file declares as `RULE`.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR is set by cargo");
    let out = Path::new(&out);
    bundle(out, "licenses", "bundled_rules.rs");
    bundle(out, "policies", "bundled_policies.rs");
    bundle(out, "cues", "bundled_cues.rs");
    let rules = rule_files_macro(&rule_files());
    fs::write(out.join("rule_files.rs"), rules).expect("write rule_files.rs");
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
        let name = path.file_name().unwrap().to_string_lossy();
        // Relative to the manifest, not an absolute path: a target directory shared by two
        // checkouts must not embed the other checkout's files.
        writeln!(
            code,
            "    (\"rules/{folder}/{name}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/rules/{folder}/{name}\"))),"
        )
        .unwrap();
    }
    code.push(']');
    fs::write(out.join(target), code).expect("write bundled file list");
}

/// The rule files, `src/check/<module>.rs` but `mod.rs`, sorted by name (so by id: `_` and
/// `-` both sort before letters and digits).
fn rule_files() -> Vec<String> {
    println!("cargo::rerun-if-changed=src/check");
    let mut modules: Vec<String> = fs::read_dir("src/check")
        .expect("src/check is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_owned()))
        .filter(|module| module != "mod")
        .collect();
    for module in &modules {
        assert!(
            module.starts_with(|c: char| c.is_ascii_lowercase())
                && module
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !module.contains("__")
                && !module.ends_with('_'),
            "src/check/{module}.rs: a rule file is named after its id in snake case"
        );
    }
    modules.sort();
    modules
}

/// `rule_files!($then)`, which calls `$then!` with `module Variant "id"` for every rule file:
/// `diagnostic.rs` makes `RuleId` of them, `check/mod.rs` the `mod` lines and `RULES`.
fn rule_files_macro(modules: &[String]) -> String {
    let mut code = String::from(
        "/// Calls `$then!` with each rule file in `src/check/`: its module, `RuleId` variant and id.\n\
         macro_rules! rule_files {\n    ($then:ident) => {\n        $then! {\n",
    );
    for module in modules {
        let variant: String = module
            .split('_')
            .map(|word| word[..1].to_ascii_uppercase() + &word[1..])
            .collect();
        let id = module.replace('_', "-");
        writeln!(code, "            {module} {variant} {id:?},").unwrap();
    }
    code.push_str("        }\n    };\n}\n");
    code
}
