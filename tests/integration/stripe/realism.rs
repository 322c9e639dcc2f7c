//! Stripe as it really behaves (issue 9): the key goes only where SPEC §6 allows,
//! transient failures are retried the way Stripe's SDKs do, real-sized pretty pages
//! are read, long listings stop at a cap but keep what they read, unknown
//! parameters are refused, and real-shaped objects go through every `stripe.*` check.

use std::sync::atomic::Ordering;

use launch_ready::net::api::{ApiClient, Credential, Listing, Paging, Stop};
use launch_ready::net::stripe::{SPEC, StripeApi};
use launch_ready::net::{Net, NetConfig};
use launch_ready::sandbox::api_fake::{ApiFake, RequestLog};
use launch_ready::sandbox::stripe_fake::{Account, Behaviour, Endpoint, Event, StripeFake};
use launch_ready::sandbox::{Sandbox, World, Zones};
use serde_json::{Value, json};

use super::{ALL_CHECKS, ALLOW, HOUR, MIN, REQUIRED, WWW, audit, key, manifest};
use crate::support::Project;

const FOREIGN: &str = "https://api.stripe.attacker.sandbox";

fn one_hook() -> String {
    manifest(&[("stripe-hook", format!("{WWW}/stripe"))])
}

fn target(check: &str) -> &'static str {
    if check.starts_with("stripe.endpoint") {
        "stripe-hook"
    } else {
        "stripe"
    }
}

#[test]
fn a_live_key_never_reaches_a_foreign_base_the_manifest_alone_names() {
    let m = one_hook().replace("https://api.stripe.sandbox", FOREIGN);
    let k = key();
    let world = |log: &RequestLog, k: &str| {
        let (log, k) = (log.clone(), k.to_owned());
        move || World {
            zones: Zones::new(),
            sites: vec![
                StripeFake::new()
                    .host("api.stripe.attacker.sandbox")
                    .account(
                        &k,
                        Account::new().endpoint(Endpoint::new(&format!("{WWW}/stripe"), &REQUIRED)),
                    )
                    .log_to(&log)
                    .site(),
            ],
        }
    };
    let log = RequestLog::new();
    let run = Project::new(&m)
        .file(".env", &format!("STRIPE_SECRET_KEY={k}\n"))
        .world(world(&log, &k))
        .audit(&[]);
    assert_eq!(log.count(), 0, "a request reached the foreign base");
    for check in ALL_CHECKS {
        let r = run.result(check, target(check));
        assert_eq!(r["status"], "error", "{check}: {r}");
        let text = r["summary"].as_str().unwrap();
        assert!(
            text.contains(FOREIGN) && text.contains("--allow-api-base"),
            "{text}"
        );
    }
    assert!(!run.stdout.contains(&k));

    // Named by --allow-api-base, the same base is used (and the log shows it).
    let log = RequestLog::new();
    let run = Project::new(&m)
        .file(".env", &format!("STRIPE_SECRET_KEY={k}\n"))
        .world(world(&log, &k))
        .audit(&["--allow-api-base", FOREIGN]);
    assert_eq!(
        run.status("stripe.endpoint", "stripe-hook"),
        "pass",
        "{}",
        run.stdout
    );
    assert!(log.saw_secret(&k));

    // Plain http:// to a non-loopback host: never, whatever the flags say.
    let plain = one_hook().replace("https://api.stripe.sandbox", "http://api.stripe.sandbox");
    let log = RequestLog::new();
    let run = Project::new(&plain)
        .file(".env", &format!("STRIPE_SECRET_KEY={k}\n"))
        .world(world(&log, &k))
        .audit(&["--allow-api-base", "http://api.stripe.sandbox"]);
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "error", "{r}");
    assert!(r["summary"].as_str().unwrap().contains("https://"), "{r}");
    assert_eq!(log.count(), 0);
}

#[test]
fn a_transient_server_error_is_retried_into_a_verdict() {
    let account = Account::new()
        .endpoint(Endpoint::new(&format!("{WWW}/stripe"), &REQUIRED))
        .behaviour(Behaviour::Transient {
            status: 503,
            times: 2,
        });
    let requests = account.request_counter();
    let run = audit(&one_hook(), &key(), account, &[]);
    for check in ALL_CHECKS {
        assert_eq!(
            run.status(check, target(check)),
            "pass",
            "{check}: {}",
            run.stdout
        );
    }
    assert_eq!(
        requests.load(Ordering::SeqCst),
        5,
        "two 503s, then one page each (endpoints, undelivered events, payment events)"
    );

    // `Stripe-Should-Retry: false` is obeyed: one attempt per listing.
    let account = Account::new().behaviour(Behaviour::DoNotRetry(503));
    let requests = account.request_counter();
    let run = audit(&one_hook(), &key(), account, &[]);
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "error", "{r}");
    assert!(r["summary"].as_str().unwrap().contains("503"), "{r}");
    assert_eq!(
        requests.load(Ordering::SeqCst),
        3,
        "endpoints, undelivered events, payment events"
    );
}

#[test]
fn a_page_of_real_sized_events_over_2_mib_is_judged() {
    // 100 invoices with ten lines each, pretty-printed: one page of more than 2 MiB
    // (a debug build needs a few seconds to make and read it: hence --timeout 30).
    let burst = (0..100).map(|i| Event::failed("invoice.paid", 5 * HOUR + i * 5));
    let run = audit(
        &one_hook(),
        &key(),
        Account::new()
            .endpoint(Endpoint::new(&format!("{WWW}/stripe"), &REQUIRED))
            .events(burst),
        &["--only", "stripe.deliveries", "--timeout", "30"],
    );
    let r = run.result("stripe.deliveries", "stripe");
    assert_eq!(r["status"], "fail", "{r}");
    assert_eq!(r["details"]["failed_count"], 100);
}

/// A sandbox and a `Net` pointed at it, for driving the client directly.
async fn client_world(
    sites: Vec<launch_ready::sandbox::Site>,
) -> (Sandbox, Net, tempfile::TempDir) {
    let sandbox = Sandbox::start(World {
        zones: Zones::new(),
        sites,
    })
    .await
    .expect("sandbox");
    let dir = tempfile::tempdir().expect("temp dir");
    let ca = sandbox.write_ca(dir.path()).expect("ca");
    let mut config = NetConfig {
        nameservers: vec![sandbox.dns.addr],
        ca_files: vec![ca],
        timeout: std::time::Duration::from_secs(5),
        ..NetConfig::default()
    };
    config
        .connect_to
        .insert("api.stripe.sandbox".to_owned(), sandbox.web.addr);
    let net = Net::new(config).expect("net");
    (sandbox, net, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_past_the_page_cap_keeps_what_it_read() {
    let k = key();
    // 5,100 small events: 51 pages of 100.
    let events = (0..5_100).map(|i| Event::failed("customer.created", HOUR + i));
    let account = Account::new().events(events);
    let requests = account.request_counter();
    let (_sandbox, net, _dir) =
        client_world(vec![StripeFake::new().account(&k, account).site()]).await;
    let credential = Credential::read("STRIPE_SECRET_KEY", Some(&k), "needed").unwrap();
    let api =
        StripeApi::connect(&net, None, Some("https://api.stripe.sandbox"), credential).unwrap();
    let filters = [("delivery_success", "false".to_owned())];
    let listing = api
        .events_listing(&filters)
        .await
        .expect("a partial listing");
    assert_eq!(listing.stopped, Some(Stop::Pages(50)));
    assert_eq!(
        listing.items.len(),
        5_000,
        "at least 5,000 undelivered events"
    );
    assert_eq!(requests.load(Ordering::SeqCst), 50);
    let e = api.events(&filters).await.unwrap_err();
    assert!(e.to_string().contains("more than 50 pages"), "{e}");

    // The time cap (--deadline) stops a listing the same way.
    let credential = Credential::read("STRIPE_SECRET_KEY", Some(&k), "needed").unwrap();
    let client = ApiClient::new(
        &SPEC,
        &net,
        None,
        Some("https://api.stripe.sandbox"),
        credential,
    )
    .unwrap();
    let paging = Paging::StripeList { limit: 100 };
    let listing: Listing<Value> = client
        .list("/v1/events", &[], paging, Some(std::time::Instant::now()))
        .await
        .unwrap();
    assert!(
        matches!(listing.stopped, Some(Stop::Time(_))),
        "{:?}",
        listing.stopped
    );
    assert_eq!((listing.pages, listing.items.len()), (1, 100));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_query_parameters_are_refused_as_stripe_does() {
    let k = key();
    let (_sandbox, net, _dir) =
        client_world(vec![StripeFake::new().account(&k, Account::new()).site()]).await;
    let credential = Credential::read("STRIPE_SECRET_KEY", Some(&k), "needed").unwrap();
    let client = ApiClient::new(
        &SPEC,
        &net,
        None,
        Some("https://api.stripe.sandbox"),
        credential,
    )
    .unwrap();
    let query = [
        ("limit".to_owned(), "10".to_owned()),
        ("delivery_succes".to_owned(), "false".to_owned()),
    ];
    let e = client.get("/v1/events", &query).await.unwrap_err();
    assert_eq!(e.status(), Some(400));
    let api = e.api.clone().unwrap();
    assert_eq!(api.code.as_deref(), Some("parameter_unknown"));
    assert!(e.to_string().contains("delivery_succes"), "{e}");
    // The pages are Stripe's pretty-printed JSON.
    let page = client.get("/v1/webhook_endpoints", &[]).await.unwrap();
    assert!(String::from_utf8_lossy(&page.body).contains("\n  \"object\": \"list\""));
}

/// Objects trimmed by hand from the shapes of Stripe's OpenAPI fixtures: nullable
/// fields null, fields the client does not know, nested lists.
fn fixture_endpoint() -> Value {
    json!({
        "id": "we_1Pgc6yB7WZ01zgkWzAudq4eU", "object": "webhook_endpoint", "api_version": null,
        "application": null, "created": 1_721_954_054, "description": null,
        "enabled_events": ["checkout.session.completed", "invoice.paid", "charge.failed"],
        "livemode": true, "metadata": {}, "status": "enabled",
        "url": format!("{WWW}/stripe")
    })
}

fn fixture_event(n: u32, kind: &str, created: i64, pending: u32) -> Value {
    json!({
        "id": format!("evt_1Pgc76B7WZ01zgkWwyRHS{n:03}"), "object": "event", "api_version": null,
        "created": created,
        "data": { "object": {
            "id": format!("in_1Pgc6tB7WZ01zgkWu9fdq{n:03}"), "object": "invoice", "account_country": "US",
            "amount_due": 1000, "customer": "cus_QXg1o8vcGmoR32", "customer_email": null,
            "lines": { "data": [{ "id": "il_1Pgc6sB7WZ01zgkWFnxLrLCq", "object": "line_item", "amount": 1000,
                "parent": { "invoice_item_details": null, "type": "subscription_item_details" },
                "period": { "end": 1_721_954_054, "start": 1_721_954_054 }, "pretax_credit_amounts": null,
                "taxes": null }], "has_more": false, "object": "list", "url": "/v1/invoices/in_x/lines" },
            "last_finalization_error": null, "status": "paid", "total_taxes": null
        }},
        "livemode": true, "pending_webhooks": pending,
        "request": { "id": null, "idempotency_key": null }, "type": kind
    })
}

fn stripe_envelope(status: u16, code: &str, message: &str) -> Value {
    let kind = if status >= 500 {
        "api_error"
    } else {
        "invalid_request_error"
    };
    json!({ "error": { "type": kind, "code": code, "message": message } })
}

#[test]
fn real_shaped_objects_go_through_the_client_and_every_stripe_check() {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    // Four failures within six minutes, three hours ago, still pending (Stripe retries).
    let events: Vec<Value> = (0..4)
        .map(|i| fixture_event(i, "invoice.paid", now - 3 * HOUR + i64::from(i) * 90, 1))
        .collect();
    let k = key();
    let registered = k.clone();
    let list = |data: Vec<Value>, url: &str| json!({ "object": "list", "data": data, "has_more": false, "url": url });
    let endpoints = list(vec![fixture_endpoint()], "/v1/webhook_endpoints");
    let events = list(events, "/v1/events");
    let run = Project::new(&one_hook())
        .file(".env", &format!("STRIPE_SECRET_KEY={k}\n"))
        .world(move || World {
            zones: Zones::new(),
            sites: vec![
                ApiFake::new("api.stripe.sandbox")
                    .bearer(&registered)
                    .errors(stripe_envelope)
                    .fixture(
                        "/v1/webhook_endpoints",
                        &["limit", "starting_after"],
                        endpoints,
                    )
                    .fixture(
                        "/v1/events",
                        &["limit", "starting_after", "delivery_success", "created"],
                        events,
                    )
                    .site(),
            ],
        })
        .audit(&ALLOW);
    let status = |check: &str| run.status(check, target(check));
    assert_eq!(status("stripe.endpoint"), "pass", "{}", run.stdout);
    assert_eq!(status("stripe.endpoint-events"), "pass", "{}", run.stdout);
    assert_eq!(status("stripe.deliveries"), "fail", "{}", run.stdout);
    assert_eq!(status("stripe.pending"), "fail", "{}", run.stdout);
    assert_eq!(
        run.result("stripe.pending", "stripe")["details"]["overdue_count"],
        4
    );
    assert!(!run.stdout.contains("cus_QXg1o8vcGmoR32"));
    let _ = MIN;
}
