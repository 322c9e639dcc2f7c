//! `webhook.latency`: the p95 of repeated probes against `max_p95_ms`. Stripe expects
//! a quick 2xx and counts a slow answer as a failed delivery; a handler that does its
//! work before answering is slow for every event.

use std::time::Duration;

use serde_json::json;

use super::probe;
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct Latency;

/// Pause between probes, so the figure is not one burst's.
const SPACING: Duration = Duration::from_millis(50);
/// More probes than this add time, not information.
const MAX_PROBES: u32 = 100;

/// Nearest-rank percentile of ascending `sorted` samples (`p` in 0..=100).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

impl Check for Latency {
    const META: &'static Meta = meta! {
        id: "webhook.latency",
        title: "Webhook endpoints answer quickly (p95 under max_p95_ms)",
        severity: Fail,
        needs: "manifest `webhooks`; HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::plan(cx)
    }

    async fn run(&self, cx: &Context, name: &str) -> Checked {
        // The passive probes go first: our own concurrent requests then do not skew
        // the samples, and the connection they opened is warm.
        let (net, hook, _) = match super::passive_probes(cx, name).await {
            Ok(p) => p,
            Err(outcome) => return Err(outcome),
        };
        let url = hook.url.as_str();
        let count = hook.latency_probes.clamp(1, MAX_PROBES);
        let mut samples = Vec::with_capacity(count as usize);
        let mut statuses = Vec::with_capacity(count as usize);
        for i in 0..count {
            if i > 0 {
                tokio::time::sleep(SPACING).await;
            }
            match net.http.send(probe::unsigned_request(url)).await {
                Ok(r) => {
                    samples.push(probe::ms(r.elapsed));
                    statuses.push(r.status);
                }
                Err(e) => {
                    return Err(super::unanswered(
                        format!("{url}: probe {} of {count} got no answer: {e}", i + 1),
                        json!({ "url": url, "samples_ms": samples, "statuses": statuses, "failure": probe::failure_kind(&e) }),
                    ));
                }
            }
        }
        let mut sorted = samples.clone();
        sorted.sort_by(f64::total_cmp);
        let p50 = percentile(&sorted, 50.0);
        let p95 = percentile(&sorted, 95.0);
        let max = sorted.last().copied().unwrap_or_default();
        let limit = hook.max_p95_ms;
        let details = json!({
            "url": url, "probes": count, "p50_ms": p50, "p95_ms": p95, "max_ms": max,
            "max_p95_ms": limit, "samples_ms": samples, "statuses": statuses,
        });
        Ok(if p95 > limit as f64 {
            Outcome::fail(format!("{url}: p95 {p95} ms over the {limit} ms limit (p50 {p50} ms, max {max} ms, {count} probes)"))
                .details(details)
                .remediation("Answer 2xx as soon as the signature is verified and do the work afterwards (a queue or background job); check cold starts and the region the handler runs in.")
        } else {
            Outcome::pass(format!(
                "{url}: p95 {p95} ms (limit {limit} ms; p50 {p50} ms, {count} probes)"
            ))
            .details(details)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn nearest_rank_percentiles() {
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&ten, 50.0), 5.0);
        assert_eq!(
            percentile(&ten, 95.0),
            10.0,
            "with 10 samples p95 is the slowest"
        );
        let twenty: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&twenty, 95.0), 19.0);
        assert_eq!(percentile(&[7.0], 95.0), 7.0);
        assert_eq!(percentile(&[], 95.0), 0.0);
    }
}
