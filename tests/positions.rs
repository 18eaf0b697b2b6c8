//! Every output prints the right place: each fixture under `fixtures/` is checked, its findings
//! are the ones `fixtures/expected.toml` lists, and each finding (and each label, where an
//! output shows labels) is rendered in every output format — human, JSON, SARIF, GitHub,
//! JUnit, and the site report's HTML and Markdown. The line and column each output prints are
//! read back from the rendered text and compared with places computed here, independently,
//! from the file's text (CONTRACT.md: 1-based lines, columns in characters, a whole-document
//! finding at line 1, column 1). An output that prints a wrong or a default place fails.

mod common;

use std::collections::BTreeMap;

use ccguard::diagnostic::Diagnostic;
use ccguard::report::{self, Format, SiteFormat, site::RunInfo};
use ccguard::result::DocumentResult;
use ccguard::source::Span;
use serde_json::Value;

/// A place as the tests compute it: (line, column, end line, end column).
type Place = (usize, usize, usize, usize);

/// The 1-based line and character column of byte `offset` in `text`, counted here from the
/// text alone: line breaks before it, characters since the last one. An offset past the end
/// or inside a character counts as the character boundary before it.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// The place of `span` in `text`.
fn place(text: &str, span: Span) -> Place {
    let (line, column) = line_col(text, span.start);
    let (end_line, end_column) = line_col(text, span.end);
    (line, column, end_line, end_column)
}

/// The rule ids each fixture must yield, from `fixtures/expected.toml`.
fn expected_rules() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(common::root().join("fixtures/expected.toml"))
        .expect("fixtures/expected.toml");
    let table: toml::Table = toml::from_str(&text).expect("expected.toml parses");
    table
        .into_iter()
        .map(|(name, want)| {
            let mut rules: Vec<String> = want["rules"]
                .as_array()
                .expect("rules")
                .iter()
                .map(|r| r.as_str().expect("rule id").to_owned())
                .collect();
            rules.sort();
            (name, rules)
        })
        .collect()
}

/// Make the check of `internal-error`'s fail fixtures panic, as `tests/rules.rs` does, so its
/// finding is rendered too.
fn arm_panic_hook() {
    static ARMED: std::sync::Once = std::sync::Once::new();
    ARMED.call_once(|| {
        // SAFETY: set once, before any check of this test binary reads it, and the variable is
        // read only through `std::env`, whose lock orders it with this write.
        unsafe {
            std::env::set_var(ccguard::check::TEST_PANIC_VAR, "internal-error/fail-");
        }
    });
}

/// Every fixture checked, with the places of its findings computed from its text; each
/// fixture's rule ids are asserted first.
fn checked() -> Vec<(DocumentResult, Vec<Place>)> {
    arm_panic_hook();
    let base = common::root().join("fixtures");
    let expected = expected_rules();
    assert!(expected.len() > 100, "every fixture is listed");
    let mut checked = Vec::new();
    for (name, rules) in &expected {
        let result = common::check_file(&base, &base.join(name));
        assert_eq!(
            &common::rule_ids(&result),
            rules,
            "{name}: its expected findings"
        );
        let places = result
            .diagnostics
            .iter()
            .map(|d| place(&result.source.text, d.span))
            .collect();
        checked.push((result, places));
    }
    let findings: usize = checked.iter().map(|(r, _)| r.diagnostics.len()).sum();
    let away_from_the_top = checked
        .iter()
        .flat_map(|(_, places)| places)
        .filter(|p: &&Place| p.0 > 1)
        .count();
    // A renderer that printed line 1 everywhere would pass a test of whole-document findings.
    assert!(
        findings >= 60 && away_from_the_top >= 40,
        "{findings} findings, {away_from_the_top} below line 1"
    );
    checked
}

/// The number under `key` of a JSON object.
fn number(value: &Value, key: &str) -> usize {
    usize::try_from(
        value[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{key} in {value}")),
    )
    .expect("a number of this machine")
}

/// One document rendered in `format`, without colour.
fn render(result: &DocumentResult, format: Format) -> String {
    report::prepare(format, false, result).expect("render").text
}

/// `what` failed for finding `i` of `result`: the finding and the file.
fn who(result: &DocumentResult, i: usize) -> String {
    let d: &Diagnostic = &result.diagnostics[i];
    format!("{} finding {i} ({})", result.source.name, d.rule)
}

#[test]
fn json_prints_each_finding_and_evidence_where_it_is() {
    for (result, places) in checked() {
        let json: Value =
            serde_json::from_str(render(&result, Format::Json).trim()).expect("one JSON document");
        let findings = json["findings"].as_array().expect("findings");
        assert_eq!(findings.len(), places.len(), "{}", result.source.name);
        for (i, (finding, want)) in findings.iter().zip(&places).enumerate() {
            let got = (
                number(finding, "line"),
                number(finding, "column"),
                number(finding, "end_line"),
                number(finding, "end_column"),
            );
            assert_eq!(&got, want, "{}", who(&result, i));
        }
        // Facts carry places too: each credit, source link and license evidence.
        let text = &result.source.text;
        let at = |v: &Value| (number(v, "line"), number(v, "column"));
        for (credit, fact) in json["credits"]
            .as_array()
            .expect("credits")
            .iter()
            .zip(&result.facts.credits)
        {
            assert_eq!(at(credit), line_col(text, fact.evidence.span.start));
        }
        for (source, fact) in json["sources"]
            .as_array()
            .expect("sources")
            .iter()
            .zip(&result.facts.sources)
        {
            assert_eq!(at(source), line_col(text, fact.evidence.span.start));
        }
        if let Some(license) = &result.license {
            for (evidence, fact) in json["license"]["evidence"]
                .as_array()
                .expect("evidence")
                .iter()
                .zip(&license.evidence)
            {
                assert_eq!(at(evidence), line_col(text, fact.span.start));
            }
        }
    }
}

#[test]
fn sarif_prints_each_finding_where_it_is() {
    for (result, places) in checked() {
        let items: Value = serde_json::from_str(&format!("[{}]", render(&result, Format::Sarif)))
            .expect("SARIF results");
        let items = items.as_array().expect("results");
        assert_eq!(items.len(), places.len(), "{}", result.source.name);
        for (i, (item, want)) in items.iter().zip(&places).enumerate() {
            let region = &item["locations"][0]["physicalLocation"]["region"];
            let got = (
                number(region, "startLine"),
                number(region, "startColumn"),
                number(region, "endLine"),
                number(region, "endColumn"),
            );
            assert_eq!(&got, want, "{}", who(&result, i));
        }
    }
}

#[test]
fn github_prints_each_finding_where_it_is() {
    for (result, places) in checked() {
        let text = render(&result, Format::Github);
        let commands: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
        assert_eq!(commands.len(), places.len(), "{}", result.source.name);
        for (i, (command, want)) in commands.iter().zip(&places).enumerate() {
            let properties = command[2..].split_once(' ').expect("properties").1;
            let properties = properties.split_once("::").expect("message").0;
            let number = |key: &str| -> usize {
                properties
                    .split(',')
                    .find_map(|p| p.strip_prefix(&format!("{key}=")))
                    .unwrap_or_else(|| panic!("{key} in {command}"))
                    .parse()
                    .expect("a number")
            };
            let got = (
                number("line"),
                number("col"),
                number("endLine"),
                number("endColumn"),
            );
            assert_eq!(&got, want, "{}", who(&result, i));
        }
    }
}

/// The `line:column` right after each `prefix` in `text`.
fn places_after(text: &str, prefix: &str) -> Vec<(usize, usize)> {
    let number = |text: &str| -> (usize, usize) {
        let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let n = text[..digits]
            .parse()
            .unwrap_or_else(|_| panic!("a number at {text:.40}"));
        (n, digits)
    };
    text.match_indices(prefix)
        .map(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            let (line, digits) = number(rest);
            let rest = rest[digits..]
                .strip_prefix(':')
                .unwrap_or_else(|| panic!("`:` after the line at {rest:.40}"));
            (line, number(rest).0)
        })
        .collect()
}

#[test]
fn junit_prints_each_finding_where_it_is() {
    for (result, places) in checked() {
        let text = render(&result, Format::Junit);
        // Each failure's body starts with `NAME:LINE:COLUMN: `.
        let got = places_after(&text, &format!("\">{}:", result.source.name));
        let want: Vec<(usize, usize)> = places.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(got, want, "{}", result.source.name);
    }
}

#[test]
fn the_site_report_prints_each_finding_where_it_is() {
    let checked = checked();
    let results: Vec<DocumentResult> = checked.iter().map(|(r, _)| r.clone()).collect();
    let run = RunInfo {
        inputs: vec!["fixtures".to_owned()],
        config: None,
        rules_dirs: Vec::new(),
        version: "test".to_owned(),
        generated: 0,
    };
    for (format, prefix) in [
        (SiteFormat::Markdown, " at {}:"),
        (SiteFormat::Html, "<span class=\"place\">{}:"),
    ] {
        let mut out = Vec::new();
        report::write_site(&results, &run, format, &mut out).expect("render");
        let text = String::from_utf8(out).expect("UTF-8");
        for (result, places) in &checked {
            let got = places_after(&text, &prefix.replace("{}", &result.source.name));
            let want: Vec<(usize, usize)> = places.iter().map(|p| (p.0, p.1)).collect();
            assert_eq!(got, want, "{format:?}: {}", result.source.name);
        }
    }
}

/// A human-format snippet line: its line number and its text after the gutter.
fn numbered(row: &str) -> Option<(usize, &str)> {
    let (number, text) = row.split_once(" │ ").or_else(|| {
        // A shown line with no text: the gutter ends the row.
        row.strip_suffix(" │").map(|number| (number, ""))
    })?;
    Some((number.trim().parse().ok()?, text))
}

/// The character columns (1-based, in the shown text) where an underline starts in `row`, an
/// underline row of a snippet (`    · ───┬───`).
fn underline_starts(row: &str) -> Vec<usize> {
    let Some((_, marks)) = row.split_once(" · ") else {
        return Vec::new();
    };
    let marks: Vec<char> = marks.chars().collect();
    let is_mark = |c: char| matches!(c, '─' | '┬' | '▲' | '┴');
    (0..marks.len())
        .filter(|&i| is_mark(marks[i]) && (i == 0 || !is_mark(marks[i - 1])))
        .map(|i| i + 1)
        .collect()
}

#[test]
fn human_output_prints_each_finding_and_label_where_it_is() {
    let mut columns_checked = 0;
    for (result, _) in checked() {
        let text = &result.source.text;
        let rendered = render(&result, Format::Human);
        // One report per finding, in order, each opening with a line that is its rule id.
        let lines: Vec<&str> = rendered.lines().collect();
        let mut starts = Vec::new();
        for d in &result.diagnostics {
            let from = starts.last().map_or(0, |s| s + 1);
            let at = lines[from..]
                .iter()
                .position(|l| *l == d.rule.as_str())
                .unwrap_or_else(|| panic!("{}: no report of {}", result.source.name, d.rule));
            starts.push(from + at);
        }
        starts.push(lines.len());
        let reports: Vec<String> = starts
            .windows(2)
            .map(|w| lines[w[0]..w[1]].join("\n"))
            .collect();
        for (i, (shown, d)) in reports.iter().zip(&result.diagnostics).enumerate() {
            let who = who(&result, i);
            let whole_document = d.span.is_empty() && d.span.start == 0;
            let mut places: Vec<(Span, &str)> = Vec::new();
            if !whole_document {
                places.push((d.span, "here"));
            }
            places.extend(d.labels.iter().map(|l| (l.span, l.message.as_str())));
            let Some(first) = places.first() else {
                // About something absent: the file is named in the message, no place shown.
                assert!(
                    shown.contains(&format!("{}: ", result.source.name)),
                    "{who}"
                );
                assert!(!shown.contains("╭─["), "{who}: no snippet");
                continue;
            };
            // A snippet of far-apart places is shown in parts, each headed by one of its places.
            let headers = places_after(shown, &format!("╭─[{}:", result.source.name));
            let starts: Vec<(usize, usize)> = places
                .iter()
                .map(|(span, _)| line_col(text, span.start))
                .collect();
            assert!(
                headers.contains(&line_col(text, first.0.start))
                    && headers.iter().all(|h| starts.contains(h)),
                "{who}: headers {headers:?}, places {starts:?}"
            );
            let rows: Vec<&str> = shown.lines().collect();
            for &(span, message) in &places {
                let (line, column) = line_col(text, span.start);
                let Some(at) = rows
                    .iter()
                    .position(|r| numbered(r).is_some_and(|(n, _)| n == line))
                else {
                    panic!("{who}: line {line} of `{message}` not shown:\n{shown}");
                };
                assert!(
                    rows[at..].iter().any(|r| r.contains(message)),
                    "{who}: `{message}` not shown below line {line}"
                );
                let (_, line_text) = numbered(rows[at]).expect("numbered");
                let single_line = line == line_col(text, span.end).0;
                // Columns can be read off the underline when the line is shown from its first
                // character, as it is written, one terminal cell a character (ASCII before the
                // place: no tab, no escaped or wide character).
                let line_start = text[..span.start.min(text.len())]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let before = text.get(line_start..span.start).unwrap_or("\u{0}");
                if !single_line
                    || line_text.starts_with('…')
                    || !before
                        .chars()
                        .all(|c| c.is_ascii() && !c.is_ascii_control())
                {
                    continue;
                }
                let underlines: Vec<usize> = rows[at + 1..]
                    .iter()
                    .take_while(|r| numbered(r).is_none())
                    .flat_map(|r| underline_starts(r))
                    .collect();
                assert!(
                    underlines.contains(&column),
                    "{who}: `{message}` at column {column}, underlines at {underlines:?}:\n{shown}"
                );
                columns_checked += 1;
            }
        }
    }
    assert!(columns_checked > 50, "{columns_checked} columns read");
}
