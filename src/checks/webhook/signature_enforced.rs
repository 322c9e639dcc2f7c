//! `webhook.signature-enforced`: an endpoint that takes an unsigned or wrongly signed
//! event with 2xx lets anyone on the internet forge payment events (`invoice.paid`,
//! `checkout.session.completed`) — free upgrades, fake orders.

use serde_json::json;

use super::probe::{self, Attempt};
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct SignatureEnforced;

fn refused(a: &Attempt) -> bool {
    probe::is_refusal(a)
}

/// Why a probe gives no evidence either way.
fn unclear(a: &Attempt) -> Option<String> {
    match a {
        Err(e) => Some(format!("no answer ({e})")),
        Ok(r) if r.is_redirect() => Some(format!(
            "{} (a redirect; see webhook.no-redirect)",
            r.status
        )),
        Ok(r) if r.status >= 500 => Some(format!(
            "{} (a server error; see webhook.reachable)",
            r.status
        )),
        Ok(r) if r.truncated => Some(format!("{} with an oversized body", r.status)),
        Ok(r) if (400..500).contains(&r.status) && !matches!(r.status, 400 | 401 | 403) => {
            Some(format!(
                "{} (not a signature refusal: a missing route, a method not allowed or a rate limit says nothing about verification)",
                r.status
            ))
        }
        Ok(r) if !(400..500).contains(&r.status) => Some(r.status.to_string()),
        Ok(_) => None,
    }
}

impl Check for SignatureEnforced {
    const META: &'static Meta = meta! {
        id: "webhook.signature-enforced",
        title: "Webhook endpoints refuse unsigned and wrongly signed events",
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
        let url = hook.url.as_str();
        let details = json!({ "url": url, "probes": probe::passive_details(&probes) });
        let accepted: Vec<String> = [
            ("an unsigned event", &probes.unsigned),
            (
                "an event with a wrong Stripe-Signature",
                &probes.bad_signature,
            ),
        ]
        .into_iter()
        .filter_map(|(what, a)| match a {
            Ok(r) if (200..300).contains(&r.status) => Some(format!("{what} ({})", r.status)),
            _ => None,
        })
        .collect();
        if !accepted.is_empty() {
            return Ok(Outcome::fail(format!(
                "{url} accepted {}: anyone can forge payment events",
                accepted.join(" and ")
            ))
            .details(details)
            .remediation("Verify every event before acting on it: read the raw body (`await req.text()` in the App Router), call stripe.webhooks.constructEvent(body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET) and answer 400 when it throws."));
        }
        if refused(&probes.unsigned) && refused(&probes.bad_signature) {
            let code = |a: &Attempt| a.as_ref().map(|r| r.status).unwrap_or_default();
            return Ok(Outcome::pass(format!(
                "{url} refused an unsigned event ({}) and a wrongly signed one ({})",
                code(&probes.unsigned),
                code(&probes.bad_signature)
            ))
            .details(details));
        }
        let reasons: Vec<String> = [
            ("unsigned event", &probes.unsigned),
            ("wrongly signed event", &probes.bad_signature),
        ]
        .into_iter()
        .filter_map(|(what, a)| unclear(a).map(|why| format!("{what}: {why}")))
        .collect();
        Ok(Outcome::error(format!(
            "{url}: cannot tell whether signatures are enforced — {}",
            reasons.join("; ")
        ))
        .details(details)
        .remediation("Fix what webhook.reachable and webhook.no-redirect report, then run again."))
    }
}
