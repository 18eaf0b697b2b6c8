//! Rule `nc-commercial-context`.

use super::{Fact, Finding, Input, Rule};
use crate::diagnostic::{RuleId, Severity};

/// The rule `nc-commercial-context`: its id, default severity, summary and documentation (what
/// `ccguard explain nc-commercial-context` prints).
pub const RULE: Rule = Rule {
    id: RuleId::NcCommercialContext,
    severity: Severity::Warning,
    summary: "an NC work appears beside commercial signals",
    doc: Some(
        r#"## What it checks
A NonCommercial work shown beside commercial signals: ad-network scripts or slots, "Sponsored"
or "Advertisement" labels, paywall markup, shop links, paid-membership pitches. A config that
says the site is commercial (`[site] commercial = true` in `ccguard.toml`, or
`commercial = true` in an `[[overrides]]` block for some paths) makes every NC repost there
get this finding, at line 1, column 1, even when the page shows no signal itself (ads added
by the site's template, a paywall in front of the whole site).

## Why
NC licenses allow only uses "not primarily intended for or directed towards commercial
advantage or monetary compensation" (4.0 §1(i)). CC gives no bright line — its FAQ says it
depends on the specifics, and "charging for access may not be permitted" — so this is a
warning to review, not a verdict. Some licensors (ProPublica) allow ads on the page but not
ads sold against their stories.

## Passes
A CC BY-NC 4.0 repost on a page without ads, paywall or shop, on a site the config does not
mark as commercial.

## Fails
A CC BY-NC 4.0 repost with `<ins class="adsbygoogle">` next to the article; any CC BY-NC
repost when the config has `[site] commercial = true`.

## How to fix
Remove ads, paywalls and sales pitches from pages carrying NC material, or get the rights
holder's permission for commercial use. When the config's `commercial = true` is wrong for
some paths, set `commercial = false` in an `[[overrides]]` block for them."#,
    ),
    check: Some(check),
    repost_only: true,
    reads: &[Fact::Commercial, Fact::License],
};

/// Find the breaches of `nc-commercial-context` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let Some(governing) = &input.governing else {
        return Vec::new();
    };
    if !governing.elements.nc {
        return Vec::new();
    }
    let finding = if let Some(signal) = input.facts.commercial.first() {
        Finding::at(
            signal.span,
            format!(
                "{} material appears beside a commercial signal: {}",
                governing.family, signal.text
            ),
        )
    } else if input.commercial && input.repost {
        Finding::absent(format!(
            "{} material is reposted on a site the config marks as commercial (`commercial = true`)",
            governing.family
        ))
    } else {
        return Vec::new();
    };
    vec![
        finding
            .label(governing.claim.evidence.span, "NonCommercial license")
            .help("remove ads, paywalls and sales pitches from this page, or get the rights holder's permission for commercial use"),
    ]
}
