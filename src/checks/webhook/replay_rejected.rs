//! `webhook.replay-rejected` (`--active`): a correctly signed event whose timestamp is
//! 10 minutes old must be refused. Signatures cover the timestamp precisely so that a
//! captured delivery cannot be replayed later; a handler that ignores it (or passes a
//! tolerance of 0) accepts replays forever.
//!
//! When the fresh event was refused too, the wrongly signed probe says whether its
//! signature was accepted (SPEC §7): answered alike, nothing can be told; answered
//! differently, the handler verified it and refused the event itself, and the old
//! event's answer is placed between the two — like the wrong signature (or anything
//! but the fresh event's answer) is a refused signature, like the fresh event is an
//! accepted one.

use serde_json::json;

use super::probe;
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct ReplayRejected;

const TOLERANCE_FIX: &str = "Verify with the SDK's default tolerance (stripe.webhooks.constructEvent(body, signature, secret) — do not pass a tolerance of 0 or a very large one), and record processed event ids so a replay inside the tolerance is ignored too.";

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
        let probes = cx.get(probe::SignedProbes(name.to_owned())).await?;
        let passive = cx.get(probe::PassiveProbes(name.to_owned())).await?;
        let hook = probe::webhook(cx, name)?;
        let var = hook.secret_env.as_deref().unwrap_or_default();
        let url = hook.url.as_str();
        let minutes = probe::STALE_AGE_S / 60;
        let details = json!({
            "url": url, "secret_env": var, "event_type": crate::stripe::PROBE_EVENT_TYPE,
            "timestamp_age_s": probe::STALE_AGE_S,
            "stale_probe": probe::evidence(&probes.stale),
            "fresh_probe": probe::evidence(&probes.fresh),
            "bad_signature_probe": probe::evidence(&passive.bad_signature),
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
        let (fresh, old, bad) = (
            probe::describe(&probes.fresh),
            probe::describe(&probes.stale),
            probe::describe(&passive.bad_signature),
        );
        if (200..300).contains(&stale.status) {
            return Ok(Outcome::fail(format!(
                "{url} accepted ({}) a correctly signed event whose timestamp is {minutes} minutes old: captured deliveries can be replayed",
                stale.status
            ))
            .details(details)
            .remediation(TOLERANCE_FIX));
        }
        if probe::is_success(&probes.fresh) {
            if !probe::is_refusal(&probes.stale) {
                return Err(Outcome::error(format!(
                    "{url}: cannot tell — the replayed event got {} (a refusal is 400, 401 or 403; a redirect, missing route, rate limit or server error says nothing about timestamp checking)",
                    stale.status
                ))
                .details(details)
                .remediation("See webhook.reachable and webhook.no-redirect, then run again."));
            }
            return Ok(Outcome::pass(format!(
                "{url} refused ({}) a correctly signed event {minutes} minutes old and accepted a fresh one",
                stale.status
            ))
            .details(details));
        }
        // The fresh event was refused: was its signature accepted?
        if probes.fresh.is_err()
            || passive.bad_signature.is_err()
            || probe::same_answer(&probes.fresh, &passive.bad_signature)
        {
            return Err(Outcome::error(format!(
                "{url}: cannot tell — the event signed now got {fresh}, as a wrongly signed one did ({bad}), so refusing the old one ({}) proves nothing (see webhook.signed-accepted)",
                stale.status
            ))
            .details(details)
            .remediation("Fix webhook.signed-accepted first, then run again."));
        }
        // The fresh signature was accepted and the event refused afterwards.
        if probe::same_answer(&probes.stale, &probes.fresh) {
            return Ok(Outcome::fail(format!(
                "{url} treated a correctly signed event {minutes} minutes old exactly like a fresh one ({old}): its signature was accepted, so captured deliveries can be replayed"
            ))
            .details(details)
            .remediation(TOLERANCE_FIX));
        }
        if !probe::is_refusal(&probes.stale) {
            return Err(Outcome::error(format!(
                "{url}: cannot tell — the fresh event passed verification and got {fresh}, the old one got {old} (a refusal is 400, 401 or 403)"
            ))
            .details(details)
            .remediation("See webhook.reachable and webhook.signed-accepted, then run again."));
        }
        let how = if probe::same_answer(&probes.stale, &passive.bad_signature) {
            format!("like a wrongly signed one ({old})")
        } else {
            format!(
                "with {old}, not with the answer the fresh event got after verification ({fresh})"
            )
        };
        Ok(Outcome::pass(format!(
            "{url} refused a correctly signed event {minutes} minutes old {how}: the timestamp is checked"
        ))
        .details(details))
    }
}
