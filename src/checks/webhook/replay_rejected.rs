//! `webhook.replay-rejected` (`--active`): a correctly signed event whose timestamp is
//! 10 minutes old must be refused. Signatures cover the timestamp precisely so that a
//! captured delivery cannot be replayed later; a handler that ignores it (or passes a
//! tolerance of 0) accepts replays forever.

use serde_json::json;

use super::probe;
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct ReplayRejected;

impl Check for ReplayRejected {
    const META: &'static Meta = meta! {
        id: "webhook.replay-rejected",
        title: "Webhook endpoints refuse a correctly signed event 10 minutes old",
        severity: Fail,
        needs: "manifest `webhooks` with `secret_env`; the secret in env; HTTP",
        network: true,
        active: true,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::plan(cx)
    }

    async fn run(&self, cx: &Context, name: &str) -> Checked {
        let probes = cx.get(super::probe::SignedProbes(name.to_owned())).await?;
        let hook = super::probe::webhook(cx, name)?;
        let var = hook.secret_env.as_deref().unwrap_or_default();
        let url = hook.url.as_str();
        let age = probe::STALE_AGE_S;
        let details = json!({
            "url": url, "secret_env": var, "event_type": crate::stripe::PROBE_EVENT_TYPE,
            "timestamp_age_s": age,
            "stale_probe": probe::evidence(&probes.stale),
            "fresh_probe": probe::evidence(&probes.fresh),
        });
        let stale = match &probes.stale {
            Ok(r) => r,
            Err(e) => {
                return Err(super::unanswered(
                    format!("{url}: the replayed event got no answer: {e}"),
                    details,
                ));
            }
        };
        if (200..300).contains(&stale.status) {
            return Ok(Outcome::fail(format!(
                "{url} accepted ({}) a correctly signed event whose timestamp is {} minutes old: captured deliveries can be replayed",
                stale.status, age / 60
            ))
            .details(details)
            .remediation("Verify with the SDK's default tolerance (stripe.webhooks.constructEvent(body, signature, secret) — do not pass a tolerance of 0 or a very large one), and record processed event ids so a replay inside the tolerance is ignored too."));
        }
        if !probe::is_success(&probes.fresh) {
            return Err(Outcome::error(format!(
                "{url}: cannot tell — the event signed now was refused too (see webhook.signed-accepted), so refusing the old one ({}) proves nothing",
                stale.status
            ))
            .details(details)
            .remediation("Fix webhook.signed-accepted first, then run again."));
        }
        if !probe::is_refusal(&probes.stale) {
            return Err(Outcome::error(format!(
                "{url}: cannot tell — the replayed event got {} (a refusal is 400, 401 or 403; a redirect, missing route, rate limit or server error says nothing about timestamp checking)",
                stale.status
            ))
            .details(details)
            .remediation("See webhook.reachable and webhook.no-redirect, then run again."));
        }
        Ok(Outcome::pass(format!(
            "{url} refused ({}) a correctly signed event {} minutes old and accepted a fresh one",
            stale.status,
            age / 60
        ))
        .details(details))
    }
}
