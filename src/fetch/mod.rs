//! Fetching pages over HTTP for URL inputs and for upstream verification: a blocking reqwest
//! client (rustls with the ring provider), with the limits a CI can rely on, the page cache,
//! address safety and decoding a body into a [`Source`].
//!
//! One [`Fetcher`] serves a whole run: each distinct URL is fetched at most once (concurrent
//! callers wait for the first), at most `max_concurrency` requests run at once and at most
//! [`PER_HOST`] per host, spaced by a minimum interval. Fresh cache entries send no request; stale
//! ones are revalidated. Nothing here interprets a page: the `verify` stage runs the same extract
//! and detect on an original as on a post.
//!
//! Time: each attempt ends `timeout` after it starts (connect, redirects, headers and body
//! together), and the run's retries are one shared allowance ([`Options::retry_allowance`]).
//!
//! No network: a run without one would wait on every original in turn. So the first
//! [`PROBE_HOSTS`] distinct origins (scheme, host and port) a run needs, in sorted URL order,
//! are tried before anything else of their batch; when none of them answers at all (DNS,
//! connection, TLS failure or no response in time; an HTTP error status is an answer), the run
//! goes offline: nothing more is requested, and [`Fetcher::offline`] says so. Only the probes'
//! outcomes decide it, and [`Fetcher::prefetch`] is done before a batch of posts is checked, so
//! which URLs are tried, and how each post's originals are reported, does not depend on thread
//! timing. Any answer from any server settles that the network works for the rest of the run.

mod cache;
mod cache_file;
mod client;
pub mod decode;
pub mod safety;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::Url;

use crate::source::Source;

pub use cache::{Cache, default_dir};
pub use client::{MAX_REDIRECTS, USER_AGENT};

/// Requests in flight to one host at most.
pub const PER_HOST: usize = 2;

/// Distinct origins tried before a run that reaches none of them goes offline.
pub const PROBE_HOSTS: usize = 3;

/// How fetching behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Total time of one attempt: connecting, redirects, headers and the whole body.
    pub timeout: Duration,
    /// Retries of one URL after a 5xx, a connection error or a 429 (while the run's allowance
    /// lasts, see [`Options::retry_allowance`]).
    pub retries: u32,
    /// Largest body read, in bytes.
    pub max_body: u64,
    /// Requests in flight at once at most.
    pub max_concurrency: usize,
    /// Least time between the starts of two requests to one host.
    pub host_interval: Duration,
    /// Longest `Retry-After` honoured.
    pub retry_after_cap: Duration,
    /// Fetch hosts on loopback, private and link-local addresses.
    pub allow_private: bool,
    /// The cache directory; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// How long a cached page is used without asking the server.
    pub cache_ttl: Duration,
    /// Honour `HTTP(S)_PROXY`/`NO_PROXY` (tests turn it off).
    pub use_proxy: bool,
    /// Show a progress bar on stderr while prefetching.
    pub progress: bool,
}

impl Options {
    /// Retries the whole run may make: `retries` for each of `max_concurrency` requests in
    /// flight, so retrying adds about `retries` attempts (and their waits) to the run's time
    /// however many links fail.
    pub fn retry_allowance(&self) -> usize {
        usize::try_from(self.retries)
            .unwrap_or(usize::MAX)
            .saturating_mul(self.max_concurrency.max(1))
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(20),
            retries: 2,
            max_body: 10 * 1024 * 1024,
            max_concurrency: 8,
            host_interval: Duration::from_millis(100),
            retry_after_cap: Duration::from_secs(30),
            allow_private: false,
            cache_dir: default_dir(),
            cache_ttl: Duration::from_hours(24),
            use_proxy: true,
            progress: false,
        }
    }
}

/// Why a page could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The URL is not http(s), or its host is private.
    #[error("{0}")]
    Refused(String),
    /// An error status.
    #[error("HTTP {0} {1}")]
    Status(u16, String),
    /// 429 after every retry (the `Retry-After` it asked for).
    #[error("HTTP 429 Too Many Requests")]
    RateLimited(Option<Duration>),
    /// A response began but did not complete within the timeout.
    #[error("timed out")]
    Timeout,
    /// No response at all within the timeout (not retried: it would multiply the wait).
    #[error("timed out")]
    NoResponse,
    /// No server answered: DNS, TLS or connection failure.
    #[error("{0}")]
    Unreachable(String),
    /// The connection broke after a server answered.
    #[error("{0}")]
    Connect(String),
    /// Not requested: the run went offline after no server could be reached.
    #[error(
        "not fetched: the run went offline after {PROBE_HOSTS} hosts could not be reached (no network?)"
    )]
    Offline,
    /// More redirects than allowed.
    #[error("more than {0} redirects (a redirect loop?)")]
    Redirects(usize),
    /// A body over the cap.
    #[error("the body is larger than {0} bytes")]
    TooLarge(u64),
    /// The client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

impl FetchError {
    /// True for errors worth retrying: 5xx and connection failures.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Status(code, _) => *code >= 500,
            FetchError::Connect(_) | FetchError::Unreachable(_) => true,
            _ => false,
        }
    }

    /// True when no server answered (or none was asked because the run is offline).
    pub fn is_unreached(&self) -> bool {
        matches!(
            self,
            FetchError::Unreachable(_) | FetchError::NoResponse | FetchError::Offline
        )
    }
}

/// A fetched page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The URL requested.
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    /// The HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
    /// When it was fetched (or revalidated).
    pub fetched_at: SystemTime,
    /// True when no full response was received this run (fresh cache or 304).
    pub from_cache: bool,
}

type Slot = Arc<OnceLock<Result<Arc<Page>, FetchError>>>;

/// Fetches pages for one run; see the module docs.
#[derive(Debug)]
pub struct Fetcher {
    http: client::Http,
    options: Options,
    cache: Option<Cache>,
    hosts: Mutex<HashMap<String, HostState>>,
    host_freed: Condvar,
    pages: Mutex<HashMap<String, Slot>>,
    requests: AtomicUsize,
    retries_left: AtomicUsize,
    reach: Mutex<Reach>,
}

/// What the run knows about its network.
#[derive(Debug, Default)]
struct Reach {
    /// Origins tried as probes.
    probed: HashSet<String>,
    /// The URL tried for each of them.
    probe_urls: HashSet<String>,
    /// Probes no server answered.
    unreached: usize,
    /// Some server answered: the network works, the run never goes offline.
    answered: bool,
    /// No probe was answered: nothing more is requested.
    offline: bool,
}

#[derive(Debug, Default)]
struct HostState {
    active: usize,
    next_start: Option<Instant>,
}

impl Fetcher {
    /// A fetcher with these options.
    pub fn new(options: Options) -> Result<Fetcher, FetchError> {
        let http = client::build(&options)?;
        Ok(Fetcher {
            http,
            retries_left: AtomicUsize::new(options.retry_allowance()),
            reach: Mutex::new(Reach::default()),
            cache: options
                .cache_dir
                .clone()
                .map(|dir| Cache::new(dir, options.max_body)),
            options,
            hosts: Mutex::new(HashMap::new()),
            host_freed: Condvar::new(),
            pages: Mutex::new(HashMap::new()),
            requests: AtomicUsize::new(0),
        })
    }

    /// When the run went offline (see the module docs), a sentence saying so for stderr.
    pub fn offline(&self) -> Option<String> {
        let reach = self.reach.lock().unwrap_or_else(PoisonError::into_inner);
        reach.offline.then(|| {
            format!(
                "no network: the first {PROBE_HOSTS} hosts could not be reached, so no more originals were fetched; their upstream-* checks were skipped as with --offline"
            )
        })
    }

    /// True once the run has gone offline.
    pub fn is_offline(&self) -> bool {
        self.reach
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .offline
    }

    /// The options in use.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Fetches that went to the network so far (one per URL, however many retries or hops).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// The page at `url`, fetched at most once per run.
    pub fn fetch(&self, url: &str) -> Result<Arc<Page>, FetchError> {
        let slot = {
            let mut pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(pages.entry(url.to_owned()).or_default())
        };
        slot.get_or_init(|| self.fetch_now(url).map(Arc::new))
            .clone()
    }

    /// Fetch a URL input and decode it; the source is named by the final URL.
    pub fn fetch_source(&self, url: &str) -> Result<Source, String> {
        let page = self.fetch(url).map_err(|e| e.to_string())?;
        decode::decode(&page.final_url, page.content_type.as_deref(), &page.body)
    }

    /// Fetch every distinct URL of `urls` concurrently (up to `max_concurrency` at once), so
    /// later [`Fetcher::fetch`] calls find them done.
    ///
    /// While the run has not yet tried [`PROBE_HOSTS`] origins, the first URL of each origin
    /// not yet tried (in sorted order) is fetched first, and the rest only once those are done.
    pub fn prefetch(&self, urls: &[String]) {
        let mut distinct: Vec<&String> = urls.iter().collect();
        distinct.sort();
        distinct.dedup();
        let bar = self.options.progress.then(|| progress_bar(distinct.len()));
        let probes = self.probes(&distinct);
        let rest: Vec<&String> = distinct
            .iter()
            .filter(|url| !probes.contains(url))
            .copied()
            .collect();
        for group in [probes, rest] {
            let next = AtomicUsize::new(0);
            let workers = self.options.max_concurrency.clamp(1, group.len().max(1));
            std::thread::scope(|scope| {
                for _ in 0..workers {
                    scope.spawn(|| {
                        while let Some(url) = group.get(next.fetch_add(1, Ordering::Relaxed)) {
                            let _ = self.fetch(url);
                            if let Some(bar) = &bar {
                                bar.inc(1);
                            }
                        }
                    });
                }
            });
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
    }

    /// The URLs of `sorted` to fetch as probes: while the network is undecided, the first one
    /// of each origin not yet probed that needs a request, up to [`PROBE_HOSTS`] origins in all.
    fn probes<'u>(&self, sorted: &[&'u String]) -> Vec<&'u String> {
        let mut reach = self.reach.lock().unwrap_or_else(PoisonError::into_inner);
        let mut probes = Vec::new();
        for url in sorted {
            if reach.answered || reach.offline || reach.probed.len() >= PROBE_HOSTS {
                break;
            }
            let Ok(parsed) = Url::parse(url) else {
                continue;
            };
            let origin = origin(&parsed);
            // The cheap tests first: reading the cache entry is the costly one.
            if reach.probed.contains(&origin)
                || safety::refuse(&parsed, self.options.allow_private).is_some()
                || self.is_fresh(url)
            {
                continue;
            }
            reach.probed.insert(origin);
            reach.probe_urls.insert((*url).clone());
            probes.push(*url);
        }
        probes
    }

    /// True when the cache holds a fresh page for `url`: it needs no request.
    fn is_fresh(&self, url: &str) -> bool {
        self.cache
            .as_ref()
            .and_then(|c| c.get(url, self.options.allow_private))
            .is_some_and(|e| e.is_fresh(self.options.cache_ttl, SystemTime::now()))
    }

    /// Note what a request to `url` showed about the network.
    fn record(&self, url: &str, answered: bool, result: &Result<client::Fetched, FetchError>) {
        let mut reach = self.reach.lock().unwrap_or_else(PoisonError::into_inner);
        if answered {
            reach.answered = true;
            return;
        }
        // Only probes count: which requests decide does not depend on which thread got there
        // first.
        let unreached = result.as_ref().err().is_some_and(FetchError::is_unreached);
        if unreached && reach.probe_urls.contains(url) {
            reach.unreached += 1;
            if reach.unreached >= PROBE_HOSTS {
                reach.offline = true;
            }
        }
    }

    fn fetch_now(&self, url: &str) -> Result<Page, FetchError> {
        let parsed = Url::parse(url).map_err(|e| FetchError::Refused(format!("not a URL: {e}")))?;
        if let Some(reason) = safety::refuse(&parsed, self.options.allow_private) {
            return Err(FetchError::Refused(reason));
        }
        let cached = self
            .cache
            .as_ref()
            .and_then(|c| c.get(url, self.options.allow_private));
        let now = SystemTime::now();
        if let Some(entry) = cached
            .as_ref()
            .filter(|e| e.is_fresh(self.options.cache_ttl, now))
        {
            return Ok(page_of(entry, true));
        }
        {
            let mut reach = self.reach.lock().unwrap_or_else(PoisonError::into_inner);
            if reach.offline {
                return Err(FetchError::Offline);
            }
            // A fetch outside `prefetch` (one URL input, a library caller) probes for itself.
            if !reach.answered
                && reach.probed.len() < PROBE_HOSTS
                && reach.probed.insert(origin(&parsed))
            {
                reach.probe_urls.insert(url.to_owned());
            }
        }
        let host = parsed.host_str().unwrap_or_default().to_owned();
        self.acquire(&host);
        let counted = CountingClient {
            fetcher: self,
            host: &host,
        };
        let mut answered = false;
        let result = client::fetch(
            &self.http,
            &parsed,
            cached.as_ref(),
            &self.options,
            &self.retries_left,
            &mut answered,
        );
        drop(counted);
        self.record(url, answered, &result);
        let fetched = result?;
        let fetched_at = unix_seconds(SystemTime::now());
        let entry = match (fetched.body, cached) {
            (Some(body), _) => cache::Entry {
                header: cache::Header {
                    url: url.to_owned(),
                    final_url: fetched.final_url,
                    status: fetched.status,
                    content_type: fetched.content_type,
                    etag: fetched.etag,
                    last_modified: fetched.last_modified,
                    fetched_at,
                    private_allowed: self.options.allow_private,
                },
                body,
            },
            (None, Some(mut stale)) => {
                stale.header.fetched_at = fetched_at;
                stale.header.private_allowed |= self.options.allow_private;
                if let Some(cache) = &self.cache {
                    cache.put(&stale);
                }
                return Ok(page_of(&stale, true));
            }
            (None, None) => {
                return Err(FetchError::Status(
                    304,
                    "Not Modified without a cached copy".to_owned(),
                ));
            }
        };
        if let Some(cache) = &self.cache {
            cache.put(&entry);
        }
        Ok(page_of(&entry, false))
    }

    /// Wait for a slot for `host`: fewer than [`PER_HOST`] requests in flight and the minimum
    /// interval since the last start.
    fn acquire(&self, host: &str) {
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let state = hosts.entry(host.to_owned()).or_default();
            let now = Instant::now();
            let wait = if state.active >= PER_HOST {
                None
            } else {
                match state.next_start {
                    Some(at) if at > now => Some(at - now),
                    _ => {
                        state.active += 1;
                        state.next_start = Some(now + self.options.host_interval);
                        return;
                    }
                }
            };
            hosts = match wait {
                Some(wait) => {
                    self.host_freed
                        .wait_timeout(hosts, wait)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self
                    .host_freed
                    .wait(hosts)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }

    fn release(&self, host: &str) {
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(state) = hosts.get_mut(host) {
            state.active = state.active.saturating_sub(1);
        }
        self.host_freed.notify_all();
    }
}

/// Holds a host slot for the duration of one fetch and counts it; releases the slot on drop
/// (also when the fetch panics).
struct CountingClient<'a> {
    fetcher: &'a Fetcher,
    host: &'a str,
}

impl Drop for CountingClient<'_> {
    fn drop(&mut self) {
        self.fetcher.requests.fetch_add(1, Ordering::Relaxed);
        self.fetcher.release(self.host);
    }
}

fn page_of(entry: &cache::Entry, from_cache: bool) -> Page {
    Page {
        url: entry.header.url.clone(),
        final_url: entry.header.final_url.clone(),
        status: entry.header.status,
        content_type: entry.header.content_type.clone(),
        body: entry.body.clone(),
        fetched_at: entry.fetched_time(),
        from_cache,
    }
}

/// `scheme://host:port` of a URL: what a probe stands for.
fn origin(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn progress_bar(total: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "fetching originals {bar:30} {pos}/{len} {elapsed}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// `2025-09-14T08:30:00Z` for a time (UTC, whole seconds).
pub fn rfc3339(time: SystemTime) -> String {
    let secs = unix_seconds(time);
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_utc() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_mins(29_297_310)),
            "2025-09-14T08:30:00Z"
        );
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_hours(264_384)),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn a_name_is_judged_by_the_addresses_the_client_would_connect_to() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let fetcher = Fetcher::new(Options {
            cache_dir: None,
            use_proxy: false,
            retries: 0,
            ..Options::default()
        })
        .unwrap();
        // The name passes the URL check; the resolver refuses what it resolves to.
        let result = fetcher.fetch(&format!("http://localhost:{port}/2025/post"));
        match result {
            Err(FetchError::Refused(reason)) => assert!(
                reason.starts_with("localhost resolves to the private or local address ")
                    && reason.ends_with("; pass --allow-private-hosts to fetch it"),
                "{reason}"
            ),
            other => panic!("{other:?}"),
        }
        assert!(listener.accept().is_err(), "no connection was made");
        assert!(
            !fetcher.is_offline(),
            "a refusal says nothing about the network"
        );
    }

    #[test]
    fn transient_errors_are_5xx_and_connection_failures() {
        assert!(FetchError::Status(503, String::new()).is_transient());
        assert!(FetchError::Connect("reset".to_owned()).is_transient());
        assert!(FetchError::Unreachable("refused".to_owned()).is_transient());
        assert!(!FetchError::Offline.is_transient());
        assert!(!FetchError::NoResponse.is_transient());
        assert!(FetchError::NoResponse.is_unreached());
        assert!(!FetchError::Timeout.is_unreached());
        assert!(!FetchError::Status(404, String::new()).is_transient());
        assert!(!FetchError::Timeout.is_transient());
    }
}
