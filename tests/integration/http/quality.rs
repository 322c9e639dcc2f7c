//! The new checks of issue 10 against the sandbox: http.csp (policy quality as
//! enforced), http.cookies (Set-Cookie on canonical and web.cookie_paths) and web.sri
//! (integrity and mixed content). Hanging servers end as `error` here and in `hostile`.

use std::time::Duration;

use launch_ready::sandbox::{Resp, Site, World, Zones, handler};

use super::semantics::{HOST, page};
use crate::support::{Project, Run};

fn csp(lines: &[(&str, &str)], body: &str) -> (String, String) {
    let run = page(lines, body, &["http.csp"]);
    let r = run.result("http.csp", HOST);
    (
        r["status"].as_str().unwrap_or_default().to_owned(),
        r["summary"].as_str().unwrap_or_default().to_owned(),
    )
}

#[test]
fn csp_fails_on_script_injection_holes_and_passes_a_strict_policy() {
    let (status, summary) = csp(
        &[(
            "content-security-policy",
            "default-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'",
        )],
        "",
    );
    assert_eq!(status, "fail", "{summary}");
    assert!(summary.contains("'unsafe-inline'"), "{summary}");
    let (status, summary) = csp(
        &[(
            "content-security-policy",
            "script-src 'self' https:; object-src 'none'; base-uri 'self'",
        )],
        "",
    );
    assert_eq!(status, "fail");
    assert!(summary.contains("any origin (https:)"), "{summary}");
    // Fallbacks next to a nonce and 'strict-dynamic' are ignored by browsers.
    let strict = "script-src 'nonce-r4nd0m' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'; base-uri 'none'";
    let (status, summary) = csp(&[("content-security-policy", strict)], "");
    assert_eq!(status, "pass", "{summary}");
}

#[test]
fn csp_without_an_enforced_policy_warns_and_hardening_gaps_warn() {
    let (status, summary) = csp(
        &[
            ("content-security-policy", ""),
            ("content-security-policy-report-only", "default-src 'self'"),
        ],
        "",
    );
    assert_eq!(status, "warn");
    assert!(
        summary.contains("no enforced Content-Security-Policy (Report-Only enforces nothing)"),
        "{summary}"
    );
    let (status, summary) = csp(
        &[(
            "content-security-policy",
            "default-src 'self' 'unsafe-eval'; frame-ancestors *",
        )],
        "",
    );
    assert_eq!(status, "warn");
    for gap in [
        "'unsafe-eval'",
        "object-src",
        "base-uri",
        "frame-ancestors *",
    ] {
        assert!(summary.contains(gap), "{gap} in {summary}");
    }
}

#[test]
fn csp_policies_combine_across_headers_and_meta() {
    // The header alone is wide open; the meta policy closes scripts: the intersection applies.
    let body = r#"<head><meta http-equiv="Content-Security-Policy" content="script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"></head>"#;
    let (status, summary) = csp(
        &[("content-security-policy", "default-src * 'unsafe-inline'")],
        body,
    );
    assert_eq!(status, "pass", "{summary}");
    // A meta policy cannot carry frame-ancestors: that is not an http.csp finding.
    let run = page(
        &[
            ("content-security-policy", ""),
            ("content-security-policy-report-only", "default-src 'none'"),
        ],
        body,
        &["http.csp"],
    );
    let r = run.result("http.csp", HOST);
    assert_eq!(r["status"], "pass", "{r}");
    assert_eq!(r["details"]["policies"][1]["ignored"][0], "frame-ancestors");
}

const COOKIE_MANIFEST: &str = "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n  cookie_paths: [/login, /account, /sso, /clean]\n";

fn cookie_run() -> Run {
    let world = || World {
        zones: Zones::new(),
        sites: vec![
            Site::new(HOST)
                .route(
                    "/login",
                    handler(|_| {
                        Resp::html("login").header(
                            "set-cookie",
                            "__Host-session=s3cr3tvalue; Path=/; Secure; HttpOnly; SameSite=Lax",
                        )
                    }),
                )
                .route(
                    "/account",
                    handler(|_| {
                        Resp::html("account").header(
                            "set-cookie",
                            "session_token=s3cr3tvalue; Secure; SameSite=Lax; Path=/",
                        )
                    }),
                )
                .route(
                    "/sso",
                    handler(|_| {
                        Resp::redirect(302, "/clean")
                            .header("set-cookie", "state=s3cr3tvalue; SameSite=None; Path=/")
                    }),
                )
                .route("/clean", handler(|_| Resp::html("no cookies")))
                .route(
                    "*",
                    handler(|_| {
                        Resp::html("home")
                            .header("set-cookie", "sid=s3cr3tvalue; HttpOnly; SameSite=Lax")
                            .header("set-cookie", "theme=dark; Secure; SameSite=Strict")
                    }),
                ),
        ],
    };
    Project::new(COOKIE_MANIFEST)
        .world(world)
        .audit(&["--only", "http.cookies"])
}

#[test]
fn cookies_are_judged_on_canonical_and_cookie_paths() {
    let run = cookie_run();
    let s = |path: &str| run.status("http.cookies", &format!("https://{HOST}{path}"));
    let sum = |path: &str| super::summary(&run, "http.cookies", &format!("https://{HOST}{path}"));
    assert_eq!(s("/"), "fail", "no Secure on an https site");
    assert!(
        sum("/").contains("`sid` has no Secure attribute"),
        "{}",
        sum("/")
    );
    assert_eq!(s("/login"), "pass", "{}", sum("/login"));
    assert_eq!(s("/account"), "warn", "a session cookie without HttpOnly");
    assert!(sum("/account").contains("no HttpOnly"));
    assert_eq!(s("/sso"), "fail", "a cookie set on a redirect hop counts");
    assert!(
        sum("/sso").contains("SameSite=None without Secure"),
        "{}",
        sum("/sso")
    );
    assert_eq!(s("/clean"), "pass");
    assert!(sum("/clean").contains("sets no cookies"));
    assert!(
        !run.stdout.contains("s3cr3tvalue"),
        "cookie values never appear"
    );
}

fn sri(body: &'static str) -> (String, String) {
    let run = page(&[], body, &["web.sri"]);
    let r = run.result("web.sri", HOST);
    (
        r["status"].as_str().unwrap_or_default().to_owned(),
        r["summary"].as_str().unwrap_or_default().to_owned(),
    )
}

#[test]
fn sri_warns_on_unpinned_third_party_code_and_fails_on_mixed_content() {
    let (status, summary) = sri(
        r#"<script src="https://cdn.example.net/lib.js"></script><script src="/_next/app.js"></script>"#,
    );
    assert_eq!(status, "warn", "{summary}");
    assert!(
        summary.contains("script https://cdn.example.net/lib.js") && !summary.contains("app.js"),
        "{summary}"
    );
    let (status, summary) = sri(
        r#"<link rel="stylesheet" href="https://cdn.example.net/a.css" integrity="sha384-abc" crossorigin="anonymous"><script src="/_next/app.js"></script><img src="/logo.png">"#,
    );
    assert_eq!(status, "pass", "{summary}");
    let (status, summary) = sri(
        r#"<img src="http://cdn.example.net/pixel.gif"><script src="https://cdn.example.net/lib.js" integrity="sha384-abc"></script>"#,
    );
    assert_eq!(status, "fail");
    assert!(
        summary.contains("plain http: img http://cdn.example.net/pixel.gif"),
        "{summary}"
    );
}

#[test]
fn sri_is_an_error_when_the_page_does_not_answer() {
    let world = || World {
        zones: Zones::new(),
        sites: vec![Site::new(HOST).route(
            "*",
            handler(|_| Resp::html("late").delay(Duration::from_secs(3))),
        )],
    };
    let manifest = "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n";
    let run = Project::new(manifest)
        .world(world)
        .audit(&["--only", "web.sri", "--timeout", "1"]);
    assert_eq!(run.status("web.sri", HOST), "error");
}
