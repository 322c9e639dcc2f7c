//! http.https-redirect, http.canonical and http.redirects against sandbox sites that
//! redirect well, badly, in loops and in long chains. Header, cache, CORS and health
//! checks are in the submodules; misbehaving servers in `hostile`.

use launch_ready::sandbox::web::Handler;
use launch_ready::sandbox::{Resp, Site, World, Zones, handler};

use crate::support::{Project, Run};

mod cache;
mod headers;
mod hostile;
mod quality;
mod semantics;

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
  hosts: [plain.acme.app, temp.acme.app, tohttp.acme.app, foreign.acme.app, only.acme.app, back.acme.app]
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
        // Nothing listens for plain HTTP: a definite state, not an error.
        Site::new("only.acme.app").https_only().route("*", page()),
        // http → https on the host, then back to plain HTTP elsewhere.
        Site::new("back.acme.app")
            .route_on("http", "*", to("https://back.acme.app", true, true))
            .route(
                "*",
                handler(|_| Resp::redirect(301, "http://plain.acme.app/")),
            ),
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
    assert!(summary(&run, "http.https-redirect", "www.acme.app").contains("301"));
    assert_eq!(s("plain.acme.app"), "fail");
    assert!(summary(&run, "http.https-redirect", "plain.acme.app").contains("plain HTTP (200)"));
    assert_eq!(s("temp.acme.app"), "warn");
    assert!(summary(&run, "http.https-redirect", "temp.acme.app").contains("302"));
    assert_eq!(s("tohttp.acme.app"), "fail");
    assert!(summary(&run, "http.https-redirect", "tohttp.acme.app").contains("not to https"));
    assert_eq!(run.code, 1);
}

#[test]
fn https_redirect_first_hop_must_stay_on_the_host() {
    // hstspreload.org's rule: http://apex → https://www.apex skips HSTS on the apex.
    let run = run();
    let s = |host| run.status("http.https-redirect", host);
    assert_eq!(
        s("acme.app"),
        "warn",
        "{}",
        run.result("http.https-redirect", "acme.app")
    );
    assert!(
        summary(&run, "http.https-redirect", "acme.app")
            .contains("redirect to https://acme.app/ first")
    );
    assert_eq!(s("foreign.acme.app"), "warn");
    assert!(
        summary(&run, "http.https-redirect", "foreign.acme.app").contains("https://www.acme.shop/")
    );
}

#[test]
fn https_redirect_judges_the_whole_chain() {
    let run = run();
    assert_eq!(run.status("http.https-redirect", "back.acme.app"), "fail");
    let sum = summary(&run, "http.https-redirect", "back.acme.app");
    assert!(
        sum.contains("returns to plain HTTP (http://plain.acme.app/)"),
        "{sum}"
    );
    let hops = &run.result("http.https-redirect", "back.acme.app")["details"]["hops"];
    assert_eq!(hops.as_array().map(Vec::len), Some(3), "{hops}");
    let www = &run.result("http.https-redirect", "www.acme.app")["details"];
    assert_eq!(www["redirects"], 1);
}

#[test]
fn no_listener_on_port_80_passes_with_a_note() {
    let run = run();
    let r = run.result("http.https-redirect", "only.acme.app");
    assert_eq!(r["status"], "pass", "{r}");
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .contains("nothing is served over plain HTTP")
    );
    assert_eq!(r["details"]["kind"], "connect");
    assert_eq!(r["details"]["https_status"], 200);
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
