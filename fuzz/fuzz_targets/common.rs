//! Shared by the fuzz targets: one checker, and the span invariant from the test suite.

#[path = "../../tests/support/spans.rs"]
pub mod spans;

use std::sync::LazyLock;

use ccguard::checker::Checker;
use ccguard::document;
use ccguard::rules::load;
use ccguard::source::{Format, Source};

/// A checker over the bundled rules, built once.
pub static CHECKER: LazyLock<Checker> =
    LazyLock::new(|| Checker::new(load::bundled().expect("bundled rules load")));

/// Extract and check `bytes` as `format`, panicking on any span outside the text.
pub fn check(bytes: &[u8], format: Format) {
    let source = Source::from_bytes("fuzz", bytes, format);
    let doc = document::extract(&source);
    let bad = spans::document_violations(&source.text, &doc);
    assert!(bad.is_empty(), "document spans: {bad:?}");
    let result = CHECKER.check_source(source);
    let bad = spans::result_violations(&result);
    assert!(bad.is_empty(), "result spans: {bad:?}");
}
