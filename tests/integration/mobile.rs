//! mobile.aasa and mobile.assetlinks against well-known files served by the sandbox,
//! and servers that misbehave.

use std::io::Write;
use std::net::SocketAddr;

use launch_ready::sandbox::{Resp, Site, World, Zones, handler};
use serde_json::json;

use crate::support::{Project, Run};

const FP_UPLOAD: &str = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5";
const FP_PLAY: &str = "B7:2A:1F:09:5C:D4:8E:33:71:AA:60:C2:19:FE:44:D0:8B:5E:97:13:E2:6F:A4:0C:3D:71:58:B9:2E:86:C4:1A";

fn manifest() -> String {
    format!(
        "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\nmobile:\n  ios_app_ids: [ABCDE12345.com.acme.app, ABCDE12345.com.acme.clips]\n  android:\n    package: com.acme.app\n    sha256_fingerprints: [\"{FP_UPLOAD}\", \"{FP_PLAY}\"]\n"
    )
}

const AASA: &str = "/.well-known/apple-app-site-association";
const ASSETLINKS: &str = "/.well-known/assetlinks.json";

/// Audit a canonical host that answers `path` with `resp` (everything else 404).
fn audit_with(path: &'static str, resp: Resp) -> Run {
    let world = move || World {
        zones: Zones::new().zone("acme.app").a("www.acme.app", "127.0.0.1"),
        sites: vec![Site::new("www.acme.app").route(path, handler(move |_| resp.clone()))],
    };
    Project::new(&manifest())
        .world(world)
        .audit(&["--only", "mobile.*"])
}

fn verdict(run: &Run, check: &str) -> (String, String) {
    let r = run.result(check, "www.acme.app");
    (
        r["status"].as_str().unwrap().to_owned(),
        r["summary"].as_str().unwrap().to_owned(),
    )
}

fn statement(fps: &[&str]) -> serde_json::Value {
    json!([{
        "relation": ["delegate_permission/common.handle_all_urls"],
        "target": {"namespace": "android_app", "package_name": "com.acme.app", "sha256_cert_fingerprints": fps}
    }])
}

#[test]
fn aasa_passes_when_every_app_is_listed_in_either_format() {
    let both = json!({"applinks": {"details": [
        {"appIDs": ["ABCDE12345.com.acme.app"], "components": [{"/": "/*"}]},
        {"appID": "ABCDE12345.com.acme.clips", "paths": ["*"]}
    ]}});
    let run = audit_with(AASA, Resp::json(200, &both));
    assert_eq!(verdict(&run, "mobile.aasa").0, "pass");
}

#[test]
fn aasa_fails_when_missing_redirected_not_json_or_an_app_is_absent() {
    let (status, summary) = verdict(&audit_with(ASSETLINKS, Resp::new(200)), "mobile.aasa");
    assert_eq!(status, "fail");
    assert!(summary.contains("missing (404)"), "{summary}");
    let run = audit_with(
        AASA,
        Resp::redirect(
            301,
            "https://acme.app/.well-known/apple-app-site-association",
        ),
    );
    let (status, summary) = verdict(&run, "mobile.aasa");
    assert_eq!(status, "fail");
    assert!(summary.contains("redirects"), "{summary}");
    let run = audit_with(AASA, Resp::html("<html>Not here</html>"));
    let (status, summary) = verdict(&run, "mobile.aasa");
    assert_eq!(status, "fail");
    assert!(summary.contains("not valid JSON"), "{summary}");
    let one = json!({"applinks": {"details": [{"appIDs": ["ABCDE12345.com.acme.app"]}]}});
    let (status, summary) = verdict(&audit_with(AASA, Resp::json(200, &one)), "mobile.aasa");
    assert_eq!(status, "fail");
    assert!(summary.contains("ABCDE12345.com.acme.clips"), "{summary}");
}

#[test]
fn assetlinks_passes_with_both_fingerprints_in_any_case() {
    let lower = FP_PLAY.to_ascii_lowercase();
    let run = audit_with(
        ASSETLINKS,
        Resp::json(200, &statement(&[FP_UPLOAD, &lower])),
    );
    assert_eq!(verdict(&run, "mobile.assetlinks").0, "pass");
}

#[test]
fn assetlinks_fails_when_missing_not_json_or_package_or_fingerprint_absent() {
    let (status, _) = verdict(&audit_with(AASA, Resp::new(200)), "mobile.assetlinks");
    assert_eq!(status, "fail");
    let run = audit_with(ASSETLINKS, Resp::text(200, "[{ oops"));
    assert_eq!(verdict(&run, "mobile.assetlinks").0, "fail");
    let run = audit_with(ASSETLINKS, Resp::json(200, &statement(&[FP_UPLOAD])));
    let (status, summary) = verdict(&run, "mobile.assetlinks");
    assert_eq!(status, "fail");
    assert!(summary.contains(FP_PLAY), "{summary}");
    let other = json!([{"relation": [], "target": {"namespace": "android_app", "package_name": "com.other", "sha256_cert_fingerprints": [FP_UPLOAD, FP_PLAY]}}]);
    let (status, summary) = verdict(
        &audit_with(ASSETLINKS, Resp::json(200, &other)),
        "mobile.assetlinks",
    );
    assert_eq!(status, "fail");
    assert!(
        summary.contains("no statement for com.acme.app"),
        "{summary}"
    );
}

#[test]
fn mobile_checks_skip_without_their_manifest_fields() {
    let run = Project::new("version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n")
        .audit(&["--only", "mobile.*"]);
    let skipped: Vec<&serde_json::Value> =
        run.report["results"].as_array().unwrap().iter().collect();
    assert_eq!(skipped.len(), 2);
    assert!(
        skipped.iter().all(|r| r["status"] == "skip"),
        "{}",
        run.stdout
    );
}

fn garbage_server() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.write_all(b"\x15\x03\x03garbage, not TLS");
        }
    });
    addr
}

#[test]
fn a_server_that_is_not_https_or_never_answers_is_an_error() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    for addr in [garbage_server(), silent.local_addr().unwrap()] {
        let run = Project::new(&manifest()).audit(&[
            "--only",
            "mobile.*",
            "--timeout",
            "1",
            "--connect-to",
            &format!("www.acme.app:{addr}"),
        ]);
        assert_eq!(verdict(&run, "mobile.aasa").0, "error", "{}", run.stdout);
        assert_eq!(
            verdict(&run, "mobile.assetlinks").0,
            "error",
            "{}",
            run.stdout
        );
    }
}

#[test]
fn the_demo_shows_its_tls_and_mobile_findings() {
    let out = crate::support::launch_ready()
        .args(["demo", "--format", "json", "--no-progress"])
        .output()
        .expect("run");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("demo JSON");
    let status = |check: &str, target: &str| {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["check"] == check && r["target"] == target)
            .map(|r| r["status"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        status("tls.expiry", "api.acme.app").as_deref(),
        Some("warn")
    );
    assert_eq!(
        status("tls.expiry", "www.acme.app").as_deref(),
        Some("pass")
    );
    assert_eq!(
        status("mobile.aasa", "www.acme.app").as_deref(),
        Some("pass")
    );
    assert_eq!(
        status("mobile.assetlinks", "www.acme.app").as_deref(),
        Some("fail")
    );
}
