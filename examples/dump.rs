//! Developer tool: print what ccguard sees in one post — the document (blocks with context,
//! links, metadata) and the detected facts — to find out why a notice or credit was (not) found.
//!
//! `cargo run --example dump -- path/to/post.md [blocks|links|meta|facts]`

use ccguard::detect::Detector;
use ccguard::rules::load;
use ccguard::source::{Format, Source};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: dump FILE [blocks|links|meta|facts]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let format = Format::from_path(path).unwrap_or(Format::Html);
    let source = Source::from_bytes(path.clone(), &bytes, format);
    let document = ccguard::document::extract(&source);
    let what = args.get(2).map_or("all", String::as_str);
    let show = |part: &str| what == "all" || what == part;
    if show("blocks") {
        for b in &document.blocks {
            println!("BLOCK {:?} {:?} {:?}", b.context, b.span, b.text);
        }
    }
    if show("links") {
        for l in &document.links {
            println!(
                "LINK {:?} {:?} {:?} rel={:?} {:?}",
                l.context, l.href, l.text, l.rel, l.span
            );
        }
    }
    if show("meta") {
        for m in &document.meta {
            println!("META {:?} {} = {:?} {:?}", m.origin, m.key, m.value, m.span);
        }
        println!("LANG {:?}", document.lang);
    }
    if show("facts") {
        let registry = load::bundled().unwrap_or_default();
        let facts = Detector::new(&registry).detect_source(&source.text, &document);
        println!("{facts:#?}");
    }
}
