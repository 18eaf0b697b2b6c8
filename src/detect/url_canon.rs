//! URL canonicalisation, in one place for every detector: the address a link really names
//! once archive, redirect and AMP wrappers are taken off and tracking parameters dropped, and
//! where a URL written in running text ends.
//!
//! The wrappers are the services' documented address forms: the Wayback Machine
//! (`web.archive.org/web/<timestamp>[flags]/<url>`), archive.today and its mirrors
//! (`archive.ph/<timestamp>/<url>`, `archive.ph/o/<id>/<url>`), the AMP caches
//! (`<host>.cdn.ampproject.org/c/s/<host>/<path>`, `google.com/amp/s/<host>/<path>`) and
//! redirectors that carry the target in a query parameter (`?url=`, `?u=`, `?q=`, `?to=`…,
//! percent-encoded). Not for judging what a link means: that is the detectors' job.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem::Finder;

/// The characters that end a URL written in running text, as regex class items: CJK symbols
/// and punctuation (`、。「」《》【】`), full-width forms (`，：；！？（）`), curly quotes and
/// the ellipsis. None of them can appear unencoded in a URL, and CJK prose puts them right
/// after one with no space ("请访问 http://…/4.0/。").
pub const STOP_CLASS: &str = r"\x{2018}-\x{201F}\x{2026}\x{3000}-\x{303F}\x{FF01}-\x{FF0F}\x{FF1A}-\x{FF20}\x{FF3B}-\x{FF40}\x{FF5B}-\x{FF65}";

/// True for a character that ends a URL in running text (see [`STOP_CLASS`]).
fn is_stop(c: char) -> bool {
    matches!(c,
        '\u{2018}'..='\u{201F}'
        | '\u{2026}'
        | '\u{3000}'..='\u{303F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}')
}

/// `url` cut where a URL written in running text ends: at whitespace, a quote or angle
/// bracket, a [`STOP_CLASS`] character, without trailing sentence punctuation (`.,;:!?`) or an
/// unbalanced closing parenthesis.
pub fn trim_bare(url: &str) -> &str {
    let end = url
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>') || is_stop(c))
        .unwrap_or(url.len());
    let mut url = &url[..end];
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?']);
        let trimmed = if trimmed.ends_with(')')
            && trimmed.matches('(').count() < trimmed.matches(')').count()
        {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == url.len() {
            return url;
        }
        url = trimmed;
    }
}

/// The byte strings a wrapped URL holds (an archive or AMP host, an address in the query), as
/// searchers built once: building one per call cost more than the search of a short URL.
static WRAPPER_MARKS: LazyLock<[Finder<'static>; 3]> = LazyLock::new(|| {
    [
        Finder::new(b"archive"),
        Finder::new(b"ampproject"),
        Finder::new(b"/amp/"),
    ]
});

/// `http` in a query: a redirector's target.
static ADDRESS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"http"));

/// False when `url` cannot be wrapped (no archive or AMP host, no address in its query): a
/// byte search, so that every link need not be split and lowercased.
pub fn may_be_wrapped(url: &str) -> bool {
    let bytes = url.as_bytes();
    WRAPPER_MARKS.iter().any(|mark| mark.find(bytes).is_some())
        || memchr::memchr(b'?', bytes).is_some_and(|q| ADDRESS.find(&bytes[q..]).is_some())
}

/// How many wrappers deep [`unwrap`] looks (an archived redirect is two).
const MAX_LAYERS: usize = 4;

/// `url` without its archive, AMP and redirect wrappers: the address it stands for.
pub fn unwrap(url: &str) -> Cow<'_, str> {
    let mut current = Cow::Borrowed(url.trim());
    if !may_be_wrapped(&current) {
        return current;
    }
    for _ in 0..MAX_LAYERS {
        match unwrap_once(&current) {
            Some(inner) => current = Cow::Owned(inner),
            None => break,
        }
    }
    current
}

/// [`unwrap`], then without tracking parameters: the form in which two links to one page
/// compare equal.
pub fn canonical(url: &str) -> Cow<'_, str> {
    match unwrap(url) {
        Cow::Borrowed(b) => strip_tracking(b),
        Cow::Owned(o) => Cow::Owned(strip_tracking(&o).into_owned()),
    }
}

/// Query parameters that only say where a click came from.
fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_")
        || matches!(
            name.as_str(),
            "fbclid" | "gclid" | "dclid" | "msclkid" | "mc_cid" | "mc_eid" | "igshid" | "yclid"
        )
}

/// `url` without tracking parameters (`utm_*`, `fbclid`, `gclid`…); the rest of the query and
/// the fragment stay as written.
fn strip_tracking(url: &str) -> Cow<'_, str> {
    let Some(q) = url.find('?') else {
        return Cow::Borrowed(url);
    };
    let (head, rest) = url.split_at(q);
    let (query, fragment) = rest[1..]
        .split_once('#')
        .map_or((&rest[1..], None), |(q, f)| (q, Some(f)));
    let params: Vec<&str> = query.split('&').collect();
    let kept: Vec<&str> = params
        .iter()
        .copied()
        .filter(|p| !is_tracking(p.split('=').next().unwrap_or(p)))
        .collect();
    if kept.len() == params.len() {
        return Cow::Borrowed(url);
    }
    let mut out = head.to_owned();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    Cow::Owned(out)
}

/// The scheme-less rest and the lowercased host of an absolute http(s) or protocol-relative URL.
fn split(url: &str) -> Option<(String, &str)> {
    let lower_head = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let skip = if lower_head.starts_with("https://") {
        8
    } else if lower_head.starts_with("http://") {
        7
    } else if lower_head.starts_with("//") {
        2
    } else {
        return None;
    };
    let rest = url.get(skip..)?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..host_end].to_ascii_lowercase();
    let host = host.strip_prefix("www.").map(str::to_owned).unwrap_or(host);
    Some((host, &rest[host_end..]))
}

/// Archive.today's domains.
const ARCHIVE_TODAY: &[&str] = &[
    "archive.today",
    "archive.ph",
    "archive.is",
    "archive.li",
    "archive.md",
    "archive.vn",
    "archive.fo",
];

/// Query parameters redirectors carry their target in.
const TARGET_PARAMS: &[&str] = &[
    "url",
    "u",
    "q",
    "to",
    "target",
    "link",
    "dest",
    "destination",
    "redirect",
    "redirect_url",
    "goto",
    "out",
];

/// One wrapper taken off, or `None` when `url` is not wrapped.
fn unwrap_once(url: &str) -> Option<String> {
    let (host, path) = split(url)?;
    if host == "web.archive.org" {
        // /web/<timestamp>[flags]/<url>; the timestamp may be `*` or partial.
        let rest = path.strip_prefix("/web/")?;
        let (stamp, inner) = rest.split_once('/')?;
        let digits = stamp.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '_');
        if digits == "*" || (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())) {
            return Some(absolute(inner));
        }
        return None;
    }
    if ARCHIVE_TODAY.contains(&host.as_str()) {
        // /<timestamp>/<url>, or /o/<id>/<url> (the original of a snapshot).
        let rest = path.strip_prefix('/')?;
        let (stamp, inner) = rest.split_once('/')?;
        if stamp == "o" {
            let (_, inner) = inner.split_once('/')?;
            return looks_like_address(inner).then(|| absolute(inner));
        }
        let is_stamp = stamp
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
        return (is_stamp && looks_like_address(inner)).then(|| absolute(inner));
    }
    if host.ends_with(".cdn.ampproject.org") {
        // /c/s/<host>/<path> (https) or /c/<host>/<path> (http); `v` (viewer) and `i` (image) alike.
        let rest = path.strip_prefix('/')?;
        let (kind, rest) = rest.split_once('/')?;
        if !matches!(kind, "c" | "v" | "i") {
            return None;
        }
        return Some(match rest.strip_prefix("s/") {
            Some(secure) => format!("https://{secure}"),
            None => format!("http://{rest}"),
        });
    }
    if (host == "google.com" || host.starts_with("google.")) && path.starts_with("/amp/") {
        let rest = &path["/amp/".len()..];
        return Some(match rest.strip_prefix("s/") {
            Some(secure) => format!("https://{secure}"),
            None => absolute(rest),
        });
    }
    redirect_target(path)
}

/// The http(s) URL a redirector's query parameter carries, decoded.
fn redirect_target(path: &str) -> Option<String> {
    let query = path.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query.split('&').find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !TARGET_PARAMS.iter().any(|t| name.eq_ignore_ascii_case(t)) {
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .ok()?;
        let decoded = decoded.trim();
        let head = decoded.get(..8).unwrap_or(decoded).to_ascii_lowercase();
        (head.starts_with("http://") || head.starts_with("https://")).then(|| decoded.to_owned())
    })
}

/// True when `inner` starts like an address (a scheme, or a host with a dot).
fn looks_like_address(inner: &str) -> bool {
    let head = inner.get(..8).unwrap_or(inner).to_ascii_lowercase();
    head.starts_with("http:")
        || head.starts_with("https:")
        || inner.split('/').next().is_some_and(|h| h.contains('.'))
}

/// An archived address made absolute: archives write `http:/host` (one slash) and bare
/// `host/path` as well as full URLs.
fn absolute(inner: &str) -> String {
    let lower = inner.get(..8).unwrap_or(inner).to_ascii_lowercase();
    for scheme in ["https:", "http:"] {
        if lower.starts_with(scheme) {
            let rest = inner[scheme.len()..].trim_start_matches('/');
            return format!("{scheme}//{rest}");
        }
    }
    format!("http://{inner}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wayback_machine_addresses_unwrap() {
        assert_eq!(
            unwrap(
                "https://web.archive.org/web/20190101000000/http://creativecommons.org/licenses/by-nc-sa/2.0/de/deed.de"
            ),
            "http://creativecommons.org/licenses/by-nc-sa/2.0/de/deed.de"
        );
        assert_eq!(
            unwrap("http://web.archive.org/web/2015id_/http:/creativecommons.org/licenses/by/3.0/"),
            "http://creativecommons.org/licenses/by/3.0/"
        );
        assert_eq!(
            unwrap("https://web.archive.org/web/*/example.org/a"),
            "http://example.org/a"
        );
        // Not a snapshot: the archive's own pages stay.
        assert_eq!(
            unwrap("https://web.archive.org/about/"),
            "https://web.archive.org/about/"
        );
    }

    #[test]
    fn archive_today_amp_and_redirects_unwrap() {
        assert_eq!(
            unwrap("https://archive.ph/2019.01.01-000000/https://example.org/post"),
            "https://example.org/post"
        );
        assert_eq!(
            unwrap("https://archive.ph/o/AbCd/https://example.org/post"),
            "https://example.org/post"
        );
        assert_eq!(unwrap("https://archive.ph/AbCd"), "https://archive.ph/AbCd");
        assert_eq!(
            unwrap("https://example-org.cdn.ampproject.org/c/s/example.org/2020/post/"),
            "https://example.org/2020/post/"
        );
        assert_eq!(
            unwrap("https://www.google.com/amp/s/example.org/post"),
            "https://example.org/post"
        );
        assert_eq!(
            unwrap("https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.org%2Fpost&h=x"),
            "https://example.org/post"
        );
        // An archived redirect: two layers.
        assert_eq!(
            unwrap(
                "https://web.archive.org/web/2020/https://out.example.net/r?url=https%3A%2F%2Fcreativecommons.org%2Flicenses%2Fby%2F4.0%2F"
            ),
            "https://creativecommons.org/licenses/by/4.0/"
        );
        // A query parameter that is not an address is left alone.
        assert_eq!(
            unwrap("https://example.org/search?q=cats"),
            "https://example.org/search?q=cats"
        );
    }

    #[test]
    fn tracking_parameters_go_the_rest_stays() {
        assert_eq!(
            canonical("https://example.org/a?utm_source=x&id=3&fbclid=y#top"),
            "https://example.org/a?id=3#top"
        );
        assert_eq!(
            canonical("https://example.org/a?utm_medium=rss"),
            "https://example.org/a"
        );
        assert_eq!(
            canonical("https://example.org/a?id=3"),
            "https://example.org/a?id=3"
        );
    }

    #[test]
    fn bare_urls_end_at_cjk_and_full_width_punctuation() {
        assert_eq!(
            trim_bare("http://creativecommons.org/licenses/by-nc-sa/4.0/。更多"),
            "http://creativecommons.org/licenses/by-nc-sa/4.0/"
        );
        assert_eq!(
            trim_bare("https://example.org/a，见"),
            "https://example.org/a"
        );
        assert_eq!(
            trim_bare("https://example.org/a」"),
            "https://example.org/a"
        );
        assert_eq!(
            trim_bare("https://example.org/a）"),
            "https://example.org/a"
        );
        assert_eq!(
            trim_bare("https://example.org/a)."),
            "https://example.org/a"
        );
        assert_eq!(
            trim_bare("https://en.wikipedia.org/wiki/A_(b)."),
            "https://en.wikipedia.org/wiki/A_(b)"
        );
        // Letters of any script stay: paths may be written in them.
        assert_eq!(
            trim_bare("https://example.org/tags/번역/ x"),
            "https://example.org/tags/번역/"
        );
    }
}
