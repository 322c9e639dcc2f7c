//! crm.stripe-sync at its caps (SPEC §7 "Caps": past a cap, only a `fail` the part
//! read already proves is a verdict, otherwise `error` naming the cap) and under a
//! test-mode Stripe key (SPEC §7).

use std::time::Duration;

use launch_ready::sandbox::api_fake::{Fault, Rule};
use launch_ready::sandbox::hubspot_fake::{FakeContact, HubSpotFake};
use launch_ready::sandbox::random_token;
use launch_ready::sandbox::stripe_fake::{Account, StripeFake};
use launch_ready::sandbox::{World, Zones};

use crate::crm::{
    ALLOW, CHECK, audit_with, checkout, contacts, hubspot_token, manifest, subscription,
    ten_customers,
};
use crate::support::Project;

/// 510 customers known only by id (subscription events): 10 past the 500-lookup cap.
fn subscribers() -> Account {
    (0..510).fold(Account::new(), |a, i| {
        let id = format!("cus_Sub{i:012}");
        a.event(subscription(&id, 5))
            .customer(&id, Some(&format!("sub{i}@acme.app")))
    })
}

fn subscriber_contacts(skip: &[u64]) -> Vec<FakeContact> {
    (0..510u64)
        .filter(|i| !skip.contains(i))
        .map(|i| FakeContact::new(i + 1, &format!("sub{i}@acme.app"), "customer"))
        .collect()
}

fn summary(result: &serde_json::Value) -> &str {
    result["summary"].as_str().unwrap_or("")
}

#[test]
fn past_the_customer_lookup_cap_missing_customers_still_fail_as_at_least_n() {
    // Customers 0–2 (looked up: the first 500 by id) have no contact.
    let hub = HubSpotFake::new().contacts(subscriber_contacts(&[0, 1, 2]));
    let run = audit_with("", subscribers(), hub, &["--only", CHECK]);
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "fail", "{}", run.stdout);
    assert!(summary(result).starts_with("at least 3 "), "{result}");
    assert!(
        summary(result).contains("500-customer lookup cap"),
        "{result}"
    );
    assert_eq!(result["details"]["not_judged"], 10);
    assert_eq!(
        result["details"]["unmatchable"], 0,
        "not counted as unmatchable"
    );
}

#[test]
fn past_the_customer_lookup_cap_with_nothing_missing_is_an_error_naming_the_cap() {
    let hub = HubSpotFake::new().contacts(subscriber_contacts(&[]));
    let run = audit_with("", subscribers(), hub, &["--only", CHECK]);
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "error", "{}", run.stdout);
    assert!(
        summary(result).contains("500-customer lookup cap"),
        "{result}"
    );
    assert!(
        summary(result).contains("10 paying customers not judged"),
        "{result}"
    );
}

#[test]
fn a_customer_past_the_search_result_cap_is_not_judged_the_rest_are() {
    // hot@ alone holds 10,050 contacts: a search for it cannot read them all.
    let account = (0..5).fold(Account::new(), |a, i| {
        let email = if i == 0 {
            "hot@acme.app".to_owned()
        } else {
            format!("user{i}@acme.app")
        };
        a.event(checkout(&format!("cus_Hot{i:012}"), &email, 5))
    });
    let hot = (0..10_050u64).map(|j| FakeContact::new(100_000 + j, "hot@acme.app", "lead"));
    // user4 is missing: proven whatever hot@ holds.
    let hub = HubSpotFake::new()
        .contacts(hot.clone())
        .contacts(contacts(4, "customer"));
    let run = audit_with("", account.clone(), hub, &["--only", CHECK]);
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "fail", "{}", run.stdout);
    assert!(summary(result).starts_with("at least 1 "), "{result}");
    assert!(
        summary(result).contains("10000-result search cap"),
        "{result}"
    );

    let all = HubSpotFake::new()
        .contacts(hot)
        .contacts(contacts(5, "customer"));
    let run = audit_with("", account, all, &["--only", CHECK]);
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "error", "{}", run.stdout);
    assert!(
        summary(result).contains("10000-result search cap"),
        "{result}"
    );
    assert_eq!(result["details"]["not_judged"], 1);
}

#[test]
fn a_stripe_listing_stopped_by_the_deadline_is_an_error_naming_the_cap() {
    // 500 payments, 5 pages of 2 s each (a third of --timeout 6: no request times out).
    // --deadline 12: listings stop at 6 s, the payments at 4.5 s, after 2 or 3 pages.
    // Every customer read is in HubSpot, so whether or not the search still has time,
    // nothing proves `fail`: an error naming the cap.
    let account = (0..500)
        .fold(Account::new(), |a, i| {
            a.event(checkout(
                &format!("cus_Slow{i:012}"),
                &format!("slow{i}@acme.app"),
                5,
            ))
        })
        .fault(Rule::new(Fault::Slow(Duration::from_secs(2))).on("/v1/events"));
    let hub = HubSpotFake::new().contacts(
        (0..500u64).map(|i| FakeContact::new(i + 1, &format!("slow{i}@acme.app"), "customer")),
    );
    let run = audit_with(
        "",
        account,
        hub,
        &["--only", CHECK, "--deadline", "12", "--timeout", "6"],
    );
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "error", "{}", run.stdout);
    assert!(
        summary(result).contains("Stripe payment events listing stopped at the"),
        "{result}"
    );
    assert!(summary(result).contains("time cap"), "{result}");
}

#[test]
fn a_test_key_in_staging_is_judged_and_says_test_mode() {
    let key = format!("rk_test_{}", random_token(40));
    let token = hubspot_token();
    let registered = key.clone();
    let hub = HubSpotFake::new()
        .with_token(&token)
        .contacts(contacts(10, "customer"));
    let staging = manifest("").replace("project: acme\n", "project: acme\nenvironment: staging\n");
    let run = Project::new(&staging)
        .file(
            ".env",
            &format!("STRIPE_SECRET_KEY={key}\nHUBSPOT_TOKEN={token}\n"),
        )
        .world(move || World {
            zones: Zones::new(),
            sites: vec![
                StripeFake::new()
                    .account(&registered, ten_customers().test_mode())
                    .site(),
                hub.site(),
            ],
        })
        .audit(&[&["--only", CHECK][..], &ALLOW[..]].concat());
    let result = run.result(CHECK, "hubspot");
    assert_eq!(result["status"], "pass", "{}", run.stdout);
    assert!(summary(result).starts_with("test mode: "), "{result}");
    assert_eq!(result["details"]["stripe_mode"], "test");
}
