//! `stripe.deliveries`: events Stripe could not deliver within `lookback_hours`
//! (`GET /v1/events?delivery_success=false`). Any failure is `warn`; more than 3
//! inside any 10 minutes is `fail` — a burst means the endpoint was down or broken,
//! not one flaky request.

use serde_json::json;

use super::evidence::{self, rfc3339};
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::stripe::Event;
use crate::evidence::stripe::UndeliveredEvents;
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
        let list = cx.get(UndeliveredEvents).await?;
        let now = cx.now.unix_timestamp();
        let (failed, in_flight): (Vec<&Event>, Vec<&Event>) = list
            .events
            .iter()
            .partition(|e| now - e.created >= IN_FLIGHT_SECS);
        let hours = list.lookback_hours;
        let mut details = json!({
            "lookback_hours": hours,
            "since": rfc3339(list.since),
            "failed_count": failed.len(),
            "in_flight": in_flight.len(),
        });
        if failed.is_empty() {
            return Err(
                Outcome::pass(format!("no failed deliveries in the last {hours} h"))
                    .details(details),
            );
        }
        let window = evidence::busiest_window(&failed, BURST_WINDOW_SECS);
        let (first, last) = match (window.first(), window.last()) {
            (Some(f), Some(l)) => (f.created, l.created),
            _ => return Err(Outcome::error("no failure window (internal inconsistency)")),
        };
        details["by_type"] = evidence::by_type(&failed);
        details["worst_window"] = json!({
            "start": rfc3339(first),
            "end": rfc3339(last),
            "count": window.len(),
            "events": window.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        });
        details["events"] = evidence::listed(&failed);
        let remediation = "Fix the endpoint first (see stripe.endpoint and the webhook.* checks), then resend the failed events: Stripe Dashboard → Developers → Webhooks → the endpoint → failed deliveries → Resend, or `stripe events resend <event id>`.";
        let n = failed.len();
        let plural = if n == 1 { "event" } else { "events" };
        Ok(if window.len() > BURST_THRESHOLD {
            Outcome::fail(format!(
                "{n} {plural} failed delivery in the last {hours} h, {} of them within 10 minutes ({} to {})",
                window.len(),
                rfc3339(first),
                rfc3339(last)
            ))
            .details(details)
            .remediation(remediation)
        } else {
            Outcome::warn(format!(
                "{n} {plural} failed delivery in the last {hours} h (at most {} within any 10 minutes)",
                window.len()
            ))
            .details(details)
            .remediation(remediation)
        })
    }
}
