//! Command-line arguments (clap derive structs only; no logic).

use std::path::PathBuf;
use std::time::Duration;

use ccguard::fetch;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Check reposted web content for Creative Commons license compliance.
#[derive(Debug, Parser)]
#[command(name = "ccguard", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check posts (files, directories, URLs, or - for stdin) for license compliance.
    Check(CheckArgs),
    /// Write a site-wide compliance report (one self-contained HTML or Markdown file).
    Report(ReportArgs),
    /// List, show and validate license rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Print the documentation of a rule id.
    Explain {
        /// A rule id, e.g. missing-source-link.
        rule: String,
    },
    /// Print a compliant credit line (title, author, source, license) for a work.
    Attribution(AttributionArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to stdout.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Combine JSON reports (e.g. from `check --shard K/N` jobs) into one report on stdout.
    Merge {
        /// JSON reports written by `ccguard check --format json`.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
    },
    /// Open a local page (on 127.0.0.1) to paste a draft, drop a file or enter a URL, and see
    /// and fix its findings.
    Serve(ServeArgs),
    /// Apply the safe fixes to posts in place (--diff: print them, change nothing).
    Fix(FixArgs),
    /// Run a language server over stdio: diagnostics and license hovers for Markdown and HTML
    /// documents as they are edited (see docs/editors.md).
    Lsp,
    /// Write a commented starter ccguard.toml in the working directory.
    Init {
        /// Overwrite an existing ccguard.toml.
        #[arg(long)]
        force: bool,
    },
}

/// `ccguard check` options.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories (walked, respecting .gitignore), http(s) URLs, or - for stdin.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// The flags `check` shares with `report`.
    #[command(flatten)]
    pub checking: CheckingArgs,
    /// How originals and URL inputs are fetched.
    #[command(flatten)]
    pub network: NetworkArgs,
    /// Retries of one original after a 5xx, a connection error or a 429; the whole run retries
    /// at most this times --max-concurrency times.
    #[arg(long, default_value_t = 2)]
    pub retries: u32,
    /// Requests in flight at once at most (and at most 2 per host).
    #[arg(long, default_value_t = 8)]
    pub max_concurrency: usize,
    /// Least time between two requests to the same host, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 100)]
    pub host_interval: u64,
    /// Largest page body read, in bytes (at most 4 GiB).
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024, value_parser = parse_bytes)]
    pub max_body: u64,
    /// How long a cached page is used without asking the server: seconds, or 30m, 12h, 1d.
    #[arg(long, value_name = "AGE", default_value = "1d")]
    pub cache_ttl: String,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Record the current findings in FILE (then exit 0).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Hide the findings recorded in FILE; they do not count for the exit code.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// With --baseline: list entries that matched no finding (fixed or changed) on stderr.
    #[arg(long, requires = "baseline")]
    pub show_stale_baseline: bool,
    /// Check only shard K of N (1-based): files are split by a hash of their path, so N jobs
    /// with K = 1..N check every file exactly once; combine their JSON with `ccguard merge`.
    #[arg(long, value_name = "K/N", value_parser = ccguard::walk::parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Print which config file and overrides apply to each input, then exit.
    #[arg(long)]
    pub explain_config: bool,
    /// For each post, print whether RULE fired and the facts the detectors found, with their
    /// places (those RULE reads marked `*`), instead of the findings.
    #[arg(long, value_name = "RULE")]
    pub why: Option<String>,
    /// Check only files changed since this git revision (committed, staged, unstaged or untracked).
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Keep running: re-check files as they change and print only the findings that appear or
    /// go (human format; Ctrl-C ends).
    #[arg(long, conflicts_with_all = ["write_baseline", "baseline", "explain_config"])]
    pub watch: bool,
}

/// The flags `check` and `report` share: config and rules, how inputs are read, worker
/// threads, and what fails the run.
#[derive(Debug, Args)]
pub struct CheckingArgs {
    /// Config file (default: the first ccguard.toml or .ccguard.toml walking up from here).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// An extra rules directory, loaded after the bundled rules (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Format of `-` (stdin).
    #[arg(long, value_enum, default_value_t = StdinFormat::Html)]
    pub stdin_format: StdinFormat,
    /// What makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Worker threads, at most 256 (default and 0: all cores).
    #[arg(long, default_value_t = 0, value_parser = parse_jobs)]
    pub jobs: usize,
    /// Files larger than this many bytes are reported, not read (at most 4 GiB).
    #[arg(long, default_value_t = 16 * 1024 * 1024, value_parser = parse_bytes)]
    pub max_size: u64,
    /// Also check files ending in EXT (repeatable; e.g. mdx), read as HTML when the file name
    /// after its first dot contains "htm" (page.xhtml), as Markdown otherwise.
    #[arg(long = "ext", value_name = "EXT")]
    pub extensions: Vec<String>,
}

/// The network flags `check`, `fix` and `serve` share.
#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// Never touch the network: originals are not verified and URL inputs cannot be read.
    #[arg(long, env = "CCGUARD_OFFLINE", value_parser = clap::builder::BoolishValueParser::new())]
    pub offline: bool,
    /// Total time of each request, in seconds: connecting, redirects, headers and the whole
    /// body together.
    #[arg(long, value_name = "SECS", default_value_t = 20)]
    pub timeout: u64,
    /// Cache directory for fetched pages (default: $XDG_CACHE_HOME/ccguard or ~/.cache/ccguard).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Neither read nor write the cache of fetched pages.
    #[arg(long)]
    pub no_cache: bool,
    /// Fetch hosts on loopback, private and link-local addresses.
    #[arg(long)]
    pub allow_private_hosts: bool,
}

impl NetworkArgs {
    /// The fetcher's options these flags set (the others at their defaults).
    pub fn fetch_options(&self) -> fetch::Options {
        fetch::Options {
            timeout: Duration::from_secs(self.timeout.max(1)),
            allow_private: self.allow_private_hosts,
            cache_dir: if self.no_cache {
                None
            } else {
                self.cache_dir.clone().or_else(fetch::default_dir)
            },
            ..fetch::Options::default()
        }
    }
}

/// `ccguard serve` options.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one; the URL is printed either way).
    #[arg(long, default_value_t = 8421)]
    pub port: u16,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Config file (default: the first ccguard.toml or .ccguard.toml walking up from here).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// An extra rules directory, loaded after the bundled rules (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// How pages and originals are fetched.
    #[command(flatten)]
    pub network: NetworkArgs,
    /// Largest draft, file or fetched page checked, in bytes (at most 4 GiB).
    #[arg(long, default_value_t = 16 * 1024 * 1024, value_parser = parse_bytes)]
    pub max_size: u64,
}

/// `ccguard fix` options.
#[derive(Debug, Args)]
pub struct FixArgs {
    /// Files or directories (walked, respecting .gitignore), or - for stdin (the fixed text
    /// goes to stdout). URLs are refused: there is no file to fix.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// Print the fixes as a unified diff and change nothing.
    #[arg(long)]
    pub diff: bool,
    /// The flags `fix` shares with `check`.
    #[command(flatten)]
    pub checking: CheckingArgs,
    /// How pages and originals are fetched.
    #[command(flatten)]
    pub network: NetworkArgs,
}

/// `ccguard report` options.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Files, directories (walked, respecting .gitignore), or - for stdin.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// Report format (default: markdown when FILE ends .md or .markdown, else html).
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// The file to write the report to, or - for stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
    /// The flags `report` shares with `check`.
    #[command(flatten)]
    pub checking: CheckingArgs,
}

/// `report --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page with charts and a sortable table.
    Html,
    /// GitHub-flavoured Markdown tables.
    Markdown,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Diagnostics with source snippets.
    Human,
    /// One JSON object (schema ccguard-report/1).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
    /// JUnit XML.
    Junit,
}

/// `--stdin-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StdinFormat {
    /// HTML.
    Html,
    /// Markdown.
    Markdown,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 when there is an error.
    Error,
    /// Exit 1 when there is a warning or an error.
    Warning,
    /// Always exit 0 after checking.
    Never,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `ccguard rules …`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every license rule (id, title) and every check (id, severity, summary).
    List {
        /// Extra rules directories.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Show what a license requires, by SPDX id (or LicenseRef); a publisher policy by its id;
    /// or the cues understood in a language, by its tag (e.g. `de`).
    Show {
        /// e.g. CC-BY-NC-SA-4.0, the-conversation, de.
        id: String,
        /// Extra rules directories.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Validate rule files (the bundled ones, or those in DIR); exit 2 on any error.
    Validate {
        /// A rules directory.
        dir: Option<PathBuf>,
    },
}

/// `ccguard attribution` options.
#[derive(Debug, Args)]
pub struct AttributionArgs {
    /// The original's title.
    #[arg(long)]
    pub title: String,
    /// The original's author(s).
    #[arg(long)]
    pub author: String,
    /// The original's URL (absolute http:// or https://; anything else is refused).
    #[arg(long)]
    pub source: String,
    /// The license's SPDX id, e.g. CC-BY-4.0.
    #[arg(long)]
    pub license: String,
    /// The original's language when this is a translation (e.g. es or Spanish). Refused for
    /// ND licenses: they forbid sharing translations, so no credit line makes one compliant
    /// (a translation kept private needs none; a shared one needs the rights holder's permission).
    #[arg(long)]
    pub translated_from: Option<String>,
    /// Who translated it (refused for ND licenses, as --translated-from).
    #[arg(long)]
    pub translator: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AttributionFormat::Text)]
    pub format: AttributionFormat,
    /// Write the credit line of one photo, video or audio instead: "Photo: AUTHOR, "TITLE",
    /// LICENSE, via HOST", with --title its title or file name and --source its page (a
    /// Commons file page, a Flickr photo page); HOST is named when rules/media-hosts.toml
    /// knows the source.
    #[arg(long, value_enum, conflicts_with_all = ["translated_from", "translator"])]
    pub media: Option<AttributionMedia>,
}

/// `attribution --media`: what sort of medium the credit line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AttributionMedia {
    /// A photo, chart or drawing ("Photo: …").
    Image,
    /// A video ("Video: …").
    Video,
    /// Audio ("Audio: …").
    Audio,
}

/// `attribution --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AttributionFormat {
    /// HTML with CC REL RDFa.
    Html,
    /// Markdown.
    Markdown,
    /// Plain text.
    Text,
}

/// The most worker threads `--jobs` takes: more only adds threads' memory and start-up, and
/// tens of thousands never finished.
const MAX_JOBS: usize = 256;

/// `--jobs`: 0 (all cores) to [`MAX_JOBS`].
fn parse_jobs(value: &str) -> Result<usize, String> {
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
fn parse_bytes(value: &str) -> Result<u64, String> {
    match value.trim().parse::<u64>() {
        Ok(bytes) if bytes <= MAX_BYTES => Ok(bytes),
        _ => Err(format!(
            "give a number of bytes, at most {MAX_BYTES} bytes (4 GiB)"
        )),
    }
}
