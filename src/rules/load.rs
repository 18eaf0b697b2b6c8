//! Reading and validating rule files, with errors that point into the TOML.
//!
//! A file is parsed into the raw [`schema`](super::schema) structs (unknown keys refused, every
//! value spanned) and then validated into a [`LicenseRule`]. Every problem becomes a
//! [`RuleError`] naming the file, the line and column, and what is allowed instead; loading a set
//! of files reports every error in every file, not only the first. This module does not decide
//! what a license requires: that is the data in the files.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use toml::Spanned;

pub use super::error::RuleError;
use super::media::MediaHosts;
use super::policy::{self, Policy};
use super::schema::{RawAdaptations, RawRequirements, RawRule};
use super::{
    AdaptationRules, ChangeNoticeRule, Elements, LICENSE_REF, LicenseRule, Registry, Requirements,
    SourceLinkRule, ToolKind,
};

/// The rule files compiled into the binary: `(display name, contents)`, sorted by name.
const BUNDLED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_rules.rs"));
/// The publisher policies compiled into the binary, likewise.
const BUNDLED_POLICIES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/bundled_policies.rs"));

/// Versions Creative Commons has published.
const VERSIONS: &[&str] = &["1.0", "2.0", "2.1", "2.5", "3.0", "4.0"];
/// License elements, in the order used in families and ids.
const ELEMENTS: &[&str] = &["BY", "NC", "ND", "SA"];
/// Where every CC deed lives.
const URL_PREFIX: &str = "https://creativecommons.org/";

/// The largest rule file read, in bytes (the largest bundled file is about a quarter of it).
/// License names become one compiled matcher: caps keep a user's rule files from making it
/// take minutes or gigabytes to build.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;
/// The most bytes of rule files in all `--rules` directories together (the bundled rules
/// are about a third of it).
pub const MAX_TOTAL_BYTES: u64 = 2 * 1024 * 1024;
/// The most titles (`[names]` and `[ports]` together) in one rule file (the most in a bundled
/// file is under 750).
pub const MAX_TITLES: usize = 2_000;
/// The longest title, in characters (the longest bundled title is about 150).
pub const MAX_TITLE_CHARS: usize = 400;
/// The longest `url`, in bytes (the longest bundled one is under 100).
pub const MAX_URL_BYTES: usize = 300;

/// Load the rule files compiled into the binary. They are tested to load without errors.
pub fn bundled() -> Result<Registry, Vec<RuleError>> {
    let files = BUNDLED
        .iter()
        .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()));
    let licenses = parse_all(files)?;
    let mut registry = Registry::default();
    registry.extend(licenses);
    let policies = parse_policies(
        BUNDLED_POLICIES
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned())),
        &registry,
    )?;
    registry.extend_policies(policies);
    registry.media = super::media::bundled()?;
    registry.cues = super::cues::bundled()?;
    Ok(registry)
}

/// `registry` with each extra rules directory added in order: its license rules, publisher
/// policies, media hosts and cue files (the one way `check`, `fix`, `serve` and the language
/// server read `--rules` / `rules_dirs`).
pub fn extend_with_dirs(registry: &mut Registry, dirs: &[PathBuf]) -> Result<(), Vec<RuleError>> {
    within_total(dirs)?;
    for dir in dirs {
        registry.extend(self::dir(dir)?);
        let policies = policies_dir(dir, registry)?;
        registry.extend_policies(policies);
        registry.media.extend(media_dir(dir)?);
        for language in cues_dir(dir)? {
            registry.cues.extend_checked(language)?;
        }
    }
    Ok(())
}

/// Load every `*.toml` under `DIR/cues/` (one file per language, named by its tag), sorted;
/// none when the folder does not exist. Their phrases are added to the bundled ones.
pub fn cues_dir(path: &Path) -> Result<Vec<super::cues::Language>, Vec<RuleError>> {
    let root = path.join(super::cues::FOLDER);
    if !root.is_dir() {
        return Ok(Vec::new());
    }
    let mut errors = Vec::new();
    let files = read_tomls(&root, &mut errors);
    let mut languages = Vec::new();
    for (name, text) in files {
        match super::cues::parse(&name, &text, true) {
            Ok(language) => languages.push(language),
            Err(more) => errors.extend(more),
        }
    }
    if errors.is_empty() {
        Ok(languages)
    } else {
        Err(errors)
    }
}

/// The media hosts of `DIR/media-hosts.toml`; none when the file does not exist.
pub fn media_dir(path: &Path) -> Result<MediaHosts, Vec<RuleError>> {
    let file = path.join(super::media::FILE_NAME);
    if !file.is_file() {
        return Ok(MediaHosts::default());
    }
    let name = file.display().to_string();
    if let Some(error) = too_large(&name, &file) {
        return Err(vec![error]);
    }
    let text = fs::read_to_string(&file).map_err(|err| vec![io_error(&name, &err)])?;
    super::media::parse(&name, &text)
}

/// Load every `*.toml` under `DIR/policies/` (publisher policies), sorted; none when the
/// folder does not exist. Their licenses must be known to `registry`.
pub fn policies_dir(path: &Path, registry: &Registry) -> Result<Vec<Policy>, Vec<RuleError>> {
    let root = path.join("policies");
    if !root.is_dir() {
        return Ok(Vec::new());
    }
    let mut errors = Vec::new();
    let files = read_tomls(&root, &mut errors);
    with_read_errors(parse_policies(files, registry), errors)
}

fn parse_policies(
    files: impl IntoIterator<Item = (String, String)>,
    registry: &Registry,
) -> Result<Vec<Policy>, Vec<RuleError>> {
    let mut policies = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in files {
        match policy::parse(&name, &text, registry) {
            Ok(p) => policies.push(p),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(policies)
    } else {
        Err(errors)
    }
}

/// Load every `*.toml` under `DIR/licenses/` if that folder exists, else under `DIR` itself
/// (but not `DIR/policies/` or `DIR/cues/`), sorted by path. Unreadable files are errors too.
pub fn dir(path: &Path) -> Result<Vec<LicenseRule>, Vec<RuleError>> {
    let licenses_dir = path.join("licenses");
    let root = if licenses_dir.is_dir() {
        licenses_dir
    } else {
        path.to_path_buf()
    };
    let mut errors = Vec::new();
    let policies = path.join("policies");
    let cues = path.join(super::cues::FOLDER);
    let media = path.join(super::media::FILE_NAME);
    let files = read_tomls(&root, &mut errors)
        .into_iter()
        .filter(|(name, _)| {
            let name = Path::new(name);
            !name.starts_with(&policies) && !name.starts_with(&cues) && name != media
        })
        .collect::<Vec<_>>();
    with_read_errors(parse_all(files), errors)
}

/// Every `*.toml` under `root` as (display name, text), sorted by path; unreadable files and
/// folders become errors.
fn read_tomls(root: &Path, errors: &mut Vec<RuleError>) -> Vec<(String, String)> {
    let mut paths = Vec::new();
    match root.canonicalize() {
        Ok(resolved) => collect_toml(&resolved, root, &mut paths, errors),
        Err(err) => errors.push(io_error(&root.display().to_string(), &err)),
    }
    paths.sort();
    let mut files = Vec::new();
    for file in paths {
        let name = file.display().to_string();
        if let Some(error) = too_large(&name, &file) {
            errors.push(error);
            continue;
        }
        match fs::read_to_string(&file) {
            Ok(text) => files.push((name, text)),
            Err(err) => errors.push(io_error(&name, &err)),
        }
    }
    files
}

/// An error when the file at `path` is over [`MAX_FILE_BYTES`] (it is then not read).
fn too_large(name: &str, path: &Path) -> Option<RuleError> {
    let size = fs::metadata(path).ok()?.len();
    (size > MAX_FILE_BYTES).then(|| size_error(name, size))
}

fn size_error(name: &str, size: u64) -> RuleError {
    RuleError::new(
        name,
        "",
        0..0,
        "too large",
        format!(
            "rule file is {size} bytes; the limit is {MAX_FILE_BYTES} bytes: split it into one file per license"
        ),
    )
}

/// Check that the `*.toml` files under all of `dirs` together stay within
/// [`MAX_TOTAL_BYTES`], before any of them is read (files over [`MAX_FILE_BYTES`] are not
/// counted: loading reports each of them).
pub fn within_total(dirs: &[PathBuf]) -> Result<(), Vec<RuleError>> {
    let mut paths = Vec::new();
    let mut errors = Vec::new();
    for dir in dirs {
        // A directory that cannot be resolved is reported when it is loaded.
        if let Ok(resolved) = dir.canonicalize() {
            collect_toml(&resolved, dir, &mut paths, &mut errors);
        }
    }
    // A file over its own cap is left to the error that names it.
    let total: u64 = paths
        .iter()
        .filter_map(|p| fs::metadata(p).ok())
        .map(|m| m.len())
        .filter(|&len| len <= MAX_FILE_BYTES)
        .sum();
    if total <= MAX_TOTAL_BYTES {
        return Ok(());
    }
    let names: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    Err(vec![RuleError::new(
        &names.join(", "),
        "",
        0..0,
        "too large",
        format!(
            "the rule files in these directories total {total} bytes; the limit is {MAX_TOTAL_BYTES} bytes: keep only the licenses you add or change"
        ),
    )])
}

/// The parsed items, unless reading or parsing failed: then every error of both.
fn with_read_errors<T>(
    parsed: Result<Vec<T>, Vec<RuleError>>,
    mut errors: Vec<RuleError>,
) -> Result<Vec<T>, Vec<RuleError>> {
    match parsed {
        Ok(items) if errors.is_empty() => Ok(items),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

/// Parse one rule file.
pub fn parse(file: &str, text: &str) -> Result<LicenseRule, Vec<RuleError>> {
    if let Ok(size) = u64::try_from(text.len())
        && size > MAX_FILE_BYTES
    {
        return Err(vec![size_error(file, size)]);
    }
    let raw: RawRule = RuleError::toml(file, text)?;
    Validator {
        file,
        text,
        errors: Vec::new(),
    }
    .rule(raw)
}

/// Parse a set of files, reporting every error in every file and ids defined twice.
fn parse_all(
    files: impl IntoIterator<Item = (String, String)>,
) -> Result<Vec<LicenseRule>, Vec<RuleError>> {
    let mut licenses: Vec<LicenseRule> = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    // Parsed on every thread (parsing the bundled rules is a large part of a one-post run),
    // checked for duplicates in file order.
    let files: Vec<(String, String)> = files.into_iter().collect();
    let parsed: Vec<_> = files
        .par_iter()
        .map(|(name, text)| parse(name, text))
        .collect();
    for ((name, text), parsed) in files.iter().zip(parsed) {
        match parsed {
            Ok(rule) => {
                if let Some(first) = seen.get(&rule.id) {
                    errors.push(duplicate_error(name, text, &rule.id, first));
                } else {
                    seen.insert(rule.id.clone(), name.clone());
                    licenses.push(rule);
                }
            }
            Err(found) => errors.extend(found),
        }
    }
    if errors.is_empty() {
        Ok(licenses)
    } else {
        Err(errors)
    }
}

fn duplicate_error(file: &str, text: &str, id: &str, first: &str) -> RuleError {
    // The id was valid, so its value is in the file; point at it.
    let span = toml::from_str::<IdOnly>(text)
        .map(|only| only.id.span())
        .unwrap_or(0..0);
    RuleError::new(
        file,
        text,
        span,
        "defined again here",
        format!(
            "duplicate id `{id}`: also defined in {first}; ids must be unique within a directory"
        ),
    )
}

/// Just the id of a rule file, to point at it.
#[derive(serde::Deserialize)]
struct IdOnly {
    id: Spanned<String>,
}

fn io_error(file: &str, err: &std::io::Error) -> RuleError {
    RuleError::new(
        file,
        "",
        0..0,
        "unreadable",
        format!("cannot read rule file: {err}"),
    )
}

/// Every `*.toml` under `dir`, inside the rules directory `root` (resolved). Symlinks are not
/// followed: one leading out of `root` is an error (a repository's rules directory must not
/// read files from elsewhere on the machine), one staying inside is skipped (its target is
/// read under its own name), and no link can make the walk loop.
fn collect_toml(root: &Path, dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<RuleError>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            errors.push(io_error(&dir.display().to_string(), &err));
            return;
        }
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            let would_read = path.is_dir() || path.extension().is_some_and(|e| e == "toml");
            if would_read
                && !path
                    .canonicalize()
                    .is_ok_and(|target| target.starts_with(root))
            {
                errors.push(RuleError::new(
                    &path.display().to_string(),
                    "",
                    0..0,
                    "symlink",
                    format!(
                        "a symlink leading out of the rules directory {}; copy the file in instead",
                        root.display()
                    ),
                ));
            }
        } else if kind.is_dir() {
            collect_toml(root, &path, out, errors);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// Turns a [`RawRule`] into a [`LicenseRule`], collecting every problem on the way.
struct Validator<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<RuleError>,
}

impl Validator<'_> {
    fn error(&mut self, span: Range<usize>, label: &str, message: String) {
        self.errors
            .push(RuleError::new(self.file, self.text, span, label, message));
    }

    fn rule(mut self, raw: RawRule) -> Result<LicenseRule, Vec<RuleError>> {
        let kind = self.kind(&raw.kind);
        let elements = self.elements(&raw.elements);
        let version = raw.version.as_ref().map(|v| self.version(v));
        let jurisdiction = raw.jurisdiction.as_ref().map(|j| self.jurisdiction(j));
        self.code(&raw.code, kind, elements);
        self.family(&raw.family, kind, elements);
        // The id is built from the values above; if one of them is wrong, that error says enough.
        if self.errors.is_empty() {
            self.id(&raw, version.as_deref(), jurisdiction.as_deref());
        }
        self.url(&raw.url);
        let cure_days = raw.cure_days.as_ref().and_then(|d| self.cure_days(d));
        let verbatim = self.verbatim(&raw.verbatim);
        let adaptations = self.adaptations(&raw.adaptations, elements);
        // Sizes first: a title list over the caps is not validated title by title.
        if !self.within_caps(&raw) {
            return Err(self.errors);
        }
        let names = self.titles(&raw.names, "names", is_lang_tag);
        let ports = self.titles(&raw.ports, "ports", is_port_key);
        if jurisdiction.is_some()
            && let Some((key, _)) = raw.ports.iter().next()
        {
            self.error(
                key.span(),
                "port of a port",
                "`[ports]` is only allowed in an unported rule file (one without `jurisdiction`)"
                    .to_owned(),
            );
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        Ok(LicenseRule {
            id: raw.id.into_inner(),
            family: raw.family.into_inner(),
            code: raw.code.into_inner(),
            version,
            jurisdiction,
            kind: kind.unwrap_or(ToolKind::License),
            elements,
            url: raw.url.into_inner(),
            names,
            ports,
            verbatim,
            adaptations,
            cure_days,
            deprecated: raw.deprecated,
            notes: raw.notes,
            file: self.file.to_owned(),
        })
    }

    fn kind(&mut self, raw: &Spanned<String>) -> Option<ToolKind> {
        let kind = match raw.get_ref().as_str() {
            "license" => ToolKind::License,
            "waiver" => ToolKind::Waiver,
            "public-domain" => ToolKind::PublicDomain,
            other => {
                let message = format!(
                    "unknown kind `{other}`; expected one of license, waiver, public-domain"
                );
                self.error(raw.span(), "unknown kind", message);
                return None;
            }
        };
        Some(kind)
    }

    fn elements(&mut self, raw: &Spanned<Vec<Spanned<String>>>) -> Elements {
        let mut elements = Elements::default();
        for element in raw.get_ref() {
            let slot = match element.get_ref().as_str() {
                "BY" => &mut elements.by,
                "NC" => &mut elements.nc,
                "ND" => &mut elements.nd,
                "SA" => &mut elements.sa,
                other => {
                    let message =
                        format!("unknown element `{other}`; expected one of BY, NC, ND, SA");
                    self.error(element.span(), "unknown element", message);
                    continue;
                }
            };
            if *slot {
                let message = format!("element `{}` is listed twice", element.get_ref());
                self.error(element.span(), "listed twice", message);
            }
            *slot = true;
        }
        if elements.nd && elements.sa {
            let message = "a license cannot be both ND and SA".to_owned();
            self.error(raw.span(), "ND with SA", message);
        }
        elements
    }

    fn version(&mut self, raw: &Spanned<String>) -> String {
        let version = raw.get_ref();
        if !VERSIONS.contains(&version.as_str()) {
            let message = format!(
                "version `{version}` is not a CC version ({})",
                VERSIONS.join(", ")
            );
            self.error(raw.span(), "not a CC version", message);
        }
        version.clone()
    }

    fn jurisdiction(&mut self, raw: &Spanned<String>) -> String {
        let juris = raw.get_ref();
        if !is_jurisdiction(juris) {
            let message = format!(
                "jurisdiction `{juris}` is not a port code; expected lowercase letters such as `de`, `us`, `scotland` or `igo` (omit the key for unported licenses)"
            );
            self.error(raw.span(), "not a port code", message);
        }
        juris.clone()
    }

    fn code(&mut self, raw: &Spanned<String>, kind: Option<ToolKind>, elements: Elements) {
        let code = raw.get_ref();
        if kind == Some(ToolKind::License) {
            match code_elements(code) {
                Some(from_code) if from_code == elements => {}
                Some(_) => {
                    let message = format!(
                        "code `{code}` does not match elements [{}]",
                        element_names(elements).join(", ")
                    );
                    self.error(raw.span(), "code and elements differ", message);
                }
                None => {
                    let message = format!(
                        "code `{code}` is not a license code; expected elements in lowercase joined by `-`, such as `by-nc-sa` or `by-nd-nc`"
                    );
                    self.error(raw.span(), "not a license code", message);
                }
            }
        } else if !is_slug(code) {
            let message = format!(
                "code `{code}` must be lowercase letters and `-`, such as `zero` or `mark`"
            );
            self.error(raw.span(), "not a code", message);
        }
    }

    fn family(&mut self, raw: &Spanned<String>, kind: Option<ToolKind>, elements: Elements) {
        let family = raw.get_ref();
        match kind {
            Some(ToolKind::License) => {
                let expected = family_name(elements);
                if *family != expected {
                    let message = format!(
                        "family `{family}` does not match the elements; expected `{expected}` (`CC-` and the elements in the order BY, NC, ND, SA)"
                    );
                    self.error(raw.span(), "wrong family", message);
                }
            }
            Some(_) if !family.starts_with("CC") || family.contains(char::is_whitespace) => {
                let message = format!(
                    "family `{family}` must start with `CC` and have no spaces, such as `CC0` or `CC-PDM`"
                );
                self.error(raw.span(), "wrong family", message);
            }
            _ => {}
        }
    }

    /// The id must be the SPDX form (`<family>[-<version>][-<JURISDICTION>]`) or
    /// `LicenseRef-ccguard-<code>-<version>[-<jurisdiction>]`, and the file must be named after it.
    fn id(&mut self, raw: &RawRule, version: Option<&str>, jurisdiction: Option<&str>) {
        let id = raw.id.get_ref();
        let code = raw.code.get_ref();
        let mut spdx = raw.family.get_ref().clone();
        let mut license_ref = format!("{LICENSE_REF}{code}");
        for part in [version, jurisdiction].into_iter().flatten() {
            let _ = write!(spdx, "-{}", part.to_uppercase());
            let _ = write!(license_ref, "-{part}");
        }
        if *id != spdx && *id != license_ref {
            let what = match (version, jurisdiction) {
                (Some(v), Some(j)) => {
                    format!("code `{code}`, version `{v}` and jurisdiction `{j}`")
                }
                (Some(v), None) => format!("code `{code}` and version `{v}`"),
                _ => format!("code `{code}`"),
            };
            let message =
                format!("id `{id}` does not match {what}; expected `{spdx}` or `{license_ref}`");
            self.error(raw.id.span(), "id mismatch", message);
            return;
        }
        let stem = Path::new(self.file).file_stem().and_then(|s| s.to_str());
        if stem.is_some_and(|stem| stem != id) {
            let message = format!("the file for id `{id}` must be named `{id}.toml`");
            self.error(raw.id.span(), "file name differs", message);
        }
    }

    /// Report titles and a `url` over the caps ([`MAX_TITLES`], [`MAX_TITLE_CHARS`],
    /// [`MAX_URL_BYTES`]); false when there is one.
    fn within_caps(&mut self, raw: &RawRule) -> bool {
        let before = self.errors.len();
        if raw.url.get_ref().len() > MAX_URL_BYTES {
            let message = format!(
                "url is {} bytes long; the limit is {MAX_URL_BYTES}",
                raw.url.get_ref().len()
            );
            self.error(raw.url.span(), "too long", message);
        }
        let lists = raw.names.values().chain(raw.ports.values());
        let mut count = 0;
        for titles in lists {
            count += titles.get_ref().len();
            if count > MAX_TITLES {
                let message = format!(
                    "more than {MAX_TITLES} titles in `[names]` and `[ports]`; split the file or keep the titles readers use"
                );
                self.error(titles.span(), "too many titles", message);
                break;
            }
            let long = titles
                .get_ref()
                .iter()
                .find(|t| t.get_ref().chars().nth(MAX_TITLE_CHARS).is_some());
            if let Some(title) = long {
                let message = format!(
                    "title is {} characters long; the limit is {MAX_TITLE_CHARS}",
                    title.get_ref().chars().count()
                );
                self.error(title.span(), "too long", message);
            }
        }
        self.errors.len() == before
    }

    fn url(&mut self, raw: &Spanned<String>) {
        let url = raw.get_ref();
        if !url.starts_with(URL_PREFIX) || !url.ends_with('/') {
            let message = format!(
                "url `{url}` is not a canonical deed URL; expected `{URL_PREFIX}…/` with a trailing slash"
            );
            self.error(raw.span(), "not a deed URL", message);
        }
    }

    fn cure_days(&mut self, raw: &Spanned<i64>) -> Option<u32> {
        let days = *raw.get_ref();
        match u32::try_from(days) {
            Ok(days) if (1..=365).contains(&days) => Some(days),
            _ => {
                let message = format!(
                    "cure_days `{days}` is out of range; expected 1 to 365, or omit the key when there is no cure period"
                );
                self.error(raw.span(), "out of range", message);
                None
            }
        }
    }

    fn verbatim(&mut self, raw: &RawRequirements) -> Requirements {
        let source_link = match raw.source_link.get_ref().as_str() {
            "never" => SourceLinkRule::Never,
            "if-supplied" => SourceLinkRule::IfSupplied,
            "if-practicable" => SourceLinkRule::IfPracticable,
            other => {
                let message = format!(
                    "unknown source_link `{other}`; expected one of never, if-supplied, if-practicable"
                );
                self.error(raw.source_link.span(), "unknown value", message);
                SourceLinkRule::Never
            }
        };
        let change_notice = match raw.change_notice.get_ref().as_str() {
            "never" => ChangeNoticeRule::Never,
            "adaptations" => ChangeNoticeRule::Adaptations,
            "always" => ChangeNoticeRule::Always,
            other => {
                let message = format!(
                    "unknown change_notice `{other}`; expected one of never, adaptations, always"
                );
                self.error(raw.change_notice.span(), "unknown value", message);
                ChangeNoticeRule::Never
            }
        };
        Requirements {
            credit: raw.credit,
            title: raw.title,
            license_notice: raw.license_notice,
            license_link: raw.license_link,
            source_link,
            change_notice,
        }
    }

    fn adaptations(&mut self, raw: &RawAdaptations, elements: Elements) -> AdaptationRules {
        let shareable = *raw.shareable.get_ref();
        if shareable == elements.nd {
            let message = if elements.nd {
                "an ND license forbids sharing adaptations; set `shareable = false`"
            } else {
                "only ND licenses forbid sharing adaptations; set `shareable = true`"
            };
            self.error(
                raw.shareable.span(),
                "contradicts the elements",
                message.to_owned(),
            );
        }
        for target in &raw.share_alike {
            if let Err(why) = check_target(target.get_ref()) {
                let message = format!(
                    "share_alike target `{}` is malformed: {why}; expected an SPDX id such as `CC-BY-SA-4.0`, a `LicenseRef-…`, or a prefix ending in `*` such as `CC-BY-SA-3.0-*`",
                    target.get_ref()
                );
                self.error(target.span(), "malformed target", message);
            }
        }
        if elements.sa && raw.share_alike.is_empty() {
            let message =
                "an SA license must list the licenses an adaptation may carry in `share_alike`"
                    .to_owned();
            self.error(raw.shareable.span(), "no share_alike targets", message);
        }
        if !elements.sa
            && let Some(first) = raw.share_alike.first()
        {
            let message = "`share_alike` is only for SA licenses; remove it".to_owned();
            self.error(first.span(), "not an SA license", message);
        }
        AdaptationRules {
            shareable,
            share_alike: raw
                .share_alike
                .iter()
                .map(|t| t.get_ref().clone())
                .collect(),
        }
    }

    /// `[names]` and `[ports]`: valid keys, non-empty trimmed titles, no duplicates.
    fn titles(
        &mut self,
        raw: &BTreeMap<Spanned<String>, Spanned<Vec<Spanned<String>>>>,
        table: &str,
        valid_key: impl Fn(&str) -> bool,
    ) -> BTreeMap<String, Vec<String>> {
        let mut out = BTreeMap::new();
        for (key, titles) in raw {
            if !valid_key(key.get_ref()) {
                let expected = if table == "names" {
                    "a lowercase language tag such as `en`, `pt-br` or `zh-hans`"
                } else {
                    "a port code such as `es`, or `<version>/<port>` such as `2.1/es`"
                };
                let message = format!("[{table}] key `{}` is not {expected}", key.get_ref());
                self.error(key.span(), "bad key", message);
            }
            if titles.get_ref().is_empty() {
                let message = format!("[{table}] `{}` has no titles", key.get_ref());
                self.error(titles.span(), "empty list", message);
            }
            let mut list: Vec<String> = Vec::new();
            for title in titles.get_ref() {
                let text = title.get_ref();
                if text.trim() != text || text.is_empty() {
                    let message =
                        format!("title `{text}` is empty or has leading or trailing whitespace");
                    self.error(title.span(), "untrimmed title", message);
                } else if list.contains(text) {
                    let message = format!("title `{text}` is listed twice");
                    self.error(title.span(), "duplicate title", message);
                } else {
                    list.push(text.clone());
                }
            }
            out.insert(key.get_ref().clone(), list);
        }
        out
    }
}

/// The elements spelled by a license code such as `by-nd-nc`, or `None` if it is not one.
pub(super) fn code_elements(code: &str) -> Option<Elements> {
    let mut elements = Elements::default();
    for part in code.split('-') {
        let slot = match part {
            "by" => &mut elements.by,
            "nc" => &mut elements.nc,
            "nd" => &mut elements.nd,
            "sa" => &mut elements.sa,
            _ => return None,
        };
        if *slot {
            return None;
        }
        *slot = true;
    }
    Some(elements)
}

/// `BY`, `NC`, `ND`, `SA` for the elements set, in that order.
pub(super) fn element_names(elements: Elements) -> Vec<&'static str> {
    let flags = [elements.by, elements.nc, elements.nd, elements.sa];
    ELEMENTS
        .iter()
        .zip(flags)
        .filter_map(|(name, on)| on.then_some(*name))
        .collect()
}

/// `CC-` and the elements in canonical order: `CC-BY-NC-ND`, `CC-NC-SA`.
fn family_name(elements: Elements) -> String {
    let mut family = String::from("CC");
    for name in element_names(elements) {
        family.push('-');
        family.push_str(name);
    }
    family
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b == b'+'))
}

fn is_jurisdiction(s: &str) -> bool {
    s.len() >= 2 && s.bytes().all(|b| b.is_ascii_lowercase())
}

fn is_lang_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()));
    primary_ok
        && parts.all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn is_port_key(s: &str) -> bool {
    match s.split_once('/') {
        Some((version, juris)) => VERSIONS.contains(&version) && is_jurisdiction(juris),
        None => is_jurisdiction(s),
    }
}

/// Why a `share_alike` target is malformed, if it is.
fn check_target(target: &str) -> Result<(), &'static str> {
    let body = target.strip_suffix('*').unwrap_or(target);
    if body.is_empty() {
        return Err("it is empty");
    }
    if body.contains('*') {
        return Err("`*` may only end the target");
    }
    if !body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'+')
    {
        return Err("it may only contain letters, digits, `-`, `.` and `+`");
    }
    if target.ends_with('*') && !body.ends_with('-') {
        return Err("a prefix must end in `-*`");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error rendered as the command line shows it.
    fn rendered(error: &RuleError) -> String {
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .render_report(&mut out, error)
            .unwrap();
        out
    }

    #[test]
    fn errors_quote_only_the_offending_line() {
        let text = "# above\nid = 12\n# below\n";
        let error = parse("f.toml", text).unwrap_err().remove(0);
        assert_eq!((error.line, error.column), (2, 6));
        let out = rendered(&error);
        assert!(out.contains("[f.toml:2:6]"), "{out}");
        assert!(out.contains(" 2 │ id = 12"), "{out}");
        assert!(!out.contains("above") && !out.contains("below"), "{out}");
    }

    #[test]
    fn errors_clip_a_long_line_around_the_place() {
        let text = format!(
            "id = \"{}\" ¶ = 1 {}\n",
            "x".repeat(5_000),
            "y".repeat(5_000)
        );
        let error = parse("f.toml", &text).unwrap_err().remove(0);
        let out = rendered(&error);
        assert!(out.lines().all(|l| l.len() < 300), "{out}");
        assert!(out.contains("¶"), "{out}");
    }

    const GOOD: &str = r#"id = "CC-BY-SA-4.0"
family = "CC-BY-SA"
code = "by-sa"
version = "4.0"
kind = "license"
elements = ["BY", "SA"]
url = "https://creativecommons.org/licenses/by-sa/4.0/"
cure_days = 30

[verbatim]
credit = true
title = false
license_notice = true
license_link = true
source_link = "if-practicable"
change_notice = "always"

[adaptations]
shareable = true
share_alike = ["CC-BY-SA-4.0"]

[names]
en = ["Attribution-ShareAlike 4.0 International"]
"#;

    fn errors_of(text: &str) -> Vec<RuleError> {
        parse("rules/licenses/CC-BY-SA-4.0.toml", text).expect_err("the file is broken")
    }

    /// The one error of a broken file: its line, column, the text it points at, the message.
    fn one_error(text: &str) -> (usize, usize, String, String) {
        let errors = errors_of(text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        (
            e.line,
            e.column,
            text[e.span.clone()].to_owned(),
            e.message.clone(),
        )
    }

    #[test]
    fn a_good_file_parses() {
        let rule = parse("rules/licenses/CC-BY-SA-4.0.toml", GOOD).expect("valid");
        assert_eq!(rule.id, "CC-BY-SA-4.0");
        assert_eq!(rule.version.as_deref(), Some("4.0"));
        assert_eq!(rule.jurisdiction, None);
        assert!(rule.elements.by && rule.elements.sa && !rule.elements.nc);
        assert_eq!(rule.cure_days, Some(30));
        assert_eq!(rule.verbatim.source_link, SourceLinkRule::IfPracticable);
        assert_eq!(
            rule.names["en"],
            ["Attribution-ShareAlike 4.0 International"]
        );
    }

    #[test]
    fn syntax_error_points_at_the_bad_token() {
        let text = GOOD.replace("kind = \"license\"", "kind = license");
        let (line, column, _, message) = one_error(&text);
        assert_eq!((line, column), (5, 8));
        assert!(
            message.contains("string values must be quoted"),
            "{message}"
        );
    }

    #[test]
    fn unknown_key_points_at_the_key() {
        let text = GOOD.replace("title = false", "titel = false");
        let (line, column, at, message) = one_error(&text);
        assert_eq!((line, column, at.as_str()), (12, 1, "titel"));
        assert!(message.contains("unknown field `titel`"), "{message}");
    }

    #[test]
    fn bad_element_points_at_the_element() {
        let text = GOOD.replace(r#"["BY", "SA"]"#, r#"["BY", "XY"]"#);
        let errors = errors_of(&text);
        let e = &errors[0];
        assert_eq!((e.line, e.column), (6, 19));
        assert_eq!(&text[e.span.clone()], "\"XY\"");
        assert_eq!(
            e.message,
            "unknown element `XY`; expected one of BY, NC, ND, SA"
        );
        assert_eq!(
            e.to_string(),
            "rules/licenses/CC-BY-SA-4.0.toml:6:19: unknown element `XY`; expected one of BY, NC, ND, SA"
        );
    }

    #[test]
    fn bad_version_points_at_the_version() {
        let text = GOOD.replace(r#"version = "4.0""#, r#"version = "5.0""#);
        let errors = errors_of(&text);
        let e = &errors[0];
        assert_eq!((e.line, e.column), (4, 11));
        assert_eq!(&text[e.span.clone()], "\"5.0\"");
        assert_eq!(
            e.message,
            "version `5.0` is not a CC version (1.0, 2.0, 2.1, 2.5, 3.0, 4.0)"
        );
    }

    #[test]
    fn id_mismatch_points_at_the_id() {
        let text = GOOD.replace(r#"id = "CC-BY-SA-4.0""#, r#"id = "CC-BY-4.0""#);
        let (line, column, at, message) = one_error(&text);
        assert_eq!((line, column, at.as_str()), (1, 6, "\"CC-BY-4.0\""));
        assert_eq!(
            message,
            "id `CC-BY-4.0` does not match code `by-sa` and version `4.0`; expected `CC-BY-SA-4.0` or `LicenseRef-ccguard-by-sa-4.0`"
        );
    }

    #[test]
    fn malformed_share_alike_target_is_reported() {
        let text = GOOD.replace(r#"["CC-BY-SA-4.0"]"#, r#"["CC-BY-SA-*-4.0"]"#);
        let (line, column, at, message) = one_error(&text);
        assert_eq!((line, column, at.as_str()), (20, 16, "\"CC-BY-SA-*-4.0\""));
        assert!(message.contains("`*` may only end the target"), "{message}");
    }

    #[test]
    fn every_error_in_a_file_is_reported() {
        let text = GOOD
            .replace(r#"version = "4.0""#, r#"version = "5.0""#)
            .replace(
                r#"source_link = "if-practicable""#,
                r#"source_link = "maybe""#,
            );
        let lines: Vec<usize> = errors_of(&text).iter().map(|e| e.line).collect();
        assert_eq!(lines, [4, 15]);
    }

    #[test]
    fn duplicate_ids_across_files_are_reported() {
        let files = vec![
            ("a/CC-BY-SA-4.0.toml".to_owned(), GOOD.to_owned()),
            ("b/CC-BY-SA-4.0.toml".to_owned(), GOOD.to_owned()),
        ];
        let errors = parse_all(files).expect_err("duplicate");
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "b/CC-BY-SA-4.0.toml:1:6: duplicate id `CC-BY-SA-4.0`: also defined in a/CC-BY-SA-4.0.toml; ids must be unique within a directory"
        );
    }

    #[test]
    fn dir_prefers_the_licenses_folder_and_reports_all_files() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let licenses = tmp.path().join("licenses");
        fs::create_dir(&licenses).expect("mkdir");
        fs::write(licenses.join("CC-BY-SA-4.0.toml"), GOOD).expect("write");
        fs::write(tmp.path().join("ignored.toml"), "not toml at all").expect("write");
        let rules = dir(tmp.path()).expect("loads");
        assert_eq!(rules.len(), 1);
        fs::write(licenses.join("broken.toml"), "id = ").expect("write");
        fs::write(licenses.join("other.toml"), "x = 1").expect("write");
        let errors = dir(tmp.path()).expect_err("broken files");
        assert_eq!(errors.len(), 2);
        assert!(errors[0].file.ends_with("broken.toml"));
        assert!(errors[1].file.ends_with("other.toml"));
    }

    #[test]
    fn bundled_rules_load_without_errors() {
        let registry = match bundled() {
            Ok(registry) => registry,
            Err(errors) => panic!(
                "{}",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        };
        assert_eq!(registry.licenses.len(), 61);
    }
}
