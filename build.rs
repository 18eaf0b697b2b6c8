//! Embeds the bundled rule files (licenses and publisher policies), and makes the lint rules'
//! registry from the files in `src/check/`: each file but `mod.rs` is one rule, its name the
//! rule's id in snake case (`missing_title.rs` is `missing-title`). Only file names are read;
//! what a rule is (severity, summary, doc, check) its file declares as `RULE`.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR is set by cargo");
    let out = Path::new(&out);
    bundle(out, "licenses", "bundled_rules.rs");
    bundle(out, "policies", "bundled_policies.rs");
    let rules = rule_files();
    fs::write(out.join("rule_ids.rs"), rule_ids(&rules)).expect("write rule_ids.rs");
    fs::write(out.join("rule_list.rs"), rule_list(&rules)).expect("write rule_list.rs");
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

/// One lint rule's file, `src/check/<module>.rs`.
struct RuleFile {
    /// The file name without `.rs`: `missing_title`.
    module: String,
    /// The file, absolute (a `mod` in a file `include!`d from `OUT_DIR` needs its path).
    path: String,
}

impl RuleFile {
    /// The id: `missing-title`.
    fn id(&self) -> String {
        self.module.replace('_', "-")
    }

    /// The `RuleId` variant: `MissingTitle`.
    fn variant(&self) -> String {
        self.module
            .split('_')
            .map(|word| {
                let mut chars = word.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect()
    }
}

/// The rule files, sorted by name (so by id: `_` and `-` both sort before letters).
fn rule_files() -> Vec<RuleFile> {
    println!("cargo::rerun-if-changed=src/check");
    let mut rules: Vec<RuleFile> = fs::read_dir("src/check")
        .expect("src/check is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter_map(|path| {
            let module = path.file_stem()?.to_str()?.to_owned();
            assert!(
                module
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "src/check/{module}.rs: a rule file's name is its id in snake case"
            );
            let path = fs::canonicalize(&path).expect("rule file path");
            (module != "mod").then(|| RuleFile {
                module,
                path: path.to_string_lossy().into_owned(),
            })
        })
        .collect();
    rules.sort_by(|a, b| a.module.cmp(&b.module));
    rules
}

/// The `RuleId` enum and its names, for `diagnostic.rs`.
fn rule_ids(rules: &[RuleFile]) -> String {
    let mut code = String::from(
        "/// A rule's stable id. Its kebab-case name ([`RuleId::as_str`]) is what the JSON output, the\n\
         /// config, suppression comments and baselines use. One variant per file in `src/check/`\n\
         /// (made by `build.rs`), where each rule declares its severity, summary and documentation.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n\
         pub enum RuleId {\n",
    );
    for rule in rules {
        writeln!(code, "    /// `{}`.\n    {},", rule.id(), rule.variant()).unwrap();
    }
    code.push_str(
        "}\n\nimpl RuleId {\n    /// The kebab-case name, e.g. `missing-source-link`.\n    \
         pub fn as_str(self) -> &'static str {\n        match self {\n",
    );
    for rule in rules {
        writeln!(
            code,
            "            RuleId::{} => {:?},",
            rule.variant(),
            rule.id()
        )
        .unwrap();
    }
    code.push_str("        }\n    }\n}\n");
    code
}

/// The `mod` lines and `RULES`, for `check/mod.rs`, with a check at compile time that each
/// file's `RULE` has the id its name gives (so `RULES[id as usize]` is the rule of `id`).
fn rule_list(rules: &[RuleFile]) -> String {
    let mut code = String::new();
    for rule in rules {
        writeln!(code, "#[path = {:?}]\nmod {};", rule.path, rule.module).unwrap();
    }
    code.push_str(
        "\n/// Every rule, in the order of their ids (one per file in `src/check/`, listed by \
         `build.rs`).\npub const RULES: &[Rule] = &[\n",
    );
    for rule in rules {
        writeln!(code, "    {}::RULE,", rule.module).unwrap();
    }
    code.push_str("];\n\nconst _: () = {\n");
    for (index, rule) in rules.iter().enumerate() {
        writeln!(
            code,
            "    assert!(matches!(RULES[{index}].id, RuleId::{}), {:?});",
            rule.variant(),
            format!(
                "src/check/{}.rs: its RULE's id must be RuleId::{}",
                rule.module,
                rule.variant()
            )
        )
        .unwrap();
    }
    code.push_str("};\n");
    code
}
