//! `ccguard.toml`: discovery (walking up from the working directory), parsing with errors that
//! point into the file, and what applies to each checked path (severities, overrides).
//!
//! Not for command-line flags: `main` merges those over the config.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use miette::{NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use crate::check;
use crate::diagnostic::{Level, Levels, Severity};

/// The file names looked for, in order, in each directory from the working directory up.
pub const FILE_NAMES: &[&str] = &["ccguard.toml", ".ccguard.toml"];

/// What applies to one file after the overrides that match it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Rule id → level, for the rules the config changes.
    pub levels: Levels,
    /// Every post under this path is a repost, whatever its signals.
    pub all_reposts: bool,
    /// Every post under this path is an original, whatever its signals.
    pub originals: bool,
    /// The site's own authors (`[site] authors`): a post credited only to them is an original.
    pub site_authors: Vec<String>,
    /// The site is a commercial context (for NC checks).
    pub commercial: bool,
    /// The overrides that matched, by index in the file (for `--explain-config`).
    pub matched_overrides: Vec<usize>,
}

impl Settings {
    /// True when a post with these facts is a repost under these settings: an `originals` or
    /// `all_reposts` override decides; otherwise its signals do, leaving out credits that name
    /// only the site's own authors.
    pub fn is_repost(&self, facts: &crate::detect::Facts) -> bool {
        !self.originals
            && (self.all_reposts || crate::detect::repost::shows_repost(facts, &self.site_authors))
    }
}

/// A loaded config.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from (`None`: defaults).
    pub path: Option<PathBuf>,
    /// Extra rules directories, resolved against the config's directory and inside it.
    pub rules_dirs: Vec<PathBuf>,
    /// Size cap for files, when set.
    pub max_size: Option<u64>,
    /// File name endings checked besides the built-in ones, as `--ext` takes them (e.g. `mdx`).
    pub extensions: Vec<String>,
    /// Files to include (globs over paths relative to the config's directory); empty = all.
    include: Option<GlobSet>,
    /// Files to exclude.
    exclude: Option<GlobSet>,
    base: Settings,
    overrides: Vec<(GlobSet, Settings)>,
}

/// A config file problem, pointing into the file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong and what is allowed.
    pub message: String,
    #[source_code]
    source_code: NamedSource<String>,
    #[label("here")]
    span: SourceSpan,
}

impl ConfigError {
    fn new(
        file: &Path,
        text: &str,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Box<ConfigError> {
        let index = crate::source::LineIndex::new(text);
        let (line, column) = index.line_col(text, span.start);
        let name = file.to_string_lossy().into_owned();
        Box::new(ConfigError {
            file: name.clone(),
            line,
            column,
            message: message.into(),
            source_code: NamedSource::new(name, text.to_owned()),
            span: (span.start, span.len()).into(),
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    rules_dirs: Vec<Spanned<String>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    max_size: Option<u64>,
    /// The removed result cache's switch, still accepted so that configs written for it keep
    /// loading; it does nothing.
    #[serde(default, rename = "cache")]
    _cache: bool,
    #[serde(default)]
    extensions: Vec<Spanned<String>>,
    #[serde(default)]
    all_reposts: bool,
    #[serde(default)]
    site: RawSite,
    #[serde(default)]
    overrides: Vec<RawOverride>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    #[serde(default)]
    commercial: bool,
    #[serde(default)]
    authors: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Vec<Spanned<String>>,
    all_reposts: Option<bool>,
    originals: Option<bool>,
    commercial: Option<bool>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// The first config file found walking up from `dir`.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .flat_map(|d| FILE_NAMES.iter().map(move |name| d.join(name)))
        .find(|p| p.is_file())
}

impl Config {
    /// Read and validate a config file.
    pub fn load(path: &Path) -> Result<Config, Box<ConfigError>> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::new(path, "", 0..0, format!("cannot read the config: {e}"))
        })?;
        Config::parse(path, &text)
    }

    /// Parse and validate config text; `path` names it in errors and anchors relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Box<ConfigError>> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            ConfigError::new(path, text, span, e.message().to_owned())
        })?;
        let err = |span: std::ops::Range<usize>, message: String| {
            ConfigError::new(path, text, span, message)
        };
        let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for ext in &raw.extensions {
            if let Err(e) = crate::walk::Extensions::new([ext.get_ref()]) {
                return Err(err(ext.span(), e.to_string()));
            }
        }
        let base = Settings {
            levels: levels(&raw.rules, &err)?,
            all_reposts: raw.all_reposts,
            originals: false,
            site_authors: raw.site.authors.clone(),
            commercial: raw.site.commercial,
            matched_overrides: Vec::new(),
        };
        let mut overrides = Vec::new();
        for o in &raw.overrides {
            if o.all_reposts == Some(true) && o.originals == Some(true) {
                let span = o.paths.first().map_or(0..0, Spanned::span);
                return Err(err(
                    span,
                    "an override cannot set both `all_reposts` and `originals`: keep the one these paths hold".to_owned(),
                ));
            }
            // Unset booleans in an override keep the base value; forcing one way clears the other.
            let originals = o.originals.unwrap_or(false) && o.all_reposts != Some(true);
            let settings = Settings {
                levels: levels(&o.rules, &err)?,
                all_reposts: o.all_reposts.unwrap_or(raw.all_reposts && !originals),
                originals,
                site_authors: raw.site.authors.clone(),
                commercial: o.commercial.unwrap_or(raw.site.commercial),
                matched_overrides: Vec::new(),
            };
            overrides.push((
                globs(&o.paths, &err)?.unwrap_or_else(GlobSet::empty),
                settings,
            ));
        }
        let rules_dirs = raw
            .rules_dirs
            .iter()
            .map(|dir| inside(&base_dir, dir.get_ref()).map_err(|message| err(dir.span(), message)))
            .collect::<Result<_, _>>()?;
        Ok(Config {
            path: Some(path.to_path_buf()),
            rules_dirs,
            max_size: raw.max_size,
            extensions: raw
                .extensions
                .iter()
                .map(|ext| ext.get_ref().clone())
                .collect(),
            include: globs(&raw.include, &err)?,
            exclude: globs(&raw.exclude, &err)?,
            base,
            overrides,
        })
    }

    /// A checked path relative to the config's directory (`/`-separated), for globs; the path
    /// unchanged when there is no config file or it lies elsewhere.
    pub fn relative_path(&self, path: &str) -> String {
        let Some(dir) = self.path.as_deref().and_then(Path::parent) else {
            return path.to_owned();
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let (Ok(dir), Ok(file)) = (std::path::absolute(dir), std::path::absolute(path)) else {
            return path.to_owned();
        };
        file.strip_prefix(&dir).map_or_else(
            |_| path.to_owned(),
            |p| p.to_string_lossy().replace('\\', "/"),
        )
    }

    /// True when `path` (relative to the config's directory, `/`-separated) is to be checked.
    pub fn includes(&self, path: &str) -> bool {
        self.include.as_ref().is_none_or(|set| set.is_match(path))
            && !self.exclude.as_ref().is_some_and(|set| set.is_match(path))
    }

    /// The settings for one path: the base, then each matching override in file order.
    pub fn settings_for(&self, path: &str) -> Settings {
        let mut settings = self.base.clone();
        for (index, (set, o)) in self.overrides.iter().enumerate() {
            if set.is_match(path) {
                settings.levels.extend(o.levels.clone());
                settings.all_reposts = o.all_reposts;
                settings.originals = o.originals;
                settings.commercial = o.commercial;
                settings.matched_overrides.push(index);
            }
        }
        settings
    }
}

/// `dir` (from `rules_dirs`) resolved against the config's directory `base`, when it lies inside
/// it: a repository's config must not load (and quote in its errors) files from elsewhere on
/// the machine. Symlinks are resolved; a directory that does not exist yet is checked by its
/// path alone (and its loading reports it missing).
fn inside(base: &Path, dir: &str) -> Result<PathBuf, String> {
    let joined = base.join(dir);
    let root = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let outside = |root: &Path| {
        format!(
            "rules directory `{dir}` is outside the directory of the config ({}); keep it inside, or give it on the command line with --rules",
            root.display()
        )
    };
    if let (Ok(root), Ok(resolved)) = (root.canonicalize(), joined.canonicalize()) {
        return if resolved.starts_with(&root) {
            Ok(resolved)
        } else {
            Err(outside(&root))
        };
    }
    let mut depth = 0usize;
    for component in Path::new(dir).components() {
        match component {
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if depth > 0 => depth -= 1,
            _ => return Err(outside(root)),
        }
    }
    Ok(joined)
}

type ErrFn<'a> = dyn Fn(std::ops::Range<usize>, String) -> Box<ConfigError> + 'a;

fn levels(
    raw: &BTreeMap<Spanned<String>, Spanned<String>>,
    err: &ErrFn<'_>,
) -> Result<Levels, Box<ConfigError>> {
    let mut out = Levels::new();
    for (id, level) in raw {
        let Some(rule) = check::rule_named(id.get_ref()) else {
            let ids: Vec<&str> = check::RULES.iter().map(|r| r.id.as_str()).collect();
            let near = check::nearest_rule(id.get_ref())
                .map(|near| format!(" did you mean `{near}`?"))
                .unwrap_or_default();
            return Err(err(
                id.span(),
                format!(
                    "unknown rule `{}`;{near} known rules: {}",
                    id.get_ref(),
                    ids.join(", ")
                ),
            ));
        };
        let parsed = match level.get_ref().as_str() {
            "error" => Level::On(Severity::Error),
            "warning" => Level::On(Severity::Warning),
            "info" => Level::On(Severity::Info),
            "off" => Level::Off,
            other => {
                return Err(err(
                    level.span(),
                    format!("unknown level `{other}`; expected error, warning, info or off"),
                ));
            }
        };
        out.insert(rule.id, parsed);
    }
    Ok(out)
}

fn globs(raw: &[Spanned<String>], err: &ErrFn<'_>) -> Result<Option<GlobSet>, Box<ConfigError>> {
    if raw.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in raw {
        let glob = Glob::new(pattern.get_ref())
            .map_err(|e| err(pattern.span(), format!("invalid glob: {e}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map(Some)
        .map_err(|e| err(raw[0].span(), format!("invalid globs: {e}")))
}

/// The starter config `ccguard init` writes.
pub const STARTER: &str = r#"# ccguard configuration. Every key is optional; shown values are examples.
# Documentation: README.md, section "Configuration".

# Extra license rule directories (relative to this file), loaded after the bundled rules.
# rules_dirs = ["rules-local"]

# Only check these paths / skip these (globs, relative to this file).
# include = ["content/**"]
# exclude = ["content/drafts/**"]

# Also check files with these endings (besides .html, .htm, .md, .markdown), read as HTML when
# the file name after its first dot contains "htm" (page.xhtml), as Markdown otherwise.
# extensions = ["mdx"]

# Files larger than this many bytes are reported, not read.
# max_size = 16777216

# Change a rule's severity: "error", "warning", "info" or "off".
[rules]
# missing-title = "off"
# nc-commercial-context = "error"

[site]
# The site carries ads, a paywall or a shop: NC-licensed reposts get nc-commercial-context.
commercial = false
# The site's own authors: a post credited only to them is an original, not a repost.
# authors = ["Jane Doe", "jdoe"]

# Settings for some paths only; later overrides win.
# [[overrides]]
# paths = ["content/reposts/**"]
# all_reposts = true          # every post here is a repost, even without repost signals
# commercial = false          # these pages carry no ads, paywall or shop
# [overrides.rules]
# missing-title = "warning"
# [[overrides]]
# paths = ["content/blog/**"]
# originals = true            # every post here is the site's own, whatever it credits
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::RuleId;

    fn parse(text: &str) -> Result<Config, Box<ConfigError>> {
        Config::parse(Path::new("site/ccguard.toml"), text)
    }

    #[test]
    fn starter_config_is_valid() {
        let config = parse(STARTER).expect("starter parses");
        assert!(!config.settings_for("a.md").commercial);
    }

    /// Every example in the starter works once uncommented: top-level keys must come before
    /// the first table, or they would land inside it.
    #[test]
    fn starter_config_is_valid_with_every_example_uncommented() {
        let mut uncommented = String::new();
        for line in STARTER.lines() {
            let example = line.strip_prefix("# ").filter(|rest| {
                rest.starts_with('[')
                    || rest
                        .split_once(" = ")
                        .is_some_and(|(key, _)| !key.contains(' '))
            });
            uncommented.push_str(example.unwrap_or(line));
            uncommented.push('\n');
        }
        let config = parse(&uncommented).expect("uncommented starter parses");
        assert_eq!(config.max_size, Some(16_777_216));
        assert!(config.settings_for("content/reposts/a.md").all_reposts);
        assert!(config.settings_for("content/blog/a.md").originals);
        assert!(!config.settings_for("content/blog/a.md").all_reposts);
        assert_eq!(
            config.settings_for("content/blog/a.md").site_authors,
            ["Jane Doe", "jdoe"]
        );
    }

    #[test]
    fn overrides_apply_to_matching_paths_in_order() {
        let config = parse(
            "[rules]\nmissing-title = \"off\"\n\n[[overrides]]\npaths = [\"content/reposts/**\"]\nall_reposts = true\n[overrides.rules]\nmissing-source-link = \"warning\"\n",
        )
        .expect("parses");
        let plain = config.settings_for("content/blog/a.md");
        assert_eq!(plain.levels.get(&RuleId::MissingTitle), Some(&Level::Off));
        assert!(!plain.all_reposts);
        let repost = config.settings_for("content/reposts/b.md");
        assert!(repost.all_reposts);
        assert_eq!(
            repost.levels.get(&RuleId::MissingSourceLink),
            Some(&Level::On(Severity::Warning))
        );
        assert_eq!(repost.matched_overrides, vec![0]);
    }

    #[test]
    fn errors_point_into_the_file() {
        let e = parse("[rules]\nmissing-titel = \"off\"\n").expect_err("unknown rule");
        assert_eq!((e.line, e.column), (2, 1));
        assert!(
            e.message
                .starts_with("unknown rule `missing-titel`; did you mean `missing-title`? known rules: conflicting-notice, internal-error, "),
            "{}",
            e.message
        );
        let e = parse("[rules]\nmissing-title = \"loud\"\n").expect_err("bad level");
        assert_eq!((e.line, e.column), (2, 17));
        let e = parse("colour = true\n").expect_err("unknown key");
        assert_eq!((e.line, e.column), (1, 1));
        assert!(e.message.contains("colour"), "{}", e.message);
    }

    #[test]
    fn rules_dirs_stay_inside_the_config_directory() {
        let config = parse("rules_dirs = [\"rules-local\", \"a/../b\"]\n").expect("parses");
        assert_eq!(
            config.rules_dirs,
            [
                PathBuf::from("site/rules-local"),
                PathBuf::from("site/a/../b")
            ]
        );
        for dir in ["../elsewhere", "a/../../elsewhere", "/etc"] {
            let e = parse(&format!("rules_dirs = [{dir:?}]\n")).expect_err(dir);
            assert_eq!((e.line, e.column), (1, 15), "{dir}");
            assert!(
                e.message.starts_with(&format!(
                    "rules directory `{dir}` is outside the directory of the config (site)"
                )),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn include_and_exclude() {
        let config = parse("include = [\"content/**\"]\nexclude = [\"content/drafts/**\"]\n")
            .expect("parses");
        assert!(config.includes("content/a.md"));
        assert!(!config.includes("content/drafts/a.md"));
        assert!(!config.includes("other/a.md"));
    }
}
