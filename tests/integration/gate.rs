//! Issue 11: a gate that cannot be fooled. Each test here failed before its fix.

use std::time::Duration;

use crate::support::{Project, launch_ready};

const MINIMAL: &str = "version: 1\nproject: acme\nenv:\n  required: [APP_SECRET]\n";

fn stderr_of(args: &[&str]) -> (i32, String, String) {
    let run = Project::new(MINIMAL).audit(args);
    (run.code, run.stdout, run.stderr)
}

#[test]
fn a_mistyped_only_glob_is_a_usage_error_naming_the_closest_ids() {
    let (code, stdout, stderr) = stderr_of(&["--only", "emial.*"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "a report was printed: {stdout}");
    assert!(stderr.contains("emial.*"), "{stderr}");
    assert!(stderr.contains("`email."), "{stderr}");
}

#[test]
fn a_skip_glob_that_matches_nothing_is_a_usage_error() {
    let (code, _, stderr) = stderr_of(&["--skip", "tls.expiri"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`tls.expiry`"), "{stderr}");
}

#[test]
fn a_selection_left_empty_is_a_usage_error() {
    let (code, _, stderr) = stderr_of(&["--only", "env.required", "--skip", "env.*"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no check to run"), "{stderr}");
}

#[test]
fn explain_suggests_the_full_id_of_a_bare_name() {
    let out = launch_ready().args(["explain", "dmarc"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `email.dmarc`"), "{err}");
}

#[test]
fn out_of_range_durations_are_usage_errors_not_panics() {
    for args in [
        ["--timeout", "1e30"],
        ["--deadline", "1e30"],
        ["--deadline", "1e19"],
        ["--timeout", "inf"],
        ["--timeout", "NaN"],
        ["--timeout", "3601"],
        ["--deadline", "86401"],
        ["--deadline", "-1"],
        ["--concurrency", "0"],
        ["--concurrency", "99999999999999999999"],
    ] {
        let (code, stdout, stderr) = stderr_of(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    // The bounds themselves are accepted.
    let run = Project::new(MINIMAL)
        .file(".env", "APP_SECRET=abc\n")
        .audit(&[
            "--env-file",
            ".env",
            "--timeout",
            "3600",
            "--deadline",
            "86400",
        ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn schema_report_prints_the_json_schema_of_the_report() {
    let out = launch_ready()
        .args(["schema", "--report"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for field in ["schema_version", "summary", "notices", "results"] {
        assert!(
            schema["properties"][field].is_object(),
            "schema lacks {field}"
        );
    }
    // And a real report has exactly the schema's top-level fields.
    let run = Project::new(MINIMAL).audit(&[]);
    for field in run.report.as_object().unwrap().keys() {
        assert!(
            schema["properties"][field].is_object(),
            "schema lacks {field}"
        );
    }
    assert_eq!(run.report["notices"], serde_json::json!([]));
}

#[test]
fn demo_takes_no_fail_on() {
    let out = launch_ready()
        .args(["demo", "--fail-on", "warn", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn verbose_lists_every_result_with_timing_and_evidence_masked() {
    let secret = "sk_live_verbosetestsecret0123456789";
    let manifest = "version: 1\nproject: acme\nenv:\n  required: [STRIPE_SECRET_KEY]\n";
    let run = Project::new(manifest)
        .file(".env", &format!("STRIPE_SECRET_KEY={secret}\n"))
        .audit(&["--env-file", ".env", "-v"]);
    assert!(!run.stderr.contains(secret), "{}", run.stderr);
    assert!(!run.stdout.contains(secret));
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("env.required STRIPE_SECRET_KEY"))
        .unwrap_or_else(|| panic!("no verbose line in {}", run.stderr));
    assert!(line.contains(" ms "), "{line}");
    assert!(line.contains("pass"), "{line}");
    let results = run.report["results"].as_array().unwrap().len();
    let listed = run.stderr.lines().filter(|l| l.contains(" ms  ")).count();
    assert_eq!(listed, results, "{}", run.stderr);
    // --quiet and --verbose contradict each other.
    let run = Project::new(MINIMAL).audit(&["-v", "-q"]);
    assert_eq!(run.code, 2);
}

#[test]
fn when_no_lookup_is_answered_the_report_says_so_once_first() {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = socket.local_addr().unwrap().port();
    drop(socket);
    let manifest = "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n";
    let nameserver = format!("127.0.0.1:{port}");
    let args = [
        "--nameserver",
        &nameserver,
        "--timeout",
        "1",
        "--only",
        "dns.*",
    ];
    let run = Project::new(manifest).audit(&args);
    let notices = run.report["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{}", run.stdout);
    assert_eq!(notices[0]["code"], "dns-unavailable");
    assert!(
        notices[0]["message"]
            .as_str()
            .unwrap()
            .contains("no DNS answers"),
        "{}",
        notices[0]
    );
    // Grouping is presentation only: each check keeps its own error.
    assert_eq!(run.status("dns.resolves", "www.acme.app"), "error");
    assert_eq!(run.status("dns.ns", "acme.app"), "error");
    assert_eq!(run.code, 1);
    // Every other format says it first.
    let out = Project::new(manifest)
        .command()
        .args(["audit", "launch-ready.yaml", "--format", "table"])
        .args(args)
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table
            .lines()
            .nth(1)
            .unwrap_or("")
            .starts_with("notice: no DNS answers"),
        "{table}"
    );
    assert!(run.audit_time() < Duration::from_secs(10));
}

#[test]
fn a_healthy_resolver_earns_no_notice() {
    let manifest = "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n";
    let run = Project::new(manifest)
        .world(|| launch_ready::sandbox::World {
            zones: launch_ready::sandbox::Zones::new()
                .zone("acme.app")
                .a("www.acme.app", "127.0.0.1"),
            sites: Vec::new(),
        })
        .audit(&["--only", "dns.*"]);
    assert_eq!(
        run.report["notices"],
        serde_json::json!([]),
        "{}",
        run.stdout
    );
}

#[test]
fn email_results_for_a_domain_that_does_not_exist_say_so() {
    let manifest = "version: 1\nproject: acme\nemail:\n  domain: mail.acme.app\n";
    let run = Project::new(manifest)
        .world(|| launch_ready::sandbox::World {
            zones: launch_ready::sandbox::Zones::new()
                .zone("acme.app")
                .a("www.acme.app", "127.0.0.1"),
            sites: Vec::new(),
        })
        .audit(&["--only", "email.*"]);
    let notices = run.report["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{}", run.stdout);
    assert_eq!(notices[0]["code"], "domain-does-not-exist");
    for check in ["email.dmarc", "email.spf", "email.mx"] {
        let r = run.result(check, "mail.acme.app");
        assert!(
            r["summary"]
                .as_str()
                .unwrap()
                .starts_with("the domain mail.acme.app does not exist"),
            "{r}"
        );
        assert_ne!(r["status"], "pass", "{r}");
    }
}

/// Issue 11 item 2, through the binary: one permit, names resolved through
/// --nameserver (no --connect-to), and every request still finishes.
#[test]
fn one_permit_and_no_pinned_hosts_do_not_stall_http() {
    use launch_ready::sandbox::{Resp, Site, World, Zones, handler};
    let p = Project::new("version: 1\nproject: acme\n").world(|| World {
        zones: Zones::new()
            .zone("acme.app")
            .a("hooks.acme.app", "127.0.0.1")
            .a("api.acme.app", "127.0.0.1"),
        sites: ["hooks.acme.app", "api.acme.app"]
            .map(|h| Site::new(h).route("*", handler(|_| Resp::new(400))))
            .to_vec(),
    });
    let sb = p.sandbox.as_ref().unwrap();
    let port = sb.web_addr.port();
    let manifest = format!(
        "version: 1\nproject: acme\nwebhooks:\n  - {{ name: a, url: 'http://hooks.acme.app:{port}/a' }}\n  - {{ name: b, url: 'http://api.acme.app:{port}/b' }}\n"
    );
    std::fs::write(p.path().join("launch-ready.yaml"), manifest).unwrap();
    let nameserver = sb.dns_addr.to_string();
    let out = p
        .command()
        .args([
            "audit",
            "launch-ready.yaml",
            "--format",
            "json",
            "--only",
            "webhook.reachable",
        ])
        .args([
            "--nameserver",
            &nameserver,
            "--concurrency",
            "1",
            "--timeout",
            "5",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for r in report["results"].as_array().unwrap() {
        assert_ne!(r["status"], "error", "{r}");
        assert!(!r["summary"].as_str().unwrap().contains("timed out"), "{r}");
    }
    assert_eq!(report["results"].as_array().unwrap().len(), 2, "{report}");
}
