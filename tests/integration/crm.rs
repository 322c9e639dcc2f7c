//! crm.stripe-sync against the sandbox: a Stripe fake holding payment events and
//! customers, a HubSpot fake answering the contacts search with HubSpot's limits.

use launch_ready::sandbox::api_fake::{Fault, RequestLog, Rule};
use launch_ready::sandbox::hubspot_fake::{FakeContact, HubSpotFake};
use launch_ready::sandbox::random_token;
use launch_ready::sandbox::stripe_fake::{Account, Event, StripeFake};
use launch_ready::sandbox::{World, Zones};
use serde_json::json;

use crate::support::{Project, Run};

pub(crate) const HOUR: i64 = 3600;
pub(crate) const CHECK: &str = "crm.stripe-sync";

pub(crate) fn stripe_key() -> String {
    format!("rk_live_{}", random_token(40))
}

pub(crate) fn hubspot_token() -> String {
    format!("pat-eu1-{}", random_token(32))
}

pub(crate) fn manifest(extra: &str) -> String {
    format!(
        "version: 1\nproject: acme\nenv:\n  files: [.env]\nstripe:\n  api_base: https://api.stripe.sandbox\n  lookback_hours: 72\ncrm:\n  provider: hubspot\n  token_env: HUBSPOT_TOKEN\n  api_base: https://api.hubapi.sandbox\n  lookback_hours: 168\n{extra}"
    )
}

pub(crate) const ALLOW: [&str; 4] = [
    "--allow-api-base",
    "https://api.stripe.sandbox",
    "--allow-api-base",
    "https://api.hubapi.sandbox",
];

/// A paid checkout `hours` ago by `email` as customer `id`.
pub(crate) fn checkout(id: &str, email: &str, hours: i64) -> Event {
    Event::delivered("checkout.session.completed", hours * HOUR).object(json!({
        "customer": id, "payment_status": "paid",
        "customer_details": { "email": email, "name": "Planted Name" } }))
}

pub(crate) fn subscription(id: &str, hours: i64) -> Event {
    Event::delivered("customer.subscription.created", hours * HOUR)
        .object(json!({ "customer": id, "status": "active" }))
}

pub(crate) fn audit_with(
    extra: &str,
    account: Account,
    hubspot: HubSpotFake,
    args: &[&str],
) -> Run {
    let key = stripe_key();
    let token = hubspot_token();
    let registered = key.clone();
    let args: Vec<&str> = args.iter().copied().chain(ALLOW).collect();
    let hubspot = hubspot.with_token(&token);
    Project::new(&manifest(extra))
        .file(
            ".env",
            &format!("STRIPE_SECRET_KEY={key}\nHUBSPOT_TOKEN={token}\n"),
        )
        .world(move || World {
            zones: Zones::new(),
            sites: vec![
                StripeFake::new().account(&registered, account).site(),
                hubspot.site(),
            ],
        })
        .audit(&args)
}

fn audit(account: Account, hubspot: HubSpotFake) -> Run {
    audit_with("", account, hubspot, &["--only", CHECK])
}

pub(crate) fn ten_customers() -> Account {
    (0..10).fold(Account::new(), |a, i| {
        a.event(checkout(
            &format!("cus_Sync{i:012}"),
            &format!("user{i}@acme.app"),
            5,
        ))
    })
}

pub(crate) fn contacts(n: usize, stage: &str) -> Vec<FakeContact> {
    (0..n)
        .map(|i| FakeContact::new(i as u64 + 1, &format!("User{i}@Acme.app"), stage))
        .collect()
}

#[test]
fn every_paying_customer_in_the_crm_passes() {
    let run = audit(
        ten_customers(),
        HubSpotFake::new().contacts(contacts(10, "customer")),
    );
    assert_eq!(run.status(CHECK, "hubspot"), "pass", "{}", run.stdout);
    assert_eq!(
        run.result(CHECK, "hubspot")["details"]["paying_customers"],
        10
    );
}

#[test]
fn missing_contacts_fail_with_at_most_ten_masked_examples() {
    let account = (0..14).fold(ten_customers(), |a, i| {
        a.event(checkout(
            &format!("cus_Lost{i:012}"),
            &format!("zed.lost{i}@planted.example"),
            30,
        ))
    });
    let run = audit(
        account,
        HubSpotFake::new().contacts(contacts(10, "customer")),
    );
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "fail", "{}", run.stdout);
    assert!(
        result["summary"]
            .as_str()
            .unwrap_or("")
            .contains("14 of 24"),
        "{result}"
    );
    let examples = result["details"]["missing_examples"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(examples.len(), 10);
    assert!(
        examples
            .iter()
            .all(|e| e["email"].as_str().unwrap_or("").starts_with("z***@"))
    );
    assert!(!run.stdout.contains("zed.lost"), "an unmasked email leaked");
    assert!(!run.stdout.contains("Planted Name"), "a name leaked");
}

#[test]
fn duplicates_and_stale_lifecycle_stages_warn() {
    let mut hub = contacts(10, "customer");
    hub.push(FakeContact::new(100, "user3@acme.app", "lead"));
    hub[5] = FakeContact::new(6, "user5@acme.app", "lead");
    let run = audit_with(
        "  paid_stage: customer\n",
        ten_customers(),
        HubSpotFake::new().contacts(hub),
        &["--only", CHECK],
    );
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "warn", "{}", run.stdout);
    assert_eq!(result["details"]["duplicated"], 1);
    assert_eq!(result["details"]["below_paid_stage"], 1);
}

#[test]
fn customers_without_email_are_unmatchable_not_missing_and_emails_come_from_the_customer() {
    let account = ten_customers()
        .event(subscription("cus_SubOnly000001", 6))
        .customer("cus_SubOnly000001", Some("  SubOnly@Acme.app "))
        .event(subscription("cus_NoEmail00001", 6))
        .customer("cus_NoEmail00001", None);
    let hub = HubSpotFake::new()
        .contacts(contacts(10, "customer"))
        .contact(FakeContact::new(50, "subonly@acme.app", "customer"));
    let run = audit(account, hub);
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "pass", "{}", run.stdout);
    assert_eq!(result["details"]["unmatchable"], 1);
    assert_eq!(result["details"]["matched"], 11);
}

#[test]
fn payments_under_an_hour_old_are_not_judged_yet() {
    let account = ten_customers().event(
        Event::delivered("invoice.paid", 600).object(json!({
        "customer": "cus_Fresh0000001", "amount_paid": 1900, "customer_email": "fresh@acme.app" })),
    );
    let run = audit(
        account,
        HubSpotFake::new().contacts(contacts(10, "customer")),
    );
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "pass", "{}", run.stdout);
    assert_eq!(result["details"]["payments_under_1h_not_judged"], 1);
}

#[test]
fn a_search_past_the_result_cap_is_asked_in_halves() {
    // 30 paying customers, each with 400 contacts: one search of all 30 would
    // match 12,000 contacts, past HubSpot's 10,000 cap.
    let account = (0..30).fold(Account::new(), |a, i| {
        a.event(checkout(
            &format!("cus_Dupe{i:012}"),
            &format!("dupe{i}@acme.app"),
            5,
        ))
    });
    let hub: Vec<FakeContact> = (0..30u64)
        .flat_map(|i| {
            (0..400u64).map(move |j| {
                FakeContact::new(i * 1000 + j, &format!("dupe{i}@acme.app"), "customer")
            })
        })
        .collect();
    let run = audit_with(
        "",
        account,
        HubSpotFake::new().contacts(hub),
        &["--only", CHECK, "--timeout", "20"],
    );
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "warn", "{}", run.stdout);
    assert_eq!(result["details"]["duplicated"], 30);
}

#[test]
fn hubspot_errors_are_errors_never_a_pass() {
    let unauthorized = HubSpotFake::new().fault(Rule::new(Fault::status(401)));
    let run = audit(ten_customers(), unauthorized);
    assert_eq!(run.status(CHECK, "hubspot"), "error", "{}", run.stdout);

    let run = audit(ten_customers(), HubSpotFake::new().without_scope());
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "error");
    assert!(
        result.to_string().contains("crm.objects.contacts.read"),
        "{result}"
    );

    let down = HubSpotFake::new().fault(Rule::new(Fault::status(503)));
    assert_eq!(
        audit(ten_customers(), down).status(CHECK, "hubspot"),
        "error"
    );

    let garbage = HubSpotFake::new().fault(Rule::new(Fault::Garbage));
    assert_eq!(
        audit(ten_customers(), garbage).status(CHECK, "hubspot"),
        "error"
    );
}

#[test]
fn rate_limits_and_transient_failures_are_retried_into_a_verdict() {
    let hub = HubSpotFake::new().contacts(contacts(10, "customer")).fault(
        Rule::new(Fault::RateLimited {
            retry_after_secs: 1,
        })
        .times(1),
    );
    assert_eq!(audit(ten_customers(), hub).status(CHECK, "hubspot"), "pass");
    let hub = HubSpotFake::new()
        .contacts(contacts(10, "customer"))
        .fault(Rule::new(Fault::status(502)).times(1));
    assert_eq!(audit(ten_customers(), hub).status(CHECK, "hubspot"), "pass");
}

#[test]
fn missing_token_skips_and_a_foreign_base_never_gets_it() {
    let run = Project::new(&manifest(""))
        .file(".env", &format!("STRIPE_SECRET_KEY={}\n", stripe_key()))
        .audit(&["--only", CHECK, "--offline"]);
    assert_eq!(run.status(CHECK, "network"), "skip", "{}", run.stdout);

    // The manifest names a foreign base and nothing allows it: no request is sent.
    let log = RequestLog::new();
    let key = stripe_key();
    let token = hubspot_token();
    let registered = key.clone();
    let fake = HubSpotFake::new()
        .with_token(&token)
        .host("crm.evil.sandbox")
        .log_to(&log);
    let extra = manifest("").replace("https://api.hubapi.sandbox", "https://crm.evil.sandbox");
    let run = Project::new(&extra)
        .file(
            ".env",
            &format!("STRIPE_SECRET_KEY={key}\nHUBSPOT_TOKEN={token}\n"),
        )
        .world(move || World {
            zones: Zones::new(),
            sites: vec![
                StripeFake::new()
                    .account(&registered, Account::new())
                    .site(),
                fake.site(),
            ],
        })
        .audit(&[
            "--only",
            CHECK,
            "--allow-api-base",
            "https://api.stripe.sandbox",
        ]);
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "error", "{}", run.stdout);
    assert!(
        result["summary"]
            .as_str()
            .unwrap_or("")
            .contains("--allow-api-base"),
        "{result}"
    );
    assert!(!log.saw_secret(&token), "the token reached a foreign base");
    assert!(!run.stdout.contains(&token) && !run.stderr.contains(&token));
}

#[test]
fn a_test_key_in_production_is_an_error() {
    let key = format!("rk_test_{}", random_token(40));
    let token = hubspot_token();
    let registered = key.clone();
    let hub = HubSpotFake::new().with_token(&token);
    let run = Project::new(&manifest(""))
        .file(
            ".env",
            &format!("STRIPE_SECRET_KEY={key}\nHUBSPOT_TOKEN={token}\n"),
        )
        .world(move || World {
            zones: Zones::new(),
            sites: vec![
                StripeFake::new()
                    .account(&registered, Account::new().test_mode())
                    .site(),
                hub.site(),
            ],
        })
        .audit(&[
            "--only",
            CHECK,
            "--allow-api-base",
            "https://api.stripe.sandbox",
        ]);
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "error", "{}", run.stdout);
    assert!(
        result["summary"]
            .as_str()
            .unwrap_or("")
            .starts_with("test-mode key: live endpoints and events are not visible"),
        "{result}"
    );
}
