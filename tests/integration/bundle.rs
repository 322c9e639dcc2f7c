//! web.bundle-secrets against a loopback Next.js-like site: planted values and
//! patterns in same-origin chunks, cross-origin scripts that must not be fetched,
//! build manifests, caps, and servers that fail.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use launch_ready::sandbox::{Resp, Site, World, Zones, handler, random_token};

use crate::support::{Project, Run};

const MANIFEST: &str = "version: 1\nproject: acme\nenv:\n  files: [.env.production]\nweb:\n  canonical: https://www.acme.app\n  bundle_scan: true\n";

/// www.acme.app serving `page` at `/` and `files` (path → JavaScript) beside it.
fn www(page: String, files: Vec<(String, String)>) -> Site {
    let files = Arc::new(files);
    Site::new("www.acme.app")
        .route("/", handler(move |_| Resp::html(page.clone())))
        .route(
            "*",
            handler(move |req| {
                files
                    .iter()
                    .find(|(p, _)| *p == req.path)
                    .map(|(_, js)| {
                        Resp::new(200)
                            .header("content-type", "application/javascript")
                            .body(js.clone())
                    })
                    .unwrap_or_else(|| Resp::text(404, "not found"))
            }),
        )
}

fn world(sites: Vec<Site>) -> impl FnOnce() -> World + Send + 'static {
    move || World {
        zones: Zones::new().zone("acme.app").a("www.acme.app", "127.0.0.1"),
        sites,
    }
}

fn scan(env: &str, sites: Vec<Site>) -> Run {
    Project::new(MANIFEST)
        .file(".env.production", env)
        .world(world(sites))
        .audit(&["--only", "web.bundle-secrets"])
}

fn findings(run: &Run) -> Vec<serde_json::Value> {
    run.result("web.bundle-secrets", "www.acme.app")["details"]["findings"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn planted_secret_in_a_same_origin_chunk_fails_and_cross_origin_scripts_are_not_fetched() {
    let session = random_token(40);
    let stripe = format!("sk_live_{}", random_token(40));
    let github = format!("ghp_{}", random_token(36));
    let page = r#"<html><body><script src="/_next/static/chunks/app/page-1.js" async></script>
        <script src="https://cdn.example.com/lib.js"></script>
        <script>self.__next_f.push([1,"2:I[\"static/chunks/app/layout-2.js\"]"])</script></body></html>"#;
    let files = vec![
        (
            "/_next/static/chunks/app/page-1.js".to_owned(),
            format!("let s={{k:\"{session}\"}};"),
        ),
        (
            "/_next/static/chunks/app/layout-2.js".to_owned(),
            format!("const t='{github}';"),
        ),
    ];
    let cdn_hits = Arc::new(AtomicUsize::new(0));
    let counter = cdn_hits.clone();
    let leaky = stripe.clone();
    let cdn = Site::new("cdn.example.com").route(
        "*",
        handler(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            Resp::text(200, format!("var k='{leaky}'"))
        }),
    );
    let env = format!("SESSION_SECRET={session}\nSTRIPE_SECRET_KEY={stripe}\n");
    let run = scan(&env, vec![www(page.to_owned(), files), cdn]);
    let result = run.result("web.bundle-secrets", "www.acme.app");
    assert_eq!(result["status"], "fail", "{result}");
    let found = findings(&run);
    assert!(found.iter().any(|f| f["variable"] == "SESSION_SECRET"
        && f["file"] == "/_next/static/chunks/app/page-1.js"
        && f["kind"] == "env-value"));
    assert!(found.iter().any(
        |f| f["kind"] == "github-token" && f["file"] == "/_next/static/chunks/app/layout-2.js"
    ));
    assert!(found.iter().all(|f| f["file"] != "/lib.js"));
    assert_eq!(
        cdn_hits.load(Ordering::SeqCst),
        0,
        "a cross-origin script was fetched"
    );
    assert_eq!(
        result["details"]["skipped_cross_origin"][0],
        "https://cdn.example.com/lib.js"
    );
    assert!(
        result["summary"]
            .as_str()
            .unwrap()
            .contains("SESSION_SECRET")
    );
    for value in [&session, &stripe, &github] {
        assert!(!run.stdout.contains(value.as_str()), "a secret leaked");
    }
}

#[test]
fn a_public_variable_with_a_secret_value_inlined_fails() {
    let key = format!("sk_live_{}", random_token(40));
    let page = format!("<script>window.cfg={{stripe:\"{key}\"}}</script>");
    let run = scan(
        &format!("NEXT_PUBLIC_STRIPE_SECRET_KEY={key}\n"),
        vec![www(page, Vec::new())],
    );
    assert_eq!(run.status("web.bundle-secrets", "www.acme.app"), "fail");
    let found = findings(&run);
    assert_eq!(found[0]["variable"], "NEXT_PUBLIC_STRIPE_SECRET_KEY");
    assert_eq!(found[0]["file"], "/");
    // Public values are not scrubbed on the way out: this is the check's own care.
    assert!(!run.stdout.contains(&key), "the inlined key leaked");
}

#[test]
fn clean_bundle_passes_and_chunks_from_the_build_manifest_are_scanned() {
    let secret = random_token(40);
    let page = r#"<script src="/_next/static/b1/_buildManifest.js" defer></script>
        <link rel="modulepreload" href="/_next/static/chunks/framework-9.js">"#;
    let files = vec![
        (
            "/_next/static/b1/_buildManifest.js".to_owned(),
            r#"self.__BUILD_MANIFEST={"/":["static/chunks/pages/index-3.js"]};"#.to_owned(),
        ),
        (
            "/_next/static/chunks/pages/index-3.js".to_owned(),
            format!(
                "const pk='pk_live_{}',maps='AIza{}';",
                random_token(40),
                random_token(35)
            ),
        ),
        (
            "/_next/static/chunks/framework-9.js".to_owned(),
            "!function(){}();".to_owned(),
        ),
    ];
    let run = scan(
        &format!("SESSION_SECRET={secret}\n"),
        vec![www(page.to_owned(), files)],
    );
    let result = run.result("web.bundle-secrets", "www.acme.app");
    assert_eq!(result["status"], "pass", "{result}");
    let files: Vec<&str> = result["details"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(
        files.contains(&"/_next/static/chunks/pages/index-3.js"),
        "{files:?}"
    );
    assert!(
        files.contains(&"/_next/static/chunks/framework-9.js"),
        "{files:?}"
    );
    assert_eq!(result["details"]["expected_public_keys"], 1);
    assert_eq!(
        result["details"]["secret_variables_searched"][0],
        "SESSION_SECRET"
    );
}

#[test]
fn an_incomplete_scan_is_an_error_not_a_pass() {
    // 155 scripts: 5 past the 150-file cap, and one cut at the body cap.
    let page: String = (0..155)
        .map(|i| format!("<script src=\"/s{i}.js\"></script>"))
        .collect();
    let mut files: Vec<(String, String)> = (1..155)
        .map(|i| (format!("/s{i}.js"), "1;".to_owned()))
        .collect();
    files.push(("/s0.js".to_owned(), "a".repeat(3 * 1024 * 1024)));
    let run = scan("", vec![www(page, files)]);
    let result = run.result("web.bundle-secrets", "www.acme.app");
    assert_eq!(result["status"], "error", "{result}");
    assert_eq!(result["details"]["not_fetched"], 5);
    assert_eq!(result["details"]["truncated"], true);
    assert_eq!(result["details"]["files"][1]["truncated"], true);
    let summary = result["summary"].as_str().unwrap();
    assert!(
        summary.contains("incomplete")
            && summary.contains("size cap")
            && summary.contains("5 scripts past the file cap"),
        "{summary}"
    );
}

#[test]
fn a_failing_page_is_an_error_not_a_pass() {
    let site = Site::new("www.acme.app").route("/", handler(|_| Resp::text(500, "boom")));
    let run = scan("", vec![site]);
    let result = run.result("web.bundle-secrets", "www.acme.app");
    assert_eq!(result["status"], "error");
    assert!(result["summary"].as_str().unwrap().contains("500"));
    assert_eq!(run.code, 1);
}

#[test]
fn missing_scripts_are_noted_and_an_error_only_when_none_could_be_fetched() {
    let both = "<script src=\"/gone.js\"></script><script src=\"/ok.js\"></script>";
    let files = vec![("/ok.js".to_owned(), "1;".to_owned())];
    let run = scan("", vec![www(both.to_owned(), files)]);
    let result = run.result("web.bundle-secrets", "www.acme.app");
    assert_eq!(result["status"], "pass");
    assert_eq!(result["details"]["failed"][0]["path"], "/gone.js");
    assert_eq!(result["details"]["failed"][0]["reason"], "HTTP 404");

    let run = scan(
        "",
        vec![www(
            "<script src=\"/gone.js\"></script>".to_owned(),
            Vec::new(),
        )],
    );
    assert_eq!(run.status("web.bundle-secrets", "www.acme.app"), "error");
}

#[test]
fn bundle_scan_off_is_skipped_with_the_reason() {
    let run = Project::new(&MANIFEST.replace("  bundle_scan: true\n", ""))
        .audit(&["--only", "web.bundle-secrets"]);
    let result = run.result("web.bundle-secrets", "www.acme.app");
    assert_eq!(result["status"], "skip");
    assert!(result["summary"].as_str().unwrap().contains("bundle_scan"));
}
