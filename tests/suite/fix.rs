//! `ccguard fix` as a process on real files in a temp dir: each fix kind in Markdown and HTML
//! with the exact text it writes, `--diff`, idempotence, `check` after `fix`, the findings
//! never fixed, bytes kept outside the edits (CRLF, BOM, front matter, a Latin-1 page), and a
//! file changed while being fixed. Facts from a verified original come from a real HTTP server
//! on 127.0.0.1.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use tiny_http::{Header, Response, Server};

fn ccguard(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ccguard").expect("binary");
    cmd.current_dir(dir)
        .env_remove("CCGUARD_OFFLINE")
        .env("NO_COLOR", "1");
    cmd
}

/// Run `ccguard fix ARGS…` in `dir`: (exit code, stdout, stderr).
fn fix(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = ccguard(dir)
        .arg("fix")
        .args(args)
        .output()
        .expect("run ccguard fix");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// The rule ids `check --offline` reports for `file` (with `extra` flags), sorted.
fn rules_after(dir: &Path, file: &str, extra: &[&str]) -> Vec<String> {
    let out = ccguard(dir)
        .args(["check", "--format", "json", "--fail-on", "never", file])
        .args(extra)
        .output()
        .expect("run ccguard check");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut rules: Vec<String> = json["documents"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_owned())
        .collect();
    rules.sort();
    rules
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write post");
    path
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read post")
}

const MD_UNLINKED: &str = "---\ntitle: \"Fixing bicycles, one Saturday at a time\"\nauthor: \"Samir Haddad\"\n---\n\nEvery Saturday morning, a car park behind the Westgate flats turns into a bicycle workshop.\n\nOriginally published at [The Westgate Chronicle](https://example.org/local/fixing-bicycles).\nLicensed under CC BY-SA 4.0.\n";

const HTML_UNLINKED: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>How a village museum digitised its letters</title>\n</head>\n<body>\n  <main>\n    <article>\n      <h1>How a village museum digitised its letters</h1>\n      <p class=\"byline\">By Chloe Ashworth</p>\n      <p>The museum in Upper Fenwick is one room above the post office.</p>\n      <p>Originally published at\n      <a href=\"https://example.org/history/letters\">Local History Monthly</a>\n      under a Creative Commons Attribution 4.0 International License.</p>\n    </article>\n  </main>\n</body>\n</html>\n";

#[test]
fn links_an_unlinked_license_in_markdown_then_has_nothing_left_to_fix() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "post.md", MD_UNLINKED.as_bytes());
    assert_eq!(
        rules_after(dir.path(), "post.md", &["--offline"]),
        ["missing-license-link"]
    );
    let (code, stdout, _) = fix(dir.path(), &["--offline", "post.md"]);
    assert_eq!(
        (code, stdout.as_str()),
        (
            0,
            "post.md: fixed missing-license-link: link CC BY-SA 4.0 to its deed\n"
        )
    );
    assert_eq!(
        read(&path),
        MD_UNLINKED.replace(
            "Licensed under CC BY-SA 4.0.",
            "Licensed under [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)."
        )
    );
    assert!(rules_after(dir.path(), "post.md", &["--offline"]).is_empty());
    // A second run changes nothing and says nothing.
    let fixed = read(&path);
    assert_eq!(
        fix(dir.path(), &["--offline", "post.md"]),
        (0, String::new(), String::new())
    );
    assert_eq!(read(&path), fixed);
}

#[test]
fn links_an_unlinked_license_in_html_with_rel_license() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "post.html", HTML_UNLINKED.as_bytes());
    let (code, stdout, _) = fix(dir.path(), &["--offline", "post.html"]);
    assert_eq!(
        (code, stdout.as_str()),
        (
            0,
            "post.html: fixed missing-license-link: link CC BY 4.0 to its deed\n"
        )
    );
    assert_eq!(
        read(&path),
        HTML_UNLINKED.replace(
            "under a Creative Commons Attribution 4.0 International License.",
            "under a <a href=\"https://creativecommons.org/licenses/by/4.0/\" rel=\"license\">Creative Commons Attribution 4.0 International License</a>."
        )
    );
    assert!(rules_after(dir.path(), "post.html", &["--offline"]).is_empty());
    let fixed = read(&path);
    assert_eq!(fix(dir.path(), &["--offline", "post.html"]).1, "");
    assert_eq!(read(&path), fixed);
}

#[test]
fn diff_prints_the_fix_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "post.md", MD_UNLINKED.as_bytes());
    let (code, stdout, stderr) = fix(dir.path(), &["--offline", "--diff", "post.md"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "--- a/post.md\n+++ b/post.md\n@@ -6,4 +6,4 @@\n Every Saturday morning, a car park behind the Westgate flats turns into a bicycle workshop.\n \n Originally published at [The Westgate Chronicle](https://example.org/local/fixing-bicycles).\n-Licensed under CC BY-SA 4.0.\n+Licensed under [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/).\n"
    );
    assert_eq!(
        stderr,
        "post.md: would fix missing-license-link: link CC BY-SA 4.0 to its deed\n"
    );
    assert_eq!(read(&path), MD_UNLINKED);
}

const MD_TRANSLATED: &str = "---\ntitle: \"El regreso silencioso de los trenes nocturnos\"\nauthor: \"Helen Marsh\"\n---\n\nHace diez años, la mayoría de las compañías europeas suprimían sus trenes nocturnos. Hoy se\nabren nuevas líneas cada invierno, de Bruselas a Praga y de Viena a Roma.\n\nLos viajeros buscan sobre todo una alternativa al avión. «Te duermes en una ciudad y te\ndespiertas en otra, sin aeropuerto», resume una revisora de la línea París–Berlín.\n\nArtículo original: [\"The quiet return of night trains\"](https://example.org/travel/the-quiet-return-of-night-trains),\nde Helen Marsh, publicado en The Harbour Review bajo licencia\n[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/deed.es).\n";

#[test]
fn adds_a_translation_notice_naming_the_original_language_in_markdown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "post.md", MD_TRANSLATED.as_bytes());
    assert_eq!(
        rules_after(dir.path(), "post.md", &["--offline"]),
        ["missing-translation-disclosure"]
    );
    let (code, stdout, _) = fix(dir.path(), &["--offline", "post.md"]);
    assert_eq!(
        (code, stdout.as_str()),
        (
            0,
            "post.md: fixed missing-translation-disclosure: say it is translated from the English\n"
        )
    );
    assert_eq!(
        read(&path),
        format!("{MD_TRANSLATED}\nTranslated from the English.\n")
    );
    assert!(rules_after(dir.path(), "post.md", &["--offline"]).is_empty());
    assert_eq!(fix(dir.path(), &["--offline", "post.md"]).1, "");
}

const HTML_TRANSLATED: &str = "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>Le retour discret des trains de nuit</title>\n</head>\n<body>\n  <main>\n    <article>\n      <h1>Le retour discret des trains de nuit</h1>\n      <p>Par Helen Marsh</p>\n      <p>Il y a dix ans, la plupart des compagnies européennes supprimaient leurs trains de nuit.\n      Aujourd'hui, de nouvelles lignes ouvrent chaque hiver, de Bruxelles à Prague et de Vienne à\n      Rome.</p>\n      <p>Les voyageurs y cherchent surtout une alternative à l'avion. « On s'endort dans une ville et\n      on se réveille dans une autre, sans aéroport », résume une contrôleuse de la ligne Paris–Berlin.</p>\n      <p>Article original : <a href=\"https://example.org/travel/the-quiet-return-of-night-trains\">The quiet\n      return of night trains</a>, The Harbour Review, sous licence\n      <a href=\"https://creativecommons.org/licenses/by/4.0/deed.fr\">CC BY 4.0</a>.</p>\n    </article>\n  </main>\n  <footer><p>Rails &amp; Routes</p></footer>\n</body>\n</html>\n";

#[test]
fn adds_a_translation_notice_inside_the_html_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "post.html", HTML_TRANSLATED.as_bytes());
    let (code, stdout, _) = fix(dir.path(), &["--offline", "post.html"]);
    assert_eq!(
        (code, stdout.as_str()),
        (
            0,
            "post.html: fixed missing-translation-disclosure: say it is translated from the English\n"
        )
    );
    assert_eq!(
        read(&path),
        HTML_TRANSLATED.replace(
            "</p>\n    </article>",
            "</p>\n      <p>Translated from the English.</p>\n    </article>"
        )
    );
    assert!(rules_after(dir.path(), "post.html", &["--offline"]).is_empty());
}

/// An original page on 127.0.0.1: "The quiet return of night trains" by Helen Marsh under CC
/// BY-NC 4.0. `on_request` runs before each answer.
fn original_server(on_request: impl Fn() + Send + 'static) -> (String, Arc<AtomicUsize>) {
    let server = Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
    let url = format!("http://{}/story", server.server_addr());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            counter.fetch_add(1, Ordering::SeqCst);
            on_request();
            let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                <title>The quiet return of night trains</title>\
                <meta name=\"author\" content=\"Helen Marsh\"></head><body><article>\
                <h1>The quiet return of night trains</h1><p>By Helen Marsh</p>\
                <p>Ten years ago most European rail companies were cutting their night trains. \
                Today new lines open every winter, from Brussels to Prague and from Vienna to \
                Rome, and travellers are coming back to them.</p>\
                <p>This article is licensed under <a rel=\"license\" \
                href=\"https://creativecommons.org/licenses/by-nc/4.0/\">CC BY-NC 4.0</a>.</p>\
                </article></body></html>";
            let header =
                Header::from_bytes("Content-Type", "text/html; charset=utf-8").expect("header");
            let _ = request.respond(Response::from_string(page).with_header(header));
        }
    });
    (url, hits)
}

fn online(cache: &Path) -> Vec<String> {
    vec![
        "--allow-private-hosts".to_owned(),
        "--cache-dir".to_owned(),
        cache.display().to_string(),
    ]
}

#[test]
fn adds_the_version_and_the_credit_line_from_the_verified_original_in_markdown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache dir");
    let (url, _) = original_server(|| {});
    let post = format!(
        "---\ntitle: \"Night trains are back\"\n---\n\nTen years ago most European rail companies were cutting their night trains. Today new\nlines open every winter, from Brussels to Prague and from Vienna to Rome.\n\nRepublished from [The Harbour Review]({url}) under a CC BY-NC license.\n"
    );
    let path = write(dir.path(), "post.md", post.as_bytes());
    let flags = online(cache.path());
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    assert_eq!(
        rules_after(dir.path(), "post.md", &flags),
        [
            "license-version-missing",
            "missing-author-credit",
            "missing-license-link"
        ]
    );
    let mut args = flags.clone();
    args.push("post.md");
    let (code, stdout, _) = fix(dir.path(), &args);
    assert_eq!(
        (code, stdout.as_str()),
        (
            0,
            "post.md: fixed missing-author-credit: add the credit line (title, author, source, license)\n\
             post.md: fixed license-version-missing: name it CC BY-NC 4.0\n"
        )
    );
    assert_eq!(
        read(&path),
        format!(
            "---\ntitle: \"Night trains are back\"\n---\n\nTen years ago most European rail companies were cutting their night trains. Today new\nlines open every winter, from Brussels to Prague and from Vienna to Rome.\n\nRepublished from [The Harbour Review]({url}) under a [CC BY-NC 4.0](https://creativecommons.org/licenses/by-nc/4.0/) license.\n\n[\"The quiet return of night trains\"]({url}) by Helen Marsh is licensed under [CC BY-NC 4.0](https://creativecommons.org/licenses/by-nc/4.0/).\n"
        )
    );
    assert!(rules_after(dir.path(), "post.md", &flags).is_empty());
    assert_eq!(fix(dir.path(), &args).1, "");
}

#[test]
fn adds_the_credit_line_before_the_html_article_closes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache dir");
    let (url, _) = original_server(|| {});
    let post = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Night trains are back</title></head>\n<body>\n  <article>\n    <h1>Night trains are back</h1>\n    <p>Ten years ago most European rail companies were cutting their night trains. Today new\n    lines open every winter, from Brussels to Prague and from Vienna to Rome.</p>\n    <p>Republished from <a href=\"{url}\">The Harbour Review</a> under\n    <a href=\"https://creativecommons.org/licenses/by-nc/4.0/\">CC BY-NC 4.0</a>.</p>\n  </article>\n</body>\n</html>\n"
    );
    let path = write(dir.path(), "post.html", post.as_bytes());
    let flags = online(cache.path());
    let mut args: Vec<&str> = flags.iter().map(String::as_str).collect();
    assert_eq!(
        rules_after(dir.path(), "post.html", &args),
        ["missing-author-credit"]
    );
    args.push("post.html");
    let (code, stdout, _) = fix(dir.path(), &args);
    assert_eq!(
        (code, stdout.as_str()),
        (
            0,
            "post.html: fixed missing-author-credit: add the credit line (title, author, source, license)\n"
        )
    );
    let credit = format!(
        "    <p xmlns:cc=\"http://creativecommons.org/ns#\" xmlns:dct=\"http://purl.org/dc/terms/\"><a property=\"dct:title\" rel=\"cc:attributionURL\" href=\"{url}\">The quiet return of night trains</a> by <span property=\"cc:attributionName\">Helen Marsh</span> is licensed under <a href=\"https://creativecommons.org/licenses/by-nc/4.0/\" rel=\"license noopener noreferrer\">CC BY-NC 4.0</a></p>\n"
    );
    assert_eq!(
        read(&path),
        post.replace("  </article>", &format!("{credit}  </article>"))
    );
    args.pop();
    assert!(rules_after(dir.path(), "post.html", &args).is_empty());
}

#[test]
fn findings_that_need_a_person_are_never_fixed() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    for (rule, fixture) in [
        ("nd-adaptation", "nd-adaptation/fail-nd-translation.md"),
        ("sa-relicensed", "sa-relicensed/fail-nc-sa-translation.md"),
        (
            "conflicting-notice",
            "conflicting-notice/fail-two-licenses.md",
        ),
        (
            "conflicting-notice",
            "conflicting-notice/fail-arr-footer.html",
        ),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let bytes = std::fs::read(root.join(fixture)).expect("fixture");
        let name = fixture.rsplit('/').next().expect("name");
        let path = write(dir.path(), name, &bytes);
        let (code, stdout, _) = fix(dir.path(), &["--offline", name]);
        assert_eq!(code, 1, "{fixture}: {stdout}");
        assert!(
            stdout.contains(&format!(": left {rule} (error)")),
            "{fixture}: {stdout}"
        );
        assert!(!stdout.contains(": fixed "), "{fixture}: {stdout}");
        assert_eq!(std::fs::read(&path).expect("read"), bytes, "{fixture}");
    }
    // NC beside ads stays reported; its own notice may still be fixed around it.
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes =
        std::fs::read(root.join("nc-commercial-context/fail-sponsored.md")).expect("fixture");
    write(dir.path(), "nc.md", &bytes);
    let (_, stdout, _) = fix(dir.path(), &["--offline", "--fail-on", "warning", "nc.md"]);
    assert!(
        stdout.contains(": left nc-commercial-context (warning)"),
        "{stdout}"
    );
    assert!(!stdout.contains("fixed nc-commercial-context"), "{stdout}");
}

#[test]
fn crlf_bom_and_front_matter_are_kept_byte_for_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let before = format!("\u{feff}{}", MD_UNLINKED.replace('\n', "\r\n"));
    let path = write(dir.path(), "post.md", before.as_bytes());
    let (code, stdout, _) = fix(dir.path(), &["--offline", "post.md"]);
    assert_eq!(code, 0, "{stdout}");
    let expected = before.replace(
        "Licensed under CC BY-SA 4.0.",
        "Licensed under [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/).",
    );
    assert_eq!(std::fs::read(&path).expect("read"), expected.as_bytes());

    // A translation notice appended to a CRLF file ends its lines with CRLF too.
    let before = MD_TRANSLATED.replace('\n', "\r\n");
    let path = write(dir.path(), "es.md", before.as_bytes());
    fix(dir.path(), &["--offline", "es.md"]);
    assert_eq!(
        read(&path),
        format!("{before}\r\nTranslated from the English.\r\n")
    );
}

#[test]
fn a_latin1_page_keeps_its_bytes_and_gets_ascii_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let before: &[u8] = b"<!DOCTYPE html>\n<html lang=\"fr\">\n<head><meta charset=\"iso-8859-1\"><title>Caf\xe9s du L\xe9man</title></head>\n<body>\n<article>\n<h1>Caf\xe9s du L\xe9man</h1>\n<p class=\"byline\">Par H\xe9l\xe8ne Fournier</p>\n<p>Les caf\xe9s du bord du lac rouvrent chaque printemps, et leurs terrasses se remplissent d\xe8s le premier soleil.</p>\n<p>Originally published in <a href=\"https://example.org/gazette/cafes\">La Gazette</a>, sous licence CC BY 4.0.</p>\n</article>\n</body>\n</html>\n";
    let path = write(dir.path(), "page.html", before);
    let (code, stdout, _) = fix(dir.path(), &["--offline", "page.html"]);
    assert_eq!(
        (code, stdout.as_str()),
        (
            0,
            "page.html: fixed missing-license-link: link CC BY 4.0 to its deed\n\
             page.html:3:44: left malformed-input (info): the file is not valid UTF-8; invalid bytes were replaced\n"
        )
    );
    let mut expected = before.to_vec();
    let at = before
        .windows(9)
        .position(|w| w == b"CC BY 4.0")
        .expect("claim");
    expected.splice(at + 9..at + 9, b"</a>".iter().copied());
    expected.splice(
        at..at,
        b"<a href=\"https://creativecommons.org/licenses/by/4.0/\" rel=\"license\">"
            .iter()
            .copied(),
    );
    assert_eq!(std::fs::read(&path).expect("read"), expected);
}

#[test]
fn a_file_changed_while_being_fixed_is_reported_and_not_overwritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache dir");
    let path = dir.path().join("post.md");
    let edited = "An editor's newer draft.\n";
    let target = path.clone();
    // The original is fetched while the post is checked, after it was read: the editor saves
    // a newer draft at that moment.
    let (url, hits) = original_server(move || {
        std::fs::write(&target, edited).expect("edit the post");
    });
    let post = format!(
        "---\ntitle: \"Night trains are back\"\n---\n\nBy Helen Marsh. Ten years ago most European rail companies were cutting their night\ntrains.\n\nRepublished from [The Harbour Review]({url}) under CC BY-NC 4.0.\n"
    );
    std::fs::write(&path, &post).expect("write post");
    let flags = online(cache.path());
    let mut args: Vec<&str> = flags.iter().map(String::as_str).collect();
    args.push("post.md");
    let (code, stdout, _) = fix(dir.path(), &args);
    assert!(hits.load(Ordering::SeqCst) >= 1, "the original was fetched");
    assert_eq!(
        stdout.lines().next(),
        Some(
            "post.md: not fixed: the file changed while it was being fixed; it was left as it is now (run fix again)"
        ),
        "{stdout}"
    );
    let column = post
        .lines()
        .nth(7)
        .and_then(|l| l.find("CC BY-NC"))
        .expect("claim")
        + 1;
    assert!(
        stdout.contains(&format!(
            "post.md:8:{column}: left missing-license-link (warning)"
        )),
        "{stdout}"
    );
    // A warning is below the default --fail-on error.
    assert_eq!(code, 0);
    assert_eq!(read(&path), edited);
}

#[test]
fn urls_are_refused_and_stdin_is_fixed_to_stdout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, stderr) = fix(dir.path(), &["https://example.org/post"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: https://example.org/post: a URL cannot be fixed in place; save the page and fix the file (or `ccguard check` the URL)\n"
    );
    let out = ccguard(dir.path())
        .args(["fix", "--offline", "--stdin-format", "markdown", "-"])
        .write_stdin(MD_UNLINKED)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).expect("utf-8"),
        MD_UNLINKED.replace(
            "Licensed under CC BY-SA 4.0.",
            "Licensed under [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)."
        )
    );
    assert_eq!(
        String::from_utf8(out.stderr).expect("utf-8"),
        "-: fixed missing-license-link: link CC BY-SA 4.0 to its deed\n"
    );
}

#[test]
fn a_bug_while_fixing_leaves_the_file_and_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "post.md", MD_UNLINKED.as_bytes());
    write(dir.path(), "other.md", MD_UNLINKED.as_bytes());
    let out = ccguard(dir.path())
        .args(["fix", "--offline", "post.md", "other.md"])
        .env(ccguard::check::TEST_PANIC_VAR, "post.md")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    // The panic's place (file:line) is quoted between these.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(
            "post.md: not fixed: checking this file hit a bug in ccguard (CCGUARD_TEST_PANIC names this file, at "
        ) && stderr.ends_with("); please report it; the file was left as it is\n")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
    // The other file is still fixed.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "other.md: fixed missing-license-link: link CC BY-SA 4.0 to its deed\n"
    );
    assert_eq!(read(&path), MD_UNLINKED);
}

#[test]
fn every_fixture_pair_before_becomes_after_and_stays() {
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/fix");
    let mut pairs = 0;
    for kind in std::fs::read_dir(&base).expect("fixtures/fix") {
        let kind = kind.expect("entry").path();
        // media-credit/ needs its media's sources online: tests/suite/media.rs serves them.
        if !kind.is_dir() || kind.ends_with("media-credit") {
            continue;
        }
        for ext in ["md", "html"] {
            let before = std::fs::read(kind.join(format!("before.{ext}"))).expect("before");
            let after = std::fs::read(kind.join(format!("after.{ext}"))).expect("after");
            let what = format!("{}/before.{ext}", kind.display());
            let dir = tempfile::tempdir().expect("tempdir");
            let name = format!("post.{ext}");
            let path = write(dir.path(), &name, &before);
            assert!(
                !rules_after(dir.path(), &name, &["--offline"]).is_empty(),
                "{what}"
            );
            let (code, stdout, _) = fix(dir.path(), &["--offline", &name]);
            assert_eq!(code, 0, "{what}: {stdout}");
            assert!(stdout.contains(": fixed "), "{what}: {stdout}");
            assert!(!stdout.contains(": left "), "{what}: {stdout}");
            assert_eq!(
                String::from_utf8_lossy(&std::fs::read(&path).expect("read")),
                String::from_utf8_lossy(&after),
                "{what}"
            );
            assert!(
                rules_after(dir.path(), &name, &["--offline"]).is_empty(),
                "{what}"
            );
            assert_eq!(
                fix(dir.path(), &["--offline", &name]),
                (0, String::new(), String::new()),
                "{what}: a second run"
            );
            assert_eq!(std::fs::read(&path).expect("read"), after, "{what}");
            pairs += 1;
        }
    }
    assert_eq!(pairs, 8, "four kinds, each in Markdown and HTML");
}

#[cfg(unix)]
#[test]
fn a_linked_file_is_fixed_through_its_link_which_stays_a_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = write(dir.path(), "real.md", MD_UNLINKED.as_bytes());
    std::os::unix::fs::symlink("real.md", dir.path().join("link.md")).expect("symlink");
    let (code, stdout, _) = fix(dir.path(), &["--offline", "link.md"]);
    assert_eq!(
        (code, stdout.as_str()),
        (
            0,
            "link.md: fixed missing-license-link: link CC BY-SA 4.0 to its deed\n"
        )
    );
    assert!(
        std::fs::symlink_metadata(dir.path().join("link.md"))
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(
        read(&target).contains("[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)")
    );
}

#[test]
fn findings_left_at_or_above_fail_on_make_exit_code_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    // No byline and no license: nothing tells who wrote it, so nothing can be fixed.
    let post = "Originally published at [The Harbour Review](https://example.org/story).\n\nA short story about lighthouses.\n";
    write(dir.path(), "post.md", post.as_bytes());
    let (code, stdout, _) = fix(dir.path(), &["--offline", "post.md"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("post.md:1:1: left missing-license-notice (error)"),
        "{stdout}"
    );
    assert_eq!(
        fix(dir.path(), &["--offline", "--fail-on", "never", "post.md"]).0,
        0
    );
    assert_eq!(read(&dir.path().join("post.md")), post);
}
