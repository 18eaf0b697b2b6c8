//! The on-disk cache of fetched pages: one file per URL, named by a hash of the URL, holding a
//! one-line JSON header (URL, final URL, status, content type, ETag, Last-Modified, fetch time)
//! and then the body.
//!
//! A cache problem is never fatal: an entry that cannot be read or parsed, or that belongs to
//! another URL, is deleted and treated as a miss; a write that fails is ignored.

use std::fs;
use std::hash::Hasher;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
    /// True when the entry was fetched less than `ttl` ago.
    pub fn is_fresh(&self, ttl: Duration, now: SystemTime) -> bool {
        let age = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            .saturating_sub(self.header.fetched_at);
        age < ttl.as_secs()
    }
}

/// A cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// A cache in `dir` (created on the first write).
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry for `url`, if a valid one is stored; a corrupt one is deleted.
    pub fn get(&self, url: &str) -> Option<Entry> {
        let path = self.path_of(url);
        let bytes = fs::read(&path).ok()?;
        let entry = parse(&bytes).filter(|e| e.header.url == url);
        if entry.is_none() {
            let _ = fs::remove_file(&path);
        }
        entry
    }

    /// Store an entry (atomically: written to a temporary file, then renamed).
    pub fn put(&self, entry: &Entry) {
        let Ok(mut header) = serde_json::to_vec(&entry.header) else {
            return;
        };
        header.push(b'\n');
        let path = self.path_of(&entry.header.url);
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let written = fs::create_dir_all(&self.dir).and_then(|()| {
            let mut file = fs::File::create(&tmp)?;
            file.write_all(&header)?;
            file.write_all(&entry.body)?;
            file.sync_all()
        });
        if written.and_then(|()| fs::rename(&tmp, &path)).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }

    fn path_of(&self, url: &str) -> PathBuf {
        let mut hasher = fnv::FnvHasher::default();
        hasher.write(url.as_bytes());
        self.dir.join(format!("{:016x}.page", hasher.finish()))
    }
}

fn parse(bytes: &[u8]) -> Option<Entry> {
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let header: Header = serde_json::from_slice(bytes.get(..newline)?).ok()?;
    let body = bytes.get(newline + 1..)?.to_vec();
    Some(Entry { header, body })
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
            },
            body: b"<p>caf\xc3\xa9\n\nline</p>".to_vec(),
        }
    }

    #[test]
    fn entries_round_trip_and_corrupt_ones_are_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("c"));
        assert_eq!(cache.get("https://example.org/a"), None);
        let stored = entry("https://example.org/a", 100);
        cache.put(&stored);
        assert_eq!(cache.get("https://example.org/a"), Some(stored));
        let path = cache.path_of("https://example.org/a");
        fs::write(&path, b"{not json\nbody").unwrap();
        assert_eq!(cache.get("https://example.org/a"), None);
        assert!(!path.exists(), "the corrupt entry is deleted");
    }

    #[test]
    fn freshness_follows_the_ttl() {
        let e = entry("https://example.org/a", 1_000);
        let now = UNIX_EPOCH + Duration::from_secs(1_059);
        assert!(e.is_fresh(Duration::from_mins(1), now));
        assert!(!e.is_fresh(Duration::from_secs(59), now));
    }
}
