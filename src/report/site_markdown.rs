//! `ccguard report --format markdown`: the compliance report as GitHub-flavoured Markdown, the
//! same content as the HTML report with every chart given as a table. Text from the posts
//! (paths, names, hosts, messages, help texts) is escaped so that it cannot break a table or a
//! list, nor become a link, markup or HTML; every line that holds it starts with our own text.

use std::fmt::Write as _;
use std::io;

use super::site::{SEVERITIES, SiteReport};

/// Write the report as Markdown.
pub fn write(report: &SiteReport<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let mut md = String::with_capacity(16 * 1024);
    let s = &report.summary;
    let _ = writeln!(
        md,
        "# Creative Commons compliance report\n\n{} posts checked, {} of them reposts, by ccguard {} on {}.\n",
        s.documents,
        report.reposts,
        cell(&report.run.version),
        report.run.generated_utc()
    );
    md.push_str("## Totals\n\n");
    table(
        &mut md,
        &[
            "posts",
            "reposts",
            "errors",
            "warnings",
            "infos",
            "suppressed",
        ],
        &[true; 6],
        &[vec![
            s.documents.to_string(),
            report.reposts.to_string(),
            s.errors.to_string(),
            s.warnings.to_string(),
            s.infos.to_string(),
            report.suppressed.to_string(),
        ]],
    );
    md.push_str("## Findings by rule and severity\n\n");
    let rules: Vec<Vec<String>> = report
        .by_rule
        .iter()
        .map(|r| {
            vec![
                format!("`{}`", r.rule),
                r.errors.to_string(),
                r.warnings.to_string(),
                r.infos.to_string(),
                r.total().to_string(),
            ]
        })
        .collect();
    table(
        &mut md,
        &["rule", "errors", "warnings", "infos", "total"],
        &[false, true, true, true, true],
        &rules,
    );
    md.push_str("## Posts by license\n\n");
    counts(&mut md, "license", &report.by_license);
    md.push_str("## Posts by verdict\n\n");
    let verdicts: Vec<(String, usize)> = report
        .by_verdict
        .iter()
        .map(|(v, n)| (v.label().to_owned(), *n))
        .collect();
    counts(&mut md, "verdict", &verdicts);
    md.push_str("## Posts\n\nMost errors first, then most warnings, then by path.\n\n");
    let posts: Vec<Vec<String>> = report
        .posts
        .iter()
        .map(|p| {
            vec![
                cell(p.path),
                p.verdict.label().to_owned(),
                p.license.map_or_else(none, cell),
                if p.authors.is_empty() {
                    none()
                } else {
                    p.authors
                        .iter()
                        .map(|a| cell(a))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                p.outlet.as_deref().map_or_else(none, cell),
                p.errors.to_string(),
                p.warnings.to_string(),
                p.infos.to_string(),
                if p.rules.is_empty() {
                    none()
                } else {
                    p.rules
                        .iter()
                        .map(|r| format!("`{r}`"))
                        .collect::<Vec<_>>()
                        .join(" ")
                },
            ]
        })
        .collect();
    table(
        &mut md,
        &[
            "post",
            "verdict",
            "license",
            "credited authors",
            "source outlet",
            "errors",
            "warnings",
            "infos",
            "rules",
        ],
        &[false, false, false, false, false, true, true, true, false],
        &posts,
    );
    findings(&mut md, report);
    legend(&mut md, report);
    md.push_str("## Credited authors\n\n");
    counts(&mut md, "author", &report.authors);
    md.push_str("## Source outlets\n\n");
    counts(&mut md, "outlet", &report.outlets);
    media(&mut md, report);
    md.push_str("## Run\n\n");
    let run = report.run;
    let mut rules_dirs = String::from("bundled");
    for dir in &run.rules_dirs {
        rules_dirs.push_str(", then ");
        rules_dirs.push_str(&cell(dir));
    }
    table(
        &mut md,
        &["setting", "value"],
        &[false, false],
        &[
            vec![
                "inputs".to_owned(),
                run.inputs
                    .iter()
                    .map(|i| cell(i))
                    .collect::<Vec<_>>()
                    .join(", "),
            ],
            vec![
                "config".to_owned(),
                run.config
                    .as_deref()
                    .map_or_else(|| "defaults (no config file)".to_owned(), cell),
            ],
            vec!["rules".to_owned(), rules_dirs],
            vec!["ccguard".to_owned(), cell(&run.version)],
            vec!["generated".to_owned(), run.generated_utc()],
        ],
    );
    out.write_all(md.trim_end().as_bytes())?;
    writeln!(out)
}

/// Every finding of every post, in the posts table's order, one list item each: severity, rule,
/// place, message and how to fix it.
fn findings(md: &mut String, report: &SiteReport<'_>) {
    md.push_str("## Findings\n\n");
    if report.posts.iter().all(|p| p.findings.is_empty()) {
        md.push_str("None.\n\n");
        return;
    }
    for post in report.posts.iter().filter(|p| !p.findings.is_empty()) {
        let path = cell(post.path);
        let _ = writeln!(md, "### Post: {path}\n");
        for f in &post.findings {
            let _ = write!(
                md,
                "- **{}** `{}` at {path}:{}:{}: {}",
                f.severity.as_str(),
                f.rule,
                f.line,
                f.column,
                cell(f.message)
            );
            if let Some(help) = f.help {
                // A continuation line of the same list item, starting with our own word.
                let _ = write!(md, "\n  Fix: {}", cell(help));
            }
            md.push('\n');
        }
        md.push('\n');
    }
}

/// The media-credits table: every CC medium with its post, credit, license and what its source
/// said. Left out of a report whose posts show no media at all.
fn media(md: &mut String, report: &SiteReport<'_>) {
    if report.media.is_empty() && report.other_media == 0 {
        return;
    }
    let others = report.other_media;
    let _ = writeln!(
        md,
        "## Media credits\n\nPhotos, videos and audio under a CC license, by post; {others} other {} not under one (agency photos, media with no license named) {} not listed.\n",
        if others == 1 { "medium" } else { "media" },
        if others == 1 { "is" } else { "are" }
    );
    let rows: Vec<Vec<String>> = report
        .media
        .iter()
        .map(|m| {
            let credit = m.credit.map_or_else(none, cell);
            vec![
                format!("{} {}", m.kind, cell(m.url)),
                format!("{}:{}:{}", cell(m.post), m.line, m.column),
                if m.incomplete {
                    format!("{credit} (incomplete)")
                } else {
                    credit
                },
                m.license.map_or_else(|| "not named".to_owned(), cell),
                m.verified.to_owned(),
            ]
        })
        .collect();
    table(
        md,
        &["medium", "post", "credit", "license", "verified"],
        &[false; 5],
        &rows,
    );
}

/// What the severities mean and what each rule id found in this report checks.
fn legend(md: &mut String, report: &SiteReport<'_>) {
    md.push_str("## Legend\n\n");
    let severities: Vec<Vec<String>> = SEVERITIES
        .iter()
        .map(|(severity, meaning)| {
            vec![format!("**{}**", severity.as_str()), (*meaning).to_owned()]
        })
        .collect();
    table(md, &["severity", "meaning"], &[false, false], &severities);
    let rules: Vec<Vec<String>> = report
        .legend
        .iter()
        .map(|(rule, summary)| vec![format!("`{rule}`"), cell(summary)])
        .collect();
    if !rules.is_empty() {
        table(md, &["rule", "what it finds"], &[false, false], &rules);
    }
    md.push_str("`ccguard explain RULE` prints a rule's full documentation.\n\n");
}

/// A two-column table of names and post counts, or a line saying there are none.
fn counts(md: &mut String, what: &str, rows: &[(String, usize)]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|(name, n)| vec![cell(name), n.to_string()])
        .collect();
    table(md, &[what, "posts"], &[false, true], &rows);
}

/// A GitHub table (right-aligned where `numeric`), or "None." when there are no rows.
fn table(md: &mut String, headers: &[&str], numeric: &[bool], rows: &[Vec<String>]) {
    if rows.is_empty() {
        md.push_str("None.\n\n");
        return;
    }
    let _ = writeln!(md, "| {} |", headers.join(" | "));
    let rule: Vec<&str> = numeric
        .iter()
        .map(|&n| if n { "---:" } else { "---" })
        .collect();
    let _ = writeln!(md, "|{}|", rule.join("|"));
    for row in rows {
        let _ = writeln!(md, "| {} |", row.join(" | "));
    }
    md.push('\n');
}

/// Escape text from a post for a table cell: pipes and line breaks would break the table, and
/// Markdown or HTML syntax would be rendered rather than shown.
fn cell(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '#' | '~' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            '\r' | '\n' | '\t' => escaped.push(' '),
            // Shown, not passed on: an escape sequence would reach a terminal showing the file.
            c if c.is_control() => {
                let _ = write!(escaped, "\\u{{{:x}}}", u32::from(c));
            }
            _ => escaped.push(c),
        }
    }
    escaped
}

fn none() -> String {
    "—".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_pipes_markup_and_breaks() {
        assert_eq!(
            cell("a|b <script>*x*\n[y](z)"),
            "a\\|b &lt;script&gt;\\*x\\* \\[y\\](z)"
        );
    }

    #[test]
    fn tables_align_numbers_and_say_none_when_empty() {
        let mut md = String::new();
        table(
            &mut md,
            &["name", "posts"],
            &[false, true],
            &[vec!["a".to_owned(), "1".to_owned()]],
        );
        assert_eq!(md, "| name | posts |\n|---|---:|\n| a | 1 |\n\n");
        let mut md = String::new();
        table(&mut md, &["name"], &[false], &[]);
        assert_eq!(md, "None.\n\n");
    }
}
