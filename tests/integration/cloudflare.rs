//! The cloudflare.* checks against the sandbox's Cloudflare API fake: a zone in
//! front of acme.app, each failure class, and each way the API misbehaves.

use launch_ready::sandbox::api_fake::{Fault, RequestLog, Rule};
use launch_ready::sandbox::cloudflare_fake::CloudflareFake;
use launch_ready::sandbox::random_token;
use launch_ready::sandbox::{World, Zones};
use serde_json::{Value, json};

use crate::support::{Project, Run};

const BASE: &str = "https://api.cloudflare.sandbox/client/v4";
const SSL: &str = "cloudflare.ssl-mode";
const HTTPS: &str = "cloudflare.https";
const CACHE: &str = "cloudflare.cache-rules";
const ACCESS: &str = "cloudflare.webhook-access";
const PROXIED: &str = "cloudflare.proxied";
const CUSTOM: &str = "http_request_firewall_custom";
const LIMITS: &str = "http_ratelimit";

fn manifest(zone: &str, base: &str) -> String {
    format!(
        "version: 1\nproject: acme\nenv:\n  files: [.env]\nweb:\n  canonical: https://www.acme.app\n  aliases: [acme.app]\n  hosts: [api.acme.app]\n  private_paths: [/api/, /account/]\nwebhooks:\n  - name: stripe\n    url: https://www.acme.app/api/webhooks/stripe\n    secret_env: STRIPE_WEBHOOK_SECRET\ncloudflare:\n  zone: {zone}\n  api_base: {base}\n"
    )
}

/// acme.app, www and api all proxied; the fake's default settings are all good.
fn zone() -> CloudflareFake {
    CloudflareFake::new("acme.app")
        .record("acme.app", "A", "203.0.113.10", true)
        .record("www.acme.app", "CNAME", "acme.app", true)
        .record("api.acme.app", "A", "203.0.113.20", true)
        .record("acme.app", "MX", "mx.mail-host.net", false)
        .record(
            "acme.app",
            "TXT",
            "v=spf1 include:mail-host.net -all",
            false,
        )
}

struct Audit {
    run: Run,
    token: String,
}

fn audit_with(fake: CloudflareFake, manifest: &str, env: &str, args: &[&str]) -> Audit {
    let token = random_token(40);
    let fake = fake.with_token(&token);
    let mut all = vec!["--only", "cloudflare.*", "--allow-api-base", BASE];
    all.extend_from_slice(args);
    let run = Project::new(manifest)
        .file(".env", &format!("CLOUDFLARE_API_TOKEN={token}\n{env}"))
        .world(move || World {
            zones: Zones::new(),
            sites: vec![fake.site()],
        })
        .audit(&all);
    assert!(
        !run.stdout.contains(&token) && !run.stderr.contains(&token),
        "the token leaked"
    );
    Audit { run, token }
}

fn audit(fake: CloudflareFake) -> Run {
    audit_with(fake, &manifest("acme.app", BASE), "", &[]).run
}

fn summary<'a>(run: &'a Run, check: &str, target: &str) -> &'a str {
    run.result(check, target)["summary"].as_str().unwrap_or("")
}

#[test]
fn a_well_configured_zone_passes_every_check() {
    let log = RequestLog::new();
    let run = audit(zone().log_to(&log));
    for (check, target) in [
        (SSL, "acme.app"),
        (HTTPS, "acme.app"),
        (CACHE, "acme.app"),
        (ACCESS, "stripe"),
        (PROXIED, "www.acme.app"),
        (PROXIED, "acme.app"),
        (PROXIED, "api.acme.app"),
    ] {
        assert_eq!(
            run.status(check, target),
            "pass",
            "{check} {target}: {}",
            run.stdout
        );
    }
    // Each source is fetched once however many checks read it; nothing but GETs.
    let requests = log.requests();
    assert!(requests.iter().all(|r| r.method == "GET"));
    let zone_lookups = requests
        .iter()
        .filter(|r| r.path.ends_with("/zones"))
        .count();
    assert_eq!(zone_lookups, 1, "{requests:?}");
    let dns = requests
        .iter()
        .filter(|r| r.path.ends_with("/dns_records"))
        .count();
    assert_eq!(dns, 1);
}

#[test]
fn flexible_ssl_and_old_tls_fail_full_and_plain_http_warn() {
    let run = audit(
        zone()
            .setting("ssl", "flexible")
            .setting("min_tls_version", "1.0"),
    );
    assert_eq!(run.status(SSL, "acme.app"), "fail", "{}", run.stdout);
    assert!(summary(&run, SSL, "acme.app").contains("plain HTTP"));
    assert_eq!(run.status(HTTPS, "acme.app"), "fail");
    let run = audit(zone().setting("ssl", "off"));
    assert_eq!(run.status(SSL, "acme.app"), "fail");
    // Automatic SSL/TLS: the mode it applies now is judged.
    let run = audit(
        zone()
            .setting("ssl", "full")
            .setting("ssl_automatic_mode", "auto")
            .setting("always_use_https", "off"),
    );
    assert_eq!(run.status(SSL, "acme.app"), "warn", "{}", run.stdout);
    assert!(summary(&run, SSL, "acme.app").contains("automatic SSL/TLS"));
    assert_eq!(run.status(HTTPS, "acme.app"), "warn");
    assert!(summary(&run, HTTPS, "acme.app").contains("Always Use HTTPS is off"));
}

#[test]
fn zone_checks_skip_when_no_manifest_host_is_proxied() {
    let dns_only = CloudflareFake::new("acme.app")
        .record("acme.app", "A", "203.0.113.10", false)
        .record("www.acme.app", "A", "203.0.113.10", false)
        .setting("ssl", "flexible");
    let run = audit(dns_only);
    for check in [SSL, HTTPS, CACHE] {
        assert_eq!(
            run.status(check, "acme.app"),
            "skip",
            "{check}: {}",
            run.stdout
        );
        assert!(
            summary(&run, check, "acme.app").contains("www.acme.app (A 203.0.113.10, DNS only)")
        );
    }
    assert_eq!(run.status(ACCESS, "stripe"), "skip");
    assert_eq!(run.status(PROXIED, "www.acme.app"), "warn");
    assert_eq!(run.status(PROXIED, "api.acme.app"), "warn");
}

#[test]
fn a_paused_or_pending_zone_protects_nothing() {
    for fake in [zone().paused(true), zone().status("pending")] {
        let run = audit(fake.setting("ssl", "flexible"));
        assert_eq!(run.status(SSL, "acme.app"), "skip", "{}", run.stdout);
        assert_eq!(run.status(ACCESS, "stripe"), "skip");
        assert_eq!(run.status(PROXIED, "www.acme.app"), "warn");
        assert!(summary(&run, PROXIED, "www.acme.app").contains("the zone acme.app is"));
    }
}

#[test]
fn cache_everything_on_the_api_fails_eligibility_warns_and_unreadable_rules_are_named() {
    let everything = json!([{ "id": "cache_level", "value": "cache_everything" }, { "id": "edge_cache_ttl", "value": 7200 }]);
    let run = audit(zone().page_rule("*acme.app/api/*", 1, everything));
    assert_eq!(run.status(CACHE, "acme.app"), "fail", "{}", run.stdout);
    let text = summary(&run, CACHE, "acme.app");
    assert!(
        text.contains("*acme.app/api/*") && text.contains("webhook stripe"),
        "{text}"
    );

    let override_rule =
        json!({ "cache": true, "edge_ttl": { "mode": "override_origin", "default": 14400 } });
    let run = audit(zone().rule(
        "http_request_cache_settings",
        "set_cache_settings",
        "Cache account pages",
        "http.host eq \"www.acme.app\" and starts_with(http.request.uri.path, \"/account/\")",
        override_rule,
    ));
    assert_eq!(run.status(CACHE, "acme.app"), "fail", "{}", run.stdout);
    assert!(summary(&run, CACHE, "acme.app").contains("private path /account/"));

    let run = audit(
        zone()
            .rule(
                "http_request_cache_settings",
                "set_cache_settings",
                "Everything eligible",
                "http.host in {\"www.acme.app\" \"acme.app\"}",
                json!({ "cache": true }),
            )
            .rule(
                "http_request_cache_settings",
                "set_cache_settings",
                "Static by bot score",
                "cf.bot_management.score gt 30",
                json!({ "cache": true }),
            ),
    );
    assert_eq!(run.status(CACHE, "acme.app"), "warn", "{}", run.stdout);
    let text = summary(&run, CACHE, "acme.app");
    assert!(
        text.contains("\"Everything eligible\"")
            && text.contains("cannot evaluate \"Static by bot score\""),
        "{text}"
    );

    // A bypass rule placed last wins; a cache rule elsewhere is not a finding.
    let run = audit(
        zone()
            .rule("http_request_cache_settings", "set_cache_settings", "Everything", "true or http.host eq \"www.acme.app\"", json!({ "cache": true }))
            .rule("http_request_cache_settings", "set_cache_settings", "No API", "starts_with(http.request.uri.path, \"/api/\") or starts_with(http.request.uri.path, \"/account/\")", json!({ "cache": false }))
            .rule("http_request_cache_settings", "set_cache_settings", "Blog", "http.request.uri.path wildcard \"/blog/*\"", json!({ "cache": true, "edge_ttl": { "mode": "override_origin", "default": 60 } })),
    );
    assert_eq!(run.status(CACHE, "acme.app"), "pass", "{}", run.stdout);
}

#[test]
fn challenges_and_blocks_on_the_webhook_fail_unless_skipped_and_bot_fight_mode_warns() {
    let challenge = |fake: CloudflareFake| {
        fake.rule(
            CUSTOM,
            "managed_challenge",
            "Challenge API POSTs",
            "http.request.method eq \"POST\" and starts_with(http.request.uri.path, \"/api/\")",
            Value::Null,
        )
    };
    let run = audit(challenge(zone()));
    assert_eq!(run.status(ACCESS, "stripe"), "fail", "{}", run.stdout);
    assert!(summary(&run, ACCESS, "stripe").contains("\"Challenge API POSTs\""));

    let skip = json!({ "ruleset": "current", "phases": ["http_ratelimit", "http_request_sbfm"], "products": ["securityLevel"] });
    let skipped = zone()
        .rule(
            CUSTOM,
            "skip",
            "Webhooks",
            "http.request.uri.path eq \"/api/webhooks/stripe\"",
            skip,
        )
        .setting("security_level", "under_attack")
        .rule(
            LIMITS,
            "block",
            "API burst",
            "starts_with(http.request.uri.path, \"/api/\")",
            json!({ "response": { "status_code": 429 } }),
        );
    let run = audit(challenge(skipped));
    assert_eq!(run.status(ACCESS, "stripe"), "pass", "{}", run.stdout);

    let run = audit(zone().setting("security_level", "under_attack"));
    assert_eq!(run.status(ACCESS, "stripe"), "fail");
    assert!(summary(&run, ACCESS, "stripe").contains("Under Attack"));
    // A page rule's Security Level wins for the URLs it matches, both ways.
    let calm = json!([{ "id": "security_level", "value": "essentially_off" }]);
    let run = audit(zone().setting("security_level", "under_attack").page_rule(
        "www.acme.app/api/webhooks/*",
        2,
        calm,
    ));
    assert_eq!(run.status(ACCESS, "stripe"), "pass", "{}", run.stdout);
    let storm = json!([{ "id": "security_level", "value": "under_attack" }]);
    let run = audit(zone().page_rule("*acme.app/api/*", 1, storm));
    assert_eq!(run.status(ACCESS, "stripe"), "fail", "{}", run.stdout);

    let run = audit(zone().rule(
        LIMITS,
        "block",
        "API burst",
        "http.request.uri.path wildcard \"/api/*\"",
        Value::Null,
    ));
    assert_eq!(run.status(ACCESS, "stripe"), "fail");
    assert!(summary(&run, ACCESS, "stripe").contains("rate limiting rule \"API burst\""));

    let run = audit(
        zone()
            .bot_fight_mode(true)
            .rule(
                CUSTOM,
                "block",
                "Bad countries",
                "ip.geoip.country in {\"XX\"}",
                Value::Null,
            )
            .rule(
                CUSTOM,
                "block",
                "Admin",
                "http.request.uri.path eq \"/admin\"",
                Value::Null,
            ),
    );
    assert_eq!(run.status(ACCESS, "stripe"), "warn", "{}", run.stdout);
    let text = summary(&run, ACCESS, "stripe");
    assert!(
        text.contains("Bot Fight Mode")
            && text.contains("\"Bad countries\"")
            && !text.contains("Admin"),
        "{text}"
    );
}

#[test]
fn unproxied_hosts_and_exposed_origins_warn_across_pages() {
    // 230 records: three pages of 100; the record exposing the origin is on the last.
    let mut fake = zone().record("api.acme.app", "AAAA", "2001:db8::20", false);
    for i in 0..225 {
        fake = fake.record(
            &format!("host{i}.acme.app"),
            "A",
            &format!("198.51.100.{}", i % 250),
            false,
        );
    }
    let log = RequestLog::new();
    let run = audit(
        fake.record("direct.acme.app", "A", "203.0.113.10", false)
            .log_to(&log),
    );
    assert_eq!(
        run.status(PROXIED, "www.acme.app"),
        "pass",
        "{}",
        run.stdout
    );
    assert_eq!(run.status(PROXIED, "api.acme.app"), "warn");
    assert!(summary(&run, PROXIED, "api.acme.app").contains("2001:db8::20"));
    assert_eq!(run.status(PROXIED, "acme.app"), "warn");
    assert!(summary(&run, PROXIED, "acme.app").contains("origin exposed: direct.acme.app"));
    let pages: Vec<String> = log
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/dns_records"))
        .filter_map(|r| r.query_param("page"))
        .collect();
    assert_eq!(pages, vec!["2".to_owned(), "3".to_owned()]);
}

#[test]
fn api_failures_are_errors_that_name_the_variable_or_permission_never_a_pass() {
    let run = audit(zone().fault(Rule::new(Fault::status(401))));
    for (check, target) in [
        (SSL, "acme.app"),
        (HTTPS, "acme.app"),
        (CACHE, "acme.app"),
        (ACCESS, "stripe"),
        (PROXIED, "www.acme.app"),
    ] {
        assert_eq!(
            run.status(check, target),
            "error",
            "{check}: {}",
            run.stdout
        );
    }
    assert!(summary(&run, SSL, "acme.app").contains("CLOUDFLARE_API_TOKEN"));

    let run =
        audit(zone().fault(Rule::new(Fault::status(403)).on(&CloudflareFake::path("/pagerules"))));
    assert_eq!(run.status(CACHE, "acme.app"), "error", "{}", run.stdout);
    assert!(summary(&run, CACHE, "acme.app").contains("\"Page Rules Read\""));
    assert_eq!(run.status(SSL, "acme.app"), "pass");
    let run =
        audit(zone().fault(Rule::new(Fault::status(403)).on(&CloudflareFake::path("/settings/*"))));
    assert!(
        summary(&run, HTTPS, "acme.app").contains("\"Zone Settings Read\""),
        "{}",
        run.stdout
    );

    for fault in [
        Fault::status(503),
        Fault::Garbage,
        Fault::RateLimited {
            retry_after_secs: 30,
        },
    ] {
        let run =
            audit(zone().fault(Rule::new(fault.clone()).on(&CloudflareFake::path("/dns_records"))));
        for check in [SSL, CACHE] {
            assert_eq!(
                run.status(check, "acme.app"),
                "error",
                "{fault:?} {check}: {}",
                run.stdout
            );
        }
    }
    let slow = zone().fault(
        Rule::new(Fault::Slow(std::time::Duration::from_secs(5)))
            .on(&CloudflareFake::path("/settings/*")),
    );
    let run = audit_with(slow, &manifest("acme.app", BASE), "", &["--timeout", "1"]).run;
    assert_eq!(run.status(SSL, "acme.app"), "error", "{}", run.stdout);

    let run = audit(CloudflareFake::new("other.app"));
    assert_eq!(run.status(SSL, "acme.app"), "error");
    assert!(summary(&run, SSL, "acme.app").contains("no zone acme.app"));
}

#[test]
fn rate_limits_and_transient_failures_are_retried_into_the_verdict() {
    let flexible = || zone().setting("ssl", "flexible");
    let limited = flexible().fault(
        Rule::new(Fault::RateLimited {
            retry_after_secs: 1,
        })
        .times(1),
    );
    assert_eq!(audit(limited).status(SSL, "acme.app"), "fail");
    let flaky = flexible().fault(
        Rule::new(Fault::status(502))
            .on(&CloudflareFake::path("/settings/ssl"))
            .times(1),
    );
    assert_eq!(audit(flaky).status(SSL, "acme.app"), "fail");
}

#[test]
fn missing_section_token_or_zone_are_skips_or_errors() {
    let run = Project::new("version: 1\nproject: acme\n").audit(&["--only", "cloudflare.*"]);
    assert_eq!(run.status(SSL, "cloudflare"), "skip");
    let run = Project::new(&manifest("acme.app", BASE))
        .file(".env", "")
        .audit(&["--only", "cloudflare.*"]);
    assert_eq!(run.status(SSL, "acme.app"), "skip", "{}", run.stdout);
    assert!(summary(&run, SSL, "acme.app").contains("CLOUDFLARE_API_TOKEN is not set"));
    let run = audit_with(zone(), &manifest("TODO", BASE), "", &[]).run;
    assert_eq!(run.status(SSL, "todo"), "error", "{}", run.stdout);
    assert!(summary(&run, SSL, "todo").contains("placeholder in cloudflare.zone"));
}

#[test]
fn the_token_never_reaches_a_foreign_base_from_the_manifest_alone() {
    let evil = "https://cf.evil.sandbox/client/v4";
    let log = RequestLog::new();
    let fake = zone().host("cf.evil.sandbox").log_to(&log);
    let Audit { run, token } = audit_with(fake, &manifest("acme.app", evil), "", &[]);
    assert_eq!(run.status(SSL, "acme.app"), "error", "{}", run.stdout);
    assert!(summary(&run, SSL, "acme.app").contains("--allow-api-base"));
    assert!(!log.saw_secret(&token), "the token reached a foreign base");
    assert!(log.requests().is_empty());
    // The environment's base overrides the manifest's and is trusted.
    let fake = zone().setting("ssl", "full");
    let env = format!("CLOUDFLARE_API_BASE={BASE}\n");
    let run = audit_with(fake, &manifest("acme.app", evil), &env, &[]).run;
    assert_eq!(run.status(SSL, "acme.app"), "warn", "{}", run.stdout);
}

#[test]
fn the_token_appears_in_no_output_format() {
    let formats = [
        "table", "json", "junit", "sarif", "markdown", "html", "github",
    ];
    let token = random_token(40);
    let fake = zone().setting("ssl", "flexible").with_token(&token);
    // A second, refused token: its errors carry the masked value.
    let project = Project::new(&manifest("acme.app", BASE))
        .file(".env", &format!("CLOUDFLARE_API_TOKEN={token}\n"))
        .world(move || World {
            zones: Zones::new(),
            sites: vec![fake.site()],
        });
    let dir = project.path().to_path_buf();
    let flags = project
        .sandbox
        .as_ref()
        .map(|s| s.flags.clone())
        .unwrap_or_default();
    for (i, format) in formats.iter().enumerate() {
        let mut cmd = project.command();
        cmd.args([
            "audit",
            "launch-ready.yaml",
            "--only",
            "cloudflare.*",
            "--allow-api-base",
            BASE,
            "--format",
            format,
        ])
        .args(&flags)
        .args(
            formats
                .iter()
                .filter(|f| **f != "github")
                .map(|f| format!("--output={f}=out{i}/report.{f}")),
        );
        if i == 1 {
            // The same audit with a wrong token: error messages are rendered too.
            cmd.env("CLOUDFLARE_API_TOKEN", format!("{token}x"));
        }
        let out = cmd.output().expect("run");
        let mut texts = vec![
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ];
        for f in formats.iter().filter(|f| **f != "github") {
            texts.push(
                std::fs::read_to_string(dir.join(format!("out{i}/report.{f}")))
                    .expect("report written"),
            );
        }
        assert!(
            texts[0].contains("cloudflare.ssl-mode"),
            "{format}: {}",
            texts[0]
        );
        for text in &texts {
            assert!(
                !text.contains(&token),
                "{format}: the token leaked:\n{text}"
            );
        }
    }
}
