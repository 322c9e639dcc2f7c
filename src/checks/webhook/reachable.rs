//! `webhook.reachable`: the endpoint answers a bad request the way a working webhook
//! handler does — 400/401/403 — rather than with a dead connection, 404/405 or a
//! crash. A refused connection or an NXDOMAIN is a verdict (`fail`); a timeout, a
//! SERVFAIL or a garbled answer means nobody can tell (`error`).

use serde_json::json;

use super::probe::{self, Attempt};
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::net::NetFailure;
use crate::report::{Outcome, Status};

pub struct Reachable;

/// What one probe says about reachability.
struct Verdict {
    status: Status,
    summary: String,
    remediation: &'static str,
}

const FIX_ROUTE: &str = "Deploy the webhook route at exactly this URL and method (POST), or correct the URL in the manifest and in the Stripe dashboard.";
const FIX_CRASH: &str = "The handler crashes on a request it should refuse: verify the signature first (stripe.webhooks.constructEvent) and answer 400 when it does not match.";
const FIX_NETWORK: &str = "Make the host resolve and accept HTTPS connections from the internet (firewall, DNS record, hosting provider), then run again.";
const FIX_UNKNOWN: &str =
    "Nobody could tell whether the endpoint works; check that it answers promptly, then run again.";
const FIX_NONE: &str = "";

fn verdict(a: &Attempt, cap: usize) -> Verdict {
    let (status, summary, remediation) = match a {
        Ok(r) if r.truncated => (
            Status::Fail,
            format!(
                "answered {} with a body over {} KiB: this is not a webhook handler (a catch-all page or a file?)",
                r.status,
                cap / 1024
            ),
            FIX_ROUTE,
        ),
        Ok(r) if matches!(r.status, 404 | 405 | 410) => (
            Status::Fail,
            format!(
                "answered {}: no webhook handler takes a POST here",
                r.status
            ),
            FIX_ROUTE,
        ),
        Ok(r) if matches!(r.status, 408 | 429) => (
            Status::Error,
            format!(
                "answered {} (timed out or rate limited): cannot tell whether deliveries get through",
                r.status
            ),
            FIX_UNKNOWN,
        ),
        Ok(r) if r.status >= 500 => (
            Status::Fail,
            format!("answered {} (a server error) to a bad request", r.status),
            FIX_CRASH,
        ),
        Ok(r) if matches!(r.status, 400 | 401 | 403) => (
            Status::Pass,
            format!(
                "answered {}, as a handler that verifies signatures should",
                r.status
            ),
            FIX_NONE,
        ),
        Ok(r) if r.is_redirect() => (
            Status::Pass,
            format!(
                "answered {} (a redirect; see webhook.no-redirect)",
                r.status
            ),
            FIX_NONE,
        ),
        Ok(r) if (200..300).contains(&r.status) => (
            Status::Pass,
            format!(
                "answered {} (it took the event; see webhook.signature-enforced)",
                r.status
            ),
            FIX_NONE,
        ),
        Ok(r) => (Status::Pass, format!("answered {}", r.status), FIX_NONE),
        Err(e @ NetFailure::Dns(d)) if d.is_answer() => (Status::Fail, e.to_string(), FIX_NETWORK),
        Err(e @ (NetFailure::Connect(_) | NetFailure::Tls(_))) => {
            (Status::Fail, e.to_string(), FIX_NETWORK)
        }
        Err(e) => (Status::Error, e.to_string(), FIX_UNKNOWN),
    };
    Verdict {
        status,
        summary,
        remediation,
    }
}

fn rank(s: Status) -> u8 {
    match s {
        Status::Fail => 2,
        Status::Error => 1,
        _ => 0,
    }
}

impl Check for Reachable {
    const META: &'static Meta = meta! {
        id: "webhook.reachable",
        title: "Webhook endpoints answer a bad request with 4xx",
        severity: Fail,
        needs: "manifest `webhooks`; HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::plan(cx)
    }

    async fn run(&self, cx: &Context, name: &str) -> Checked {
        let probes = cx.get(super::probe::PassiveProbes(name.to_owned())).await?;
        let hook = super::probe::webhook(cx, name)?;
        let cap = probes.body_cap;
        let unsigned = verdict(&probes.unsigned, cap);
        let bad_sig = verdict(&probes.bad_signature, cap);
        let (which, worst) = if rank(bad_sig.status) > rank(unsigned.status) {
            ("wrongly signed event", bad_sig)
        } else {
            ("unsigned event", unsigned)
        };
        let url = hook.url.as_str();
        let details = json!({ "url": url, "probes": probe::passive_details(&probes) });
        let summary = format!("{url}: {} (probe: {which})", worst.summary);
        let outcome = match worst.status {
            Status::Pass => Outcome::pass(summary),
            Status::Fail => Outcome::fail(summary),
            _ => Outcome::error(summary),
        }
        .details(details);
        Ok(if worst.remediation.is_empty() {
            outcome
        } else {
            outcome.remediation(worst.remediation)
        })
    }
}
