//! Rule `upstream-license-mismatch`.

use super::sa_relicensed::allowed;
use super::{Fact, Finding, Input, Rule};
use crate::detect::{LicenseClaim, Scope};
use crate::diagnostic::{RuleId, Severity};

/// The rule `upstream-license-mismatch`: its id, default severity, summary and documentation (what
/// `ccguard explain upstream-license-mismatch` prints).
pub const RULE: Rule = Rule {
    id: RuleId::UpstreamLicenseMismatch,
    severity: Severity::Error,
    summary: "the original source carries a different license than the repost claims",
    doc: Some(
        r#"## What it checks
A repost that names a license its original does not carry: the original, fetched from the
source link, is under another license or version (the repost says CC BY-NC 4.0, the original
says CC BY-NC-ND 4.0). The finding points at the repost's claim and names the line of the
original's notice. An adaptation of a ShareAlike original under a license the SA terms allow
(a later version) is not a mismatch.

## Why
A repost may only pass on the rights its original grants. Naming a more permissive license
misleads every reader who copies it on (4.0 §3(a)(1)(A)(iv) asks you to "indicate the
Licensed Material is licensed under this Public License", that is, the license the licensor
chose), and dropping an element like ND or NC hides a condition the repost itself must meet.

## Passes
A repost saying "Licensed under CC BY-NC-ND 4.0" of an original whose page says "CC BY-NC-ND
4.0".

## Fails
A repost saying "Licensed under CC BY-NC 4.0" of an original whose page says "CC BY-NC-ND
4.0".

## How to fix
Name and link the original's license exactly as the original gives it, with its version;
then check whether that license allows what the repost does (an ND original may not be
translated)."#,
    ),
    check: Some(check),
    repost_only: false,
    reads: &[Fact::Sources, Fact::License],
};

/// Find the breaches of `upstream-license-mismatch` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let own: Vec<&LicenseClaim> = input
        .facts
        .licenses
        .iter()
        .filter(|c| matches!(c.scope, Scope::Text | Scope::Site) && c.code.is_some())
        .collect();
    let Some(governing) = input.governing.as_ref() else {
        return Vec::new();
    };
    let claimed = governing.claim;
    let ours = governing.id.as_deref().unwrap_or(&governing.family);
    if claimed.code.is_none() {
        return Vec::new();
    }
    let adapted = input.facts.adaptation.translated || input.facts.adaptation.modified;
    let mut findings = Vec::new();
    for up in input.upstream {
        let Some(original) = up.original() else {
            continue;
        };
        let (Some(theirs), Some(summary)) = (&original.claim, &original.license) else {
            continue;
        };
        if theirs.code.is_none()
            || own
                .iter()
                .any(|c| same_license(c, theirs) || (adapted && allowed(theirs, c, input.registry)))
        {
            continue;
        }
        let (line, _) = original.evidence_at.line_col(theirs.evidence.span.start);
        let name = summary.id.as_deref().unwrap_or(&summary.family);
        findings.push(
            Finding::at(
                claimed.evidence.span,
                format!(
                    "the repost says {ours} but the original is under {name} (`{}` at {} line {line})",
                    theirs.evidence.text, original.final_url
                ),
            )
            .label(up.span, format!("the original, under {name}"))
            .help(format!(
                "name and link the original's license, {name}, and check that it allows what this post does"
            )),
        );
    }
    findings
}

/// True when two claims name the same license: the same code, and the same version and port
/// where both give one.
fn same_license(a: &LicenseClaim, b: &LicenseClaim) -> bool {
    let canonical = |c: &LicenseClaim| {
        c.code
            .as_deref()
            .map(|code| if code == "by-nd-nc" { "by-nc-nd" } else { code })
            .map(str::to_owned)
    };
    let agree = |x: &Option<String>, y: &Option<String>| match (x, y) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => true,
    };
    canonical(a) == canonical(b)
        && agree(&a.version, &b.version)
        && agree(&a.jurisdiction, &b.jurisdiction)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{Evidence, EvidenceKind};
    use crate::source::Span;

    fn claim(code: &str, version: Option<&str>) -> LicenseClaim {
        LicenseClaim {
            code: Some(code.to_owned()),
            version: version.map(str::to_owned),
            jurisdiction: None,
            linked: false,
            scope: Scope::Text,
            evidence: Evidence {
                kind: EvidenceKind::Text,
                span: Span::default(),
                text: String::new(),
            },
        }
    }

    #[test]
    fn same_license_ignores_missing_versions_but_not_elements() {
        assert!(same_license(
            &claim("by-nc", Some("4.0")),
            &claim("by-nc", None)
        ));
        assert!(same_license(
            &claim("by-nd-nc", Some("2.0")),
            &claim("by-nc-nd", Some("2.0"))
        ));
        assert!(!same_license(
            &claim("by-nc", Some("4.0")),
            &claim("by-nc-nd", Some("4.0"))
        ));
        assert!(!same_license(
            &claim("by", Some("3.0")),
            &claim("by", Some("4.0"))
        ));
    }
}
