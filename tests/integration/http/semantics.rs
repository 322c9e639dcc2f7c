//! Header semantics as browsers enforce them (issue 10), each against the sandbox:
//! the canonical page sends the header lines of one case, the checks must judge them
//! the way the specifications and web-platform-tests say browsers do.

use launch_ready::sandbox::{Resp, Site, World, Zones, handler};

use crate::support::{Project, Run};

const MANIFEST: &str = "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n";
pub(super) const HOST: &str = "www.acme.app";

/// Headers that make every other family pass, so one case shows one thing.
const BASE: [(&str, &str); 5] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("content-security-policy", "default-src 'self'"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
];

/// Serve `lines` (replacing BASE's lines of the same names; an empty value removes
/// the header) and `body` on canonical.
pub(super) fn page(lines: &[(&str, &str)], body: &str, checks: &[&str]) -> Run {
    let mut headers: Vec<(String, String)> = BASE
        .iter()
        .filter(|(k, _)| !lines.iter().any(|(n, _)| n == k))
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    headers.extend(
        lines
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let body = body.to_owned();
    let world = move || World {
        zones: Zones::new(),
        sites: vec![Site::new(HOST).route(
            "*",
            handler(move |_| {
                headers
                    .iter()
                    .fold(Resp::html(body.clone()), |r, (k, v)| r.header(k, v.clone()))
            }),
        )],
    };
    let mut args = Vec::new();
    for c in checks {
        args.push("--only");
        args.push(*c);
    }
    Project::new(MANIFEST).world(world).audit(&args)
}

fn headers_run(lines: &[(&str, &str)], body: &str) -> (String, String) {
    let run = page(lines, body, &["http.security-headers"]);
    let r = run.result("http.security-headers", HOST);
    (
        r["status"].as_str().unwrap_or_default().to_owned(),
        r["summary"].as_str().unwrap_or_default().to_owned(),
    )
}

#[test]
fn hsts_with_a_comma_joined_second_header_is_ignored_by_browsers() {
    let hsts = |lines: &[(&str, &str)]| {
        let run = page(lines, "", &["http.hsts"]);
        let r = run.result("http.hsts", HOST).clone();
        (
            r["status"].as_str().unwrap().to_owned(),
            r["summary"].as_str().unwrap().to_owned(),
        )
    };
    let (status, summary) = hsts(&[(
        "strict-transport-security",
        "max-age=63072000; includeSubDomains, max-age=63072000",
    )]);
    assert_eq!(status, "fail", "{summary}");
    assert!(summary.contains("browsers ignore it"), "{summary}");
    let (status, _) = hsts(&[(
        "strict-transport-security",
        "max-age=63072000; includeSubDomains; includeSubDomains",
    )]);
    assert_eq!(
        status, "fail",
        "a repeated directive invalidates the header"
    );
    // Only the first header counts: a good second one does not rescue a bad first.
    let (status, summary) = hsts(&[
        ("strict-transport-security", "max-age=abc"),
        (
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        ),
    ]);
    assert_eq!(status, "fail");
    assert!(summary.contains("max-age=abc"), "{summary}");
    let (status, _) = hsts(&[
        (
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        ),
        ("strict-transport-security", "max-age=0"),
    ]);
    assert_eq!(status, "pass");
}

#[test]
fn a_csp_without_a_directive_browsers_know_enforces_nothing() {
    let (status, summary) = headers_run(
        &[(
            "content-security-policy",
            "defa 'self'; frame-anchestors 'none'",
        )],
        "",
    );
    assert_eq!(status, "warn");
    assert!(
        summary.contains(
            "Content-Security-Policy (no directive browsers know: `defa`, `frame-anchestors`)"
        ),
        "{summary}"
    );
}

#[test]
fn frame_ancestors_star_protects_nothing_even_with_x_frame_options() {
    // An enforced frame-ancestors replaces X-Frame-Options (HTML §7.1.1).
    let (status, summary) = headers_run(
        &[(
            "content-security-policy",
            "default-src 'self'; frame-ancestors *",
        )],
        "",
    );
    assert_eq!(status, "warn");
    assert!(
        summary.contains("frame protection (CSP frame-ancestors lets any site frame"),
        "{summary}"
    );
}

#[test]
fn a_meta_csp_is_enforced_too() {
    let body = r#"<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'"></head><body></body></html>"#;
    let (status, summary) = headers_run(
        &[
            ("content-security-policy", ""),
            ("content-security-policy-report-only", "default-src 'none'"),
        ],
        body,
    );
    // No CSP header, only Report-Only: the meta policy is what enforces.
    assert_eq!(status, "pass", "{summary}");
}

#[test]
fn referrer_policy_is_read_like_browsers_read_it() {
    // None at all: the browser default, strict-origin-when-cross-origin, is fine.
    let (status, summary) = headers_run(&[], "");
    assert_eq!(status, "pass", "{summary}");
    assert!(summary.contains("strict-origin-when-cross-origin"));
    // The last valid token applies: this header leaks full URLs.
    let (status, summary) =
        headers_run(&[("referrer-policy", "no-referrer, bogus, unsafe-url")], "");
    assert_eq!(status, "warn");
    assert!(
        summary.contains("Referrer-Policy other than unsafe-url"),
        "{summary}"
    );
    let (status, _) = headers_run(&[("referrer-policy", "unsafe-url, strict-origin")], "");
    assert_eq!(status, "pass");
    // <meta name="referrer"> overrides the header.
    let body = r#"<head><meta name="referrer" content="no-referrer-when-downgrade"></head>"#;
    let (status, summary) = headers_run(&[("referrer-policy", "no-referrer")], body);
    assert_eq!(status, "warn");
    assert!(summary.contains("no-referrer-when-downgrade"), "{summary}");
}

#[test]
fn repeated_valid_values_are_honoured_and_allow_from_is_not() {
    for lines in [
        vec![
            ("x-frame-options", "DENY, DENY"),
            ("x-content-type-options", "nosniff, nosniff"),
        ],
        vec![
            ("x-frame-options", "DENY"),
            ("x-frame-options", "DENY"),
            ("x-content-type-options", "nosniff"),
        ],
    ] {
        let (status, summary) = headers_run(&lines, "");
        assert_eq!(status, "pass", "{lines:?}: {summary}");
    }
    let (status, summary) = headers_run(
        &[("x-frame-options", "ALLOW-FROM https://partner.example/")],
        "",
    );
    assert_eq!(status, "warn");
    assert!(
        summary.contains("browsers ignore `ALLOW-FROM https://partner.example/`"),
        "{summary}"
    );
}

#[test]
fn coop_and_corp_are_reported_at_warn_level() {
    let run = page(
        &[
            ("cross-origin-opener-policy", "unsafe-none"),
            ("cross-origin-resource-policy", "same-orign"),
        ],
        "",
        &["http.security-headers"],
    );
    let r = run.result("http.security-headers", HOST);
    assert_eq!(r["status"], "warn");
    let missing: Vec<&str> = r["details"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(missing.len(), 2, "{missing:?}");
    assert!(missing[0].starts_with("Cross-Origin-Opener-Policy (`unsafe-none`"));
    assert!(missing[1].starts_with("Cross-Origin-Resource-Policy (`same-orign`"));
}
