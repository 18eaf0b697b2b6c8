//! Helpers shared by the integration tests: a checker over the bundled rules, and checking one
//! file into a result.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ccguard::checker::Checker;
use ccguard::result::DocumentResult;
use ccguard::rules::load;
use ccguard::walk;

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared`, where the real-world corpus lives; `None` (with a message) when absent.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let dir = root().join("..").join("shared").join(sub);
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is absent", dir.display());
        None
    }
}

/// One checker for the whole test binary.
pub fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| Checker::new(load::bundled().expect("bundled rules load")))
}

/// Check one file; its display name is the path relative to `base`.
pub fn check_file(base: &Path, path: &Path) -> DocumentResult {
    let input = walk::Input::File(path.to_path_buf());
    let mut results = checker().check_all(&[input], 1);
    let mut result = results.remove(0);
    result.source.name = path
        .strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    result
}

/// The sorted, de-duplicated rule ids of a result.
pub fn rule_ids(result: &DocumentResult) -> Vec<String> {
    let mut ids: Vec<String> = result
        .diagnostics
        .iter()
        .map(|d| d.rule.as_str().to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The license as `fixtures/expected.toml` writes it: an id, `family:<F>`,
/// `unknown:<F>-<version>[-<PORT>]` or `none`.
pub fn license_label(result: &DocumentResult) -> String {
    let Some(l) = &result.license else {
        return "none".to_owned();
    };
    match (&l.id, &l.version) {
        (Some(id), _) => id.clone(),
        (None, None) => format!("family:{}", l.family),
        (None, Some(version)) => {
            let port = l
                .jurisdiction
                .as_deref()
                .map(|j| format!("-{}", j.to_ascii_uppercase()))
                .unwrap_or_default();
            format!("unknown:{}-{version}{port}", l.family)
        }
    }
}
