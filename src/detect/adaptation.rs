//! Translation and modification: disclosures in many languages, and the language evidence that
//! a post is a translation when it does not say so.

use crate::document::Document;

use super::{Adaptation, SourceLink};

/// Whether the post is translated or adapted, and whether it says so.
pub fn detect(_doc: &Document, _sources: &[SourceLink]) -> Adaptation {
    Adaptation::default()
}

/// The post's language: declared, else detected from the text (ISO 639-1).
pub fn language(doc: &Document) -> Option<String> {
    doc.lang.clone()
}
