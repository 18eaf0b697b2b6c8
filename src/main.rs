//! The `ccguard` binary: parse arguments, run, render, and turn the outcome into an exit code
//! (0 clean, 1 findings at or above `--fail-on`, 2 usage, config or rule-file error).

mod cli;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use ccguard::attribution::{Attribution, language_name};
use ccguard::baseline::Baseline;
use ccguard::check::{self, Severity, short_name};
use ccguard::checker::Checker;
use ccguard::config::{self, Config};
use ccguard::report;
use ccguard::rules::{self, Registry, load};
use ccguard::source::Format;
use ccguard::suppress::Suppressed;
use ccguard::walk;
use cli::{
    AttributionFormat, CheckArgs, Cli, Color, Command, FailOn, OutputFormat, RulesCommand,
    StdinFormat,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules(command) => rules_command(command),
        Command::Explain { rule } => explain(&rule),
        Command::Attribution(args) => attribution(&args),
        Command::Init { force } => init(force),
        Command::Merge { reports } => merge(&reports),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Why a command stopped before finishing its job.
enum Failure {
    /// Writing output failed.
    Io(io::Error),
    /// Bad arguments, config or rule files (already reported where useful).
    Usage(String),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

fn check(args: &CheckArgs) -> Result<u8, Failure> {
    let config = load_config(args.config.as_deref())?;
    let mut rules_dirs = config.rules_dirs.clone();
    rules_dirs.extend(args.rules.iter().cloned());
    let registry = registry(&rules_dirs)?;
    let stdin_format = match args.stdin_format {
        StdinFormat::Html => Format::Html,
        StdinFormat::Markdown => Format::Markdown,
    };
    let mut inputs =
        walk::expand(&args.inputs, stdin_format).map_err(|e| Failure::Usage(e.to_string()))?;
    inputs.retain(|input| match input {
        walk::Input::File(_) => config.includes(&config.relative_path(&input.display_name())),
        _ => true,
    });
    if let Some((k, n)) = args.shard {
        inputs.retain(|input| walk::in_shard(input, k, n));
    }
    if args.explain_config {
        return explain_config(&config, &inputs);
    }
    let mut checker = Checker::new(registry).with_config(config);
    if args.max_size != walk::DEFAULT_MAX_SIZE {
        checker = checker.with_max_size(args.max_size);
    }
    // JSON, GitHub and JUnit output need only line and column, not the text: drop it per file.
    let needs_text = matches!(args.format, OutputFormat::Human | OutputFormat::Sarif)
        || args.write_baseline.is_some()
        || args.baseline.is_some();
    checker = checker.with_keep_text(needs_text);
    if args.format == OutputFormat::Json && !needs_text {
        return check_streaming(&checker, &inputs, args);
    }
    let mut results = checker.check_all(&inputs, args.jobs);
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::record(
            results
                .iter()
                .flat_map(|r| r.diagnostics.iter().map(move |d| (&r.source, d))),
        );
        baseline
            .save(path)
            .map_err(|e| Failure::Usage(e.to_string()))?;
        eprintln!(
            "wrote {} findings to {}",
            baseline.entries.len(),
            path.display()
        );
        return Ok(0);
    }
    if let Some(path) = &args.baseline {
        let baseline = Baseline::load(path).map_err(|e| Failure::Usage(e.to_string()))?;
        let mut matcher = baseline.matcher();
        for result in &mut results {
            let (hidden, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut result.diagnostics)
                .into_iter()
                .partition(|d| matcher.take(&result.source, d));
            result.diagnostics = kept;
            result
                .suppressed
                .extend(hidden.into_iter().map(|diagnostic| Suppressed {
                    diagnostic,
                    reason: Some(format!("in baseline {}", path.display())),
                }));
        }
        if args.show_stale_baseline {
            for entry in matcher.stale() {
                eprintln!(
                    "stale baseline entry: {} {} {}",
                    entry.path, entry.rule, entry.fingerprint
                );
            }
        }
    }
    let format = match args.format {
        OutputFormat::Human => report::Format::Human,
        OutputFormat::Json => report::Format::Json,
        OutputFormat::Sarif => report::Format::Sarif,
        OutputFormat::Github => report::Format::Github,
        OutputFormat::Junit => report::Format::Junit,
    };
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    report::write(&results, format, color, &mut out)?;
    out.flush()?;
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| {
        results
            .iter()
            .flat_map(|r| &r.diagnostics)
            .any(|d| d.severity >= t)
    });
    Ok(u8::from(failed))
}

/// `check --format json` without baselines: each result is written as soon as it is ready (in
/// path order) and dropped, so memory does not grow with the site.
fn check_streaming(
    checker: &Checker,
    inputs: &[walk::Input],
    args: &CheckArgs,
) -> Result<u8, Failure> {
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    let mut failed = false;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut stream = report::json::Stream::new(&mut out)?;
    checker.check_each(inputs, args.jobs, |result| {
        failed |= threshold.is_some_and(|t| result.diagnostics.iter().any(|d| d.severity >= t));
        stream.document(&result)
    })?;
    stream.finish()?;
    out.flush()?;
    Ok(u8::from(failed))
}

/// The config named by `--config`, else the first `ccguard.toml`/`.ccguard.toml` found walking up
/// from the working directory, else the defaults.
fn load_config(path: Option<&std::path::Path>) -> Result<Config, Failure> {
    let path = match path {
        Some(path) => Some(path.to_path_buf()),
        None => std::env::current_dir()
            .ok()
            .and_then(|dir| config::discover(&dir)),
    };
    match path {
        Some(path) => Config::load(&path).map_err(|e| {
            eprintln!("{:?}", miette::Report::new(*e));
            Failure::Usage("invalid config; nothing was checked".to_owned())
        }),
        None => Ok(Config::default()),
    }
}

fn explain_config(config: &Config, inputs: &[walk::Input]) -> Result<u8, Failure> {
    let mut out = io::stdout().lock();
    match &config.path {
        Some(path) => writeln!(out, "config: {}", path.display())?,
        None => writeln!(out, "config: none found (defaults)")?,
    }
    for input in inputs {
        let name = input.display_name();
        let settings = config.settings_for(&config.relative_path(&name));
        let levels: Vec<String> = settings
            .levels
            .iter()
            .map(|(rule, level)| match level {
                config::Level::Off => format!("{rule}=off"),
                config::Level::On(s) => format!("{rule}={}", s.as_str()),
            })
            .collect();
        writeln!(
            out,
            "{name}: overrides {:?}, all_reposts={}, commercial={}, rules [{}]",
            settings.matched_overrides,
            settings.all_reposts,
            settings.commercial,
            levels.join(", ")
        )?;
    }
    Ok(0)
}

fn merge(paths: &[std::path::PathBuf]) -> Result<u8, Failure> {
    let mut reports = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
        reports.push((path.display().to_string(), text));
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    match ccguard::merge::merge(&reports, &mut out) {
        Err(e) if e.kind() == io::ErrorKind::InvalidData => Err(Failure::Usage(e.to_string())),
        result => {
            result?;
            out.flush()?;
            Ok(0)
        }
    }
}

fn init(force: bool) -> Result<u8, Failure> {
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

/// The bundled rules plus each extra directory; errors are rendered and end the run (exit 2).
fn registry(extra: &[std::path::PathBuf]) -> Result<Registry, Failure> {
    let mut registry = load::bundled().map_err(report_rule_errors)?;
    for dir in extra {
        let rules = load::dir(dir).map_err(report_rule_errors)?;
        registry.extend(rules);
    }
    Ok(registry)
}

fn report_rule_errors(errors: Vec<load::RuleError>) -> Failure {
    let count = errors.len();
    for error in errors {
        eprintln!("{:?}", miette::Report::new(error));
    }
    Failure::Usage(format!("{count} rule file error(s); nothing was checked"))
}

fn rules_command(command: RulesCommand) -> Result<u8, Failure> {
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
        }
        RulesCommand::Show { id, rules } => {
            let registry = registry(&rules)?;
            let Some(rule) = registry.by_id(&id) else {
                let near = nearest(&id, registry.licenses.iter().map(|l| l.id.as_str()));
                return Err(Failure::Usage(format!(
                    "no license rule `{id}`{}",
                    did_you_mean(near)
                )));
            };
            write!(out, "{}", rules::show(rule))?;
        }
        RulesCommand::Validate { dir } => {
            let count = match dir {
                Some(dir) => load::dir(&dir).map_err(report_rule_errors)?.len(),
                None => load::bundled().map_err(report_rule_errors)?.licenses.len(),
            };
            writeln!(out, "{count} rule files are valid")?;
        }
    }
    Ok(0)
}

fn explain(id: &str) -> Result<u8, Failure> {
    match (check::rule(id), check::documentation(id)) {
        (Some(rule), Some(doc)) => {
            let mut out = io::stdout().lock();
            writeln!(
                out,
                "# {} ({})\n\n{}\n\n{doc}",
                rule.id,
                rule.severity.as_str(),
                rule.summary
            )?;
            Ok(0)
        }
        (Some(rule), None) => {
            writeln!(
                io::stdout().lock(),
                "# {} ({})\n\n{}",
                rule.id,
                rule.severity.as_str(),
                rule.summary
            )?;
            Ok(0)
        }
        (None, _) => {
            let near = nearest(id, check::RULES.iter().map(|r| r.id));
            Err(Failure::Usage(format!(
                "unknown rule `{id}`{}",
                did_you_mean(near)
            )))
        }
    }
}

fn attribution(args: &cli::AttributionArgs) -> Result<u8, Failure> {
    let registry = registry(&[])?;
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
    let credit = Attribution {
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
    };
    let line = match args.format {
        AttributionFormat::Text => credit.text(),
        AttributionFormat::Markdown => credit.markdown(),
        AttributionFormat::Html => credit.html(),
    };
    writeln!(io::stdout().lock(), "{line}")?;
    Ok(0)
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| {
            (
                strsim::levenshtein(&word.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= c.len() / 3 + 1)
        .min()
        .map(|(_, c)| c)
}

fn did_you_mean(near: Option<&str>) -> String {
    near.map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default()
}
