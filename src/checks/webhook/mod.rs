//! Webhook endpoints, probed from outside the way Stripe delivers to them. The passive
//! probes (an unsigned event and a wrongly signed one) are sent once per webhook and
//! read by several checks; the active ones (correctly signed events) need `--active`.

pub mod latency;
pub mod no_redirect;
pub mod probe;
pub mod reachable;
pub mod replay_rejected;
pub mod signature_enforced;
pub mod signed_accepted;

use std::sync::Arc;

use serde_json::Value;

use crate::checks::Plan;
use crate::context::Context;
use crate::manifest::Webhook;
use crate::net::Net;
use crate::report::Outcome;

/// Every webhook check targets the manifest's webhooks by name.
pub(crate) fn plan(cx: &Context) -> Plan {
    if cx.manifest.webhooks.is_empty() {
        Plan::skip("webhooks", "no `webhooks` section in the manifest")
    } else {
        Plan::Targets(
            cx.manifest
                .webhooks
                .iter()
                .map(|w| w.name.clone())
                .collect(),
        )
    }
}

/// The webhook a target names (the first one, should names repeat).
pub(crate) fn webhook<'a>(cx: &'a Context, name: &str) -> Result<&'a Webhook, String> {
    cx.manifest
        .webhooks
        .iter()
        .find(|w| w.name == name)
        .ok_or_else(|| format!("no webhook named `{name}` in the manifest"))
}

/// The network, the webhook a target names and its passive probes (sent once per
/// webhook, shared by the passive checks) — or the `error` to return.
pub(crate) async fn passive_probes<'a>(
    cx: &'a Context,
    name: &str,
) -> Result<(&'a Net, &'a Webhook, Arc<probe::Passive>), Outcome> {
    let net = cx.net()?;
    let hook = webhook(cx, name).map_err(Outcome::error)?;
    Ok((net, hook, probe::passive(cx, net, hook).await))
}

/// The webhook a target names, the variable its secret comes from and its signed
/// probes — or the outcome to return: `skip` without `--active` or a secret (checked
/// before the network, so an offline run without them still says why), else `error`.
pub(crate) async fn signed_probes<'a>(
    cx: &'a Context,
    name: &str,
) -> Result<(&'a Webhook, &'a str, Arc<probe::Active>), Outcome> {
    let hook = webhook(cx, name).map_err(Outcome::error)?;
    let secret = probe::secret(cx, hook).map_err(Outcome::skip)?;
    let net = cx.net()?;
    let var = hook.secret_env.as_deref().unwrap_or_default();
    Ok((hook, var, probe::active(cx, net, hook, secret).await))
}

/// A probe got no answer: nothing can be judged until the endpoint answers.
pub(crate) fn unanswered(summary: String, details: Value) -> Outcome {
    Outcome::error(summary)
        .details(details)
        .remediation("See webhook.reachable; run again once the endpoint answers.")
}
