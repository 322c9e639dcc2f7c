//! http.hsts and http.security-headers: one canonical page per scenario, both checks
//! reading the same GET.

use launch_ready::sandbox::{Resp, Site, World, Zones, handler};

use super::summary;
use crate::support::{Project, Run};

const MANIFEST: &str = "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n";
const HOST: &str = "www.acme.app";

fn serve(headers: &'static [(&'static str, &'static str)]) -> Run {
    let world = move || World {
        zones: Zones::new(),
        sites: vec![Site::new(HOST).route(
            "*",
            handler(move |_| {
                headers
                    .iter()
                    .fold(Resp::html("<!doctype html>"), |r, (k, v)| r.header(k, *v))
            }),
        )],
    };
    Project::new(MANIFEST).world(world).audit(&[
        "--only",
        "http.hsts",
        "--only",
        "http.security-headers",
    ])
}

const GOOD: [(&str, &str); 6] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("content-security-policy", "default-src 'self'"),
    ("cross-origin-resource-policy", "same-origin"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
];

#[test]
fn no_headers_fail_hsts_and_warn_naming_every_missing_header() {
    let run = serve(&[]);
    assert_eq!(run.status("http.hsts", HOST), "fail");
    assert!(summary(&run, "http.hsts", HOST).contains("no Strict-Transport-Security"));
    assert_eq!(run.status("http.security-headers", HOST), "warn");
    let s = summary(&run, "http.security-headers", HOST);
    let missing = &run.result("http.security-headers", HOST)["details"]["missing"];
    let families: Vec<&str> = missing
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    for (i, family) in [
        "X-Content-Type-Options",
        "frame protection",
        "Content-Security-Policy",
        "Cross-Origin-Opener-Policy",
        "Cross-Origin-Resource-Policy",
    ]
    .iter()
    .enumerate()
    {
        assert!(families[i].starts_with(family), "{family} in {families:?}");
    }
    // No Referrer-Policy is the browser default (strict-origin-when-cross-origin).
    assert!(!s.contains("Referrer-Policy"), "{s}");
}

#[test]
fn short_max_age_fails_and_complete_security_headers_pass() {
    static H: [(&str, &str); 6] = [
        (
            "strict-transport-security",
            "max-age=86400; includeSubDomains",
        ),
        GOOD[0],
        GOOD[1],
        GOOD[2],
        GOOD[3],
        GOOD[4],
    ];
    let run = serve(&H);
    assert_eq!(run.status("http.hsts", HOST), "fail");
    assert!(summary(&run, "http.hsts", HOST).contains("below 180 days"));
    assert_eq!(run.status("http.security-headers", HOST), "pass");
}

#[test]
fn malformed_hsts_fails_and_csp_frame_ancestors_counts_as_frame_protection() {
    static H: [(&str, &str); 6] = [
        (
            "strict-transport-security",
            "max-age=forever; includeSubDomains",
        ),
        GOOD[0],
        GOOD[2],
        GOOD[4],
        GOOD[5],
        (
            "content-security-policy",
            "default-src 'self'; frame-ancestors 'none'",
        ),
    ];
    let run = serve(&H);
    assert_eq!(run.status("http.hsts", HOST), "fail");
    assert!(summary(&run, "http.hsts", HOST).contains("malformed"));
    assert_eq!(run.status("http.security-headers", HOST), "pass");
}

#[test]
fn hsts_without_include_subdomains_warns_and_report_only_csp_is_not_enough() {
    static H: [(&str, &str); 5] = [
        ("strict-transport-security", "max-age=31536000"),
        GOOD[0],
        GOOD[1],
        GOOD[2],
        ("content-security-policy-report-only", "default-src 'self'"),
    ];
    let run = serve(&H);
    assert_eq!(run.status("http.hsts", HOST), "warn");
    assert!(summary(&run, "http.hsts", HOST).contains("includeSubDomains"));
    assert_eq!(run.status("http.security-headers", HOST), "warn");
    let s = summary(&run, "http.security-headers", HOST);
    assert!(s.contains("Report-Only") && !s.contains("nosniff"), "{s}");
}

#[test]
fn long_hsts_with_include_subdomains_passes() {
    static H: [(&str, &str); 1] = [(
        "strict-transport-security",
        "max-age=63072000; includeSubDomains; preload",
    )];
    let run = serve(&H);
    assert_eq!(
        run.status("http.hsts", HOST),
        "pass",
        "{}",
        run.result("http.hsts", HOST)
    );
    let details = &run.result("http.hsts", HOST)["details"];
    assert_eq!(details["max_age"], 63072000);
    assert_eq!(details["preload"], true);
}
