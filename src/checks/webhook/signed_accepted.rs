//! `webhook.signed-accepted` (`--active`): an event correctly signed with the secret
//! from `secret_env` must get 2xx. Whether a refusal blames the secret is read from
//! the wrongly signed probe (already sent by the passive checks): answered the same
//! way (SPEC §7, [`probe::same_answer`]), the handler could not tell the two apart —
//! the deployed secret differs, or the handler refuses event types it does not know;
//! answered differently, the signature was accepted and the handler refused the
//! event itself (unknown type, other livemode, re-fetch by id), which is a `warn`.

use serde_json::json;

use super::probe;
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;
use crate::stripe::PROBE_EVENT_TYPE;

pub struct SignedAccepted;

impl Check for SignedAccepted {
    const META: &'static Meta = meta! {
        id: "webhook.signed-accepted",
        title: "Webhook endpoints accept an event signed with secret_env",
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
        let same = probe::same_answer(&probes.fresh, &passive.bad_signature);
        let details = json!({
            "url": url, "secret_env": var, "event_type": PROBE_EVENT_TYPE,
            "livemode": cx.manifest.environment == crate::manifest::Environment::Production,
            "signed_probe": probe::evidence(&probes.fresh),
            "bad_signature_probe": probe::evidence(&passive.bad_signature),
            "same_answer_as_bad_signature": same,
        });
        let resp = match &probes.fresh {
            Ok(r) => r,
            Err(e) => {
                return Err(super::unanswered(
                    format!("{url}: the signed event got no answer: {e}"),
                    details,
                ));
            }
        };
        let status = resp.status;
        let answer = probe::describe(&probes.fresh);
        if (200..300).contains(&status) {
            return Ok(Outcome::pass(format!(
                "{url} accepted ({status}) an event signed with {var}"
            ))
            .details(details));
        }
        if resp.is_redirect() {
            return Ok(Outcome::fail(format!(
                "{url} answered {status} (a redirect) to a correctly signed event: Stripe does not follow it"
            ))
            .details(details)
            .remediation("See webhook.no-redirect: point the endpoint at the final URL."));
        }
        if matches!(status, 408 | 429) {
            return Err(Outcome::error(format!(
                "{url} answered {status} to a correctly signed event (a timeout or rate limit): cannot tell whether the secret matches"
            ))
            .details(details)
            .remediation("Run again when the endpoint is not rate limiting."));
        }
        if passive.bad_signature.is_err() {
            return Err(Outcome::error(format!(
                "{url} answered {answer} to a correctly signed event, but the wrongly signed probe got no answer: cannot tell whether the signature was accepted"
            ))
            .details(details)
            .remediation("See webhook.reachable; run again once the endpoint answers."));
        }
        if same {
            // Both sides of `Checked` become the same result; `Ok` keeps clippy's
            // large-error lint quiet for the helper.
            return Ok(same_as_bad_signature(url, var, status, &answer, &passive).details(details));
        }
        Ok(Outcome::warn(format!(
            "{url} accepted the signature but refused the event: {answer} (a wrongly signed event got {}); Stripe retries such refusals for 3 days, so real events are lost only if the handler refuses types it is subscribed to — see stripe.handled-events",
            probe::describe(&passive.bad_signature)
        ))
        .details(details)
        .remediation(format!(
            "Answer 2xx for every event whose signature verifies — log and ignore types you do not handle (`{PROBE_EVENT_TYPE}` included), events of the other livemode and events you cannot re-fetch — and return 4xx only for signature failures. Check that the endpoint's enabled events are all ones the handler accepts (stripe.handled-events)."
        )))
    }
}

/// The signed event got the wrongly signed event's answer: the handler treated both alike.
fn same_as_bad_signature(
    url: &str,
    var: &str,
    status: u16,
    answer: &str,
    passive: &probe::Passive,
) -> Outcome {
    if status >= 500 {
        return Outcome::fail(format!(
            "{url} answered {answer} to an event correctly signed with {var}, as to a wrongly signed one: the handler fails before or while verifying, so real deliveries fail too"
        ))
        .remediation(format!(
            "Look at the handler's logs for the `{PROBE_EVENT_TYPE}` event: it must verify the signature and answer 2xx for event types it does not handle."
        ));
    }
    if !matches!(status, 400 | 401 | 403) {
        return Outcome::error(format!(
            "{url} answered {answer} to a correctly signed event, as to a wrongly signed one: that is not a signature refusal (missing route or method not allowed), so it cannot tell whether the secret matches"
        ))
        .remediation("See webhook.reachable for the route; run again when the endpoint answers the probe.");
    }
    // An allowlist answers every probe alike, unsigned included.
    let allowlist = status == 403 && probe::same_answer(&passive.unsigned, &passive.bad_signature);
    let maybe_allowlist = if allowlist {
        "; every probe got this answer, so the endpoint may also admit only Stripe's IP addresses"
    } else {
        ""
    };
    Outcome::fail(format!(
        "{url} refused ({status}) an event correctly signed with {var} exactly as it refused a wrongly signed one: the deployed secret differs from the one in env, or the handler refuses event types it does not know (`{PROBE_EVENT_TYPE}`){maybe_allowlist}"
    ))
    .remediation(format!(
        "Copy the endpoint's signing secret from the Stripe dashboard (Developers → Webhooks → this endpoint → Signing secret) into {var} in the deployment's environment, redeploy, and keep the same value wherever this audit runs (test-mode and live-mode endpoints have different secrets). If the secret is right, make the handler answer 2xx for event types it does not handle{}.",
        if allowlist { ", and run the audit from an address the allowlist admits (or waive this check)" } else { "" }
    ))
}
