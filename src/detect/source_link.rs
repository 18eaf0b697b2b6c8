//! Links to the original material: cross-domain canonical, "originally published at", "via",
//! "read the original", `原文`, front-matter source fields.

use crate::document::Document;

use super::SourceLink;

/// Every link to the original, in source order.
pub fn detect(_doc: &Document) -> Vec<SourceLink> {
    Vec::new()
}
