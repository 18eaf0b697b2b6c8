//! The rule registry stays consistent: ids unique and kebab-case, every rule documented in the
//! ruff shape, every rule that runs on posts covered by pass and fail fixtures in both formats,
//! and the README's rule table saying what the registry says.

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

/// Each row of the README's rule table (`| `id` | severity | fires when |`) names a rule and
/// gives its default severity.
#[test]
fn the_readme_rule_table_matches_the_registry() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let rows: Vec<(&str, &str)> = readme
        .lines()
        .filter_map(|line| {
            let mut cells = line.strip_prefix("| `")?.split(" | ");
            let id = cells.next()?.strip_suffix('`')?;
            let severity = cells.next()?;
            ["error", "warning", "info"]
                .contains(&severity)
                .then_some((id, severity))
        })
        .collect();
    assert!(!rows.is_empty(), "README.md has no rule table");
    for (id, severity) in rows {
        let registered =
            rule_named(id).unwrap_or_else(|| panic!("README.md lists `{id}`, which is no rule"));
        assert_eq!(
            registered.severity.as_str(),
            severity,
            "README.md gives `{id}` another default severity than its rule file"
        );
    }
}
