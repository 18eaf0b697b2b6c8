//! `ccguard rules list|show|validate` and `ccguard explain`, with "did you mean" suggestions.

use std::io::{self, Write};

use ccguard::check;
pub(crate) use ccguard::check::nearest;
use ccguard::rules::{self, load};

use super::check::{registry, report_rule_errors};
use super::{Failure, did_you_mean};
use crate::cli::RulesCommand;

/// `ccguard rules list|show|validate`.
pub(crate) fn rules_command(command: RulesCommand) -> Result<u8, Failure> {
    let mut out = io::stdout().lock();
    match command {
        RulesCommand::List { rules } => {
            let registry = registry(&rules)?;
            writeln!(out, "Checks:")?;
            for rule in check::RULES {
                writeln!(
                    out,
                    "  {:<32} {:<8} {}",
                    rule.id,
                    rule.severity.as_str(),
                    rule.summary
                )?;
            }
            writeln!(out, "\nLicenses ({}):", registry.licenses.len())?;
            for license in &registry.licenses {
                let title = license
                    .names
                    .get("en")
                    .and_then(|n| n.first())
                    .map_or("", String::as_str);
                writeln!(out, "  {:<36} {title}", license.id)?;
            }
            writeln!(out, "\nPublisher policies ({}):", registry.policies.len())?;
            for policy in &registry.policies {
                writeln!(
                    out,
                    "  {:<36} {} ({}): {}",
                    policy.id,
                    policy.name,
                    policy.hosts.join(", "),
                    policy.license
                )?;
            }
            writeln!(out, "\nCue languages ({}):", registry.cues.languages.len())?;
            for language in registry.cues.languages.values() {
                let families: Vec<&str> = language
                    .families
                    .iter()
                    .filter(|(_, phrases)| !phrases.is_empty())
                    .map(|(family, _)| family.name())
                    .collect();
                let families = if families.is_empty() {
                    "(none)".to_owned()
                } else {
                    families.join(", ")
                };
                writeln!(out, "  {:<36} {families}", language.tag)?;
            }
        }
        RulesCommand::Show { id, rules } => {
            let registry = registry(&rules)?;
            if let Some(rule) = registry.by_id(&id) {
                write!(out, "{}", rules::show(rule))?;
            } else if let Some(policy) = registry.policies.iter().find(|p| p.id == id) {
                write!(out, "{}", rules::show_policy(policy))?;
            } else if let Some(language) = registry.cues.languages.get(&id) {
                write!(out, "{}", rules::cues::show(language))?;
            } else {
                let ids = registry.licenses.iter().map(|l| l.id.as_str());
                let near = nearest(
                    &id,
                    ids.chain(registry.policies.iter().map(|p| p.id.as_str()))
                        .chain(registry.cues.languages.keys().map(String::as_str)),
                );
                return Err(Failure::Usage(format!(
                    "no license rule, publisher policy or cue language `{id}`{}",
                    did_you_mean(near)
                )));
            }
        }
        RulesCommand::Validate { dir } => {
            let (licenses, policies) = if let Some(dir) = dir {
                let licenses = load::dir(&dir).map_err(report_rule_errors)?;
                let mut registry = load::bundled().map_err(report_rule_errors)?;
                registry.extend(licenses.iter().cloned());
                let policies = load::policies_dir(&dir, &registry).map_err(report_rule_errors)?;
                load::media_dir(&dir).map_err(report_rule_errors)?;
                let mut cues = registry.cues.clone();
                for language in load::cues_dir(&dir).map_err(report_rule_errors)? {
                    cues.extend_checked(language).map_err(report_rule_errors)?;
                }
                (licenses.len(), policies.len())
            } else {
                let registry = load::bundled().map_err(report_rule_errors)?;
                (registry.licenses.len(), registry.policies.len())
            };
            writeln!(
                out,
                "{licenses} rule files and {policies} publisher policies are valid"
            )?;
        }
    }
    Ok(0)
}

/// `ccguard explain RULE`: the rule's documentation, or exit 2 with the nearest id.
pub(crate) fn explain(id: &str) -> Result<u8, Failure> {
    let Some(rule) = check::rule_named(id) else {
        let near = check::nearest_rule(id);
        return Err(Failure::Usage(format!(
            "unknown rule `{id}`{}",
            did_you_mean(near)
        )));
    };
    let mut out = io::stdout().lock();
    write!(
        out,
        "# {} ({})\n\n{}",
        rule.id,
        rule.severity.as_str(),
        rule.summary
    )?;
    if let Some(doc) = rule.doc {
        write!(out, "\n\n{doc}")?;
    }
    writeln!(out)?;
    Ok(0)
}
