//! Code actions: each safe fix of [`crate::fix`] as a quick fix for the diagnostic it resolves,
//! and all of them together as `source.fixAll.ccguard` (what `ccguard fix` would write), their
//! edits at UTF-16 ranges.
//!
//! A fix is offered only when a re-check of the text with that fix applied shows its finding
//! gone and no new rule firing, as `ccguard fix` keeps a fix only then. Those checks run once
//! per document version, when code actions are first asked for. Not for deciding what a fix
//! writes: that is [`crate::fix`].

use std::collections::{BTreeSet, HashMap};

use lsp_types::{CodeAction, CodeActionKind, Range, TextEdit, Uri, WorkspaceEdit};

use super::diagnostics;
use super::position::Utf16Index;
use crate::checker::Checker;
use crate::diagnostic::RuleId;
use crate::fix::{self, Edit, Fix};
use crate::result::DocumentResult;
use crate::source::{Source, Span};

/// The kind of the action that applies every safe fix at once.
pub const FIX_ALL: CodeActionKind = CodeActionKind::new("source.fixAll.ccguard");

/// True when a request's `only` (none: every kind) asks for actions of `kind`: the kinds are
/// hierarchical, so `source` asks for `source.fixAll.ccguard`.
pub fn asks_for(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|asked| {
            let asked = asked.as_str();
            asked.is_empty()
                || kind.as_str() == asked
                || kind
                    .as_str()
                    .strip_prefix(asked)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

/// Every safe fix of a checked document at once, as `ccguard fix` applies them (one at a time,
/// each kept only when a re-check confirms it); `None` when there is none.
pub fn fix_all(checker: &Checker, result: &DocumentResult, uri: &Uri) -> Option<CodeAction> {
    let source = &result.source;
    // A bug met while fixing (a panic) leaves the action out; the diagnostics stay as checked.
    let fixed = fix::fix(
        checker,
        Source::from_text(source.name.clone(), source.text.clone(), source.format),
    )
    .ok()?;
    if fixed.applied.is_empty() {
        return None;
    }
    let rules: Vec<&str> = fixed.applied.iter().map(|f| f.rule.as_str()).collect();
    let index = Utf16Index::new(&source.text);
    Some(CodeAction {
        title: format!("Apply every safe ccguard fix ({})", rules.join(", ")),
        kind: Some(FIX_ALL),
        edit: Some(workspace_edit(uri, &fixed.edits, &source.text, &index)),
        ..CodeAction::default()
    })
}

/// The fixes of a checked document that a re-check confirms, in the order of its findings.
pub fn confirmed(checker: &Checker, result: &DocumentResult) -> Vec<Fix> {
    let text = &result.source.text;
    let rules_before: BTreeSet<RuleId> = result.diagnostics.iter().map(|d| d.rule).collect();
    fix::fixes(result, checker.registry())
        .into_iter()
        .filter(|candidate| {
            let Ok(fixed) = fix::apply(text, &candidate.edits) else {
                return false;
            };
            let source = Source::from_text(result.source.name.clone(), fixed, result.source.format);
            let after = checker.check_source(source);
            let rules: BTreeSet<RuleId> = after.diagnostics.iter().map(|d| d.rule).collect();
            !rules.contains(&candidate.rule) && rules.is_subset(&rules_before)
        })
        .collect()
}

/// The quick fixes among `fixes` whose finding lies in `range` (or is one of the diagnostics
/// the client names), for the document at `uri` checked into `result`.
pub fn quick_fixes(
    fixes: &[Fix],
    result: &DocumentResult,
    uri: &Uri,
    range: Range,
    named: &[lsp_types::Diagnostic],
) -> Vec<CodeAction> {
    let text = &result.source.text;
    let index = Utf16Index::new(text);
    fixes
        .iter()
        .filter_map(|fix| {
            let finding = result
                .diagnostics
                .iter()
                .find(|d| d.rule == fix.rule && d.span == fix.finding)?;
            let diagnostic = diagnostics::to_lsp(finding, uri, text, &index);
            let asked = overlaps(diagnostic.range, range)
                || named.iter().any(|n| {
                    n.range == diagnostic.range
                        && n.code == diagnostic.code
                        && n.source == diagnostic.source
                });
            asked.then(|| action(fix, diagnostic, uri, text, &index))
        })
        .collect()
}

/// One fix as a quick fix resolving `diagnostic`.
fn action(
    fix: &Fix,
    diagnostic: lsp_types::Diagnostic,
    uri: &Uri,
    text: &str,
    index: &Utf16Index,
) -> CodeAction {
    CodeAction {
        title: format!("{} ({})", fix.title, fix.rule),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic]),
        edit: Some(workspace_edit(uri, &fix.edits, text, index)),
        is_preferred: Some(true),
        ..CodeAction::default()
    }
}

/// Edits of the document at `uri` (whose text is `text`) as a workspace edit.
fn workspace_edit(uri: &Uri, edits: &[Edit], text: &str, index: &Utf16Index) -> WorkspaceEdit {
    let edits = edits
        .iter()
        .map(|edit| TextEdit {
            range: index.range(text, Span::new(edit.range.start, edit.range.end)),
            new_text: edit.text.clone(),
        })
        .collect();
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// True when two ranges share a position (touching counts: a cursor at a finding's end is on
/// it).
fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::Position;

    fn range(a: (u32, u32), b: (u32, u32)) -> Range {
        Range::new(Position::new(a.0, a.1), Position::new(b.0, b.1))
    }

    #[test]
    fn kinds_are_asked_for_by_themselves_or_a_parent() {
        let asks = |only: &[&'static str], kind: &CodeActionKind| {
            let only: Vec<CodeActionKind> = only.iter().map(|k| CodeActionKind::new(k)).collect();
            asks_for(Some(&only), kind)
        };
        assert!(asks_for(None, &FIX_ALL));
        assert!(asks(&["source"], &FIX_ALL));
        assert!(asks(&["source.fixAll"], &FIX_ALL));
        assert!(asks(&["source.fixAll.ccguard"], &FIX_ALL));
        assert!(asks(&[""], &FIX_ALL));
        assert!(!asks(&["source.fix"], &FIX_ALL));
        assert!(!asks(&["quickfix"], &FIX_ALL));
        assert!(asks(&["refactor", "quickfix"], &CodeActionKind::QUICKFIX));
        assert!(!asks(&["source"], &CodeActionKind::QUICKFIX));
    }

    #[test]
    fn ranges_overlap_when_they_share_a_position() {
        let finding = range((3, 10), (3, 20));
        assert!(overlaps(finding, range((3, 20), (3, 20))));
        assert!(overlaps(finding, range((0, 0), (9, 0))));
        assert!(overlaps(finding, range((3, 12), (3, 13))));
        assert!(!overlaps(finding, range((3, 21), (4, 0))));
        assert!(!overlaps(finding, range((2, 0), (3, 9))));
        // A whole-document finding sits at the start.
        assert!(overlaps(range((0, 0), (0, 0)), range((0, 0), (0, 5))));
        assert!(!overlaps(range((0, 0), (0, 0)), range((1, 0), (1, 0))));
    }
}
