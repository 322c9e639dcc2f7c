//! `webhook.latency`: the p95 of repeated probes against `max_p95_ms`. Stripe expects
//! a quick 2xx and counts a slow answer as a failed delivery; a handler that does its
//! work before answering is slow for every event.

use serde_json::json;

use super::probe;
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct Latency;

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
        let hook = super::probe::webhook(cx, name)?;
        let url = hook.url.as_str();
        let latency = cx.get(probe::LatencyProbes(name.to_owned())).await?;
        Ok(judge(url, hook.max_p95_ms, &latency))
    }
}

/// The verdict on a series of latency probes against the `limit` in ms.
pub(crate) fn judge(url: &str, limit: u64, latency: &probe::Latency) -> Outcome {
    let count = latency.probes;
    let samples = &latency.samples_ms;
    let statuses = &latency.statuses;
    if let Some(e) = &latency.failure {
        return super::unanswered(
            format!(
                "{url}: probe {} of {count} got no answer: {e}",
                samples.len() + 1
            ),
            json!({ "url": url, "samples_ms": samples, "statuses": statuses, "failure": probe::failure_kind(e) }),
        );
    }
    let mut sorted = samples.clone();
    sorted.sort_by(f64::total_cmp);
    let p50 = percentile(&sorted, 50.0);
    let p95 = percentile(&sorted, 95.0);
    let max = sorted.last().copied().unwrap_or_default();
    let details = json!({
        "url": url, "probes": count, "p50_ms": p50, "p95_ms": p95, "max_ms": max,
        "max_p95_ms": limit, "samples_ms": samples, "statuses": statuses,
    });
    if p95 > limit as f64 {
        Outcome::fail(format!("{url}: p95 {p95} ms over the {limit} ms limit (p50 {p50} ms, max {max} ms, {count} probes)"))
                .details(details)
                .remediation("Answer 2xx as soon as the signature is verified and do the work afterwards (a queue or background job); check cold starts and the region the handler runs in.")
    } else {
        Outcome::pass(format!(
            "{url}: p95 {p95} ms (limit {limit} ms; p50 {p50} ms, {count} probes)"
        ))
        .details(details)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;

    fn latency(json: serde_json::Value) -> probe::Latency {
        probe::Latency {
            probes: json["probes"].as_u64().unwrap_or(0) as u32,
            samples_ms: serde_json::from_value(json["samples_ms"].clone()).expect("samples"),
            statuses: serde_json::from_value(json["statuses"].clone()).expect("statuses"),
            failure: None,
        }
    }

    #[test]
    fn p95_over_the_limit_fails() {
        let slow = latency(
            json!({ "probes": 4, "samples_ms": [10.0, 12.0, 900.0, 11.0], "statuses": [200, 200, 200, 200] }),
        );
        let out = judge("https://acme.test/hook", 500, &slow);
        assert_eq!(out.status, Status::Fail);
        assert_eq!(out.details["p95_ms"], 900.0);
        let quick =
            latency(json!({ "probes": 2, "samples_ms": [10.0, 12.0], "statuses": [200, 200] }));
        assert_eq!(
            judge("https://acme.test/hook", 500, &quick).status,
            Status::Pass
        );
    }

    #[test]
    fn an_unanswered_probe_is_an_error() {
        let mut cut = latency(json!({ "probes": 5, "samples_ms": [10.0], "statuses": [200] }));
        cut.failure = Some(crate::net::NetFailure::Connect("refused".into()));
        let out = judge("https://acme.test/hook", 500, &cut);
        assert_eq!(out.status, Status::Error);
        assert!(out.summary.contains("probe 2 of 5"), "{}", out.summary);
    }

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
