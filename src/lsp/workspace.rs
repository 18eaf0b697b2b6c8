//! Which config and checker apply to an open document: the workspace folders the client
//! names, config discovery inside them, and one [`Checker`] per config file, reloaded when the
//! file changes.
//!
//! Discovery is that of `ccguard check`, with the document's folder in place of the working
//! directory: the first `ccguard.toml` or `.ccguard.toml` walking up from the folder that holds
//! the document, not above the workspace folder that holds it (a document in no workspace
//! folder walks up as far as `check` does). Not for checking itself: that is [`Checker`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use lsp_types::Uri;

use crate::checker::Checker;
use crate::config::{self, Config};
use crate::fetch::{self, Fetcher};
use crate::rules::{Registry, load};
use crate::verify::Verifier;

/// Whether and how checks read the originals a repost links (`initializationOptions`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Network {
    /// Fetch and verify originals (`"verify": true`); off by default so that typing never
    /// waits on the network.
    pub verify: bool,
    /// Fetch hosts on loopback, private and link-local addresses (`"allowPrivateHosts": true`),
    /// as `--allow-private-hosts` does.
    pub allow_private_hosts: bool,
}

/// The workspace folders and the checkers of the configs found in them.
#[derive(Debug, Default)]
pub struct Workspace {
    /// The folders' paths, as the client names them.
    folders: Vec<PathBuf>,
    network: Network,
    /// The bundled rules, loaded on the first check.
    bundled: Option<Result<Registry, String>>,
    /// By config file (`None`: no config found, the defaults).
    checkers: HashMap<Option<PathBuf>, Loaded>,
}

/// A config file as last loaded: its checker, or why it could not be loaded.
#[derive(Debug)]
struct Loaded {
    /// The file's modification time and size when loaded; a change reloads it.
    stamp: Option<(SystemTime, u64)>,
    checker: Result<Checker, String>,
}

impl Workspace {
    /// A workspace with these folders, checking as `network` says.
    pub fn new(folders: Vec<PathBuf>, network: Network) -> Workspace {
        Workspace {
            folders,
            network,
            ..Workspace::default()
        }
    }

    /// Whether originals are verified.
    pub fn network(&self) -> Network {
        self.network
    }

    /// Add and remove workspace folders.
    pub fn change_folders(&mut self, added: Vec<PathBuf>, removed: &[PathBuf]) {
        self.folders.retain(|f| !removed.contains(f));
        for folder in added {
            if !self.folders.contains(&folder) {
                self.folders.push(folder);
            }
        }
    }

    /// The config file that applies to a document at `path` (`None` for a document that is no
    /// local file, or when none is found).
    pub fn config_path(&self, path: Option<&Path>) -> Option<PathBuf> {
        let dir = path?.parent()?;
        // The innermost workspace folder holding the document bounds the walk.
        let folder = self
            .folders
            .iter()
            .filter(|f| dir.starts_with(f))
            .max_by_key(|f| f.components().count());
        dir.ancestors()
            .take_while(|d| folder.is_none_or(|f| d.starts_with(f)))
            .flat_map(|d| config::FILE_NAMES.iter().map(move |name| d.join(name)))
            .find(|p| p.is_file())
    }

    /// The checker for documents under the config at `config_path` (loaded, or reloaded when
    /// the file changed since), or why there is none: the config's or the rules' errors.
    pub fn checker(&mut self, config_path: Option<&Path>) -> Result<&Checker, String> {
        let key = config_path.map(Path::to_path_buf);
        let stamp = config_path.and_then(stamp_of);
        let stale = self
            .checkers
            .get(&key)
            .is_none_or(|loaded| loaded.stamp != stamp);
        if stale {
            let checker = self.load(config_path);
            self.checkers.insert(key.clone(), Loaded { stamp, checker });
        }
        match self.checkers.get(&key).map(|l| &l.checker) {
            Some(Ok(checker)) => Ok(checker),
            Some(Err(why)) => Err(why.clone()),
            None => Err("no checker was loaded".to_owned()),
        }
    }

    /// A checker for the config at `path` (the defaults for `None`).
    fn load(&mut self, path: Option<&Path>) -> Result<Checker, String> {
        let config = match path {
            Some(path) => Config::load(path).map_err(|e| {
                format!("{e}; fix the config to check this document (nothing was checked)")
            })?,
            None => Config::default(),
        };
        let mut registry = self
            .bundled
            .get_or_insert_with(|| load::bundled().map_err(|errors| rule_errors(&errors)))
            .clone()?;
        load::extend_with_dirs(&mut registry, &config.rules_dirs)
            .map_err(|errors| rule_errors(&errors))?;
        let checker = Checker::new(registry).with_config(config);
        if !self.network.verify {
            return Ok(checker.offline());
        }
        let options = fetch::Options {
            allow_private: self.network.allow_private_hosts,
            ..fetch::Options::default()
        };
        let fetcher = Fetcher::new(options)
            .map_err(|e| format!("cannot set up fetching to verify originals: {e}"))?;
        Ok(checker.with_verifier(Verifier::new(fetcher)))
    }
}

/// Rule-file errors as one message.
fn rule_errors(errors: &[load::RuleError]) -> String {
    let all: Vec<String> = errors.iter().map(ToString::to_string).collect();
    format!(
        "{} rule file error(s), nothing was checked: {}",
        errors.len(),
        all.join("; ")
    )
}

/// A config file's modification time and size, to notice that it changed.
fn stamp_of(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The local path of a `file:` URI (percent-decoded); `None` for any other URI.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri
        .scheme()
        .is_some_and(|s| s.as_str().eq_ignore_ascii_case("file"))
    {
        return None;
    }
    // Only this machine's files: `file://host/…` names another machine's.
    if uri
        .authority()
        .is_some_and(|a| !a.as_str().is_empty() && !a.as_str().eq_ignore_ascii_case("localhost"))
    {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(uri.path().as_str())
        .decode_utf8()
        .ok()?;
    let path = if cfg!(windows) {
        // `/C:/dir/post.md` is `C:/dir/post.md`.
        match decoded.strip_prefix('/') {
            Some(rest) if rest.as_bytes().get(1) == Some(&b':') => rest.to_owned(),
            _ => decoded.into_owned(),
        }
    } else {
        decoded.into_owned()
    };
    let path = PathBuf::from(path);
    path.is_absolute().then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        text.parse().expect("uri")
    }

    #[cfg(unix)]
    #[test]
    fn file_uris_are_decoded_and_others_refused() {
        assert_eq!(
            file_path(&uri("file:///srv/site/a%20b%23c/%E5%8C%97.md")),
            Some(PathBuf::from("/srv/site/a b#c/北.md"))
        );
        assert_eq!(
            file_path(&uri("file://localhost/srv/a.md")),
            Some(PathBuf::from("/srv/a.md"))
        );
        assert_eq!(file_path(&uri("file://server/share/a.md")), None);
        assert_eq!(file_path(&uri("untitled:Untitled-1")), None);
        assert_eq!(file_path(&uri("https://example.org/a.md")), None);
    }

    #[test]
    fn the_config_is_found_within_the_innermost_workspace_folder() {
        let root = tempfile::tempdir().expect("tempdir");
        let root = root.path();
        let site = root.join("site");
        let posts = site.join("content/posts");
        std::fs::create_dir_all(&posts).expect("mkdir");
        std::fs::write(root.join("ccguard.toml"), "").expect("write");
        let post = posts.join("a.md");
        // Bounded by the workspace folder: the config above it is not used.
        let workspace = Workspace::new(vec![site.clone()], Network::default());
        assert_eq!(workspace.config_path(Some(&post)), None);
        std::fs::write(site.join(".ccguard.toml"), "").expect("write");
        assert_eq!(
            workspace.config_path(Some(&post)),
            Some(site.join(".ccguard.toml"))
        );
        // `ccguard.toml` wins over `.ccguard.toml` in one folder, as for `check`.
        std::fs::write(posts.join("ccguard.toml"), "").expect("write");
        std::fs::write(posts.join(".ccguard.toml"), "").expect("write");
        assert_eq!(
            workspace.config_path(Some(&post)),
            Some(posts.join("ccguard.toml"))
        );
        // A document in no workspace folder walks up as far as `check` does.
        let elsewhere = Workspace::new(vec![root.join("other")], Network::default());
        let loose = root.join("site/b.md");
        assert_eq!(
            elsewhere.config_path(Some(&loose)),
            Some(site.join(".ccguard.toml"))
        );
        assert_eq!(workspace.config_path(None), None);
    }
}
