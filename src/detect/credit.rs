//! Credits and bylines: names with roles (author, translator, photographer, publisher), and the
//! original's title.

use crate::document::Document;

use super::{Credit, Evidence};

/// Every credit in the document, in source order.
pub fn detect(_doc: &Document) -> Vec<Credit> {
    Vec::new()
}

/// The original work's title, when the post gives it.
pub fn title(_doc: &Document) -> Option<Evidence> {
    None
}
