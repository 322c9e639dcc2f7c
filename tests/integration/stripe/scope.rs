//! Whose deliveries failed (issue 9 points 2, 3, 5, 6): Stripe reports delivery per
//! event across endpoints, so a forgotten staging endpoint must not fail the app's
//! healthy one; listings stopped at a cap still fail on what they read; test-mode
//! keys are labelled (or refused in production); Connect endpoints are named.

use launch_ready::sandbox::random_token;
use launch_ready::sandbox::stripe_fake::{Account, Endpoint, Event, StripeFake};
use launch_ready::sandbox::{World, Zones};

use super::{ALLOW, HOUR, MIN, WWW, audit, key, manifest, summary};
use crate::support::Project;

const STAGING: &str = "https://staging.acme.app/api/webhooks/stripe";

fn hook() -> String {
    manifest(&[("stripe-hook", format!("{WWW}/stripe"))])
}

/// The app's endpoint (two types) and a forgotten staging endpoint receiving all.
fn two_endpoints() -> Account {
    Account::new()
        .endpoint(
            Endpoint::new(
                &format!("{WWW}/stripe"),
                &["checkout.session.completed", "invoice.paid"],
            )
            .id("we_app"),
        )
        .endpoint(Endpoint::new(STAGING, &["*"]).id("we_staging"))
}

const BOTH: [&str; 4] = ["--only", "stripe.deliveries", "--only", "stripe.pending"];

#[test]
fn a_failing_staging_endpoint_warns_and_spares_the_healthy_manifest_endpoint() {
    // A burst of five customer.updated failures and one event pending for 2 h: only
    // the staging endpoint receives customer.* events.
    let burst = (0..5).map(|i| Event::failed("customer.updated", 20 * HOUR - i * 60));
    let account = two_endpoints()
        .events(burst)
        .event(Event::pending("customer.created", 2 * HOUR));
    let run = audit(&hook(), &key(), account, &BOTH);
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "warn", "{r}");
    let text = r["summary"].as_str().unwrap();
    assert!(
        text.contains("none of a type the manifest's endpoints receive")
            && text.contains("we_staging")
            && text.contains(STAGING),
        "{text}"
    );
    assert_eq!(
        r["details"]["manifest_endpoints"],
        serde_json::json!(["we_app"])
    );
    let candidates = r["details"]["candidate_endpoints"].as_array().unwrap();
    assert_eq!(candidates.len(), 1, "{r}");
    assert_eq!(candidates[0]["id"], "we_staging");
    assert_eq!(candidates[0]["manifest"], false);
    assert!(
        r["details"]["note"]
            .as_str()
            .unwrap()
            .contains("per event, not per endpoint")
    );
    let p = run.result("stripe.pending", "stripe");
    assert_eq!(p["status"], "warn", "{p}");
    assert!(p["summary"].as_str().unwrap().contains("we_staging"), "{p}");
    assert_eq!(run.code, 0, "warnings only");

    // The same burst of a type the app's endpoint receives is the app's failure;
    // both candidate endpoints are listed, since Stripe does not say which failed.
    let burst = (0..5).map(|i| Event::failed("invoice.paid", 20 * HOUR - i * 60));
    let run = audit(&hook(), &key(), two_endpoints().events(burst), &BOTH);
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "fail", "{r}");
    let ids: Vec<&str> = r["details"]["candidate_endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["we_app", "we_staging"]);
    assert_eq!(run.status("stripe.pending", "stripe"), "fail");
}

#[test]
fn a_listing_past_50_pages_fails_on_what_it_read_or_errors_naming_the_cap() {
    // 5,100 failures a second apart, three hours ago: 51 pages of 100, read up to 50.
    let flood = || (0..5_100).map(|i| Event::failed("customer.updated", 3 * HOUR + i));
    let args = [&BOTH[..], &["--timeout", "30"]].concat();
    let account = Account::new()
        .endpoint(Endpoint::new(&format!("{WWW}/stripe"), &["*"]))
        .events(flood());
    let run = audit(&hook(), &key(), account, &args);
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "fail", "{r}");
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .starts_with("at least 5000 events"),
        "{r}"
    );
    assert!(
        r["details"]["listing_stopped"]
            .as_str()
            .unwrap()
            .contains("50-page cap")
    );
    let p = run.result("stripe.pending", "stripe");
    assert_eq!(p["status"], "fail", "{p}");
    assert!(
        p["summary"].as_str().unwrap().starts_with("at least 5000"),
        "{p}"
    );

    // The same flood on an endpoint the manifest does not own proves no failure of
    // the app's: the unread pages could hold anything, so the cap is named.
    let run = audit(&hook(), &key(), two_endpoints().events(flood()), &args);
    for check in ["stripe.deliveries", "stripe.pending"] {
        let r = run.result(check, "stripe");
        assert_eq!(r["status"], "error", "{check}: {r}");
        let text = r["summary"].as_str().unwrap();
        assert!(
            text.contains("50-page cap") && text.contains("5000 read"),
            "{text}"
        );
    }
}

/// Every `stripe.*` check runs: a code root with a handler, a hook, an account.
fn every_check(environment: &str, key: &str, account: Account) -> crate::support::Run {
    let m = hook().replace(
        "project: acme\n",
        &format!("project: acme\nenvironment: {environment}\ncode:\n  root: .\n"),
    );
    let registered = key.to_owned();
    Project::new(&m)
        .file(".env", &format!("STRIPE_SECRET_KEY={key}\n"))
        .file(
            "app/api/webhooks/stripe/route.ts",
            "export async function POST(req: Request) {\n  const event = await verified(req);\n  if (event.type === 'invoice.paid') { await markPaid(event.data.object); }\n  return new Response(null, { status: 200 });\n}\n",
        )
        .world(move || World {
            zones: Zones::new(),
            sites: vec![StripeFake::new().account(&registered, account).site()],
        })
        .audit(&[])
}

fn stripe_results(run: &crate::support::Run) -> Vec<&serde_json::Value> {
    run.report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["check"].as_str().unwrap().starts_with("stripe."))
        .collect()
}

#[test]
fn a_test_mode_key_is_labelled_in_staging_and_refused_in_production() {
    let test_key = format!("rk_test_{}", random_token(40));
    let account = || {
        Account::new()
            .test_mode()
            .endpoint(Endpoint::new(&format!("{WWW}/stripe"), &["invoice.paid"]))
            .event(Event::failed("invoice.paid", 3 * HOUR))
    };
    let run = every_check("staging", &test_key, account());
    let results = stripe_results(&run);
    assert_eq!(results.len(), 6, "{}", run.stdout);
    for r in &results {
        let text = r["summary"].as_str().unwrap();
        assert!(text.starts_with("test mode: "), "{r}");
        assert_ne!(r["status"], "error", "{r}");
    }

    let log = launch_ready::sandbox::api_fake::RequestLog::new();
    let registered = test_key.clone();
    let seen = log.clone();
    let m = hook().replace("project: acme\n", "project: acme\ncode:\n  root: .\n");
    let run = Project::new(&m)
        .file(".env", &format!("STRIPE_SECRET_KEY={test_key}\n"))
        .file(
            "app/api/webhooks/stripe/route.ts",
            "export async function POST() {}\n",
        )
        .world(move || World {
            zones: Zones::new(),
            sites: vec![
                StripeFake::new()
                    .account(&registered, account())
                    .log_to(&seen)
                    .site(),
            ],
        })
        .audit(&[]);
    let results = stripe_results(&run);
    assert_eq!(results.len(), 6, "{}", run.stdout);
    for r in results {
        assert_eq!(r["status"], "error", "{r}");
        assert_eq!(
            r["summary"], "test-mode key: live endpoints and events are not visible",
            "{r}"
        );
    }
    assert_eq!(
        log.count(),
        0,
        "nothing is asked with a key that cannot see production"
    );
    assert!(!run.stdout.contains(&test_key));
}

#[test]
fn a_connect_endpoint_is_named_as_outside_the_platform_event_list() {
    let account = Account::new()
        .endpoint(
            Endpoint::new(&format!("{WWW}/stripe"), &["*"])
                .id("we_connect")
                .connect("ca_1FakeConnectApp"),
        )
        .event(Event::delivered("invoice.paid", 30 * MIN));
    let args = ["--only", "stripe.endpoint", "--only", "stripe.deliveries"];
    let run = audit(&hook(), &key(), account, &args);
    let text = summary(&run, "stripe.endpoint", "stripe-hook");
    assert_eq!(run.status("stripe.endpoint", "stripe-hook"), "pass");
    assert!(text.contains("Connect endpoint"), "{text}");
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "pass", "{r}");
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .contains("we_connect is a Connect endpoint"),
        "{r}"
    );

    // Platform events failing while the manifest's endpoint is a Connect one: not its
    // deliveries (it never receives the platform's events), so at most a warning.
    let account = Account::new()
        .endpoint(
            Endpoint::new(&format!("{WWW}/stripe"), &["*"])
                .id("we_connect")
                .connect("ca_1FakeConnectApp"),
        )
        .events((0..5).map(|i| Event::failed("invoice.paid", 5 * HOUR + i * 30)));
    let run = audit(&hook(), &key(), account, &args);
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "warn", "{r}");
    assert!(
        r["details"]["connect"][0]
            .as_str()
            .unwrap()
            .contains("we_connect")
    );
    let _ = ALLOW;
}
