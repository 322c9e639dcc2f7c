//! `webhook.signed-accepted` (`--active`): an event correctly signed with the secret
//! from `secret_env` must get 2xx. A refusal means the deployed handler verifies with
//! another secret (test vs live, a rolled secret, another endpoint's secret), so every
//! real delivery fails too.

use serde_json::json;

use super::probe;
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

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
        let probes = cx.get(super::probe::SignedProbes(name.to_owned())).await?;
        let hook = super::probe::webhook(cx, name)?;
        let var = hook.secret_env.as_deref().unwrap_or_default();
        let url = hook.url.as_str();
        let details = json!({
            "url": url, "secret_env": var, "event_type": crate::stripe::PROBE_EVENT_TYPE,
            "signed_probe": probe::evidence(&probes.fresh),
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
        if (200..300).contains(&status) {
            return Ok(Outcome::pass(format!(
                "{url} accepted ({status}) an event signed with {var}"
            ))
            .details(details));
        }
        if (400..500).contains(&status) && !matches!(status, 400 | 401 | 403) {
            return Err(Outcome::error(format!(
                "{url} answered {status} to a correctly signed event: that is not a signature refusal (missing route, method not allowed or rate limit), so it cannot tell whether the secret matches"
            ))
            .details(details)
            .remediation("See webhook.reachable for the route; run again when the endpoint answers the probe."));
        }
        let (summary, fix) = match status {
            400..=499 => (
                format!(
                    "{url} refused ({status}) an event correctly signed with {var}: the deployed secret differs from the one in env"
                ),
                format!(
                    "Copy the endpoint's signing secret from the Stripe dashboard (Developers → Webhooks → this endpoint → Signing secret) into {var} in the deployment's environment, redeploy, and keep the same value wherever this audit runs. Test-mode and live-mode endpoints have different secrets."
                ),
            ),
            300..=399 => (
                format!(
                    "{url} answered {status} (a redirect) to a correctly signed event: Stripe does not follow it"
                ),
                "See webhook.no-redirect: point the endpoint at the final URL.".to_owned(),
            ),
            _ => (
                format!(
                    "{url} answered {status} to an event correctly signed with {var}: real deliveries fail too"
                ),
                format!(
                    "Look at the handler's logs for the `{}` event: it must answer 2xx for event types it does not handle.",
                    crate::stripe::PROBE_EVENT_TYPE
                ),
            ),
        };
        Ok(Outcome::fail(summary).details(details).remediation(fix))
    }
}
