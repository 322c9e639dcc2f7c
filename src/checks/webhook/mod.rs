//! Webhook endpoints, probed from outside the way Stripe delivers to them. The passive
//! probes (an unsigned event and a wrongly signed one) are sent once per webhook and
//! read by several checks; the active ones (correctly signed events) need `--active`.

pub mod latency;
pub mod no_redirect;
pub mod reachable;
pub mod replay_rejected;
pub mod signature_enforced;
pub mod signed_accepted;

use serde_json::Value;

use crate::checks::Plan;
use crate::context::Context;
pub use crate::evidence::webhook as probe;
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

/// A probe got no answer: nothing can be judged until the endpoint answers.
pub(crate) fn unanswered(summary: String, details: Value) -> Outcome {
    Outcome::error(summary)
        .details(details)
        .remediation("See webhook.reachable; run again once the endpoint answers.")
}
