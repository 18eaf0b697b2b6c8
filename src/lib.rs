//! ccguard checks reposted web content for Creative Commons license compliance.
//!
//! The pipeline: a [`source::Source`] is extracted into a [`document::Document`], detectors turn
//! it into [`detect::Facts`], checks turn facts into [`diagnostic::Diagnostic`]s, and `report`
//! renders them. Each stage is a pure function of the one before.

pub mod attribution;
pub mod baseline;
mod cache_file;
pub mod check;
pub mod checker;
pub mod config;
pub mod detect;
pub mod diagnostic;
pub mod document;
pub mod fetch;
pub mod merge;
pub mod report;
pub mod result_cache;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod walk;
