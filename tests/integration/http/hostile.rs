//! Servers that hang past --timeout or refuse connections: every http.* check ends as
//! `error` with the reason, never `pass`, within the timeout.

use std::time::Duration;

use launch_ready::sandbox::{Resp, Site, World, Zones, handler};

use crate::support::Project;

const MANIFEST: &str = r#"version: 1
project: acme
web:
  canonical: https://www.acme.app
  aliases: [refused.acme.app]
  private_paths: [/api/]
  health: /api/health
  cors_paths: [/api/]
  redirects:
    - { from: "https://refused.acme.app/old", to: "https://www.acme.app/new" }
webhooks:
  - { name: stripe, url: "https://refused.acme.app/api/webhooks/stripe" }
"#;

#[test]
fn hanging_and_refusing_servers_are_errors_never_passes() {
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let world = || World {
        zones: Zones::new(),
        sites: vec![Site::new("www.acme.app").route(
            "*",
            handler(|_| Resp::html("late").delay(Duration::from_secs(4))),
        )],
    };
    let run = Project::new(MANIFEST).world(world).audit(&[
        "--only",
        "http.*",
        "--timeout",
        "1",
        "--connect-to",
        &format!("refused.acme.app:{refused}"),
    ]);
    assert!(
        run.audit_time() < Duration::from_secs(15),
        "took {:?}",
        run.audit_time()
    );
    let results = run.report["results"].as_array().expect("a JSON report");
    assert_eq!(results.len(), 12, "{}", run.stdout);
    for r in results {
        assert_eq!(r["status"], "error", "{r}");
        let summary = r["summary"].as_str().unwrap();
        assert!(
            summary.contains("timed out after 1s") || summary.contains("connection failed"),
            "{summary}"
        );
    }
    let hsts = run.result("http.hsts", "www.acme.app");
    assert_eq!(hsts["details"]["kind"], "timeout");
    let canonical = run.result("http.canonical", "refused.acme.app");
    assert_eq!(canonical["details"]["kind"], "connect");
    assert_eq!(run.code, 1);
}

#[test]
fn the_demo_shows_http_findings() {
    let out = crate::support::launch_ready()
        .args(["demo", "--format", "json", "--no-progress"])
        .output()
        .expect("run");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("demo JSON");
    let status = |check: &str, target: &str| {
        report["results"]
            .as_array()
            .and_then(|rs| {
                rs.iter()
                    .find(|r| r["check"] == check && r["target"] == target)
            })
            .map(|r| r["status"].as_str().unwrap_or_default().to_owned())
            .unwrap_or_else(|| panic!("no {check} {target}"))
    };
    assert_eq!(status("http.cache", "https://www.acme.app/api/"), "fail");
    assert_eq!(status("http.hsts", "www.acme.app"), "fail");
    assert_eq!(status("http.security-headers", "www.acme.app"), "warn");
    assert_eq!(
        status("http.canonical", "acme.app"),
        "fail",
        "the apex drops the query"
    );
    assert_eq!(status("http.https-redirect", "www.acme.app"), "pass");
    assert_eq!(
        status("http.health", "https://www.acme.app/api/health"),
        "pass"
    );
}
