//! Restrictive notices that conflict with a CC license: "All rights reserved", "no reproduction
//! without permission" and their translations.

use crate::document::Document;

use super::Evidence;

/// Every restrictive notice covering the text, in source order.
pub fn detect(_doc: &Document) -> Vec<Evidence> {
    Vec::new()
}
