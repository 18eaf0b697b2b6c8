//! A plain-text summary of one license rule, for `ccguard rules show ID`.
//!
//! Only formatting lives here: the facts come from the rule file. The output is plain text
//! without colour, so it reads the same in a terminal, a pipe or a snapshot.

use std::fmt::Write as _;

use super::load::element_names;
use super::{ChangeNoticeRule, LicenseRule, SourceLinkRule, ToolKind};

/// A human multi-line summary of `rule`: identity, what verbatim sharing and adaptations
/// require, share-alike targets, cure period, ports, file and notes.
pub fn show(rule: &LicenseRule) -> String {
    let mut out = String::new();
    let title = rule
        .names
        .get("en")
        .and_then(|titles| titles.first())
        .map_or(String::new(), |t| format!(" — {t}"));
    let _ = writeln!(out, "{}{title}", rule.id);
    line(&mut out, "url", &rule.url);
    line(&mut out, "family", &identity(rule));
    let elements = element_names(rule.elements);
    line(
        &mut out,
        "elements",
        &if elements.is_empty() {
            "none".to_owned()
        } else {
            elements.join(", ")
        },
    );
    line(
        &mut out,
        "deprecated",
        if rule.deprecated { "yes" } else { "no" },
    );
    line(&mut out, "verbatim", &verbatim_terms(rule));
    line(&mut out, "adaptations", &adaptation_terms(rule));
    if !rule.adaptations.share_alike.is_empty() {
        line(
            &mut out,
            "share-alike",
            &rule.adaptations.share_alike.join(", "),
        );
    }
    let cure = rule
        .cure_days
        .map_or("none (the license ends on breach)".to_owned(), |d| {
            format!("{d} days")
        });
    line(&mut out, "cure period", &cure);
    if !rule.ports.is_empty() {
        let ports = format!(
            "{} without a file of their own use these requirements — check local text",
            rule.ports.len()
        );
        line(&mut out, "ports", &ports);
    }
    line(&mut out, "file", &rule.file);
    if !rule.notes.is_empty() {
        out.push_str("notes:\n");
        for note in &rule.notes {
            let _ = writeln!(out, "  - {note}");
        }
    }
    out
}

fn line(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "{:<12} {value}", format!("{label}:"));
}

fn identity(rule: &LicenseRule) -> String {
    let kind = match rule.kind {
        ToolKind::License => "license",
        ToolKind::Waiver => "waiver",
        ToolKind::PublicDomain => "public-domain tool",
    };
    let version = rule.version.as_deref().unwrap_or("no version");
    let port = rule.jurisdiction.as_deref().unwrap_or("unported");
    format!("{} ({} {version}, {port}), {kind}", rule.family, rule.code)
}

/// What sharing the material as is requires, as one line (`credit the creator …; name the
/// license`).
pub fn verbatim_terms(rule: &LicenseRule) -> String {
    let req = &rule.verbatim;
    let mut parts = Vec::new();
    if req.credit {
        parts.push("credit the creator and attribution parties");
    }
    if req.title {
        parts.push("give the title");
    }
    if req.license_notice {
        parts.push("name the license");
    }
    if req.license_link {
        parts.push("give the license URI or a link to it");
    }
    match req.source_link {
        SourceLinkRule::Never => {}
        SourceLinkRule::IfSupplied => parts.push("link the source if the licensor supplied one"),
        SourceLinkRule::IfPracticable => {
            parts.push("link the source where reasonably practicable");
        }
    }
    if req.change_notice == ChangeNoticeRule::Always {
        parts.push("say if the material was modified");
    }
    if parts.is_empty() {
        "no conditions".to_owned()
    } else {
        parts.join("; ")
    }
}

/// Whether adaptations (translations included) may be shared, and on what terms, as one line.
pub fn adaptation_terms(rule: &LicenseRule) -> String {
    if !rule.adaptations.shareable {
        return "may not be shared (translations included)".to_owned();
    }
    let mut parts = vec!["may be shared"];
    match rule.verbatim.change_notice {
        ChangeNoticeRule::Never => {}
        ChangeNoticeRule::Adaptations => parts.push("label the changes (e.g. the translation)"),
        ChangeNoticeRule::Always => parts.push("say that it was modified"),
    }
    if !rule.adaptations.share_alike.is_empty() {
        parts.push("only under a share-alike license below");
    }
    parts.join("; ")
}

/// A human summary of a publisher policy for `ccguard rules show ID`.
pub fn show_policy(policy: &super::policy::Policy) -> String {
    let mut out = format!("{} — publisher policy\n", policy.name);
    let _ = writeln!(out, "id:          {}", policy.id);
    let _ = writeln!(out, "hosts:       {}", policy.hosts.join(", "));
    let _ = writeln!(out, "license:     {}", policy.license);
    if let Some(url) = &policy.url {
        let _ = writeln!(out, "guidelines:  {url}");
    }
    let _ = writeln!(out, "file:        {}", policy.file);
    if !policy.notes.is_empty() {
        out.push_str("notes:\n");
        for note in &policy.notes {
            let _ = writeln!(out, "  - {note}");
        }
    }
    out
}
