//! stripe.checkout-errors: payment attempts from `payment_intent.*` events (listed
//! with `types[]`), one per payment intent, card declines apart from integration
//! failures, against `stripe.max_error_rate`.

use launch_ready::sandbox::api_fake::RequestLog;
use launch_ready::sandbox::stripe_fake::{Account, Behaviour, Event, StripeFake};
use launch_ready::sandbox::{World, Zones};
use serde_json::json;

use super::{ALLOW, HOUR, MIN, audit, key, manifest};
use crate::support::Project;

const CHECK: &str = "stripe.checkout-errors";

fn succeeded(pi: &str, age: i64) -> Event {
    Event::delivered("payment_intent.succeeded", age).object(json!({ "id": pi }))
}

fn failed(pi: &str, age: i64, kind: &str, code: &str) -> Event {
    Event::delivered("payment_intent.payment_failed", age).object(json!({
        "id": pi,
        "status": "requires_payment_method",
        "last_payment_error": {
            "type": kind, "code": code,
            "decline_code": if kind == "card_error" { json!("insufficient_funds") } else { json!(null) },
            "doc_url": format!("https://stripe.com/docs/error-codes/{code}"),
            "message": "The payment could not be completed.", "param": null, "payment_method": null
        }
    }))
}

/// `ok` successes, `declines` card declines and `bugs` integration failures.
fn attempts(ok: usize, declines: usize, bugs: usize) -> Account {
    let mut account = Account::new();
    for i in 0..ok {
        account = account.event(succeeded(
            &format!("pi_3OkPayment{i:08}"),
            HOUR + i as i64 * MIN,
        ));
    }
    for i in 0..declines {
        account = account.event(failed(
            &format!("pi_3Declined{i:08}"),
            2 * HOUR,
            "card_error",
            "card_declined",
        ));
    }
    for i in 0..bugs {
        account = account.event(failed(
            &format!("pi_3BrokenCheckout{i:04}"),
            3 * HOUR,
            "invalid_request_error",
            "parameter_missing",
        ));
    }
    account
}

fn check(account: Account, extra: &str) -> crate::support::Run {
    let m = manifest(&[]) + extra;
    audit(&m, &key(), account, &["--only", CHECK])
}

#[test]
fn integration_failures_above_the_rate_fail_and_declines_only_inform() {
    // 25 paid, 3 declined, 2 broken: 2 of 30 (6.7 %) above 2 %.
    let run = check(attempts(25, 3, 2), "");
    let r = run.result(CHECK, "stripe");
    assert_eq!(r["status"], "fail", "{r}");
    let text = r["summary"].as_str().unwrap();
    assert!(
        text.starts_with(
            "2 of 30 payment attempts in the last 72 h (6.7 %) failed for integration reasons"
        ) && text.contains("3 card declines not counted"),
        "{text}"
    );
    assert_eq!(
        r["details"]["card_declines_by_code"]["insufficient_funds"],
        3
    );
    assert_eq!(
        r["details"]["integration_errors_by_code"]["invalid_request_error/parameter_missing"],
        2
    );
    assert_eq!(r["details"]["examples"][0]["payment_intent"], "pi_…0000");
    assert!(!run.stdout.contains("pi_3BrokenCheckout"), "ids are masked");
    assert!(
        !run.stdout.contains("payload-order"),
        "no payload in output"
    );

    // Raised threshold: the same account passes.
    let run = check(attempts(25, 3, 2), "  max_error_rate: 0.1\n");
    assert_eq!(run.status(CHECK, "stripe"), "pass", "{}", run.stdout);
}

#[test]
fn declines_and_retried_intents_pass_and_few_attempts_skip() {
    // A declined intent later paid with another card is a success; a 3-D Secure
    // failure is the customer's side.
    let account = attempts(20, 4, 0)
        .event(failed(
            "pi_3RetriedIntent0001",
            5 * HOUR,
            "card_error",
            "card_declined",
        ))
        .event(succeeded("pi_3RetriedIntent0001", 4 * HOUR))
        .event(failed(
            "pi_3ThreeDSecure0001",
            5 * HOUR,
            "invalid_request_error",
            "payment_intent_authentication_failure",
        ));
    let run = check(account, "");
    let r = run.result(CHECK, "stripe");
    assert_eq!(r["status"], "pass", "{r}");
    assert_eq!(r["details"]["attempts"], 26);
    assert_eq!(r["details"]["card_declines"], 5);
    assert_eq!(r["details"]["integration_failures"], 0);

    let run = check(attempts(5, 1, 1), "");
    let r = run.result(CHECK, "stripe");
    assert_eq!(r["status"], "skip", "{r}");
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .starts_with("7 payment attempts in the last 72 h"),
        "{r}"
    );
}

#[test]
fn the_listing_asks_only_for_payment_events_and_a_failing_api_is_an_error() {
    let log = RequestLog::new();
    let k = key();
    let registered = k.clone();
    let seen = log.clone();
    let account = attempts(20, 0, 0).event(Event::failed("invoice.paid", HOUR));
    let run = Project::new(&manifest(&[]))
        .file(".env", &format!("STRIPE_SECRET_KEY={k}\n"))
        .world(move || World {
            zones: Zones::new(),
            sites: vec![
                StripeFake::new()
                    .account(&registered, account)
                    .log_to(&seen)
                    .site(),
            ],
        })
        .audit(&[&["--only", CHECK][..], &ALLOW].concat());
    assert_eq!(run.status(CHECK, "stripe"), "pass", "{}", run.stdout);
    let r = run.result(CHECK, "stripe");
    assert_eq!(
        r["details"]["attempts"], 20,
        "invoice.paid is not an attempt"
    );
    assert_eq!(log.count(), 1);

    let run = check(
        attempts(25, 0, 0).behaviour(Behaviour::ServerError(500)),
        "",
    );
    let r = run.result(CHECK, "stripe");
    assert_eq!(r["status"], "error", "{r}");

    // A rate outside [0, 1] is a manifest error (exit 2).
    let run = check(attempts(25, 0, 0), "  max_error_rate: 2\n");
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("stripe.max_error_rate"),
        "{}",
        run.stderr
    );
}
