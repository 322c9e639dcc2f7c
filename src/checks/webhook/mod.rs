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

use crate::checks::Plan;
use crate::context::Context;
use crate::manifest::Webhook;

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
