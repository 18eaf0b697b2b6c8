//! `ccguard report --format html`: the compliance report as ONE self-contained HTML page — inline
//! CSS, inline SVG bar charts and a small inline script that makes the posts table sortable (the
//! table is pre-sorted and fully readable without it). No external scripts, styles, fonts or
//! images, and a Content-Security-Policy that forbids loading any. Every string taken from the
//! posts (paths, names, hosts, messages, help texts) is escaped, control characters included, and
//! none becomes a link: the only links are to the report's own sections. The output is
//! deterministic apart from its date, which `SOURCE_DATE_EPOCH` pins.

use std::fmt::Write as _;
use std::io;

use super::site::{NO_LICENSE, PostRow, RuleCount, SEVERITIES, SiteReport, Verdict};
use crate::diagnostic::Severity;

/// Write the report as an HTML document.
pub fn write(report: &SiteReport<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let mut html = String::with_capacity(32 * 1024);
    head(&mut html);
    header(&mut html, report);
    html.push_str("<main>\n");
    totals(&mut html, report);
    charts(&mut html, report);
    posts(&mut html, &report.posts);
    findings(&mut html, &report.posts);
    legend(&mut html, report);
    inventories(&mut html, report);
    media(&mut html, report);
    run(&mut html, report);
    html.push_str("</main>\n");
    let _ = writeln!(html, "<script>{SCRIPT}</script>\n</body>\n</html>");
    out.write_all(html.as_bytes())
}

/// Escape text for element content and quoted attribute values; control characters (invalid in
/// HTML, and a line break would split a path) are shown as `\u{1b}`.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c if c.is_control() => {
                let _ = write!(escaped, "\\u{{{:x}}}", u32::from(c));
            }
            _ => escaped.push(c),
        }
    }
    escaped
}

fn head(html: &mut String) {
    let _ = writeln!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <title>Creative Commons compliance report</title>\n<style>{STYLE}</style>\n</head>\n<body>"
    );
}

fn header(html: &mut String, report: &SiteReport<'_>) {
    let _ = writeln!(
        html,
        "<header><h1>Creative Commons compliance report</h1>\n<p>{} checked, {} of them reposts, by ccguard {} on <time>{}</time>.</p></header>",
        plural(report.summary.documents, "post", "posts"),
        report.reposts,
        escape(&report.run.version),
        report.run.generated_utc()
    );
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

fn totals(html: &mut String, report: &SiteReport<'_>) {
    let s = &report.summary;
    let cards = [
        ("documents", "posts", s.documents, ""),
        ("reposts", "reposts", report.reposts, ""),
        ("errors", "errors", s.errors, " s-error"),
        ("warnings", "warnings", s.warnings, " s-warning"),
        ("infos", "infos", s.infos, " s-info"),
        ("suppressed", "suppressed", report.suppressed, ""),
    ];
    html.push_str("<section class=\"totals\" aria-label=\"Totals\">\n");
    for (key, label, n, class) in cards {
        let _ = writeln!(
            html,
            "<div class=\"card total{class}\" data-total=\"{key}\"><span class=\"n\">{n}</span><span class=\"k\">{label}</span></div>"
        );
    }
    html.push_str("</section>\n");
}

/// One bar of a chart: a label and coloured segments (CSS class, what it counts, count).
struct Bar<'a> {
    label: &'a str,
    segments: Vec<(&'static str, &'static str, usize)>,
}

impl Bar<'_> {
    fn total(&self) -> usize {
        self.segments.iter().map(|(_, _, n)| n).sum()
    }
}

fn charts(html: &mut String, report: &SiteReport<'_>) {
    html.push_str("<section class=\"charts\">\n");
    let rules: Vec<Bar<'_>> = report.by_rule.iter().map(rule_bar).collect();
    chart(
        html,
        "findings-by-rule",
        "Findings by rule and severity",
        &rules,
        "No findings.",
    );
    html.push_str(
        "<ul class=\"legend\"><li><span class=\"swatch s-error\"></span>error</li><li><span class=\"swatch s-warning\"></span>warning</li><li><span class=\"swatch s-info\"></span>info</li></ul>\n</figure>\n",
    );
    let licenses: Vec<Bar<'_>> = report
        .by_license
        .iter()
        .map(|(label, n)| Bar {
            label,
            segments: vec![(
                if label == NO_LICENSE {
                    "c-none"
                } else {
                    "c-license"
                },
                "posts",
                *n,
            )],
        })
        .collect();
    chart(
        html,
        "posts-by-license",
        "Posts by license",
        &licenses,
        "No posts.",
    );
    html.push_str("</figure>\n");
    let verdicts: Vec<Bar<'_>> = report
        .by_verdict
        .iter()
        .map(|(v, n)| Bar {
            label: v.label(),
            segments: vec![(verdict_class(*v), "posts", *n)],
        })
        .collect();
    chart(
        html,
        "posts-by-verdict",
        "Posts by verdict",
        &verdicts,
        "No posts.",
    );
    html.push_str("</figure>\n</section>\n");
}

fn rule_bar(count: &RuleCount) -> Bar<'_> {
    Bar {
        label: count.rule.as_str(),
        segments: vec![
            ("s-error", "errors", count.errors),
            ("s-warning", "warnings", count.warnings),
            ("s-info", "infos", count.infos),
        ],
    }
}

fn verdict_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Violations => "s-error",
        Verdict::Warnings => "s-warning",
        Verdict::Compliant => "c-ok",
        Verdict::NotRepost => "c-none",
    }
}

/// Width of the chart's coordinate system; the SVG scales to its container.
const CHART_WIDTH: usize = 400;
/// Room right of the longest bar for its count.
const COUNT_ROOM: usize = 44;
/// Height of one bar with its label above it.
const ROW_HEIGHT: usize = 38;

/// Open a `<figure>` with a horizontal bar chart (labels above bars, so they stay legible when
/// the chart shrinks to a phone's width). The caller closes the figure.
fn chart(html: &mut String, id: &str, title: &str, bars: &[Bar<'_>], empty: &str) {
    let _ = writeln!(
        html,
        "<figure class=\"card chart\" id=\"{id}\"><figcaption>{title}</figcaption>"
    );
    let max = bars.iter().map(Bar::total).max().unwrap_or(0);
    if max == 0 {
        let _ = writeln!(html, "<p class=\"empty\">{empty}</p>");
        return;
    }
    let height = bars.len() * ROW_HEIGHT + 4;
    let summary: Vec<String> = bars
        .iter()
        .map(|b| format!("{} {}", b.label, b.total()))
        .collect();
    let _ = writeln!(
        html,
        "<svg viewBox=\"0 0 {CHART_WIDTH} {height}\" width=\"100%\" role=\"img\" aria-label=\"{}: {}\" xmlns=\"http://www.w3.org/2000/svg\">",
        escape(title),
        escape(&summary.join(", "))
    );
    let scale = CHART_WIDTH - COUNT_ROOM;
    for (i, bar) in bars.iter().enumerate() {
        let y = i * ROW_HEIGHT;
        let _ = writeln!(
            html,
            "<text class=\"label\" x=\"0\" y=\"{}\">{}</text>",
            y + 14,
            escape(bar.label)
        );
        let mut x = 0;
        for (class, what, n) in &bar.segments {
            if *n == 0 {
                continue;
            }
            // At least 2 units wide so a count of 1 among hundreds stays visible.
            let width = (n * scale / max).max(2);
            let _ = writeln!(
                html,
                "<rect class=\"{class}\" x=\"{x}\" y=\"{}\" width=\"{width}\" height=\"14\" rx=\"2\"><title>{} — {what}: {n}</title></rect>",
                y + 20,
                escape(bar.label)
            );
            x += width;
        }
        let _ = writeln!(
            html,
            "<text class=\"count\" x=\"{}\" y=\"{}\">{}</text>",
            x + 6,
            y + 32,
            bar.total()
        );
    }
    html.push_str("</svg>\n");
}

fn posts(html: &mut String, posts: &[PostRow<'_>]) {
    html.push_str(
        "<section class=\"card\" aria-labelledby=\"posts-title\">\n<h2 id=\"posts-title\">Posts</h2>\n\
         <p class=\"note\">Most errors first, then most warnings, then by path. Click a column header to sort, a post to see its findings.</p>\n\
         <div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Posts table\">\n\
         <table id=\"posts\" class=\"sortable\">\n<thead><tr>\
         <th data-type=\"text\">Post</th><th data-type=\"num\">Verdict</th><th data-type=\"text\">License</th>\
         <th data-type=\"text\">Credited authors</th><th data-type=\"text\">Source outlet</th>\
         <th data-type=\"num\" class=\"num\">Errors</th><th data-type=\"num\" class=\"num\">Warnings</th>\
         <th data-type=\"num\" class=\"num\">Infos</th><th data-type=\"text\">Rules</th></tr></thead>\n<tbody>\n",
    );
    for (i, post) in posts.iter().enumerate() {
        post_row(html, i, post);
    }
    html.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn post_row(html: &mut String, index: usize, post: &PostRow<'_>) {
    let rank = Verdict::ALL
        .iter()
        .position(|v| *v == post.verdict)
        .unwrap_or(0);
    let license = post.license.map_or_else(none, escape);
    let authors = if post.authors.is_empty() {
        none()
    } else {
        post.authors
            .iter()
            .map(|a| escape(a))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let outlet = post.outlet.as_deref().map_or_else(none, escape);
    let rules = if post.rules.is_empty() {
        none()
    } else {
        post.rules
            .iter()
            .map(|r| format!("<code>{}</code>", escape(r.as_str())))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let severity = post.worst.map_or("none", Severity::as_str);
    let path = escape(post.path).replace('/', "/<wbr>");
    // A post with findings links to them; the link is the report's own anchor, never the post's.
    let path = if post.findings.is_empty() {
        path
    } else {
        format!("<a href=\"#post-{index}\">{path}</a>")
    };
    let _ = writeln!(
        html,
        "<tr data-severity=\"{severity}\"><td class=\"path\">{}</td>\
         <td data-value=\"{rank}\"><span class=\"badge {}\">{}</span></td>\
         <td class=\"license\">{license}</td><td>{authors}</td><td>{outlet}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"rules\">{rules}</td></tr>",
        path,
        verdict_class(post.verdict),
        post.verdict.label(),
        post.errors,
        post.warnings,
        post.infos,
    );
}

fn none() -> String {
    "<span class=\"none\">—</span>".to_owned()
}

/// Every finding of every post, in the posts table's order: place, severity, rule, message and
/// how to fix it.
fn findings(html: &mut String, posts: &[PostRow<'_>]) {
    html.push_str(
        "<section class=\"card\" id=\"findings\" aria-labelledby=\"findings-title\">\n\
         <h2 id=\"findings-title\">Findings</h2>\n",
    );
    if posts.iter().all(|p| p.findings.is_empty()) {
        html.push_str("<p class=\"empty\">No findings.</p>\n</section>\n");
        return;
    }
    for (i, post) in posts.iter().enumerate() {
        if post.findings.is_empty() {
            continue;
        }
        let path = escape(post.path);
        let _ = writeln!(
            html,
            "<article class=\"post-findings\" id=\"post-{i}\"><h3 class=\"path\">{}</h3>\n<ul>",
            path.replace('/', "/<wbr>")
        );
        for finding in &post.findings {
            let severity = finding.severity.as_str();
            let help = finding.help.map_or_else(String::new, |help| {
                format!("<p class=\"help\">Fix: {}</p>", escape(help))
            });
            let _ = writeln!(
                html,
                "<li class=\"finding\" data-severity=\"{severity}\"><p><span class=\"badge s-{severity}\">{severity}</span> \
                 <code>{}</code> <span class=\"place\">{path}:{}:{}</span></p>\
                 <p class=\"message\">{}</p>{help}</li>",
                escape(finding.rule.as_str()),
                finding.line,
                finding.column,
                escape(finding.message),
            );
        }
        html.push_str("</ul></article>\n");
    }
    html.push_str("</section>\n");
}

/// What the severities mean and what each rule id found in this report checks.
fn legend(html: &mut String, report: &SiteReport<'_>) {
    html.push_str(
        "<section class=\"card\" id=\"legend\" aria-labelledby=\"legend-title\">\n\
         <h2 id=\"legend-title\">Legend</h2>\n<dl>",
    );
    for (severity, meaning) in SEVERITIES {
        let name = severity.as_str();
        let _ = write!(
            html,
            "<dt><span class=\"badge s-{name}\">{name}</span></dt><dd>{}</dd>",
            escape(meaning)
        );
    }
    for (rule, summary) in &report.legend {
        let _ = write!(
            html,
            "<dt><code>{}</code></dt><dd>{}</dd>",
            escape(rule.as_str()),
            escape(summary)
        );
    }
    html.push_str("</dl>\n<p class=\"note\"><code>ccguard explain RULE</code> prints a rule's full documentation.</p>\n</section>\n");
}

fn inventories(html: &mut String, report: &SiteReport<'_>) {
    html.push_str("<section class=\"inventories\">\n");
    inventory(
        html,
        "authors",
        "Credited authors",
        "Author",
        &report.authors,
    );
    inventory(html, "outlets", "Source outlets", "Outlet", &report.outlets);
    html.push_str("</section>\n");
}

fn inventory(html: &mut String, id: &str, title: &str, what: &str, rows: &[(String, usize)]) {
    let _ = writeln!(html, "<div class=\"card\" id=\"{id}\"><h2>{title}</h2>");
    if rows.is_empty() {
        html.push_str("<p class=\"empty\">None found.</p>\n</div>\n");
        return;
    }
    let _ = writeln!(
        html,
        "<div class=\"table-wrap\"><table><thead><tr><th>{what}</th><th class=\"num\">Posts</th></tr></thead><tbody>"
    );
    for (name, n) in rows {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td class=\"num\">{n}</td></tr>",
            escape(name)
        );
    }
    html.push_str("</tbody></table></div>\n</div>\n");
}

/// The media-credits table: every CC medium with its post, credit, license and what its source
/// said. Left out of a report whose posts show no media at all.
fn media(html: &mut String, report: &SiteReport<'_>) {
    if report.media.is_empty() && report.other_media == 0 {
        return;
    }
    html.push_str("<section class=\"card\" id=\"media\"><h2>Media credits</h2>\n");
    let _ = writeln!(
        html,
        "<p class=\"note\">Photos, videos and audio under a CC license, by post; {} not under one (agency photos, media with no license named) {} not listed.</p>",
        plural(report.other_media, "other medium", "other media"),
        if report.other_media == 1 { "is" } else { "are" }
    );
    if report.media.is_empty() {
        html.push_str("<p class=\"empty\">None found.</p>\n</section>\n");
        return;
    }
    html.push_str(
        "<div class=\"table-wrap\"><table><thead><tr><th>Medium</th><th>Post</th><th>Credit</th>\
         <th>License</th><th>Verified</th></tr></thead><tbody>\n",
    );
    for row in &report.media {
        let credit = row.credit.map_or_else(none, escape);
        let credit = if row.incomplete {
            format!("{credit} <span class=\"badge s-error\">incomplete</span>")
        } else {
            credit
        };
        let _ = writeln!(
            html,
            "<tr><td>{} <code>{}</code></td><td><code>{}:{}:{}</code></td><td>{credit}</td><td>{}</td><td>{}</td></tr>",
            row.kind,
            escape(row.url).replace('/', "/<wbr>"),
            escape(row.post).replace('/', "/<wbr>"),
            row.line,
            row.column,
            row.license.map_or_else(|| "not named".to_owned(), escape),
            row.verified
        );
    }
    html.push_str("</tbody></table></div>\n</section>\n");
}

fn run(html: &mut String, report: &SiteReport<'_>) {
    let run = report.run;
    let config = run
        .config
        .as_deref()
        .map_or_else(|| "defaults (no config file)".to_owned(), escape);
    let mut rules = String::from("bundled");
    for dir in &run.rules_dirs {
        rules.push_str(", then ");
        rules.push_str(&escape(dir));
    }
    let inputs: Vec<String> = run
        .inputs
        .iter()
        .map(|i| format!("<code>{}</code>", escape(i)))
        .collect();
    let _ = writeln!(
        html,
        "<section class=\"card\" id=\"run\"><h2>Run</h2><dl>\
         <dt>Inputs</dt><dd>{}</dd>\
         <dt>Config</dt><dd>{config}</dd><dt>Rules</dt><dd>{rules}</dd>\
         <dt>ccguard</dt><dd>{}</dd><dt>Generated</dt><dd><time>{}</time></dd></dl></section>",
        inputs.join(" "),
        escape(&run.version),
        run.generated_utc()
    );
}

const STYLE: &str = "
:root{--error:#c0362c;--warning:#d98200;--info:#2f6fb5;--ok:#2e7d32;--none:#8b919a;--license:#5b5fc7;
--bg:#f4f5f7;--card:#fff;--text:#1c2230;--muted:#5d6572;--line:#e1e4e8}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
header{background:#1c2230;color:#fff;padding:20px 16px}
header h1{margin:0 auto;max-width:1200px;font-size:1.5rem}
header p{margin:4px auto 0;max-width:1200px;color:#c9ced6}
main{max-width:1200px;margin:0 auto;padding:16px;display:grid;grid-template-columns:minmax(0,1fr);gap:16px}
h2{font-size:1.1rem;margin:0 0 8px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px;min-width:0}
.totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:12px}
.total{display:flex;flex-direction:column;border-top:4px solid var(--line)}
.total .n{font-size:1.8rem;font-weight:700;line-height:1.1}
.total .k{color:var(--muted)}
.total.s-error{border-top-color:var(--error)}.total.s-warning{border-top-color:var(--warning)}.total.s-info{border-top-color:var(--info)}
.charts,.inventories{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px;align-items:start}
figure{margin:0}
figcaption{font-weight:600;margin-bottom:8px}
svg{display:block;max-width:100%;height:auto}
svg text{font:13px system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;fill:var(--text)}
svg text.count{fill:var(--muted)}
rect.s-error,.swatch.s-error{fill:var(--error);background:var(--error)}
rect.s-warning,.swatch.s-warning{fill:var(--warning);background:var(--warning)}
rect.s-info,.swatch.s-info{fill:var(--info);background:var(--info)}
rect.c-ok{fill:var(--ok)}rect.c-none{fill:var(--none)}rect.c-license{fill:var(--license)}
.legend{list-style:none;display:flex;gap:14px;padding:0;margin:8px 0 0;color:var(--muted);font-size:.9rem}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
.note,.empty{color:var(--muted);margin:0 0 8px}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f8f9fb}
th button{all:inherit;cursor:pointer;padding:0}
th button::after{content:'\\a0\\2195';color:var(--muted)}
th[aria-sort=ascending] button::after{content:'\\a0\\2191'}
th[aria-sort=descending] button::after{content:'\\a0\\2193'}
.num{text-align:right;font-variant-numeric:tabular-nums}
#posts td.path{overflow-wrap:anywhere;min-width:10em}
#posts td.license{white-space:nowrap}
#posts td.rules code{display:inline-block;white-space:nowrap;margin:0 4px 2px 0}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f0f1f4;padding:1px 4px;border-radius:3px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:.82rem;white-space:nowrap}
.badge.s-error{background:var(--error)}.badge.s-warning{background:var(--warning)}.badge.s-info{background:var(--info)}.badge.c-ok{background:var(--ok)}.badge.c-none{background:var(--none)}
#posts td.path a{color:inherit}
.post-findings h3{font:600 .95rem ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:14px 0 6px;overflow-wrap:anywhere}
.post-findings ul{list-style:none;margin:0;padding:0}
.finding{border-left:4px solid var(--line);padding:4px 0 4px 10px;margin:0 0 8px}
.finding[data-severity=error]{border-left-color:var(--error)}.finding[data-severity=warning]{border-left-color:var(--warning)}.finding[data-severity=info]{border-left-color:var(--info)}
.finding p{margin:0 0 2px;overflow-wrap:anywhere}
.finding .place{color:var(--muted);font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.finding .help{color:var(--muted)}
#legend dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0 0 8px}
#legend dd{margin:0}
.none{color:var(--muted)}
#run dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
#run dt{color:var(--muted)}#run dd{margin:0;word-break:break-all}
@media (max-width:600px){main{padding:10px;gap:12px}header h1{font-size:1.25rem}.total .n{font-size:1.5rem}}
";

/// Sorts the posts table by a clicked header; does nothing if anything it needs is missing.
const SCRIPT: &str = "
(function(){
var table=document.getElementById('posts');
if(!table||!table.tHead||!table.tBodies.length)return;
var body=table.tBodies[0];
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,col){
var button=document.createElement('button');
button.type='button';
while(th.firstChild)button.appendChild(th.firstChild);
th.appendChild(button);
button.addEventListener('click',function(){
var numeric=th.getAttribute('data-type')==='num';
var ascending=th.getAttribute('aria-sort')?th.getAttribute('aria-sort')!=='ascending':!numeric||col===1;
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',ascending?'ascending':'descending');
var key=function(row){var cell=row.cells[col];var v=cell.getAttribute('data-value');if(v===null)v=cell.textContent.trim();return numeric?parseFloat(v)||0:v.toLowerCase();};
var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=key(a),y=key(b);var c=x<y?-1:x>y?1:0;if(c===0)c=a.cells[0].textContent<b.cells[0].textContent?-1:1;return ascending?c:-c;});
rows.forEach(function(r){body.appendChild(r);});
});
});
})();
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }

    #[test]
    fn bars_scale_to_the_longest_and_stay_visible() {
        let bars = [
            Bar {
                label: "a<b",
                segments: vec![("s-error", "errors", 1000)],
            },
            Bar {
                label: "c",
                segments: vec![("s-error", "errors", 1), ("s-info", "infos", 0)],
            },
        ];
        let mut html = String::new();
        chart(&mut html, "t", "T", &bars, "none");
        assert!(html.contains("width=\"356\""), "{html}");
        assert!(html.contains("width=\"2\""), "{html}");
        assert!(html.contains(">a&lt;b</text>"), "{html}");
        assert!(!html.contains("s-info"), "{html}");
    }

    #[test]
    fn an_empty_chart_says_so() {
        let mut html = String::new();
        chart(&mut html, "t", "T", &[], "No findings.");
        assert!(html.contains("<p class=\"empty\">No findings.</p>"));
        assert!(!html.contains("<svg"));
    }
}
