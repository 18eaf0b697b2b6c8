//! Rule `missing-translation-disclosure`.

use super::{Fact, Finding, Input, Rule};
use crate::diagnostic::{RuleId, Severity};

/// The rule `missing-translation-disclosure`: its id, default severity, summary and documentation (what
/// `ccguard explain missing-translation-disclosure` prints).
pub const RULE: Rule = Rule {
    id: RuleId::MissingTranslationDisclosure,
    severity: Severity::Error,
    summary: "the post is a translation and does not say so",
    doc: Some(
        r#"## What it checks
A post that is a translation (its language differs from the original's) and does not say so:
no "translated from", "translated by", "traducido por", "traduit par", "übersetzt von",
"译者", no `translator` field.

## Why
A translation is an adaptation. 4.0 §3(a)(1)(B) requires you to "indicate if You modified the
Licensed Material"; 3.0 §3(b) requires adaptations, "including any translation", to be
labelled, e.g. "The original work was translated from English to Spanish", and §4(b)(iv) an
adaptation credit like "French translation of the Work by Original Author". Readers must not
take the translator's words for the author's.

## Passes
```markdown
Traducido del inglés por Marta Gil. [Artículo original](https://example.org/story).
```

## Fails
A Spanish post whose only source link is an English article, with no translation note.

## How to fix
Say that it is a translation, from which language, and by whom, e.g. "Translated from the
English by Marta Gil"."#,
    ),
    check: Some(check),
    repost_only: true,
    reads: &[Fact::Adaptation],
};

/// Find the breaches of `missing-translation-disclosure` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let adaptation = &input.facts.adaptation;
    if !adaptation.translated || adaptation.disclosed {
        return Vec::new();
    }
    // Name the original's language when the detectors know it (its link's language path,
    // hreflang, title or slug); a guess of English would be wrong for every other original.
    let from = adaptation.from_language.as_deref().map_or_else(
        || "<original language>".to_owned(),
        crate::attribution::language_name,
    );
    let mut finding = Finding::absent("the post appears to be a translation but does not say so")
        .help(format!(
            "add a translation notice, e.g. \"Translated from the {from} by <translator>\", next to the credit line"
        ));
    for evidence in &adaptation.inferred {
        finding = finding.label(evidence.span, "the original is in another language");
    }
    vec![finding]
}
