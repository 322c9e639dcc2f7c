//! Who paid: the customers behind the payment events of the lookback window, read
//! from Stripe events in their real shapes and de-duplicated by customer.
//!
//! - `checkout.session.completed` with `payment_status: paid` — the email is in
//!   `customer_details.email` (guest checkouts have `customer: null`);
//! - `invoice.paid` with `amount_paid > 0` — `customer_email` is a snapshot taken
//!   when the invoice was finalised;
//! - `customer.subscription.created` / `.updated` with `status: active` — carries the
//!   customer id only: its email comes from the customer object (`needs_email`).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

use super::normalize_email;

/// The event types that mark a payment (what the Stripe listing asks for).
pub const PAYMENT_EVENT_TYPES: &[&str] = &[
    "checkout.session.completed",
    "invoice.paid",
    "customer.subscription.created",
    "customer.subscription.updated",
];

/// Payments younger than this are not judged: sync jobs and CRM workflows commonly
/// run with some delay (SPEC §7).
pub const GRACE_SECS: i64 = 3600;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payer {
    /// `cus_…`; `None` for a guest checkout.
    pub customer_id: Option<String>,
    /// Normalised email, when Stripe has one.
    pub email: Option<String>,
    /// When the latest payment event of this customer happened (unix seconds).
    pub paid_at: i64,
    /// The event type that made this customer a payer (the latest one).
    pub via: String,
}

/// The paying customers of a window, and what was left out and why.
#[derive(Debug, Default)]
pub struct Payers {
    pub payers: Vec<Payer>,
    /// Payment events younger than [`GRACE_SECS`], not judged yet.
    pub too_recent: usize,
    /// Payment events that were not payments (unpaid sessions, zero invoices,
    /// inactive subscriptions).
    pub not_paid: usize,
}

impl Payers {
    /// Customer ids whose email is still unknown (subscription events): the caller
    /// fills them in from the customer objects with [`Payers::set_email`].
    pub fn needs_email(&self) -> Vec<String> {
        self.payers
            .iter()
            .filter(|p| p.email.is_none())
            .filter_map(|p| p.customer_id.clone())
            .collect()
    }

    pub fn set_email(&mut self, customer_id: &str, email: Option<&str>) {
        for p in &mut self.payers {
            if p.customer_id.as_deref() == Some(customer_id) && p.email.is_none() {
                p.email = email.and_then(normalize_email);
            }
        }
    }
}

/// A payment event reduced, as it is read, to the fields [`from_events`] uses: a
/// listing of 15,000 events (~5–20 KB each) never sits in memory whole, and names,
/// addresses and the rest of the payload are dropped at the door. Any JSON reads
/// (a malformed event is judged by `from_events`, not refused by the listing).
#[derive(Clone, Debug)]
pub struct PaymentEvent(pub Value);

impl<'de> Deserialize<'de> for PaymentEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let event = Value::deserialize(d)?;
        let object = event.pointer("/data/object");
        let field = |name: &str| object.and_then(|o| o.get(name)).cloned();
        let customer = match field("customer") {
            Some(Value::Object(o)) => o.get("id").cloned(),
            other => other,
        };
        Ok(PaymentEvent(json!({
            "type": event.get("type"),
            "created": event.get("created"),
            "data": { "object": {
                "customer": customer,
                "payment_status": field("payment_status"),
                "customer_details": { "email": object.and_then(|o| o.pointer("/customer_details/email")) },
                "customer_email": field("customer_email"),
                "amount_paid": field("amount_paid"),
                "status": field("status"),
            } },
        })))
    }
}

/// Read the payment events (any order) into de-duplicated payers.
pub fn from_events(events: &[Value], now: i64) -> Payers {
    let mut out = Payers::default();
    // Keyed by customer id, or by email for guest checkouts.
    let mut by_key: BTreeMap<String, Payer> = BTreeMap::new();
    for event in events {
        let created = event.get("created").and_then(Value::as_i64).unwrap_or(0);
        let kind = event.get("type").and_then(Value::as_str).unwrap_or("");
        let Some(object) = event.pointer("/data/object") else {
            continue;
        };
        let Some((customer_id, email)) = payment(kind, object) else {
            if PAYMENT_EVENT_TYPES.contains(&kind) {
                out.not_paid += 1;
            }
            continue;
        };
        if now - created < GRACE_SECS {
            out.too_recent += 1;
            continue;
        }
        let key = match (&customer_id, &email) {
            (Some(id), _) => id.clone(),
            (None, Some(email)) => format!("guest:{email}"),
            // A guest checkout without any email: still a payer, unmatchable.
            (None, None) => format!("anonymous:{}", by_key.len()),
        };
        let entry = by_key.entry(key).or_insert_with(|| Payer {
            customer_id: customer_id.clone(),
            email: None,
            paid_at: created,
            via: kind.to_owned(),
        });
        if entry.email.is_none() {
            entry.email = email;
        }
        if created >= entry.paid_at {
            entry.paid_at = created;
            entry.via = kind.to_owned();
        }
    }
    out.payers = by_key.into_values().collect();
    out
}

/// The customer id and email of a payment event, or `None` when it is no payment.
fn payment(kind: &str, object: &Value) -> Option<(Option<String>, Option<String>)> {
    let customer = customer_id(object.get("customer"));
    let email_at = |path: &str| {
        object
            .pointer(path)
            .and_then(Value::as_str)
            .and_then(normalize_email)
    };
    match kind {
        "checkout.session.completed" => {
            let paid = object.get("payment_status").and_then(Value::as_str) == Some("paid");
            paid.then(|| {
                let email =
                    email_at("/customer_details/email").or_else(|| email_at("/customer_email"));
                (customer, email)
            })
        }
        "invoice.paid" => {
            let amount = object
                .get("amount_paid")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            (amount > 0).then(|| (customer, email_at("/customer_email")))
        }
        "customer.subscription.created" | "customer.subscription.updated" => {
            let active = object.get("status").and_then(Value::as_str) == Some("active");
            (active && customer.is_some()).then_some((customer, None))
        }
        _ => None,
    }
}

/// `customer` is an id, or an expanded object with an `id`.
fn customer_id(value: Option<&Value>) -> Option<String> {
    let id = match value? {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("id")?.as_str()?,
        _ => return None,
    };
    id.starts_with("cus_").then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_800_000_000;

    fn event(kind: &str, ago: i64, object: Value) -> Value {
        json!({ "id": "evt_1", "object": "event", "type": kind, "created": NOW - ago,
                "data": { "object": object } })
    }

    #[test]
    fn checkout_invoice_and_subscription_events_give_one_payer_per_customer() {
        let events = vec![
            event(
                "checkout.session.completed",
                7200,
                json!({ "object": "checkout.session",
                "customer": "cus_AAAAAAAAAAAA1111", "payment_status": "paid",
                "customer_details": { "email": " Ada@Acme.App " } }),
            ),
            event(
                "invoice.paid",
                5000,
                json!({ "object": "invoice",
                "customer": "cus_AAAAAAAAAAAA1111", "amount_paid": 1900, "customer_email": "ada@acme.app" }),
            ),
            event(
                "customer.subscription.created",
                9000,
                json!({ "object": "subscription",
                "customer": "cus_BBBBBBBBBBBB2222", "status": "active" }),
            ),
        ];
        let payers = from_events(&events, NOW);
        assert_eq!(payers.payers.len(), 2);
        let ada = &payers.payers[0];
        assert_eq!(ada.email.as_deref(), Some("ada@acme.app"));
        assert_eq!(ada.paid_at, NOW - 5000);
        assert_eq!(ada.via, "invoice.paid");
        assert_eq!(
            payers.needs_email(),
            vec!["cus_BBBBBBBBBBBB2222".to_owned()]
        );
    }

    #[test]
    fn unpaid_sessions_zero_invoices_and_inactive_subscriptions_are_not_payments() {
        let events = vec![
            event(
                "checkout.session.completed",
                7200,
                json!({ "customer": null,
                "payment_status": "unpaid", "customer_details": { "email": "x@y.z" } }),
            ),
            event(
                "invoice.paid",
                7200,
                json!({ "customer": "cus_CCCCCCCCCCCC3333", "amount_paid": 0 }),
            ),
            event(
                "customer.subscription.updated",
                7200,
                json!({ "customer": "cus_CCCCCCCCCCCC3333",
                "status": "past_due" }),
            ),
        ];
        let payers = from_events(&events, NOW);
        assert!(payers.payers.is_empty());
        assert_eq!(payers.not_paid, 3);
    }

    #[test]
    fn payments_younger_than_an_hour_wait_and_guests_key_by_email() {
        let events = vec![
            event(
                "checkout.session.completed",
                600,
                json!({ "customer": "cus_DDDDDDDDDDDD4444",
                "payment_status": "paid", "customer_details": { "email": "new@acme.app" } }),
            ),
            event(
                "checkout.session.completed",
                7200,
                json!({ "customer": null,
                "payment_status": "paid", "customer_details": { "email": "Guest@Acme.app" } }),
            ),
            event(
                "checkout.session.completed",
                7300,
                json!({ "customer": null,
                "payment_status": "paid", "customer_details": { "email": "guest@acme.app" } }),
            ),
            event(
                "checkout.session.completed",
                7300,
                json!({ "customer": null,
                "payment_status": "paid", "customer_details": { "email": null } }),
            ),
        ];
        let payers = from_events(&events, NOW);
        assert_eq!(payers.too_recent, 1);
        assert_eq!(payers.payers.len(), 2, "{:?}", payers.payers);
        assert!(
            payers
                .payers
                .iter()
                .any(|p| p.email.is_none() && p.customer_id.is_none())
        );
    }

    #[test]
    fn expanded_customers_and_garbage_objects_do_not_panic() {
        let events = vec![
            event(
                "invoice.paid",
                7200,
                json!({ "customer": { "id": "cus_EEEEEEEEEEEE5555" },
                "amount_paid": 500, "customer_email": "e@acme.app" }),
            ),
            json!({ "type": "invoice.paid", "data": "garbage" }),
            json!(null),
            event(
                "invoice.paid",
                7200,
                json!({ "customer": 42, "amount_paid": "x" }),
            ),
        ];
        let payers = from_events(&events, NOW);
        assert_eq!(payers.payers.len(), 1);
        assert_eq!(
            payers.payers[0].customer_id.as_deref(),
            Some("cus_EEEEEEEEEEEE5555")
        );
    }

    #[test]
    fn events_are_reduced_to_what_is_judged_and_read_the_same() {
        let full = event(
            "checkout.session.completed",
            7200,
            json!({ "customer": { "id": "cus_FFFFFFFFFFFF6666", "name": "Planted Name" },
                "payment_status": "paid", "customer_details": { "email": "f@acme.app", "name": "Planted Name",
                "address": { "line1": "1 Planted Road" } } }),
        );
        let slim: PaymentEvent = serde_json::from_value(full.clone()).expect("any JSON reads");
        assert!(!slim.0.to_string().contains("Planted"), "{}", slim.0);
        let a = from_events(&[full], NOW).payers;
        let b = from_events(&[slim.0], NOW).payers;
        assert_eq!(a, b);
        let garbage: PaymentEvent = serde_json::from_value(json!("garbage")).expect("reads");
        assert!(from_events(&[garbage.0], NOW).payers.is_empty());
    }
}
