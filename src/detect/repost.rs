//! Whether a post republishes someone else's work, and whether it rests on permission.
//!
//! Signals (per the check semantics): any credit to an author, translator or outlet other than
//! one of the site's own accounts (a byline linked to a person's page on the site itself), any
//! source link (cross-domain canonical included), a translation (disclosed or inferred),
//! wording such as "originally published", "republished from", "reprinted", "via:",
//! "source:", "转载自", "转自", "[转]", and front-matter source fields even when their value is
//! a slug rather than a URL. A site's reprint policy ("转载本站文章请注明出处") is not a signal:
//! only "转载自/于" and "本文转载" are.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, Context, Document, MetaOrigin};
use crate::rules::cues::Family;
use crate::source::Span;

use super::cue;
use super::gated::{Gated, Gates};
use super::text::{block_evidence, mentions_images, sentence_before};
use super::{Credit, Evidence, EvidenceKind, Facts, Role};

/// Repost wording in every language (cue family `repost`), case-insensitive.
static REPOST_WORDS: LazyLock<Gated> =
    LazyLock::new(|| Gated::new(&format!("(?i){}", cue::alternation(Family::Repost))));

/// "source:" as a label (cue family `source-label`); photo-agency credits ("Source: Getty Images") are excluded by caller.
static SOURCE_LABEL: LazyLock<Gated> = LazyLock::new(|| {
    Gated::new(&format!(
        r"(?i)\b(?:{})\s*[:：]\s*{LABEL_REST}",
        cue::alternation(Family::SourceLabel)
    ))
});

/// What follows a source label (a gate need not read it).
const LABEL_REST: &str = r"(?P<rest>[^\n]{0,30})";

static PHOTO_AGENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:getty|shutterstock|ap\b|reuters|afp|flickr|wikimedia|unsplash|pexels|istock|pixabay|epa\b|alamy)")
        .expect("valid regex")
});

/// Front-matter keys that mark a repost whatever their value.
const SOURCE_KEYS: &[&str] = &[
    "source",
    "source_url",
    "original",
    "original_url",
    "originalurl",
    "via",
    "canonical_url",
    "translation_of",
    "translated_from",
];

/// "Republished with permission" in every language (cue family `permission`),
/// case-insensitive. A translator's permission counts only as a label or beside a verb of
/// translating, so that "未经翻译许可" or a user's permission to collect data is none.
static PERMISSION: LazyLock<Gated> =
    LazyLock::new(|| Gated::new(&format!("(?i){}", cue::alternation(Family::Permission))));

/// The index of [`REPOST_WORDS`]' gate in [`gates`].
const WORDS_GATE: usize = 0;
/// The index of [`SOURCE_LABEL`]'s gate in [`gates`].
const LABEL_GATE: usize = 1;
/// The index of [`PERMISSION`]'s gate in [`gates`].
const PERMISSION_GATE: usize = 2;

/// The gates of [`REPOST_WORDS`], [`SOURCE_LABEL`] and [`PERMISSION`], for a
/// [`super::gated::Finder`] over a post's prose: one pass finds the blocks where they may match
/// (a block-by-block search, or a literal pre-check per block, read every block twice and paid
/// a search's setup per block). The label's gate stops after the label.
pub(crate) fn gates() -> Vec<String> {
    vec![
        REPOST_WORDS.line_gate(),
        SOURCE_LABEL.line_gate().replace(LABEL_REST, ""),
        PERMISSION.line_gate(),
    ]
}

/// True when the post shows a repost signal other than a credit to one of `own_authors` (the
/// site's own, compared without regard to case or spacing). A license claim alone is none:
/// a site's own post under CC BY is an original.
pub fn shows_repost(facts: &Facts, own_authors: &[String]) -> bool {
    let own: Vec<String> = own_authors.iter().map(|a| name_key(a)).collect();
    let own_credits: Vec<Span> = facts
        .credits
        .iter()
        .filter(|c| matches!(c.role, Role::Author | Role::Publisher))
        .filter(|c| own.contains(&name_key(&c.name)))
        .map(|c| c.evidence.span)
        .collect();
    facts
        .repost_signals
        .iter()
        .any(|s| !own_credits.contains(&s.span))
}

/// A name as compared with the configured authors: lowercase, single-spaced, no leading `@`.
fn name_key(name: &str) -> String {
    name.trim()
        .trim_start_matches('@')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The signals that make this post a repost, in source order.
pub fn signals(doc: &Document, facts: &Facts) -> Vec<Evidence> {
    let scan = super::gate_scan(doc);
    signals_in(doc, facts, scan.part(super::Part::Repost))
}

/// [`signals`], given the prose blocks where the wording's and the label's [`gates`] match.
pub(crate) fn signals_in(doc: &Document, facts: &Facts, gates: Gates) -> Vec<Evidence> {
    let credits: Vec<&Credit> = facts
        .credits
        .iter()
        .filter(|c| matches!(c.role, Role::Author | Role::Translator | Role::Publisher))
        // A page's own authorship metadata (front matter, `<meta name=author>`, JSON-LD) names
        // who wrote *this* post; only a credit in the text or CC attribution markup points at
        // another author.
        .filter(|c| {
            !matches!(
                c.evidence.kind,
                EvidenceKind::FrontMatter | EvidenceKind::Meta | EvidenceKind::JsonLd
            )
        })
        .collect();
    // So does a byline naming one of the site's own accounts (linked to a person's page on
    // the page's own site): CONTRACT §3 counts credits to others than the site's own.
    let accounts = if credits.is_empty() {
        Vec::new()
    } else {
        super::credit::site_accounts(doc)
    };
    let mut out: Vec<Evidence> = credits
        .into_iter()
        .filter(|c| !accounts.contains(&name_key(&c.name)))
        .map(|c| c.evidence.clone())
        .collect();
    out.extend(facts.sources.iter().map(|s| s.evidence.clone()));
    // Published with the rights holder's permission: someone else's work by definition.
    out.extend(facts.permission.iter().cloned());
    if facts.adaptation.translated {
        out.extend(facts.adaptation.disclosures.iter().take(1).cloned());
        out.extend(facts.adaptation.inferred.iter().take(1).cloned());
    }
    for (block, open) in gates.blocks() {
        if open.contains(WORDS_GATE) && block.context != Context::Chrome {
            out.extend(
                REPOST_WORDS
                    .find_iter(&block.text)
                    .map(|m| block_evidence(block, m.start(), m.end(), EvidenceKind::Text)),
            );
        }
    }
    for (block, open) in gates.blocks() {
        if open.contains(LABEL_GATE) && block.context != Context::Caption {
            out.extend(source_labels(block));
        }
    }
    out.extend(
        doc.meta
            .iter()
            .filter(|m| {
                m.origin == MetaOrigin::FrontMatter
                    && SOURCE_KEYS.contains(&m.key.as_str())
                    && !m.value.trim().is_empty()
            })
            .map(|m| Evidence {
                kind: EvidenceKind::FrontMatter,
                span: m.span,
                text: m.value.trim().to_owned(),
            }),
    );
    out.sort_by_key(|e| (e.span.start, e.span.end));
    out.dedup_by_key(|e| e.span);
    out
}

/// The "source:" labels in one block, photo-agency credits left out.
fn source_labels(block: &Block) -> impl Iterator<Item = Evidence> + '_ {
    SOURCE_LABEL
        .captures_iter(&block.text)
        .filter_map(move |c| {
            let whole = c.get(0)?;
            let rest = c.name("rest").map_or("", |r| r.as_str());
            (!PHOTO_AGENCY.is_match(rest) && !rest.trim().is_empty()).then(|| {
                let label_end = whole.start() + whole.as_str().len() - rest.len();
                block_evidence(block, whole.start(), label_end, EvidenceKind::Text)
            })
        })
}

/// Characters before `经…授权` that turn it into a requirement or a refusal ("未经", "须经").
const NOT_GRANTED: &[char] = &['未', '非', '须', '需', '应', '得'];

/// Verbs of publishing a text: an authorisation is a reprint permission only beside one.
const PUBLISHING: &[&str] = &[
    "转载", "改编", "翻译", "译", "发布", "发表", "刊登", "转发", "刊发", "收录",
];

/// A bare Chinese authorisation ("经…授权", "获得…授权", "已获授权") is a permission for this
/// post only when its clause names publishing ("经授权转载", "已获得转载授权", "经授权后改编")
/// and does not ask for it ("转载请联系作者获得授权"): users, certificates, tokens and software
/// components are "authorised" too. Other matches name publishing themselves.
fn grants_publishing(text: &str, start: usize, end: usize) -> bool {
    let matched = &text[start..end];
    if !matched.contains('授') || matched.contains("转载") {
        return true;
    }
    let stops = ['，', '。', '；', '！', '？', ',', ';', '\n', '：', ':'];
    let from = text[..start].rfind(stops).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let to = text[end..].find(stops).map_or(text.len(), |i| end + i);
    let clause = &text[from..to];
    PUBLISHING.iter().any(|v| clause.contains(v)) && !text[from..start].contains('请')
}

/// "Republished with permission" and the like (the first one).
pub fn permission(doc: &Document) -> Option<Evidence> {
    let scan = super::gate_scan(doc);
    permission_in(scan.part(super::Part::Repost))
}

/// [`permission`], given the prose blocks where this detector's [`gates`] match.
pub(crate) fn permission_in(gates: Gates) -> Option<Evidence> {
    // Site chrome (comment threads, sidebars) speaks for readers, not for this post.
    gates
        .blocks()
        .filter(|(b, open)| b.context != Context::Chrome && open.contains(PERMISSION_GATE))
        .find_map(|(block, _)| {
            PERMISSION
                .find_iter(&block.text)
                .find(|m| {
                    !block.text[..m.start()].ends_with(NOT_GRANTED)
                        && !mentions_images(sentence_before(&block.text, m.start()))
                        && grants_publishing(&block.text, m.start(), m.end())
                })
                .map(|m| block_evidence(block, m.start(), m.end(), EvidenceKind::Text))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_of(text: &str) -> Document {
        Document::one_block(text, 0, Context::Body)
    }

    fn signal_texts(text: &str) -> Vec<String> {
        let doc = doc_of(text);
        signals(&doc, &Facts::default())
            .into_iter()
            .map(|e| text[e.span.start..e.span.end].to_owned())
            .collect()
    }

    /// Repost wording in site chrome (a comment thread's pingbacks from blogs that reposted
    /// this post) is no signal for the post itself.
    #[test]
    fn wording_in_chrome_is_no_signal() {
        let text = "Pingback: 【转】Reading tide tables via Harbour Notes";
        let doc = Document::one_block(text, 0, Context::Chrome);
        assert!(signals(&doc, &Facts::default()).is_empty());
        assert_eq!(signal_texts(text), ["【转】"]);
    }

    #[test]
    fn wording_signals() {
        assert_eq!(
            signal_texts("This article was originally published on FEE."),
            ["originally published"]
        );
        assert_eq!(signal_texts("下面的文章转自Todd Wei"), ["转自"]);
        assert_eq!(signal_texts("Source: The Guardian"), ["Source: "]);
        assert_eq!(signal_texts("via: https://x.org/a"), ["via:"]);
    }

    #[test]
    fn reprint_policies_and_photo_sources_are_not_signals() {
        assert!(
            signal_texts(
                "（转载本站文章请注明作者和出处 酷 壳 – CoolShell ，请勿用于任何商业用途）"
            )
            .is_empty()
        );
        assert!(signal_texts("Source: Getty Images").is_empty());
        assert!(signal_texts("We travelled via Paris to Rome.").is_empty());
    }

    #[test]
    fn front_matter_slug_counts() {
        let mut doc = Document::default();
        doc.meta.push(crate::document::Meta {
            key: "translation_of".into(),
            value: "some-slug".into(),
            span: Span::new(4, 13),
            origin: MetaOrigin::FrontMatter,
        });
        let got = signals(&doc, &Facts::default());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].span, Span::new(4, 13));
    }

    /// Whether the shared gate scan lets a one-block document with `text` through for gate
    /// `gate` of this detector.
    fn found_by(gate: usize, text: &str) -> bool {
        let doc = doc_of(text);
        let scan = crate::detect::gate_scan(&doc);
        scan.part(crate::detect::Part::Repost).any(gate)
    }

    /// A pattern, the check that guards it, and texts holding each of its alternatives.
    type Guarded<'a> = (&'a Gated, &'a dyn Fn(&str) -> bool, &'a [&'a str]);

    /// Every alternative of the patterns is let through by the check that guards it.
    #[test]
    fn prechecks_cover_every_alternative() {
        let words = |t: &str| found_by(WORDS_GATE, t);
        let labels = |t: &str| found_by(LABEL_GATE, t);
        let permission = |t: &str| found_by(PERMISSION_GATE, t);
        let cases: [Guarded; 3] = [
            (
                &REPOST_WORDS,
                &words,
                &[
                    "Originally posted",
                    "first appeared",
                    "appeared first",
                    "REPUBLISHED from",
                    "reprinted by",
                    "translated from",
                    "via: x",
                    "via x",
                    "(via x)",
                    "publicado originalmente",
                    "traducido del",
                    "publié à l’origine",
                    "traduit de",
                    "ursprünglich erschienen",
                    "übersetzt aus",
                    "pubblicato originariamente",
                    "转载自",
                    "本文转载",
                    "转自",
                    "[转]",
                    "【转】",
                    "（转）",
                    "原文链接：",
                    "来源：",
                    "出处:",
                    "最初在某处发表",
                    "首发于",
                    "原载于",
                    "原刊于",
                    "出典：",
                    "転載",
                    "ニュース配信",
                    "12:30 配信",
                ],
            ),
            (
                &SOURCE_LABEL,
                &labels,
                &["Source: x", "fuente: x", "QUELLE: x", "Источник: x"],
            ),
            (
                &PERMISSION,
                &permission,
                &[
                    "reprinted with the kind permission",
                    "with permission of",
                    "mit freundlicher Genehmigung",
                    "经授权转载",
                    "授权转载",
                    "已获授权",
                    "经作者授权",
                    "获得作者授权",
                    "publicado con permiso",
                    "con la autorización de",
                    "traduit avec l’aimable autorisation",
                    "avec l'aimable autorisation",
                    "autorizado pelo autor",
                    "com permissão",
                ],
            ),
        ];
        for (pattern, precheck, texts) in cases {
            for text in texts {
                assert!(pattern.is_match(text), "{text}");
                assert!(precheck(text), "{text}");
            }
        }
        assert!(!words("We travelled via Paris to Rome."));
        assert!(!labels("Resources and sources abound"));
    }

    #[test]
    fn permission_phrases() {
        let text = "This essay is republished with permission of the author.";
        let p = permission(&doc_of(text)).unwrap();
        assert_eq!(
            &text[p.span.start..p.span.end],
            "republished with permission"
        );
        let zh = "本文经授权转载。";
        assert_eq!(permission(&doc_of(zh)).unwrap().text, "经授权转载");
        assert!(permission(&doc_of("未经授权不得转载")).is_none());
        assert!(permission(&doc_of("转载须经版权人书面授权并注明来源")).is_none());
        // Authorised users, certificates and components are no reprint permission.
        for text in [
            "这样，只有获得授权的用户才能访问远程服务器。",
            "基于 Red Hat 订阅管理证书都将获得授权。",
            "涉及到的第三方软件（如 BRender）已获得授权。",
            "著作权归作者所有，转载请联系作者获得授权。",
        ] {
            assert!(permission(&doc_of(text)).is_none(), "{text}");
        }
        for (text, found) in [
            ("本文首发于作者个人博客，经授权改编。", "经授权"),
            ("本文首发在 peppe8o.com。已获得转载授权。", "获得转载授权"),
        ] {
            assert_eq!(permission(&doc_of(text)).unwrap().text, found, "{text}");
        }
        assert_eq!(
            permission(&doc_of("Mit freundlicher Genehmigung des Autors."))
                .unwrap()
                .text,
            "Mit freundlicher Genehmigung"
        );
    }

    #[test]
    fn translation_permission_in_chinese_and_korean() {
        for (text, found) in [
            ("作者信息：Anton\n翻译许可：", "翻译许可："),
            (
                "원저자인 SemkoDev의 허락을 받고 우리말로 옮긴 글입니다.",
                "허락을 받고 우리말로 옮긴",
            ),
        ] {
            assert_eq!(permission(&doc_of(text)).unwrap().text, found, "{text}");
        }
        for text in [
            "未经翻译许可不得转载。",
            "사용자의 허락을 받고 데이터를 수집합니다.",
        ] {
            assert!(permission(&doc_of(text)).is_none(), "{text}");
        }
    }
}
