//! Media hosts (`rules/media-hosts.toml`): where CC photos, videos and audio come from, and
//! which credits mark a photo as an agency's. Data, parsed with spans and validated like the
//! license and policy files; `detect::media` reads it. Not for deciding what a medium's
//! credit must contain: that is the license rules' `[verbatim]` table, read by `check`.

use serde::Deserialize;

use super::load::RuleError;

/// The bundled media-hosts file.
const BUNDLED: &str = include_str!("../../rules/media-hosts.toml");
/// Its display name.
pub const BUNDLED_NAME: &str = "rules/media-hosts.toml";
/// The file name looked for in a `--rules DIR`.
pub const FILE_NAME: &str = "media-hosts.toml";

/// Whether a host serves only freely licensed media.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Licensing {
    /// Everything there is under a free license or in the public domain (Wikimedia Commons,
    /// Openverse): a medium from it needs its credit even when no license is named.
    Free,
    /// CC and all-rights-reserved media alike (Flickr, YouTube): CC only when a caption says so.
    Mixed,
}

/// One media host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaHost {
    /// Display name, e.g. `Wikimedia Commons`.
    pub name: String,
    /// Lowercased host names (subdomains match) or host/path prefixes.
    pub patterns: Vec<String>,
    /// Whether everything it serves is freely licensed.
    pub licensing: Licensing,
    /// True for players and viewers whose `<iframe>` is a medium.
    pub embed: bool,
    /// A MediaWiki API endpoint (`https://commons.wikimedia.org/w/api.php`) that tells a file's
    /// license, for online runs.
    pub api: Option<String>,
    /// A photo page URL with `{id}` for the photo's id (`https://www.flickr.com/photo.gne?id={id}`),
    /// for hosts whose photo pages name the license in a `rel="license"` link: online runs read
    /// the page of a photo served from a static URL (`…/65535/ID_SECRET_b.jpg`).
    pub photo_page: Option<String>,
}

impl MediaHost {
    /// True when `url` (absolute, or scheme-relative `//host/…`) is on this host.
    pub fn matches(&self, url: &str) -> bool {
        let rest = url
            .split_once("://")
            .map(|(_, rest)| rest)
            .or_else(|| url.strip_prefix("//"));
        let Some(rest) = rest.map(str::to_ascii_lowercase) else {
            return false;
        };
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = host.split(':').next().unwrap_or(host);
        self.patterns.iter().any(|pattern| {
            let (want_host, want_path) = pattern.split_once('/').unwrap_or((pattern, ""));
            let host_ok = host == want_host
                || host
                    .strip_suffix(want_host)
                    .is_some_and(|sub| sub.ends_with('.'));
            host_ok && path.starts_with(want_path)
        })
    }
}

/// All media hosts and agency names in force.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaHosts {
    /// Hosts, bundled first, then each `--rules DIR`'s.
    pub hosts: Vec<MediaHost>,
    /// Agency credits (`AP Photo`, `Getty Images`): a medium credited to one is not CC.
    pub agencies: Vec<String>,
    /// Headings that open a post's credits section (`Image credits`, `Bildnachweis`), where the
    /// credits of several media are listed together.
    pub credit_sections: Vec<String>,
}

impl MediaHosts {
    /// The host called `name`.
    pub fn named(&self, name: &str) -> Option<&MediaHost> {
        self.hosts.iter().find(|h| h.name == name)
    }

    /// The first host `url` is on.
    pub fn host_of(&self, url: &str) -> Option<&MediaHost> {
        self.hosts.iter().find(|h| h.matches(url))
    }

    /// The first agency named in `text` as a whole word.
    pub fn agency_in(&self, text: &str) -> Option<&str> {
        self.agencies
            .iter()
            .find(|name| whole_word_at(text, name))
            .map(String::as_str)
    }

    /// Add another file's hosts, agencies and credits headings after these.
    pub fn extend(&mut self, other: MediaHosts) {
        self.hosts.extend(other.hosts);
        self.agencies.extend(other.agencies);
        self.credit_sections.extend(other.credit_sections);
    }

    /// The byte length of the credits heading `text` starts with (after leading markup such
    /// as `[`, `_` or `*`, and ignoring case), when it starts with one that ends there or is
    /// followed by a colon or a space.
    pub fn credit_section_at(&self, text: &str) -> Option<usize> {
        let body = text.trim_start_matches(|c: char| !c.is_alphanumeric());
        let skipped = text.len() - body.len();
        self.credit_sections.iter().find_map(|heading| {
            let head = body.get(..heading.len())?;
            let rest = &body[heading.len()..];
            let ends = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
            // Compared char by char: this runs on every block after a post's first medium.
            let same = head
                .chars()
                .flat_map(char::to_lowercase)
                .eq(heading.chars().flat_map(char::to_lowercase));
            (same && ends).then_some(skipped + heading.len())
        })
    }
}

/// True when `word` occurs in `text` with no letter or digit right before or after it.
fn whole_word_at(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    hosts: Vec<RawHost>,
    #[serde(default)]
    agencies: Option<RawAgencies>,
    #[serde(default)]
    credit_sections: Option<RawSections>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSections {
    headings: toml::Spanned<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHost {
    name: toml::Spanned<String>,
    patterns: toml::Spanned<Vec<String>>,
    licensing: Licensing,
    #[serde(default)]
    embed: bool,
    api: Option<toml::Spanned<String>>,
    photo_page: Option<toml::Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgencies {
    names: toml::Spanned<Vec<String>>,
}

/// The bundled media hosts; they are tested to load without errors.
pub fn bundled() -> Result<MediaHosts, Vec<RuleError>> {
    parse(BUNDLED_NAME, BUNDLED)
}

/// Parse and validate one media-hosts file.
pub fn parse(file: &str, text: &str) -> Result<MediaHosts, Vec<RuleError>> {
    let raw: RawFile = toml::from_str(text).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        vec![RuleError::new(
            file,
            text,
            span,
            "here",
            err.message().trim().to_owned(),
        )]
    })?;
    let mut errors = Vec::new();
    let mut hosts = Vec::new();
    for host in raw.hosts {
        if host.name.get_ref().trim().is_empty() {
            errors.push(RuleError::new(
                file,
                text,
                host.name.span(),
                "empty",
                "`name` must not be empty".to_owned(),
            ));
        }
        let patterns = host.patterns.get_ref();
        if patterns.is_empty()
            || patterns
                .iter()
                .any(|p| p.contains("://") || p.trim().is_empty() || p.starts_with('/'))
        {
            errors.push(RuleError::new(
                file,
                text,
                host.patterns.span(),
                "here",
                "`patterns` lists host names (`staticflickr.com`) or host/path prefixes (`upload.wikimedia.org/wikipedia/commons/`), without a scheme".to_owned(),
            ));
        }
        if let Some(api) = &host.api
            && !(api.get_ref().starts_with("https://") || api.get_ref().starts_with("http://"))
        {
            errors.push(RuleError::new(
                file,
                text,
                api.span(),
                "here",
                "`api` is an http(s) URL of a MediaWiki API endpoint, e.g. `https://commons.wikimedia.org/w/api.php`".to_owned(),
            ));
        }
        if let Some(page) = &host.photo_page
            && !((page.get_ref().starts_with("https://") || page.get_ref().starts_with("http://"))
                && page.get_ref().contains("{id}"))
        {
            errors.push(RuleError::new(
                file,
                text,
                page.span(),
                "here",
                "`photo_page` is an http(s) URL with `{id}` where the photo's id goes, e.g. `https://www.flickr.com/photo.gne?id={id}`".to_owned(),
            ));
        }
        hosts.push(MediaHost {
            name: host.name.into_inner(),
            patterns: host
                .patterns
                .into_inner()
                .into_iter()
                .map(|p| p.trim().to_ascii_lowercase())
                .collect(),
            licensing: host.licensing,
            embed: host.embed,
            api: host.api.map(toml::Spanned::into_inner),
            photo_page: host.photo_page.map(toml::Spanned::into_inner),
        });
    }
    let mut agencies = Vec::new();
    if let Some(raw) = raw.agencies {
        if raw.names.get_ref().iter().any(|n| n.trim().is_empty()) {
            errors.push(RuleError::new(
                file,
                text,
                raw.names.span(),
                "here",
                "`agencies.names` must not hold an empty name".to_owned(),
            ));
        }
        agencies = raw.names.into_inner();
    }
    let mut credit_sections = Vec::new();
    if let Some(raw) = raw.credit_sections {
        if raw.headings.get_ref().iter().any(|n| n.trim().is_empty()) {
            errors.push(RuleError::new(
                file,
                text,
                raw.headings.span(),
                "here",
                "`credit_sections.headings` must not hold an empty heading".to_owned(),
            ));
        }
        credit_sections = raw.headings.into_inner();
    }
    if errors.is_empty() {
        Ok(MediaHosts {
            hosts,
            agencies,
            credit_sections,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_hosts_load_and_match_commons_thumbnails_and_flickr() {
        let hosts = bundled().expect("bundled media hosts");
        let name = |url: &str| hosts.host_of(url).map(|h| h.name.as_str());
        assert_eq!(
            name("https://upload.wikimedia.org/wikipedia/commons/thumb/a/ab/Cat.jpg/320px-Cat.jpg"),
            Some("Wikimedia Commons")
        );
        assert_eq!(
            name("//upload.wikimedia.org/wikipedia/commons/a/ab/Cat.jpg"),
            Some("Wikimedia Commons")
        );
        // English Wikipedia's local (non-free) uploads are not Commons.
        assert_eq!(
            name("https://upload.wikimedia.org/wikipedia/en/a/ab/Logo.png"),
            None
        );
        assert_eq!(
            name("https://live.staticflickr.com/65535/1_abc_b.jpg"),
            Some("Flickr")
        );
        assert_eq!(
            name("https://farm4.staticflickr.com/1/2.jpg"),
            Some("Flickr")
        );
        assert_eq!(name("https://notflickr.com/x.jpg"), None);
        assert_eq!(name("cat.jpg"), None);
    }

    #[test]
    fn agencies_match_whole_words_only() {
        let hosts = bundled().expect("bundled media hosts");
        assert_eq!(hosts.agency_in("(AP Photo/Jane Roe)"), Some("AP Photo"));
        assert_eq!(hosts.agency_in("Photo: Getty Images"), Some("Getty Images"));
        assert_eq!(hosts.agency_in("Photo: Safari trip"), None);
        assert_eq!(hosts.agency_in("REPAIR"), None);
    }

    #[test]
    fn credits_headings_match_at_the_start_ignoring_case_and_markup() {
        let hosts = bundled().expect("bundled media hosts");
        assert_eq!(hosts.credit_section_at("Image credits: Ana Ruiz"), Some(13));
        assert_eq!(
            hosts.credit_section_at("\\[Image Credits: Public Domain\\]"),
            Some(15)
        );
        assert_eq!(hosts.credit_section_at("Photo credits"), Some(13));
        assert_eq!(hosts.credit_section_at("Bildnachweis"), Some(12));
        assert_eq!(hosts.credit_section_at("图片来源：维基百科"), Some(12));
        assert_eq!(hosts.credit_section_at("Image creditsX"), None);
        assert_eq!(hosts.credit_section_at("Our image credits policy"), None);
        let text = "[credit_sections]\nheadings = [\"\"]\n";
        let errors = parse("m.toml", text).expect_err("invalid");
        assert_eq!((errors[0].line, errors[0].column), (2, 12));
    }

    #[test]
    fn a_bad_licensing_value_points_at_it() {
        let text = "[[hosts]]\nname = \"X\"\npatterns = [\"x.org\"]\nlicensing = \"open\"\n";
        let errors = parse("m.toml", text).expect_err("invalid");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
        assert!(
            errors[0].message.contains("unknown variant"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn a_pattern_with_a_scheme_is_rejected() {
        let text =
            "[[hosts]]\nname = \"X\"\npatterns = [\"https://x.org\"]\nlicensing = \"free\"\n";
        let errors = parse("m.toml", text).expect_err("invalid");
        assert_eq!((errors[0].line, errors[0].column), (3, 12));
    }

    #[test]
    fn an_api_that_is_no_url_is_rejected_and_commons_has_one() {
        let text = "[[hosts]]\nname = \"X\"\npatterns = [\"x.org\"]\nlicensing = \"free\"\napi = \"x.org/api\"\n";
        let errors = parse("m.toml", text).expect_err("invalid");
        assert_eq!((errors[0].line, errors[0].column), (5, 7));
        let hosts = bundled().expect("bundled");
        assert_eq!(
            hosts
                .named("Wikimedia Commons")
                .and_then(|h| h.api.as_deref()),
            Some("https://commons.wikimedia.org/w/api.php")
        );
    }

    #[test]
    fn a_photo_page_without_an_id_slot_is_rejected_and_flickr_has_one() {
        let text = "[[hosts]]\nname = \"X\"\npatterns = [\"x.org\"]\nlicensing = \"mixed\"\nphoto_page = \"https://x.org/photo\"\n";
        let errors = parse("m.toml", text).expect_err("invalid");
        assert_eq!((errors[0].line, errors[0].column), (5, 14));
        let hosts = bundled().expect("bundled");
        assert_eq!(
            hosts.named("Flickr").and_then(|h| h.photo_page.as_deref()),
            Some("https://www.flickr.com/photo.gne?id={id}")
        );
    }
}
