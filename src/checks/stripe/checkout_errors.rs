//! `stripe.checkout-errors`: the share of payment attempts in `lookback_hours` that
//! failed for integration reasons. Attempts are `payment_intent.succeeded` and
//! `payment_intent.payment_failed` events (Events: Read lists them with `types[]`),
//! one per payment intent, its newest outcome counting (a customer who retries
//! with another card succeeded). A `card_error` (declines, and 3-D Secure the
//! customer did not complete: `payment_intent_authentication_failure`) is the
//! customer's side and only reported; anything else — `invalid_request_error`,
//! `api_error`, an idempotency clash, a missing payment method — is the code's.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::crm::privacy::{MAX_EXAMPLES, mask_id};
use crate::evidence::stripe::{PaymentAttemptEvents, Stop};
use crate::meta;
use crate::report::Outcome;

pub struct CheckoutErrors;

/// Fewer attempts than this say nothing about a rate (SPEC §7).
pub const MIN_ATTEMPTS: usize = 20;

impl Check for CheckoutErrors {
    const META: &'static Meta = meta! {
        id: "stripe.checkout-errors",
        title: "Few payment attempts fail for integration reasons",
        severity: Fail,
        needs: "manifest `stripe`; a Stripe API key (Events: Read)",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::account_plan(cx)
    }

    async fn run(&self, cx: &Context, _account: &str) -> Checked {
        Ok(super::in_mode(cx, judge_account(cx).await))
    }
}

async fn judge_account(cx: &Context) -> Checked {
    let Some(stripe) = &cx.manifest.stripe else {
        return Err(Outcome::skip("no `stripe` section in the manifest"));
    };
    let got = cx.get(PaymentAttemptEvents).await?;
    Ok(verdict(
        &got.events,
        got.stopped.as_ref(),
        stripe.max_error_rate,
        got.lookback_hours,
    ))
}

/// The result for the events read, and where their listing stopped if it did.
pub(crate) fn verdict(
    events: &[Value],
    stopped: Option<&Stop>,
    max_rate: f64,
    hours: u32,
) -> Outcome {
    let tally = Tally::of(events);
    let mut details = tally.details(max_rate, hours);
    if let Some(stop) = stopped {
        // A rate needs every attempt: the unread ones could all have succeeded.
        details["listing_stopped"] = json!(stop.to_string());
        return Outcome::error(format!(
            "the payment events of the last {hours} h could not all be read ({stop}, {} read): no rate without the rest",
            events.len()
        ))
        .details(details)
        .remediation(super::NARROW);
    }
    judge(&tally, max_rate, hours).details(details)
}

/// One payment intent's newest outcome.
struct Attempt {
    created: i64,
    failed: bool,
    /// `last_payment_error.type` / `.code` / `.decline_code` of a failure.
    error_type: String,
    code: String,
    decline_code: Option<String>,
}

impl Attempt {
    fn customer_side(&self) -> bool {
        self.error_type == "card_error" || self.code == "payment_intent_authentication_failure"
    }
}

/// Attempts by payment intent, and what could not be read.
pub(crate) struct Tally {
    attempts: HashMap<String, Attempt>,
    unreadable: usize,
}

impl Tally {
    pub(crate) fn of(events: &[Value]) -> Self {
        let mut attempts: HashMap<String, Attempt> = HashMap::new();
        let mut unreadable = 0;
        for event in events {
            let object = &event["data"]["object"];
            let (Some(kind), Some(id), Some(created)) = (
                event["type"].as_str(),
                object["id"].as_str(),
                event["created"].as_i64(),
            ) else {
                unreadable += 1;
                continue;
            };
            let failed = match kind {
                "payment_intent.succeeded" => false,
                "payment_intent.payment_failed" => true,
                _ => {
                    unreadable += 1;
                    continue;
                }
            };
            let error = &object["last_payment_error"];
            let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
            let attempt = Attempt {
                created,
                failed,
                error_type: text(&error["type"]),
                code: text(&error["code"]),
                decline_code: error["decline_code"].as_str().map(str::to_owned),
            };
            // The newest event of an intent counts; equal times: a success wins
            // (Stripe sends payment_failed before the retry that succeeds).
            let newer = attempts
                .get(id)
                .is_none_or(|old| (created, !failed) > (old.created, !old.failed));
            if newer {
                attempts.insert(id.to_owned(), attempt);
            }
        }
        Self {
            attempts,
            unreadable,
        }
    }

    fn integration(&self) -> Vec<(&String, &Attempt)> {
        let mut v: Vec<(&String, &Attempt)> = self
            .attempts
            .iter()
            .filter(|(_, a)| a.failed && !a.customer_side())
            .collect();
        v.sort_by_key(|(id, a)| (std::cmp::Reverse(a.created), (*id).clone()));
        v
    }

    fn declines(&self) -> usize {
        self.attempts
            .values()
            .filter(|a| a.failed && a.customer_side())
            .count()
    }

    fn details(&self, max_rate: f64, hours: u32) -> Value {
        let integration = self.integration();
        let mut by_error = BTreeMap::<String, usize>::new();
        for (_, a) in &integration {
            let kind = if a.error_type.is_empty() {
                "no last_payment_error"
            } else {
                &a.error_type
            };
            let key = if a.code.is_empty() {
                kind.to_owned()
            } else {
                format!("{kind}/{}", a.code)
            };
            *by_error.entry(key).or_default() += 1;
        }
        let mut declines = BTreeMap::<String, usize>::new();
        for a in self
            .attempts
            .values()
            .filter(|a| a.failed && a.customer_side())
        {
            let key = a.decline_code.clone().unwrap_or_else(|| a.code.clone());
            *declines.entry(key).or_default() += 1;
        }
        json!({
            "lookback_hours": hours,
            "attempts": self.attempts.len(),
            "integration_failures": integration.len(),
            "card_declines": self.declines(),
            "share": share(integration.len(), self.attempts.len()),
            "max_error_rate": max_rate,
            "integration_errors_by_code": by_error,
            "card_declines_by_code": declines,
            "examples": integration.iter().take(MAX_EXAMPLES).map(|(id, a)| json!({
                "payment_intent": mask_id(id),
                "error": if a.code.is_empty() { a.error_type.clone() } else { format!("{}/{}", a.error_type, a.code) },
                "created": super::evidence::rfc3339(a.created),
            })).collect::<Vec<_>>(),
            "unreadable_events": self.unreadable,
        })
    }
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn percent(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

pub(crate) fn judge(tally: &Tally, max_rate: f64, hours: u32) -> Outcome {
    let n = tally.attempts.len();
    let failures = tally.integration().len();
    let declines = tally.declines();
    if n < MIN_ATTEMPTS {
        return Outcome::skip(format!(
            "{n} payment attempts in the last {hours} h: at least {MIN_ATTEMPTS} are needed to judge an error rate"
        ));
    }
    let rate = share(failures, n);
    let declined = format!(
        "{declines} card {} not counted",
        if declines == 1 { "decline" } else { "declines" }
    );
    if rate > max_rate {
        Outcome::fail(format!(
            "{failures} of {n} payment attempts in the last {h} h ({}) failed for integration reasons, above stripe.max_error_rate {} ({declined})",
            percent(rate),
            percent(max_rate),
            h = hours
        ))
        .remediation("Look up the listed payment intents in the Stripe Dashboard (Payments → the intent → events and logs): an invalid_request_error or api_error is a bug or configuration fault in the checkout code (a wrong price or currency, a missing payment method, an idempotency key reused with other parameters), not the customer's card.")
    } else {
        Outcome::pass(format!(
            "{failures} of {n} payment attempts in the last {hours} h ({}) failed for integration reasons, within stripe.max_error_rate {} ({declined})",
            percent(rate),
            percent(max_rate)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, pi: &str, created: i64, error: Value) -> Value {
        json!({ "type": kind, "created": created,
                "data": { "object": { "id": pi, "last_payment_error": error } } })
    }

    #[test]
    fn the_newest_outcome_of_an_intent_counts_and_declines_are_the_customers() {
        let card = json!({ "type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds" });
        let sca = json!({ "type": "invalid_request_error", "code": "payment_intent_authentication_failure" });
        let bug = json!({ "type": "invalid_request_error", "code": "parameter_missing" });
        let mut events = vec![
            // Declined, then paid with another card: a success.
            event(
                "payment_intent.payment_failed",
                "pi_retry",
                100,
                card.clone(),
            ),
            event("payment_intent.succeeded", "pi_retry", 200, Value::Null),
            event("payment_intent.payment_failed", "pi_sca", 100, sca),
            event("payment_intent.payment_failed", "pi_bug", 100, bug),
            event("payment_intent.payment_failed", "pi_card", 100, card),
            json!({ "type": "payment_intent.succeeded" }),
        ];
        for i in 0..17 {
            events.push(event(
                "payment_intent.succeeded",
                &format!("pi_ok{i}"),
                50,
                Value::Null,
            ));
        }
        let tally = Tally::of(&events);
        assert_eq!(tally.attempts.len(), 21);
        assert_eq!(
            (
                tally.integration().len(),
                tally.declines(),
                tally.unreadable
            ),
            (1, 2, 1)
        );
        let out = judge(&tally, 0.02, 72);
        assert_eq!(out.status, crate::report::Status::Fail, "{}", out.summary);
        assert!(
            out.summary.starts_with("1 of 21 payment attempts"),
            "{}",
            out.summary
        );
        assert_eq!(judge(&tally, 0.05, 72).status, crate::report::Status::Pass);
        // A listing stopped at a cap proves no rate, whatever was read.
        let out = verdict(&events, Some(&Stop::Pages(50)), 0.02, 72);
        assert_eq!(out.status, crate::report::Status::Error);
        assert!(
            out.summary.contains("50-page cap") && out.summary.contains("23 read"),
            "{}",
            out.summary
        );
        assert_eq!(out.details["attempts"], 21);
        let few = Tally::of(&events[..5]);
        let out = judge(&few, 0.02, 72);
        assert_eq!(out.status, crate::report::Status::Skip);
        assert!(
            out.summary.starts_with("4 payment attempts"),
            "{}",
            out.summary
        );
    }
}
