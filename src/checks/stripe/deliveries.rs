//! `stripe.deliveries`: events Stripe could not deliver within `lookback_hours`
//! (`GET /v1/events?delivery_success=false`). Any failure is `warn`; more than 3
//! inside any 10 minutes is `fail` — a burst means the endpoint was down or broken,
//! not one flaky request. Stripe reports delivery per event, across endpoints: only
//! events a manifest endpoint receives can fail the check (`scope`); the rest are at
//! most `warn`, naming the endpoints that receive them. A listing stopped at a cap
//! gives a verdict only when what it read already proves `fail`.

use serde_json::json;

use super::evidence::{self, rfc3339};
use super::scope::{self, Scope};
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::stripe::{Endpoints, Event, UndeliveredEvents};
use crate::meta;
use crate::report::Outcome;

pub struct Deliveries;

/// A failure burst: more than this many failures ...
pub const BURST_THRESHOLD: usize = 3;
/// ... inside a window this long.
pub const BURST_WINDOW_SECS: i64 = 600;
/// Younger events are still in their first delivery attempt, not failures yet.
pub const IN_FLIGHT_SECS: i64 = 60;

impl Check for Deliveries {
    const META: &'static Meta = meta! {
        id: "stripe.deliveries",
        title: "Stripe delivered the recent events",
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
    let (failed, in_flight): (Vec<&Event>, Vec<&Event>) = list
        .events
        .iter()
        .partition(|e| now - e.created >= IN_FLIGHT_SECS);
    let hours = list.lookback_hours;
    if failed.is_empty() && list.stopped.is_none() {
        let (summary, connect) = scope::with_connect_note(
            cx,
            &endpoints,
            format!("no failed deliveries in the last {hours} h"),
        );
        return Ok(Outcome::pass(summary).details(json!({
            "lookback_hours": hours,
            "since": rfc3339(list.since),
            "failed_count": 0,
            "in_flight": in_flight.len(),
            "connect": connect,
        })));
    }
    let endpoints = endpoints?;
    let scope = Scope::new(cx, &endpoints);
    let (ours, others) = scope.split(&failed);
    let partial = list.stopped.is_some();
    let mut details = json!({
        "lookback_hours": hours,
        "since": rfc3339(list.since),
        "failed_count": failed.len(),
        "manifest_failed_count": ours.len(),
        "other_endpoints_failed_count": others.len(),
        "in_flight": in_flight.len(),
    });
    scope.attribute(&mut details, &failed, list.stopped.as_ref());
    let remediation = "Fix the endpoint first (see stripe.endpoint and the webhook.* checks), then resend the failed events: Stripe Dashboard → Developers → Webhooks → the endpoint → failed deliveries → Resend, or `stripe events resend <event id>`.";
    let window = evidence::busiest_window(&ours, BURST_WINDOW_SECS);
    let span = window
        .first()
        .zip(window.last())
        .map(|(f, l)| (f.created, l.created));
    if let Some((first, last)) = span {
        details["by_type"] = evidence::by_type(&ours);
        details["worst_window"] = json!({
            "start": rfc3339(first),
            "end": rfc3339(last),
            "count": window.len(),
            "events": window.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        });
        details["events"] = evidence::listed(&ours);
    }
    if let Some((first, last)) = span.filter(|_| window.len() > BURST_THRESHOLD) {
        let n = ours.len();
        return Ok(Outcome::fail(format!(
            "{}{n} {} the manifest's endpoints receive failed delivery in the last {hours} h, {} of them within 10 minutes ({} to {})",
            super::at_least(partial),
            scope::events_word(n),
            window.len(),
            rfc3339(first),
            rfc3339(last)
        ))
        .details(details)
        .remediation(remediation));
    }
    if let Some(stop) = &list.stopped {
        return Ok(Outcome::error(format!(
            "the undelivered events of the last {hours} h could not all be read ({stop}, {} read) and those read prove no failure burst",
            list.events.len()
        ))
        .details(details)
        .remediation(super::NARROW));
    }
    if !ours.is_empty() {
        let n = ours.len();
        return Ok(Outcome::warn(format!(
            "{n} {} the manifest's endpoints receive failed delivery in the last {hours} h (at most {} within any 10 minutes)",
            scope::events_word(n),
            window.len()
        ))
        .details(details)
        .remediation(remediation));
    }
    if !others.is_empty() {
        details["by_type"] = evidence::by_type(&others);
        details["events"] = evidence::listed(&others);
        let n = others.len();
        return Ok(Outcome::warn(format!(
            "{n} {} failed delivery in the last {hours} h, none of a type the manifest's endpoints receive: {}",
            scope::events_word(n),
            scope.name_others(&others)
        ))
        .details(details)
        .remediation("The failures are on other endpoints: fix or delete the endpoints named (a forgotten staging or old deployment endpoint keeps failing for 3 days per event, and Stripe disables an endpoint that keeps failing)."));
    }
    // Unreachable in practice: failures exist but are neither ours nor others'.
    Ok(
        Outcome::error("failed deliveries that belong to no endpoint (internal inconsistency)")
            .details(details),
    )
}
