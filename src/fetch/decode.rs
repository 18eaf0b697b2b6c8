//! Turn a fetched body into a [`Source`]: the format from the content type (HTML, Markdown,
//! plain text; anything else is refused), the text decoded by the header's charset, else the
//! page's `<meta charset>`, else a byte-order mark, else UTF-8.

use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_8};
use regex::bytes::Regex;

use crate::source::{Format, Source};

/// `<meta charset="x">` or `<meta http-equiv="Content-Type" content="text/html; charset=x">`.
static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.-]+)"#).expect("valid regex")
});

/// The format of a body by its content type; `Err` names a type ccguard cannot check.
pub fn format_of(content_type: Option<&str>, body: &[u8]) -> Result<Format, String> {
    let mime = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase());
    match mime.as_deref() {
        Some("text/html" | "application/xhtml+xml") => Ok(Format::Html),
        Some("text/markdown" | "text/x-markdown" | "text/plain") => Ok(Format::Markdown),
        None | Some("") => {
            let start = body.iter().position(|b| !b.is_ascii_whitespace());
            Ok(if start.and_then(|i| body.get(i)) == Some(&b'<') {
                Format::Html
            } else {
                Format::Markdown
            })
        }
        Some(other) => Err(format!(
            "the content type is `{other}`, not HTML, Markdown or plain text"
        )),
    }
}

/// The encoding named by the content type's `charset` parameter, or for HTML by a `<meta>`
/// in the first 1024 bytes.
pub fn encoding_of(content_type: Option<&str>, body: &[u8], format: Format) -> &'static Encoding {
    let from_header = content_type.and_then(|t| {
        t.split(';').skip(1).find_map(|param| {
            let (key, value) = param.split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| Encoding::for_label(value.trim().trim_matches('"').as_bytes()))?
        })
    });
    let from_meta = || {
        if format != Format::Html {
            return None;
        }
        let head = body.get(..body.len().min(1024))?;
        let label = META_CHARSET.captures(head)?.get(1)?;
        Encoding::for_label(label.as_bytes())
    };
    let from_bom = || Encoding::for_bom(body).map(|(encoding, _)| encoding);
    from_header
        .or_else(from_meta)
        .or_else(from_bom)
        .unwrap_or(UTF_8)
}

/// Decode a fetched body into a source named `name`.
pub fn decode(name: &str, content_type: Option<&str>, body: &[u8]) -> Result<Source, String> {
    let format = format_of(content_type, body)?;
    let encoding = encoding_of(content_type, body, format);
    if encoding == UTF_8 {
        return Ok(Source::from_bytes(name, body, format));
    }
    let (text, _, had_errors) = encoding.decode(body);
    let mut source = Source::from_text(name, text.into_owned(), format);
    source.lossy = had_errors;
    Ok(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_content_type() {
        assert_eq!(
            format_of(Some("text/html; charset=utf-8"), b""),
            Ok(Format::Html)
        );
        assert_eq!(format_of(Some("text/markdown"), b""), Ok(Format::Markdown));
        assert_eq!(format_of(Some("text/plain"), b""), Ok(Format::Markdown));
        assert_eq!(format_of(None, b"  <!doctype html>"), Ok(Format::Html));
        assert_eq!(
            format_of(Some("application/pdf"), b"%PDF-1.7"),
            Err(
                "the content type is `application/pdf`, not HTML, Markdown or plain text"
                    .to_owned()
            )
        );
    }

    #[test]
    fn charset_comes_from_header_then_meta() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><p>caf\xe9</p>";
        let source = decode("u", Some("text/html"), latin1).unwrap();
        assert!(source.text.ends_with("<p>café</p>"));
        assert!(!source.lossy);
        let source = decode(
            "u",
            Some("text/html; charset=windows-1252"),
            b"<p>\x93hi\x94</p>",
        )
        .unwrap();
        assert_eq!(source.text, "<p>\u{201c}hi\u{201d}</p>");
        let equiv =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-15\">";
        assert_eq!(encoding_of(None, equiv, Format::Html).name(), "ISO-8859-15");
        assert_eq!(encoding_of(None, b"# x", Format::Markdown), UTF_8);
    }
}
