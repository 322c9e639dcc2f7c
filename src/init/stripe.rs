//! The `stripe` section: the key variables the project names, and
//! `required_events` = the event types its Stripe webhook handlers handle.

use std::collections::BTreeSet;

use super::Ctx;
use super::yaml::{Section, comment, line};

pub fn uses_stripe(cx: &Ctx) -> bool {
    cx.webhooks.iter().any(|w| w.stripe)
        || cx.repo.has_dep("stripe").is_some()
        || cx.env_names().iter().any(|n| n.starts_with("STRIPE_"))
}

fn secret_key(names: &BTreeSet<String>) -> Option<&String> {
    names.get("STRIPE_SECRET_KEY").or_else(|| {
        names.iter().find(|n| {
            n.contains("STRIPE")
                && !n.contains("WEBHOOK")
                && !n.contains("PUBLISHABLE")
                && (n.ends_with("SECRET_KEY") || n.ends_with("API_KEY") || n.ends_with("_SECRET"))
        })
    })
}

pub fn draft(cx: &Ctx) -> Section {
    let mut s = Section::new("stripe");
    if !uses_stripe(cx) {
        return s;
    }
    let names = cx.env_names();
    match secret_key(&names) {
        Some(k) => s.push(line(
            1,
            &format!("secret_key_env: {k}"),
            &format!(
                "{}; a restricted read-only key (rk_live_) is best",
                cx.where_named(k)
            ),
        )),
        None => s.push(line(
            1,
            "secret_key_env: TODO_STRIPE_SECRET_KEY",
            "TODO: the variable holding the Stripe secret key",
        )),
    }
    if let Some(p) = names
        .iter()
        .find(|n| n.contains("STRIPE") && n.contains("PUBLISHABLE"))
    {
        s.push(line(
            1,
            &format!("publishable_key_env: {p}"),
            &cx.where_named(p),
        ));
    }
    let mut events = BTreeSet::new();
    let mut from = Vec::new();
    for w in cx.webhooks.iter().filter(|w| w.stripe) {
        if !w.event_types.is_empty() {
            events.extend(w.event_types.iter().cloned());
            from.push(w.decided_in.clone());
        }
    }
    from.dedup();
    if events.is_empty() {
        s.push(line(
            1,
            "required_events: []",
            "TODO: no handled event type found in the Stripe webhook code",
        ));
    } else {
        s.push(comment(
            1,
            &format!("the event types handled in {}", from.join(", ")),
        ));
        s.push(line(1, "required_events:", ""));
        for e in events {
            s.push(line(2, &format!("- {e}"), ""));
        }
    }
    s
}
