//! `stripe.endpoint`: the Stripe account has an enabled webhook endpoint at exactly
//! the manifest's URL. Stripe posts to the registered URL and treats a redirect as a
//! failed delivery, so near misses (apex vs www, trailing slash, http vs https, path
//! case) are failures — named, with the endpoint id, because they are the usual cause.

use serde_json::json;

use super::matching;
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct Endpoint;

/// Registered URLs listed when nothing matches, so the reader sees what is there.
const MAX_OTHERS: usize = 20;

impl Check for Endpoint {
    const META: &'static Meta = meta! {
        id: "stripe.endpoint",
        title: "Stripe has an enabled webhook endpoint at exactly this URL",
        severity: Fail,
        needs: "manifest `stripe` and `webhooks` (provider: stripe); a Stripe API key",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::webhook_plan(cx)
    }

    async fn run(&self, cx: &Context, name: &str) -> Checked {
        Ok(super::in_mode(cx, judge(cx, name).await))
    }
}

async fn judge(cx: &Context, name: &str) -> Checked {
    let (webhook, endpoints) = super::webhook_and_endpoints(cx, name).await?;
    let url = webhook.url.as_str();
    let found = matching::find(&webhook.url.0, &endpoints);
    let ids = |list: &[&crate::evidence::stripe::WebhookEndpoint]| {
        list.iter().map(|e| e.id.clone()).collect::<Vec<_>>()
    };
    if let Some(enabled) = found.exact.iter().find(|e| e.is_enabled()) {
        let mut details = json!({
            "url": url,
            "endpoints": ids(&found.exact),
            "livemode": enabled.livemode,
        });
        // A Connect endpoint gets the connected accounts' events, which the
        // platform's event list (stripe.deliveries, stripe.pending) never shows.
        let connect = match &enabled.application {
            Some(app) => {
                details["connect_application"] = json!(app);
                details["note"] = json!(format!(
                    "endpoint {} {}",
                    enabled.id,
                    super::scope::CONNECT_NOTE
                ));
                " (a Connect endpoint: its connected accounts' events are not in the platform's event list, so stripe.deliveries and stripe.pending do not cover it)"
            }
            None => "",
        };
        return Err(Outcome::pass(format!(
            "endpoint {} at {url} is enabled{connect}",
            enabled.id
        ))
        .details(details));
    }
    if let Some(disabled) = found.exact.first() {
        return Ok(Outcome::fail(format!(
            "endpoint {} at {url} is disabled: Stripe sends it nothing",
            disabled.id
        ))
        .details(json!({ "url": url, "endpoints": ids(&found.exact), "status": disabled.status }))
        .remediation(format!(
            "Enable endpoint {} in the Stripe Dashboard (Developers → Webhooks), after fixing what made Stripe disable it (see stripe.deliveries).",
            disabled.id
        )));
    }
    if !found.near.is_empty() {
        let named: Vec<String> = found
            .near
            .iter()
            .map(|(e, diffs)| format!("{} at {} ({})", e.id, e.url, diffs.join(", ")))
            .collect();
        return Ok(Outcome::fail(format!(
            "no endpoint at exactly {url}; near miss: {}",
            named.join("; ")
        ))
        .details(json!({ "url": url, "near_misses": found.near_json() }))
        .remediation(format!(
            "Change the endpoint's URL in the Stripe Dashboard (Developers → Webhooks) to exactly {url}. Stripe does not follow redirects: an apex→www or trailing-slash redirect fails every delivery."
        )));
    }
    let others: Vec<&str> = endpoints
        .iter()
        .take(MAX_OTHERS)
        .map(|e| e.url.as_str())
        .collect();
    Ok(Outcome::fail(format!(
        "no Stripe webhook endpoint at {url} ({} endpoints registered)",
        endpoints.len()
    ))
    .details(json!({ "url": url, "registered": others }))
    .remediation(format!(
        "Add an endpoint for {url} in the Stripe Dashboard (Developers → Webhooks) with the events in stripe.required_events, and put its signing secret in {}.",
        webhook.secret_env.as_deref().unwrap_or("the webhook's secret_env")
    )))
}
