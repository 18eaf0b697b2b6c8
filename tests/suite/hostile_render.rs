//! Hostile text in the renderers: a finding on a megabyte-long line, and post-controlled text
//! (a file name, a front-matter title, the quoted source line) carrying line breaks, workflow
//! commands, terminal escapes and characters XML forbids. The CLI runs as a process on real
//! files; each output must stay what it claims to be: bounded terminal lines, one GitHub
//! annotation per finding and no other command, well-formed XML, valid URIs, a step summary
//! GitHub accepts.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// A file name built to leave its annotation and run commands of its own.
const HOSTILE_NAME: &str = "a\n::warning file=y::pwned\n##[add-mask]b.md";

/// The same name as the text formats show it.
const HOSTILE_NAME_SHOWN: &str = "a\\n::warning file=y::pwned\\n##[\\add-mask]b.md";

/// A repost whose front-matter title (quoted in the help of `missing-author-credit`) and
/// license line carry workflow commands, an OSC 8 hyperlink, colour and clear-screen escapes.
const HOSTILE_POST: &str = "---\ntitle: \"x\\n::warning file=x::pwned\\n::add-mask::secret \
\\e]8;;https://evil\\aclick\\e]8;;\\a \\e[31mred ##[error]boom\"\n---\n\n\
Originally published by [The Harbour Review](https://example.org/).\n\n\
Licensed under CC BY 4.0. ##[error]boom \u{1b}[2J\n";

/// The title as the text formats show it inside the help's Markdown credit line: the credit
/// line keeps to one line and escapes Markdown, then the renderer escapes control characters.
const TITLE_SHOWN: &str = "x ::warning file=x::pwned ::add-mask::secret \
\\u{1b}\\]8;;https://evil\\u{7}click\\u{1b}\\]8;;\\u{7} \\u{1b}\\[31mred ##\\[error\\]boom";

fn ccguard(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ccguard").expect("binary");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("CCGUARD_OFFLINE")
        .arg("check")
        .arg("--offline")
        .arg("--no-cache");
    cmd
}

fn run(cmd: &mut Command) -> (Option<i32>, String) {
    let out = cmd.output().expect("run ccguard");
    let stdout = String::from_utf8(out.stdout).expect("output is UTF-8");
    (out.status.code(), stdout)
}

/// No line a CI runner would read as a command of the post's: none starts with `::` after
/// leading blanks (unless `allowed` says it is ccguard's own), every `##[` is defused as
/// `##[\`, and no control character but the line breaks is printed.
fn assert_inert(stdout: &str, allowed: &[&str]) {
    for line in stdout.lines() {
        let line_start = line.trim_start();
        assert!(
            !line_start.starts_with("::") || allowed.iter().any(|a| line_start.starts_with(a)),
            "a line starts a workflow command: {line:?}"
        );
        for (at, _) in line.match_indices("##[") {
            assert_eq!(
                line[at + 3..].chars().next(),
                Some('\\'),
                "a legacy workflow command: {line:?}"
            );
        }
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "a control character reaches the output: {line:?}"
        );
    }
}

#[test]
fn a_finding_past_column_65535_renders_with_bounded_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, filler) in [("x.html", "x"), ("e.html", "é")] {
        let page = format!(
            "<p>{} By Jane Doe. This work was translated and shared via a License CC-BY-NC</p>",
            filler.repeat(66_000)
        );
        std::fs::write(dir.path().join(name), page).expect("write page");
        let (code, stdout) = run(ccguard(dir.path()).arg(name));
        assert_eq!(code, Some(1), "{name}: findings, no crash");
        // Columns count characters: `<p>`, 66,000 fillers and the 64 characters before it.
        assert_eq!(
            stdout.matches(&format!("╭─[{name}:1:66068]")).count(),
            2,
            "{name}: license-version-missing and missing-license-link point at CC-BY-NC"
        );
        assert!(stdout.contains("License CC-BY-NC</p>"), "{stdout}");
        let longest = stdout.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(longest <= 300, "{name}: a line of {longest} characters");

        let (code, json) = run(ccguard(dir.path()).args(["--format", "json", name]));
        assert_eq!(code, Some(1));
        let json: Value = serde_json::from_str(&json).expect("JSON");
        let finding = json["documents"][0]["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["rule"] == "missing-license-link")
            .expect("missing-license-link");
        assert_eq!(
            (&finding["line"], &finding["column"]),
            (&1.into(), &66068.into())
        );
    }
}

#[test]
fn a_file_name_with_a_newline_and_workflow_commands_stays_inert() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(HOSTILE_NAME), HOSTILE_POST).expect("write post");

    let (code, stdout) = run(ccguard(dir.path()).args(["--format", "github", HOSTILE_NAME]));
    assert_eq!(code, Some(1));
    let file = "file=a%0A%3A%3Awarning file=y%3A%3Apwned%0A##[add-mask]b.md";
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines
            .iter()
            .map(|l| l.split(",line=").next().unwrap_or(""))
            .collect::<Vec<_>>(),
        [
            format!("::error {file}"),
            format!("::error {file}"),
            format!("::warning {file}"),
        ],
        "one annotation per finding, the name escaped as GitHub's toolkit does: {stdout}"
    );
    assert!(
        lines[2].contains(",line=7,col=16,endLine=7,endColumn=25,title=missing-license-link::")
    );
    assert!(
        lines[0].contains(&format!("e.g. [\"{TITLE_SHOWN}\"]")),
        "{}",
        lines[0]
    );
    for line in &lines {
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }

    let (code, stdout) = run(ccguard(dir.path()).arg(HOSTILE_NAME));
    assert_eq!(code, Some(1));
    assert_inert(&stdout, &[]);
    assert!(
        stdout.contains(&format!(
            "× {HOSTILE_NAME_SHOWN}: the original author is not credited"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("╭─[{HOSTILE_NAME_SHOWN}:7:16]")),
        "{stdout}"
    );
}

#[test]
fn an_ansi_escape_in_a_title_is_shown_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("post.md"), HOSTILE_POST).expect("write post");
    let (code, stdout) = run(ccguard(dir.path()).arg("post.md"));
    assert_eq!(code, Some(1));
    assert_inert(&stdout, &[]);
    assert!(
        stdout.contains(&format!(
            "help: credit the author, e.g. [\"{TITLE_SHOWN}\"]"
        )),
        "{stdout}"
    );
    // The quoted source line shows its escapes too, and the label still points at the claim.
    assert!(
        stdout.contains(" 7 │ Licensed under CC BY 4.0. ##[\\error]boom \\u{1b}[2J\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("   ·                ────┬────\n"),
        "{stdout}"
    );

    // JSON keeps the values exact, with nothing a terminal or runner acts on in its text.
    let (code, json) = run(ccguard(dir.path()).args(["--format", "json", "post.md"]));
    assert_eq!(code, Some(1));
    assert_inert(&json, &[]);
    let json: Value = serde_json::from_str(&json).expect("JSON");
    let help = json["documents"][0]["findings"][0]["help"]
        .as_str()
        .expect("help");
    // The help's credit line is Markdown on one line: the title's line breaks became spaces and
    // its brackets are escaped; the escape characters themselves stay exact in the value.
    assert!(
        help.contains(" ::add-mask::secret \u{1b}\\]8;;https://evil\u{7}click"),
        "{help}"
    );
}

#[test]
fn the_step_summary_keeps_a_hostile_file_name_in_its_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(HOSTILE_NAME), HOSTILE_POST).expect("write post");
    let name = "x|y *z* [a](b) <i>.md";
    std::fs::write(dir.path().join(name), HOSTILE_POST).expect("write post");
    let summary = dir.path().join("summary.md");
    let (code, _) = run(ccguard(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["--format", "github", HOSTILE_NAME, name]));
    assert_eq!(code, Some(1));
    let written = std::fs::read_to_string(&summary).expect("summary");
    let rows: Vec<&str> = written
        .lines()
        .skip_while(|l| !l.starts_with("| file |"))
        .skip(2)
        .collect();
    assert_eq!(
        rows,
        [
            "| a\\n::warning file=y::pwned\\n##\\[add-mask\\]b.md | 1 | error | `missing-author-credit` | the original author is not credited |",
            "| a\\n::warning file=y::pwned\\n##\\[add-mask\\]b.md | 1 | error | `missing-source-link` | the post does not link the original material |",
            "| a\\n::warning file=y::pwned\\n##\\[add-mask\\]b.md | 7 | warning | `missing-license-link` | the license is named but not linked |",
            "| x\\|y \\*z\\* \\[a\\](b) \\<i\\>.md | 1 | error | `missing-author-credit` | the original author is not credited |",
            "| x\\|y \\*z\\* \\[a\\](b) \\<i\\>.md | 1 | error | `missing-source-link` | the post does not link the original material |",
            "| x\\|y \\*z\\* \\[a\\](b) \\<i\\>.md | 7 | warning | `missing-license-link` | the license is named but not linked |",
        ]
    );
}

/// Writes `count` reposts with long names, each with three findings.
fn many_posts(dir: &Path, count: usize) {
    let filler = "x".repeat(200);
    for i in 0..count {
        std::fs::write(dir.join(format!("post-{i:04}-{filler}.md")), HOSTILE_POST)
            .expect("write post");
    }
}

/// The findings a step summary lists, those it says it left out, and those its header counts.
fn summary_counts(written: &str) -> (usize, usize, usize) {
    let listed = written
        .lines()
        .skip_while(|l| !l.starts_with("| file |"))
        .skip(2)
        .take_while(|l| l.starts_with("| "))
        .count();
    let left_out = written
        .lines()
        .find_map(|l| l.strip_suffix(" more findings not listed: GitHub drops a step summary over 1 MiB. `ccguard check --format json` lists every finding."))
        .map_or(0, |n| n.parse().expect("a count"));
    let header = written.lines().next().expect("header");
    let counted: usize = header
        .split(' ')
        .filter_map(|w| w.parse::<usize>().ok())
        .take(3)
        .sum();
    (listed, left_out, counted)
}

#[test]
fn the_step_summary_stays_under_one_mebibyte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let posts = dir.path().join("posts");
    std::fs::create_dir(&posts).expect("mkdir");
    many_posts(&posts, 1500);
    let summary = dir.path().join("summary.md");
    let (code, _) = run(ccguard(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["--format", "github", "--jobs", "2", "posts"]));
    assert_eq!(code, Some(1));
    let written = std::fs::read_to_string(&summary).expect("summary");
    assert!(written.len() <= 1_000_000, "{} bytes", written.len());
    let (listed, left_out, counted) = summary_counts(&written);
    assert_eq!(counted, 4500);
    assert!(
        listed > 2500 && left_out > 0,
        "{listed} listed, {left_out} left out"
    );
    assert_eq!(listed + left_out, counted);

    // What the step wrote before counts: ccguard's part fits in what is left.
    let before = "earlier step output\n".repeat(49_000);
    std::fs::write(&summary, &before).expect("write summary");
    let few = dir.path().join("few");
    std::fs::create_dir(&few).expect("mkdir");
    many_posts(&few, 60);
    let (code, _) = run(ccguard(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["--format", "github", "few"]));
    assert_eq!(code, Some(1));
    let written = std::fs::read_to_string(&summary).expect("summary");
    assert!(written.len() <= 1_000_000, "{} bytes", written.len());
    let (listed, left_out, counted) = summary_counts(&written[before.len()..]);
    assert_eq!(counted, 180);
    assert!(
        listed > 0 && left_out > 0,
        "{listed} listed, {left_out} left out"
    );
    assert_eq!(listed + left_out, counted);
}

#[test]
fn junit_output_is_well_formed_xml_with_control_characters() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "c\u{1}t\u{b}l\u{7f}.md";
    std::fs::write(
        dir.path().join(name),
        HOSTILE_POST.replace("secret", "\\f\\0\\uFFFE"),
    )
    .expect("write post");
    std::fs::write(dir.path().join(HOSTILE_NAME), HOSTILE_POST).expect("write post");
    let (code, xml) = run(ccguard(dir.path()).args(["--format", "junit", name, HOSTILE_NAME]));
    assert_eq!(code, Some(1));
    assert_inert(&xml, &[]);
    let doc = roxmltree::Document::parse(&xml).expect("JUnit output is well-formed XML 1.0");
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(
        cases
            .iter()
            .map(|c| c.attribute("name"))
            .collect::<Vec<_>>(),
        [Some(HOSTILE_NAME_SHOWN), Some("c\\u{1}t\\u{b}l\\u{7f}.md")]
    );
    for case in &cases {
        let failures: Vec<_> = case
            .children()
            .filter(|n| n.has_tag_name("failure"))
            .map(|n| n.attribute("type").unwrap_or_default())
            .collect();
        assert_eq!(
            failures,
            [
                "missing-author-credit",
                "missing-source-link",
                "missing-license-link"
            ]
        );
    }
    let help = cases[1]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .and_then(|n| n.text())
        .expect("failure text");
    assert!(
        help.contains("::add-mask::\\u{c}\\u{0}\\u{fffe} \\u{1b}\\]8;;"),
        "{help}"
    );
}

#[test]
fn sarif_uri_of_a_file_named_a_b_hash_c_is_percent_encoded() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a b#c.md"), HOSTILE_POST).expect("write post");
    let (code, stdout) = run(ccguard(dir.path()).args(["--format", "sarif", "a b#c.md"]));
    assert_eq!(code, Some(1));
    let value: Value = serde_json::from_str(&stdout).expect("SARIF is JSON");
    // Validated as tests/sarif.rs does: the schema's types, and nothing outside them.
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_value(value.clone()).expect("SARIF matches the 2.1.0 schema types");
    let back = serde_json::to_value(&typed).expect("serialize");
    assert_eq!(strip_nulls(back), strip_nulls(value.clone()));
    let results = value["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    for result in results {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert_eq!(uri, "a%20b%23c.md");
        assert!(is_relative_path_reference(uri), "{uri}");
    }
}

/// RFC 3986 `relative-part` with a path and nothing else: unreserved characters, sub-delims,
/// `:` `@` `/` and `%XX`, with no `:` before the first `/`.
fn is_relative_path_reference(uri: &str) -> bool {
    let bytes = uri.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            if !bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        if !(b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b)) {
            return false;
        }
        i += 1;
    }
    let first_segment = uri.split('/').next().unwrap_or("");
    !first_segment.contains(':')
}

/// Optional properties absent in our output come back as `null` from the typed model.
fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}
