//! ccguard checks reposted web content for Creative Commons license compliance.
//!
//! The pipeline: a [`source::Source`] is extracted into a [`document::Document`], detectors turn
//! it into [`detect::Facts`], [`governing`] resolves the license they claim, [`verify`] reads the
//! originals a repost links (through [`fetch`]), checks turn all that into
//! [`diagnostic::Diagnostic`]s, and `report` renders them. Each stage works on what the ones before
//! it made.

pub mod attribution;
pub mod baseline;
pub mod check;
pub mod checker;
pub mod config;
pub mod detect;
pub mod diagnostic;
pub mod document;
pub mod fetch;
pub mod fix;
pub mod governing;
pub mod lsp;
pub mod merge;
pub mod report;
pub mod result;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod verify;
pub mod walk;
