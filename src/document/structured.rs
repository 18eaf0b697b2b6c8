//! Structured metadata: JSON-LD, CC REL RDFa attributes, `<meta>` and `<link rel>`.
