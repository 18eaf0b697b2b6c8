//! `--format sarif` against the official SARIF 2.1.0 schema: the output must deserialize into
//! serde-sarif's types (generated from that schema, so required properties, types and enum
//! values are checked) and serialize back unchanged (so no property is unknown to the schema).

use crate::common;

use assert_cmd::Command;
use serde_json::Value;

#[test]
fn sarif_output_conforms_to_the_2_1_0_schema() {
    let out = Command::cargo_bin("ccguard")
        .expect("binary")
        .current_dir(common::root())
        .args(["check", "--format", "sarif", "fixtures/"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let value: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_value(value.clone()).expect("SARIF matches the 2.1.0 schema types");
    let back = serde_json::to_value(&typed).expect("serialize");
    assert_eq!(
        strip_nulls(back),
        strip_nulls(value),
        "a property is not in the SARIF 2.1.0 schema"
    );
    let results = typed.runs[0].results.as_ref().expect("results");
    assert!(
        results.len() > 50,
        "the fixtures yield findings: {}",
        results.len()
    );
}

/// Optional properties absent in our output come back as `null` from the typed model.
fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}
