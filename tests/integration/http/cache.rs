//! http.cache, http.cors and http.health against one canonical site whose paths each
//! show one behaviour.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use launch_ready::sandbox::{Resp, Site, World, Zones, handler};

use super::summary;
use crate::support::{Project, Run};

const MANIFEST: &str = r#"version: 1
project: acme
web:
  canonical: https://www.acme.app
  private_paths: [/api/, /missing/, /cf/, /vercel/, /age/, /smaxage/, /public/, /second/]
  health: /api/health
  cors_paths: [/api/cors-ok, /api/cors-star, /api/cors-reflect, /api/cors-star-cred, /api/cors-preflight, /api/cors-null, /api/cors-reflect-cred]
webhooks:
  - { name: stripe, url: "https://www.acme.app/api/webhooks/stripe" }
"#;

const W: &str = "https://www.acme.app";
const EVIL: &str = "https://evil.launch-ready.invalid";

fn json() -> Resp {
    Resp::json(200, &serde_json::json!({"ok": true}))
}

fn world(posts: Arc<AtomicUsize>) -> World {
    let seen = Arc::new(AtomicUsize::new(0));
    let site = Site::new("www.acme.app")
        .route(
            "/api/",
            handler(|_| json().header("cache-control", "private, no-store")),
        )
        .route("/api/health", handler(|_| json()))
        .route("/cf/", handler(|_| json().header("cf-cache-status", "HIT")))
        .route(
            "/vercel/",
            handler(|_| json().header("x-vercel-cache", "HIT")),
        )
        .route("/age/", handler(|_| json().header("age", "30")))
        .route(
            "/smaxage/",
            handler(|_| json().header("cache-control", "s-maxage=60")),
        )
        .route(
            "/public/",
            handler(|_| json().header("cache-control", "public, max-age=60")),
        )
        .route(
            "/second/",
            handler(move |_| {
                let status = if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                    "MISS"
                } else {
                    "HIT"
                };
                json().header("cf-cache-status", status)
            }),
        )
        .route(
            "/api/webhooks/stripe",
            handler(move |req| {
                if req.method == "POST" {
                    posts.fetch_add(1, Ordering::SeqCst);
                }
                Resp::text(405, "method not allowed").header("x-vercel-cache", "HIT")
            }),
        )
        .route(
            "/api/cors-ok",
            handler(|_| json().header("access-control-allow-origin", W)),
        )
        .route(
            "/api/cors-star",
            handler(|_| json().header("access-control-allow-origin", "*")),
        )
        .route(
            "/api/cors-reflect",
            handler(|req| {
                let origin = req.header("origin").unwrap_or_default().to_owned();
                json().header("access-control-allow-origin", origin)
            }),
        )
        .route(
            "/api/cors-reflect-cred",
            handler(|req| {
                let origin = req.header("origin").unwrap_or_default().to_owned();
                json()
                    .header("access-control-allow-origin", origin)
                    .header("access-control-allow-credentials", "true")
            }),
        )
        .route(
            // Trusts only the `null` origin (an allow-list with "null" in it).
            "/api/cors-null",
            handler(|req| {
                if req.header("origin") == Some("null") {
                    json()
                        .header("access-control-allow-origin", "null")
                        .header("access-control-allow-credentials", "true")
                } else {
                    json()
                }
            }),
        )
        .route(
            "/api/cors-star-cred",
            handler(|_| {
                json()
                    .header("access-control-allow-origin", "*")
                    .header("access-control-allow-credentials", "true")
            }),
        )
        .route(
            "/api/cors-preflight",
            handler(|req| match req.method.as_str() {
                "OPTIONS" if req.header("access-control-request-method") == Some("POST") => {
                    let origin = req.header("origin").unwrap_or_default().to_owned();
                    Resp::new(204)
                        .header("access-control-allow-origin", origin)
                        .header("access-control-allow-credentials", "true")
                }
                _ => json(),
            }),
        );
    World {
        zones: Zones::new(),
        sites: vec![site],
    }
}

fn run() -> (Run, Arc<AtomicUsize>) {
    let posts = Arc::new(AtomicUsize::new(0));
    let p = posts.clone();
    let run = Project::new(MANIFEST).world(move || world(p)).audit(&[
        "--only",
        "http.cache",
        "--only",
        "http.cors",
        "--only",
        "http.health",
    ]);
    (run, posts)
}

#[test]
fn cache_fails_on_every_sign_of_a_shared_cache_and_passes_private_routes() {
    let (run, posts) = run();
    let s = |path: &str| run.status("http.cache", &format!("{W}{path}"));
    let sum = |path: &str| summary(&run, "http.cache", &format!("{W}{path}"));
    assert_eq!(s("/api/"), "pass", "private, no-store");
    assert_eq!(s("/missing/"), "pass", "a 404 without cache headers");
    assert_eq!(s("/cf/"), "fail");
    assert!(sum("/cf/").contains("cf-cache-status: HIT"));
    assert_eq!(s("/vercel/"), "fail");
    assert!(sum("/vercel/").contains("x-vercel-cache: HIT"));
    assert_eq!(s("/age/"), "fail");
    assert!(sum("/age/").contains("Age: 30"));
    assert_eq!(s("/smaxage/"), "fail");
    assert!(sum("/smaxage/").contains("s-maxage"));
    assert_eq!(s("/public/"), "fail");
    assert!(sum("/public/").contains("public"));
    assert_eq!(s("/second/"), "fail", "the second request reveals the HIT");
    assert!(
        sum("/second/").contains("second request"),
        "{}",
        sum("/second/")
    );
    assert_eq!(
        s("/api/webhooks/stripe"),
        "fail",
        "webhook URLs are examined too"
    );
    assert_eq!(posts.load(Ordering::SeqCst), 0, "http.cache never POSTs");
}

#[test]
fn cors_fails_on_origins_reflected_with_credentials_and_warns_on_the_rest() {
    let (run, _) = run();
    let s = |path: &str| run.status("http.cors", &format!("{W}{path}"));
    let sum = |path: &str| summary(&run, "http.cors", &format!("{W}{path}"));
    assert_eq!(s("/api/cors-ok"), "pass");
    assert_eq!(
        s("/api/cors-star"),
        "warn",
        "a wildcard without credentials"
    );
    assert_eq!(
        s("/api/cors-reflect"),
        "warn",
        "reflection without credentials is no worse than *"
    );
    assert!(sum("/api/cors-reflect").contains(EVIL));
    assert_eq!(s("/api/cors-reflect-cred"), "fail");
    assert!(sum("/api/cors-reflect-cred").contains("with Access-Control-Allow-Credentials: true"));
    assert_eq!(
        s("/api/cors-star-cred"),
        "warn",
        "browsers refuse * with credentials"
    );
    assert!(sum("/api/cors-star-cred").contains("browsers refuse it"));
    assert_eq!(s("/api/cors-preflight"), "fail");
    assert!(
        sum("/api/cors-preflight").contains("preflight")
            && !sum("/api/cors-preflight").contains("GET:")
    );
}

#[test]
fn cors_preflights_with_a_null_origin_too() {
    let (run, _) = run();
    let path = format!("{W}/api/cors-null");
    assert_eq!(
        run.status("http.cors", &path),
        "fail",
        "{}",
        run.result("http.cors", &path)
    );
    assert!(summary(&run, "http.cors", &path).contains("the Origin `null` is reflected with"));
}

#[test]
fn health_passes_when_fast_and_2xx() {
    let (run, _) = run();
    assert_eq!(
        run.status("http.health", &format!("{W}/api/health")),
        "pass"
    );
}

fn health(resp: Resp) -> Run {
    let world = move || World {
        zones: Zones::new(),
        sites: vec![Site::new("www.acme.app").route("/healthz", handler(move |_| resp.clone()))],
    };
    let manifest =
        "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n  health: /healthz\n";
    Project::new(manifest)
        .world(world)
        .audit(&["--only", "http.health"])
}

#[test]
fn health_fails_when_not_2xx_and_warns_when_slow() {
    let target = format!("{W}/healthz");
    let down = health(Resp::text(503, "db down"));
    assert_eq!(down.status("http.health", &target), "fail");
    assert!(summary(&down, "http.health", &target).contains("503"));
    let moved = health(Resp::redirect(302, "/login"));
    assert_eq!(moved.status("http.health", &target), "fail");
    assert!(summary(&moved, "http.health", &target).contains("redirects (302)"));
    let slow = health(Resp::text(200, "ok").delay(Duration::from_millis(1300)));
    assert_eq!(slow.status("http.health", &target), "warn");
    assert!(summary(&slow, "http.health", &target).contains("slower than 1000 ms"));
}

/// A serverless cold start: only the first request after idle is slow. The warm second
/// answer is judged; both timings stay in the details.
#[test]
fn health_passes_after_a_cold_start_and_keeps_both_timings() {
    let target = format!("{W}/healthz");
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let world = {
        let calls = calls.clone();
        move || {
            let calls = calls.clone();
            World {
                zones: Zones::new(),
                sites: vec![Site::new("www.acme.app").route(
                    "/healthz",
                    handler(move |_| {
                        let first = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0;
                        let ok = Resp::text(200, "ok");
                        if first {
                            ok.delay(Duration::from_millis(1300))
                        } else {
                            ok
                        }
                    }),
                )],
            }
        }
    };
    let manifest =
        "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n  health: /healthz\n";
    let run = Project::new(manifest)
        .world(world)
        .audit(&["--only", "http.health"]);
    assert_eq!(
        run.status("http.health", &target),
        "pass",
        "{}",
        run.result("http.health", &target)
    );
    assert!(summary(&run, "http.health", &target).contains("cold start"));
    let details = &run.result("http.health", &target)["details"];
    assert!(details["elapsed_ms"].as_f64().unwrap() > 1000.0);
    assert!(details["second_elapsed_ms"].as_f64().unwrap() < 1000.0);
}

#[test]
fn health_is_skipped_without_web_health() {
    let run = Project::new("version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n")
        .audit(&["--only", "http.health"]);
    let results = run.report["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["status"], "skip");
}

#[test]
fn redirects_are_followed_for_cache_and_never_pass_for_cors() {
    let world = || World {
        zones: Zones::new().zone("acme.app").a("www.acme.app", "127.0.0.1"),
        sites: vec![
            Site::new("www.acme.app")
                .route("/api", handler(|_| Resp::redirect(308, "/api/")))
                .route(
                    "/api/",
                    handler(|_| {
                        json()
                            .header("cache-control", "no-cache")
                            .header("cache-control", "public, s-maxage=600")
                    }),
                )
                .route("/cors", handler(|_| Resp::redirect(308, "/cors/")))
                .route(
                    "/cors/",
                    handler(|req| {
                        let origin = req.header("origin").unwrap_or_default().to_owned();
                        json()
                            .header("access-control-allow-origin", origin)
                            .header("access-control-allow-credentials", "true")
                    }),
                ),
        ],
    };
    let manifest = "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n  private_paths: [/api]\n  cors_paths: [/cors]\n";
    let run =
        Project::new(manifest)
            .world(world)
            .audit(&["--only", "http.cache", "--only", "http.cors"]);
    let cache = run.result("http.cache", "https://www.acme.app/api");
    assert_eq!(
        cache["status"], "fail",
        "a cacheable page behind a redirect, in a second Cache-Control line: {cache}"
    );
    assert_eq!(cache["details"]["judged_url"], "https://www.acme.app/api/");
    assert_eq!(
        run.status("http.cors", "https://www.acme.app/cors"),
        "error"
    );
}
