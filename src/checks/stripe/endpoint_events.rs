//! `stripe.endpoint-events`: the endpoint for this webhook subscribes to every event
//! in `stripe.required_events` (or to `*`). An unsubscribed event is never sent:
//! no error anywhere, the order just never gets fulfilled.
//!
//! The endpoint judged is the one at exactly the URL, else a near miss (the URL is
//! fixed in place in Stripe, so its event list carries over). With neither, the
//! result is `skip` pointing at `stripe.endpoint`, which already fails for it:
//! nothing is unknown, so `error` would double-count one finding.

use std::collections::BTreeSet;

use serde_json::json;

use super::matching;
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct EndpointEvents;

impl Check for EndpointEvents {
    const META: &'static Meta = meta! {
        id: "stripe.endpoint-events",
        title: "The Stripe endpoint subscribes to every required event",
        severity: Fail,
        needs: "manifest `stripe.required_events` and `webhooks` (provider: stripe); a Stripe API key",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        match &cx.manifest.stripe {
            Some(s) if s.required_events.is_empty() => {
                Plan::skip("stripe", "stripe.required_events lists no events")
            }
            _ => super::webhook_plan(cx),
        }
    }

    async fn run(&self, cx: &Context, name: &str) -> Checked {
        Ok(super::in_mode(cx, judge(cx, name).await))
    }
}

async fn judge(cx: &Context, name: &str) -> Checked {
    let Some(stripe) = &cx.manifest.stripe else {
        return Err(Outcome::error(format!(
            "no Stripe webhook named {name} in the manifest"
        )));
    };
    let (webhook, endpoints) = super::webhook_and_endpoints(cx, name).await?;
    let url = webhook.url.as_str();
    let found = matching::find(&webhook.url.0, &endpoints);
    let (judged, exact) = if found.exact.is_empty() {
        (
            found.near.iter().map(|(e, _)| *e).collect::<Vec<_>>(),
            false,
        )
    } else {
        (found.exact.clone(), true)
    };
    if judged.is_empty() {
        return Err(Outcome::skip(format!(
            "no Stripe endpoint at {url} (see stripe.endpoint)"
        )));
    }
    // A disabled endpoint delivers nothing: its events count only when no
    // enabled endpoint is there to judge (stripe.endpoint reports it disabled).
    let judged = if judged.iter().any(|e| e.is_enabled()) {
        judged.into_iter().filter(|e| e.is_enabled()).collect()
    } else {
        judged
    };
    let enabled: BTreeSet<&str> = judged
        .iter()
        .flat_map(|e| e.enabled_events.iter().map(String::as_str))
        .collect();
    let ids: Vec<&str> = judged.iter().map(|e| e.id.as_str()).collect();
    let which = if exact {
        format!("endpoint {}", ids.join(", "))
    } else {
        format!(
            "near-miss endpoint {} (its URL differs; see stripe.endpoint)",
            ids.join(", ")
        )
    };
    if enabled.contains("*") {
        return Err(
            Outcome::pass(format!("{which} receives every event type (*)"))
                .details(json!({ "endpoints": ids, "enabled_events": ["*"] })),
        );
    }
    let missing: Vec<&str> = stripe
        .required_events
        .iter()
        .map(String::as_str)
        .filter(|e| !enabled.contains(e))
        .collect();
    let details = json!({
        "endpoints": ids,
        "exact_url": exact,
        "required_events": stripe.required_events,
        "enabled_events": enabled,
        "missing": missing,
    });
    Ok(if missing.is_empty() {
        Outcome::pass(format!(
            "{which} receives all {} required events",
            stripe.required_events.len()
        ))
        .details(details)
    } else {
        Outcome::fail(format!(
            "{which} does not receive {}",
            missing.join(", ")
        ))
        .details(details)
        .remediation(format!(
            "In the Stripe Dashboard (Developers → Webhooks → {}), add the events {} to the endpoint.",
            ids.first().copied().unwrap_or("the endpoint"),
            missing.join(", ")
        ))
    })
}
