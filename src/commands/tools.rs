//! `ccguard init` (a starter config) and `ccguard attribution` (a TASL credit line).

use std::io::{self, Write};

use ccguard::attribution::{Attribution, MediaCredit, is_web_url, language_name};
use ccguard::check::short_name;
use ccguard::config::{self};
use ccguard::rules::Registry;

use super::Failure;
use super::check::registry;
use super::did_you_mean;
use super::rules::nearest;
use crate::cli::{AttributionArgs, AttributionFormat, AttributionMedia};

/// `ccguard init`: write the starter `ccguard.toml` (refuses to overwrite without `--force`).
pub(crate) fn init(force: bool) -> Result<u8, Failure> {
    let path = std::path::Path::new("ccguard.toml");
    if path.exists() && !force {
        return Err(Failure::Usage(
            "ccguard.toml already exists; pass --force to overwrite it".to_owned(),
        ));
    }
    std::fs::write(path, config::STARTER)?;
    writeln!(io::stdout().lock(), "wrote ccguard.toml")?;
    Ok(0)
}

/// `ccguard attribution`: print a TASL credit line for a work.
pub(crate) fn attribution(args: &AttributionArgs) -> Result<u8, Failure> {
    let registry = registry(&[])?;
    let credit = credit(&registry, args)?;
    if let Some(kind) = args.media {
        let media = MediaCredit {
            label: match kind {
                AttributionMedia::Image => "Photo",
                AttributionMedia::Video => "Video",
                AttributionMedia::Audio => "Audio",
            }
            .to_owned(),
            creator: args.author.clone(),
            title: Some(args.title.clone()),
            via: registry.media.host_of(&args.source).map(|h| h.name.clone()),
            source: credit.source,
            license_name: credit.license_name.unwrap_or_default(),
            license_url: credit.license_url,
        };
        let line = match args.format {
            AttributionFormat::Text => media.text(),
            AttributionFormat::Markdown => media.markdown(),
            AttributionFormat::Html => media.html(),
        };
        writeln!(io::stdout().lock(), "{line}")?;
        return Ok(0);
    }
    let line = match args.format {
        AttributionFormat::Text => credit.text(),
        AttributionFormat::Markdown => credit.markdown(),
        AttributionFormat::Html => credit.html(),
    };
    writeln!(io::stdout().lock(), "{line}")?;
    Ok(0)
}

/// The credit line `args` describe, refused (with what to do) for an unknown license, a source
/// that is not a web URL, or a translation under an ND license; `ccguard serve`'s attribution
/// builder asks the same.
pub(crate) fn credit(registry: &Registry, args: &AttributionArgs) -> Result<Attribution, Failure> {
    let Some(rule) = registry.by_id(&args.license) else {
        let near = nearest(
            &args.license,
            registry.licenses.iter().map(|l| l.id.as_str()),
        );
        return Err(Failure::Usage(format!(
            "unknown license `{}`{}",
            args.license,
            did_you_mean(near)
        )));
    };
    if !is_web_url(&args.source) {
        return Err(Failure::Usage(format!(
            "--source must be the original's absolute http:// or https:// URL, not {:?}",
            args.source
        )));
    }
    if !rule.adaptations.shareable && (args.translated_from.is_some() || args.translator.is_some())
    {
        // A credit line is for sharing, and ND forbids sharing any adaptation: printing one
        // would help publish a translation that breaks the license.
        return Err(Failure::Usage(format!(
            "{} does not allow sharing translations or other adaptations, so there is no \
             compliant credit line for one; share the original unchanged, or get the rights \
             holder's permission and credit the translation under that permission",
            short_name(rule)
        )));
    }
    Ok(Attribution {
        title: Some(args.title.clone()),
        author: Some(args.author.clone()),
        source: Some(args.source.clone()),
        license_name: Some(short_name(rule)),
        license_url: Some(rule.url.clone()),
        translated_from: args.translated_from.as_deref().map(|l| {
            if l.len() == 2 {
                language_name(&l.to_ascii_lowercase())
            } else {
                l.to_owned()
            }
        }),
        translator: args.translator.clone(),
    })
}
