//! The raw shape of a `rules/licenses/*.toml` file, as `serde` reads it.
//!
//! Every value a validator may complain about is a [`Spanned`], so an error can point at it.
//! Unknown keys are refused here (`deny_unknown_fields`); what the values mean is checked in
//! `load`, which turns a [`RawRule`] into a [`super::LicenseRule`]. The schema is documented in
//! `rules/README.md`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// One rule file, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    pub id: Spanned<String>,
    pub family: Spanned<String>,
    pub code: Spanned<String>,
    pub version: Option<Spanned<String>>,
    pub jurisdiction: Option<Spanned<String>>,
    pub kind: Spanned<String>,
    pub elements: Spanned<Vec<Spanned<String>>>,
    pub url: Spanned<String>,
    #[serde(default)]
    pub deprecated: bool,
    pub cure_days: Option<Spanned<i64>>,
    #[serde(default)]
    pub notes: Vec<String>,
    pub verbatim: RawRequirements,
    pub adaptations: RawAdaptations,
    #[serde(default)]
    pub names: BTreeMap<Spanned<String>, Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub ports: BTreeMap<Spanned<String>, Spanned<Vec<Spanned<String>>>>,
}

/// The `[verbatim]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRequirements {
    pub credit: bool,
    pub title: bool,
    pub license_notice: bool,
    pub license_link: bool,
    pub source_link: Spanned<String>,
    pub change_notice: Spanned<String>,
}

/// The `[adaptations]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAdaptations {
    pub shareable: Spanned<bool>,
    #[serde(default)]
    pub share_alike: Vec<Spanned<String>>,
}
