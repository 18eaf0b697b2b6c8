//! One fetch over HTTP: redirects followed by hand (each hop checked by `safety`), the body read
//! with a cap, retries with backoff on 5xx and connection errors, `429 Retry-After` honoured up
//! to a cap, and conditional requests from a stale cache entry.

use std::io::Read;
use std::thread;
use std::time::Duration;

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

/// Build the client: no automatic redirects (we check each hop), no cookies, timeouts, the
/// environment's proxy settings unless `use_proxy` is false.
pub fn build(options: &Options) -> Result<Client, FetchError> {
    // Installing twice fails harmlessly; the first provider stays.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(options.timeout)
        .connect_timeout(options.timeout.min(Duration::from_secs(10)));
    if !options.use_proxy {
        builder = builder.no_proxy();
    }
    builder
        .build()
        .map_err(|e| FetchError::Client(e.to_string()))
}

/// Fetch `url` with retries; `stale` (a cache entry past its TTL) makes the request
/// conditional.
pub fn fetch(
    client: &Client,
    url: &Url,
    stale: Option<&Entry>,
    options: &Options,
) -> Result<Fetched, FetchError> {
    let mut attempt = 0;
    loop {
        let result = follow(client, url, stale, options);
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
            Some(wait) if attempt < options.retries => {
                thread::sleep(wait);
                attempt += 1;
            }
            _ => return result,
        }
    }
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250u64.saturating_mul(1 << attempt.min(6)))
}

/// One attempt: follow redirects, checking every hop.
fn follow(
    client: &Client,
    start: &Url,
    stale: Option<&Entry>,
    options: &Options,
) -> Result<Fetched, FetchError> {
    let mut url = start.clone();
    for _ in 0..=MAX_REDIRECTS {
        if let Some(reason) = safety::refuse(&url, options.allow_private) {
            return Err(FetchError::Refused(reason));
        }
        let mut request = client.get(url.clone());
        if let Some(entry) = stale {
            if let Some(etag) = &entry.header.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(date) = &entry.header.last_modified {
                request = request.header(IF_MODIFIED_SINCE, date);
            }
        }
        let response = request.send().map_err(|e| classify(&e))?;
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

fn classify(e: &reqwest::Error) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout
    } else {
        let mut message = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(inner) = source {
            message = format!("{message}: {inner}");
            source = inner.source();
        }
        FetchError::Connect(message)
    }
}
