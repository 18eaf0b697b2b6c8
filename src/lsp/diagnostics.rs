//! A checked document's findings as LSP diagnostics: UTF-16 ranges, the severity, the rule id
//! as `code` with a link to its documentation, the message with its help, and each label as
//! related information.
//!
//! Only the translation; which findings a document has is decided by the checker, exactly as
//! for `ccguard check` (config severities and suppression comments included).

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Range, Uri,
};

use super::position::Utf16Index;
use crate::diagnostic::{Diagnostic, Severity};

/// What diagnostics name as their source.
pub const SOURCE: &str = "ccguard";

/// One finding as an LSP diagnostic of the document at `uri`, whose text is `text`.
pub fn to_lsp(
    finding: &Diagnostic,
    uri: &Uri,
    text: &str,
    index: &Utf16Index,
) -> lsp_types::Diagnostic {
    let message = match &finding.help {
        Some(help) => format!("{}\nhelp: {help}", finding.message),
        None => finding.message.clone(),
    };
    let related: Vec<DiagnosticRelatedInformation> = finding
        .labels
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), index.range(text, label.span)),
            message: label.message.clone(),
        })
        .collect();
    lsp_types::Diagnostic {
        range: index.range(text, finding.span),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.as_str().to_owned())),
        code_description: finding
            .rule
            .docs_url()
            .parse()
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// A problem that kept the document from being checked at all (an invalid config), at its
/// start.
pub fn not_checked(message: String) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some(SOURCE.to_owned()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}

/// LSP's severity for ours.
fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Label, RuleId};
    use crate::source::{LineIndex, Span};
    use lsp_types::Position;

    #[test]
    fn a_finding_keeps_its_rule_help_and_labels_at_utf16_places() {
        let text = "标题 😀\nCC BY 4.0 by 李";
        let index = Utf16Index::new(text);
        let uri: Uri = "file:///tmp/a.md".parse().expect("uri");
        let cc = text.find("CC").expect("CC");
        let li = text.find('李').expect("李");
        let lines = LineIndex::new(text);
        let span = Span::new(cc, cc + "CC BY 4.0".len());
        let label = Span::new(li, li + '李'.len_utf8());
        let finding = Diagnostic {
            rule: RuleId::MissingLicenseLink,
            severity: Severity::Warning,
            message: "the license is named but not linked".to_owned(),
            place: lines.place(text, span),
            span,
            help: Some("link the license deed".to_owned()),
            labels: vec![Label {
                span: label,
                place: lines.place(text, label),
                message: "credited here".to_owned(),
            }],
        };
        let lsp = to_lsp(&finding, &uri, text, &index);
        assert_eq!(
            lsp.range,
            Range::new(Position::new(1, 0), Position::new(1, 9))
        );
        assert_eq!(lsp.severity, Some(DiagnosticSeverity::WARNING));
        assert_eq!(
            lsp.code,
            Some(NumberOrString::String("missing-license-link".to_owned()))
        );
        assert_eq!(
            lsp.code_description.map(|c| c.href.as_str().to_owned()),
            Some(
                "https://github.com/ccguard/ccguard/blob/main/README.md#missing-license-link"
                    .to_owned()
            )
        );
        assert_eq!(
            lsp.message,
            "the license is named but not linked\nhelp: link the license deed"
        );
        let related = lsp.related_information.expect("related");
        assert_eq!(related.len(), 1);
        assert_eq!(
            related[0].location.range,
            Range::new(Position::new(1, 13), Position::new(1, 14))
        );
        assert_eq!(related[0].message, "credited here");
    }
}
