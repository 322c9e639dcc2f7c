//! The Stripe client as the checks see it: pagination, error mapping, retries, the
//! missing key, the API base from the environment, and no key or payload in output.

use std::sync::atomic::Ordering;
use std::time::Duration;

use launch_ready::sandbox::stripe_fake::{Account, Behaviour, Endpoint, Event, StripeFake};
use launch_ready::sandbox::{World, Zones};

use super::{ALLOW, HOUR, MIN, REQUIRED, WWW, audit, key, manifest, summary};
use crate::support::Project;

pub(super) const ALL: [&str; 4] = [
    "stripe.endpoint",
    "stripe.endpoint-events",
    "stripe.deliveries",
    "stripe.pending",
];

fn target(check: &str) -> &'static str {
    if check.starts_with("stripe.endpoint") {
        "stripe-hook"
    } else {
        "stripe"
    }
}

fn one_hook() -> String {
    manifest(&[("stripe-hook", format!("{WWW}/stripe"))])
}

#[test]
fn pagination_reads_every_page_of_events_and_endpoints() {
    // 250 failures 15 minutes apart (62 h): three pages of events, none a burst.
    let events = (0..250).map(|i| Event::failed("invoice.paid", HOUR + i * 15 * MIN));
    let account = Account::new().events(events);
    let requests = account.request_counter();
    let m = manifest(&[]);
    let run = audit(&m, &key(), account, &["--only", "stripe.deliveries"]);
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "warn", "{r}");
    assert_eq!(r["details"]["failed_count"], 250);
    assert_eq!(
        r["details"]["events"].as_array().unwrap().len(),
        50,
        "evidence is capped"
    );
    assert_eq!(
        requests.load(Ordering::SeqCst),
        4,
        "limit=100: pages of 100, 100, 50, and the endpoint list"
    );

    // The matching endpoint is on the second page.
    let others = (0..150).map(|i| Endpoint::new(&format!("https://other{i}.example/hook"), &["*"]));
    let account = others
        .fold(Account::new(), Account::endpoint)
        .endpoint(Endpoint::new(&format!("{WWW}/stripe"), &REQUIRED).id("we_last"));
    let run = audit(&one_hook(), &key(), account, &["--only", "stripe.endpoint"]);
    assert_eq!(run.status("stripe.endpoint", "stripe-hook"), "pass");
    assert!(summary(&run, "stripe.endpoint", "stripe-hook").contains("we_last"));
}

#[test]
fn a_rejected_key_is_an_error_naming_the_variable_and_never_the_key() {
    let planted = key();
    let other = key();
    let run = Project::new(&one_hook())
        .file(".env", &format!("STRIPE_SECRET_KEY={planted}\n"))
        .world(move || World {
            zones: Zones::new(),
            sites: vec![StripeFake::new().account(&other, Account::new()).site()],
        })
        .audit(&ALLOW);
    for check in ALL {
        let r = run.result(check, target(check));
        assert_eq!(r["status"], "error", "{check}: {r}");
        let text = r["summary"].as_str().unwrap();
        assert!(
            text.contains("STRIPE_SECRET_KEY") && text.contains("401"),
            "{text}"
        );
    }
    assert_eq!(run.code, 1);
    let tail = &planted[planted.len() - 4..];
    assert!(summary(&run, "stripe.endpoint", "stripe-hook").contains(&format!("rk_live_…{tail}")));
    for text in [&run.stdout, &run.stderr] {
        assert!(!text.contains(&planted), "the key leaked:\n{text}");
        assert!(
            !text.contains(&planted["rk_live_".len()..]),
            "the key body leaked"
        );
    }
}

#[test]
fn a_missing_permission_is_an_error_naming_the_permission() {
    let account = Account::new()
        .endpoint(Endpoint::new(&format!("{WWW}/stripe"), &REQUIRED))
        .behaviour(Behaviour::Deny("/v1/events"));
    let run = audit(&one_hook(), &key(), account, &[]);
    assert_eq!(run.status("stripe.endpoint", "stripe-hook"), "pass");
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "error");
    assert!(
        r["summary"].as_str().unwrap().contains("\"Events: Read\""),
        "{r}"
    );
    assert!(r["remediation"].as_str().unwrap().contains("Events: Read"));
    assert_eq!(r["details"]["http_status"], 403);

    let account = Account::new().behaviour(Behaviour::Deny("/v1/webhook_endpoints"));
    let run = audit(&one_hook(), &key(), account, &[]);
    assert!(
        summary(&run, "stripe.endpoint", "stripe-hook").contains("\"Webhook Endpoints: Read\"")
    );
    assert_eq!(run.status("stripe.endpoint-events", "stripe-hook"), "error");
    assert_eq!(run.status("stripe.pending", "stripe"), "pass");
}

#[test]
fn rate_limits_are_retried_and_persistent_ones_are_errors() {
    let account = Account::new()
        .endpoint(Endpoint::new(&format!("{WWW}/stripe"), &REQUIRED))
        .behaviour(Behaviour::RateLimited(2));
    let run = audit(&one_hook(), &key(), account, &[]);
    for check in ALL {
        assert_eq!(
            run.status(check, target(check)),
            "pass",
            "{check}: {}",
            run.stdout
        );
    }
    let run = audit(
        &one_hook(),
        &key(),
        Account::new().behaviour(Behaviour::RateLimited(1000)),
        &[],
    );
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "error");
    assert!(r["summary"].as_str().unwrap().contains("429"), "{r}");
}

#[test]
fn server_errors_garbage_and_timeouts_are_errors_never_passes() {
    for (behaviour, words) in [
        (Behaviour::ServerError(500), "500"),
        (Behaviour::ServerError(503), "503"),
        (Behaviour::Garbage, "not a Stripe list object"),
        (Behaviour::Slow(Duration::from_secs(4)), "timed out"),
    ] {
        let account = Account::new().behaviour(behaviour);
        let run = audit(&one_hook(), &key(), account, &["--timeout", "1"]);
        for check in ALL {
            let r = run.result(check, target(check));
            assert_eq!(r["status"], "error", "{check}: {r}");
            assert!(r["summary"].as_str().unwrap().contains(words), "{r}");
        }
    }
}

#[test]
fn a_missing_key_skips_naming_the_variable_and_a_publishable_key_is_an_error() {
    let run = Project::new(&one_hook()).audit(&[]);
    for check in ALL {
        let r = run.result(check, target(check));
        assert_eq!(r["status"], "skip", "{check}: {r}");
        assert!(
            r["summary"]
                .as_str()
                .unwrap()
                .contains("STRIPE_SECRET_KEY is not set")
        );
    }
    let publishable = format!("pk_live_{}", launch_ready::sandbox::random_token(40));
    let run = Project::new(&one_hook())
        .file(".env", &format!("STRIPE_SECRET_KEY={publishable}\n"))
        .audit(&[]);
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "error");
    assert!(
        r["summary"].as_str().unwrap().contains("publishable"),
        "{r}"
    );
    assert!(!run.stdout.contains(&publishable));
}

#[test]
fn the_api_base_comes_from_stripe_api_base_without_a_manifest_value() {
    let m = one_hook().replace("  api_base: https://api.stripe.sandbox\n", "");
    assert!(!m.contains("api_base"));
    let k = key();
    let registered = k.clone();
    let account = Account::new().endpoint(Endpoint::new(&format!("{WWW}/stripe"), &REQUIRED));
    let run = Project::new(&m)
        .file(
            ".env",
            &format!("STRIPE_SECRET_KEY={k}\nSTRIPE_API_BASE=https://api.stripe.sandbox\n"),
        )
        .world(move || World {
            zones: Zones::new(),
            sites: vec![StripeFake::new().account(&registered, account).site()],
        })
        .audit(&["--only", "stripe.endpoint"]);
    assert_eq!(
        run.status("stripe.endpoint", "stripe-hook"),
        "pass",
        "{}",
        run.stdout
    );
}
