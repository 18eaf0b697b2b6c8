//! Commercial signals for NC checks: ad networks, sponsored labels, paywall markup, shop links.

use crate::document::Document;

use super::Evidence;

/// Every commercial signal in the document, in source order.
pub fn detect(_doc: &Document) -> Vec<Evidence> {
    Vec::new()
}
