//! stripe.endpoint, stripe.endpoint-events, stripe.deliveries and stripe.pending
//! against the sandbox's Stripe API fake, one account (selected by key) per scenario.

mod api;
mod checkout;
mod handled;
mod realism;
mod scope;

use api::ALL as ALL_CHECKS;

use launch_ready::sandbox::random_token;
use launch_ready::sandbox::stripe_fake::{Account, Endpoint, Event, StripeFake};
use launch_ready::sandbox::{World, Zones};

use crate::support::{Project, Run, launch_ready};

const MIN: i64 = 60;
const HOUR: i64 = 3600;
const WWW: &str = "https://www.acme.app/api/webhooks";

fn key() -> String {
    format!("rk_live_{}", random_token(40))
}

/// A manifest with these Stripe webhooks (name, URL) and a `stripe:` section.
fn manifest(webhooks: &[(&str, String)]) -> String {
    let mut m = String::from("version: 1\nproject: acme\nenv:\n  files: [.env]\n");
    if !webhooks.is_empty() {
        m += "webhooks:\n";
        for (name, url) in webhooks {
            m += &format!("  - {{ name: {name}, url: '{url}', provider: stripe }}\n");
        }
    }
    m + "stripe:\n  api_base: https://api.stripe.sandbox\n  required_events: [checkout.session.completed, invoice.paid]\n  lookback_hours: 72\n"
}

/// The flag that lets a live key go to the fake the manifest names.
const ALLOW: [&str; 2] = ["--allow-api-base", "https://api.stripe.sandbox"];

/// Audit `manifest` with `key` in `.env` against a fake holding `account` under `key`.
fn audit(manifest: &str, key: &str, account: Account, args: &[&str]) -> Run {
    let registered = key.to_owned();
    let args: Vec<&str> = args.iter().copied().chain(ALLOW).collect();
    Project::new(manifest)
        .file(".env", &format!("STRIPE_SECRET_KEY={key}\n"))
        .world(move || World {
            zones: Zones::new(),
            sites: vec![StripeFake::new().account(&registered, account).site()],
        })
        .audit(&args)
}

fn summary(run: &Run, check: &str, target: &str) -> String {
    run.result(check, target)["summary"]
        .as_str()
        .unwrap()
        .to_owned()
}

const REQUIRED: [&str; 2] = ["checkout.session.completed", "invoice.paid"];

fn endpoints_world() -> (String, Account) {
    let hooks = [
        "exact", "disabled", "apex", "slash", "plain", "case", "absent", "star",
    ];
    let mut webhooks: Vec<(&str, String)> =
        hooks.iter().map(|h| (*h, format!("{WWW}/{h}"))).collect();
    webhooks.push(("www", "https://acme.app/api/webhooks/www".to_owned()));
    let account = Account::new()
        .endpoint(Endpoint::new(&format!("{WWW}/exact"), &REQUIRED).id("we_exact"))
        .endpoint(
            Endpoint::new(&format!("{WWW}/disabled"), &["*"])
                .id("we_disabled")
                .disabled(),
        )
        .endpoint(
            Endpoint::new(
                "https://acme.app/api/webhooks/apex",
                &["checkout.session.completed"],
            )
            .id("we_apex"),
        )
        .endpoint(Endpoint::new(&format!("{WWW}/slash/"), &REQUIRED).id("we_slash"))
        .endpoint(Endpoint::new("http://www.acme.app/api/webhooks/plain", &REQUIRED).id("we_plain"))
        .endpoint(Endpoint::new(&format!("{WWW}/Case"), &REQUIRED).id("we_case"))
        .endpoint(Endpoint::new(&format!("{WWW}/www"), &REQUIRED).id("we_www"))
        .endpoint(Endpoint::new(&format!("{WWW}/star"), &["*"]).id("we_star"))
        .endpoint(Endpoint::new("https://elsewhere.example/hook", &REQUIRED).id("we_other"));
    (manifest(&webhooks), account)
}

#[test]
fn endpoint_passes_only_for_an_enabled_endpoint_at_exactly_the_url() {
    let (manifest, account) = endpoints_world();
    let run = audit(&manifest, &key(), account, &["--only", "stripe.endpoint"]);
    assert_eq!(run.status("stripe.endpoint", "exact"), "pass");
    assert!(summary(&run, "stripe.endpoint", "exact").contains("we_exact"));
    assert_eq!(run.status("stripe.endpoint", "star"), "pass");
    assert_eq!(run.status("stripe.endpoint", "disabled"), "fail");
    let disabled = summary(&run, "stripe.endpoint", "disabled");
    assert!(
        disabled.contains("we_disabled") && disabled.contains("is disabled"),
        "{disabled}"
    );
    for (hook, id, words) in [
        (
            "apex",
            "we_apex",
            "apex host acme.app instead of www.acme.app",
        ),
        ("www", "we_www", "www host www.acme.app instead of acme.app"),
        ("slash", "we_slash", "trailing slash added"),
        ("plain", "we_plain", "http:// instead of https://"),
        ("case", "we_case", "differs in letter case"),
    ] {
        let r = run.result("stripe.endpoint", hook);
        assert_eq!(r["status"], "fail", "{hook}: {r}");
        let text = r["summary"].as_str().unwrap();
        assert!(text.contains(id) && text.contains(words), "{hook}: {text}");
        assert_eq!(r["details"]["near_misses"][0]["id"], id);
    }
    let absent = run.result("stripe.endpoint", "absent");
    assert_eq!(absent["status"], "fail");
    assert!(
        absent["summary"]
            .as_str()
            .unwrap()
            .contains("no Stripe webhook endpoint")
    );
    assert_eq!(absent["details"]["registered"].as_array().unwrap().len(), 9);
    assert_eq!(run.code, 1);
}

#[test]
fn endpoint_events_names_missing_events_and_accepts_star() {
    let (manifest, account) = endpoints_world();
    let run = audit(
        &manifest,
        &key(),
        account,
        &["--only", "stripe.endpoint-events"],
    );
    assert_eq!(run.status("stripe.endpoint-events", "exact"), "pass");
    assert_eq!(run.status("stripe.endpoint-events", "star"), "pass");
    assert!(summary(&run, "stripe.endpoint-events", "star").contains("(*)"));
    // A disabled endpoint is judged too: enabling it is the fix stripe.endpoint names.
    assert_eq!(run.status("stripe.endpoint-events", "disabled"), "pass");
    let apex = run.result("stripe.endpoint-events", "apex");
    assert_eq!(apex["status"], "fail");
    assert_eq!(
        apex["details"]["missing"],
        serde_json::json!(["invoice.paid"])
    );
    let text = apex["summary"].as_str().unwrap();
    assert!(
        text.contains("near-miss endpoint we_apex") && text.contains("invoice.paid"),
        "{text}"
    );
    let absent = run.result("stripe.endpoint-events", "absent");
    assert_eq!(absent["status"], "skip");
    assert!(
        absent["summary"]
            .as_str()
            .unwrap()
            .contains("stripe.endpoint")
    );
}

/// The account-wide checks, with the manifest's endpoint receiving every type: each
/// undelivered event is then the app's (see `scope` for other endpoints).
fn deliveries(account: Account) -> Run {
    let m = manifest(&[("stripe-hook", format!("{WWW}/stripe"))]);
    let account = account.endpoint(Endpoint::new(&format!("{WWW}/stripe"), &["*"]));
    audit(
        &m,
        &key(),
        account,
        &["--only", "stripe.deliveries", "--only", "stripe.pending"],
    )
}

#[test]
fn a_burst_of_failures_fails_with_the_worst_window_as_evidence() {
    // Five invoice.paid failures within six minutes, yesterday.
    let burst = (0..5).map(|i| Event::failed("invoice.paid", 20 * HOUR - i * 90));
    let run = deliveries(
        Account::new()
            .events(burst)
            .event(Event::delivered("invoice.paid", HOUR)),
    );
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "fail", "{r}");
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .contains("5 of them within 10 minutes"),
        "{r}"
    );
    let window = &r["details"]["worst_window"];
    assert_eq!(window["count"], 5);
    assert_eq!(window["events"].as_array().unwrap().len(), 5);
    assert_eq!(r["details"]["by_type"]["invoice.paid"], 5);
    let first = &r["details"]["events"][0];
    assert!(first["id"].as_str().unwrap().starts_with("evt_"));
    assert_eq!(first["type"], "invoice.paid");
    let created = first["created"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(created, &time::format_description::well_known::Rfc3339)
            .is_ok(),
        "{created}"
    );
    assert!(!run.stdout.contains("customer_email") && !run.stdout.contains("payload-order"));
}

#[test]
fn scattered_failures_warn_and_none_pass() {
    // Three within ten minutes is not a burst; more than three is.
    let scattered = [
        Event::failed("invoice.paid", 5 * HOUR),
        Event::failed("invoice.paid", 5 * HOUR - 4 * MIN),
        Event::failed("charge.refunded", 5 * HOUR - 9 * MIN),
        Event::failed("invoice.paid", 30 * HOUR),
        Event::failed("invoice.paid", 50 * HOUR),
        // Older than lookback_hours: not asked for, not counted.
        Event::failed("invoice.paid", 100 * HOUR),
    ];
    let run = deliveries(Account::new().events(scattered));
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "warn", "{r}");
    assert_eq!(r["details"]["failed_count"], 5);
    assert_eq!(r["details"]["worst_window"]["count"], 3);
    assert_eq!(r["details"]["by_type"]["charge.refunded"], 1);

    let clean = [
        Event::delivered("invoice.paid", HOUR),
        Event::failed("invoice.paid", 80 * HOUR),
        // Seconds old: still in its first delivery attempt.
        Event::pending("checkout.session.completed", 10),
    ];
    let run = deliveries(Account::new().events(clean));
    assert_eq!(run.status("stripe.deliveries", "stripe"), "pass");
    assert_eq!(
        run.result("stripe.deliveries", "stripe")["details"]["in_flight"],
        1
    );
    assert_eq!(run.status("stripe.pending", "stripe"), "pass");
    assert_eq!(run.code, 0);
}

#[test]
fn an_event_pending_for_over_an_hour_fails_and_a_recent_one_passes() {
    let account = Account::new()
        .event(Event::pending("checkout.session.completed", 2 * HOUR).id("evt_late"))
        .event(Event::pending("invoice.paid", 20 * MIN));
    let run = deliveries(account);
    let r = run.result("stripe.pending", "stripe");
    assert_eq!(r["status"], "fail", "{r}");
    let text = r["summary"].as_str().unwrap();
    assert!(
        text.contains("evt_late") && text.contains("checkout.session.completed"),
        "{text}"
    );
    assert_eq!(r["details"]["overdue_count"], 1);
    assert_eq!(r["details"]["pending_under_1h"], 1);
    assert_eq!(r["details"]["oldest"]["id"], "evt_late");

    let run = deliveries(Account::new().event(Event::pending("invoice.paid", 50 * MIN)));
    assert_eq!(run.status("stripe.pending", "stripe"), "pass");
}

#[test]
fn the_demo_shows_every_stripe_finding() {
    let out = launch_ready()
        .args(["demo", "--format", "json", "--no-progress"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("demo JSON");
    let status = |check: &str| {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["check"] == check)
            .map(|r| r["status"].as_str().unwrap().to_owned())
    };
    for check in [
        "stripe.endpoint",
        "stripe.endpoint-events",
        "stripe.deliveries",
        "stripe.pending",
    ] {
        assert_eq!(status(check).as_deref(), Some("fail"), "{check}: {report}");
    }
}
