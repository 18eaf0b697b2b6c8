//! Hostile and careless inputs to the output a site publishes or a CI runs: `attribution` credit
//! lines built from hostile fields, the composite action's script fed crafted inputs, and the
//! site report (`ccguard report`) fed hostile posts, plus what the report must say and where it
//! must go.

mod common;

use std::path::Path;
use std::process::Command;

/// `ccguard` in `dir`, with a pinned report date and no colour.
fn ccguard(dir: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("ccguard"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

fn stdout_of(cmd: &mut Command) -> (Option<i32>, String, String) {
    let out = cmd.output().expect("run ccguard");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// ---- attribution (item 17) ----

fn attribution(dir: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    stdout_of(
        ccguard(dir)
            .args(["attribution", "--author", "Ana Ruiz"])
            .args(extra),
    )
}

#[test]
fn attribution_markdown_escapes_a_title_that_would_make_a_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, out, err) = attribution(
        dir.path(),
        &[
            "--title",
            "x](javascript:alert(1)) <b>_y_</b>",
            "--source",
            "https://example.org/a_(b)",
            "--license",
            "CC-BY-4.0",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "[\"x\\](javascript:alert(1)) \\<b\\>\\_y\\_\\</b\\>\"](https://example.org/a_\\(b\\)) by Ana Ruiz \
         is licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).\n"
    );
}

#[test]
fn attribution_refuses_a_source_that_is_not_a_web_url_in_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    for source in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "example.org/post",
    ] {
        for format in ["text", "markdown", "html"] {
            let (code, out, err) = attribution(
                dir.path(),
                &[
                    "--title",
                    "T",
                    "--source",
                    source,
                    "--license",
                    "CC-BY-4.0",
                    "--format",
                    format,
                ],
            );
            assert_eq!(code, Some(2), "{source} as {format}: {out}");
            assert!(out.is_empty(), "{source} as {format}: {out}");
            assert!(err.contains("--source must be"), "{err}");
        }
    }
}

#[test]
fn attribution_refuses_a_translation_of_an_nd_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = [
        "--title",
        "T",
        "--source",
        "https://example.org/t",
        "--format",
        "text",
    ];
    for license in ["CC-BY-ND-4.0", "CC-BY-NC-ND-3.0"] {
        for translation in [["--translated-from", "es"], ["--translator", "Jo Li"]] {
            let (code, out, err) = attribution(
                dir.path(),
                &[&base[..], &["--license", license], &translation[..]].concat(),
            );
            assert_eq!(code, Some(2), "{license} {translation:?}: {out}");
            assert!(out.is_empty());
            assert!(err.contains("does not allow sharing translations"), "{err}");
        }
        // The original unchanged is what ND allows: its credit line is printed.
        let (code, out, _) =
            attribution(dir.path(), &[&base[..], &["--license", license]].concat());
        assert_eq!(code, Some(0));
        assert!(
            out.starts_with("\"T\" by Ana Ruiz (https://example.org/t) is licensed under CC BY-")
        );
    }
    let (code, out, _) = attribution(
        dir.path(),
        &[
            &base[..],
            &["--license", "CC-BY-4.0", "--translated-from", "es"],
        ]
        .concat(),
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "\"T\" by Ana Ruiz (https://example.org/t), translated from the Spanish, is licensed under \
         CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).\n"
    );
}
