//! `stripe.handled-events`: the event types the webhook's route code handles versus
//! the types its Stripe endpoint receives. Code that handles `invoice.paid` on an
//! endpoint not subscribed to it never runs — the seed's "subscription status never
//! updates after payment events" (`fail`). A handler that answers 4xx to types the
//! endpoint receives fails each of those deliveries, which Stripe retries for 3
//! days and which can get the endpoint disabled (`warn`). A subscription app
//! handling no `customer.subscription.*` event misses cancellations and renewals
//! (`warn`). Everything is read from the code and the API: no event is sent.

use std::collections::BTreeSet;

use serde_json::json;

use super::matching;
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::code::StripeHandlerCode;
use crate::evidence::stripe::{Endpoints, WebhookEndpoint};
use crate::meta;
use crate::report::Outcome;

pub struct HandledEvents;

/// Types named in a summary before "and N more".
const NAMED: usize = 6;

impl Check for HandledEvents {
    const META: &'static Meta = meta! {
        id: "stripe.handled-events",
        title: "The webhook handler's event types and the endpoint's agree",
        severity: Fail,
        needs: "manifest `code.root`, `stripe` and `webhooks` (provider: stripe); a Stripe API key",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        if cx.manifest.code.is_none() {
            return Plan::skip(
                "code",
                "no `code` section in the manifest: the handler is read from code.root",
            );
        }
        super::webhook_plan(cx)
    }

    async fn run(&self, cx: &Context, name: &str) -> Checked {
        Ok(super::in_mode(cx, judge(cx, name).await))
    }
}

fn names(list: &[&str]) -> String {
    if list.len() <= NAMED {
        list.join(", ")
    } else {
        format!(
            "{} and {} more",
            list[..NAMED].join(", "),
            list.len() - NAMED
        )
    }
}

/// The endpoint judged: enabled at exactly the URL, else any at the URL, else a
/// near miss (stripe.endpoint names the difference).
fn endpoint_for<'a>(url: &url::Url, all: &'a [WebhookEndpoint]) -> Option<&'a WebhookEndpoint> {
    let found = matching::find(url, all);
    found
        .exact
        .iter()
        .find(|e| e.is_enabled())
        .or(found.exact.first())
        .copied()
        .or(found.near.first().map(|(e, _)| *e))
}

async fn judge(cx: &Context, name: &str) -> Checked {
    let Some(webhook) = super::webhook(cx, name) else {
        return Err(Outcome::error(format!(
            "no Stripe webhook named {name} in the manifest"
        )));
    };
    let path = webhook.url.0.path().to_owned();
    let handler = cx.get(StripeHandlerCode(path.clone())).await?;
    let endpoints = cx.get(Endpoints).await?;
    let Some(endpoint) = endpoint_for(&webhook.url.0, &endpoints) else {
        return Err(Outcome::skip(format!(
            "no Stripe endpoint at {} (see stripe.endpoint)",
            webhook.url.as_str()
        )));
    };
    let route = &handler.route.file.rel;
    let events = &handler.events;
    let star = endpoint.enabled_events.iter().any(|e| e == "*");
    let enabled: BTreeSet<&str> = endpoint.enabled_events.iter().map(String::as_str).collect();
    let handled: Vec<&str> = events.handled.keys().map(String::as_str).collect();
    let missing: Vec<&str> = handled
        .iter()
        .copied()
        .filter(|t| !star && !enabled.contains(t))
        .collect();
    let refused: Vec<&str> = match &events.refusal {
        Some(_) if !star => enabled
            .iter()
            .copied()
            .filter(|t| !events.handled.contains_key(*t))
            .collect(),
        _ => Vec::new(),
    };
    let handles_subscriptions = handled
        .iter()
        .any(|t| t.starts_with("customer.subscription."));
    let mut details = json!({
        "url": webhook.url.as_str(),
        "route": route,
        "routed_path": handler.route.routed_path,
        "routing": handler.route.steps,
        "read": handler.read,
        "endpoint": endpoint.id,
        "enabled_events": endpoint.enabled_events,
        "handled": events.handled,
        "logged_only": events.logged_only,
        "refused_in_branch": events.refused,
        "refusal": events.refusal,
        "patterns": events.patterns,
        "missing": missing,
        "refused": refused,
    });
    if !events.unresolved.is_empty() {
        details["unresolved_lists"] = json!(events.unresolved);
    }
    if !handler.route.others.is_empty() {
        details["other_routes"] = json!(handler.route.others);
    }
    if let Some(app) = &endpoint.application {
        details["connect_application"] = json!(app);
    }
    if handled.is_empty() && !events.logged_only.is_empty() {
        let logged: Vec<&str> = events.logged_only.keys().map(String::as_str).collect();
        return Ok(Outcome::warn(format!(
            "{route} handles no event type: its branches for {} only log or return, so endpoint {} delivers events nothing acts on",
            names(&logged),
            endpoint.id
        ))
        .details(details)
        .remediation("Act on the events the app depends on (fulfil checkout.session.completed, record invoice.paid, sync customer.subscription.*), or remove the endpoint if nothing needs them."));
    }
    if handled.is_empty() {
        return Ok(Outcome::error(format!(
            "cannot tell which event types {route} handles: no switch or if on the event type, handler map or list of relevant events found"
        ))
        .details(details));
    }
    if !missing.is_empty() {
        let mut summary = format!(
            "{route} handles {} but endpoint {} does not receive {}: that code never runs",
            names(&missing),
            endpoint.id,
            if missing.len() == 1 { "it" } else { "them" }
        );
        if !refused.is_empty() {
            summary += &format!("; it also refuses {} with 4xx", names(&refused));
        }
        return Ok(Outcome::fail(summary).details(details).remediation(format!(
            "Add {} to endpoint {} (Stripe Dashboard → Developers → Webhooks → the endpoint → Select events), or delete the code that waits for them.",
            missing.join(", "),
            endpoint.id
        )));
    }
    let mut warnings = Vec::new();
    if let Some(r) = &events.refusal {
        let line = format!("{route}:{} ({})", r.line, r.how);
        if star {
            warnings.push(format!(
                "endpoint {} receives every event type (*) and {line} answers {} to all but the {} it handles: each of those deliveries fails and Stripe retries it for 3 days",
                endpoint.id, r.status, handled.len()
            ));
        } else if !refused.is_empty() {
            warnings.push(format!(
                "endpoint {} receives {} which {line} refuses with {}: each delivery fails and Stripe retries it for 3 days",
                endpoint.id,
                names(&refused),
                r.status
            ));
        }
    }
    if !handles_subscriptions && let Some(evidence) = &handler.subscriptions {
        details["subscription_code"] = json!(evidence);
        warnings.push(format!(
            "the app sells subscriptions ({evidence}) but {route} handles no customer.subscription.* event: cancellations, failed renewals and plan changes never reach the database"
        ));
    }
    if !warnings.is_empty() {
        return Ok(Outcome::warn(warnings.join("; ")).details(details).remediation(
            "Answer 2xx to event types the handler does not use (or unsubscribe the endpoint from them), and handle customer.subscription.updated and customer.subscription.deleted in a subscription app.",
        ));
    }
    Ok(Outcome::pass(format!(
        "{route} handles {} event {}, all received by endpoint {}",
        handled.len(),
        if handled.len() == 1 { "type" } else { "types" },
        endpoint.id
    ))
    .details(details))
}
