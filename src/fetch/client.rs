//! One fetch over HTTP: redirects followed by hand (each hop checked by `safety`), the body read
//! with a cap, retries with backoff on 5xx and connection errors, `429 Retry-After` honoured up
//! to a cap, and conditional requests from a stale cache entry.
//!
//! Each attempt has one deadline, `timeout` after it starts, for everything: connecting, every
//! redirect hop, the headers and the whole body (a server trickling a byte at a time is cut off
//! there). Retries draw on an allowance shared by the whole run, so a failing site costs at most
//! that many more attempts, however many of its pages are linked.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use reqwest::blocking::{Client, Response};
use reqwest::header::{
    CONTENT_LENGTH, CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
    LOCATION, RETRY_AFTER,
};
use reqwest::{StatusCode, Url};

use super::cache::Entry;
use super::{FetchError, Options, safety};

/// The User-Agent sent with every request.
pub const USER_AGENT: &str = concat!(
    "ccguard/",
    env!("CARGO_PKG_VERSION"),
    " (Creative Commons license compliance checker)"
);

/// Most redirects followed for one fetch.
pub const MAX_REDIRECTS: usize = 10;

/// A response as far as ccguard needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The URL after redirects.
    pub final_url: String,
    /// The status of the last response.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
    /// The body, or `None` for `304 Not Modified`.
    pub body: Option<Vec<u8>>,
}

/// The HTTP client of a run and what it needs to know besides.
#[derive(Debug)]
pub struct Http {
    client: Client,
    /// True when the environment names a proxy: the proxy resolves names, so they are looked
    /// up here before the request too (see `safety`).
    behind_proxy: bool,
}

/// Build the client: no automatic redirects (we check each hop), no cookies, names resolved
/// only through `safety::Resolver`, the environment's proxy settings unless `use_proxy` is
/// false. No client-wide timeout: each request carries what is left of its deadline.
pub fn build(options: &Options) -> Result<Http, FetchError> {
    // Installing twice fails harmlessly; the first provider stays.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let proxies = if options.use_proxy {
        safety::proxy_hosts()
    } else {
        Vec::new()
    };
    let behind_proxy = !proxies.is_empty();
    let mut builder = Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .dns_resolver(Arc::new(safety::Resolver::new(
            options.allow_private,
            proxies,
        )))
        .connect_timeout(options.timeout.min(Duration::from_secs(10)));
    if !options.use_proxy {
        builder = builder.no_proxy();
    }
    let client = builder
        .build()
        .map_err(|e| FetchError::Client(e.to_string()))?;
    Ok(Http {
        client,
        behind_proxy,
    })
}

/// Fetch `url` with retries, each taken from `retries_left` (the run's allowance); `stale` (a
/// cache entry past its TTL) makes the request conditional. `answered` is set when any server
/// sent a response (of any status).
pub fn fetch(
    http: &Http,
    url: &Url,
    stale: Option<&Entry>,
    options: &Options,
    retries_left: &AtomicUsize,
    answered: &mut bool,
) -> Result<Fetched, FetchError> {
    let mut attempt = 0;
    loop {
        let deadline = Instant::now() + options.timeout;
        let result = follow(http, url, stale, options, deadline, answered);
        let wait = match &result {
            Err(FetchError::RateLimited(retry_after)) => Some(
                retry_after
                    .unwrap_or_else(|| backoff(attempt))
                    .min(options.retry_after_cap),
            ),
            Err(e) if e.is_transient() => Some(backoff(attempt)),
            _ => None,
        };
        match wait {
            Some(wait) if attempt < options.retries && take_one(retries_left) => {
                thread::sleep(wait);
                attempt += 1;
            }
            _ => return result,
        }
    }
}

/// Take one retry from the run's allowance; false when none is left.
fn take_one(left: &AtomicUsize) -> bool {
    left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
        .is_ok()
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250u64.saturating_mul(1 << attempt.min(6)))
}

/// One attempt: follow redirects, checking every hop, all before `deadline`.
fn follow(
    http: &Http,
    start: &Url,
    stale: Option<&Entry>,
    options: &Options,
    deadline: Instant,
    answered: &mut bool,
) -> Result<Fetched, FetchError> {
    let mut url = start.clone();
    for _ in 0..=MAX_REDIRECTS {
        if let Some(reason) = safety::refuse(&url, options.allow_private) {
            return Err(FetchError::Refused(reason));
        }
        if http.behind_proxy
            && !options.allow_private
            && let Some(reason) = safety::refuse_name(&url)
        {
            return Err(FetchError::Refused(reason));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(if *answered {
                FetchError::Timeout
            } else {
                FetchError::NoResponse
            });
        }
        // The request's own timeout runs from connecting to the end of the body.
        let mut request = http.client.get(url.clone()).timeout(left);
        if let Some(entry) = stale {
            if let Some(etag) = &entry.header.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(date) = &entry.header.last_modified {
                request = request.header(IF_MODIFIED_SINCE, date);
            }
        }
        let response = request.send().map_err(|e| classify(&e))?;
        *answered = true;
        let status = response.status();
        if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            let location = header(response.headers(), LOCATION).ok_or_else(|| {
                FetchError::Status(status.as_u16(), "a redirect without a Location".to_owned())
            })?;
            url = url
                .join(&location)
                .map_err(|e| FetchError::Refused(format!("bad redirect `{location}`: {e}")))?;
            continue;
        }
        return finish(response, &url, options);
    }
    Err(FetchError::Redirects(MAX_REDIRECTS))
}

fn finish(response: Response, url: &Url, options: &Options) -> Result<Fetched, FetchError> {
    let status = response.status();
    let headers = response.headers().clone();
    if status == StatusCode::TOO_MANY_REQUESTS {
        let seconds = header(&headers, RETRY_AFTER).and_then(|v| v.trim().parse::<u64>().ok());
        return Err(FetchError::RateLimited(seconds.map(Duration::from_secs)));
    }
    if status.is_client_error() || status.is_server_error() {
        let reason = status.canonical_reason().unwrap_or("error").to_owned();
        return Err(FetchError::Status(status.as_u16(), reason));
    }
    let body = if status == StatusCode::NOT_MODIFIED {
        None
    } else {
        Some(read_capped(response, &headers, options.max_body)?)
    };
    Ok(Fetched {
        final_url: url.to_string(),
        status: status.as_u16(),
        content_type: header(&headers, CONTENT_TYPE),
        etag: header(&headers, ETAG),
        last_modified: header(&headers, LAST_MODIFIED),
        body,
    })
}

/// Read at most `max` bytes; the declared length is only used to fail early, never trusted.
fn read_capped(response: Response, headers: &HeaderMap, max: u64) -> Result<Vec<u8>, FetchError> {
    let declared = header(headers, CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(FetchError::TooLarge(max));
    }
    let mut body = Vec::new();
    response
        .take(max + 1)
        .read_to_end(&mut body)
        .map_err(|e| read_error(&e))?;
    if body.len() as u64 > max {
        return Err(FetchError::TooLarge(max));
    }
    Ok(body)
}

fn read_error(e: &std::io::Error) -> FetchError {
    let timed_out = e.kind() == std::io::ErrorKind::TimedOut
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
            .is_some_and(reqwest::Error::is_timeout);
    if timed_out {
        FetchError::Timeout
    } else {
        FetchError::Connect(e.to_string())
    }
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The error of a request that got no response: refused by the resolver, or no server
/// answered (DNS, connection, TLS, or nothing before the deadline).
fn classify(e: &reqwest::Error) -> FetchError {
    let mut source = std::error::Error::source(e);
    let mut message = e.to_string();
    while let Some(inner) = source {
        if let Some(refusal) = inner.downcast_ref::<safety::Refusal>() {
            return FetchError::Refused(refusal.0.clone());
        }
        message = format!("{message}: {inner}");
        source = inner.source();
    }
    if e.is_timeout() {
        FetchError::NoResponse
    } else {
        FetchError::Unreachable(message)
    }
}
