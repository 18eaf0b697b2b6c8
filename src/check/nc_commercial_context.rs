//! Rule `nc-commercial-context`.

use super::{Finding, Input};

/// ## What it checks
/// A NonCommercial work shown beside commercial signals: ad-network scripts or slots, "Sponsored"
/// or "Advertisement" labels, paywall markup, shop links, paid-membership pitches.
///
/// ## Why
/// NC licenses allow only uses "not primarily intended for or directed towards commercial
/// advantage or monetary compensation" (4.0 §1(i)). CC gives no bright line — its FAQ says it
/// depends on the specifics, and "charging for access may not be permitted" — so this is a
/// warning to review, not a verdict. Some licensors (ProPublica) allow ads on the page but not
/// ads sold against their stories.
///
/// ## Passes
/// A CC BY-NC 4.0 repost on a page without ads, paywall or shop.
///
/// ## Fails
/// A CC BY-NC 4.0 repost with `<ins class="adsbygoogle">` next to the article.
///
/// ## How to fix
/// Remove ads, paywalls and sales pitches from pages carrying NC material, or get the rights
/// holder's permission for commercial use.
pub fn check(input: &Input) -> Vec<Finding> {
    let Some(governing) = &input.governing else {
        return Vec::new();
    };
    let Some(signal) = input.facts.commercial.first() else {
        return Vec::new();
    };
    if !governing.elements.nc {
        return Vec::new();
    }
    vec![
        Finding::at(signal.span, format!("{} material appears beside a commercial signal: {}", governing.family, signal.text))
            .label(governing.claim.evidence.span, "NonCommercial license")
            .help("remove ads, paywalls and sales pitches from this page, or get the rights holder's permission for commercial use"),
    ]
}
