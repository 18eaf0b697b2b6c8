//! `ccguard report` (the site-wide compliance report, to a file or stdout) and `ccguard merge` (shard reports).

use std::io::{self, Write};
use std::path::Path;

use ccguard::report::{self, site::RunInfo};

use super::Failure;
use super::check::{exit_code, fails, prepare};
use crate::cli::{ReportArgs, ReportFormat};

/// `ccguard report`: check like `check`, then write the site-wide report to `--output`.
pub(crate) fn site_report(args: &ReportArgs) -> Result<u8, Failure> {
    // Read before checking: a bad value is a usage error, found before the work is done.
    let generated = generated_at()?;
    let (checker, inputs) = prepare(&args.checking, &args.inputs)?;
    // The report prints names, counts, credits, hosts and places: no post's text needs to stay.
    let mut results = Vec::new();
    let checked: Result<(), std::convert::Infallible> = checker.check_each(
        inputs,
        args.checking.jobs,
        |mut result| {
            result.drop_text();
            result
        },
        |result| {
            results.push(result);
            Ok(())
        },
    );
    let Ok(()) = checked;
    results.sort_by(|a, b| a.source.name.cmp(&b.source.name));
    let config = checker.config();
    let run = RunInfo {
        inputs: args.inputs.clone(),
        config: config.path.as_ref().map(|p| p.display().to_string()),
        rules_dirs: config
            .rules_dirs
            .iter()
            .chain(&args.checking.rules)
            .map(|p| p.display().to_string())
            .collect(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        generated,
    };
    let format = match args.format.unwrap_or_else(|| format_of(&args.output)) {
        ReportFormat::Html => report::SiteFormat::Html,
        ReportFormat::Markdown => report::SiteFormat::Markdown,
    };
    let code = exit_code(
        &checker,
        fails(&report::Summary::of(&results), args.checking.fail_on),
    );
    if args.output.as_os_str() == "-" {
        let mut out = io::BufWriter::new(io::stdout().lock());
        return match report::write_site(&results, &run, format, &mut out).and_then(|()| out.flush())
        {
            // A reader that stopped early (`| head`) does not hide the findings from the exit code.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(code),
            result => result.map(|()| code).map_err(Failure::Io),
        };
    }
    let cannot_write =
        |e: io::Error| Failure::Usage(format!("cannot write {}: {e}", args.output.display()));
    let file = std::fs::File::create(&args.output).map_err(cannot_write)?;
    let mut out = io::BufWriter::new(file);
    report::write_site(&results, &run, format, &mut out).map_err(cannot_write)?;
    out.flush().map_err(cannot_write)?;
    Ok(code)
}

/// The format a report file's name asks for: Markdown for `.md` and `.markdown`, else HTML.
fn format_of(output: &Path) -> ReportFormat {
    let extension = output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("md" | "markdown") => ReportFormat::Markdown,
        _ => ReportFormat::Html,
    }
}

/// When the report is made, in seconds since the Unix epoch: `SOURCE_DATE_EPOCH` when set (the
/// reproducible-builds convention, so that a report can be made byte for byte again), else now.
fn generated_at() -> Result<u64, Failure> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => value.trim().parse().map_err(|_| {
            Failure::Usage(format!(
                "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, not {value:?}"
            ))
        }),
        Err(std::env::VarError::NotUnicode(_)) => Err(Failure::Usage(
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, not bytes \
             that are not even Unicode"
                .to_owned(),
        )),
        Err(std::env::VarError::NotPresent) => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())),
    }
}

/// `ccguard merge`: combine JSON reports of shards into one.
pub(crate) fn merge(paths: &[std::path::PathBuf]) -> Result<u8, Failure> {
    let mut reports = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for path in paths {
        // The same file named twice (`a.json ./a.json`) would count its documents twice.
        let resolved = path.canonicalize().unwrap_or_else(|_| path.clone());
        if let Some(first) = seen.insert(resolved, path) {
            return Err(Failure::Usage(format!(
                "{} given twice (also as {}); give each shard's report once",
                path.display(),
                first.display()
            )));
        }
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
