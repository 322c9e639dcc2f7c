//! acme's Stripe account, as the fake serves it: the webhook endpoint is registered
//! at the apex (`https://acme.app/…`) while the site redirects the apex to www, so
//! every delivery fails — a burst of `invoice.paid` failures last night, a checkout
//! still pending after two hours — and it does not subscribe to `charge.refunded`.
//! Checkout broke too: three payments failed on a price id that does not exist in
//! live mode (`invalid_request_error`, an integration failure), among card declines.

use serde_json::json;

use crate::sandbox::Site;
use crate::sandbox::stripe_fake::{Account, Endpoint, Event, StripeFake};

const HOUR: i64 = 3600;

/// The demo's key is made fresh each run, so the account answers any live key.
pub fn site() -> Site {
    StripeFake::new().any_live_key(account()).site()
}

fn account() -> Account {
    let endpoint = Endpoint::new(
        "https://acme.app/api/webhooks/stripe",
        &[
            "checkout.session.completed",
            "invoice.paid",
            "customer.subscription.updated",
        ],
    )
    .description("production webhooks");
    // Five renewals failed within six minutes, 20 hours ago.
    let burst = (0..5).map(|i| Event::failed("invoice.paid", 20 * HOUR - i * 90));
    let delivered = [
        Event::delivered("checkout.session.completed", 30 * HOUR),
        Event::delivered("customer.subscription.updated", 26 * HOUR),
        Event::delivered("invoice.paid", 8 * HOUR),
    ];
    Account::new()
        .endpoint(endpoint)
        .events(delivered)
        .events(burst)
        .event(Event::pending(
            "checkout.session.completed",
            2 * HOUR + 10 * 60,
        ))
        .events(payments())
}

/// 36 paid checkouts over two days, 2 card declines, 3 integration failures.
fn payments() -> impl Iterator<Item = Event> {
    let paid = (0..36).map(|i| {
        Event::delivered("payment_intent.succeeded", HOUR + i * 80 * 60)
            .object(json!({ "id": format!("pi_3AcmePaid{i:010}") }))
    });
    let failure = |i: i64, kind: &str, code: &str, decline: Option<&str>| {
        Event::delivered("payment_intent.payment_failed", 3 * HOUR + i * 600).object(json!({
            "id": format!("pi_3AcmeFailed{i:08}"),
            "status": "requires_payment_method",
            "last_payment_error": {
                "type": kind, "code": code, "decline_code": decline,
                "doc_url": format!("https://stripe.com/docs/error-codes/{}", code.replace('_', "-")),
                "message": if kind == "card_error" { "Your card has insufficient funds." } else { "No such price: 'price_1TestModeOnly'" },
                "param": if kind == "card_error" { None } else { Some("line_items[0][price]") },
                "payment_method": null
            }
        }))
    };
    let failed = [
        failure(0, "card_error", "card_declined", Some("insufficient_funds")),
        failure(1, "card_error", "card_declined", Some("do_not_honor")),
        failure(2, "invalid_request_error", "resource_missing", None),
        failure(3, "invalid_request_error", "resource_missing", None),
        failure(4, "invalid_request_error", "resource_missing", None),
    ];
    paid.chain(failed)
}
