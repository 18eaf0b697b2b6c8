//! Publisher policies (`rules/policies/*.toml`): the license a publisher applies to everything it
//! publishes, and the hosts it publishes on. When a post links an original on such a host, the
//! original's license is known without fetching it, so ND and SA checks apply even when the
//! repost does not name the license.

use serde::Deserialize;

use super::error::RuleError;
use super::{LicenseRule, Registry};

/// One publisher's policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// File stem, e.g. `the-conversation`.
    pub id: String,
    /// Display name, e.g. `The Conversation`.
    pub name: String,
    /// Hosts (`theconversation.com`, matching subdomains too) or host/path prefixes
    /// (`inst.eecs.berkeley.edu/~cs61a`).
    pub hosts: Vec<String>,
    /// The license id (SPDX or `LicenseRef-ccguard-…`) of the publisher's material.
    pub license: String,
    /// The publisher's republishing guidelines.
    pub url: Option<String>,
    /// Remarks shown in help texts and `rules show`.
    pub notes: Vec<String>,
    /// The file it came from.
    pub file: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    name: toml::Spanned<String>,
    hosts: toml::Spanned<Vec<String>>,
    license: toml::Spanned<String>,
    url: Option<String>,
    #[serde(default)]
    notes: Vec<String>,
}

impl Policy {
    /// True when `url` is on one of the publisher's hosts (or under one of its path prefixes).
    pub fn matches(&self, url: &str) -> bool {
        let Some(rest) = url
            .split_once("://")
            .map(|(_, rest)| rest.to_ascii_lowercase())
        else {
            return false;
        };
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = host.split(':').next().unwrap_or(host);
        self.hosts.iter().any(|pattern| {
            let (want_host, want_path) = pattern.split_once('/').unwrap_or((pattern, ""));
            let host_ok = host == want_host || host.ends_with(&format!(".{want_host}"));
            host_ok && path.starts_with(want_path)
        })
    }
}

/// Parse and validate one policy file; its license must be one the registry knows.
pub fn parse(file: &str, text: &str, registry: &Registry) -> Result<Policy, Vec<RuleError>> {
    let raw: RawPolicy = RuleError::toml(file, text)?;
    let mut errors = Vec::new();
    if raw.name.get_ref().trim().is_empty() {
        errors.push(RuleError::new(
            file,
            text,
            raw.name.span(),
            "empty",
            "`name` must not be empty".to_owned(),
        ));
    }
    if raw.hosts.get_ref().is_empty()
        || raw
            .hosts
            .get_ref()
            .iter()
            .any(|h| h.contains("://") || h.trim().is_empty())
    {
        errors.push(RuleError::new(
            file,
            text,
            raw.hosts.span(),
            "here",
            "`hosts` lists host names (`example.org`) or host/path prefixes (`example.org/blog`), without a scheme".to_owned(),
        ));
    }
    if resolve_id(registry, raw.license.get_ref()).is_none() {
        errors.push(RuleError::new(
            file,
            text,
            raw.license.span(),
            "unknown license",
            format!(
                "no rule file describes `{}`; use an id from `ccguard rules list`",
                raw.license.get_ref()
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let id = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".toml")
        .to_owned();
    Ok(Policy {
        id,
        name: raw.name.into_inner(),
        hosts: raw
            .hosts
            .into_inner()
            .into_iter()
            .map(|h| h.to_ascii_lowercase())
            .collect(),
        license: raw.license.into_inner(),
        url: raw.url,
        notes: raw.notes,
        file: file.to_owned(),
    })
}

/// The rule for a license id: a rule file's id, or `LicenseRef-ccguard-<code>-<version>-<port>`
/// for a port that falls back to its unported file.
pub fn resolve_id<'a>(registry: &'a Registry, id: &str) -> Option<&'a LicenseRule> {
    if let Some(rule) = registry.by_id(id) {
        return Some(rule);
    }
    let rest = id.strip_prefix(super::LICENSE_REF)?;
    let (head, port) = rest.rsplit_once('-')?;
    let (code, version) = head.rsplit_once('-')?;
    registry.resolve(code, version, Some(port)).map(|r| r.rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load;

    fn registry() -> Registry {
        load::bundled().expect("bundled rules")
    }

    #[test]
    fn bundled_policies_load() {
        let registry = registry();
        let tc = registry
            .policies
            .iter()
            .find(|p| p.id == "the-conversation")
            .expect("The Conversation");
        assert_eq!(tc.license, "CC-BY-ND-4.0");
        assert!(tc.matches("https://theconversation.com/some-article-12345"));
        assert!(!tc.matches("https://example.org/theconversation.com"));
        let cs61a = registry
            .policies
            .iter()
            .find(|p| p.id == "cs61a-sicp-python")
            .expect("cs61a");
        assert!(cs61a.matches("http://www-inst.eecs.berkeley.edu/~cs61a/sp12/book/functions.html"));
        assert!(!cs61a.matches("http://www-inst.eecs.berkeley.edu/~cs70/"));
        assert_eq!(
            resolve_id(&registry, "LicenseRef-ccguard-by-nc-nd-3.0-us").map(|r| r.id.as_str()),
            Some("CC-BY-NC-ND-3.0")
        );
    }

    #[test]
    fn bad_policies_point_at_the_value() {
        let registry = registry();
        let text = "name = \"X\"\nhosts = [\"https://x.org\"]\nlicense = \"CC-BY-9.0\"\n";
        let errors = parse("p/x.toml", text, &registry).expect_err("invalid");
        assert_eq!(errors.len(), 2);
        assert_eq!((errors[0].line, errors[0].column), (2, 9));
        assert_eq!((errors[1].line, errors[1].column), (3, 11));
    }
}
