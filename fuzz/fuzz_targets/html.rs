//! The HTML extractor, detectors and checks on arbitrary bytes: no panic, spans in bounds.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check(data, ccguard::source::Format::Html));
