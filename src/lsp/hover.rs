//! Hover on a license claim: what that license and version require, from its rule file (the
//! facts `ccguard rules show` prints), as Markdown.
//!
//! Not for deciding whether the post meets those requirements: the diagnostics say that.
//! Nothing from the post itself is quoted, so a post cannot put its own Markdown in the hover.

use std::fmt::Write as _;

use crate::check::short_name;
use crate::detect::{Facts, LicenseClaim, Scope};
use crate::governing;
use crate::rules::{self, LicenseRule, Registry};
use crate::source::Span;

/// The license claim at byte `offset` (the innermost one when claims nest) with the Markdown
/// describing what its license requires; `None` when no claim is there.
pub fn license_at(facts: &Facts, registry: &Registry, offset: usize) -> Option<(Span, String)> {
    let claim = facts
        .licenses
        .iter()
        .filter(|c| c.evidence.span.start <= offset && offset <= c.evidence.span.end)
        .min_by_key(|c| c.evidence.span.len())?;
    Some((claim.evidence.span, describe(claim, registry)))
}

/// What the license a claim names requires, as Markdown.
fn describe(claim: &LicenseClaim, registry: &Registry) -> String {
    let resolved = governing::resolve(claim, registry);
    let mut out = String::new();
    match (resolved.rule, resolved.family_rule, &claim.code) {
        (Some(rule), _, _) => {
            requirements(&mut out, rule);
            if resolved.ported {
                let port = claim.jurisdiction.as_deref().unwrap_or("").to_uppercase();
                let _ = write!(
                    out,
                    "\n\nThe {port} port has no rule file of its own: these are the unported \
                     requirements; check the port's legal code."
                );
            }
        }
        (None, Some(newest), Some(_)) => {
            let family = resolved.family.replacen("CC-", "CC ", 1);
            let _ = write!(
                out,
                "**{family}**, no version given: each version has its own terms, so name \
                 the version the original gives. The newest, {}, requires:\n\n",
                short_name(newest)
            );
            requirements(&mut out, newest);
        }
        (None, _, Some(_)) => {
            out.push_str(
                "No rule file describes this license: ccguard cannot tell what it requires. \
                 Check its name and version against the original's notice.",
            );
        }
        (None, _, None) => {
            out.push_str(
                "**A Creative Commons license**, not saying which: the six licenses and CC0 \
                 require different things. Name the license and version the original gives \
                 (e.g. CC BY 4.0) and link its deed.",
            );
        }
    }
    if let Some(scope) = scope_note(claim.scope) {
        let _ = write!(out, "\n\n{scope}");
    }
    out
}

/// The requirements of one rule: identity, deed, verbatim and adapted sharing, share-alike,
/// cure period and notes.
fn requirements(out: &mut String, rule: &LicenseRule) {
    let _ = write!(out, "**{}**", short_name(rule));
    if let Some(title) = rule.names.get("en").and_then(|titles| titles.first()) {
        let _ = write!(out, " — {title}");
    }
    let _ = write!(out, "  \n<{}>\n\n", rule.url);
    let _ = writeln!(
        out,
        "- **Sharing it as is:** {}",
        rules::verbatim_terms(rule)
    );
    let _ = writeln!(
        out,
        "- **Adaptations (translations included):** {}",
        rules::adaptation_terms(rule)
    );
    if !rule.adaptations.share_alike.is_empty() {
        let _ = writeln!(
            out,
            "- **Share-alike licenses:** {}",
            rule.adaptations.share_alike.join(", ")
        );
    }
    let cure = rule.cure_days.map_or_else(
        || "none (the license ends on a breach)".to_owned(),
        |days| format!("{days} days"),
    );
    let _ = writeln!(out, "- **Cure period:** {cure}");
    if rule.deprecated {
        out.push_str("- **Deprecated** by Creative Commons\n");
    }
    for note in &rule.notes {
        let _ = writeln!(out, "- {note}");
    }
    let _ = write!(out, "\n`ccguard rules show {}` ({})", rule.id, rule.file);
}

/// What a claim that is not about the post's text covers.
fn scope_note(scope: Scope) -> Option<&'static str> {
    match scope {
        Scope::Text => None,
        Scope::Image => Some("This notice covers an image or figure, not the post's text."),
        Scope::Quoted => Some("This is quoted material or code, not a notice about this post."),
        Scope::Site => {
            Some("This is the site's own notice (footer or sidebar), weaker evidence for the post.")
        }
        Scope::Mention => Some("Creative Commons is discussed here, not claimed for this post."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{Evidence, EvidenceKind};

    fn claim(code: Option<&str>, version: Option<&str>, span: Span) -> LicenseClaim {
        LicenseClaim {
            code: code.map(str::to_owned),
            version: version.map(str::to_owned),
            jurisdiction: None,
            linked: false,
            scope: Scope::Text,
            evidence: Evidence {
                kind: EvidenceKind::Text,
                span,
                text: String::new(),
            },
        }
    }

    #[test]
    fn a_versioned_claim_shows_its_rule_and_a_bare_one_the_newest_version() {
        let registry = crate::rules::load::bundled().expect("bundled rules");
        let facts = Facts {
            licenses: vec![
                claim(Some("by-nc"), Some("4.0"), Span::new(10, 22)),
                claim(Some("by-sa"), None, Span::new(40, 48)),
            ],
            ..Facts::default()
        };
        let (span, text) = license_at(&facts, &registry, 12).expect("hover");
        assert_eq!(span, Span::new(10, 22));
        assert!(
            text.starts_with(
                "**CC BY-NC 4.0** — Attribution-NonCommercial 4.0 International  \n\
                 <https://creativecommons.org/licenses/by-nc/4.0/>\n\n\
                 - **Sharing it as is:** credit the creator"
            ),
            "{text}"
        );
        assert!(text.contains("- **Cure period:** 30 days\n"), "{text}");
        let (_, bare) = license_at(&facts, &registry, 48).expect("hover at the end");
        assert!(bare.starts_with("**CC BY-SA**, no version given"), "{bare}");
        assert!(
            bare.contains("The newest, CC BY-SA 4.0, requires:"),
            "{bare}"
        );
        assert!(bare.contains("- **Share-alike licenses:** "), "{bare}");
        assert_eq!(license_at(&facts, &registry, 30), None);
    }
}
