//! Hostile and careless inputs to the output a site publishes or a CI runs: `attribution` credit
//! lines built from hostile fields, the composite action's script fed crafted inputs, and the
//! site report (`ccguard report`) fed hostile posts, plus what the report must say and where it
//! must go.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

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
