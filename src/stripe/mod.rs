//! Stripe: key formats, the webhook signature scheme, and the probe event that
//! active webhook checks send.

pub mod keys;
pub mod signature;

use serde_json::{Value, json};

/// A real, dated Stripe API version, so that handlers that inspect `api_version`
/// see a plausible value. The probe never reaches Stripe, so any published version
/// works; this one predates the named (`.acacia`, `.basil`, …) releases.
pub const PROBE_API_VERSION: &str = "2024-06-20";

/// The event type of every probe.
///
/// Harmless by construction: Stripe event types are a closed, documented set and
/// `launch_ready.*` is not among them, so webhook handlers (which dispatch on
/// `event.type`) fall through to their default branch — log and return 2xx —
/// without touching orders, subscriptions or emails. `livemode: false` and the
/// `evt_launchready_probe_` id make the event recognisable in any log.
pub const PROBE_EVENT_TYPE: &str = "launch_ready.probe";

/// Keeps ids shaped like Stripe's (`[A-Za-z0-9_]`) whatever nonce the caller passes.
fn sanitize_nonce(nonce: &str) -> String {
    nonce
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(64)
        .collect()
}

/// A realistic Stripe `event` object for webhook probes.
pub fn probe_event(now: i64, nonce: &str) -> Value {
    let nonce = sanitize_nonce(nonce);
    json!({
        "id": format!("evt_launchready_probe_{nonce}"),
        "object": "event",
        "api_version": PROBE_API_VERSION,
        "created": now,
        "data": {
            "object": {
                "id": format!("lrprobe_{nonce}"),
                "object": "launch_ready_probe",
                "created": now,
                "livemode": false,
                "description": "launch-ready probe: a synthetic event sent to check that \
                    this endpoint is reachable and verifies Stripe signatures. \
                    It refers to no real object; no action is needed.",
                "metadata": { "launch_ready": "probe" }
            }
        },
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": PROBE_EVENT_TYPE
    })
}

/// The probe serialised the way Stripe sends events (2-space indented JSON), ready
/// to be signed with [`signature::header`] and posted.
pub fn probe_body(now: i64, nonce: &str) -> Vec<u8> {
    serde_json::to_vec_pretty(&probe_event(now, nonce)).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
