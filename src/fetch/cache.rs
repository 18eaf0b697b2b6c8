//! The on-disk cache of fetched pages: one file per URL, named by a hash of the URL, holding a
//! one-line JSON header (URL, final URL, status, content type, ETag, Last-Modified, fetch time)
//! and then the body.
//!
//! A cache problem is never fatal: an entry that is not a regular file, is larger than the
//! body cap allows, cannot be parsed, holds a time no clock can show, or belongs to another URL
//! is deleted and treated as a miss; a write that fails is ignored. Files are read and written
//! through `cache_file` (no links followed, temporary files created exclusively).
//!
//! Each entry records whether it was fetched by a run that allowed private hosts: such a page
//! may come from a loopback or private address, so a run that refuses those never sees it.

use std::fs;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::cache_file;

/// Room for an entry's header line besides its body.
const HEADER_ROOM: u64 = 64 * 1024;

use serde::{Deserialize, Serialize};

/// What is stored about one response besides its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The URL requested (the key).
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    /// The HTTP status (always 200: only successes are stored).
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `ETag` header, for `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` header, for `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// When the body was fetched or last revalidated, in seconds since the Unix epoch.
    pub fetched_at: u64,
    /// True when the run that fetched it allowed private hosts (`--allow-private-hosts`).
    pub private_allowed: bool,
}

/// A cached response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its header.
    pub header: Header,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Entry {
    /// True when the entry was fetched less than `ttl` ago (and not in the future: a clock
    /// that was wrong when it was stored must not keep it fresh for ever).
    pub fn is_fresh(&self, ttl: Duration, now: SystemTime) -> bool {
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        self.header.fetched_at <= now && now - self.header.fetched_at < ttl.as_secs()
    }

    /// When it was fetched or last revalidated.
    pub fn fetched_time(&self) -> SystemTime {
        // `parse` only accepts representable times; the epoch is never reached.
        time_of(self.header.fetched_at).unwrap_or(UNIX_EPOCH)
    }
}

/// A cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    max_body: u64,
}

impl Cache {
    /// A cache in `dir` (created on the first write) for bodies of at most `max_body` bytes.
    pub fn new(dir: impl Into<PathBuf>, max_body: u64) -> Cache {
        Cache {
            dir: dir.into(),
            max_body,
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry for `url`, if a valid one is stored and a run with this `allow_private` may
    /// use it; a corrupt one is deleted (a missing one is just a miss).
    pub fn get(&self, url: &str, allow_private: bool) -> Option<Entry> {
        let path = self.path_of(url);
        let entry = match cache_file::read(&path, self.max_body.saturating_add(HEADER_ROOM)) {
            Ok(bytes) => parse(&bytes).filter(|e| e.header.url == url),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(_) => None,
        };
        if entry.is_none() {
            // Removes a link or FIFO itself, never what a link points to.
            let _ = fs::remove_file(&path);
        }
        entry.filter(|e| allow_private || !e.header.private_allowed)
    }

    /// Store an entry (atomically: written to a temporary file, then renamed).
    pub fn put(&self, entry: &Entry) {
        let Ok(mut header) = serde_json::to_vec(&entry.header) else {
            return;
        };
        header.push(b'\n');
        let path = self.path_of(&entry.header.url);
        let _ = cache_file::write(&path, |out| {
            out.write_all(&header)?;
            out.write_all(&entry.body)
        });
    }

    fn path_of(&self, url: &str) -> PathBuf {
        let mut hasher = fnv::FnvHasher::default();
        hasher.write(url.as_bytes());
        self.dir.join(format!("{:016x}.page", hasher.finish()))
    }
}

/// An entry from a file's bytes, unless they are not one ccguard wrote (any bytes at all are
/// either a valid entry or `None`).
fn parse(bytes: &[u8]) -> Option<Entry> {
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let header: Header = serde_json::from_slice(bytes.get(..newline)?).ok()?;
    time_of(header.fetched_at)?;
    let body = bytes.get(newline + 1..)?.to_vec();
    Some(Entry { header, body })
}

/// The time `secs` seconds after the Unix epoch, when the platform's clock can show it.
fn time_of(secs: u64) -> Option<SystemTime> {
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

/// The default cache directory: `$XDG_CACHE_HOME/ccguard`, else the platform's per-user cache
/// (`~/.cache/ccguard`, `~/Library/Caches/ccguard`, `%LOCALAPPDATA%\ccguard\cache`).
pub fn default_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("XDG_CACHE_HOME") {
        return Some(dir.join("ccguard"));
    }
    if cfg!(windows) {
        return var("LOCALAPPDATA").map(|d| d.join("ccguard").join("cache"));
    }
    let home = var("HOME")?;
    if cfg!(target_os = "macos") {
        Some(home.join("Library/Caches/ccguard"))
    } else {
        Some(home.join(".cache/ccguard"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(url: &str, fetched_at: u64) -> Entry {
        Entry {
            header: Header {
                url: url.to_owned(),
                final_url: format!("{url}/final"),
                status: 200,
                content_type: Some("text/html; charset=utf-8".to_owned()),
                etag: Some("\"v1\"".to_owned()),
                last_modified: None,
                fetched_at,
                private_allowed: false,
            },
            body: b"<p>caf\xc3\xa9\n\nline</p>".to_vec(),
        }
    }

    #[test]
    fn entries_round_trip_and_corrupt_ones_are_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("c"), 1000);
        assert_eq!(cache.get("https://example.org/a", false), None);
        let stored = entry("https://example.org/a", 100);
        cache.put(&stored);
        assert_eq!(cache.get("https://example.org/a", false), Some(stored));
        let path = cache.path_of("https://example.org/a");
        fs::write(&path, b"{not json\nbody").unwrap();
        assert_eq!(cache.get("https://example.org/a", false), None);
        assert!(!path.exists(), "the corrupt entry is deleted");
    }

    #[test]
    fn an_entry_from_beyond_the_clock_is_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), 1000);
        for fetched_at in [u64::MAX, 1 << 63] {
            cache.put(&entry("https://example.org/a", fetched_at));
            assert_eq!(cache.get("https://example.org/a", true), None);
        }
        // Any bytes at all: an entry or a miss, never a panic.
        let path = cache.path_of("https://example.org/a");
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for len in [0, 1, 2, 10, 100, 5000] {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state.to_le_bytes()[0]
                })
                .collect();
            fs::write(&path, &bytes).unwrap();
            assert_eq!(cache.get("https://example.org/a", true), None, "{len}");
        }
    }

    #[test]
    fn a_page_fetched_with_private_hosts_allowed_is_kept_from_stricter_runs() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), 1000);
        let mut lenient = entry("http://intranet/a", 100);
        lenient.header.private_allowed = true;
        cache.put(&lenient);
        assert_eq!(cache.get("http://intranet/a", false), None);
        assert_eq!(cache.get("http://intranet/a", true), Some(lenient));
        let strict = entry("https://example.org/b", 100);
        cache.put(&strict);
        assert_eq!(cache.get("https://example.org/b", true), Some(strict));
    }

    #[test]
    fn an_entry_over_the_body_cap_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let big = entry("https://example.org/a", 100);
        Cache::new(dir.path(), u64::MAX).put(&big);
        let small = Cache::new(dir.path(), 0);
        // The header alone fits in the room kept for it; a body past the cap does not.
        let mut huge = big.clone();
        huge.body = vec![b'x'; 70 * 1024];
        small.put(&huge);
        assert_eq!(small.get("https://example.org/a", false), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_old_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, b"keep").unwrap();
        let cache = Cache::new(dir.path().join("c"), 1000);
        fs::create_dir_all(cache.dir()).unwrap();
        let path = cache.path_of("https://example.org/a");
        let planted = path.with_extension(format!("tmp{}", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let stored = entry("https://example.org/a", 100);
        cache.put(&stored);
        assert_eq!(fs::read(&victim).unwrap(), b"keep");
        assert_eq!(cache.get("https://example.org/a", false), Some(stored));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_entry_is_a_miss_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), 1000);
        let path = cache.path_of("https://example.org/a");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        assert_eq!(cache.get("https://example.org/a", false), None);
        assert!(!path.exists(), "the FIFO is removed");
    }

    #[test]
    fn freshness_follows_the_ttl() {
        let e = entry("https://example.org/a", 1_000);
        let now = UNIX_EPOCH + Duration::from_secs(1_059);
        assert!(e.is_fresh(Duration::from_mins(1), now));
        assert!(!e.is_fresh(Duration::from_secs(59), now));
        let future = UNIX_EPOCH + Duration::from_secs(999);
        assert!(
            !e.is_fresh(Duration::from_hours(1), future),
            "fetched later than now"
        );
    }
}
