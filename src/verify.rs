//! Verifying a repost against its originals, the pipeline stage between `detect` and `check`:
//! fetch the originals a repost links, run them through the same extract and detect as posts,
//! resolve each one's governing license, and hand the checks what each original says (license,
//! language, title, authors); a post whose original is in another language is recorded as a
//! translation.
//!
//! Each distinct original is fetched and analysed once per run, however many posts link it.
//! Judging the repost against its original is the job of the `upstream-*` checks, and getting
//! pages (HTTP, the page cache, address safety, decoding) is the job of `fetch`: this stage
//! only asks it for pages.
//!
//! Once the run has gone offline (see `fetch`), an original no server answered for is left
//! unverified, as with `--offline`, rather than reported unreachable: the network is missing,
//! not the page.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::SystemTime;

use reqwest::Url;

use crate::detect::media::{Medium, SourceCheck, SourceFacts};
use crate::detect::{Detector, Evidence, EvidenceKind, Facts, LicenseClaim, Role, adaptation};
use crate::document::{self, Context, Document};
use crate::fetch::{Fetcher, decode};
use crate::governing::{self, Governing, LicenseSummary};
use crate::rules::Registry;
use crate::rules::media::{MediaHost, MediaHosts};
use crate::source::{LineIndex, Positions, Source, Span};

/// Source links verified per post at most (the first ones in source order).
pub const MAX_PER_POST: usize = 3;

/// What an original page says about itself.
#[derive(Debug, Clone)]
pub struct Original {
    /// The URL after redirects.
    pub final_url: String,
    /// The HTTP status.
    pub status: u16,
    /// When it was fetched or revalidated.
    pub fetched_at: SystemTime,
    /// True when served from the cache (fresh, or revalidated with a 304).
    pub from_cache: bool,
    /// Its governing license, evidence spans pointing into `source`.
    pub license: Option<LicenseSummary>,
    /// The claim that license rests on.
    pub claim: Option<LicenseClaim>,
    /// "All rights reserved" and the like, as written on the original.
    pub restrictions: Vec<String>,
    /// Its language, ISO 639-1.
    pub language: Option<String>,
    /// Its title (meta, then the first heading).
    pub title: Option<String>,
    /// Its credited authors.
    pub authors: Vec<String>,
    /// The page as fetched.
    pub source: Source,
    /// The line and column in the page of its license's evidence and of its claim.
    pub evidence_at: Positions,
}

/// One original as linked from one post.
#[derive(Debug, Clone)]
pub struct Upstream {
    /// The absolute URL the post links.
    pub url: String,
    /// Where the post links it.
    pub span: Span,
    /// What the original says, or why it could not be read.
    pub result: Result<Arc<Original>, String>,
    /// The original's license claim with its evidence moved onto `span`, so diagnostics about
    /// the original's license point at the post's link.
    pub claim: Option<LicenseClaim>,
}

impl Upstream {
    /// The original, when it was read.
    pub fn original(&self) -> Option<&Original> {
        self.result.as_deref().ok()
    }
}

/// The first readable original whose license is known, resolved against the registry.
pub fn governing<'a>(upstream: &'a [Upstream], registry: &'a Registry) -> Option<Governing<'a>> {
    upstream
        .iter()
        .filter(|u| u.result.is_ok())
        .find_map(|u| u.claim.as_ref())
        .map(|claim| governing::resolve(claim, registry))
}

/// Why an original could not be read, and whether that was because no server answered.
#[derive(Debug, Clone)]
struct Unread {
    reason: String,
    unreached: bool,
}

type Slot = Arc<OnceLock<Result<Arc<Original>, Unread>>>;

/// Fetches and analyses originals for a run.
#[derive(Debug)]
pub struct Verifier {
    fetcher: Fetcher,
    originals: Mutex<HashMap<String, Slot>>,
}

impl Verifier {
    /// Verify with this fetcher.
    pub fn new(fetcher: Fetcher) -> Verifier {
        Verifier {
            fetcher,
            originals: Mutex::new(HashMap::new()),
        }
    }

    /// The fetcher.
    pub fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    /// What the post's originals say, fetching and analysing each once per run; and how many
    /// were left unverified because the run is offline.
    pub fn verify(
        &self,
        facts: &Facts,
        base: Option<&str>,
        detector: &Detector,
        registry: &Registry,
    ) -> (Vec<Upstream>, usize) {
        let offline = self.fetcher.is_offline();
        let mut skipped = 0;
        let upstream = source_urls(facts, base)
            .into_iter()
            .filter_map(|(url, span)| {
                let result = match self.original(&url, detector, registry) {
                    Err(unread) if offline && unread.unreached => {
                        skipped += 1;
                        return None;
                    }
                    result => result.map_err(|unread| unread.reason),
                };
                let claim = result
                    .as_ref()
                    .ok()
                    .and_then(|o| o.claim.clone())
                    .map(|mut c| {
                        c.evidence.span = span;
                        c
                    });
                Some(Upstream {
                    url,
                    span,
                    result,
                    claim,
                })
            })
            .collect();
        (upstream, skipped)
    }

    fn original(
        &self,
        url: &str,
        detector: &Detector,
        registry: &Registry,
    ) -> Result<Arc<Original>, Unread> {
        let slot = {
            let mut originals = self
                .originals
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            Arc::clone(originals.entry(url.to_owned()).or_default())
        };
        slot.get_or_init(|| {
            let page = self.fetcher.fetch(url).map_err(|e| Unread {
                reason: e.to_string(),
                unreached: e.is_unreached(),
            })?;
            let source = decode::decode(&page.final_url, page.content_type.as_deref(), &page.body)
                .map_err(|reason| Unread {
                    reason,
                    unreached: false,
                })?;
            Ok(Arc::new(analyse(
                source,
                &page.final_url,
                page.status,
                page.fetched_at,
                page.from_cache,
                detector,
                registry,
            )))
        })
        .clone()
    }
}

/// The absolute http(s) URLs of a post's source links (relative ones resolved against `base`,
/// fragments dropped, the post's own URL skipped), at most [`MAX_PER_POST`].
pub fn source_urls(facts: &Facts, base: Option<&str>) -> Vec<(String, Span)> {
    let base = base.and_then(|b| Url::parse(b).ok());
    let mut out: Vec<(String, Span)> = Vec::new();
    for link in &facts.sources {
        let parsed = match &base {
            Some(base) => base.join(link.url.trim()),
            None => Url::parse(link.url.trim()),
        };
        let Ok(mut url) = parsed else { continue };
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_some_and(is_reserved) {
            continue;
        }
        url.set_fragment(None);
        let url = url.to_string();
        let own = base
            .as_ref()
            .is_some_and(|b| b.as_str().trim_end_matches('/') == url.trim_end_matches('/'));
        if !own && !out.iter().any(|(u, _)| *u == url) {
            out.push((url, link.evidence.span));
        }
        if out.len() == MAX_PER_POST {
            break;
        }
    }
    out
}

/// Names reserved for documentation and testing (RFC 2606, RFC 6761): `example.org`,
/// `example.com`, `example.net` and their subdomains, and the `.example`, `.test` and
/// `.invalid` TLDs. No original can live there, so links to them are never fetched.
fn is_reserved(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let under = |name: &str| host == name || host.ends_with(&format!(".{name}"));
    [
        "example.org",
        "example.com",
        "example.net",
        "example",
        "test",
        "invalid",
    ]
    .iter()
    .any(|name| under(name))
}

/// Run an original through extract and detect.
fn analyse(
    source: Source,
    final_url: &str,
    status: u16,
    fetched_at: SystemTime,
    from_cache: bool,
    detector: &Detector,
    registry: &Registry,
) -> Original {
    let doc = document::extract(&source);
    let facts = detector.detect_source(&source.text, &doc);
    let governing = governing::choose(&facts, registry);
    let license = governing.as_ref().map(|g| g.summary(&facts));
    let claim = governing.map(|g| g.claim.clone());
    let lines = LineIndex::new(&source.text);
    let evidence_at = lines.positions(
        &source.text,
        license
            .iter()
            .flat_map(|l| l.evidence.iter().map(|e| e.span.start))
            .chain(claim.iter().map(|c| c.evidence.span.start)),
    );
    let authors = facts
        .credits
        .iter()
        .filter(|c| c.role == Role::Author)
        .map(|c| c.name.clone())
        .collect();
    Original {
        final_url: final_url.to_owned(),
        status,
        fetched_at,
        from_cache,
        license,
        claim,
        restrictions: facts.restrictions.iter().map(|r| r.text.clone()).collect(),
        // The original links no original of its own, so its facts hold only a declared language.
        language: facts
            .language
            .clone()
            .or_else(|| adaptation::language(&doc)),
        title: title_of(&doc),
        authors,
        source,
        evidence_at,
    }
}

fn title_of(doc: &Document) -> Option<String> {
    let meta = |key: &str| {
        doc.meta
            .iter()
            .find(|m| m.key == key && !m.value.trim().is_empty())
            .map(|m| m.value.trim().to_owned())
    };
    meta("og:title")
        .or_else(|| meta("dct:title"))
        .or_else(|| meta("title"))
        .or_else(|| {
            doc.blocks
                .iter()
                .find(|b| b.context == Context::Heading)
                .map(|b| b.text.trim().to_owned())
        })
}

/// A post in one language whose original is in another is a translation: record it in the
/// post's facts (with the link as the evidence) so the translation rules see it.
pub fn infer_translation(facts: &mut Facts, doc: &Document, upstream: &[Upstream]) {
    let Some((up, original_language)) = upstream
        .iter()
        .find_map(|u| Some((u, u.original()?.language.clone()?)))
    else {
        return;
    };
    // The detectors guess a post's language only when its links tell the original's.
    if facts.language.is_none() {
        facts.language = adaptation::language(doc);
    }
    let Some(post_language) = facts.language.as_deref() else {
        return;
    };
    if post_language == original_language {
        return;
    }
    let adaptation = &mut facts.adaptation;
    adaptation
        .from_language
        .get_or_insert_with(|| original_language.clone());
    if adaptation.translated {
        return;
    }
    adaptation.translated = true;
    adaptation.inferred.push(Evidence {
        kind: EvidenceKind::Link,
        span: up.span,
        text: format!("the original at {} is in `{original_language}`", up.url),
    });
}

/// Media sources read per post at most (the first CC media in source order).
pub const MAX_MEDIA_PER_POST: usize = 10;

/// Read the source of each CC medium on a host that can tell its license: a MediaWiki API
/// (Wikimedia Commons: the file's `extmetadata` names its license and artist) or a photo page
/// (Flickr: its `rel="license"` link and owner). Through the run's fetcher, so the page cache,
/// size and time limits and the private-host policy apply; never called offline. A medium
/// with no license named whose source states a CC license becomes a CC medium.
pub fn verify_media(facts: &mut Facts, fetcher: &Fetcher, hosts: &MediaHosts) {
    let mut asked = 0;
    // CC media, and media with no license named on a host that can tell theirs (a Flickr
    // photo with no caption): its source may show it is CC after all.
    let candidates = facts
        .media
        .iter_mut()
        .filter(|m| m.cc || (m.license.is_none() && m.agency.is_none()));
    for medium in candidates {
        let Some(host) = medium.host.as_deref().and_then(|name| hosts.named(name)) else {
            continue;
        };
        let Some(request) = media_request(medium, host) else {
            continue;
        };
        if asked == MAX_MEDIA_PER_POST {
            break;
        }
        asked += 1;
        let (url, request_page) = match &request {
            MediaRequest::MediaWiki { query, file_page } => (query, file_page.as_ref()),
            MediaRequest::PhotoPage(url) => (url, None),
        };
        let checked = match fetcher.fetch(url) {
            Ok(page) if (200..300).contains(&page.status) => {
                let (facts, none) = match &request {
                    MediaRequest::MediaWiki { .. } => (
                        extmetadata(&page.body),
                        "the API names no license for the file",
                    ),
                    MediaRequest::PhotoPage(_) => (
                        photo_page_facts(&page.body, &page.final_url),
                        "the photo page names no license",
                    ),
                };
                facts.map_or_else(
                    || SourceCheck::Unreadable(none.to_owned()),
                    SourceCheck::Read,
                )
            }
            Ok(page) => SourceCheck::Unreadable(format!("HTTP {}", page.status)),
            Err(err) => SourceCheck::Unreadable(err.to_string()),
        };
        if !medium.cc {
            // Not CC by its caption: it becomes CC only when its source states a CC license.
            let stated_cc = matches!(&checked, SourceCheck::Read(f) if f.code.is_some());
            if !stated_cc {
                continue;
            }
            medium.cc = true;
        }
        medium.checked = match (checked, request_page) {
            // An API answer names no page: the file page is where MediaWiki keeps it.
            (SourceCheck::Read(mut facts), Some(page)) if facts.page.is_none() => {
                facts.page = Some(page.clone());
                SourceCheck::Read(facts)
            }
            (checked, _) => checked,
        };
    }
}

/// What to read for one medium.
enum MediaRequest {
    /// A MediaWiki API query for the file's `extmetadata`, and the file's page on the wiki
    /// (where a credit links, as the API answer names no page).
    MediaWiki {
        query: String,
        file_page: Option<String>,
    },
    /// A photo page to read the license link and owner from.
    PhotoPage(String),
}

/// The request that tells `medium`'s license on `host`, when the host can tell it.
fn media_request(medium: &Medium, host: &MediaHost) -> Option<MediaRequest> {
    if let (Some(api), Some(title)) = (host.api.as_deref(), commons_title(&medium.url)) {
        let file_page = api
            .strip_suffix("/w/api.php")
            .map(|wiki| format!("{wiki}/wiki/File:{title}"));
        return Some(MediaRequest::MediaWiki {
            query: format!(
                "{api}?action=query&format=json&prop=imageinfo&iiprop=extmetadata&titles=File:{title}"
            ),
            file_page,
        });
    }
    let template = host.photo_page.as_deref()?;
    // The photo page the caption or a link around the image points to, or the medium's own
    // URL when it is one, else the page of the id its static URL gives.
    let page = [medium.source.as_deref(), Some(medium.url.as_str())]
        .into_iter()
        .flatten()
        .find(|url| {
            (url.starts_with("https://") || url.starts_with("http://"))
                && host.matches(url)
                && photo_page_id(url).is_some()
        })
        .map(str::to_owned)
        .or_else(|| static_photo_id(&medium.url).map(|id| template.replace("{id}", &id)))?;
    Some(MediaRequest::PhotoPage(page))
}

/// The photo id of a photo page URL, `…/photos/OWNER/ID[/…]`.
pub fn photo_page_id(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let mut segments = path.split('/').skip_while(|s| *s != "photos").skip(1);
    let _owner = segments.next().filter(|s| !s.is_empty())?;
    let id = segments.next()?;
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.to_owned())
}

/// The photo id of a static photo URL, `…/SERVER/ID_SECRET[_SIZE].jpg`.
pub fn static_photo_id(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let name = path.rsplit('/').next()?;
    let (id, rest) = name.split_once('_')?;
    let plausible = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && rest.contains('.');
    plausible.then(|| id.to_owned())
}

/// License and owner from a photo page: the link whose `rel` holds `license` (Flickr also
/// marks it with the class `photo-license-url`) and the link classed `owner-name`. A license
/// link off creativecommons.org, or none but "All rights reserved" in that place, is a license
/// that is not CC; `None` when the page names none.
fn photo_page_facts(body: &[u8], url: &str) -> Option<SourceFacts> {
    let source = Source::from_bytes(url, body, crate::source::Format::Html);
    let doc = document::extract(&source);
    let owner = doc
        .links
        .iter()
        .find(|l| l.classes.iter().any(|c| c == "owner-name"))
        .map(|l| l.text.trim().trim_end_matches([';', ',']).trim().to_owned())
        .filter(|name| !name.is_empty());
    let license = doc.links.iter().find(|l| {
        l.rel.iter().any(|r| r == "license") || l.classes.iter().any(|c| c == "photo-license-url")
    });
    let (license_name, parsed) = match license {
        Some(link) => {
            let parsed = crate::detect::license::url::parse(&link.href);
            let name = parsed.as_ref().map_or_else(
                || link.text.split_whitespace().collect::<Vec<_>>().join(" "),
                short_license_name,
            );
            (name, parsed)
        }
        None if doc
            .blocks
            .iter()
            .any(|b| b.text.to_lowercase().contains("all rights reserved")) =>
        {
            ("All rights reserved".to_owned(), None)
        }
        None => return None,
    };
    if license_name.is_empty() {
        return None;
    }
    Some(SourceFacts {
        license_name,
        code: parsed.as_ref().map(|p| p.code.clone()),
        version: parsed.as_ref().and_then(|p| p.version.clone()),
        jurisdiction: parsed.and_then(|p| p.jurisdiction),
        artist: owner,
        page: Some(url.to_owned()),
        // "Harbour | Flickr": the site's name after the bar is not the photo's.
        title: title_of(&doc)
            .map(|t| t.split(" | ").next().unwrap_or_default().trim().to_owned())
            .filter(|t| !t.is_empty()),
    })
}

/// `CC BY-SA 2.0`, `CC0 1.0`: the short name of a parsed deed URL.
fn short_license_name(url: &crate::detect::license::url::UrlLicense) -> String {
    let code = match url.code.as_str() {
        "zero" => "CC0".to_owned(),
        "mark" => "Public Domain Mark".to_owned(),
        code => format!("CC {}", code.to_uppercase()),
    };
    [Some(code), url.version.clone(), url.jurisdiction.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The file name of a Commons upload URL (`…/commons/a/ab/NAME`, thumbnails
/// `…/commons/thumb/a/ab/NAME/640px-NAME`) or file page (`…/wiki/File:NAME`), as written
/// (percent-encoded, which the API query takes as is).
pub fn commons_title(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    if let Some((_, name)) = path.split_once("/wiki/File:") {
        return (!name.is_empty()).then(|| name.to_owned());
    }
    let (_, rest) = path.split_once("/wikipedia/commons/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    let name = match parts.as_slice() {
        ["thumb", _, _, name, ..] | [_, _, name] => *name,
        _ => return None,
    };
    let plausible = !name.is_empty() && name.contains('.') && !name.contains(['&', '=', ' ']);
    plausible.then(|| name.to_owned())
}

/// License and artist from a MediaWiki `prop=imageinfo&iiprop=extmetadata` answer; `None`
/// when it is not JSON or names no license.
fn extmetadata(body: &[u8]) -> Option<SourceFacts> {
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    let pages = json.get("query")?.get("pages")?;
    // `pages` is an object keyed by page id (format=json) or an array (formatversion=2).
    let page = match pages {
        serde_json::Value::Object(map) => map.values().next()?,
        serde_json::Value::Array(list) => list.first()?,
        _ => return None,
    };
    let meta = page.get("imageinfo")?.get(0)?.get("extmetadata")?;
    let value = |key: &str| {
        meta.get(key)?
            .get("value")?
            .as_str()
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let license_name = value("LicenseShortName")?.to_owned();
    let parsed = value("LicenseUrl").and_then(crate::detect::license::url::parse);
    Some(SourceFacts {
        license_name,
        code: parsed.as_ref().map(|p| p.code.clone()),
        version: parsed.as_ref().and_then(|p| p.version.clone()),
        jurisdiction: parsed.and_then(|p| p.jurisdiction),
        artist: value("Artist").map(strip_markup).filter(|a| !a.is_empty()),
        page: None,
        title: None,
    })
}

/// Text of a snippet of HTML (Commons' `Artist` is usually a link to the user page).
fn strip_markup(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {

    #[test]
    fn reserved_documentation_hosts_are_never_fetched() {
        assert!(is_reserved("example.org"));
        assert!(is_reserved("news.Example.com."));
        assert!(is_reserved("blog.test"));
        assert!(!is_reserved("example.org.uk"));
        assert!(!is_reserved("theconversation.com"));
    }

    use super::*;
    use crate::detect::SourceLink;

    fn facts_with_sources(urls: &[&str]) -> Facts {
        Facts {
            sources: urls
                .iter()
                .enumerate()
                .map(|(i, url)| SourceLink {
                    url: (*url).to_owned(),
                    evidence: Evidence {
                        kind: EvidenceKind::Link,
                        span: Span::new(i * 10, i * 10 + 5),
                        text: (*url).to_owned(),
                    },
                })
                .collect(),
            ..Facts::default()
        }
    }

    #[test]
    fn source_urls_are_absolute_http_distinct_and_not_the_post_itself() {
        let facts = facts_with_sources(&[
            "/2025/original#top",
            "mailto:ed@harbour.news",
            "https://harbour.news/2025/original",
            "https://press.news/post",
            "https://harbour.news/repost/",
        ]);
        let urls = source_urls(&facts, Some("https://harbour.news/repost/"));
        assert_eq!(
            urls,
            vec![
                (
                    "https://harbour.news/2025/original".to_owned(),
                    Span::new(0, 5)
                ),
                ("https://press.news/post".to_owned(), Span::new(30, 35)),
            ]
        );
        let facts = facts_with_sources(&["relative/path", "http://a.news/x"]);
        assert_eq!(
            source_urls(&facts, None),
            vec![("http://a.news/x".to_owned(), Span::new(10, 15))]
        );
    }

    #[test]
    fn commons_titles_come_from_uploads_thumbnails_and_file_pages() {
        let title = |url: &str| commons_title(url);
        assert_eq!(
            title(
                "https://upload.wikimedia.org/wikipedia/commons/thumb/4/4a/Boat_school.jpg/640px-Boat_school.jpg"
            ),
            Some("Boat_school.jpg".to_owned())
        );
        assert_eq!(
            title("https://upload.wikimedia.org/wikipedia/commons/a/a1/Night_train.webm"),
            Some("Night_train.webm".to_owned())
        );
        assert_eq!(
            title("https://commons.wikimedia.org/wiki/File:Night_train.webm?embedplayer=yes"),
            Some("Night_train.webm".to_owned())
        );
        assert_eq!(
            title("https://upload.wikimedia.org/wikipedia/commons/a/"),
            None
        );
        assert_eq!(title("https://example.org/cat.jpg"), None);
    }

    #[test]
    fn extmetadata_gives_license_and_artist_and_nothing_for_junk() {
        let body = br#"{"batchcomplete":"","query":{"pages":{"123":{"pageid":123,"ns":6,"title":"File:X.jpg","imagerepository":"local","imageinfo":[{"extmetadata":{"LicenseShortName":{"value":"CC BY-SA 4.0","source":"commons-desc-page","hidden":""},"LicenseUrl":{"value":"https://creativecommons.org/licenses/by-sa/4.0","source":"commons-desc-page","hidden":""},"Artist":{"value":"<a href=\"//commons.wikimedia.org/wiki/User:Ana\" title=\"User:Ana\">Ana Ruiz</a>","source":"commons-desc-page"}}}]}}}}"#;
        let facts = extmetadata(body).expect("facts");
        assert_eq!(facts.license_name, "CC BY-SA 4.0");
        assert_eq!(
            (facts.code.as_deref(), facts.version.as_deref()),
            (Some("by-sa"), Some("4.0"))
        );
        assert_eq!(facts.artist.as_deref(), Some("Ana Ruiz"));
        assert_eq!(extmetadata(b"<html>nope</html>"), None);
        assert_eq!(
            extmetadata(br#"{"query":{"pages":{"-1":{"missing":""}}}}"#),
            None
        );
    }

    #[test]
    fn flickr_ids_come_from_static_urls_and_photo_pages() {
        use super::{photo_page_id, static_photo_id};
        assert_eq!(
            static_photo_id("https://live.staticflickr.com/65535/52719_5f3c9a_b.jpg").as_deref(),
            Some("52719")
        );
        assert_eq!(
            static_photo_id("https://farm4.staticflickr.com/3/4521_abc.jpg?zz=1").as_deref(),
            Some("4521")
        );
        assert_eq!(
            static_photo_id("https://live.staticflickr.com/65535/buddy.jpg"),
            None
        );
        assert_eq!(static_photo_id("https://x.org/a_b"), None);
        assert_eq!(
            photo_page_id("https://www.flickr.com/photos/maja/52719/in/album-1/").as_deref(),
            Some("52719")
        );
        assert_eq!(photo_page_id("https://www.flickr.com/photos/maja/"), None);
        assert_eq!(
            photo_page_id("https://www.flickr.com/photos/maja/albums"),
            None
        );
    }

    #[test]
    fn photo_pages_give_license_and_owner_and_nothing_without_one() {
        let page = br#"<html><body><a class="owner-name truncate" href="/photos/m/">Maja Lind</a>
            <div class="photo-license-info"><a class="photo-license-url" rel="license cc:license"
            href="https://creativecommons.org/licenses/by-nc-sa/2.0/"><span>Some rights reserved</span></a></div></body></html>"#;
        let facts =
            super::photo_page_facts(page, "https://www.flickr.com/photos/m/1/").expect("facts");
        assert_eq!(facts.license_name, "CC BY-NC-SA 2.0");
        assert_eq!(facts.code.as_deref(), Some("by-nc-sa"));
        assert_eq!(facts.version.as_deref(), Some("2.0"));
        assert_eq!(facts.artist.as_deref(), Some("Maja Lind"));
        assert_eq!(facts.title, None);
        let reserved = b"<p class=\"photo-license-info\">All rights reserved</p>";
        let facts = super::photo_page_facts(reserved, "https://x.org/").expect("facts");
        assert_eq!(
            (facts.license_name.as_str(), facts.code),
            ("All rights reserved", None)
        );
        assert_eq!(
            super::photo_page_facts(b"<p>Page not found</p>", "https://x.org/"),
            None
        );
        assert_eq!(
            super::photo_page_facts(&[0xff, 0x00, 0x3c], "https://x.org/"),
            None
        );
    }
}
