//! License detection over the labelled development corpus (`../shared/corpus/dev`).
//!
//! For each document the governing claim (the most specific `Text` claim, else `Site`) is turned
//! into a license id and compared with the `declared_license` label: an SPDX id,
//! `unversioned:<family>`, `unspecified:CC` or `none` (`other:*` counts as `none`). Prints
//! expected vs got per document and asserts an accuracy floor. Skipped when the corpus is absent
//! (or the extractor yields nothing). `LICENSE_DEV_ALL=1` also lists the claims of passing
//! documents.

use std::path::Path;

use ccguard::detect::license::Matcher;
use ccguard::detect::{LicenseClaim, Scope};
use ccguard::document;
use ccguard::rules::{Registry, load};
use ccguard::source::{Format, Source};

const CORPUS: &str = "../shared/corpus/dev";
const FLOOR: f64 = 0.95;

#[test]
fn governing_license_matches_dev_labels() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    let Ok(labels) = std::fs::read_to_string(dir.join("labels.tsv")) else {
        println!("skipped: {} not found", dir.display());
        return;
    };
    let registry = load::bundled().expect("bundled rules load");
    let matcher = Matcher::new(&registry);
    let mut total = 0;
    let mut right = 0;
    let mut extracted = 0;
    let mut links_total = 0;
    let mut links_right = 0;
    for row in labels.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (Some(id), Some(format), Some(declared), Some(link_label)) =
            (cols.first(), cols.get(4), cols.get(6), cols.get(7))
        else {
            continue;
        };
        let ext = if *format == "md" { "md" } else { "html" };
        let path = dir.join(format!("{id}.{ext}"));
        let Ok(bytes) = std::fs::read(&path) else {
            println!("missing {}", path.display());
            continue;
        };
        let format = if ext == "md" {
            Format::Markdown
        } else {
            Format::Html
        };
        let source = Source::from_bytes(id.to_string(), &bytes, format);
        let doc = document::extract(&source);
        if !doc.blocks.is_empty() || !doc.meta.is_empty() {
            extracted += 1;
        }
        let claims = matcher.detect(&doc);
        let governing = governing(&claims);
        let got = license_id(&registry, governing);
        let expected = expected_id(declared);
        total += 1;
        let ok = got == expected;
        if ok {
            right += 1;
        }
        // Informational: a linked claim for the governing license vs `has_license_link`.
        let linked = governing.is_some_and(|g| {
            claims.iter().any(|c| {
                c.linked && matches!(c.scope, Scope::Text | Scope::Site) && c.code == g.code
            })
        });
        let link_expected = link_label.starts_with('y');
        if expected != "none" {
            links_total += 1;
            if linked == link_expected {
                links_right += 1;
            }
        }
        println!(
            "{} {id}: expected {expected}, got {got}; linked expected {link_expected}, got {linked}",
            if ok { "ok  " } else { "MISS" }
        );
        if !ok || std::env::var_os("LICENSE_DEV_ALL").is_some() {
            for claim in &claims {
                println!(
                    "       {:?} {:?} {:?} {:?} linked={} {:?} {:?}",
                    claim.scope,
                    claim.code,
                    claim.version,
                    claim.jurisdiction,
                    claim.linked,
                    claim.evidence.kind,
                    source
                        .slice(claim.evidence.span)
                        .chars()
                        .take(80)
                        .collect::<String>()
                );
            }
        }
    }
    if extracted == 0 {
        println!("skipped: the document extractor returned nothing for every file");
        return;
    }
    let accuracy = f64::from(right) / f64::from(total.max(1));
    println!("accuracy: {right}/{total} = {accuracy:.3}");
    println!("linked agrees with has_license_link: {links_right}/{links_total} licensed documents");
    assert!(total > 0, "no labelled documents read");
    assert!(accuracy >= FLOOR, "accuracy {accuracy:.3} below {FLOOR}");
}

/// The most specific Text claim (versioned, then with a code, then linked; earlier wins), or
/// the most specific Site claim when the post makes no Text claim.
fn governing(claims: &[LicenseClaim]) -> Option<&LicenseClaim> {
    let best = |scope: Scope| {
        claims
            .iter()
            .filter(|c| c.scope == scope)
            .enumerate()
            .max_by_key(|(i, c)| {
                (
                    c.version.is_some(),
                    c.code.is_some(),
                    c.linked,
                    std::cmp::Reverse(*i),
                )
            })
            .map(|(_, c)| c)
    };
    best(Scope::Text).or_else(|| best(Scope::Site))
}

fn license_id(registry: &Registry, claim: Option<&LicenseClaim>) -> String {
    let Some(claim) = claim else {
        return "none".into();
    };
    let Some(code) = &claim.code else {
        return "unspecified:CC".into();
    };
    let Some(version) = &claim.version else {
        let family = registry
            .family_of_code(code)
            .map_or_else(|| format!("CC-{}", code.to_uppercase()), str::to_owned);
        return format!("unversioned:{family}");
    };
    registry
        .resolve(code, version, claim.jurisdiction.as_deref())
        .map_or_else(
            || format!("invalid:{code}-{version}"),
            |resolved| resolved.id,
        )
}

fn expected_id(declared: &str) -> String {
    if declared.starts_with("other:") {
        "none".into()
    } else {
        declared.to_owned()
    }
}
