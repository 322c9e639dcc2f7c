//! The verdicts of `monitoring.coverage` on Better Stack JSON fixtures.

use serde_json::{Value, json};

use super::judge;
use crate::monitoring::Monitor;
use crate::net::api::Stop;
use crate::net::betterstack::read_monitor;
use crate::report::Status;

const URL: &str = "https://www.acme.app/api/health";

fn monitor(id: u32, attributes: Value) -> Monitor {
    let mut a = json!({ "url": URL, "pronounceable_name": format!("m{id}"),
        "monitor_type": "status", "status": "up", "paused": false, "check_frequency": 60,
        "policy_id": 12, "email": false, "sms": false, "call": false, "push": false });
    if let (Some(base), Some(over)) = (a.as_object_mut(), attributes.as_object()) {
        for (k, v) in over {
            base.insert(k.clone(), v.clone());
        }
    }
    read_monitor(&json!({ "id": id.to_string(), "type": "monitor", "attributes": a }))
        .expect("fixture")
}

fn status(monitors: &[Monitor]) -> Status {
    judge(URL, monitors, 300, "Better Stack", None).status
}

#[test]
fn an_active_fast_alerting_monitor_passes_whatever_the_url_spelling() {
    let m = monitor(1, json!({ "url": "HTTPS://www.ACME.app:443/api/health/" }));
    let out = judge(URL, &[m], 300, "Better Stack", None);
    assert_eq!(out.status, Status::Pass, "{}", out.summary);
    assert!(
        out.summary.contains("escalation policy 12"),
        "{}",
        out.summary
    );
}

#[test]
fn each_failure_class_is_named() {
    let other = monitor(1, json!({ "url": "https://www.acme.app/" }));
    let out = judge(URL, &[other], 300, "Better Stack", None);
    assert_eq!(out.status, Status::Fail);
    assert!(out.summary.contains("same host"), "{}", out.summary);

    let ping = monitor(2, json!({ "url": "www.acme.app", "monitor_type": "ping" }));
    let out = judge(URL, &[ping], 300, "Better Stack", None);
    assert_eq!(out.status, Status::Fail);
    assert!(out.summary.contains("ping/port"), "{}", out.summary);

    let slow = monitor(3, json!({ "check_frequency": 900 }));
    let out = judge(URL, &[slow], 300, "Better Stack", None);
    assert_eq!(out.status, Status::Fail);
    assert!(out.summary.contains("every 900 s"), "{}", out.summary);

    assert_eq!(
        status(&[monitor(4, json!({ "paused": true, "status": "paused" }))]),
        Status::Fail
    );
    // Down wins over a healthy second monitor: the route is failing for someone.
    assert_eq!(
        status(&[
            monitor(5, json!({ "status": "down" })),
            monitor(6, json!({}))
        ]),
        Status::Fail
    );
}

#[test]
fn no_alert_route_or_no_report_yet_warns() {
    let quiet = monitor(1, json!({ "policy_id": null }));
    let out = judge(URL, &[quiet], 300, "Better Stack", None);
    assert_eq!(out.status, Status::Warn);
    assert!(out.summary.contains("no alert route"), "{}", out.summary);
    assert_eq!(
        status(&[monitor(2, json!({ "policy_id": null, "email": true }))]),
        Status::Pass
    );
    assert_eq!(
        status(&[monitor(3, json!({ "status": "validating" }))]),
        Status::Warn
    );
}

#[test]
fn a_webhook_monitor_expecting_405_counts() {
    let url = "https://www.acme.app/api/webhooks/stripe";
    let m = monitor(
        1,
        json!({ "url": url, "monitor_type": "expected_status_code", "expected_status_codes": [405] }),
    );
    let out = judge(url, &[m], 300, "Better Stack", None);
    assert_eq!(out.status, Status::Pass, "{}", out.summary);
    assert_eq!(out.details["monitors"][0]["expected_status"][0], 405);
}

#[test]
fn a_partial_listing_proves_only_a_failure() {
    let stop = Stop::Pages(40);
    let out = judge(URL, &[], 300, "Better Stack", Some(&stop));
    assert_eq!(out.status, Status::Error);
    assert!(out.summary.contains("40-page cap"), "{}", out.summary);
    let ok = judge(
        URL,
        &[monitor(1, json!({}))],
        300,
        "Better Stack",
        Some(&stop),
    );
    assert_eq!(ok.status, Status::Error);
    let down = monitor(2, json!({ "status": "down" }));
    assert_eq!(
        judge(URL, &[down], 300, "Better Stack", Some(&stop)).status,
        Status::Fail
    );
}
