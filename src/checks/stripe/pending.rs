//! `stripe.pending`: events Stripe has still not delivered an hour after they
//! happened. Stripe retries for up to three days, so a pending event is not lost yet
//! — but an hour of waiting is an hour of unfulfilled orders and unsynced
//! subscriptions, and the endpoint is failing now. That is `fail`, not `warn`.

use serde_json::json;

use super::evidence::{self, rfc3339};
use super::scope::{self, Scope};
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::stripe::{Endpoints, Event, UndeliveredEvents};
use crate::meta;
use crate::report::Outcome;

pub struct Pending;

pub const MAX_PENDING_SECS: i64 = 3600;

impl Check for Pending {
    const META: &'static Meta = meta! {
        id: "stripe.pending",
        title: "No Stripe event waits more than an hour for delivery",
        severity: Fail,
        needs: "manifest `stripe`; a Stripe API key",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::account_plan(cx)
    }

    async fn run(&self, cx: &Context, _account: &str) -> Checked {
        Ok(super::in_mode(cx, judge(cx).await))
    }
}

async fn judge(cx: &Context) -> Checked {
    let list = cx.get(UndeliveredEvents).await?;
    let endpoints = cx.get(Endpoints).await;
    let now = cx.now.unix_timestamp();
    let (overdue, recent): (Vec<&Event>, Vec<&Event>) = list
        .events
        .iter()
        .filter(|e| e.pending_webhooks > 0)
        .partition(|e| now - e.created > MAX_PENDING_SECS);
    let hours = list.lookback_hours;
    if overdue.is_empty() && list.stopped.is_none() {
        let (summary, connect) = scope::with_connect_note(
            cx,
            &endpoints,
            format!(
                "no event created in the last {hours} h has waited more than 1 hour for delivery"
            ),
        );
        return Ok(Outcome::pass(summary).details(json!({
            "lookback_hours": hours,
            "overdue_count": 0,
            "pending_under_1h": recent.len(),
            "connect": connect,
        })));
    }
    let endpoints = endpoints?;
    let scope = Scope::new(cx, &endpoints);
    let (ours, others) = scope.split(&overdue);
    let partial = list.stopped.is_some();
    let mut details = json!({
        "lookback_hours": hours,
        "overdue_count": overdue.len(),
        "manifest_overdue_count": ours.len(),
        "other_endpoints_overdue_count": others.len(),
        "pending_under_1h": recent.len(),
    });
    scope.attribute(&mut details, &overdue, list.stopped.as_ref());
    if let Some(oldest) = ours.iter().min_by_key(|e| e.created) {
        details["oldest"] = evidence::event_json(oldest);
        details["by_type"] = evidence::by_type(&ours);
        details["events"] = evidence::listed(&ours);
        let n = ours.len();
        return Ok(Outcome::fail(format!(
            "{}{n} {} the manifest's endpoints receive still pending delivery after more than 1 hour; oldest {} ({}) since {} ({} ago)",
            super::at_least(partial),
            scope::events_word(n),
            oldest.id,
            oldest.kind,
            rfc3339(oldest.created),
            evidence::age(now - oldest.created)
        ))
        .details(details)
        .remediation("Stripe keeps retrying for up to 3 days: fix the endpoint now (see stripe.endpoint, stripe.deliveries and the webhook.* checks); check the endpoint's recent deliveries in the Stripe Dashboard (Developers → Webhooks) for the status your server answered."));
    }
    if let Some(stop) = &list.stopped {
        return Ok(Outcome::error(format!(
            "the undelivered events of the last {hours} h could not all be read ({stop}, {} read) and none read is overdue for the manifest's endpoints",
            list.events.len()
        ))
        .details(details)
        .remediation(super::NARROW));
    }
    if !others.is_empty() {
        details["by_type"] = evidence::by_type(&others);
        details["events"] = evidence::listed(&others);
        let n = others.len();
        return Ok(Outcome::warn(format!(
            "{n} {} pending delivery for more than 1 hour, none of a type the manifest's endpoints receive: {}",
            scope::events_word(n),
            scope.name_others(&others)
        ))
        .details(details)
        .remediation("The endpoints named are failing: fix them or delete them in the Stripe Dashboard (Developers → Webhooks)."));
    }
    // Unreachable in practice: overdue events are either ours or others'.
    Ok(
        Outcome::error("overdue events that belong to no endpoint (internal inconsistency)")
            .details(details),
    )
}
