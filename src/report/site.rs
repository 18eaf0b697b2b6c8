//! The site-wide compliance report's content, computed once from a run and rendered by
//! [`super::site_html`] and [`super::site_markdown`]: totals, findings by rule and severity, posts
//! by license and by verdict, one row per post with each of its findings (place, message, fix),
//! a legend of the rules found, inventories of credited authors and source outlets, and the
//! media credits of every CC photo, video and audio. Not a renderer: nothing here knows about
//! HTML or Markdown.

use std::collections::BTreeMap;

use super::Summary;
use crate::check;
use crate::detect::media::MediaKind;
use crate::detect::{Role, host};
use crate::diagnostic::{RuleId, Severity};
use crate::result::DocumentResult;

/// How the run was configured, shown at the end of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    /// The inputs as given on the command line.
    pub inputs: Vec<String>,
    /// The config file's path, `None` for the defaults.
    pub config: Option<String>,
    /// Extra rules directories, in load order (the bundled rules always come first).
    pub rules_dirs: Vec<String>,
    /// The ccguard version.
    pub version: String,
    /// When the report was made, in seconds since the Unix epoch (`SOURCE_DATE_EPOCH` pins it).
    pub generated: u64,
}

impl RunInfo {
    /// [`RunInfo::generated`] as `2023-11-14 22:13:20 UTC`.
    pub fn generated_utc(&self) -> String {
        utc(self.generated)
    }
}

/// Seconds since the Unix epoch as a UTC date and time, `YYYY-MM-DD HH:MM:SS UTC`.
fn utc(seconds: u64) -> String {
    let days = seconds / 86_400;
    let time = seconds % 86_400;
    // Howard Hinnant's civil-from-days: the proleptic Gregorian date of a day count, in
    // 400-year eras that each repeat the calendar exactly.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        time / 3600,
        time % 3600 / 60,
        time % 60
    )
}

/// What each severity means for the run, for the report's legend.
pub const SEVERITIES: [(Severity, &str); 3] = [
    (
        Severity::Error,
        "breaks a license condition, or the post could not be checked; fails the run by default",
    ),
    (
        Severity::Warning,
        "a likely problem or a missing recommended part; fails the run with --fail-on warning",
    ),
    (Severity::Info, "for information; never fails the run"),
];

/// What a post's findings amount to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// At least one error.
    Violations,
    /// Warnings but no errors.
    Warnings,
    /// A repost with no error or warning.
    Compliant,
    /// Not a repost and no error or warning: nothing to comply with.
    NotRepost,
}

impl Verdict {
    /// Every verdict, worst first.
    pub const ALL: [Verdict; 4] = [
        Verdict::Violations,
        Verdict::Warnings,
        Verdict::Compliant,
        Verdict::NotRepost,
    ];

    /// The verdict of one post.
    pub fn of(doc: &DocumentResult) -> Verdict {
        let (errors, warnings, _) = doc.counts();
        if errors > 0 {
            Verdict::Violations
        } else if warnings > 0 {
            Verdict::Warnings
        } else if doc.is_repost {
            Verdict::Compliant
        } else {
            Verdict::NotRepost
        }
    }

    /// How a reader sees it.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Violations => "violations",
            Verdict::Warnings => "warnings",
            Verdict::Compliant => "compliant",
            Verdict::NotRepost => "not a repost",
        }
    }

    /// A stable identifier (CSS class, test hook).
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Violations => "violations",
            Verdict::Warnings => "warnings",
            Verdict::Compliant => "compliant",
            Verdict::NotRepost => "not-repost",
        }
    }
}

/// The findings of one rule, by severity (a config can give one rule different severities on
/// different paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCount {
    /// The rule id.
    pub rule: RuleId,
    /// Findings at `error`.
    pub errors: usize,
    /// Findings at `warning`.
    pub warnings: usize,
    /// Findings at `info`.
    pub infos: usize,
}

impl RuleCount {
    /// All findings of the rule.
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

/// One post's line in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRow<'a> {
    /// The path as checked.
    pub path: &'a str,
    /// The verdict.
    pub verdict: Verdict,
    /// The worst finding's severity, if any.
    pub worst: Option<Severity>,
    /// SPDX id, else the family (`CC-BY-NC`), else `None` when no CC license is claimed.
    pub license: Option<&'a str>,
    /// Credited authors, in source order, each once.
    pub authors: Vec<&'a str>,
    /// The host of the first source link.
    pub outlet: Option<String>,
    /// Findings at `error`.
    pub errors: usize,
    /// Findings at `warning`.
    pub warnings: usize,
    /// Findings at `info`.
    pub infos: usize,
    /// The rule ids of the findings, sorted, each once.
    pub rules: Vec<RuleId>,
    /// Every finding, in the post's order (by place, then rule).
    pub findings: Vec<FindingRow<'a>>,
}

/// One finding of a post, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRow<'a> {
    /// The rule id.
    pub rule: RuleId,
    /// Its severity.
    pub severity: Severity,
    /// What is wrong.
    pub message: &'a str,
    /// 1-based line of the finding's start.
    pub line: usize,
    /// 1-based column (in characters) of the finding's start.
    pub column: usize,
    /// How to fix it, when the rule says.
    pub help: Option<&'a str>,
}

/// One CC medium of a post, as the media-credits table lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRow<'a> {
    /// The media URL as written.
    pub url: &'a str,
    /// `image`, `video`, `audio` or `embed`.
    pub kind: &'static str,
    /// The post's path.
    pub post: &'a str,
    /// 1-based line of the medium in the post.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Who is credited for it, `None` when nobody is.
    pub credit: Option<&'a str>,
    /// SPDX id, else the family (`CC-BY`), else `None` when no license is named for it (a file
    /// from a free host).
    pub license: Option<&'a str>,
    /// The JSON `verified` value: `offline`, `match`, `mismatch` or `unreadable`.
    pub verified: &'static str,
    /// True when the post has a `missing-media-credit` finding at this medium.
    pub incomplete: bool,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteReport<'a> {
    /// Documents and findings by severity (the same numbers as the JSON summary).
    pub summary: Summary,
    /// Posts that republish someone else's work.
    pub reposts: usize,
    /// Findings silenced by comments or a baseline.
    pub suppressed: usize,
    /// Findings per rule, most first, then by rule id.
    pub by_rule: Vec<RuleCount>,
    /// Posts per license label (`no license` for none), most first, then by label.
    pub by_license: Vec<(String, usize)>,
    /// Posts per verdict, in [`Verdict::ALL`] order (zero counts included).
    pub by_verdict: Vec<(Verdict, usize)>,
    /// One row per post: most errors first, then most warnings, then by path.
    pub posts: Vec<PostRow<'a>>,
    /// Each rule id with findings and its one-line summary, by id.
    pub legend: Vec<(RuleId, &'static str)>,
    /// Credited author → number of posts, most first, then by name.
    pub authors: Vec<(String, usize)>,
    /// Source outlet host → number of posts, most first, then by host.
    pub outlets: Vec<(String, usize)>,
    /// Every CC medium, by post path then place in the post.
    pub media: Vec<MediaRow<'a>>,
    /// Media of the posts that are not under a CC license (agency photos, media with no
    /// license named on hosts that serve all kinds): counted, not listed.
    pub other_media: usize,
    /// How the run was configured.
    pub run: &'a RunInfo,
}

/// The label of posts that claim no CC license, in the license chart and table.
pub const NO_LICENSE: &str = "no license";

impl<'a> SiteReport<'a> {
    /// Compute the report of a run.
    pub fn new(results: &'a [DocumentResult], run: &'a RunInfo) -> SiteReport<'a> {
        let mut posts: Vec<PostRow<'a>> = results.iter().map(post_row).collect();
        posts.sort_by(|a, b| {
            b.errors
                .cmp(&a.errors)
                .then_with(|| b.warnings.cmp(&a.warnings))
                .then_with(|| a.path.cmp(b.path))
        });
        let by_verdict = Verdict::ALL
            .iter()
            .map(|&v| (v, posts.iter().filter(|p| p.verdict == v).count()))
            .collect();
        let by_rule = by_rule(results);
        let mut legend: Vec<(RuleId, &'static str)> = by_rule
            .iter()
            .map(|c| (c.rule, check::rule(c.rule).summary))
            .collect();
        legend.sort_unstable();
        SiteReport {
            summary: Summary::of(results),
            reposts: results.iter().filter(|r| r.is_repost).count(),
            suppressed: results.iter().map(|r| r.suppressed.len()).sum(),
            by_rule,
            legend,
            by_license: ranked(
                posts
                    .iter()
                    .map(|p| p.license.unwrap_or(NO_LICENSE).to_owned()),
            ),
            by_verdict,
            authors: ranked(
                posts
                    .iter()
                    .flat_map(|p| p.authors.iter().map(|a| (*a).to_owned())),
            ),
            outlets: ranked(posts.iter().filter_map(|p| p.outlet.clone())),
            media: media_rows(results),
            other_media: results
                .iter()
                .flat_map(|r| &r.facts.media)
                .filter(|m| !m.cc)
                .count(),
            posts,
            run,
        }
    }
}

fn post_row(doc: &DocumentResult) -> PostRow<'_> {
    let (errors, warnings, infos) = doc.counts();
    let mut authors: Vec<&str> = Vec::new();
    for credit in &doc.facts.credits {
        if credit.role == Role::Author && !authors.contains(&credit.name.as_str()) {
            authors.push(&credit.name);
        }
    }
    let mut rules: Vec<RuleId> = doc.diagnostics.iter().map(|d| d.rule).collect();
    rules.sort_unstable();
    rules.dedup();
    PostRow {
        path: &doc.source.name,
        verdict: Verdict::of(doc),
        worst: doc.diagnostics.iter().map(|d| d.severity).max(),
        license: doc
            .license
            .as_ref()
            .map(|l| l.id.as_deref().unwrap_or(&l.family)),
        authors,
        outlet: doc.facts.sources.first().and_then(|s| host(&s.url)),
        errors,
        warnings,
        infos,
        rules,
        findings: doc
            .diagnostics
            .iter()
            .map(|d| FindingRow {
                rule: d.rule,
                severity: d.severity,
                message: &d.message,
                line: d.place.line,
                column: d.place.column,
                help: d.help.as_deref(),
            })
            .collect(),
    }
}

fn media_rows(results: &[DocumentResult]) -> Vec<MediaRow<'_>> {
    let mut rows: Vec<MediaRow<'_>> = results
        .iter()
        .flat_map(|doc| {
            doc.facts.media.iter().filter(|m| m.cc).map(move |m| {
                let (line, column) = doc.evidence_at.line_col(m.span.start);
                MediaRow {
                    url: &m.url,
                    kind: match m.kind {
                        MediaKind::Image => "image",
                        MediaKind::Video => "video",
                        MediaKind::Audio => "audio",
                        MediaKind::Embed => "embed",
                    },
                    post: &doc.source.name,
                    line,
                    column,
                    credit: m.credit.as_ref().map(|c| c.name.as_str()),
                    license: m
                        .resolved
                        .as_ref()
                        .map(|r| r.id.as_deref().unwrap_or(&r.family)),
                    verified: m.verdict(),
                    incomplete: doc
                        .diagnostics
                        .iter()
                        .any(|d| d.rule == RuleId::MissingMediaCredit && d.span == m.span),
                }
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        a.post
            .cmp(b.post)
            .then(a.line.cmp(&b.line))
            .then(a.column.cmp(&b.column))
    });
    rows
}

fn by_rule(results: &[DocumentResult]) -> Vec<RuleCount> {
    let mut counts: BTreeMap<RuleId, RuleCount> = BTreeMap::new();
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        let count = counts.entry(d.rule).or_insert(RuleCount {
            rule: d.rule,
            errors: 0,
            warnings: 0,
            infos: 0,
        });
        match d.severity {
            Severity::Error => count.errors += 1,
            Severity::Warning => count.warnings += 1,
            Severity::Info => count.infos += 1,
        }
    }
    let mut counts: Vec<RuleCount> = counts.into_values().collect();
    // Stable sort over the id-ordered map: ties stay in rule-id order.
    counts.sort_by_key(|c| std::cmp::Reverse(c.total()));
    counts
}

/// Count each value, most frequent first, ties by value.
fn ranked(values: impl Iterator<Item = String>) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for value in values {
        *counts.entry(value).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checker::Checker;
    use crate::rules::load;
    use crate::source::{Format, Source};

    fn results(posts: &[(&str, &str)]) -> Vec<DocumentResult> {
        let checker = Checker::new(load::bundled().expect("bundled rules"));
        posts
            .iter()
            .map(|(name, text)| {
                checker.check_source(Source::from_text(*name, *text, Format::Markdown))
            })
            .collect()
    }

    fn run() -> RunInfo {
        RunInfo {
            inputs: Vec::new(),
            config: None,
            rules_dirs: Vec::new(),
            version: "0.0.0".to_owned(),
            generated: 0,
        }
    }

    const COMPLIANT: &str = "# Harbour lights\n\nBy Ana Ruiz. Originally published by [The Harbour Review](https://www.example.org/2025/harbour-lights) under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).\n";
    const NO_LINK: &str = "# Tides\n\nBy Ana Ruiz. Originally published by The Harbour Review.\n\nLicensed under CC BY 4.0.\n";
    const OWN: &str = "# My holiday\n\nWe went to the sea.\n";

    #[test]
    fn counts_verdicts_licenses_authors_and_outlets() {
        let results = results(&[("b.md", COMPLIANT), ("c.md", OWN), ("a.md", NO_LINK)]);
        let run = run();
        let report = SiteReport::new(&results, &run);
        let paths: Vec<&str> = report.posts.iter().map(|p| p.path).collect();
        assert_eq!(paths, ["a.md", "b.md", "c.md"]);
        assert_eq!(report.posts[0].verdict, Verdict::Violations);
        assert_eq!(
            report.posts[0].rules,
            [RuleId::MissingLicenseLink, RuleId::MissingSourceLink]
        );
        assert_eq!(report.posts[1].verdict, Verdict::Compliant);
        assert_eq!(report.posts[1].outlet.as_deref(), Some("example.org"));
        assert_eq!(report.posts[1].license, Some("CC-BY-4.0"));
        assert_eq!(report.posts[2].verdict, Verdict::NotRepost);
        assert_eq!(
            report.by_verdict,
            [
                (Verdict::Violations, 1),
                (Verdict::Warnings, 0),
                (Verdict::Compliant, 1),
                (Verdict::NotRepost, 1)
            ]
        );
        assert_eq!(
            report.by_license,
            [("CC-BY-4.0".to_owned(), 2), (NO_LICENSE.to_owned(), 1)]
        );
        assert_eq!(report.authors, [("Ana Ruiz".to_owned(), 2)]);
        assert_eq!(report.outlets, [("example.org".to_owned(), 1)]);
        assert_eq!(report.reposts, 2);
        assert_eq!(report.summary.documents, 3);
    }

    #[test]
    fn rules_are_ranked_by_total_then_id() {
        let results = results(&[("a.md", NO_LINK), ("b.md", NO_LINK)]);
        let run = run();
        let report = SiteReport::new(&results, &run);
        let counts: Vec<(RuleId, usize, usize, usize)> = report
            .by_rule
            .iter()
            .map(|c| (c.rule, c.errors, c.warnings, c.infos))
            .collect();
        assert_eq!(
            counts,
            [
                (RuleId::MissingLicenseLink, 0, 2, 0),
                (RuleId::MissingSourceLink, 2, 0, 0)
            ]
        );
    }

    #[test]
    fn ranked_breaks_ties_by_value() {
        let values = ["b", "a", "b", "c", "a", "b"].map(str::to_owned);
        assert_eq!(
            ranked(values.into_iter()),
            [
                ("b".to_owned(), 3),
                ("a".to_owned(), 2),
                ("c".to_owned(), 1)
            ]
        );
    }

    #[test]
    fn posts_are_ordered_by_errors_then_warnings_then_path() {
        // a.md: 1 error and 1 warning; b.md: 2 errors; c.md: 1 warning.
        const TWO_ERRORS: &str =
            "# Tides\n\nBy Ana Ruiz. Originally published by The Harbour Review.\n";
        const ONE_WARNING: &str = "# Tides\n\nBy Ana Ruiz. Originally published by [The Review](https://example.org/2025/tides).\n\nLicensed under CC BY 4.0.\n";
        let results = results(&[
            ("c.md", ONE_WARNING),
            ("a.md", NO_LINK),
            ("b.md", TWO_ERRORS),
        ]);
        let run = run();
        let report = SiteReport::new(&results, &run);
        let rows: Vec<(&str, usize, usize)> = report
            .posts
            .iter()
            .map(|p| (p.path, p.errors, p.warnings))
            .collect();
        assert_eq!(rows, [("b.md", 2, 0), ("a.md", 1, 1), ("c.md", 0, 1)]);
    }

    #[test]
    fn findings_carry_place_message_and_help_and_the_legend_their_rules() {
        let results = results(&[("a.md", NO_LINK)]);
        let run = run();
        let report = SiteReport::new(&results, &run);
        let places: Vec<(RuleId, usize, usize)> = report.posts[0]
            .findings
            .iter()
            .map(|f| (f.rule, f.line, f.column))
            .collect();
        let expected: Vec<(RuleId, usize, usize)> = results[0]
            .diagnostics
            .iter()
            .map(|d| (d.rule, d.place.line, d.place.column))
            .collect();
        assert_eq!(places, expected);
        assert!(
            report.posts[0]
                .findings
                .iter()
                .all(|f| !f.message.is_empty() && f.help.is_some())
        );
        assert_eq!(
            report.legend,
            [
                (
                    RuleId::MissingLicenseLink,
                    "the license is named but neither linked nor given as a URI"
                ),
                (
                    RuleId::MissingSourceLink,
                    "no link to the original material"
                ),
            ]
        );
    }

    #[test]
    fn media_rows_list_cc_media_by_post_and_count_the_others() {
        const MEDIA: &str = "# Harbour\n\nMy own walk.\n\n\
            ![a](https://upload.wikimedia.org/wikipedia/commons/a/ab/Harbour.jpg)\n\n\
            Text.\n\n![b](https://live.staticflickr.com/1/2_b.jpg)\n*Photo: Maja Lind, CC BY-SA 2.0*\n\n\
            ![c](https://example.org/own.jpg)\n";
        let results = results(&[("b.md", MEDIA), ("a.md", OWN)]);
        let run = run();
        let report = SiteReport::new(&results, &run);
        let row = |m: &MediaRow<'_>| {
            (
                m.post.to_owned(),
                m.line,
                m.credit.map(str::to_owned),
                m.license.map(str::to_owned),
                m.verified,
                m.incomplete,
            )
        };
        assert_eq!(
            row(&report.media[0]),
            ("b.md".to_owned(), 5, None, None, "offline", true)
        );
        assert_eq!(
            row(&report.media[1]),
            (
                "b.md".to_owned(),
                9,
                Some("Maja Lind".to_owned()),
                Some("CC-BY-SA-2.0".to_owned()),
                "offline",
                true
            )
        );
        assert_eq!(report.media.len(), 2);
        assert_eq!(report.other_media, 1);
    }

    #[test]
    fn utc_dates_are_gregorian() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(utc(4_107_542_399), "2100-02-28 23:59:59 UTC");
        assert_eq!(utc(4_107_542_400), "2100-03-01 00:00:00 UTC");
    }
}
