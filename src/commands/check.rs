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
use ccguard::result_cache::{self, ResultCache};
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
    if args.watch {
        return super::watch::watch(args);
    }
    let (checker, mut inputs) = prepare(&args.checking, &args.inputs)?;
    inputs = selected(args, inputs)?;
    if args.explain_config {
        return explain_config(checker.config(), inputs);
    }
    let checker = configured(args, checker)?;
    let (format, color) = output_format(args);
    if let Some(path) = &args.write_baseline {
        return write_baseline(&checker, inputs, args.checking.jobs, path);
    }
    let mut matcher = match &args.baseline {
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
    let mut any_failed = false;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut renderer = report::renderer(format, &mut out)?;
    // A baseline hides findings in path order (each entry once); without one, each document
    // is rendered by the thread that checked it (or its rendering comes from the result cache),
    // and writing is only copying.
    let fail_on = args.checking.fail_on;
    let mut closed = false;
    let rendered = if matcher.is_none() && step_summary.is_none() {
        checker.check_each_rendered(
            inputs,
            args.checking.jobs,
            rendering_key(format, color),
            |result| report::prepare(format, color, &result),
            |part| {
                let part = part?;
                any_failed |= fails(&part.summary, fail_on);
                write_open(&mut *renderer, &mut closed, part)
            },
        )
    } else {
        checker.check_each(
            inputs,
            args.checking.jobs,
            |result| result,
            |mut result| {
                if let (Some(matcher), Some(path)) = (&mut matcher, &args.baseline) {
                    hide_baselined(matcher, path, &mut result);
                }
                let part = report::prepare(format, color, &result)?;
                any_failed |= fails(&part.summary, fail_on);
                if let Some((_, summary)) = &mut step_summary {
                    summary.add(&result);
                }
                write_open(&mut *renderer, &mut closed, part)
            },
        )
    };
    say_if_offline(&checker);
    save_result_cache(&checker);
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

/// `checker` set up as the flags say: offline or verifying, keeping post texts only for the
/// outputs that quote them, with the result cache when it is on.
pub(crate) fn configured(args: &CheckArgs, checker: Checker) -> Result<Checker, Failure> {
    let mut checker = if args.offline {
        checker.offline()
    } else {
        checker.with_verifier(verifier(args)?)
    };
    // JSON, GitHub and JUnit output need only line and column, not the text: drop it per file.
    let needs_text = matches!(args.format, OutputFormat::Human | OutputFormat::Sarif)
        || args.write_baseline.is_some()
        || args.baseline.is_some();
    checker = checker.with_keep_text(needs_text);
    if let Some(cache) = result_cache(args, &checker) {
        checker = checker.with_result_cache(cache);
    }
    Ok(checker)
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

/// The key of a document's rendering in the result cache: everything besides the result that
/// [`report::prepare`] reads (the format and colour; the renderers are part of the build,
/// which the cache's stamp names).
fn rendering_key(format: report::Format, color: bool) -> u64 {
    result_cache::stamp(&[
        b"report::prepare",
        format!("{format:?}").as_bytes(),
        &[u8::from(color)],
    ])
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
    let inputs: Vec<walk::Input> = inputs.collect();
    let results = checker.check_all(&inputs, jobs);
    say_if_offline(checker);
    save_result_cache(checker);
    let baseline = Baseline::record(
        results
            .iter()
            .flat_map(|r| r.diagnostics.iter().map(move |d| (&r.source, d)))
            // A bug is never a finding to live with: the baseline matcher does not hide it either.
            .filter(|(_, d)| d.rule != RuleId::InternalError),
        &keys,
    );
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
fn hide_baselined(matcher: &mut Matcher, path: &std::path::Path, result: &mut DocumentResult) {
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
    let mut checker = if rules_dirs.is_empty() {
        Checker::loading_rules(bundled_rules)
    } else {
        Checker::new(registry(&rules_dirs)?)
    };
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

/// The most worker threads `--jobs` takes: more only adds threads' memory and start-up, and
/// tens of thousands never finished.
const MAX_JOBS: usize = 256;

/// `--jobs`: 0 (all cores) to [`MAX_JOBS`].
pub(crate) fn parse_jobs(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(jobs) if jobs <= MAX_JOBS => Ok(jobs),
        _ => Err(format!(
            "give a number of worker threads, at most {MAX_JOBS} (0 = all cores)"
        )),
    }
}

/// The largest size cap (`--max-size`, `--max-body`): a file or page is read into memory whole.
const MAX_BYTES: u64 = 1 << 32;

/// `--max-size`, `--max-body`: a number of bytes, at most [`MAX_BYTES`].
pub(crate) fn parse_bytes(value: &str) -> Result<u64, String> {
    match value.trim().parse::<u64>() {
        Ok(bytes) if bytes <= MAX_BYTES => Ok(bytes),
        _ => Err(format!(
            "give a number of bytes, at most {MAX_BYTES} bytes (4 GiB)"
        )),
    }
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
        timeout: Duration::from_secs(args.timeout.max(1)),
        retries: args.retries,
        max_body: args.max_body,
        max_concurrency: args.max_concurrency.max(1),
        host_interval: Duration::from_millis(args.host_interval),
        allow_private: args.allow_private_hosts,
        cache_dir: if args.no_cache {
            None
        } else {
            args.cache_dir.clone().or_else(fetch::default_dir)
        },
        cache_ttl,
        progress: args.format == OutputFormat::Human && io::stderr().is_terminal(),
        ..fetch::Options::default()
    };
    let fetcher = Fetcher::new(options).map_err(|e| Failure::Usage(e.to_string()))?;
    Ok(Verifier::new(fetcher))
}

/// The result cache for `--cache` (not with `--no-cache`), stamped with everything besides a
/// post's text that decides its result; `None`, with a note on stderr, when there is no cache
/// directory or the running binary cannot be identified.
fn result_cache(args: &CheckArgs, checker: &Checker) -> Option<ResultCache> {
    if !(args.cache || checker.config().cache) || args.no_cache {
        return None;
    }
    let Some(dir) = args.cache_dir.clone().or_else(fetch::default_dir) else {
        eprintln!("result cache off: no cache directory (give --cache-dir)");
        return None;
    };
    // The build, not just the version: a rebuilt binary may detect differently.
    let build = match std::env::current_exe().and_then(std::fs::metadata) {
        Ok(meta) => format!("{} {:?}", meta.len(), meta.modified().ok()),
        Err(e) => {
            eprintln!("result cache off: cannot identify the running ccguard: {e}");
            return None;
        }
    };
    let config = checker.config();
    let config_text = match &config.path {
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("result cache off: cannot read {}: {e}", path.display());
                return None;
            }
        },
        None => Vec::new(),
    };
    let config_path = format!("{:?}", config.path);
    // Every rule and policy as loaded (derived Debug shows every field, in a fixed order) when
    // some come from rule directories; the bundled ones are part of the build (and printing
    // them all would be a large part of a cached re-check).
    let rules = if config.rules_dirs.is_empty() && args.checking.rules.is_empty() {
        String::new()
    } else {
        format!("{:?}", checker.registry())
    };
    let flags = format!(
        "offline={} max_size={}",
        args.offline, args.checking.max_size
    );
    let stamp = result_cache::stamp(&[
        env!("CARGO_PKG_VERSION").as_bytes(),
        build.as_bytes(),
        rules.as_bytes(),
        config_path.as_bytes(),
        &config_text,
        flags.as_bytes(),
    ]);
    let project = format!(
        "{:?} {:?} shard={:?} changed_since={:?}",
        std::env::current_dir().ok(),
        args.inputs,
        args.shard,
        args.changed_since
    );
    let cache = ResultCache::open(&dir, &project, stamp);
    if let Some(note) = cache.note() {
        eprintln!(
            "ignoring the result cache {}: {note}",
            cache.file().display()
        );
    }
    Some(cache)
}

/// Say once that the run went offline, when no host could be reached.
fn say_if_offline(checker: &Checker) {
    if let Some(note) = checker.verifier().and_then(|v| v.fetcher().offline()) {
        eprintln!("{note}");
    }
}

/// Write the result cache, if one is in use, and say how much of it was used.
fn save_result_cache(checker: &Checker) {
    let Some(cache) = checker.result_cache() else {
        return;
    };
    if let Err(e) = cache.save() {
        eprintln!(
            "cannot write the result cache {}: {e}",
            cache.file().display()
        );
    }
    eprintln!("cache: {}", cache.stats());
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
    load::within_total(extra).map_err(report_rule_errors)?;
    for dir in extra {
        let rules = load::dir(dir).map_err(report_rule_errors)?;
        registry.extend(rules);
        let policies = load::policies_dir(dir, &registry).map_err(report_rule_errors)?;
        registry.extend_policies(policies);
        registry
            .media
            .extend(load::media_dir(dir).map_err(report_rule_errors)?);
    }
    Ok(registry)
}

/// The bundled rules, for a checker that loads them when first needed. They are tested to load;
/// should they not, the errors are rendered and the run ends with exit code 2, as when they
/// are loaded up front.
fn bundled_rules() -> Registry {
    load::bundled().unwrap_or_else(|errors| {
        if let Failure::Usage(message) = report_rule_errors(errors) {
            eprintln!("error: {message}");
        }
        std::process::exit(2)
    })
}

/// Render every rule-file error on stderr; the run stops with exit code 2.
pub(crate) fn report_rule_errors(errors: Vec<load::RuleError>) -> Failure {
    let count = errors.len();
    for error in errors {
        eprintln!("{:?}", miette::Report::new(error));
    }
    Failure::Usage(format!("{count} rule file error(s); nothing was checked"))
}
