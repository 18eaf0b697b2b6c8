//! Hostile and careless inputs to the output a site publishes or a CI runs: `attribution` credit
//! lines built from hostile fields, the composite action's script fed crafted inputs, and the
//! site report (`ccguard report`) fed hostile posts, plus what the report must say and where it
//! must go.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use scraper::{Html, Selector};
use serde_json::Value;

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

// ---- action.yml and the pre-commit hook (item 18) ----

fn action() -> Value {
    let text = std::fs::read_to_string(common::root().join("action.yml")).expect("action.yml");
    serde_saphyr::from_str(&text).expect("valid YAML")
}

fn check_step(action: &Value) -> &Value {
    action["runs"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["name"] == "Check")
        .expect("a Check step")
}

#[test]
fn action_scripts_take_every_input_through_the_environment() {
    let action = action();
    let steps = action["runs"]["steps"].as_array().expect("steps");
    for step in steps {
        if let Some(script) = step["run"].as_str() {
            assert!(
                !script.contains("${{"),
                "an expression pasted into the script of {}: {script}",
                step["name"]
            );
        }
    }
    let inputs = action["inputs"].as_object().expect("inputs");
    for wanted in [
        "paths",
        "format",
        "fail-on",
        "changed-since",
        "baseline",
        "offline",
        "config",
        "args",
    ] {
        assert!(inputs.contains_key(wanted), "input {wanted}");
    }
    let env = check_step(&action)["env"].as_object().expect("env");
    for name in inputs.keys() {
        let reference = format!("${{{{ inputs.{name} }}}}");
        assert!(
            env.values().any(|v| v.as_str() == Some(&reference)),
            "input {name} is not passed through env"
        );
    }
    // The binary is built once per version of the action, not on every run.
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("a cache step");
    let install = steps
        .iter()
        .find(|s| s["name"] == "Install ccguard")
        .expect("install step");
    assert_eq!(
        install["if"].as_str(),
        Some("steps.cache.outputs.cache-hit != 'true'")
    );
    assert_eq!(cache["id"].as_str(), Some("cache"));
}

#[test]
fn pre_commit_hook_is_offline() {
    let hooks =
        std::fs::read_to_string(common::root().join(".pre-commit-hooks.yaml")).expect("hooks");
    let hooks: Value = serde_saphyr::from_str(&hooks).expect("valid YAML");
    let entry: Vec<&str> = hooks[0]["entry"]
        .as_str()
        .expect("entry")
        .split_whitespace()
        .collect();
    assert_eq!(
        entry,
        ["ccguard", "check", "--offline", "--fail-on", "error"]
    );
}

/// The env variable of the Check step that carries `input`.
fn env_for(action: &Value, input: &str) -> String {
    let reference = format!("${{{{ inputs.{input} }}}}");
    check_step(action)["env"]
        .as_object()
        .expect("env")
        .iter()
        .find(|(_, v)| v.as_str() == Some(&reference))
        .map_or_else(|| panic!("no env for {input}"), |(k, _)| k.clone())
}

#[test]
fn action_script_passes_crafted_inputs_as_data() {
    let action = action();
    let script = check_step(&action)["run"].as_str().expect("script");
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = dir.path().join("ccguard/bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    // A stand-in for ccguard that prints each argument on its own line.
    let fake = bin.join("ccguard");
    std::fs::write(
        &fake,
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n",
    )
    .expect("write fake");
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let work = dir.path().join("work");
    std::fs::create_dir(&work).expect("mkdir");
    std::fs::write(work.join("post.md"), "x").expect("write");
    let run = |inputs: &[(&str, &str)]| {
        let mut cmd = Command::new("bash");
        cmd.arg("-c")
            .arg(script)
            .current_dir(&work)
            .env("RUNNER_TEMP", dir.path());
        for input in [
            "paths",
            "format",
            "fail-on",
            "changed-since",
            "baseline",
            "offline",
            "config",
            "args",
        ] {
            let value = inputs
                .iter()
                .find(|(k, _)| *k == input)
                .map_or("", |(_, v)| v);
            cmd.env(env_for(&action, input), value);
        }
        let out = cmd.output().expect("bash");
        (
            out.status.code(),
            String::from_utf8(out.stdout).expect("utf-8"),
        )
    };
    let (code, argv) = run(&[
        (
            "paths",
            "a b; touch pwned\n$(touch pwned2)\n`touch pwned3`\n\n*\n-x\n",
        ),
        ("format", "github\"; touch pwned4; \""),
        ("fail-on", "error$(touch pwned5)"),
        ("changed-since", "origin/main'; touch pwned6; '"),
        ("baseline", "base line.json"),
        ("offline", "true"),
        ("config", "c.toml;id"),
        ("args", "--jobs 2 $(touch pwned7) *"),
    ]);
    assert_eq!(code, Some(0));
    let argv: Vec<&str> = argv.lines().collect();
    assert_eq!(
        argv,
        [
            "check",
            "--format",
            "github\"; touch pwned4; \"",
            "--fail-on",
            "error$(touch pwned5)",
            "--changed-since",
            "origin/main'; touch pwned6; '",
            "--baseline",
            "base line.json",
            "--config",
            "c.toml;id",
            "--offline",
            "--jobs",
            "2",
            "$(touch",
            "pwned7)",
            "*",
            "--",
            "a b; touch pwned",
            "$(touch pwned2)",
            "`touch pwned3`",
            "*",
            "-x",
        ]
    );
    let left: Vec<String> = std::fs::read_dir(&work)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["post.md"], "nothing ran");

    // The defaults: the current directory, online, no extra arguments.
    let (code, argv) = run(&[("paths", "."), ("format", "github"), ("fail-on", "error")]);
    assert_eq!(code, Some(0));
    assert_eq!(
        argv.lines().collect::<Vec<_>>(),
        [
            "check",
            "--format",
            "github",
            "--fail-on",
            "error",
            "--",
            "."
        ]
    );
    let (code, argv) = run(&[("paths", "."), ("offline", "yes; rm -rf ~")]);
    assert_eq!(code, Some(2), "a bad offline value stops the step");
    assert!(argv.is_empty());
}

// ---- the site report ----

const NO_LINK: &str = "# Tides\n\nBy Ana Ruiz. Originally published by The Harbour Review.\n\nLicensed under CC BY 4.0.\n";
const TWO_ERRORS: &str = "# Tides\n\nBy Ana Ruiz. Originally published by The Harbour Review.\n";
const ONE_WARNING: &str = "# Tides\n\nBy Ana Ruiz. Originally published by [The Review](https://example.org/2025/tides).\n\nLicensed under CC BY 4.0.\n";

/// A directory `posts/` with a.md (1 error, 1 warning), b.md (2 errors), c.md (1 warning).
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let posts = dir.path().join("posts");
    std::fs::create_dir(&posts).expect("mkdir");
    for (name, text) in [
        ("a.md", NO_LINK),
        ("b.md", TWO_ERRORS),
        ("c.md", ONE_WARNING),
    ] {
        std::fs::write(posts.join(name), text).expect("write");
    }
    dir
}

#[test]
fn report_format_follows_the_output_extension() {
    let dir = site();
    for (file, markdown) in [
        ("r.md", true),
        ("r.MARKDOWN", true),
        ("r.html", false),
        ("r.htm", false),
        ("r.txt", false),
    ] {
        let (code, _, err) = stdout_of(ccguard(dir.path()).args(["report", "-o", file, "posts"]));
        assert_eq!(code, Some(1), "{err}");
        let text = std::fs::read_to_string(dir.path().join(file)).expect("written");
        assert_eq!(
            text.starts_with("# Creative Commons compliance report\n"),
            markdown,
            "{file}"
        );
        assert_eq!(text.starts_with("<!DOCTYPE html>"), !markdown, "{file}");
    }
    // An explicit --format wins over the extension.
    let (code, _, _) =
        stdout_of(ccguard(dir.path()).args(["report", "--format", "html", "-o", "x.md", "posts"]));
    assert_eq!(code, Some(1));
    let text = std::fs::read_to_string(dir.path().join("x.md")).expect("written");
    assert!(text.starts_with("<!DOCTYPE html>"));
}

#[test]
fn report_to_dash_goes_to_stdout() {
    let dir = site();
    for (format, start) in [
        ("markdown", "# Creative Commons compliance report\n"),
        ("html", "<!DOCTYPE html>"),
    ] {
        let (code, out, err) = stdout_of(
            ccguard(dir.path()).args(["report", "--format", format, "--output", "-", "posts"]),
        );
        assert_eq!(code, Some(1), "{err}");
        assert!(out.starts_with(start), "{out}");
        assert!(!dir.path().join("-").exists(), "no file named -");
    }
}

/// `check --format json` of `posts/` in `dir`.
fn json(dir: &Path) -> Value {
    let (_, out, _) =
        stdout_of(ccguard(dir).args(["check", "--offline", "--format", "json", "posts"]));
    serde_json::from_str(&out).expect("JSON")
}

#[test]
fn markdown_report_lists_each_finding_with_place_message_and_fix() {
    let dir = site();
    let (code, md, err) =
        stdout_of(ccguard(dir.path()).args(["report", "--format", "markdown", "-o", "-", "posts"]));
    assert_eq!(code, Some(1), "{err}");
    let findings = md
        .split("\n## Findings\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a Findings section");
    let mut listed = 0;
    for doc in json(dir.path())["documents"].as_array().expect("documents") {
        let path = doc["path"].as_str().expect("path");
        for f in doc["findings"].as_array().expect("findings") {
            let line = format!(
                "- **{}** `{}` at {path}:{}:{}: {}",
                f["severity"].as_str().expect("severity"),
                f["rule"].as_str().expect("rule"),
                f["line"],
                f["column"],
                f["message"].as_str().expect("message"),
            );
            assert!(findings.contains(&line), "{line}\nin\n{findings}");
            assert!(f["help"].is_string());
            listed += 1;
        }
    }
    assert_eq!(listed, 5);
    assert!(findings.contains(
        "- **warning** `missing-license-link` at posts/c.md:5:16: the license is named but not linked\n  \
         Fix: link the license deed, e.g. https://creativecommons.org/licenses/by/4.0/\n"
    ));
    // Most errors first, then most warnings, then by path.
    let order: Vec<&str> = findings
        .lines()
        .filter_map(|l| l.strip_prefix("### Post: "))
        .collect();
    assert_eq!(order, ["posts/b.md", "posts/a.md", "posts/c.md"]);
}

#[test]
fn markdown_report_has_legend_date_and_inputs() {
    let dir = site();
    let (_, md, _) =
        stdout_of(ccguard(dir.path()).args(["report", "-o", "-", "--format", "markdown", "posts"]));
    assert!(
        md.contains("by ccguard 0.1.0 on 2023-11-14 22:13:20 UTC.\n"),
        "{md}"
    );
    let legend = md
        .split("\n## Legend\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a Legend section");
    for row in [
        "| **error** | breaks a license condition, or the post could not be checked; fails the run by default |",
        "| **warning** | a likely problem or a missing recommended part; fails the run with --fail-on warning |",
        "| **info** | for information; never fails the run |",
        "| `missing-license-link` | the license is named but neither linked nor given as a URI |",
        "| `missing-license-notice` | a repost names no license for the reposted material |",
        "| `missing-source-link` | no link to the original material |",
    ] {
        assert!(legend.contains(row), "{row}\nin\n{legend}");
    }
    assert!(md.contains("| inputs | posts |\n"), "{md}");
    assert!(md.contains("| generated | 2023-11-14 22:13:20 UTC |"));
    let (code, _, err) = stdout_of(
        ccguard(dir.path())
            .env("SOURCE_DATE_EPOCH", "yesterday")
            .args(["report", "-o", "-", "posts"]),
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("SOURCE_DATE_EPOCH"), "{err}");
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).expect("selector"))
        .collect()
}

fn text_of(element: &scraper::ElementRef<'_>) -> String {
    element.text().collect()
}

#[test]
fn html_report_lists_findings_legend_date_and_inputs_in_order() {
    let dir = site();
    let (code, text, err) =
        stdout_of(ccguard(dir.path()).args(["report", "-o", "-", "--format", "html", "posts"]));
    assert_eq!(code, Some(1), "{err}");
    let html = Html::parse_document(&text);
    assert!(html.errors.is_empty(), "{:?}", html.errors);
    let rows: Vec<String> = select(&html, "table#posts td.path")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(rows, ["posts/b.md", "posts/a.md", "posts/c.md"]);
    // Each finding's paragraphs (place, message, fix), one line.
    let paragraph = Selector::parse("p").expect("selector");
    let findings: Vec<String> = select(&html, "#findings li.finding")
        .iter()
        .map(|li| {
            li.select(&paragraph)
                .map(|p| text_of(&p))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(findings.len(), 5);
    assert!(
        findings.contains(
            &"warning missing-license-link posts/c.md:5:16 the license is named but not linked \
          Fix: link the license deed, e.g. https://creativecommons.org/licenses/by/4.0/"
                .to_owned()
        ),
        "{findings:?}"
    );
    let legend: Vec<String> = select(&html, "#legend dt, #legend dd")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(
        legend[6..],
        [
            "missing-license-link",
            "the license is named but neither linked nor given as a URI",
            "missing-license-notice",
            "a repost names no license for the reposted material",
            "missing-source-link",
            "no link to the original material",
        ]
    );
    let run: Vec<String> = select(&html, "#run dd").iter().map(text_of).collect();
    assert_eq!(run[0], "posts");
    assert_eq!(
        run.last().map(String::as_str),
        Some("2023-11-14 22:13:20 UTC")
    );
}

#[test]
fn report_escapes_everything_a_post_controls() {
    let dir = tempfile::tempdir().expect("tempdir");
    let posts = dir.path().join("posts");
    std::fs::create_dir(&posts).expect("mkdir");
    let post = "---\ntitle: \"x](javascript:alert(1)) <img src=x onerror=alert(2)>\"\nauthor: \"Ana [Ruiz](javascript:alert(3)) <b>\"\n---\n\nOriginally published by The Review.\n\nLicensed under CC BY 4.0.\n";
    // A terminal title escape and a link in the file name.
    std::fs::write(
        posts.join("a\x1b]0;x\x07](javascript:alert(4)) <i>.md"),
        post,
    )
    .expect("write");
    for format in ["html", "markdown"] {
        let (code, text, err) =
            stdout_of(ccguard(dir.path()).args(["report", "-o", "-", "--format", format, "posts"]));
        assert_eq!(code, Some(1), "{err}");
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{format}");
        assert!(
            !text.contains("<img") && !text.contains("<i>") && !text.contains("<b>"),
            "{format}"
        );
        if format == "html" {
            let html = Html::parse_document(&text);
            assert!(html.errors.is_empty(), "{:?}", html.errors);
            assert_eq!(select(&html, "script").len(), 1, "only our own script");
            for a in select(&html, "[href]") {
                let href = a.value().attr("href").unwrap_or_default();
                assert!(
                    href.starts_with("#post-"),
                    "a link made of post text: {href}"
                );
            }
            let path: String = select(&html, "#findings h3").iter().map(text_of).collect();
            assert_eq!(
                path,
                "posts/a\\u{1b}]0;x\\u{7}](javascript:alert(4)) <i>.md"
            );
            let author: Vec<String> = select(&html, "#authors td").iter().map(text_of).collect();
            assert_eq!(author, ["Ana [Ruiz](javascript:alert(3)) <b>", "1"]);
        } else {
            // Every `](` a post wrote is escaped (an odd run of backslashes before it): no link
            // can be formed.
            for (at, _) in text.match_indices("](") {
                let backslashes = text[..at].chars().rev().take_while(|c| *c == '\\').count();
                assert_eq!(backslashes % 2, 1, "unescaped link at {at}: {text}");
            }
            assert!(text.contains(
                "\n### Post: posts/a\\u{1b}\\]0;x\\u{7}\\](javascript:alert(4)) &lt;i&gt;.md\n"
            ));
            assert!(text.contains("\n| Ana \\[Ruiz\\](javascript:alert(3)) &lt;b&gt; | 1 |\n"));
        }
    }
}
