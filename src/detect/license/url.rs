//! Creative Commons URLs: deeds and legal code (`creativecommons.org/licenses/…`,
//! `/publicdomain/zero|mark/1.0/`), button images (`i.creativecommons.org/l/…`,
//! `licensebuttons.net/l/…`) and the chooser's version-less icons and buttons
//! (`mirrors.creativecommons.org/presskit/…`).
//!
//! Only parsing: whether a URL is a claim about the post is decided by the caller.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::detect::url_canon;

/// What kind of CC resource a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// A deed, legal code or RDF page on creativecommons.org: the license itself.
    Deed,
    /// A button image that encodes code, version and port (`88x31.png`).
    Button,
    /// A presskit icon for one license element (`by.svg`, `nc.svg`, `cc.svg`): no version.
    Icon,
}

/// A CC license as a URL names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlLicense {
    /// Deed, button or icon.
    pub kind: UrlKind,
    /// The code (`by-nc-sa`, `zero`, `mark`), or for an icon the element (`by`, `nc`, `cc`…).
    pub code: String,
    /// The version when the URL gives one.
    pub version: Option<String>,
    /// The port (`de`, `igo`, `scotland`) when the URL gives one.
    pub jurisdiction: Option<String>,
}

/// A CC URL written in running text, with or without a scheme, ended by CJK or full-width
/// punctuation as well as by ASCII delimiters.
pub static IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?i)(?:(?:https?:)?//)?(?:(?:www|i|mirrors)\.)?(?:creativecommons\.org|licensebuttons\.net)/[^\s"'<>()\[\]{{}}&{}]*"#,
        url_canon::STOP_CLASS
    ))
    .expect("valid regex")
});

/// Literals one of which every [`IN_TEXT`] match holds once folded as names are (see
/// [`super::code::FOLDED_LITERALS`]; neither has an `s` or `k`).
pub const FOLDED_LITERALS: [&str; 2] = ["creativecommon", "button"];

/// Any http(s) URL in running text (short codes inside other URLs are not claims).
pub static ANY_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?i)(?:https?://|www\.)[^\s"'<>{}]+"#,
        url_canon::STOP_CLASS
    ))
    .expect("valid regex")
});

static VERSION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d\.\d$").expect("valid regex"));

static CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z][a-z+-]*$").expect("valid regex"));

static JURISDICTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z]{2,10}$").expect("valid regex"));

/// Parse a URL (as written: scheme optional, entities already decoded) into the license it
/// names; `None` for anything that is not a CC license, tool, button or icon URL.
pub fn parse(url: &str) -> Option<UrlLicense> {
    // Most links and images are elsewhere: look at the start before splitting and lowercasing
    // the whole URL (some are long `data:` URIs).
    if starts_with_cc_host(url) {
        return parse_unwrapped(url);
    }
    // A deed behind the Wayback Machine, archive.today, an AMP cache or a redirector (an
    // archived site's footer badge) is still the deed.
    let inner = url_canon::unwrap(url);
    match inner {
        Cow::Owned(inner) if starts_with_cc_host(&inner) => parse_unwrapped(&inner),
        _ => None,
    }
}

/// [`parse`] for a URL that is not wrapped.
fn parse_unwrapped(url: &str) -> Option<UrlLicense> {
    let (host, path) = split_host(url)?;
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // Keep in step with HOSTS.
    match host.as_str() {
        "creativecommons.org" | "www.creativecommons.org" => deed(&segments),
        "i.creativecommons.org" | "licensebuttons.net" | "www.licensebuttons.net" => {
            button(&segments)
        }
        "mirrors.creativecommons.org" => presskit(&segments),
        _ => None,
    }
}

/// Hosts [`parse`] knows.
const HOSTS: [&str; 6] = [
    "creativecommons.org",
    "www.creativecommons.org",
    "i.creativecommons.org",
    "mirrors.creativecommons.org",
    "licensebuttons.net",
    "www.licensebuttons.net",
];

/// False when [`split_host`] cannot find one of [`HOSTS`] in `url`: after the scheme, the
/// URL does not start with one, in any ASCII case.
fn starts_with_cc_host(url: &str) -> bool {
    let url = url.trim().as_bytes();
    let rest = ["https://", "http://", "//"]
        .iter()
        .find_map(|p| strip_prefix_ignore_case(url, p.as_bytes()))
        .unwrap_or(url);
    HOSTS
        .iter()
        .any(|h| strip_prefix_ignore_case(rest, h.as_bytes()).is_some())
}

fn strip_prefix_ignore_case<'u>(text: &'u [u8], prefix: &[u8]) -> Option<&'u [u8]> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// The lowercased host and the path (query and fragment removed) of a URL.
fn split_host(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    let end = url
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
        .unwrap_or(url.len());
    let url = url.get(..end)?;
    let lower = url.to_ascii_lowercase();
    let rest = ["https://", "http://", "//"]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
        .unwrap_or(&lower);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    Some((host.to_owned(), path.to_owned()))
}

fn deed(segments: &[&str]) -> Option<UrlLicense> {
    match segments {
        ["licenses", code, rest @ ..] => {
            let code = valid_code(code)?;
            let version = rest.first().filter(|v| VERSION.is_match(v));
            let jurisdiction = version
                .and_then(|_| rest.get(1))
                .filter(|j| is_jurisdiction(j));
            Some(UrlLicense {
                kind: UrlKind::Deed,
                code,
                version: version.map(|v| (*v).to_owned()),
                jurisdiction: jurisdiction.map(|j| (*j).to_owned()),
            })
        }
        ["publicdomain", tool @ ("zero" | "mark"), rest @ ..] => Some(UrlLicense {
            kind: UrlKind::Deed,
            code: (*tool).to_owned(),
            version: rest
                .first()
                .filter(|v| VERSION.is_match(v))
                .map(|v| (*v).to_owned()),
            jurisdiction: None,
        }),
        _ => None,
    }
}

fn button(segments: &[&str]) -> Option<UrlLicense> {
    let (code, rest) = match segments {
        ["l", code, rest @ ..] => (valid_code(code)?, rest),
        ["p", tool @ ("zero" | "mark"), rest @ ..] => ((*tool).to_owned(), rest),
        _ => return None,
    };
    let version = rest.first().filter(|v| VERSION.is_match(v));
    let jurisdiction = version
        .and_then(|_| rest.get(1))
        .filter(|j| !j.contains('.') && is_jurisdiction(j));
    Some(UrlLicense {
        kind: UrlKind::Button,
        code,
        version: version.map(|v| (*v).to_owned()),
        jurisdiction: jurisdiction.map(|j| (*j).to_owned()),
    })
}

/// `presskit/icons/<element>.svg` (one icon per element) and
/// `presskit/buttons/<size>/<fmt>/<code>.<ext>` (a version-less button for a whole license).
fn presskit(segments: &[&str]) -> Option<UrlLicense> {
    let (kind, file) = match segments {
        ["presskit", "icons", file] => (UrlKind::Icon, *file),
        ["presskit", "buttons", .., file] => (UrlKind::Button, *file),
        _ => return None,
    };
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let code = match stem {
        "cc-zero" => "zero".to_owned(),
        "publicdomain" | "pd" => "mark".to_owned(),
        other => valid_code(other)?,
    };
    Some(UrlLicense {
        kind,
        code,
        version: None,
        jurisdiction: None,
    })
}

fn valid_code(code: &str) -> Option<String> {
    CODE.is_match(code).then(|| code.to_owned())
}

/// A path segment after the version that names a port rather than a page.
fn is_jurisdiction(segment: &str) -> bool {
    JURISDICTION.is_match(segment)
        && !segment.starts_with("deed")
        && !segment.starts_with("legalcode")
        && segment != "rdf"
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parsed = (String, Option<String>, Option<String>);

    fn code_ver_juris(url: &str) -> Option<Parsed> {
        parse(url).map(|l| (l.code, l.version, l.jurisdiction))
    }

    #[allow(clippy::unnecessary_wraps)] // compared with `parse`'s Option
    fn some(code: &str, ver: Option<&str>, juris: Option<&str>) -> Option<Parsed> {
        Some((
            code.to_owned(),
            ver.map(str::to_owned),
            juris.map(str::to_owned),
        ))
    }

    #[test]
    fn deeds_legal_code_and_ports() {
        assert_eq!(
            code_ver_juris("https://creativecommons.org/licenses/by-nc-sa/4.0/"),
            some("by-nc-sa", Some("4.0"), None)
        );
        assert_eq!(
            code_ver_juris("http://www.creativecommons.org/licenses/by-sa/3.0/es/deed.es"),
            some("by-sa", Some("3.0"), Some("es"))
        );
        assert_eq!(
            code_ver_juris("https://creativecommons.org/licenses/by-nd/4.0/legalcode.txt"),
            some("by-nd", Some("4.0"), None)
        );
        assert_eq!(
            code_ver_juris("https://creativecommons.org/licenses/by/3.0/igo/legalcode.en"),
            some("by", Some("3.0"), Some("igo"))
        );
        assert_eq!(
            code_ver_juris("//creativecommons.org/licenses/by-nc/4.0/?ref=chooser-v1"),
            some("by-nc", Some("4.0"), None)
        );
        assert_eq!(
            code_ver_juris("creativecommons.org/licenses/by/3.0/deed.en_US"),
            some("by", Some("3.0"), None)
        );
        assert_eq!(
            code_ver_juris("https://creativecommons.org/licenses/by-nd-nc/1.0/"),
            some("by-nd-nc", Some("1.0"), None)
        );
        assert_eq!(
            code_ver_juris("https://creativecommons.org/publicdomain/zero/1.0/deed.de"),
            some("zero", Some("1.0"), None)
        );
        assert_eq!(
            code_ver_juris("https://creativecommons.org/publicdomain/mark/1.0/"),
            some("mark", Some("1.0"), None)
        );
        assert_eq!(
            code_ver_juris("HTTPS://CreativeCommons.ORG/licenses/by/4.0/"),
            some("by", Some("4.0"), None)
        );
        assert_eq!(
            code_ver_juris("https://creativecommons.org/licenses/publicdomain/"),
            some("publicdomain", None, None)
        );
    }

    #[test]
    fn buttons_and_icons() {
        let button = parse("https://i.creativecommons.org/l/by-sa/3.0/de/88x31.png").unwrap();
        assert_eq!(button.kind, UrlKind::Button);
        assert_eq!(
            (
                button.code.as_str(),
                button.version.as_deref(),
                button.jurisdiction.as_deref()
            ),
            ("by-sa", Some("3.0"), Some("de"))
        );
        assert_eq!(
            code_ver_juris("https://licensebuttons.net/l/by-nc/4.0/80x15.png"),
            some("by-nc", Some("4.0"), None)
        );
        assert_eq!(
            code_ver_juris("http://i.creativecommons.org/p/zero/1.0/88x31.png"),
            some("zero", Some("1.0"), None)
        );
        let icon =
            parse("https://mirrors.creativecommons.org/presskit/icons/nc.svg?ref=chooser-v1")
                .unwrap();
        assert_eq!(
            (icon.kind, icon.code.as_str(), icon.version),
            (UrlKind::Icon, "nc", None)
        );
    }

    #[test]
    fn other_urls_are_not_licenses() {
        assert_eq!(parse("http://creativecommons.org/ns#"), None);
        assert_eq!(parse("https://creativecommons.org/about/"), None);
        assert_eq!(parse("https://example.org/licenses/by/4.0/"), None);
        assert_eq!(parse(""), None);
    }
}
