//! `ccguard report` (the site-wide compliance report) and `ccguard merge` (shard reports).

use std::io::{self, Write};

use ccguard::report::{self, site::RunInfo};

use super::Failure;
use super::check::{exit_code, failed, prepare};
use crate::cli::{ReportArgs, ReportFormat};

/// `ccguard report`: check like `check`, then write the site-wide report to `--output`.
pub(crate) fn site_report(args: &ReportArgs) -> Result<u8, Failure> {
    let (checker, inputs) = prepare(
        args.config.as_deref(),
        &args.rules,
        &args.inputs,
        args.stdin_format,
        args.max_size,
    )?;
    // The report prints names, counts, credits and hosts: no post's text needs to stay.
    let checker = checker.with_keep_text(false);
    let inputs: Vec<_> = inputs.collect();
    let results = checker.check_all(&inputs, args.jobs);
    let config = checker.config();
    let run = RunInfo {
        config: config.path.as_ref().map(|p| p.display().to_string()),
        rules_dirs: config
            .rules_dirs
            .iter()
            .chain(&args.rules)
            .map(|p| p.display().to_string())
            .collect(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let format = match args.format {
        ReportFormat::Html => report::SiteFormat::Html,
        ReportFormat::Markdown => report::SiteFormat::Markdown,
    };
    let cannot_write =
        |e: io::Error| Failure::Usage(format!("cannot write {}: {e}", args.output.display()));
    let file = std::fs::File::create(&args.output).map_err(cannot_write)?;
    let mut out = io::BufWriter::new(file);
    report::write_site(&results, &run, format, &mut out).map_err(cannot_write)?;
    out.flush().map_err(cannot_write)?;
    Ok(exit_code(&checker, failed(&results, args.fail_on)))
}

/// `ccguard merge`: combine JSON reports of shards into one.
pub(crate) fn merge(paths: &[std::path::PathBuf]) -> Result<u8, Failure> {
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
