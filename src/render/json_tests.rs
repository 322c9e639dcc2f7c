#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

const V1: &str = include_str!("../../fixtures/reports/v1.json");

#[test]
fn the_committed_v1_sample_reads_back_and_renders_byte_for_byte() {
    let report = parse(V1).unwrap();
    assert_eq!(report.results.len(), 6);
    assert_eq!(report.notices.len(), 1);
    assert_eq!(report.handover.len(), 2);
    assert_eq!(report.verdict(), Verdict::Fail);
    let mut out = Vec::new();
    render(&report, &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), V1);
}

#[test]
fn the_v1_sample_shows_every_status_and_change() {
    let wire: Value = serde_json::from_str(V1).unwrap();
    let field = |name: &str| -> Vec<String> {
        wire["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r[name].as_str().map(str::to_owned))
            .collect()
    };
    for status in Status::ALL {
        assert!(
            field("status").contains(&status.as_str().to_owned()),
            "{status}"
        );
    }
    for change in ["new", "fixed", "unchanged"] {
        assert!(field("change").contains(&change.to_owned()), "{change}");
    }
}

#[test]
fn a_newer_schema_version_is_refused_with_that_reason() {
    let newer = V1.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1);
    let err = parse(&newer).unwrap_err();
    assert!(err.contains("schema_version 2"), "{err}");
}

#[test]
fn fields_a_later_v1_adds_are_tolerated() {
    let extended = V1.replacen("\"project\"", "\"branch\": \"main\",\n  \"project\"", 1);
    assert_eq!(parse(&extended).unwrap().project, "acme");
}

#[test]
fn the_report_schema_describes_every_top_level_field_of_the_sample() {
    let schema = json_schema();
    let wire: Value = serde_json::from_str(V1).unwrap();
    for field in wire.as_object().unwrap().keys() {
        assert!(
            schema["properties"][field].is_object(),
            "schema lacks {field}"
        );
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for field in ["schema_version", "tool", "summary", "results"] {
        assert!(required.contains(&field), "{field} should be required");
    }
}
