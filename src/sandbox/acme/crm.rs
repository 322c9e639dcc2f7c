//! acme's CRM: a HubSpot account that a Zapier task fills from Stripe. The task broke
//! mid-week: 3 of the week's 40 paying customers never reached HubSpot
//! (`crm.stripe-sync` fails), one customer was created twice (a signup form and the
//! sync) and one is still a `lead` after paying (both noted in the result's details).

use serde_json::json;

use crate::sandbox::Site;
use crate::sandbox::hubspot_fake::{FakeContact, HubSpotFake};
use crate::sandbox::stripe_fake::{Account, Event};

const HOUR: i64 = 3600;

/// The customers of the week besides those `stripe.rs` already has: first name and
/// company domain (all under `.example`: nobody real).
const CUSTOMERS: [(&str, &str); 31] = [
    ("ada", "lovelace-labs.example"),
    ("grace", "hopper-systems.example"),
    ("alan", "turing-works.example"),
    ("edsger", "dijkstra-paths.example"),
    ("barbara", "liskov-types.example"),
    ("donald", "knuth-press.example"),
    ("margaret", "hamilton-flight.example"),
    ("ken", "thompson-unix.example"),
    ("dennis", "ritchie-c.example"),
    ("frances", "allen-compilers.example"),
    ("john", "backus-forms.example"),
    ("radia", "perlman-networks.example"),
    ("tim", "berners-web.example"),
    ("vint", "cerf-protocols.example"),
    ("leslie", "lamport-clocks.example"),
    ("shafi", "goldwasser-crypto.example"),
    ("whitfield", "diffie-keys.example"),
    ("hedy", "lamarr-radio.example"),
    ("katherine", "johnson-orbits.example"),
    ("annie", "easley-rockets.example"),
    ("jean", "bartik-eniac.example"),
    ("sophie", "wilson-arm.example"),
    ("guido", "rossum-snakes.example"),
    ("bjarne", "stroustrup-classes.example"),
    ("anders", "hejlsberg-types.example"),
    ("yukihiro", "matsumoto-gems.example"),
    ("rasmus", "lerdorf-pages.example"),
    ("brendan", "eich-scripts.example"),
    ("james", "gosling-beans.example"),
    ("larry", "wall-pearls.example"),
    ("mary", "shaw-architecture.example"),
];

/// Customers whose contact the broken sync never created (indexes into CUSTOMERS).
const NOT_SYNCED: [usize; 3] = [7, 19, 26];
/// Created twice: once by the signup form, once by the sync.
const DUPLICATED: usize = 12;
/// Paid, but the sync never moved the contact past `lead`.
const STILL_LEAD: usize = 4;

fn email(i: usize) -> String {
    let (name, domain) = CUSTOMERS[i];
    format!("{name}@{domain}")
}

fn customer_id(i: usize) -> String {
    format!("cus_Acme{i:012}")
}

/// acme's payments of the week on top of `account`'s events: a checkout per
/// customer, spread over the last six days. The customers of
/// subscription events (their email lives on the customer object) are registered so
/// the lookups find them.
pub fn with_payments(account: Account) -> Account {
    // Checkout sessions (~5 KB each) rather than invoices (~20 KB): the demo's other
    // checks run alongside on the same machine, some of them timed.
    let payments = (0..CUSTOMERS.len()).map(|i| {
        let age = (3 + i as i64 * 5) * HOUR;
        Event::delivered("checkout.session.completed", age).object(json!({
            "customer": customer_id(i), "payment_status": "paid",
            "customer_details": { "email": email(i), "name": CUSTOMERS[i].0 },
            "customer_email": null }))
    });
    let account = account.events(payments);
    let subscribers: Vec<String> = account
        .events
        .iter()
        .filter(|e| e.kind.starts_with("customer.subscription."))
        .filter(|e| e.object_patch.is_none())
        .map(|e| format!("cus_{}", e.id.trim_start_matches("evt_")))
        .collect();
    subscribers.iter().fold(account, |a, id| {
        a.customer(id, Some(crate::sandbox::stripe_fake::shapes::PAYLOAD_EMAIL))
    })
}

/// The HubSpot private app token of this run (the demo's `.env.production` holds it).
pub fn token() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| format!("pat-na1-{}", crate::sandbox::random_token(32)))
}

pub fn site() -> Site {
    let synced = (0..CUSTOMERS.len())
        .filter(|i| !NOT_SYNCED.contains(i))
        .map(|i| {
            let stage = if i == STILL_LEAD { "lead" } else { "customer" };
            FakeContact::new(1000 + i as u64, &email(i), stage).with("firstname", CUSTOMERS[i].0)
        });
    // The signup form wrote the email as typed.
    let duplicate = FakeContact::new(2000, &email(DUPLICATED).to_uppercase(), "subscriber");
    // The customer behind stripe.rs's payments (the fake's payload email).
    let payload = FakeContact::new(
        900,
        crate::sandbox::stripe_fake::shapes::PAYLOAD_EMAIL,
        "customer",
    );
    HubSpotFake::new()
        .with_token(token())
        .contacts(synced)
        .contact(duplicate)
        .contact(payload)
        .site()
}
