//! acme's Stripe account, as the fake serves it: the webhook endpoint is registered
//! at the apex (`https://acme.app/…`) while the site redirects the apex to www, so
//! every delivery fails — a burst of `invoice.paid` failures last night, a checkout
//! still pending after two hours — and it does not subscribe to `charge.refunded`.

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
    let account = Account::new()
        .endpoint(endpoint)
        .events(delivered)
        .events(burst)
        .event(Event::pending(
            "checkout.session.completed",
            2 * HOUR + 10 * 60,
        ));
    super::crm::with_payments(account)
}
