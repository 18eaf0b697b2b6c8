//! Front matter: YAML (`---`), TOML (`+++`) and JSON (`{`) blocks at the top of a post.
//!
//! [`split`] finds the block, [`extract`] turns every scalar in it into a [`Meta`]
//! ([`MetaOrigin::FrontMatter`]) with the exact span of the value: keys lowercased, nested keys
//! joined with `.`, one `Meta` per list item. Broken front matter becomes a [`ParseNote`] naming
//! the problem and its line; the body is extracted all the same by the caller.
//! Not for the body of the post (that is `markdown`/`html`).

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::de::{DeTable, DeValue};

use super::structured::read_json;
use super::{Document, Meta, MetaOrigin, ParseNote};
use crate::source::Span;

/// Deepest YAML nesting we walk; deeper values are ignored.
const MAX_DEPTH: usize = 32;

/// The syntax of a front-matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `---` … `---` (or `...`).
    Yaml,
    /// `+++` … `+++`.
    Toml,
    /// A JSON object at the very start of the file.
    Json,
}

/// A front-matter block found at the top of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrontMatter {
    /// Its syntax.
    pub kind: Kind,
    /// The content between the fences (for JSON: the object itself).
    pub body: Span,
    /// Where the body of the post starts (after the closing fence and its line break).
    pub end: usize,
}

/// Find front matter at the very start of `text`.
pub fn split(text: &str) -> Option<FrontMatter> {
    if let Some(fm) = fenced(text, "---", Kind::Yaml).or_else(|| fenced(text, "+++", Kind::Toml)) {
        return Some(fm);
    }
    let rest = text.strip_prefix('{')?;
    if !rest.trim_start().starts_with('"') {
        return None;
    }
    let (_, result) = read_json(text, 0, text.len());
    // A broken JSON object still counts: everything up to the first blank line is its body.
    let end = result.unwrap_or_else(|_| text.find("\n\n").map_or(text.len(), |i| i + 1));
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    Some(FrontMatter {
        kind: Kind::Json,
        body: Span::new(0, end),
        end: line_end,
    })
}

/// A block fenced by `fence` lines (YAML may also close with `...`).
fn fenced(text: &str, fence: &str, kind: Kind) -> Option<FrontMatter> {
    let first = text.strip_prefix(fence)?;
    let first_len = first.find('\n')?;
    if !first[..first_len].trim().is_empty() {
        return None;
    }
    let body_start = fence.len() + first_len + 1;
    let mut line_start = body_start;
    while line_start <= text.len() {
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[line_start..])
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line == fence || (kind == Kind::Yaml && line == "...") {
            return Some(FrontMatter {
                kind,
                body: Span::new(body_start, line_start),
                end: (line_end + 1).min(text.len()),
            });
        }
        line_start = line_end + 1;
    }
    None
}

/// Add the front matter's values to `doc` (and `lang`/`language` to `doc.lang`).
pub fn extract(text: &str, fm: &FrontMatter, doc: &mut Document) {
    let Some(body) = text.get(fm.body.start..fm.body.end) else {
        return;
    };
    let first_meta = doc.meta.len();
    match fm.kind {
        Kind::Yaml => yaml(text, body, fm.body.start, doc),
        Kind::Toml => toml(text, body, fm.body.start, doc),
        Kind::Json => json(text, fm.body, doc),
    }
    if doc.lang.is_none() {
        doc.lang = doc.meta[first_meta..]
            .iter()
            .find(|m| m.key == "lang" || m.key == "language")
            .map(|m| m.value.trim().to_lowercase())
            .filter(|l| !l.is_empty());
    }
}

/// A note about broken front matter at absolute `offset`, with its 1-based line.
fn broken(text: &str, what: &str, offset: usize, message: &str) -> ParseNote {
    let mut offset = offset.min(text.len());
    // Parsers report byte offsets that can fall inside a multi-byte character.
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = text.get(..offset).unwrap_or(text).split('\n').count();
    ParseNote {
        message: format!("front matter is not valid {what} (line {line}): {message}"),
        span: Span::new(offset, offset),
    }
}

fn push(doc: &mut Document, key: impl AsRef<str> + Into<String>, value: String, span: Span) {
    if key.as_ref().is_empty() || value.is_empty() {
        return;
    }
    doc.meta.push(Meta {
        key: key.into(),
        value,
        span,
        origin: MetaOrigin::FrontMatter,
    });
}

fn join_key(parent: &str, key: &str) -> String {
    let key = key.trim().to_lowercase();
    if parent.is_empty() {
        key
    } else {
        format!("{parent}.{key}")
    }
}

/// The span inside matching quotes, if `span` is a quoted scalar.
fn unquote(text: &str, span: Span) -> Span {
    let Some(raw) = text.get(span.start..span.end) else {
        return span;
    };
    let quoted = raw.len() >= 2
        && ["\"", "'"]
            .iter()
            .any(|q| raw.starts_with(q) && raw.ends_with(q));
    if quoted {
        Span::new(span.start + 1, span.end - 1)
    } else {
        span
    }
}

// ---- YAML ----

/// Any YAML node; scalars keep whether they were strings, so other scalars can be read back
/// as written (`y` stays `y`, not `true`).
#[derive(Debug)]
enum Node {
    Str(String),
    Other,
    Null,
    Seq(Vec<serde_saphyr::Spanned<Node>>),
    Map(Vec<(String, serde_saphyr::Spanned<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// A map key of any scalar type, as text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Node::deserialize(d)? {
            Node::Str(s) => Ok(Key(s)),
            _ => Ok(Key(String::new())),
        }
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            entries.push((key, map.next_value()?));
        }
        Ok(Node::Map(entries))
    }
}

fn yaml(text: &str, body: &str, base: usize, doc: &mut Document) {
    if let Some(leaves) = simple_yaml(body) {
        doc.meta.reserve(leaves.len());
        for (key, value) in leaves {
            let span = Span::new(base + value.start, base + value.end);
            push(doc, key.to_ascii_lowercase(), body[value].to_owned(), span);
        }
        return;
    }
    parsed_yaml(text, body, base, doc);
}

/// Front matter read with the YAML parser (any YAML; broken YAML becomes a note).
fn parsed_yaml(text: &str, body: &str, base: usize, doc: &mut Document) {
    match serde_saphyr::from_str::<serde_saphyr::Spanned<Node>>(body) {
        Ok(root) => walk_yaml(text, base, "", &root, 0, doc),
        Err(err) => {
            let offset = err
                .location()
                .and_then(|l| line_column_offset(body, l.line(), l.column()))
                .map_or(base, |o| base + o);
            let shown = err.to_string();
            let first = shown.lines().next().unwrap_or_default();
            let first = first.strip_prefix("error: ").unwrap_or(first);
            // The message starts with the position inside the block; ours is in the file.
            let message = match first.split_once(": ") {
                Some((pos, rest)) if pos.starts_with("line ") => rest,
                _ => first,
            };
            doc.notes.push(broken(text, "YAML", offset, message));
        }
    }
}

/// Keys of the simple form that a YAML parser could read as something other than a string.
const NOT_STRING_KEYS: [&str; 12] = [
    "null", "true", "false", "yes", "no", "on", "off", "y", "n", "inf", "nan", "infinity",
];

/// The leaves of front matter in the form generators write, read without a YAML parser: every
/// line is `key: "text"` or `key: ["text", …]` with a plain key and strings without escapes.
/// Returns each value's key and range in `body` (inside the quotes), exactly what the full
/// parser would give, or `None` for anything else (the full parser handles that).
fn simple_yaml(body: &str) -> Option<Vec<(&str, std::ops::Range<usize>)>> {
    if body.is_empty() {
        return None;
    }
    let mut leaves = Vec::with_capacity(16);
    let mut keys: Vec<&str> = Vec::with_capacity(16);
    let mut line_start = 0;
    while line_start < body.len() {
        let line_end = line_start + memchr::memchr(b'\n', &body.as_bytes()[line_start..])?;
        let content = &body[line_start..line_end];
        let colon = memchr::memchr(b':', content.as_bytes())?;
        let (key, value) = (&content[..colon], &content[colon + 1..]);
        // A repeated key is left to the parser, which decides what that means.
        if !simple_key(key) || keys.contains(&key) {
            return None;
        }
        keys.push(key);
        let value = value.strip_prefix(' ')?;
        let value_start = line_start + key.len() + 2;
        if let Some(items) = value.strip_prefix('[') {
            simple_flow_list(items, value_start + 1, key, &mut leaves)?;
        } else {
            let len = quoted_len(value)?;
            if len != value.len() {
                return None;
            }
            leaves.push((key, value_start + 1..value_start + len - 1));
        }
        line_start = line_end + 1;
    }
    Some(leaves)
}

/// Read `"a", "b"]` (the rest of a line after `[`, starting at `start` in the body).
fn simple_flow_list<'b>(
    items: &str,
    start: usize,
    key: &'b str,
    leaves: &mut Vec<(&'b str, std::ops::Range<usize>)>,
) -> Option<()> {
    if items == "]" {
        return Some(());
    }
    let mut at = 0;
    loop {
        let rest = items.get(at..)?;
        let len = quoted_len(rest)?;
        leaves.push((key, start + at + 1..start + at + len - 1));
        let after = rest.get(len..)?;
        if after == "]" {
            return Some(());
        }
        let next = after.strip_prefix(',')?.trim_start_matches(' ');
        at = items.len() - next.len();
    }
}

/// The length (quotes included) of the double-quoted string at the start of `s`, when it has
/// no escapes and only characters YAML takes literally.
fn quoted_len(s: &str) -> Option<usize> {
    let inner = s.strip_prefix('"')?.as_bytes();
    let end = memchr::memchr(b'"', inner)?;
    let content = &inner[..end];
    // Counted without an early exit, so that the compiler can check many bytes at a time.
    let controls = content
        .iter()
        .filter(|&&c| c < 0x20 || c == 0x7F || c == b'\\')
        .count();
    let excluded =
        memchr::memchr3_iter(0xC2, 0xE2, 0xEF, content).any(|i| excluded_non_ascii(&content[i..]));
    (controls == 0 && !excluded).then_some(end + 2)
}

/// True when UTF-8 `b` starts with a character YAML does not take literally in a string: a C1
/// control (U+0080–U+009F), a U+2028/U+2029 line break, a byte-order mark or U+FFFE/U+FFFF.
fn excluded_non_ascii(b: &[u8]) -> bool {
    matches!(
        b,
        [0xC2, 0x80..=0x9F, ..]
            | [0xE2, 0x80, 0xA8 | 0xA9, ..]
            | [0xEF, 0xBB, 0xBF, ..]
            | [0xEF, 0xBF, 0xBE | 0xBF, ..]
    )
}

/// A top-level key that YAML reads as exactly this string: ASCII letters, digits and `_`,
/// starting with a letter, and no word that could be a boolean, null or number.
fn simple_key(key: &str) -> bool {
    key.len() <= 64
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !NOT_STRING_KEYS.iter().any(|w| key.eq_ignore_ascii_case(w))
}

/// The byte offset of 1-based `line` and `column` (in characters) in `body`.
fn line_column_offset(body: &str, line: u64, column: u64) -> Option<usize> {
    let line = usize::try_from(line).ok()?.checked_sub(1)?;
    let line_start = if line == 0 {
        0
    } else {
        body.match_indices('\n').nth(line - 1)?.0 + 1
    };
    let column = usize::try_from(column).ok()?.saturating_sub(1);
    let rest = &body[line_start..];
    Some(
        line_start
            + rest
                .char_indices()
                .nth(column)
                .map_or(rest.len(), |(i, _)| i),
    )
}

fn walk_yaml(
    text: &str,
    base: usize,
    key: &str,
    node: &serde_saphyr::Spanned<Node>,
    depth: usize,
    doc: &mut Document,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let located = node.referenced.span();
    let span = located
        .byte_offset()
        .zip(located.byte_len())
        .and_then(|(o, l)| Some((usize::try_from(o).ok()?, usize::try_from(l).ok()?)))
        .map(|(o, l)| Span::new(base + o, base + o + l))
        .filter(|s| text.get(s.start..s.end).is_some());
    match &node.value {
        Node::Str(value) => {
            let span = span.map_or(Span::new(base, base), |s| unquote(text, s));
            push(doc, key, value.clone(), span);
        }
        Node::Other => {
            if let Some(span) = span {
                push(doc, key, text[span.start..span.end].trim().to_owned(), span);
            }
        }
        Node::Null => {}
        Node::Seq(items) => {
            for item in items {
                walk_yaml(text, base, key, item, depth + 1, doc);
            }
        }
        Node::Map(entries) => {
            for (name, value) in entries {
                walk_yaml(text, base, &join_key(key, name), value, depth + 1, doc);
            }
        }
    }
}

// ---- TOML ----

fn toml(text: &str, body: &str, base: usize, doc: &mut Document) {
    match DeTable::parse(body) {
        Ok(table) => {
            let first = doc.meta.len();
            walk_toml_table(text, base, "", table.get_ref(), doc);
            // The parsed table is ordered by key; metadata is kept in source order.
            doc.meta[first..].sort_by_key(|m| m.span.start);
        }
        Err(err) => {
            let offset = err.span().map_or(base, |s| base + s.start);
            doc.notes
                .push(broken(text, "TOML", offset, err.message().trim_end()));
        }
    }
}

fn walk_toml_table(text: &str, base: usize, key: &str, table: &DeTable<'_>, doc: &mut Document) {
    for (name, value) in table {
        let child = join_key(key, name.get_ref());
        let span = value.span();
        walk_toml_value(
            text,
            base,
            &child,
            value.get_ref(),
            Span::new(base + span.start, base + span.end),
            doc,
        );
    }
}

fn walk_toml_value(
    text: &str,
    base: usize,
    key: &str,
    value: &DeValue<'_>,
    span: Span,
    doc: &mut Document,
) {
    match value {
        DeValue::String(s) => push(doc, key, s.to_string(), unquote(text, span)),
        DeValue::Array(items) => {
            for item in items {
                let s = item.span();
                let item_span = Span::new(base + s.start, base + s.end);
                walk_toml_value(text, base, key, item.get_ref(), item_span, doc);
            }
        }
        DeValue::Table(table) => walk_toml_table(text, base, key, table, doc),
        DeValue::Integer(_) | DeValue::Float(_) | DeValue::Boolean(_) | DeValue::Datetime(_) => {
            if let Some(raw) = text.get(span.start..span.end) {
                push(doc, key, raw.to_owned(), span);
            }
        }
    }
}

// ---- JSON ----

fn json(text: &str, body: Span, doc: &mut Document) {
    let (leaves, result) = read_json(text, body.start, body.end);
    for leaf in leaves {
        push(doc, leaf.key, leaf.value, leaf.span);
    }
    if let Err(err) = result {
        doc.notes
            .push(broken(text, "JSON", err.offset, &err.message));
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_note_inside_a_multibyte_character_stays_on_a_boundary() {
        // Found by the front_matter fuzz target (fuzz/regressions/front_matter).
        let text = "{\"\\µ";
        let fm = split(text).expect("JSON front matter");
        let mut doc = Document::default();
        extract(text, &fm, &mut doc);
        assert!(!doc.notes.is_empty());
        for note in &doc.notes {
            assert!(text.is_char_boundary(note.span.start) && text.is_char_boundary(note.span.end));
        }
    }

    use super::*;

    fn run(text: &str) -> Document {
        let mut doc = Document::default();
        let fm = split(text).expect("front matter");
        extract(text, &fm, &mut doc);
        doc
    }

    fn metas(text: &str, doc: &Document) -> Vec<(String, String, String)> {
        doc.meta
            .iter()
            .map(|m| {
                (
                    m.key.clone(),
                    m.value.clone(),
                    text[m.span.start..m.span.end].to_owned(),
                )
            })
            .collect()
    }

    fn triples(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
        list.iter()
            .map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into()))
            .collect()
    }

    #[test]
    fn yaml_values_with_spans() {
        let text = "---\ntitle: Héllo 中文\nauthor: \"Jane Doe\"\nauthors:\n  - A\n  - 'B c'\ndraft: y\nsource:\n  url: https://x.org/a\nlang: ZH-CN\nempty: ~\n---\n# Body\n";
        let doc = run(text);
        let want = triples(&[
            ("title", "Héllo 中文", "Héllo 中文"),
            ("author", "Jane Doe", "Jane Doe"),
            ("authors", "A", "A"),
            ("authors", "B c", "B c"),
            ("draft", "y", "y"),
            ("source.url", "https://x.org/a", "https://x.org/a"),
            ("lang", "ZH-CN", "ZH-CN"),
        ]);
        assert_eq!(metas(text, &doc), want);
        assert_eq!(doc.lang.as_deref(), Some("zh-cn"));
        assert_eq!(split(text).unwrap().end, text.find("# Body").unwrap());
    }

    #[test]
    fn yaml_with_crlf() {
        let text = "---\r\nlicense: CC BY 4.0\r\n---\r\nbody";
        let doc = run(text);
        assert_eq!(
            metas(text, &doc),
            triples(&[("license", "CC BY 4.0", "CC BY 4.0")])
        );
        assert_eq!(split(text).unwrap().end, text.find("body").unwrap());
    }

    #[test]
    fn simple_yaml_reads_generated_front_matter() {
        let body = "title: \"A ‘b’: c # d\"\ntags: []\ncategories: [\"X\", \"Y z\",\"\"]\n";
        let text = format!("---\n{body}---\nbody");
        let doc = run(&text);
        let want = triples(&[
            ("title", "A ‘b’: c # d", "A ‘b’: c # d"),
            ("categories", "X", "X"),
            ("categories", "Y z", "Y z"),
        ]);
        assert_eq!(metas(&text, &doc), want);
        assert!(simple_yaml(body).is_some());
        assert_eq!(
            simple_yaml("a: \"\u{a0}’\u{fffd}\"\n"),
            Some(vec![("a", 4..12)])
        );
        for other in [
            "a: \"x\\ty\"\n",
            "a: \"x\" \n",
            "a: 'x'\n",
            "a: x\n",
            "yes: \"x\"\n",
            "a: \"x\"\na: \"y\"\n",
            "a: [\"x\",]\n",
            "a: \"x\u{2028}\"\n",
            "a: \"x\u{85}\"\n",
            "a: \"\u{feff}x\"\n",
            "a: [\"x\", \"\u{ffff}\"]\n",
            " a: \"x\"\n",
        ] {
            assert_eq!(simple_yaml(other), None, "{other:?}");
        }
    }

    /// A front-matter line close to the simple form, sometimes with a twist YAML reads
    /// differently (escapes, special characters, odd keys, trailing text).
    fn near_simple_line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let key = prop_oneof![4 => "[a-c][a-c1_]{0,2}", 1 => "(y|No|on|_a|1a)"];
        let sep = prop_oneof![6 => Just(": ".to_owned()), 1 => "(:|:  |: \t)"];
        let odd = prop_oneof![6 => Just(String::new()), 1 => "[\\\\\"\t\u{7f}\u{85}\u{9f}\u{2028}\u{2029}\u{feff}\u{fffe}\u{ffff}\u{1}]"];
        let string = (
            "[ a'#:,\\[\\]é\u{a0}\u{2027}\u{e000}\u{fffd}😀]{0,4}",
            odd,
            "[ a]{0,2}",
        )
            .prop_map(|(a, b, c)| format!("\"{a}{b}{c}\""));
        let list = (
            proptest::collection::vec(string.clone(), 0..3),
            prop_oneof![3 => Just(", "), 1 => Just(","), 1 => Just(" , ")],
        )
            .prop_map(|(items, comma)| format!("[{}]", items.join(comma)));
        let value = prop_oneof![3 => string, 2 => list, 1 => "[a'\\[]{0,3}"];
        let tail = prop_oneof![8 => Just(String::new()), 1 => "( |#|,|])"];
        (key, sep, value, tail).prop_map(|(k, s, v, t)| format!("{k}{s}{v}{t}"))
    }

    proptest::proptest! {
        #[test]
        fn simple_yaml_agrees_with_the_parser(
            lines in proptest::collection::vec(near_simple_line(), 1..5)
        ) {
            let body = lines.join("\n") + "\n";
            if simple_yaml(&body).is_some() {
                let text = format!("---\n{body}---\n");
                let (mut fast, mut parsed) = (Document::default(), Document::default());
                yaml(&text, &body, 4, &mut fast);
                parsed_yaml(&text, &body, 4, &mut parsed);
                proptest::prop_assert_eq!(fast.meta, parsed.meta);
                proptest::prop_assert!(parsed.notes.is_empty());
            }
        }
    }

    #[test]
    fn broken_yaml_gives_a_note_with_the_file_line() {
        let text = "---\ntitle: ok\nauthor: a: b\n---\nbody";
        let doc = run(text);
        assert_eq!(doc.notes.len(), 1);
        assert!(
            doc.notes[0]
                .message
                .starts_with("front matter is not valid YAML (line 3): "),
            "{}",
            doc.notes[0].message
        );
    }

    #[test]
    fn toml_values_with_spans() {
        let text = "+++\ntitle = \"T\"\nweight = 3\ntags = [\"a\", 'b']\n[source]\nurl = \"https://x.org\"\n+++\nbody";
        let doc = run(text);
        let want = triples(&[
            ("title", "T", "T"),
            ("weight", "3", "3"),
            ("tags", "a", "a"),
            ("tags", "b", "b"),
            ("source.url", "https://x.org", "https://x.org"),
        ]);
        assert_eq!(metas(text, &doc), want);
    }

    #[test]
    fn broken_toml_gives_a_note() {
        let text = "+++\ntitle = \"T\"\nbad = \n+++\nbody";
        let doc = run(text);
        assert_eq!(doc.notes.len(), 1);
        assert!(
            doc.notes[0]
                .message
                .starts_with("front matter is not valid TOML (line 3)"),
            "{}",
            doc.notes[0].message
        );
    }

    #[test]
    fn json_values_with_spans() {
        let text = "{\n  \"title\": \"T\",\n  \"Author\": {\"name\": \"Ann\"},\n  \"lang\": \"es\"\n}\nbody";
        let doc = run(text);
        let want = triples(&[
            ("title", "T", "T"),
            ("author.name", "Ann", "Ann"),
            ("lang", "es", "es"),
        ]);
        assert_eq!(metas(text, &doc), want);
        assert_eq!(split(text).unwrap().end, text.find("body").unwrap());
        assert_eq!(doc.lang.as_deref(), Some("es"));
    }

    #[test]
    fn no_front_matter() {
        assert_eq!(split("--- \ntext without a closing fence"), None);
        assert_eq!(split("{% include x %}\n"), None);
        assert_eq!(split(""), None);
        assert_eq!(split("---"), None);
    }
}
