//! `ccguard check`: load config and rules, expand inputs, check, apply baselines, render, and
//! turn findings into the exit code. Also the pieces `report` shares with it.

use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use ccguard::baseline::{Baseline, Keys, Matcher};
use ccguard::checker::Checker;
use ccguard::config::{self, Config};
use ccguard::diagnostic::{Level, RuleId};
use ccguard::fetch::{self, Fetcher};
use ccguard::report::{self};
use ccguard::result::DocumentResult;
use ccguard::rules::{Registry, load};
use ccguard::source::Format;
use ccguard::suppress::Suppressed;
use ccguard::verify::Verifier;
use ccguard::walk;

use super::Failure;
use crate::changed;
use crate::cli::{CheckArgs, CheckingArgs, Color, FailOn, OutputFormat, StdinFormat};

/// The inputs to check, in display-name order, walked as they are taken.
pub(crate) type Inputs = Box<dyn Iterator<Item = walk::Input>>;

/// `ccguard check`.
pub(crate) fn check(args: &CheckArgs) -> Result<u8, Failure> {
    let (checker, mut inputs) = prepare(&args.checking, &args.inputs)?;
    inputs = selected(args, inputs)?;
    if args.explain_config {
        return explain_config(checker.config(), inputs);
    }
    let checker = configured(args, checker)?;
    if let Some(rule) = &args.why {
        return why(&checker, inputs, args, rule);
    }
    let (format, color) = output_format(args);
    if let Some(path) = &args.write_baseline {
        return write_baseline(&checker, inputs, args.checking.jobs, path);
    }
    let matcher = match &args.baseline {
        Some(path) => {
            let usage = |e: ccguard::baseline::BaselineError| Failure::Usage(e.to_string());
            let baseline = Baseline::load(path).map_err(usage)?;
            Some(baseline.matcher(Keys::new(path).map_err(usage)?))
        }
        None => None,
    };
    // GitHub's step summary lists every finding, so it is gathered as documents come.
    let mut step_summary: Option<(std::ffi::OsString, report::github::StepSummary)> =
        std::env::var_os("GITHUB_STEP_SUMMARY")
            .filter(|_| format == report::Format::Github)
            .map(|path| (path, report::github::StepSummary::default()));
    let summarised = step_summary.is_some();
    let mut any_failed = false;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut renderer = report::renderer(format, &mut out)?;
    let fail_on = args.checking.fail_on;
    let mut closed = false;
    // The last stages of the one path, on the thread that checked the post: its baselined
    // findings hidden, then rendered (with what the step summary lists); the parts are
    // written here in path order.
    let rendered = checker.check_each(
        inputs,
        args.checking.jobs,
        |mut result| {
            if let (Some(matcher), Some(path)) = (&matcher, &args.baseline) {
                hide_baselined(matcher, path, &mut result);
            }
            let part = report::prepare(format, color, &result)?;
            let listed = summarised.then_some((result.source.name, result.diagnostics));
            Ok::<_, io::Error>((part, listed))
        },
        |done| {
            let (part, listed) = done?;
            any_failed |= fails(&part.summary, fail_on);
            if let (Some((_, summary)), Some((name, findings))) = (&mut step_summary, listed) {
                summary.add(&name, part.summary, &findings);
            }
            write_open(&mut *renderer, &mut closed, part)
        },
    );
    say_if_offline(&checker);
    let written = match rendered {
        Ok(()) if !closed => renderer.finish().and_then(|()| {
            if let (Some(matcher), Some(path), report::Format::Human) =
                (&matcher, &args.baseline, format)
            {
                let hidden = matcher.hidden();
                writeln!(
                    out,
                    "{hidden} {} hidden by baseline {}",
                    if hidden == 1 { "finding" } else { "findings" },
                    path.display()
                )?;
            }
            out.flush()
        }),
        rendered => rendered,
    };
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        written => written?,
    }
    if let Some(matcher) = &matcher
        && args.show_stale_baseline
    {
        for entry in matcher.stale() {
            // A recorded path is a file name, which may hold a line break or an escape.
            eprintln!(
                "stale baseline entry: {} {} {}",
                report::escape::for_log(&entry.path),
                report::escape::for_log(&entry.rule),
                entry.fingerprint
            );
        }
    }
    if let Some((path, summary)) = step_summary {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        let written = file.metadata().map_or(0, |m| m.len());
        summary.write(&mut file, written)?;
    }
    Ok(exit_code(&checker, any_failed))
}

/// 1 when findings fail the run, 0 when none do; but 2 when a file's check hit a bug in
/// ccguard (an `internal-error` finding), whatever `--fail-on` says, said once on stderr.
pub(crate) fn exit_code(checker: &Checker, failed: bool) -> u8 {
    match checker.internal_errors() {
        0 => u8::from(failed),
        files => {
            eprintln!(
                "error: ccguard hit an internal error (a bug) while checking {files} file{}; \
                 see its internal-error finding and please report it. The other files were checked.",
                if files == 1 { "" } else { "s" }
            );
            2
        }
    }
}

/// Write a document's part unless the reader has gone (`closed`, set here on a broken pipe).
/// A reader that stops early (`| head`) ends the output, not the check: the exit code is the
/// one the whole run earns, so `set -o pipefail` cannot turn findings into a pass, and a
/// closed pipe is no error to report.
fn write_open<R: report::Render + ?Sized>(
    renderer: &mut R,
    closed: &mut bool,
    part: report::Prepared,
) -> io::Result<()> {
    if *closed {
        return Ok(());
    }
    match renderer.write(part) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            *closed = true;
            Ok(())
        }
        written => written,
    }
}

/// The inputs `--changed-since` and `--shard` leave.
fn selected(args: &CheckArgs, mut inputs: Inputs) -> Result<Inputs, Failure> {
    if let Some(rev) = &args.changed_since {
        let changed = changed::since(rev).map_err(Failure::Usage)?;
        inputs = Box::new(inputs.filter(move |input| match input {
            walk::Input::File(path) => path.canonicalize().is_ok_and(|p| changed.contains(&p)),
            _ => true,
        }));
    }
    if let Some((k, n)) = args.shard {
        inputs = Box::new(inputs.filter(move |input| walk::in_shard(input, k, n)));
    }
    Ok(inputs)
}

/// `checker` set up as the flags say: offline or verifying.
pub(crate) fn configured(args: &CheckArgs, checker: Checker) -> Result<Checker, Failure> {
    Ok(if args.network.offline {
        checker.offline()
    } else {
        checker.with_verifier(verifier(args)?)
    })
}

/// The output format and whether to colour it (`--color auto`: on a terminal, unless
/// `NO_COLOR` is set).
fn output_format(args: &CheckArgs) -> (report::Format, bool) {
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
    (format, color)
}

/// True when the findings counted in `summary` (one document's, or a whole run's) include one
/// at or above `--fail-on`: the one place that decides whether findings fail the run.
pub(crate) fn fails(summary: &report::Summary, fail_on: FailOn) -> bool {
    match fail_on {
        FailOn::Error => summary.errors > 0,
        FailOn::Warning => summary.errors + summary.warnings > 0,
        FailOn::Never => false,
    }
}

/// `check --write-baseline`: record every finding (which reads every post's text) and write
/// no report.
fn write_baseline(
    checker: &Checker,
    inputs: Inputs,
    jobs: usize,
    path: &std::path::Path,
) -> Result<u8, Failure> {
    let keys = Keys::new(path).map_err(|e| Failure::Usage(e.to_string()))?;
    // Each document's entries are taken on the thread that checked it (they need its text),
    // and recorded here in path order.
    let mut baseline = Baseline::record([], &keys);
    let recorded: Result<(), std::convert::Infallible> = checker.check_each(
        inputs,
        jobs,
        |result| {
            // A bug is never a finding to live with: the baseline matcher does not hide it
            // either.
            let findings = result
                .diagnostics
                .iter()
                .filter(|d| d.rule != RuleId::InternalError);
            Baseline::record([(&result.source, findings.collect())], &keys)
        },
        |document| {
            baseline.entries.extend(document.entries);
            Ok(())
        },
    );
    let Ok(()) = recorded;
    say_if_offline(checker);
    baseline
        .save(path)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    eprintln!(
        "wrote {} findings to {}",
        baseline.entries.len(),
        path.display()
    );
    Ok(exit_code(checker, false))
}

/// Move the findings a baseline lists from a result's findings to its suppressed ones.
fn hide_baselined(matcher: &Matcher, path: &std::path::Path, result: &mut DocumentResult) {
    let (kept, hidden) = matcher.hide(&result.source, std::mem::take(&mut result.diagnostics));
    result.diagnostics = kept;
    result
        .suppressed
        .extend(hidden.into_iter().map(|diagnostic| Suppressed {
            diagnostic,
            reason: Some(format!("in baseline {}", path.display())),
        }));
}

/// What `check` and `report` share: the config, the rules (bundled, the config's, `--rules`), the
/// inputs the config includes, and a checker over them. Inputs that yield no document at all
/// are a usage error saying why: a check of nothing must not pass.
pub(crate) fn prepare(
    args: &CheckingArgs,
    inputs: &[String],
) -> Result<(Checker, Inputs), Failure> {
    let config = load_config(args.config.as_deref())?;
    let mut rules_dirs = config.rules_dirs.clone();
    rules_dirs.extend(args.rules.iter().cloned());
    let mut checker = Checker::new(registry(&rules_dirs)?);
    let stdin_format = match args.stdin_format {
        StdinFormat::Html => Format::Html,
        StdinFormat::Markdown => Format::Markdown,
    };
    let extensions = walk::Extensions::new(config.extensions.iter().chain(&args.extensions))
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let found = std::rc::Rc::new(std::cell::Cell::new(0_usize));
    let counter = std::rc::Rc::clone(&found);
    let included = config.clone();
    let mut selected = walk::expand(inputs, stdin_format, &extensions)
        .map_err(|e| Failure::Usage(e.to_string()))?
        .inspect(move |_| counter.set(counter.get() + 1))
        .filter(move |input| match input {
            walk::Input::File(_) | walk::Input::Unreadable(..) => {
                included.includes(&included.relative_path(&input.display_name()))
            }
            _ => true,
        })
        .peekable();
    if selected.peek().is_none() {
        let why = match found.get() {
            0 => format!(
                "no file ends in {}; add an extension with --ext EXT or `extensions = [\"EXT\"]` in ccguard.toml",
                extensions.describe()
            ),
            n => format!(
                "the config's include and exclude patterns leave none of the {n} file(s) found ({})",
                config
                    .path
                    .as_ref()
                    .map_or_else(String::new, |p| p.display().to_string())
            ),
        };
        return Err(Failure::Usage(format!(
            "no document to check in {}: {why}",
            inputs.join(", ")
        )));
    }
    checker = checker.with_config(config);
    if args.max_size != walk::DEFAULT_MAX_SIZE {
        checker = checker.with_max_size(args.max_size);
    }
    Ok((checker, Box::new(selected)))
}

/// The fetcher for URL inputs and upstream verification, from the network flags.
fn verifier(args: &CheckArgs) -> Result<Verifier, Failure> {
    let cache_ttl = parse_age(&args.cache_ttl).ok_or_else(|| {
        Failure::Usage(format!(
            "--cache-ttl `{}`: give seconds or a number with s, m, h or d (e.g. 12h)",
            args.cache_ttl
        ))
    })?;
    let options = fetch::Options {
        retries: args.retries,
        max_body: args.max_body,
        max_concurrency: args.max_concurrency.max(1),
        host_interval: Duration::from_millis(args.host_interval),
        cache_ttl,
        progress: args.format == OutputFormat::Human && io::stderr().is_terminal(),
        ..args.network.fetch_options()
    };
    let fetcher = Fetcher::new(options).map_err(|e| Failure::Usage(e.to_string()))?;
    Ok(Verifier::new(fetcher))
}

/// Say once that the run went offline, when no host could be reached.
fn say_if_offline(checker: &Checker) {
    if let Some(note) = checker.verifier().and_then(|v| v.fetcher().offline()) {
        eprintln!("{note}");
    }
}

/// `90`, `90s`, `30m`, `12h`, `1d` as a duration.
fn parse_age(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (text.get(..i)?, c),
        _ => (text, 's'),
    };
    let n: u64 = number.trim().parse().ok()?;
    let secs = match unit.to_ascii_lowercase() {
        's' => n,
        'm' => n.checked_mul(60)?,
        'h' => n.checked_mul(3600)?,
        'd' => n.checked_mul(86_400)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

/// The config named by `--config`, else the first `ccguard.toml`/`.ccguard.toml` found walking up
/// from the working directory, else the defaults.
pub(crate) fn load_config(path: Option<&std::path::Path>) -> Result<Config, Failure> {
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

/// `check --why RULE`: for each input, whether RULE fired and the facts it saw. Exit code as
/// `check`'s, so a script can still tell a failing post.
fn why(checker: &Checker, inputs: Inputs, args: &CheckArgs, rule: &str) -> Result<u8, Failure> {
    let Some(rule) = ccguard::check::rule_named(rule) else {
        return Err(Failure::Usage(format!(
            "unknown rule `{rule}`{}",
            super::did_you_mean(ccguard::check::nearest_rule(rule))
        )));
    };
    let inputs: Vec<walk::Input> = inputs.collect();
    let results = checker.check_all(&inputs, args.checking.jobs);
    say_if_offline(checker);
    let mut out = io::BufWriter::new(io::stdout().lock());
    for (i, result) in results.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        report::why::write(&mut out, result, rule.id)?;
    }
    out.flush()?;
    let failed = fails(&report::Summary::of(&results), args.checking.fail_on);
    Ok(exit_code(checker, failed))
}

/// `check --explain-config`: which config and overrides apply to each input.
fn explain_config(config: &Config, inputs: Inputs) -> Result<u8, Failure> {
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
                Level::Off => format!("{rule}=off"),
                Level::On(s) => format!("{rule}={}", s.as_str()),
            })
            .collect();
        writeln!(
            out,
            "{name}: overrides {:?}, all_reposts={}, commercial={}, originals={}, rules [{}]",
            settings.matched_overrides,
            settings.all_reposts,
            settings.commercial,
            settings.originals,
            levels.join(", ")
        )?;
    }
    Ok(0)
}

/// The bundled rules plus each extra directory; errors are rendered and end the run (exit 2).
pub(crate) fn registry(extra: &[std::path::PathBuf]) -> Result<Registry, Failure> {
    let mut registry = load::bundled().map_err(report_rule_errors)?;
    load::extend_with_dirs(&mut registry, extra).map_err(report_rule_errors)?;
    Ok(registry)
}

/// Render every rule-file error on stderr; the run stops with exit code 2.
pub(crate) fn report_rule_errors(errors: Vec<load::RuleError>) -> Failure {
    let count = errors.len();
    for error in errors {
        eprintln!("{:?}", miette::Report::new(error));
    }
    Failure::Usage(format!("{count} rule file error(s); nothing was checked"))
}
