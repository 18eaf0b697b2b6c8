//! Facts about a post: each detector reads a [`Document`] and reports what it found, with the
//! span and text of the evidence.
//!
//! Detectors judge what the syntax means (this sentence is a license notice, that name is the
//! translator) but not whether the post complies: that is `check`.

pub mod adaptation;
pub mod commercial;
pub mod credit;
pub mod cue;
pub(crate) mod gated;
pub mod license;
pub mod media;
pub mod other_license;
pub mod repost;
pub mod restriction;
pub mod source_link;
mod text;
pub mod url_canon;

pub use text::host;

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::rules::Registry;
use crate::rules::media::MediaHosts;
use crate::source::Span;

use gated::{Scan, SharedFinder};

/// How a piece of evidence was expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// Prose in the body.
    Text,
    /// A hyperlink (its `href` or text).
    Link,
    /// An image (license button, badge).
    Image,
    /// `<meta>` or `<link rel>`.
    Meta,
    /// Front matter.
    FrontMatter,
    /// JSON-LD.
    JsonLd,
    /// CC REL RDFa attributes.
    Rdfa,
    /// Raw markup the extractor does not keep (ad scripts, `data-ad-slot`, paywall classes).
    Markup,
}

/// What a fact rests on: the kind, where it is, and the source text there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// How it was expressed.
    pub kind: EvidenceKind,
    /// Where it is in the source.
    pub span: Span,
    /// The matched text (as the reader sees it).
    pub text: String,
}

/// What a license claim covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// The post's text (the reposted material).
    Text,
    /// Only an image, a figure or its caption.
    Image,
    /// A code sample, quoted material, or a part of the post a notice names as its subject
    /// ("Code snippets are licensed under CC0", "Portions of this page …"): not a notice about
    /// the post's text.
    Quoted,
    /// The site's own chrome (footer, sidebar): the site's license, weaker evidence for the text.
    Site,
    /// Creative Commons discussed as a topic (an article about CC0, a list of books and their
    /// licenses): a mention in running text with no licensing wording, not a notice for this post.
    Mention,
}

/// A license named in the post, as precisely as the post names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseClaim {
    /// CC code (`by-nc-sa`, `by-nd-nc`, `zero`, `mark`, `publicdomain`); `None` for a bare
    /// "Creative Commons license".
    pub code: Option<String>,
    /// `4.0`, `3.0`…; `None` when not given.
    pub version: Option<String>,
    /// Port code (`de`, `igo`…) when given.
    pub jurisdiction: Option<String>,
    /// True when the claim is (or sits in) a link to the license deed or legal code, or gives its URL.
    pub linked: bool,
    /// What the claim covers.
    pub scope: Scope,
    /// The evidence.
    pub evidence: Evidence,
}

/// The role of a credited person or organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The creator of the text.
    Author,
    /// Who translated it.
    Translator,
    /// Who made a photo or image.
    Photographer,
    /// The outlet that first published it.
    Publisher,
    /// Any other credit (editor, proofreader).
    Other,
}

/// A credit line or byline: a name and its role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    /// The name as written.
    pub name: String,
    /// What they did.
    pub role: Role,
    /// The evidence (`By Katherin Hormigó Rubio`, front matter `author:`).
    pub evidence: Evidence,
}

/// A link (or URL) to the original material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLink {
    /// The URL.
    pub url: String,
    /// The evidence (the link, the `via:` line, the canonical tag, the front-matter field).
    pub evidence: Evidence,
}

/// Whether the post is a translation or otherwise adapted, and whether it says so.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Adaptation {
    /// The post is a translation (disclosed, or inferred from languages).
    pub translated: bool,
    /// The post is otherwise adapted (edited, excerpted, remixed).
    pub modified: bool,
    /// The post discloses its translation or modification.
    pub disclosed: bool,
    /// The original's language when known (ISO 639-1, e.g. `es`).
    pub from_language: Option<String>,
    /// The disclosure sentences or fields.
    pub disclosures: Vec<Evidence>,
    /// Why the post is believed to be a translation when it does not say so (language evidence).
    pub inferred: Vec<Evidence>,
}

/// Everything the detectors found in one post.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Facts {
    /// License claims, in source order.
    pub licenses: Vec<LicenseClaim>,
    /// Notices of a non-CC license for the post (GPL, GFDL, Free Art License…).
    pub other_licenses: Vec<Evidence>,
    /// Credits, in source order.
    pub credits: Vec<Credit>,
    /// Links to the original, in source order.
    pub sources: Vec<SourceLink>,
    /// Translation and modification.
    pub adaptation: Adaptation,
    /// "All rights reserved" and other added restrictions covering the text.
    pub restrictions: Vec<Evidence>,
    /// Ads, paywalls, sponsored labels, shop links.
    pub commercial: Vec<Evidence>,
    /// Signals that the post republishes someone else's work.
    pub repost_signals: Vec<Evidence>,
    /// "Republished with permission" and the like.
    pub permission: Option<Evidence>,
    /// The original's title when the post gives it (credit line, RDFa `dct:title`, quoted title).
    pub title: Option<Evidence>,
    /// The post's language, ISO 639-1: declared, else guessed from its prose for a post whose
    /// source link tells the original's language (the only posts the detectors compare).
    pub language: Option<String>,
    /// The photos, videos, audio and embedded players the post shows, in source order.
    pub media: Vec<media::Medium>,
}

impl Facts {
    /// The names credited in `role`, joined by ", " as a credit line gives them; `None` when
    /// no one is.
    pub fn credited(&self, role: Role) -> Option<String> {
        let names: Vec<&str> = self
            .credits
            .iter()
            .filter(|c| c.role == role)
            .map(|c| c.name.as_str())
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    }

    /// True when the post shows a sign of republishing someone else's work. A license claim
    /// alone is not one: a site's own post under CC BY is an original. (With a config, see
    /// [`crate::config::Settings::is_repost`].)
    pub fn is_repost(&self) -> bool {
        repost::shows_repost(self, &[])
    }
}

/// All detectors, with their patterns compiled once per run (not per file).
#[derive(Debug)]
pub struct Detector {
    license: license::Matcher,
    media: MediaHosts,
}

impl Detector {
    /// Build the detectors; license names and URL forms come from the registry's rule files,
    /// the words and phrases they look for from its cues (the first registry's in a process,
    /// see [`cue::install`]).
    pub fn new(registry: &Registry) -> Detector {
        cue::install(&registry.cues);
        Detector {
            license: license::Matcher::new(registry),
            media: registry.media.clone(),
        }
    }

    /// Run every detector over a document whose source text is not at hand (ad scripts and
    /// paywall markup, which the extractor drops, go unseen).
    pub fn detect(&self, doc: &Document) -> Facts {
        detect_with("", doc, &self.license, &self.media)
    }

    /// Run every detector over a document and the whole source `text` it was extracted from
    /// (the commercial detector reads ad scripts and paywall markup from the raw text).
    pub fn detect_source(&self, text: &str, doc: &Document) -> Facts {
        detect_with(text, doc, &self.license, &self.media)
    }
}

fn detect_with(
    text: &str,
    doc: &Document,
    license: &license::Matcher,
    hosts: &MediaHosts,
) -> Facts {
    let licenses = license.detect(doc);
    let media = media::detect(doc, &licenses, hosts);
    let gates = gate_scan(doc);
    let mut credits = credit::detect_in(doc, gates.part(Part::Credit));
    let sources = source_link::detect(doc);
    let (adaptation, language) = adaptation::detect_in(doc, &sources, gates.part(Part::Adaptation));
    if adaptation.translated {
        credit::retag_page_translators(&mut credits, doc);
    }
    let restrictions = restriction::detect_in(gates.part(Part::Restriction));
    let commercial = commercial::detect_in(text, doc, gates.part(Part::Commercial));
    let permission = repost::permission_in(gates.part(Part::Repost));
    let mut facts = Facts {
        licenses,
        other_licenses: other_license::detect_in(doc, gates.part(Part::OtherLicense)),
        credits,
        sources,
        adaptation,
        restrictions,
        commercial,
        permission,
        title: credit::title(doc),
        language,
        repost_signals: Vec::new(),
        media,
    };
    facts.repost_signals = repost::signals_in(doc, &facts, gates.part(Part::Repost));
    credit::add_copyright_credits(&mut facts.credits, doc);
    let notices: Vec<Span> = facts
        .sources
        .iter()
        .map(|s| s.evidence.span)
        .chain(facts.repost_signals.iter().map(|e| e.span))
        .chain(facts.adaptation.disclosures.iter().map(|e| e.span))
        .collect();
    let sources: Vec<Span> = facts.sources.iter().map(|s| s.evidence.span).collect();
    credit::add_notice_credits(&mut facts.credits, doc, &notices, &sources);
    facts
}

/// The prose detectors that share [`GATES`], each the key of its part there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// Bylines and credit lines ([`credit`]).
    Credit,
    /// Repost wording, source labels and permission ([`repost`]).
    Repost,
    /// Restrictive notices ([`restriction`]).
    Restriction,
    /// Translation and modification disclosures ([`adaptation`]).
    Adaptation,
    /// Notices of non-CC licenses ([`other_license`]).
    OtherLicense,
    /// Paywall and membership pitches ([`commercial`]).
    Commercial,
}

/// The gates of every prose detector that searches a post for several patterns, in one finder:
/// one pass over a post's prose tells each detector the blocks where its patterns may match.
/// Each detector searched the whole prose for its own gates before (five passes; a pass of the
/// joint finder costs about what one of them did).
static GATES: LazyLock<SharedFinder<Part>> = LazyLock::new(|| {
    SharedFinder::new(&[
        (Part::Credit, credit::gates()),
        (Part::Repost, repost::gates()),
        (Part::Restriction, restriction::gates()),
        (Part::Adaptation, adaptation::gates()),
        (Part::OtherLicense, other_license::gates()),
        (Part::Commercial, commercial::gates()),
    ])
});

/// Compile the prose detectors' shared gates now (they are otherwise compiled by the first
/// post), so a run can build them on one thread while another builds the [`Detector`].
pub fn warm_up() {
    LazyLock::force(&GATES);
}

/// Which prose detectors' gates match in which prose blocks of `doc` (parts: [`Part`]).
fn gate_scan(doc: &Document) -> Scan<'static, '_, Part> {
    GATES.scan(text::prose_blocks(doc))
}
