//! `stripe.pending`: events Stripe has still not delivered an hour after they
//! happened. Stripe retries for up to three days, so a pending event is not lost yet
//! — but an hour of waiting is an hour of unfulfilled orders and unsynced
//! subscriptions, and the endpoint is failing now. That is `fail`, not `warn`.

use serde_json::json;

use super::evidence::{self, rfc3339};
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::stripe::Event;
use crate::evidence::stripe::UndeliveredEvents;
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
        let list = cx.get(UndeliveredEvents).await?;
        let now = cx.now.unix_timestamp();
        let (overdue, recent): (Vec<&Event>, Vec<&Event>) = list
            .events
            .iter()
            .filter(|e| e.pending_webhooks > 0)
            .partition(|e| now - e.created > MAX_PENDING_SECS);
        let hours = list.lookback_hours;
        let mut details = json!({
            "lookback_hours": hours,
            "overdue_count": overdue.len(),
            "pending_under_1h": recent.len(),
        });
        let Some(oldest) = overdue.iter().min_by_key(|e| e.created) else {
            return Ok(Outcome::pass(format!(
                "no event created in the last {hours} h has waited more than 1 hour for delivery"
            ))
            .details(details));
        };
        details["oldest"] = evidence::event_json(oldest);
        details["by_type"] = evidence::by_type(&overdue);
        details["events"] = evidence::listed(&overdue);
        let n = overdue.len();
        Ok(Outcome::fail(format!(
            "{n} {} still pending delivery after more than 1 hour; oldest {} ({}) since {} ({} ago)",
            if n == 1 { "event" } else { "events" },
            oldest.id,
            oldest.kind,
            rfc3339(oldest.created),
            evidence::age(now - oldest.created)
        ))
        .details(details)
        .remediation("Stripe keeps retrying for up to 3 days: fix the endpoint now (see stripe.endpoint, stripe.deliveries and the webhook.* checks); check the endpoint's recent deliveries in the Stripe Dashboard (Developers → Webhooks) for the status your server answered."))
    }
}
