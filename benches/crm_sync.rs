//! crm.stripe-sync at scale: 5,000 paying customers in the window against the
//! sandbox's Stripe and HubSpot fakes, every request to either answered 50 ms late,
//! through the library exactly as `audit --only crm.stripe-sync` runs it with the
//! default --timeout and --deadline. Prints the wall time, the requests made (Stripe
//! event pages and customer lookups, HubSpot searches) and whether it fits the
//! deadline. Run with `cargo bench --bench crm_sync`; asserts only that a verdict came.
//!
//! The account: 4,750 customers who subscribed in the week (checkout, subscription
//! created, first invoice: three events each, real-sized payloads) and 250 whose
//! subscription was updated without a payment event carrying the email (their email
//! comes from the customer object); 25 of the 5,000 are missing from HubSpot.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use clap::Parser;
use launch_ready::cli::{Cli, Command};
use launch_ready::commands::audit::request;
use launch_ready::pipeline;
use launch_ready::sandbox::api_fake::{Fault, Rule};
use launch_ready::sandbox::hubspot_fake::{FakeContact, HubSpotFake};
use launch_ready::sandbox::stripe_fake::{Account, Event, StripeFake};
use launch_ready::sandbox::{Sandbox, World, Zones};
use serde_json::json;

const CUSTOMERS: usize = 5_000;
const SUBSCRIPTION_ONLY: usize = 250;
const MISSING: usize = 25;
const DEFAULT_DEADLINE_S: f64 = 120.0;
const HOUR: i64 = 3600;

fn email(i: usize) -> String {
    format!("customer{i}@bench.example")
}

fn id(i: usize) -> String {
    format!("cus_Bench{i:010}")
}

fn account(latency: Duration) -> Account {
    let mut account = Account::new();
    for i in 0..CUSTOMERS {
        let age = 2 * HOUR + (i as i64 * 97) % (160 * HOUR);
        account = if i < CUSTOMERS - SUBSCRIPTION_ONLY {
            account
                .event(
                    Event::delivered("checkout.session.completed", age).object(json!({
                    "customer": id(i), "payment_status": "paid",
                    "customer_details": { "email": email(i) }, "customer_email": email(i) })),
                )
                .event(
                    Event::delivered("customer.subscription.created", age - 5)
                        .object(json!({ "customer": id(i), "status": "active" })),
                )
                .event(Event::delivered("invoice.paid", age - 10).object(json!({
                    "customer": id(i), "customer_email": email(i), "amount_paid": 4900 })))
        } else {
            account
                .event(
                    Event::delivered("customer.subscription.updated", age)
                        .object(json!({ "customer": id(i), "status": "active" })),
                )
                .customer(&id(i), Some(&email(i)))
        };
    }
    account.fault(Rule::new(Fault::Slow(latency)))
}

fn hubspot(token: &str, latency: Duration) -> HubSpotFake {
    // Every 200th customer is missing: 25 of 5,000.
    let contacts = (0..CUSTOMERS)
        .filter(|i| i % (CUSTOMERS / MISSING) != 7)
        .map(|i| FakeContact::new(i as u64 + 1, &email(i), "customer"));
    HubSpotFake::new()
        .with_token(token)
        .contacts(contacts)
        .fault(Rule::new(Fault::Slow(latency)))
}

const MANIFEST: &str = "version: 1\nproject: bench\nenv:\n  files: [.env]\nstripe:\n  api_base: https://api.stripe.sandbox\ncrm:\n  provider: hubspot\n  token_env: HUBSPOT_TOKEN\n  api_base: https://api.hubapi.sandbox\n  lookback_hours: 168\n";

async fn measure(latency: Duration) {
    let key = format!("rk_live_{}", launch_ready::sandbox::random_token(40));
    let token = format!("pat-na1-{}", launch_ready::sandbox::random_token(32));
    let built = Instant::now();
    let account = account(latency);
    let stripe_requests = account.request_counter();
    let hub = hubspot(&token, latency);
    let searches = hub.search_counter();
    let world = World {
        zones: Zones::new(),
        sites: vec![StripeFake::new().account(&key, account).site(), hub.site()],
    };
    let sandbox = Sandbox::start(world).await.expect("sandbox starts");
    let setup = built.elapsed();
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = dir.path().join("launch-ready.yaml");
    std::fs::write(&manifest, MANIFEST).expect("manifest written");
    std::fs::write(
        dir.path().join(".env"),
        format!("STRIPE_SECRET_KEY={key}\nHUBSPOT_TOKEN={token}\n"),
    )
    .expect("env written");
    let ca = sandbox.write_ca(dir.path()).expect("CA written");
    let mut argv = vec![
        "launch-ready".to_owned(),
        "audit".to_owned(),
        manifest.display().to_string(),
    ];
    argv.extend(sandbox.audit_flags(&ca));
    argv.extend(
        [
            "--only",
            "crm.stripe-sync",
            "--no-progress",
            "--allow-api-base",
            "https://api.stripe.sandbox",
            "--allow-api-base",
            "https://api.hubapi.sandbox",
        ]
        .map(str::to_owned),
    );
    let Command::Audit(args) = Cli::try_parse_from(&argv).expect("arguments parse").command else {
        panic!("not an audit");
    };
    assert_eq!(args.deadline, DEFAULT_DEADLINE_S, "the default deadline");
    let req = request(&args).map_err(|e| e.message).expect("request");
    let started = Instant::now();
    let prepared = pipeline::prepare(&req, Vec::new())
        .map_err(|e| e.message)
        .expect("prepare");
    let (report, _) = pipeline::execute(prepared.cx, &prepared.run)
        .await
        .map_err(|e| e.message)
        .expect("execute");
    let wall = started.elapsed();
    let result = report
        .results
        .iter()
        .find(|r| r.check == "crm.stripe-sync")
        .expect("a crm.stripe-sync result");
    let d = &result.details;
    let stripe_total = u64::from(stripe_requests.load(Ordering::SeqCst));
    let pages = d["stripe_event_pages"].as_u64().unwrap_or(0);
    println!(
        "+{:>3} ms/request: {:>6.1} s wall ({}), {} paying customers judged, {} missing; Stripe: {} event pages + {} customer lookups; HubSpot: {} searches (answered {}); within the default --deadline of {DEFAULT_DEADLINE_S} s: {}",
        latency.as_millis(),
        wall.as_secs_f64(),
        result.status.as_str(),
        d["paying_customers"],
        d["missing"],
        pages,
        stripe_total.saturating_sub(pages),
        d["searches"],
        searches.lock().map(|n| *n).unwrap_or(0),
        if wall.as_secs_f64() < DEFAULT_DEADLINE_S {
            "yes"
        } else {
            "NO"
        },
    );
    println!(
        "    summary: {}\n    (fakes built and started in {:.1} s, not counted)",
        result.summary,
        setup.as_secs_f64()
    );
    assert!(
        matches!(result.status.as_str(), "fail"),
        "the 25 missing customers make a fail: {}",
        result.summary
    );
}

fn main() {
    let rt = launch_ready::commands::runtime()
        .map_err(|e| e.message)
        .expect("runtime");
    println!(
        "crm.stripe-sync, {CUSTOMERS} paying customers ({SUBSCRIPTION_ONLY} known only by id), {MISSING} missing from HubSpot"
    );
    rt.block_on(async {
        measure(Duration::ZERO).await;
        measure(Duration::from_millis(50)).await;
    });
}
