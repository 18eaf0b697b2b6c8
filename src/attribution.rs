//! Credit lines in CC's recommended TASL form (Title, Author, Source, License), as text,
//! Markdown or HTML with CC REL RDFa, for `ccguard attribution` and for the help of findings.

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
            self.source.as_deref().unwrap_or("<link to the original>"),
            self.translation_clause(),
            self.license_name
                .as_deref()
                .unwrap_or("<license and version>"),
            self.license_url
                .as_deref()
                .unwrap_or("<link to the license deed>")
        )
    }

    /// The credit line as Markdown, with the title and license linked.
    pub fn markdown(&self) -> String {
        let title = self.title.as_deref().unwrap_or("<title>");
        let source = self.source.as_deref().unwrap_or("<link to the original>");
        let title = format!("[\"{title}\"]({source})");
        let license = self
            .license_name
            .as_deref()
            .unwrap_or("<license and version>");
        let license = match &self.license_url {
            Some(url) => format!("[{license}]({url})"),
            None => license.to_owned(),
        };
        format!(
            "{title} by {}{} is licensed under {license}.",
            self.author.as_deref().unwrap_or("<author>"),
            self.translation_clause()
        )
    }

    /// The credit line as HTML with CC REL RDFa, the way CC's license chooser writes it.
    pub fn html(&self) -> String {
        let title = escape(self.title.as_deref().unwrap_or("<title>"));
        let author = escape(self.author.as_deref().unwrap_or("<author>"));
        let source = escape(self.source.as_deref().unwrap_or("#"));
        let license = escape(
            self.license_name
                .as_deref()
                .unwrap_or("<license and version>"),
        );
        let license_url = escape(self.license_url.as_deref().unwrap_or("#"));
        format!(
            "<p xmlns:cc=\"http://creativecommons.org/ns#\" xmlns:dct=\"http://purl.org/dc/terms/\">\
             <a property=\"dct:title\" rel=\"cc:attributionURL\" href=\"{source}\">{title}</a> by \
             <span property=\"cc:attributionName\">{author}</span>{} is licensed under \
             <a href=\"{license_url}\" rel=\"license noopener noreferrer\">{license}</a></p>",
            escape(&self.translation_clause())
        )
    }

    fn translation_clause(&self) -> String {
        match (&self.translated_from, &self.translator) {
            (Some(lang), Some(who)) => format!(", translated from the {lang} by {who},"),
            (Some(lang), None) => format!(", translated from the {lang},"),
            (None, Some(who)) => format!(", translated by {who},"),
            (None, None) => String::new(),
        }
    }
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
}
