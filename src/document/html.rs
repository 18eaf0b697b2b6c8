//! HTML extraction from html5gum tokens, which carry exact byte spans.

use super::Document;

/// Parse an HTML page.
pub fn extract(_text: &str) -> Document {
    Document::default()
}
