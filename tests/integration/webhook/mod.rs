//! webhook.* against sandbox webhook apps: a healthy handler passes all six checks,
//! each broken one fails the check that names its bug, and misbehaving servers end
//! as `error` or `fail` within the timeout — never `pass`.

use std::time::Duration;

use launch_ready::sandbox::webhook_app::{Mode, webhook_app};
use launch_ready::sandbox::{Behaviour, Resp, Site, World, Zones, handler, random_token};

use crate::support::{Project, Run};

mod handler_styles;
mod hostile;

pub(super) const CHECKS: [&str; 6] = [
    "webhook.reachable",
    "webhook.no-redirect",
    "webhook.signature-enforced",
    "webhook.signed-accepted",
    "webhook.replay-rejected",
    "webhook.latency",
];

pub(super) fn secret() -> String {
    format!("whsec_{}", random_token(32))
}

/// A manifest with one webhook entry per `(name, url, extra)`.
pub(super) fn manifest(hooks: &[(&str, &str, &str)]) -> String {
    let mut m = String::from("version: 1\nproject: acme\nenv:\n  files: [.env]\nwebhooks:\n");
    for (name, url, extra) in hooks {
        m.push_str(&format!(
            "  - {{ name: {name}, url: '{url}', secret_env: STRIPE_WEBHOOK_SECRET{extra} }}\n"
        ));
    }
    m
}

pub(super) fn zones() -> Zones {
    Zones::new()
        .zone("acme.app")
        .ns("acme.app", "ns1.dns.example")
        .ns("acme.app", "ns2.dns.example")
        .a("www.acme.app", "127.0.0.1")
        .a("servfail.acme.app", "127.0.0.1")
        .behave("servfail.acme.app", Behaviour::ServFail)
}

fn healthy_world(secret: String) -> impl FnOnce() -> World + Send + 'static {
    move || World {
        zones: zones(),
        sites: vec![Site::new("www.acme.app").route(
            "/api/webhooks/stripe",
            webhook_app(Mode::Verifying, &secret),
        )],
    }
}

const HEALTHY: (&str, &str, &str) = ("stripe", "https://www.acme.app/api/webhooks/stripe", "");

pub(super) fn summary(run: &Run, check: &str, target: &str) -> String {
    run.result(check, target)["summary"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn healthy_webhook_passes_all_six_checks_and_never_shows_the_secret() {
    let whsec = secret();
    let run = Project::new(&manifest(&[HEALTHY]))
        .file(".env", &format!("STRIPE_WEBHOOK_SECRET={whsec}\n"))
        .world(healthy_world(whsec.clone()))
        .audit(&[
            "--active",
            "--all",
            "--output",
            "table=report.txt",
            "--output",
            "sarif=report.sarif",
        ]);
    for check in CHECKS {
        assert_eq!(
            run.status(check, "stripe"),
            "pass",
            "{check}: {}",
            run.result(check, "stripe")
        );
    }
    assert_eq!(run.code, 0, "{}", run.stderr);
    let latency = &run.result("webhook.latency", "stripe")["details"];
    assert_eq!(latency["samples_ms"].as_array().map(Vec::len), Some(10));
    let p95 = latency["p95_ms"].as_f64().unwrap();
    assert!(p95 <= 500.0 && latency["p50_ms"].as_f64().unwrap() <= p95);
    eprintln!(
        "healthy sandbox webhook: p50 {} ms, p95 {p95} ms, max {} ms",
        latency["p50_ms"], latency["max_ms"]
    );
    let probes = &run.result("webhook.reachable", "stripe")["details"]["probes"];
    assert_eq!(probes["unsigned_probe"]["status"], 400);
    assert_eq!(probes["bad_signature_probe"]["status"], 400);
    let mut outputs = vec![run.stdout.clone(), run.stderr.clone()];
    for file in ["report.txt", "report.sarif"] {
        outputs.push(std::fs::read_to_string(run.dir.path().join(file)).unwrap());
    }
    assert!(
        outputs
            .iter()
            .skip(2)
            .all(|t| t.contains("webhook.signed-accepted"))
    );
    for text in &outputs {
        assert!(!text.contains(&whsec), "the webhook secret leaked:\n{text}");
        assert!(
            !text.contains(&whsec["whsec_".len()..]),
            "the secret's body leaked"
        );
    }
}

#[test]
fn active_checks_skip_without_active_and_name_a_missing_secret_variable() {
    let whsec = secret();
    let run = Project::new(&manifest(&[HEALTHY]))
        .file(".env", &format!("STRIPE_WEBHOOK_SECRET={whsec}\n"))
        .world(healthy_world(whsec))
        .audit(&["--only", "webhook.*"]);
    for check in ["webhook.signed-accepted", "webhook.replay-rejected"] {
        assert_eq!(run.status(check, "stripe"), "skip");
        assert!(summary(&run, check, "stripe").contains("needs --active"));
    }
    assert_eq!(run.status("webhook.signature-enforced", "stripe"), "pass");

    let run = Project::new(&manifest(&[HEALTHY]))
        .file(".env", "STRIPE_WEBHOOK_SECRET=\n")
        .world(healthy_world(secret()))
        .audit(&["--active", "--only", "webhook.s*"]);
    let generic = "version: 1\nproject: acme\nwebhooks:\n  - { name: crm, url: 'https://www.acme.app/api/webhooks/stripe', provider: generic }\n";
    let run_generic = Project::new(generic)
        .world(healthy_world(secret()))
        .audit(&["--active", "--only", "webhook.*"]);
    assert_eq!(
        run_generic.status("webhook.signature-enforced", "crm"),
        "pass"
    );
    for check in ["webhook.signed-accepted", "webhook.replay-rejected"] {
        assert_eq!(run_generic.status(check, "crm"), "skip");
        assert!(summary(&run_generic, check, "crm").contains("`provider: generic`"));
    }

    let skipped = run.result("webhook.signed-accepted", "stripe");
    assert_eq!(skipped["status"], "skip");
    assert!(
        summary(&run, "webhook.signed-accepted", "stripe")
            .contains("STRIPE_WEBHOOK_SECRET is empty")
    );
}

fn broken_world(secret: String) -> impl FnOnce() -> World + Send + 'static {
    move || {
        let app = |mode| webhook_app(mode, &secret);
        World {
            zones: zones(),
            sites: vec![
                Site::new("hooks.acme.app")
                    .route("/open", app(Mode::AcceptsAnything))
                    .route("/wrong-secret", app(Mode::WrongSecret))
                    .route("/no-replay", app(Mode::NoReplayCheck))
                    .route("/crash", app(Mode::ServerError))
                    .route("/slow", app(Mode::Slow(Duration::from_millis(250))))
                    .route(
                        "/get-only",
                        handler(|req| match req.method.as_str() {
                            "GET" => Resp::text(200, "ok"),
                            _ => Resp::text(405, "method not allowed"),
                        }),
                    ),
                Site::new("acme.app").route(
                    "*",
                    handler(|req| Resp::redirect(308, format!("https://www.acme.app{}", req.path))),
                ),
            ],
        }
    }
}

#[test]
fn each_broken_webhook_fails_the_check_that_names_its_bug() {
    let whsec = secret();
    let hooks = [
        ("open", "https://hooks.acme.app/open", ""),
        ("wrong-secret", "https://hooks.acme.app/wrong-secret", ""),
        ("no-replay", "https://hooks.acme.app/no-replay", ""),
        (
            "crash",
            "https://hooks.acme.app/crash",
            ", latency_probes: 2",
        ),
        (
            "missing",
            "https://hooks.acme.app/missing",
            ", latency_probes: 2",
        ),
        (
            "get-only",
            "https://hooks.acme.app/get-only",
            ", latency_probes: 2",
        ),
        (
            "apex",
            "https://acme.app/api/webhooks/stripe",
            ", latency_probes: 2",
        ),
        (
            "slow",
            "https://hooks.acme.app/slow",
            ", max_p95_ms: 100, latency_probes: 3",
        ),
    ];
    let run = Project::new(&manifest(&hooks))
        .file(".env", &format!("STRIPE_WEBHOOK_SECRET={whsec}\n"))
        .world(broken_world(whsec.clone()))
        .audit(&["--active"]);
    let fails = |check: &str, target: &str, words: &[&str]| {
        assert_eq!(
            run.status(check, target),
            "fail",
            "{check} {target}: {}",
            run.result(check, target)
        );
        let text = summary(&run, check, target);
        for w in words {
            assert!(text.contains(w), "{check} {target}: `{w}` not in: {text}");
        }
    };
    fails(
        "webhook.signature-enforced",
        "open",
        &["accepted an unsigned event (200)", "wrong Stripe-Signature"],
    );
    fails("webhook.replay-rejected", "open", &["10 minutes old"]);
    fails(
        "webhook.signed-accepted",
        "wrong-secret",
        &["refused (400)", "STRIPE_WEBHOOK_SECRET"],
    );
    assert_eq!(
        run.status("webhook.replay-rejected", "wrong-secret"),
        "error",
        "cannot tell"
    );
    assert_eq!(
        run.status("webhook.signature-enforced", "wrong-secret"),
        "pass"
    );
    fails("webhook.replay-rejected", "no-replay", &["replayed"]);
    assert_eq!(run.status("webhook.signed-accepted", "no-replay"), "pass");
    fails("webhook.reachable", "crash", &["500"]);
    fails("webhook.signed-accepted", "crash", &["500"]);
    assert_eq!(run.status("webhook.signature-enforced", "crash"), "error");
    fails("webhook.reachable", "missing", &["404"]);
    fails("webhook.reachable", "get-only", &["405"]);
    fails(
        "webhook.no-redirect",
        "apex",
        &[
            "308",
            "apex → www",
            "https://www.acme.app/api/webhooks/stripe",
        ],
    );
    let apex = run.result("webhook.no-redirect", "apex");
    assert_eq!(
        apex["details"]["location"],
        "https://www.acme.app/api/webhooks/stripe"
    );
    fails("webhook.latency", "slow", &["over the 100 ms limit"]);
    let slow = &run.result("webhook.latency", "slow")["details"];
    assert!(slow["p95_ms"].as_f64().unwrap() >= 250.0, "{slow}");
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains(&whsec) && !run.stderr.contains(&whsec));
}

#[test]
fn an_untrusted_certificate_is_a_tls_failure_and_a_dns_failure_in_a_tls_named_host_is_not() {
    let secret = secret();
    let world = healthy_world(secret.clone());
    let project = Project::new(&manifest(&[
        HEALTHY,
        ("tlsnamed", "https://servfail.acme.app/tls/certificate", ""),
    ]))
    .file(".env", &format!("STRIPE_WEBHOOK_SECRET={secret}\n"))
    .world(world);
    // The same sandbox, but without --ca-file: its CA is not trusted.
    let flags: Vec<String> = project.sandbox.as_ref().unwrap().flags.clone();
    let cut = flags.iter().position(|f| f == "--ca-file").unwrap();
    let mut cmd = project.command();
    cmd.args([
        "audit",
        "launch-ready.yaml",
        "--format",
        "json",
        "--timeout",
        "2",
        "--only",
        "webhook.reachable",
    ])
    .args(&flags[..cut]);
    let out = cmd.output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = |target: &str| {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["target"] == target)
            .cloned()
            .unwrap()
    };
    let untrusted = result("stripe");
    assert_eq!(untrusted["status"], "fail", "{untrusted}");
    assert!(
        untrusted["summary"].as_str().unwrap().contains("TLS"),
        "{untrusted}"
    );
    // "tls" and "certificate" in the URL must not turn a SERVFAIL into a TLS verdict.
    let servfail = result("tlsnamed");
    assert_eq!(servfail["status"], "error", "{servfail}");
    assert!(
        servfail["summary"].as_str().unwrap().contains("SERVFAIL"),
        "{servfail}"
    );
}

#[test]
fn a_missing_route_or_a_rate_limit_is_not_signature_enforcement() {
    let world = || World {
        zones: zones(),
        sites: vec![
            Site::new("www.acme.app")
                .route("/gone", handler(|_| Resp::text(404, "not found")))
                .route("/limited", handler(|_| Resp::text(429, "slow down"))),
        ],
    };
    let run = Project::new(&manifest(&[
        ("gone", "https://www.acme.app/gone", ""),
        ("limited", "https://www.acme.app/limited", ""),
    ]))
    .file(".env", "STRIPE_WEBHOOK_SECRET=\n")
    .world(world)
    .audit(&[
        "--only",
        "webhook.signature-enforced",
        "--only",
        "webhook.reachable",
    ]);
    assert_eq!(run.status("webhook.signature-enforced", "gone"), "error");
    assert_eq!(run.status("webhook.signature-enforced", "limited"), "error");
    assert_eq!(run.status("webhook.reachable", "gone"), "fail");
    assert_eq!(run.status("webhook.reachable", "limited"), "error");
}
