//! Safe fixes for a checked post: the edits that make a finding go away when the facts leave
//! no doubt about what to write, for `ccguard fix`, the language server's code actions and the
//! local page's "apply" button.
//!
//! Four kinds, each offered only for a finding the post has (so a suppressed or disabled rule
//! is never fixed) and only when the facts fix every word of it:
//! - `missing-license-link`: the named license is linked to the deed of exactly that license
//!   and version, in the notice's own markup (a Markdown link, or `<a rel="license">`);
//! - `license-version-missing`: the version is added, and the name linked, when a verified
//!   original or a publisher's policy gives a license of the same family;
//! - `missing-author-credit`, `missing-title`, `missing-license-notice`: the TASL credit line
//!   [`Attribution`] writes (as `ccguard attribution` does) is added after the article body,
//!   when title, author, source URL and the exact license are all known;
//! - `missing-translation-disclosure`: "Translated from the Spanish." is added there, naming
//!   the language the original is in, when that is known;
//! - `missing-media-credit`: a photo, video or audio with no caption at all gets the media
//!   credit line `ccguard attribution --media` writes, directly after it (a `<figcaption>` in a
//!   figure), when its source was read online and states a CC license and the creator.
//!
//! A post with a finding that needs a person (`nd-adaptation`, `sa-relicensed`,
//! `conflicting-notice`, `upstream-license-mismatch`) gets no fix at all: adding a credit line
//! or a link would dress up a repost that the license may not allow. [`fix`] applies the
//! fixes one at a time and keeps only those that a re-check confirms (their finding gone, no
//! new rule fired), so running it twice changes nothing the second time.
//!
//! Not for reading or writing files (that is the `fix` command); [`encode`] turns edits of a
//! post's decoded text into edits of its bytes, keeping every other byte as it was.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;

use crate::attribution::{Attribution, MediaCredit, is_web_url, language_name};
use crate::check::short_name;
use crate::checker::Checker;
use crate::detect::{EvidenceKind, LicenseClaim, Role, Scope};
use crate::diagnostic::RuleId;
use crate::document::{self, Document};
use crate::governing;
use crate::result::DocumentResult;
use crate::rules::policy;
use crate::rules::{LicenseRule, Registry};
use crate::source::{Format, Source, Span};

/// One safe fix for one finding (serialised for the local page: `{"rule", "title", "finding":
/// {"start", "end"}, "edits": [{"range": {"start", "end"}, "text"}]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// The rule whose finding it fixes.
    pub rule: RuleId,
    /// What it does, in a few words ("link CC BY 4.0 to its deed").
    pub title: String,
    /// The primary span of the finding it fixes (`0..0` for a whole-document finding).
    pub finding: Span,
    /// The edits, in the post's text, sorted and not overlapping.
    pub edits: Vec<Edit>,
}

/// Replace the bytes `range` of the post's text with `text` (an empty range inserts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Byte range in the post's (decoded) text.
    pub range: Range<usize>,
    /// What goes there.
    pub text: String,
}

/// Why edits could not be applied.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FixError {
    /// An edit points outside the text or into a character.
    #[error(
        "an edit at bytes {start}..{end} lies outside the text or splits a character; check the post again and take its fixes afresh"
    )]
    OutOfRange {
        /// First byte.
        start: usize,
        /// One past the last byte.
        end: usize,
    },
    /// Two edits overlap.
    #[error(
        "edits at bytes {first:?} and {second:?} overlap; apply one fix at a time and check again in between"
    )]
    Overlap {
        /// The earlier edit's range.
        first: Range<usize>,
        /// The later edit's range.
        second: Range<usize>,
    },
    /// The file's bytes cannot take the edit without changing what it says elsewhere.
    #[error("{0}")]
    Encoding(String),
    /// Checking the post hit a bug in ccguard (a panic); nothing was fixed.
    #[error("{0}")]
    Internal(String),
}

/// The rules whose findings need a person: a post with any of them gets no fix.
const NEEDS_A_PERSON: &[RuleId] = &[
    RuleId::NdAdaptation,
    RuleId::SaRelicensed,
    RuleId::ConflictingNotice,
    RuleId::UpstreamLicenseMismatch,
];

/// The safe fixes for a checked post (its result still holding its text), in the order of its
/// findings; `registry` gives the license deeds.
pub fn fixes(result: &DocumentResult, registry: &Registry) -> Vec<Fix> {
    let diagnostics = &result.diagnostics;
    if result.source.text.is_empty() || diagnostics.iter().any(|d| NEEDS_A_PERSON.contains(&d.rule))
    {
        return Vec::new();
    }
    let post = Post::new(result, registry);
    let mut out: Vec<Fix> = Vec::new();
    let mut credited = false;
    for diagnostic in diagnostics {
        let fix = match diagnostic.rule {
            RuleId::MissingLicenseLink => post.license_link(diagnostic.span),
            RuleId::LicenseVersionMissing => post.license_version(diagnostic.span),
            RuleId::MissingAuthorCredit | RuleId::MissingTitle | RuleId::MissingLicenseNotice
                if !credited =>
            {
                // One credit line answers all three.
                credited = true;
                post.credit_line(diagnostic.rule)
            }
            RuleId::MissingTranslationDisclosure => post.translation_notice(),
            RuleId::MissingMediaCredit => post.media_credit(diagnostic.span),
            _ => None,
        };
        if let Some(mut fix) = fix {
            fix.finding = diagnostic.span;
            out.push(fix);
        }
    }
    out
}

/// Apply edits to `text`: each edit's range is replaced by its text; everything outside the
/// edits stays byte for byte. Edits may come in any order; insertions at one offset keep
/// their order.
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, FixError> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out =
        String::with_capacity(text.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut at = 0;
    let mut previous: Option<&Range<usize>> = None;
    for edit in sorted {
        let Range { start, end } = edit.range;
        if start > end || text.get(start..end).is_none() {
            return Err(FixError::OutOfRange { start, end });
        }
        if let Some(previous) = previous
            && start < previous.end
        {
            return Err(FixError::Overlap {
                first: previous.clone(),
                second: edit.range.clone(),
            });
        }
        out.push_str(&text[at..start]);
        out.push_str(&edit.text);
        at = end;
        previous = Some(&edit.range);
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// What [`fix`] made of a post.
#[derive(Debug)]
pub struct Fixed {
    /// The check of the post as it was.
    pub before: DocumentResult,
    /// The fixes kept, in the order applied.
    pub applied: Vec<Fix>,
    /// The edits of every kept fix, in the original text.
    pub edits: Vec<Edit>,
    /// The fixed text.
    pub text: String,
    /// The check of the fixed text (`before` again when nothing was fixed).
    pub after: Option<DocumentResult>,
}

/// Check `source`, then apply its safe fixes one at a time, keeping a fix only when a re-check
/// shows its finding gone and no finding of a new rule: a fix the facts got wrong is dropped,
/// never written. A bug in ccguard met while checking (a panic) is [`FixError::Internal`].
pub fn fix(checker: &Checker, source: Source) -> Result<Fixed, FixError> {
    crate::check::catch_panic(|| fix_unguarded(checker, source))
        .map_err(|finding| FixError::Internal(finding.message))
}

fn fix_unguarded(checker: &Checker, source: Source) -> Fixed {
    let name = source.name.clone();
    let format = source.format;
    let lossy = source.lossy;
    let before = checker.check_source(source);
    let original = before.source.text.clone();
    let rules_before: BTreeSet<RuleId> = before.diagnostics.iter().map(|d| d.rule).collect();
    let mut applied = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    let mut text = original.clone();
    let mut after = None;
    for candidate in fixes(&before, checker.registry()) {
        let mut trial = edits.clone();
        trial.extend(candidate.edits.iter().cloned());
        let Ok(fixed) = apply(&original, &trial) else {
            continue;
        };
        let mut source = Source::from_text(name.clone(), fixed.clone(), format);
        source.lossy = lossy;
        let result = checker.check_source(source);
        let rules: BTreeSet<RuleId> = result.diagnostics.iter().map(|d| d.rule).collect();
        // A media credit fixes one medium's finding; the rule may still fire for others.
        let left = if candidate.rule == RuleId::MissingMediaCredit {
            let at = shifted(candidate.finding, &trial);
            result
                .diagnostics
                .iter()
                .any(|d| d.rule == candidate.rule && d.span == at)
        } else {
            rules.contains(&candidate.rule)
        };
        if left || !rules.is_subset(&rules_before) {
            continue;
        }
        edits = trial;
        text = fixed;
        after = Some(result);
        applied.push(candidate);
    }
    Fixed {
        before,
        applied,
        edits,
        text,
        after,
    }
}

/// Where `span` of the original text lies once `edits` (of that text) are applied: moved by
/// every edit that ends at or before its start.
fn shifted(span: Span, edits: &[Edit]) -> Span {
    let (grown, shrunk) = edits
        .iter()
        .filter(|e| e.range.end <= span.start)
        .fold((0, 0), |(grown, shrunk), e| {
            (grown + e.text.len(), shrunk + e.range.len())
        });
    Span {
        start: span.start + grown - shrunk,
        end: span.end + grown - shrunk,
    }
}

/// The file `bytes` that were decoded into `source` (by [`Source::from_bytes`]), with `edits`
/// of the decoded text applied: every byte outside the edits is kept (a byte-order mark, line
/// endings, bytes that are not UTF-8). UTF-16 files stay UTF-16. In a file that is not UTF-8,
/// an edit must not touch a character that could not be decoded, and its text must be ASCII
/// (the fixes write other characters as character references there).
pub fn encode(bytes: &[u8], source: &Source, edits: &[Edit]) -> Result<Vec<u8>, FixError> {
    let little = bytes.starts_with(b"\xFF\xFE");
    if little || bytes.starts_with(b"\xFE\xFF") {
        if source.lossy {
            return Err(FixError::Encoding(
                "this UTF-16 file holds bytes that are not UTF-16, which a rewrite would change; fix it by hand or convert it to UTF-8".to_owned(),
            ));
        }
        let text = apply(&source.text, edits)?;
        let mut out = bytes[..2].to_vec();
        for unit in text.encode_utf16() {
            out.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        return Ok(out);
    }
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let body = &bytes[bom..];
    if !source.lossy {
        if body != source.text.as_bytes() {
            return Err(FixError::Encoding(
                "the file changed since it was read; run fix again".to_owned(),
            ));
        }
        let mut out = bytes[..bom].to_vec();
        out.extend_from_slice(apply(&source.text, edits)?.as_bytes());
        return Ok(out);
    }
    // Lossy: map each decoded offset back to the file's bytes, chunk by chunk, as
    // `String::from_utf8_lossy` decoded them (one U+FFFD per invalid sequence).
    let map = LossyMap::new(body);
    if map.text_len != source.text.len() {
        return Err(FixError::Encoding(
            "the file changed since it was read; run fix again".to_owned(),
        ));
    }
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = bytes[..bom].to_vec();
    let mut at = 0;
    for edit in sorted {
        if !edit.text.is_ascii() {
            return Err(FixError::Encoding(
                "this file is not UTF-8, and the fix would write characters beyond ASCII into it; fix it by hand or convert the file to UTF-8".to_owned(),
            ));
        }
        let (Some(start), Some(end)) = (map.byte(edit.range.start), map.byte(edit.range.end))
        else {
            return Err(FixError::Encoding(
                "the fix would touch a character of this file that is not UTF-8; fix it by hand"
                    .to_owned(),
            ));
        };
        if start < at || end < start {
            return Err(FixError::Overlap {
                first: edit.range.clone(),
                second: edit.range.clone(),
            });
        }
        out.extend_from_slice(&body[at..start]);
        out.extend_from_slice(edit.text.as_bytes());
        at = end;
    }
    out.extend_from_slice(&body[at..]);
    Ok(out)
}

/// Decoded offset → byte offset for a file decoded lossily.
struct LossyMap {
    /// (text start, byte start, text length, byte length, replaced) per stretch.
    stretches: Vec<(usize, usize, usize, usize, bool)>,
    text_len: usize,
}

impl LossyMap {
    fn new(bytes: &[u8]) -> LossyMap {
        let mut stretches = Vec::new();
        let (mut text, mut byte) = (0, 0);
        for chunk in bytes.utf8_chunks() {
            let valid = chunk.valid().len();
            stretches.push((text, byte, valid, valid, false));
            text += valid;
            byte += valid;
            let invalid = chunk.invalid().len();
            if invalid > 0 {
                stretches.push((text, byte, '\u{FFFD}'.len_utf8(), invalid, true));
                text += '\u{FFFD}'.len_utf8();
                byte += invalid;
            }
        }
        LossyMap {
            stretches,
            text_len: text,
        }
    }

    /// The byte offset of decoded offset `offset`; `None` inside a replaced character.
    fn byte(&self, offset: usize) -> Option<usize> {
        if offset == self.text_len {
            return Some(self.stretches.last().map_or(0, |s| s.1 + s.3));
        }
        let at = self.stretches.partition_point(|s| s.0 + s.2 <= offset);
        let &(text, byte, _, _, replaced) = self.stretches.get(at)?;
        match offset - text {
            0 => Some(byte),
            _ if replaced => None,
            inside => Some(byte + inside),
        }
    }
}

/// A checked post and what the fixes read from it.
struct Post<'a> {
    result: &'a DocumentResult,
    registry: &'a Registry,
    document: Document,
    text: &'a str,
    format: Format,
    /// Write characters beyond ASCII as character references (a file not in UTF-8).
    ascii: bool,
    /// The line ending the file uses.
    eol: &'static str,
}

impl<'a> Post<'a> {
    fn new(result: &'a DocumentResult, registry: &'a Registry) -> Post<'a> {
        let source = &result.source;
        let text = source.text.as_str();
        Post {
            result,
            registry,
            document: document::extract(source),
            text,
            format: source.format,
            ascii: source.lossy || declares_legacy_charset(source),
            eol: match text.find('\n') {
                Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
                _ => "\n",
            },
        }
    }

    /// The unlinked claim in the post's text at `span`, with a version or without one.
    fn unlinked_claim(&self, span: Span, versioned: bool) -> Option<&LicenseClaim> {
        self.result.facts.licenses.iter().find(|c| {
            c.evidence.span == span
                && c.evidence.kind == EvidenceKind::Text
                && c.scope == Scope::Text
                && !c.linked
                && c.version.is_some() == versioned
        })
    }

    /// `missing-license-link`: wrap the unlinked claim at `span` in a link to its exact deed.
    fn license_link(&self, span: Span) -> Option<Fix> {
        let claim = self.unlinked_claim(span, true)?;
        let governing = governing::resolve(claim, self.registry);
        let rule = governing.rule.filter(|_| !governing.ported)?;
        let edits = self.link(span, rule)?;
        Some(Fix {
            rule: RuleId::MissingLicenseLink,
            title: format!("link {} to its deed", short_name(rule)),
            finding: span,
            edits,
        })
    }

    /// `license-version-missing`: add the version a verified original or a publisher's policy
    /// gives (same family only), and link the deed.
    fn license_version(&self, span: Span) -> Option<Fix> {
        // A linked claim links a page without the version: rewriting its target is for a
        // person to decide.
        let claim = self.unlinked_claim(span, false)?;
        let code = claim.code.as_deref()?;
        let rule = self.known_license()?;
        if canonical(&rule.code) != canonical(code) || claim.jurisdiction != rule.jurisdiction {
            return None;
        }
        let version = rule.version.as_deref()?;
        let slice = self.text.get(span.start..span.end)?;
        // "CC BY-NC" → "CC BY-NC 4.0"; "Creative Commons Attribution License" → "… 4.0
        // License".
        let insert_at = match slice.rfind(|c: char| c.is_whitespace()) {
            Some(i) if slice[i..].trim().eq_ignore_ascii_case("license") => span.start + i,
            _ => span.end,
        };
        let mut edits = self.link(span, rule)?;
        let version_edit = Edit {
            range: insert_at..insert_at,
            text: format!(" {version}"),
        };
        match edits.last_mut() {
            // The version goes inside the link text, before the closing markup.
            Some(last) if insert_at == span.end => last.text.insert_str(0, &version_edit.text),
            _ => edits.push(version_edit),
        }
        edits.sort_by_key(|e| e.range.start);
        Some(Fix {
            rule: RuleId::LicenseVersionMissing,
            title: format!("name it {}", short_name(rule)),
            finding: span,
            edits,
        })
    }

    /// The credit line after the article body, when title, author, source and license are known.
    fn credit_line(&self, rule_id: RuleId) -> Option<Fix> {
        let facts = &self.result.facts;
        let original = self.result.upstream.iter().find_map(|u| u.original());
        let rule = self.exact_license()?;
        let attribution = Attribution {
            // The verified original's own title first: a repost may be retitled.
            title: original
                .and_then(|o| o.title.clone())
                .or_else(|| facts.title.as_ref().map(|t| t.text.clone())),
            author: facts.credited(Role::Author).or_else(|| {
                original
                    .filter(|o| !o.authors.is_empty())
                    .map(|o| o.authors.join(", "))
            }),
            source: facts
                .sources
                .iter()
                .map(|s| s.url.trim())
                .find(|u| is_web_url(u))
                .map(str::to_owned),
            license_name: Some(short_name(rule)),
            license_url: Some(rule.url.clone()).filter(|u| is_web_url(u)),
            translated_from: None,
            translator: None,
        };
        if attribution.title.is_none()
            || attribution.author.is_none()
            || attribution.source.is_none()
            || attribution.license_url.is_none()
            || [&attribution.title, &attribution.author]
                .iter()
                .any(|f| f.as_deref().is_some_and(|t| t.contains('\u{FFFD}')))
        {
            return None;
        }
        let line = match self.format {
            Format::Markdown => attribution.markdown(),
            Format::Html => attribution.html(),
        };
        Some(Fix {
            rule: rule_id,
            title: "add the credit line (title, author, source, license)".to_owned(),
            finding: Span::default(),
            edits: vec![self.after_body(&line)],
        })
    }

    /// `missing-media-credit`: the credit line of the medium at `span` from what its source
    /// states (creator and CC license, read online), directly after it; only for a medium with
    /// no caption (one with a caption is for a person to complete) whose element can take a
    /// line after it without splitting a paragraph.
    fn media_credit(&self, span: Span) -> Option<Fix> {
        let medium = self.result.facts.media.iter().find(|m| m.span == span)?;
        let crate::detect::media::SourceCheck::Read(facts) = &medium.checked else {
            return None;
        };
        if medium.caption.is_some() || medium.license.is_some() || medium.agency.is_some() {
            return None;
        }
        let creator = facts.artist.as_deref()?.trim();
        let rule = self.registry.find(
            facts.code.as_deref()?,
            facts.version.as_deref()?,
            facts.jurisdiction.as_deref(),
        )?;
        if creator.is_empty() || creator.contains('\u{FFFD}') || !is_web_url(&rule.url) {
            return None;
        }
        let source = [facts.page.as_deref(), medium.source.as_deref()]
            .into_iter()
            .flatten()
            .find(|u| is_web_url(u))
            .map(str::to_owned);
        // The file's name: a Commons thumbnail's (`640px-Harbour.jpg`) is its file's.
        let file = crate::verify::commons_title(&medium.url).or_else(|| {
            let path = medium.url.split(['?', '#']).next().unwrap_or_default();
            path.rsplit('/').next().map(str::to_owned)
        });
        let title = file
            .filter(|name| name.contains('.'))
            .map(|name| {
                percent_encoding::percent_decode_str(&name)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .filter(|name| !name.contains(['\u{FFFD}', '\n', '\r']));
        let credit = MediaCredit {
            label: match medium.kind {
                crate::detect::media::MediaKind::Image => "Photo",
                crate::detect::media::MediaKind::Video | crate::detect::media::MediaKind::Embed => {
                    "Video"
                }
                crate::detect::media::MediaKind::Audio => "Audio",
            }
            .to_owned(),
            creator: creator.to_owned(),
            // A Flickr photo's static URL names no title: its page gives it.
            title: facts.title.clone().or(title),
            source,
            license_name: short_name(rule),
            license_url: Some(rule.url.clone()),
            via: medium.host.clone(),
        };
        let edit = self.after_medium(span, &credit)?;
        Some(Fix {
            rule: RuleId::MissingMediaCredit,
            title: format!("credit it: {}", credit.text()),
            finding: span,
            edits: vec![edit],
        })
    }

    /// The edit that puts `credit` directly after the medium at `span`: in Markdown, on the
    /// next line when the medium stands alone on its line; in HTML, as the `<figcaption>` of
    /// the figure it ends, or as a paragraph after the paragraph it ends.
    fn after_medium(&self, span: Span, credit: &MediaCredit) -> Option<Edit> {
        let eol = self.eol;
        let after = self.text.get(span.end..)?;
        match self.format {
            Format::Markdown => {
                let line_start = self.text[..span.start].rfind('\n').map_or(0, |i| i + 1);
                let rest_of_line = after.split('\n').next().unwrap_or_default();
                if !self.text[line_start..span.start].trim().is_empty()
                    || !rest_of_line.trim().is_empty()
                {
                    return None;
                }
                Some(Edit {
                    range: span.end..span.end,
                    text: format!("{eol}{}", self.written(&credit.markdown())),
                })
            }
            Format::Html => {
                // Past a link around the image (Flickr's embed code wraps it in one).
                let mut at = span.end;
                let skip_ws =
                    |at: usize| at + self.text[at..].len() - self.text[at..].trim_start().len();
                let next = skip_ws(at);
                if self.text[next..].to_ascii_lowercase().starts_with("</a>") {
                    at = next + "</a>".len();
                }
                let next = skip_ws(at);
                let rest = self.text[next..].to_ascii_lowercase();
                if rest.starts_with("</figure>") {
                    Some(Edit {
                        range: at..at,
                        text: format!("<figcaption>{}</figcaption>", self.written(&credit.html())),
                    })
                } else if rest.starts_with("</p>") {
                    let end = next + "</p>".len();
                    // Indented like the paragraph it follows.
                    let line_start = self.text[..span.start].rfind('\n').map_or(0, |i| i + 1);
                    let indent: String = self.text[line_start..]
                        .chars()
                        .take_while(|c| *c == ' ' || *c == '\t')
                        .collect();
                    Some(Edit {
                        range: end..end,
                        text: format!("{eol}{indent}<p>{}</p>", self.written(&credit.html())),
                    })
                } else {
                    None
                }
            }
        }
    }

    /// "Translated from the Spanish." after the article body, when the original's language is
    /// known.
    fn translation_notice(&self) -> Option<Fix> {
        let code = self.result.facts.adaptation.from_language.as_deref()?;
        let language = language_name(code);
        // An unknown code would be printed as is ("Translated from the xx."): not worth writing.
        if language == code {
            return None;
        }
        let notice = format!("Translated from the {language}.");
        let block = match self.format {
            Format::Markdown => notice.clone(),
            Format::Html => format!("<p>{notice}</p>"),
        };
        Some(Fix {
            rule: RuleId::MissingTranslationDisclosure,
            title: format!("say it is translated from the {language}"),
            finding: Span::default(),
            edits: vec![self.after_body(&block)],
        })
    }

    /// The license every fact agrees on, with its version: the post's own resolved claim; for
    /// a claim without a version, the verified original's or the publisher policy's license of
    /// the same family; with no claim, that license.
    fn exact_license(&self) -> Option<&'a LicenseRule> {
        let Some(own) = governing::choose(&self.result.facts, self.registry) else {
            return self.known_license();
        };
        if own.claim.version.is_some() {
            return own.rule.filter(|_| !own.ported);
        }
        let code = own.claim.code.as_deref()?;
        self.known_license()
            .filter(|rule| canonical(&rule.code) == canonical(code))
    }

    /// The original's license as a verified original or a publisher's policy states it.
    fn known_license(&self) -> Option<&'a LicenseRule> {
        if let Some(upstream) = crate::verify::governing(&self.result.upstream, self.registry) {
            return upstream.rule.filter(|_| !upstream.ported);
        }
        self.result.facts.sources.iter().find_map(|link| {
            let policy = self.registry.policy_for(&link.url)?;
            policy::resolve_id(self.registry, &policy.license)
        })
    }

    /// The edits that link the text at `span` to `rule`'s deed, in the markup around it; `None` when the text holds markup of its own or sits in
    /// a link already.
    fn link(&self, span: Span, rule: &LicenseRule) -> Option<Vec<Edit>> {
        let slice = self.text.get(span.start..span.end)?;
        if slice.trim().is_empty()
            || !is_web_url(&rule.url)
            || self
                .document
                .links
                .iter()
                .any(|l| l.span.start < span.end && span.start < l.span.end)
        {
            return None;
        }
        let line_start = self.text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let html =
            self.format == Format::Html || self.text[line_start..].trim_start().starts_with('<');
        let (open, close) = if html {
            if slice.contains(['<', '>']) {
                return None;
            }
            (
                format!("<a href=\"{}\" rel=\"license\">", attribute(&rule.url)),
                "</a>".to_owned(),
            )
        } else {
            if slice.contains(['[', ']', '`', '<', '>', '\\']) {
                return None;
            }
            ("[".to_owned(), format!("]({})", destination(&rule.url)))
        };
        Some(vec![
            Edit {
                range: span.start..span.start,
                text: open,
            },
            Edit {
                range: span.end..span.end,
                text: self.written(&close),
            },
        ])
    }

    /// An insertion of `block` (a paragraph of the post's markup) after the article body: in
    /// HTML before the article (else main, body, html) closes, on a line of its own; in Markdown
    /// at the end, after a blank line.
    fn after_body(&self, block: &str) -> Edit {
        let block = self.written(block);
        let eol = self.eol;
        let text = self.text;
        match self.format {
            Format::Markdown => {
                let insert = if text.ends_with(&format!("{eol}{eol}")) || text.is_empty() {
                    format!("{block}{eol}")
                } else if text.ends_with('\n') {
                    format!("{eol}{block}{eol}")
                } else {
                    format!("{eol}{eol}{block}")
                };
                Edit {
                    range: text.len()..text.len(),
                    text: insert,
                }
            }
            Format::Html => {
                let anchor = self.notice_end();
                let closes = closing_tags(text);
                let find = |name: &str, after: usize| {
                    closes
                        .iter()
                        .filter(|(n, at)| *n == name && *at >= after)
                        .map(|(_, at)| *at)
                        .next()
                };
                let last = |name: &str| {
                    closes
                        .iter()
                        .filter(|(n, _)| *n == name)
                        .map(|(_, at)| *at)
                        .next_back()
                };
                let at = find("article", anchor)
                    .or_else(|| find("main", anchor))
                    .or_else(|| last("body"))
                    .or_else(|| last("html"));
                let Some(at) = at else {
                    let insert = if text.is_empty() || text.ends_with('\n') {
                        format!("{block}{eol}")
                    } else {
                        format!("{eol}{block}{eol}")
                    };
                    return Edit {
                        range: text.len()..text.len(),
                        text: insert,
                    };
                };
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let indent = &text[line_start..at];
                if indent.chars().all(|c| c == ' ' || c == '\t') {
                    let step = if indent.contains('\t') { "\t" } else { "  " };
                    Edit {
                        range: line_start..line_start,
                        text: format!("{indent}{step}{block}{eol}"),
                    }
                } else {
                    Edit {
                        range: at..at,
                        text: block,
                    }
                }
            }
        }
    }

    /// Where the post's notice area ends: the furthest license claim, credit or source link in
    /// the text (the article that holds them is the one to close the credit into).
    fn notice_end(&self) -> usize {
        let facts = &self.result.facts;
        facts
            .licenses
            .iter()
            .filter(|c| c.scope == Scope::Text)
            .map(|c| c.evidence.span.end)
            .chain(facts.credits.iter().map(|c| c.evidence.span.end))
            .chain(facts.sources.iter().map(|s| s.evidence.span.end))
            .chain(facts.title.iter().map(|t| t.span.end))
            .max()
            .unwrap_or(0)
    }

    /// `text` as this file can hold it: characters beyond ASCII as numeric character
    /// references in a file that is not UTF-8 (HTML and CommonMark both read them).
    fn written(&self, text: &str) -> String {
        if !self.ascii || text.is_ascii() {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                // Writing to a String cannot fail.
                let _ = write!(out, "&#{};", u32::from(c));
            }
        }
        out
    }
}

/// `by-nd-nc` is CC's old spelling of `by-nc-nd`.
fn canonical(code: &str) -> &str {
    if code == "by-nd-nc" { "by-nc-nd" } else { code }
}

/// True when an HTML page declares a charset other than UTF-8 in its head (`<meta charset>`
/// or `http-equiv`): text written into it must then be ASCII.
fn declares_legacy_charset(source: &Source) -> bool {
    if source.format != Format::Html {
        return false;
    }
    let head: String = source
        .text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    let Some(at) = head.find("charset=") else {
        return false;
    };
    let value: String = head[at + "charset=".len()..]
        .trim_start_matches(['"', '\'', ' '])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    !matches!(value.as_str(), "utf-8" | "utf8" | "")
}

/// Where elements close in an HTML text: (lowercased name, offset of `</`), in source order,
/// skipping comments, scripts, styles and other raw text.
fn closing_tags(text: &str) -> Vec<(String, usize)> {
    let bytes = text.as_bytes();
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let i = at + found;
        let rest = &lower[i..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(text.len(), |end| i + end + 3);
            continue;
        }
        let raw = ["script", "style", "textarea", "title", "template", "xmp"]
            .into_iter()
            .find(|name| {
                rest.get(1..=name.len()) == Some(name)
                    && rest[1 + name.len()..].starts_with(|c: char| c == '>' || c.is_whitespace())
            });
        if let Some(name) = raw {
            let close = format!("</{name}");
            at = rest
                .find(&close)
                .map_or(text.len(), |end| i + end + close.len());
            continue;
        }
        if let Some(name) = rest.strip_prefix("</") {
            let name: String = name
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if !name.is_empty() {
                out.push((name, i));
            }
        }
        at = i + 1;
    }
    out
}

/// A URL as a double-quoted HTML attribute value.
fn attribute(url: &str) -> String {
    url.replace('&', "&amp;").replace('"', "&quot;")
}

/// A URL as a Markdown link destination.
fn destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if matches!(c, '(' | ')' | '<' | '>' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: Range<usize>, text: &str) -> Edit {
        Edit {
            range,
            text: text.to_owned(),
        }
    }

    #[test]
    fn apply_keeps_everything_outside_the_edits() {
        let text = "a\r\nCC BY 4.0\r\nz";
        let fixed = apply(text, &[edit(12..12, "](u)"), edit(3..3, "[")]).expect("apply");
        assert_eq!(fixed, "a\r\n[CC BY 4.0](u)\r\nz");
        assert_eq!(
            apply(text, &[edit(3..3, "1"), edit(3..3, "2")]).expect("apply"),
            "a\r\n12CC BY 4.0\r\nz"
        );
    }

    #[test]
    fn a_fix_serialises_with_byte_ranges() {
        let fix = Fix {
            rule: RuleId::MissingLicenseLink,
            title: "link".to_owned(),
            finding: Span::new(3, 12),
            edits: vec![edit(3..3, "[")],
        };
        assert_eq!(
            serde_json::to_string(&fix).expect("json"),
            r#"{"rule":"missing-license-link","title":"link","finding":{"start":3,"end":12},"edits":[{"range":{"start":3,"end":3},"text":"["}]}"#
        );
    }

    #[test]
    fn apply_refuses_overlaps_and_bad_ranges() {
        assert_eq!(
            apply("abc", &[edit(0..2, "x"), edit(1..3, "y")]),
            Err(FixError::Overlap {
                first: 0..2,
                second: 1..3
            })
        );
        assert_eq!(
            apply("é", &[edit(1..1, "x")]),
            Err(FixError::OutOfRange { start: 1, end: 1 })
        );
        assert!(apply("abc", &[edit(2..9, "x")]).is_err());
    }

    #[test]
    fn encode_keeps_bytes_that_are_not_utf8() {
        let bytes = b"caf\xe9 <p>CC BY 4.0</p>";
        let source = Source::from_bytes("a.html", bytes, Format::Html);
        let at = source.text.find("CC").expect("claim");
        let out = encode(bytes, &source, &[edit(at..at, "[x]")]).expect("encode");
        assert_eq!(out, b"caf\xe9 <p>[x]CC BY 4.0</p>");
        // Not into a character that could not be decoded, nor beyond ASCII.
        assert!(encode(bytes, &source, &[edit(4..4, "x")]).is_err());
        assert!(encode(bytes, &source, &[edit(at..at, "é")]).is_err());
    }

    #[test]
    fn encode_keeps_a_bom_and_utf16() {
        let bom = b"\xEF\xBB\xBFab";
        let source = Source::from_bytes("a.md", bom, Format::Markdown);
        assert_eq!(
            encode(bom, &source, &[edit(1..1, "x")]).expect("encode"),
            b"\xEF\xBB\xBFaxb"
        );
        let utf16 = b"\xFF\xFEa\x00b\x00";
        let source = Source::from_bytes("a.md", utf16, Format::Markdown);
        assert_eq!(
            encode(utf16, &source, &[edit(1..1, "é")]).expect("encode"),
            b"\xFF\xFEa\x00\xe9\x00b\x00"
        );
    }

    /// The rules a post breaks and its fixes.
    fn fixes_of(name: &str, text: &str) -> (Vec<RuleId>, Vec<Fix>) {
        use std::sync::OnceLock;
        static CHECKER: OnceLock<Checker> = OnceLock::new();
        let checker = CHECKER.get_or_init(|| {
            Checker::new(crate::rules::load::bundled().expect("bundled rules")).offline()
        });
        let format = Format::of_name(name);
        let result = checker.check_source(Source::from_text(name, text, format));
        let rules = result.diagnostics.iter().map(|d| d.rule).collect();
        (rules, fixes(&result, checker.registry()))
    }

    const REPOST: &str =
        "By Ana Ruiz. Originally published at [The Harbour Review](https://example.org/story).\n\n";

    #[test]
    fn an_html_line_in_markdown_gets_an_html_link() {
        let text = format!("{REPOST}<p>Licensed under CC BY 4.0.</p>\n");
        let (rules, fixes) = fixes_of("a.md", &text);
        assert_eq!(rules, [RuleId::MissingLicenseLink]);
        assert_eq!(fixes.len(), 1, "{fixes:?}");
        assert_eq!(
            apply(&text, &fixes[0].edits).expect("apply"),
            format!(
                "{REPOST}<p>Licensed under <a href=\"https://creativecommons.org/licenses/by/4.0/\" rel=\"license\">CC BY 4.0</a>.</p>\n"
            )
        );
    }

    #[test]
    fn a_claim_inside_another_link_is_not_wrapped_in_a_second_link() {
        let text =
            format!("{REPOST}Licensed under [CC BY 4.0](https://example.org/our-license-page).\n");
        let (rules, fixes) = fixes_of("a.md", &text);
        assert_eq!(rules, [RuleId::MissingLicenseLink]);
        assert!(fixes.is_empty(), "{fixes:?}");
    }

    #[test]
    fn closing_tags_skip_comments_and_scripts() {
        let html = "<main><!-- </main> --><script>x='</main>'</script></MAIN></body>";
        let tags = closing_tags(html);
        assert_eq!(
            tags,
            vec![
                ("main".to_owned(), html.find("</MAIN").expect("main")),
                ("body".to_owned(), html.find("</body").expect("body")),
            ]
        );
    }

    #[test]
    fn spans_move_by_the_edits_before_them_only() {
        let edits = [
            Edit {
                range: 2..4,
                text: "abcdef".into(),
            },
            Edit {
                range: 10..10,
                text: "xy".into(),
            },
            Edit {
                range: 30..30,
                text: "zzz".into(),
            },
        ];
        assert_eq!(
            shifted(Span { start: 10, end: 20 }, &edits),
            Span { start: 16, end: 26 }
        );
        assert_eq!(
            shifted(Span { start: 1, end: 2 }, &edits),
            Span { start: 1, end: 2 }
        );
    }
}
