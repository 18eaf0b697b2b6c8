//! The rule registry stays consistent: ids unique and kebab-case, every rule documented in the
//! ruff shape, every rule that runs on posts covered by pass and fail fixtures in both formats,
//! and the README's rule table made from the registry.

use std::fmt::Write as _;

use crate::common;

use ccguard::check::{RULES, rule, rule_named};
use ccguard::diagnostic::RuleId;

#[test]
fn rule_ids_are_unique_and_kebab_case() {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "duplicate rule ids");
    for id in ids {
        assert!(
            id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{id} is not kebab-case"
        );
    }
}

#[test]
fn every_checked_rule_is_documented_in_the_ruff_shape() {
    for rule in RULES.iter().filter(|r| r.check.is_some()) {
        let doc = rule
            .doc
            .unwrap_or_else(|| panic!("{} has no documentation", rule.id));
        for heading in [
            "## What it checks",
            "## Why",
            "## Passes",
            "## Fails",
            "## How to fix",
        ] {
            assert!(
                doc.contains(heading),
                "{} documentation lacks `{heading}`",
                rule.id
            );
        }
    }
}

#[test]
fn every_post_rule_has_pass_and_fail_fixtures_in_both_formats() {
    let base = common::root().join("fixtures/rules");
    for rule in RULES
        .iter()
        // Rules that need the network (an original, a medium's source) have no offline fixtures.
        .filter(|r| !r.id.as_str().starts_with("upstream-") && !r.id.as_str().starts_with("media-"))
    {
        let dir = base.join(rule.id.as_str());
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("fixtures/rules/{} is missing", rule.id))
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        let kinds: &[&str] = if rule.id == RuleId::UnreadableInput {
            &["fail-"]
        } else {
            &["pass-", "fail-"]
        };
        for kind in kinds {
            for ext in [".md", ".html"] {
                assert!(
                    names
                        .iter()
                        .any(|n| n.starts_with(kind) && n.ends_with(ext)),
                    "fixtures/rules/{} needs a {kind}*{ext}",
                    rule.id
                );
            }
        }
    }
}

#[test]
fn every_rule_is_found_by_its_id_and_its_name() {
    for registered in RULES {
        assert_eq!(rule(registered.id).id, registered.id);
        assert_eq!(
            rule_named(registered.id.as_str()).map(|r| r.id),
            Some(registered.id)
        );
    }
    assert!(rule_named("missing-sorce-link").is_none());
}

/// The README's rule table starts after this line.
const TABLE_START: &str = "<!-- The rule table is made from src/check/: `CCGUARD_BLESS=1 cargo test --test suite registry::` rewrites it. -->\n";
/// And ends before this one.
const TABLE_END: &str = "<!-- End of the rule table. -->\n";

/// The rule table as the registry gives it: each rule's id, default severity and summary.
fn rule_table() -> String {
    let mut table = String::from("| rule | default | fires when |\n|---|---|---|\n");
    for rule in RULES {
        writeln!(
            table,
            "| `{}` | {} | {} |",
            rule.id,
            rule.severity.as_str(),
            rule.summary.replace('|', "\\|")
        )
        .expect("a String takes any text");
    }
    table
}

/// The README's rule table is the registry's: a rule added in `src/check/` gets its row by
/// `CCGUARD_BLESS=1`, not by hand.
#[test]
fn the_readme_rule_table_is_made_from_the_registry() {
    let path = common::root().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let (before, rest) = readme
        .split_once(TABLE_START)
        .expect("README.md has the line that starts the rule table");
    let (table, after) = rest
        .split_once(TABLE_END)
        .expect("README.md has the line that ends the rule table");
    let want = rule_table();
    if table == want {
        return;
    }
    if std::env::var_os("CCGUARD_BLESS").is_some() {
        std::fs::write(
            &path,
            format!("{before}{TABLE_START}{want}{TABLE_END}{after}"),
        )
        .expect("rewrite README.md");
        return;
    }
    let diff = similar::TextDiff::from_lines(table, want.as_str())
        .unified_diff()
        .header("README.md", "src/check/")
        .to_string();
    panic!(
        "README.md's rule table is not what src/check/ declares; \
         `CCGUARD_BLESS=1 cargo test --test suite registry::` rewrites it:\n{diff}"
    );
}
