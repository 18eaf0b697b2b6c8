//! License rule files: what each Creative Commons license and version requires.
//!
//! `rules/licenses/*.toml` (bundled, embedded in the binary) and any `--rules DIR` are parsed
//! into [`LicenseRule`]s, validated with errors that point into the TOML, and collected in a
//! [`Registry`]. The schema is documented in `rules/README.md`. Licenses are data here, never
//! Rust `match` arms; the checks in `check` read these requirements.

pub mod cues;
mod error;
pub mod load;
pub mod media;
pub mod policy;
mod schema;
mod show;

pub use show::{adaptation_terms, show, show_policy, verbatim_terms};

use std::collections::BTreeMap;

use serde::Serialize;

/// The prefix of ids for CC licenses that SPDX lacks.
const LICENSE_REF: &str = "LicenseRef-ccguard-";

/// Which license elements a license carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Elements {
    /// Attribution.
    pub by: bool,
    /// `NonCommercial`.
    pub nc: bool,
    /// `NoDerivatives`.
    pub nd: bool,
    /// `ShareAlike`.
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
    /// Ports without a file of their own that fall back to this (unported) rule: port key →
    /// official titles. A key is a jurisdiction code (`es`) for a port of this version, or
    /// `<version>/<jurisdiction>` (`2.1/es`) for a port of a version with no unported license.
    pub ports: BTreeMap<String, Vec<String>>,
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

/// The rule that governs a claimed license, and the id to report for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'a> {
    /// The rule whose requirements apply (the unported rule for a port without a file).
    pub rule: &'a LicenseRule,
    /// The license's id: the rule's id, or `LicenseRef-ccguard-<code>-<version>-<port>` for a
    /// port listed in the unported rule's `ports`.
    pub id: String,
    /// True when the requirements are the unported license's: check the port's local text.
    pub ported: bool,
}

/// All loaded license rules, sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// The rules, sorted by id; a later directory's file replaces a bundled one with the same id.
    pub licenses: Vec<LicenseRule>,
    /// Publisher policies, sorted by id; a later one replaces a bundled one with the same id.
    pub policies: Vec<policy::Policy>,
    /// Media hosts and agency credits (`media-hosts.toml`), for media credits.
    pub media: media::MediaHosts,
    /// The words and phrases the detectors look for, per language (`cues/<lang>.toml`).
    pub cues: cues::Cues,
}

impl Registry {
    /// The rule with this id (exact, case-sensitive SPDX form).
    pub fn by_id(&self, id: &str) -> Option<&LicenseRule> {
        self.licenses.iter().find(|l| l.id == id)
    }

    /// Add rules loaded after the ones already here: a rule with the same id replaces the old
    /// one. `licenses` stays sorted by id.
    pub fn extend(&mut self, rules: impl IntoIterator<Item = LicenseRule>) {
        for rule in rules {
            match self.licenses.binary_search_by(|l| l.id.cmp(&rule.id)) {
                Ok(at) => self.licenses[at] = rule,
                Err(at) => self.licenses.insert(at, rule),
            }
        }
    }

    /// Add publisher policies; one with the same id replaces the old one.
    pub fn extend_policies(&mut self, policies: impl IntoIterator<Item = policy::Policy>) {
        for p in policies {
            match self.policies.binary_search_by(|old| old.id.cmp(&p.id)) {
                Ok(at) => self.policies[at] = p,
                Err(at) => self.policies.insert(at, p),
            }
        }
    }

    /// The policy of the publisher at `url`, if one is known.
    pub fn policy_for(&self, url: &str) -> Option<&policy::Policy> {
        self.policies.iter().find(|p| p.matches(url))
    }

    /// The rule governing `/<code>/<version>/[<jurisdiction>/]`: a rule file for exactly that
    /// license; else a port listed in the unported rule's `ports` (then `ported` is true);
    /// else `None`, an unknown license. Codes match by their elements, so `by-nc-nd` finds
    /// the 1.0 file written `by-nd-nc`. `version` is empty for a versionless tool (`CC-PDDC`).
    pub fn resolve(
        &self,
        code: &str,
        version: &str,
        jurisdiction: Option<&str>,
    ) -> Option<Resolved<'_>> {
        let code = code.to_ascii_lowercase();
        let jurisdiction = jurisdiction.map(str::to_ascii_lowercase);
        let exact = self.licenses.iter().find(|l| {
            l.version.as_deref().unwrap_or("") == version
                && l.jurisdiction == jurisdiction
                && same_code(&l.code, &code)
        });
        if let Some(rule) = exact {
            let id = rule.id.clone();
            return Some(Resolved {
                rule,
                id,
                ported: false,
            });
        }
        let juris = jurisdiction?;
        self.licenses
            .iter()
            .filter(|l| l.jurisdiction.is_none() && same_code(&l.code, &code))
            .find_map(|rule| {
                let key = if rule.version.as_deref() == Some(version) {
                    juris.clone()
                } else {
                    format!("{version}/{juris}")
                };
                rule.ports.contains_key(&key).then(|| Resolved {
                    rule,
                    id: format!("{}{}-{version}-{juris}", LICENSE_REF, rule.code),
                    ported: true,
                })
            })
    }

    /// The family of a license code without a version, e.g. `by-nc` → `CC-BY-NC`, for a
    /// versionless claim such as "CC BY-NC". `None` if no rule has that code.
    pub fn family_of_code(&self, code: &str) -> Option<&str> {
        let code = code.to_ascii_lowercase();
        self.licenses
            .iter()
            .find(|l| same_code(&l.code, &code))
            .map(|l| l.family.as_str())
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

/// Two codes name the same license: equal, or the same elements in another order
/// (`by-nd-nc` and `by-nc-nd`).
fn same_code(a: &str, b: &str) -> bool {
    a == b || load::code_elements(a).is_some_and(|e| load::code_elements(b) == Some(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        load::bundled().unwrap_or_else(|errors| panic!("bundled rules: {errors:?}"))
    }

    fn rule<'a>(registry: &'a Registry, id: &str) -> &'a LicenseRule {
        registry.by_id(id).unwrap_or_else(|| panic!("no rule {id}"))
    }

    #[test]
    fn bundled_registry_has_the_expected_ids() {
        let registry = registry();
        assert_eq!(registry.licenses.len(), 61);
        let ids: Vec<&str> = registry.licenses.iter().map(|l| l.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted);
        for id in [
            "CC-BY-4.0",
            "CC-BY-SA-3.0-IGO",
            "LicenseRef-ccguard-by-nd-3.0-igo",
            "CC0-1.0",
            "CC-PDM-1.0",
            "CC-PDDC",
            "CC-SA-1.0",
            "CC-BY-SA-2.1-JP",
            "LicenseRef-ccguard-nd-nc-1.0",
        ] {
            rule(&registry, id);
        }
        let by_nc_nd_1 = rule(&registry, "CC-BY-NC-ND-1.0");
        assert_eq!(by_nc_nd_1.code, "by-nd-nc");
        assert_eq!(by_nc_nd_1.family, "CC-BY-NC-ND");
        assert_eq!(
            rule(&registry, "LicenseRef-ccguard-nd-nc-1.0").family,
            "CC-NC-ND"
        );
        assert_eq!(rule(&registry, "CC0-1.0").kind, ToolKind::Waiver);
        assert_eq!(rule(&registry, "CC-PDDC").version, None);
        assert_eq!(
            rule(&registry, "CC-BY-4.0").file,
            "rules/licenses/CC-BY-4.0.toml"
        );
    }

    #[test]
    fn title_is_required_only_up_to_3_0() {
        let registry = registry();
        assert!(rule(&registry, "CC-BY-1.0").verbatim.title);
        assert!(rule(&registry, "CC-BY-NC-SA-3.0").verbatim.title);
        assert!(!rule(&registry, "CC-BY-4.0").verbatim.title);
        assert!(!rule(&registry, "CC-SA-1.0").verbatim.credit);
        assert!(!rule(&registry, "CC-SA-1.0").verbatim.title);
    }

    #[test]
    fn source_link_and_change_notice_follow_the_version() {
        let registry = registry();
        let v = |id| rule(&registry, id).verbatim.clone();
        assert_eq!(v("CC-BY-1.0").source_link, SourceLinkRule::Never);
        assert_eq!(v("CC-BY-2.5").source_link, SourceLinkRule::IfSupplied);
        assert_eq!(v("CC-BY-3.0-DE").source_link, SourceLinkRule::IfSupplied);
        assert_eq!(v("CC-BY-4.0").source_link, SourceLinkRule::IfPracticable);
        assert_eq!(v("CC-BY-3.0").change_notice, ChangeNoticeRule::Adaptations);
        assert_eq!(v("CC-BY-ND-4.0").change_notice, ChangeNoticeRule::Always);
        assert_eq!(v("CC0-1.0").source_link, SourceLinkRule::Never);
        assert!(!v("CC0-1.0").credit);
    }

    #[test]
    fn cure_period_is_4_0_and_igo_only() {
        let registry = registry();
        assert_eq!(rule(&registry, "CC-BY-NC-4.0").cure_days, Some(30));
        assert_eq!(rule(&registry, "CC-BY-3.0-IGO").cure_days, Some(30));
        assert_eq!(rule(&registry, "CC-BY-3.0").cure_days, None);
        assert_eq!(rule(&registry, "CC-BY-SA-3.0-DE").cure_days, None);
    }

    #[test]
    fn nd_licenses_forbid_shared_adaptations() {
        let registry = registry();
        assert!(!rule(&registry, "CC-BY-ND-4.0").adaptations.shareable);
        assert!(!rule(&registry, "CC-BY-NC-ND-1.0").adaptations.shareable);
        assert!(rule(&registry, "CC-BY-NC-4.0").adaptations.shareable);
    }

    #[test]
    fn share_alike_targets() {
        let registry = registry();
        let by_sa_3 = rule(&registry, "CC-BY-SA-3.0");
        assert!(by_sa_3.allows_adaptation_license("CC-BY-SA-4.0"));
        assert!(by_sa_3.allows_adaptation_license("CC-BY-SA-3.0-DE"));
        assert!(by_sa_3.allows_adaptation_license("LicenseRef-ccguard-by-sa-3.0-es"));
        assert!(!by_sa_3.allows_adaptation_license("CC-BY-SA-2.5"));
        assert!(!by_sa_3.allows_adaptation_license("CC-BY-NC-SA-3.0"));
        let by_sa_4 = rule(&registry, "CC-BY-SA-4.0");
        assert!(!by_sa_4.allows_adaptation_license("CC-BY-SA-3.0"));
        assert!(by_sa_4.allows_adaptation_license("GPL-3.0-only"));
        assert!(by_sa_4.allows_adaptation_license("LicenseRef-FAL-1.3"));
        let by_nc_sa_4 = rule(&registry, "CC-BY-NC-SA-4.0");
        assert!(!by_nc_sa_4.allows_adaptation_license("CC-BY-SA-4.0"));
        assert!(by_nc_sa_4.allows_adaptation_license("CC-BY-NC-SA-4.0"));
        let by_sa_1 = rule(&registry, "CC-BY-SA-1.0");
        assert_eq!(by_sa_1.adaptations.share_alike, ["CC-BY-SA-1.0"]);
        assert!(!by_sa_1.allows_adaptation_license("CC-BY-SA-2.0"));
    }

    #[test]
    fn resolve_exact_port_and_unknown() {
        let registry = registry();
        let exact = registry.resolve("by-sa", "3.0", Some("de")).expect("file");
        assert_eq!(
            (exact.id.as_str(), exact.ported),
            ("CC-BY-SA-3.0-DE", false)
        );
        let port = registry.resolve("by-sa", "3.0", Some("es")).expect("port");
        assert_eq!(port.id, "LicenseRef-ccguard-by-sa-3.0-es");
        assert!(port.ported);
        assert_eq!(port.rule.id, "CC-BY-SA-3.0");
        let v21 = registry
            .resolve("by-nc", "2.1", Some("es"))
            .expect("2.1 port");
        assert_eq!(
            (v21.id.as_str(), v21.rule.id.as_str()),
            ("LicenseRef-ccguard-by-nc-2.1-es", "CC-BY-NC-2.0")
        );
        assert_eq!(registry.resolve("by", "5.0", None), None);
        assert_eq!(registry.resolve("by", "4.0", Some("de")), None);
        assert_eq!(registry.resolve("by-sa", "3.0", Some("xx")), None);
    }

    #[test]
    fn resolve_accepts_both_spellings_of_by_nc_nd_1_0() {
        let registry = registry();
        for code in ["by-nd-nc", "by-nc-nd", "BY-NC-ND"] {
            let found = registry.resolve(code, "1.0", None).expect(code);
            assert_eq!(found.id, "CC-BY-NC-ND-1.0");
        }
        assert_eq!(
            registry.resolve("publicdomain", "", None).map(|r| r.id),
            Some("CC-PDDC".to_owned())
        );
        assert_eq!(
            registry.resolve("zero", "1.0", None).map(|r| r.id),
            Some("CC0-1.0".to_owned())
        );
    }

    #[test]
    fn family_of_code_names_versionless_claims() {
        let registry = registry();
        assert_eq!(registry.family_of_code("by-nc"), Some("CC-BY-NC"));
        assert_eq!(registry.family_of_code("by-nd-nc"), Some("CC-BY-NC-ND"));
        assert_eq!(registry.family_of_code("zero"), Some("CC0"));
        assert_eq!(registry.family_of_code("by-xx"), None);
    }

    #[test]
    fn extend_replaces_same_id_and_keeps_order() {
        let mut registry = registry();
        let mut mine = rule(&registry, "CC-BY-4.0").clone();
        mine.file = "my/CC-BY-4.0.toml".to_owned();
        let mut new = mine.clone();
        new.id = "AAA-first".to_owned();
        registry.extend(vec![mine, new]);
        assert_eq!(registry.licenses.len(), 62);
        assert_eq!(registry.licenses[0].id, "AAA-first");
        assert_eq!(rule(&registry, "CC-BY-4.0").file, "my/CC-BY-4.0.toml");
    }

    #[test]
    fn show_summarises_a_rule() {
        let registry = registry();
        let text = show(rule(&registry, "CC-BY-SA-3.0"));
        let first: Vec<&str> = text.lines().take(4).collect();
        assert_eq!(
            first,
            [
                "CC-BY-SA-3.0 — Attribution-ShareAlike 3.0 Unported",
                "url:         https://creativecommons.org/licenses/by-sa/3.0/",
                "family:      CC-BY-SA (by-sa 3.0, unported), license",
                "elements:    BY, SA",
            ]
        );
        assert!(text.contains("\nverbatim:    credit the creator and attribution parties; give the title; name the license; give the license URI or a link to it; link the source if the licensor supplied one\n"), "{text}");
        assert!(
            text.contains("\ncure period: none (the license ends on breach)\n"),
            "{text}"
        );
        assert!(
            text.contains("\nfile:        rules/licenses/CC-BY-SA-3.0.toml\n"),
            "{text}"
        );
    }
}
