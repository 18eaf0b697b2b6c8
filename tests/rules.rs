//! Data-driven rule tests over `fixtures/`: every fixture yields exactly the rule ids listed in
//! `fixtures/expected.toml`, and its rendered human output matches its snapshot.

mod common;

use std::collections::BTreeMap;
use std::sync::Once;

use ccguard::report;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Expected {
    rules: Vec<String>,
    is_repost: Option<bool>,
    license: Option<String>,
    #[serde(default)]
    positions: Vec<Position>,
    #[serde(default)]
    suppressed: Vec<String>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
struct Position {
    rule: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

/// Make the check of `internal-error`'s fail fixtures panic, through the test hook read by the
/// checker (see `src/check/internal_error.rs`): the safety net is tested on a real panic.
fn arm_panic_hook() {
    static ARMED: Once = Once::new();
    ARMED.call_once(|| {
        // SAFETY: set once, before any check of this test binary reads it, and the variable is
        // read only through `std::env`, whose lock orders it with this write.
        unsafe {
            std::env::set_var(ccguard::check::TEST_PANIC_VAR, "internal-error/fail-");
        }
    });
}

fn expectations() -> BTreeMap<String, Expected> {
    let text = std::fs::read_to_string(common::root().join("fixtures/expected.toml"))
        .expect("fixtures/expected.toml");
    toml::from_str(&text).expect("expected.toml parses")
}

#[test]
fn every_fixture_yields_exactly_its_expected_rules() {
    arm_panic_hook();
    let base = common::root().join("fixtures");
    let mut failures = Vec::new();
    let expected = expectations();
    for (name, want) in &expected {
        let result = common::check_file(&base, &base.join(name));
        let mut want_rules = want.rules.clone();
        want_rules.sort();
        let got = common::rule_ids(&result);
        if got != want_rules {
            failures.push(format!("{name}: expected {want_rules:?}, got {got:?}"));
        }
        if let Some(is_repost) = want.is_repost
            && result.facts.is_repost() != is_repost
        {
            failures.push(format!("{name}: expected is_repost {is_repost}"));
        }
        let mut silenced: Vec<&str> = result
            .suppressed
            .iter()
            .map(|s| s.diagnostic.rule.as_str())
            .collect();
        silenced.sort_unstable();
        if silenced != want.suppressed {
            failures.push(format!(
                "{name}: expected suppressed {:?}, got {silenced:?}",
                want.suppressed
            ));
        }
        for position in &want.positions {
            let found = result
                .diagnostics
                .iter()
                .filter(|d| d.rule.as_str() == position.rule)
                .any(|d| {
                    let p = d.place;
                    (p.line, p.column, p.end_line, p.end_column)
                        == (
                            position.line,
                            position.column,
                            position.end_line,
                            position.end_column,
                        )
                });
            if !found {
                failures.push(format!(
                    "{name}: no {} finding at {position:?}",
                    position.rule
                ));
            }
        }
        if let Some(license) = &want.license {
            let got = common::license_label(&result);
            if &got != license {
                failures.push(format!("{name}: expected license {license}, got {got}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        expected.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_fixture_is_listed_and_named_by_its_rule() {
    let expected = expectations();
    let base = common::root().join("fixtures/rules");
    for dir in std::fs::read_dir(&base).expect("fixtures/rules") {
        let dir = dir.expect("entry").path();
        let rule = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(
            ccguard::check::rule_named(&rule).is_some(),
            "fixtures/rules/{rule} is not a rule id"
        );
        for file in std::fs::read_dir(&dir).expect("rule dir") {
            let file = file.expect("entry").path();
            let name = format!(
                "rules/{rule}/{}",
                file.file_name().expect("name").to_string_lossy()
            );
            let want = expected
                .get(&name)
                .unwrap_or_else(|| panic!("{name} is missing from expected.toml"));
            let stem = file
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            if stem.starts_with("fail-") {
                assert!(
                    want.rules.contains(&rule),
                    "{name} is a fail fixture but does not expect {rule}"
                );
            } else {
                assert!(
                    stem.starts_with("pass-"),
                    "{name}: fixture names start with pass- or fail-"
                );
                assert!(
                    !want.rules.contains(&rule),
                    "{name} is a pass fixture but expects {rule}"
                );
            }
        }
    }
}

#[test]
fn human_output_snapshots() {
    arm_panic_hook();
    let base = common::root().join("fixtures");
    insta::glob!(
        "../fixtures",
        "{posts,rules}/**/*.{md,html}",
        |path: &std::path::Path| {
            let result = common::check_file(&base, path);
            let mut out = Vec::new();
            report::write(
                std::slice::from_ref(&result),
                report::Format::Human,
                false,
                &mut out,
            )
            .expect("render");
            insta::assert_snapshot!(String::from_utf8_lossy(&out));
        }
    );
}
