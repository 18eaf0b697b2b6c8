//! Inline suppressions (CONTRACT.md §4): `<!-- ccguard-disable-next-line RULE[,RULE] -- reason -->`,
//! `<!-- ccguard-disable RULE[,RULE] -- reason -->` … `<!-- ccguard-enable RULE[,RULE] -->`, the
//! same in Markdown and HTML; ids are separated by commas, spaces or both. Silenced findings move
//! to the document's `suppressed` list with their reason; a suppression that silenced nothing,
//! or names an id that is no rule's, becomes an `unused-suppression` info.

use crate::check::{self, Finding};
use crate::diagnostic::{Diagnostic, RuleId};
use crate::document::Document;
use crate::source::{LineIndex, Source, Span};

/// A finding silenced by a comment or a baseline, with the reason given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    /// The finding as it would have been reported.
    pub diagnostic: Diagnostic,
    /// The text after `--` in the comment, or the baseline it came from.
    pub reason: Option<String>,
}

/// Which lines a suppression covers (1-based, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Lines {
    first: usize,
    last: usize,
}

#[derive(Debug, Clone)]
struct Suppression {
    rules: Vec<String>,
    reason: Option<String>,
    lines: Lines,
    span: Span,
    used: bool,
}

/// Split the findings of one post into those reported and those silenced by its comments, and
/// add an `unused-suppression` info for every comment that silenced nothing.
pub fn apply(
    source: &Source,
    document: &Document,
    lines: &LineIndex,
    findings: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let mut suppressions = parse(source, document, lines);
    if suppressions.is_empty() {
        return (findings, Vec::new());
    }
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for finding in findings {
        let line = finding.place.line;
        let hit = suppressions.iter_mut().find(|s| {
            s.lines.first <= line
                && line <= s.lines.last
                && s.rules.iter().any(|r| r == finding.rule.as_str())
        });
        match hit {
            Some(s) => {
                s.used = true;
                suppressed.push(Suppressed {
                    diagnostic: finding,
                    reason: s.reason.clone(),
                });
            }
            None => kept.push(finding),
        }
    }
    for s in &suppressions {
        let message = match unknown_ids(&s.rules) {
            Some(unknown) => unknown,
            None if !s.used => format!(
                "this suppression of {} silenced nothing",
                s.rules.join(", ")
            ),
            None => continue,
        };
        kept.push(
            check::rule(RuleId::UnusedSuppression).report(
                Finding::at(s.span, message)
                    .help("remove the comment, or check the rule id and the line it applies to"),
                &source.text,
                lines,
            ),
        );
    }
    kept.sort_by_key(|d| (d.span.start, d.rule));
    (kept, suppressed)
}

/// What is wrong with the ids in `rules` that name no rule, with the closest id for each, or
/// `None` when every id is known.
fn unknown_ids(rules: &[String]) -> Option<String> {
    let unknown: Vec<String> = rules
        .iter()
        .filter(|id| check::rule_named(id).is_none())
        .map(|id| match check::nearest_rule(id) {
            Some(near) => format!("`{id}` is not a rule id; did you mean `{near}`?"),
            None => format!("`{id}` is not a rule id"),
        })
        .collect();
    (!unknown.is_empty()).then(|| unknown.join(" "))
}

/// Every suppression comment of the post, with the lines it covers.
fn parse(source: &Source, document: &Document, lines: &LineIndex) -> Vec<Suppression> {
    let text = &source.text;
    let last_line = lines.line_col(text, text.len()).0;
    let comments: Vec<_> = document
        .meta
        .iter()
        .filter(|m| m.key == "comment")
        .collect();
    let mut out: Vec<Suppression> = Vec::new();
    for comment in &comments {
        let Some((directive, rules, reason)) = directive(&comment.value) else {
            continue;
        };
        let start_line = lines.line_col(text, comment.span.start).0;
        let end_line = lines.line_col(text, comment.span.end).0;
        match directive {
            Directive::NextLine => {
                let next = next_non_blank_line(text, comment.span.end)
                    .map_or(end_line + 1, |at| lines.line_col(text, at).0);
                out.push(Suppression {
                    rules,
                    reason,
                    lines: Lines {
                        first: next,
                        last: next,
                    },
                    span: comment.span,
                    used: false,
                });
            }
            Directive::Disable => out.push(Suppression {
                rules,
                reason,
                // Without a matching enable the whole file is covered.
                lines: Lines {
                    first: 1,
                    last: last_line,
                },
                span: comment.span,
                used: false,
            }),
            Directive::Enable => {
                for open in out.iter_mut().rev() {
                    if open.lines.last == last_line
                        && open.lines.first == 1
                        && open.rules.iter().any(|r| rules.contains(r))
                    {
                        let opened_at = lines.line_col(text, open.span.start).0;
                        open.lines = Lines {
                            first: opened_at,
                            last: start_line,
                        };
                    }
                }
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Directive {
    NextLine,
    Disable,
    Enable,
}

/// Parse `ccguard-disable-next-line a,b -- reason` (the comment body without `<!--`/`-->`).
fn directive(body: &str) -> Option<(Directive, Vec<String>, Option<String>)> {
    let body = body.trim();
    let (head, reason) = match body.split_once(" -- ") {
        Some((head, reason)) => (
            head.trim(),
            Some(reason.trim().to_owned()).filter(|r| !r.is_empty()),
        ),
        None => (body.trim_end_matches("--").trim(), None),
    };
    let (word, rest) = head.split_once(char::is_whitespace).unwrap_or((head, ""));
    let directive = match word {
        "ccguard-disable-next-line" => Directive::NextLine,
        "ccguard-disable" => Directive::Disable,
        "ccguard-enable" => Directive::Enable,
        _ => return None,
    };
    let rules: Vec<String> = rest
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect();
    (!rules.is_empty()).then_some((directive, rules, reason))
}

/// The byte offset of the first non-blank character after `from` on a later line.
fn next_non_blank_line(text: &str, from: usize) -> Option<usize> {
    let rest = text.get(from..)?;
    let newline = rest.find('\n')?;
    let after = from + newline + 1;
    text.get(after..)?
        .find(|c: char| !c.is_whitespace())
        .map(|i| after + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_parse_rules_and_reason() {
        assert_eq!(
            directive(
                " ccguard-disable-next-line missing-title,missing-source-link -- the original is offline "
            ),
            Some((
                Directive::NextLine,
                vec!["missing-title".to_owned(), "missing-source-link".to_owned()],
                Some("the original is offline".to_owned())
            ))
        );
        assert_eq!(
            directive("ccguard-enable missing-title"),
            Some((Directive::Enable, vec!["missing-title".to_owned()], None))
        );
        assert_eq!(
            directive(
                "ccguard-disable-next-line missing-title  missing-source-link, nd-adaptation -- x"
            ),
            Some((
                Directive::NextLine,
                vec![
                    "missing-title".to_owned(),
                    "missing-source-link".to_owned(),
                    "nd-adaptation".to_owned()
                ],
                Some("x".to_owned())
            ))
        );
        assert_eq!(directive("just a comment"), None);
        assert_eq!(directive("ccguard-disable"), None);
    }

    #[test]
    fn unknown_ids_get_the_closest_known_one() {
        assert_eq!(
            unknown_ids(&["missing-titel".to_owned(), "missing-source-link".to_owned()]),
            Some("`missing-titel` is not a rule id; did you mean `missing-title`?".to_owned())
        );
        assert_eq!(
            unknown_ids(&["zzz".to_owned()]),
            Some("`zzz` is not a rule id".to_owned())
        );
        assert_eq!(unknown_ids(&["missing-title".to_owned()]), None);
    }

    #[test]
    fn next_non_blank_line_skips_blank_lines() {
        let text = "<!-- x -->\n\n  body\n";
        assert_eq!(next_non_blank_line(text, 10), Some(14));
    }
}
