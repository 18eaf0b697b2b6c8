//! The rule registry stays consistent: ids unique and kebab-case, every rule documented in the
//! ruff shape, and every rule that runs on posts covered by pass and fail fixtures in both formats.

mod common;

use ccguard::check::{RULES, documentation};

#[test]
fn rule_ids_are_unique_and_kebab_case() {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
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
        let doc =
            documentation(rule.id).unwrap_or_else(|| panic!("{} has no doc comment", rule.id));
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
    for rule in RULES.iter().filter(|r| !r.id.starts_with("upstream-")) {
        let dir = base.join(rule.id);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("fixtures/rules/{} is missing", rule.id))
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        let kinds: &[&str] = if rule.id == "unreadable-input" {
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
