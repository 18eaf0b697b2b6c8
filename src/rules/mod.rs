//! License rule files: what each Creative Commons license and version requires.
//!
//! `rules/licenses/*.toml` (bundled, embedded in the binary) and any `--rules DIR` are parsed
//! into [`LicenseRule`]s, validated with errors that point into the TOML, and collected in a
//! [`Registry`]. The schema is documented in `rules/README.md`. Licenses are data here, never
//! Rust `match` arms; the checks in `check` read these requirements.

pub mod load;

use std::collections::BTreeMap;

use serde::Serialize;

/// Which license elements a license carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Elements {
    /// Attribution.
    pub by: bool,
    /// NonCommercial.
    pub nc: bool,
    /// NoDerivatives.
    pub nd: bool,
    /// ShareAlike.
    pub sa: bool,
}

/// What sort of legal tool a rule file describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToolKind {
    /// A license with conditions (all BY-family and the 1.0 non-BY licenses).
    License,
    /// CC0: a waiver, no conditions.
    Waiver,
    /// The Public Domain Mark, or the old public-domain dedication: a label, no conditions.
    PublicDomain,
}

/// When the license requires a link (URI) to the original material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceLinkRule {
    /// Never required (1.0, CC0, PDM).
    Never,
    /// Required where the licensor supplied one (2.0–3.0).
    IfSupplied,
    /// Required where reasonably practicable (4.0).
    IfPracticable,
}

/// When the license requires a notice that the material was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeNoticeRule {
    /// Never required.
    Never,
    /// Required for adaptations, translations included (1.0–3.0).
    Adaptations,
    /// Required whenever the material was modified (4.0).
    Always,
}

/// What sharing the material requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirements {
    /// Credit the creator and attribution parties.
    pub credit: bool,
    /// Give the title of the work (≤3.0).
    pub title: bool,
    /// Name the license.
    pub license_notice: bool,
    /// Give the license's URI or a hyperlink to it.
    pub license_link: bool,
    /// Link the original material.
    pub source_link: SourceLinkRule,
    /// Say that the material was changed.
    pub change_notice: ChangeNoticeRule,
}

/// What sharing adaptations (translations included) requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdaptationRules {
    /// False for ND licenses: adaptations may not be shared.
    pub shareable: bool,
    /// For SA licenses: the licenses an adaptation may carry (SPDX ids, `LicenseRef-…`, or a
    /// prefix ending in `*` such as `CC-BY-SA-3.0-*` for every port). Empty: any license.
    pub share_alike: Vec<String>,
}

/// One license (or public-domain tool) as described by a rule file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenseRule {
    /// SPDX id, or `LicenseRef-ccguard-<code>-<version>[-<jurisdiction>]`.
    pub id: String,
    /// Family without version, e.g. `CC-BY-NC-SA`, `CC0`, `CC-PDM`.
    pub family: String,
    /// CC's code from the URL: `by-nc-sa`, `by-nd-nc`, `zero`, `mark`, `publicdomain`.
    pub code: String,
    /// `4.0`, `3.0`…; `None` only for `CC-PDDC`.
    pub version: Option<String>,
    /// Port code (`de`, `us`, `igo`…); `None` for unported/international.
    pub jurisdiction: Option<String>,
    /// License, waiver or public-domain tool.
    pub kind: ToolKind,
    /// BY / NC / ND / SA.
    pub elements: Elements,
    /// The canonical deed URL, e.g. `https://creativecommons.org/licenses/by-nc-sa/4.0/`.
    pub url: String,
    /// Official titles by language tag (`en`, `de`, `zh-hans`…).
    pub names: BTreeMap<String, Vec<String>>,
    /// Requirements for sharing the material verbatim.
    pub verbatim: Requirements,
    /// Requirements and limits for sharing adaptations.
    pub adaptations: AdaptationRules,
    /// Days to cure a breach and have the license reinstated (4.0 and IGO: 30).
    pub cure_days: Option<u32>,
    /// CC has retired this license.
    pub deprecated: bool,
    /// Free-text remarks shown by `rules show` (e.g. "ported — check local text").
    pub notes: Vec<String>,
    /// The file it was loaded from (display form).
    pub file: String,
}

impl LicenseRule {
    /// True when `other_id` is an allowed license for adaptations of this work.
    pub fn allows_adaptation_license(&self, other_id: &str) -> bool {
        self.adaptations.share_alike.is_empty()
            || self.adaptations.share_alike.iter().any(|target| {
                target
                    .strip_suffix('*')
                    .map_or(target == other_id, |prefix| other_id.starts_with(prefix))
            })
    }
}

/// All loaded license rules, sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// The rules, sorted by id; a later directory's file replaces a bundled one with the same id.
    pub licenses: Vec<LicenseRule>,
}

impl Registry {
    /// The rule with this id (exact, case-sensitive SPDX form).
    pub fn by_id(&self, id: &str) -> Option<&LicenseRule> {
        self.licenses.iter().find(|l| l.id == id)
    }

    /// The rule for a code, version and port; a port without a file falls back to `None` here
    /// (callers try again without the jurisdiction).
    pub fn find(
        &self,
        code: &str,
        version: &str,
        jurisdiction: Option<&str>,
    ) -> Option<&LicenseRule> {
        self.licenses.iter().find(|l| {
            l.code == code
                && l.version.as_deref() == Some(version)
                && l.jurisdiction.as_deref() == jurisdiction
        })
    }
}
