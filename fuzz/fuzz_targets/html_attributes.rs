//! The HTML tokenizer path on tags with many attributes, long names and long values, built from
//! the fuzz input: html5gum nests one call per double-quoted attribute, so these overflowed the
//! stack until `document::html` broke the chains. Beyond not crashing, the license link written
//! after the attributes must still be found, with its `rel` and `href`: nothing that matters for
//! detection may be dropped to keep the stack bounded.
#![no_main]

mod common;

use ccguard::document;
use ccguard::source::{Format, Source};

const HREF: &str = "https://creativecommons.org/licenses/by/4.0/";

/// A page whose `<a rel="license">` carries attributes shaped by `data`: the first two bytes
/// and the third scale their count (up to about half a million), the rest pick each
/// attribute's spacing, quoting (double, single, with a character reference, or a value that
/// reads like the gap between two attributes) and value length in turn.
fn page(data: &[u8]) -> Option<String> {
    let [high, low, scale, shapes @ ..] = data else {
        return None;
    };
    if shapes.is_empty() {
        return None;
    }
    let count = usize::from(u16::from_be_bytes([*high, *low])) * (1 + usize::from(scale % 8));
    let mut html = String::from("<p>By Jane Doe.</p>\n<a");
    for i in 0..count {
        let shape = shapes[i % shapes.len()];
        html.push_str(match shape & 3 {
            0 => " ",
            1 => "\n",
            2 => " \t ",
            _ => "\r\n",
        });
        html.push_str(&format!("a{i}"));
        if shape & 0x40 != 0 {
            html.push_str(" = ");
        } else {
            html.push('=');
        }
        // The first few values may be long; the rest stay short to keep the page small.
        let unit = if i < 8 { 5000 } else { 1 };
        let value = "v".repeat(usize::from(shape >> 4 & 3) * unit);
        match shape >> 2 & 3 {
            0 => html.push_str(&format!("\"{value}\"")),
            1 => html.push_str(&format!("'{value}'")),
            2 => html.push_str(&format!("\"{value}&amp;\"")),
            _ => html.push_str(&format!("\" {value}=\"")),
        }
    }
    html.push_str(&format!(" rel=\"license\" href=\"{HREF}\">CC BY 4.0</a>\n"));
    Some(html)
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(html) = page(data) else {
        return;
    };
    let source = Source::from_text("fuzz.html", &html, Format::Html);
    let doc = document::extract(&source);
    assert!(
        doc.links
            .iter()
            .any(|l| l.href == HREF && l.rel.iter().any(|r| r == "license")),
        "the license link after the attributes is lost"
    );
    common::check(html.as_bytes(), Format::Html);
});
