//! http.https-redirect, http.canonical and http.redirects against sandbox sites that
//! redirect well, badly, in loops and in long chains. Header, cache, CORS and health
//! checks are in the submodules; misbehaving servers in `hostile`.

use launch_ready::sandbox::web::Handler;
use launch_ready::sandbox::{Resp, Site, World, Zones, handler};

use crate::support::{Project, Run};

mod cache;
mod headers;
mod hostile;

/// A permanent redirect to `origin` keeping path and query (or not).
pub(super) fn to(origin: &'static str, keep_path: bool, keep_query: bool) -> Handler {
    handler(move |req| {
        let path = if keep_path { req.path.as_str() } else { "/" };
        let query = if keep_query && !req.query.is_empty() {
            format!("?{}", req.query)
        } else {
            String::new()
        };
        Resp::redirect(301, format!("{origin}{path}{query}"))
    })
}

pub(super) fn page() -> Handler {
    handler(|_| Resp::html("<!doctype html><title>ok</title>"))
}

pub(super) fn summary(run: &Run, check: &str, target: &str) -> String {
    run.result(check, target)["summary"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

const MANIFEST: &str = r#"version: 1
project: acme
web:
  canonical: https://www.acme.app
  aliases: [acme.app, keep.acme.app, long.acme.app, loop.acme.app, nopath.acme.app, noquery.acme.app, elsewhere.acme.app, self.acme.app]
  hosts: [plain.acme.app, temp.acme.app, tohttp.acme.app, foreign.acme.app]
  redirects:
    - { from: "http://acme.app/pricing", to: "https://www.acme.app/pricing" }
    - { from: "https://www.acme.app/old", to: "https://www.acme.app/new" }
    - { from: "https://www.acme.app/loop-a", to: "https://www.acme.app/new" }
    - { from: "https://www.acme.app/far", to: "https://www.acme.app/far-end" }
"#;

fn far_chain() -> Handler {
    // /far → /far1 → … → /far7 → /far-end: eight redirects, over the limit of five.
    handler(|req| {
        let n: u32 = req.path.trim_start_matches("/far").parse().unwrap_or(0);
        if n >= 7 {
            Resp::redirect(301, "/far-end")
        } else {
            Resp::redirect(301, format!("/far{}", n + 1))
        }
    })
}

fn world() -> World {
    let www = Site::new("www.acme.app")
        .route_on("http", "*", to("https://www.acme.app", true, true))
        .route("/old", handler(|_| Resp::redirect(301, "/elsewhere")))
        .route("/loop-a", handler(|_| Resp::redirect(301, "/loop-b")))
        .route("/loop-b", handler(|_| Resp::redirect(302, "/loop-a")))
        .route("/far-end", page())
        .route("/far*", far_chain())
        .route("*", page());
    let sites = vec![
        www,
        Site::new("acme.app").route("*", to("https://www.acme.app", true, true)),
        Site::new("keep.acme.app").route("*", to("https://acme.app", true, true)),
        Site::new("long.acme.app").route("*", to("https://long2.acme.app", true, true)),
        Site::new("long2.acme.app").route("*", to("https://acme.app", true, true)),
        Site::new("loop.acme.app").route("*", to("https://loop2.acme.app", true, true)),
        Site::new("loop2.acme.app").route("*", to("https://loop.acme.app", true, true)),
        Site::new("nopath.acme.app").route("*", to("https://www.acme.app", false, false)),
        Site::new("noquery.acme.app").route("*", to("https://www.acme.app", true, false)),
        Site::new("elsewhere.acme.app").route("*", to("https://www.acme.shop", true, true)),
        Site::new("www.acme.shop").route("*", page()),
        Site::new("self.acme.app").route("*", page()),
        Site::new("plain.acme.app").route("*", page()),
        Site::new("temp.acme.app")
            .route_on(
                "http",
                "*",
                handler(|_| Resp::redirect(302, "https://temp.acme.app/")),
            )
            .route("*", page()),
        Site::new("tohttp.acme.app")
            .route_on(
                "http",
                "*",
                handler(|_| Resp::redirect(301, "http://www.acme.app/")),
            )
            .route("*", page()),
        Site::new("foreign.acme.app")
            .route_on(
                "http",
                "*",
                handler(|_| Resp::redirect(301, "https://www.acme.shop/")),
            )
            .route("*", page()),
    ];
    World {
        zones: Zones::new(),
        sites,
    }
}

fn run() -> Run {
    Project::new(MANIFEST).world(world).audit(&[
        "--only",
        "http.https-redirect",
        "--only",
        "http.canonical",
        "--only",
        "http.redirects",
    ])
}

#[test]
fn https_redirect_passes_permanent_warns_temporary_and_fails_plain_http() {
    let run = run();
    let s = |host| run.status("http.https-redirect", host);
    assert_eq!(s("www.acme.app"), "pass");
    assert_eq!(s("acme.app"), "pass", "to https on the canonical host");
    assert!(summary(&run, "http.https-redirect", "www.acme.app").contains("301"));
    assert_eq!(s("plain.acme.app"), "fail");
    assert!(summary(&run, "http.https-redirect", "plain.acme.app").contains("plain HTTP (200)"));
    assert_eq!(s("temp.acme.app"), "warn");
    assert!(summary(&run, "http.https-redirect", "temp.acme.app").contains("302"));
    assert_eq!(s("tohttp.acme.app"), "fail");
    assert!(summary(&run, "http.https-redirect", "tohttp.acme.app").contains("not to https"));
    assert_eq!(s("foreign.acme.app"), "fail");
    assert_eq!(run.code, 1);
}

#[test]
fn canonical_needs_one_or_two_hops_to_canonical_keeping_path_and_query() {
    let run = run();
    let s = |alias| run.status("http.canonical", alias);
    let sum = |alias| summary(&run, "http.canonical", alias);
    assert_eq!(
        s("acme.app"),
        "pass",
        "{}",
        run.result("http.canonical", "acme.app")
    );
    let hops = &run.result("http.canonical", "acme.app")["details"]["hops"];
    assert_eq!(hops[0]["url"], "https://acme.app/launch-ready-probe?lr=1");
    assert_eq!(hops[0]["status"], 301);
    assert_eq!(s("keep.acme.app"), "pass", "two hops are allowed");
    assert_eq!(s("long.acme.app"), "fail");
    assert!(
        sum("long.acme.app").contains("3 redirects"),
        "{}",
        sum("long.acme.app")
    );
    assert_eq!(s("loop.acme.app"), "fail");
    assert!(sum("loop.acme.app").contains("loop"));
    assert_eq!(s("nopath.acme.app"), "fail");
    assert!(sum("nopath.acme.app").contains("path and the query are dropped"));
    assert_eq!(s("noquery.acme.app"), "fail");
    assert!(sum("noquery.acme.app").contains("the query is dropped"));
    assert_eq!(s("elsewhere.acme.app"), "fail");
    assert!(sum("elsewhere.acme.app").contains("https://www.acme.shop"));
    assert_eq!(s("self.acme.app"), "fail");
    assert!(sum("self.acme.app").contains("instead of redirecting"));
}

#[test]
fn redirect_rules_must_end_exactly_at_their_target() {
    let run = run();
    let check = "http.redirects";
    let pricing = "http://acme.app/pricing → https://www.acme.app/pricing";
    assert_eq!(
        run.status(check, pricing),
        "pass",
        "{}",
        run.result(check, pricing)
    );
    let old = "https://www.acme.app/old → https://www.acme.app/new";
    assert_eq!(run.status(check, old), "fail");
    assert!(summary(&run, check, old).contains("ends at https://www.acme.app/elsewhere"));
    assert_eq!(
        run.result(check, old)["details"]["hops"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let looping = "https://www.acme.app/loop-a → https://www.acme.app/new";
    assert_eq!(run.status(check, looping), "fail");
    assert!(summary(&run, check, looping).contains("loop"));
    let far = "https://www.acme.app/far → https://www.acme.app/far-end";
    assert_eq!(run.status(check, far), "fail");
    assert!(summary(&run, check, far).contains("more than 5 redirects"));
}
