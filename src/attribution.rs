//! Credit lines in CC's recommended TASL form (Title, Author, Source, License), as text,
//! Markdown or HTML with CC REL RDFa, for `ccguard attribution` and for the help of findings;
//! and media credit lines for one photo, video or audio ("Photo: Creator, "file", License,
//! via Host"), for `ccguard attribution --media` and `fix`.

/// What a credit line says; any part may be missing and is then left out or shown as a placeholder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    /// The original's title.
    pub title: Option<String>,
    /// The original's author(s).
    pub author: Option<String>,
    /// The original's URL.
    pub source: Option<String>,
    /// The license's short name, e.g. `CC BY-NC 4.0`.
    pub license_name: Option<String>,
    /// The license deed URL.
    pub license_url: Option<String>,
    /// The original's language, for translations ("Spanish").
    pub translated_from: Option<String>,
    /// Who translated it.
    pub translator: Option<String>,
}

impl Attribution {
    /// The credit line as plain text:
    /// `"Title" by Author (URL), translated from the Spanish by T, is licensed under CC BY 4.0 (URL).`
    pub fn text(&self) -> String {
        format!(
            "\"{}\" by {} ({}){} is licensed under {} ({}).",
            self.title.as_deref().unwrap_or("<title>"),
            self.author.as_deref().unwrap_or("<author>"),
            web_url(self.source.as_deref()).unwrap_or("<link to the original>"),
            self.translation_clause(str::to_owned),
            self.license_name
                .as_deref()
                .unwrap_or("<license and version>"),
            web_url(self.license_url.as_deref()).unwrap_or("<link to the license deed>")
        )
    }

    /// The credit line as Markdown, with the title and license linked. Every field is escaped so
    /// that it shows as written and cannot add links or markup; only http(s) URLs become links
    /// (any other is left out, as if missing).
    pub fn markdown(&self) -> String {
        let title = self
            .title
            .as_deref()
            .map_or_else(|| "<title>".to_owned(), markdown_text);
        let source = web_url(self.source.as_deref())
            .map_or_else(|| "<link to the original>".to_owned(), markdown_destination);
        let title = format!("[\"{title}\"]({source})");
        let license = self
            .license_name
            .as_deref()
            .map_or_else(|| "<license and version>".to_owned(), markdown_text);
        let license = match web_url(self.license_url.as_deref()) {
            Some(url) => format!("[{license}]({})", markdown_destination(url)),
            None => license,
        };
        format!(
            "{title} by {}{} is licensed under {license}.",
            self.author
                .as_deref()
                .map_or_else(|| "<author>".to_owned(), markdown_text),
            self.translation_clause(markdown_text)
        )
    }

    /// The credit line as HTML with CC REL RDFa, the way CC's license chooser writes it. Every
    /// field is escaped; only http(s) URLs become links (any other gives `href="#"`).
    pub fn html(&self) -> String {
        let title = escape(self.title.as_deref().unwrap_or("<title>"));
        let author = escape(self.author.as_deref().unwrap_or("<author>"));
        let source = escape(web_url(self.source.as_deref()).unwrap_or("#"));
        let license = escape(
            self.license_name
                .as_deref()
                .unwrap_or("<license and version>"),
        );
        let license_url = escape(web_url(self.license_url.as_deref()).unwrap_or("#"));
        format!(
            "<p xmlns:cc=\"http://creativecommons.org/ns#\" xmlns:dct=\"http://purl.org/dc/terms/\">\
             <a property=\"dct:title\" rel=\"cc:attributionURL\" href=\"{source}\">{title}</a> by \
             <span property=\"cc:attributionName\">{author}</span>{} is licensed under \
             <a href=\"{license_url}\" rel=\"license noopener noreferrer\">{license}</a></p>",
            self.translation_clause(escape)
        )
    }

    /// ", translated from the Spanish by T," with each name passed through `escape`.
    fn translation_clause(&self, escape: impl Fn(&str) -> String) -> String {
        match (&self.translated_from, &self.translator) {
            (Some(lang), Some(who)) => {
                format!(", translated from the {} by {},", escape(lang), escape(who))
            }
            (Some(lang), None) => format!(", translated from the {},", escape(lang)),
            (None, Some(who)) => format!(", translated by {},", escape(who)),
            (None, None) => String::new(),
        }
    }
}

/// A credit line for one photo, video or audio, in the form Commons' "Use this file" dialog and
/// photo captions use: `Photo: Creator, "Title", License, via Host`, the title linked to the
/// medium's page and the license to its deed. The license link carries no `rel="license"`: that
/// would state the license of the whole page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaCredit {
    /// `Photo`, `Video` or `Audio`.
    pub label: String,
    /// Who made it.
    pub creator: String,
    /// Its title or file name.
    pub title: Option<String>,
    /// Its page (a Commons file page, a Flickr photo page).
    pub source: Option<String>,
    /// The license's short name, e.g. `CC BY-SA 4.0`.
    pub license_name: String,
    /// The license deed URL.
    pub license_url: Option<String>,
    /// The host it comes from, e.g. `Wikimedia Commons`.
    pub via: Option<String>,
}

impl MediaCredit {
    /// As plain text: `Photo: Ana Ruiz, "Dock.jpg" (URL), CC BY-SA 4.0 (URL), via Wikimedia Commons`.
    pub fn text(&self) -> String {
        let with_url = |text: String, url: Option<&str>| match web_url(url) {
            Some(url) => format!("{text} ({url})"),
            None => text,
        };
        let who = format!("{}: {}", self.label, self.creator);
        let mut parts = match &self.title {
            Some(title) => vec![
                who,
                with_url(format!("\"{title}\""), self.source.as_deref()),
            ],
            None => vec![with_url(who, self.source.as_deref())],
        };
        parts.push(with_url(
            self.license_name.clone(),
            self.license_url.as_deref(),
        ));
        parts.join(", ") + &self.via_clause(str::to_owned)
    }

    /// As Markdown, every field escaped; only http(s) URLs become links.
    pub fn markdown(&self) -> String {
        let link = |text: String, url: Option<&str>| match web_url(url) {
            Some(url) => format!("[{text}]({})", markdown_destination(url)),
            None => text,
        };
        let mut parts = vec![format!(
            "{}: {}",
            markdown_text(&self.label),
            markdown_text(&self.creator)
        )];
        if let Some(title) = &self.title {
            parts.push(link(
                format!("\"{}\"", markdown_text(title)),
                self.source.as_deref(),
            ));
        }
        parts.push(link(
            markdown_text(&self.license_name),
            self.license_url.as_deref(),
        ));
        parts.join(", ") + &self.via_clause(markdown_text)
    }

    /// As an HTML fragment (no enclosing element), every field escaped; only http(s) URLs
    /// become links.
    pub fn html(&self) -> String {
        let link = |text: String, url: Option<&str>| match web_url(url) {
            Some(url) => format!("<a href=\"{}\">{text}</a>", escape(url)),
            None => text,
        };
        let mut parts = vec![format!(
            "{}: {}",
            escape(&self.label),
            escape(&self.creator)
        )];
        if let Some(title) = &self.title {
            parts.push(link(
                format!("\u{201c}{}\u{201d}", escape(title)),
                self.source.as_deref(),
            ));
        }
        parts.push(link(
            escape(&self.license_name),
            self.license_url.as_deref(),
        ));
        parts.join(", ") + &self.via_clause(escape)
    }

    /// `, via Host` with the host passed through `escape`, or nothing.
    fn via_clause(&self, escape: impl Fn(&str) -> String) -> String {
        self.via
            .as_deref()
            .map_or_else(String::new, |via| format!(", via {}", escape(via)))
    }
}

/// True when `url` is an absolute `http` or `https` URL with a host, written without spaces or
/// control characters: the only kind of link a credit line makes (a `javascript:` or `data:`
/// "source" would run or show anything when clicked).
pub fn is_web_url(url: &str) -> bool {
    !url.chars().any(|c| c.is_whitespace() || c.is_control())
        && reqwest::Url::parse(url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
}

/// `url` when it is a web URL ([`is_web_url`]), else `None` (treated as missing).
fn web_url(url: Option<&str>) -> Option<&str> {
    url.filter(|u| is_web_url(u))
}

/// Escape text for Markdown: every character that could start a link, emphasis, code, HTML or
/// an entity is backslash-escaped, and line breaks become spaces (one could start a new block).
fn markdown_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '\r' | '\n' => escaped.push(' '),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A web URL as a Markdown link destination: the characters that would end it or open another
/// are backslash-escaped (CommonMark keeps the URL itself unchanged).
fn markdown_destination(url: &str) -> String {
    let mut escaped = String::with_capacity(url.len());
    for c in url.chars() {
        if matches!(c, '(' | ')' | '<' | '>' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The English name of an ISO 639-1 language code, for "translated from the Spanish"; the code
/// itself when unknown.
pub fn language_name(code: &str) -> String {
    const NAMES: &[(&str, &str)] = &[
        ("ar", "Arabic"),
        ("de", "German"),
        ("en", "English"),
        ("es", "Spanish"),
        ("fr", "French"),
        ("it", "Italian"),
        ("ja", "Japanese"),
        ("ko", "Korean"),
        ("nl", "Dutch"),
        ("pl", "Polish"),
        ("pt", "Portuguese"),
        ("ru", "Russian"),
        ("tr", "Turkish"),
        ("uk", "Ukrainian"),
        ("zh", "Chinese"),
    ];
    NAMES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(_, name)| (*name).to_owned())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Attribution {
        Attribution {
            title: Some("China and Cuba".into()),
            author: Some("Katherin Hormigó Rubio".into()),
            source: Some("https://example.org/cuba".into()),
            license_name: Some("CC BY-NC 4.0".into()),
            license_url: Some("https://creativecommons.org/licenses/by-nc/4.0/".into()),
            translated_from: Some("Spanish".into()),
            translator: None,
        }
    }

    #[test]
    fn text_line_has_all_four_parts() {
        assert_eq!(
            sample().text(),
            "\"China and Cuba\" by Katherin Hormigó Rubio (https://example.org/cuba), translated from the Spanish, \
             is licensed under CC BY-NC 4.0 (https://creativecommons.org/licenses/by-nc/4.0/)."
        );
    }

    #[test]
    fn markdown_links_title_and_license() {
        assert_eq!(
            sample().markdown(),
            "[\"China and Cuba\"](https://example.org/cuba) by Katherin Hormigó Rubio, translated from the Spanish, \
             is licensed under [CC BY-NC 4.0](https://creativecommons.org/licenses/by-nc/4.0/)."
        );
    }

    #[test]
    fn html_carries_rdfa() {
        let html = sample().html();
        assert!(html.contains("property=\"cc:attributionName\">Katherin Hormigó Rubio</span>"));
        assert!(html.contains("rel=\"license noopener noreferrer\">CC BY-NC 4.0</a>"));
    }

    #[test]
    fn markdown_escapes_every_field_and_links_only_web_urls() {
        let credit = Attribution {
            title: Some("x](javascript:alert(1)) *b* <i>".into()),
            author: Some("A_B\n# C".into()),
            source: Some("https://example.org/a_(b)".into()),
            license_name: Some("CC BY 4.0".into()),
            license_url: Some("javascript:alert(1)".into()),
            translated_from: Some("[es]".into()),
            translator: Some("`T`".into()),
        };
        assert_eq!(
            credit.markdown(),
            "[\"x\\](javascript:alert(1)) \\*b\\* \\<i\\>\"](https://example.org/a_\\(b\\)) by A\\_B # C, \
             translated from the \\[es\\] by \\`T\\`, is licensed under CC BY 4.0."
        );
    }

    #[test]
    fn only_absolute_http_urls_are_web_urls() {
        for url in [
            "https://example.org/x",
            "http://example.org",
            "HTTPS://EXAMPLE.ORG/",
        ] {
            assert!(is_web_url(url), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " https://example.org/",
            "https://example.org/\n)",
            "data:text/html,x",
            "//example.org/",
            "/relative",
            "https://",
            "file:///etc/passwd",
        ] {
            assert!(!is_web_url(url), "{url}");
        }
    }

    fn dock() -> MediaCredit {
        MediaCredit {
            label: "Photo".into(),
            creator: "Ana Ruiz".into(),
            title: Some("Dock.jpg".into()),
            source: Some("https://commons.wikimedia.org/wiki/File:Dock.jpg".into()),
            license_name: "CC BY-SA 4.0".into(),
            license_url: Some("https://creativecommons.org/licenses/by-sa/4.0/".into()),
            via: Some("Wikimedia Commons".into()),
        }
    }

    #[test]
    fn media_credit_lines_in_three_formats() {
        assert_eq!(
            dock().text(),
            "Photo: Ana Ruiz, \"Dock.jpg\" (https://commons.wikimedia.org/wiki/File:Dock.jpg), \
             CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/), via Wikimedia Commons"
        );
        assert_eq!(
            dock().markdown(),
            "Photo: Ana Ruiz, [\"Dock.jpg\"](https://commons.wikimedia.org/wiki/File:Dock.jpg), \
             [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/), via Wikimedia Commons"
        );
        assert_eq!(
            dock().html(),
            "Photo: Ana Ruiz, <a href=\"https://commons.wikimedia.org/wiki/File:Dock.jpg\">\u{201c}Dock.jpg\u{201d}</a>, \
             <a href=\"https://creativecommons.org/licenses/by-sa/4.0/\">CC BY-SA 4.0</a>, via Wikimedia Commons"
        );
        let bare = MediaCredit {
            title: None,
            via: None,
            ..dock()
        };
        assert_eq!(
            bare.text(),
            "Photo: Ana Ruiz (https://commons.wikimedia.org/wiki/File:Dock.jpg), CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"
        );
    }

    #[test]
    fn media_credit_lines_escape_every_field() {
        let hostile = MediaCredit {
            creator: "<img src=x onerror=alert(1)>".into(),
            title: Some("a](javascript:x)".into()),
            source: Some("javascript:alert(1)".into()),
            via: Some("*Host*".into()),
            ..dock()
        };
        assert_eq!(
            hostile.html(),
            "Photo: &lt;img src=x onerror=alert(1)&gt;, \u{201c}a](javascript:x)\u{201d}, \
             <a href=\"https://creativecommons.org/licenses/by-sa/4.0/\">CC BY-SA 4.0</a>, via *Host*"
        );
        assert_eq!(
            hostile.markdown(),
            "Photo: \\<img src=x onerror=alert(1)\\>, \"a\\](javascript:x)\", \
             [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/), via \\*Host\\*"
        );
    }

    #[test]
    fn html_never_links_a_script_url() {
        let credit = Attribution {
            source: Some("javascript:alert(1)".into()),
            ..sample()
        };
        let html = credit.html();
        assert!(html.contains("href=\"#\""), "{html}");
        assert!(!html.contains("javascript"), "{html}");
    }
}
