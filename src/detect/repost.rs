//! Whether a post republishes someone else's work, and whether it rests on permission.

use crate::document::Document;

use super::{Evidence, Facts};

/// The signals that make this post a repost (credit to another author or outlet, "originally
/// published", cross-domain source, front-matter source field).
pub fn signals(_doc: &Document, _facts: &Facts) -> Vec<Evidence> {
    Vec::new()
}

/// "Republished with permission" and the like.
pub fn permission(_doc: &Document) -> Option<Evidence> {
    None
}
