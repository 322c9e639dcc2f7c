//! Webhook receivers for the sandbox: one that verifies Stripe signatures the way the
//! SDKs do, and the ways real ones go wrong. Redirects and 404s need no app: they
//! are plain routes (`Resp::redirect`, or no route at all).

use std::time::Duration;

use hyper::body::Bytes;

use super::web::{Handler, Req, Resp, handler};
use crate::stripe::signature::{DEFAULT_TOLERANCE_S, verify};

/// How a sandbox webhook app behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Verifies the signature with the SDKs' 300 s tolerance: 400 on failure, 200 on success.
    Verifying,
    /// Answers 200 to anything — the bug `webhook.signature-enforced` finds.
    AcceptsAnything,
    /// Verifies, but with a secret other than the one it was given (a stale deployment).
    WrongSecret,
    /// Verifies the HMAC but ignores the timestamp (tolerance 0): replays pass.
    NoReplayCheck,
    /// Answers 500 to everything.
    ServerError,
    /// Verifies, after this pause.
    Slow(Duration),
    /// Never answers within any reasonable timeout.
    Hang,
    /// Answers 200 with a body far larger than any client cap.
    HugeBody,
    /// The Next.js subscription starter's handler: verifies (`400 Webhook Error: …`),
    /// then answers `400 Unsupported event type: <type>` for types it does not list.
    /// Without `replay_check` it also ignores the signature's timestamp.
    RefusesUnknownTypes { replay_check: bool },
    /// Verifies, then refuses (`400`) events whose `livemode` is not `live` — a guard
    /// against test events in production (or live ones in staging).
    RefusesOtherLivemode { live: bool },
    /// Behind an IP allowlist that does not admit this machine: `403` for everything.
    IpAllowlist,
    /// Verifies (`400 Invalid signature`), then re-fetches the event by id from Stripe,
    /// which knows no probe event: answers `status` with Stripe's "No such event".
    RefetchesEvent { status: u16 },
}

/// The event types the [`Mode::RefusesUnknownTypes`] handler lists (the starter's).
const HANDLED_TYPES: [&str; 6] = [
    "product.created",
    "price.created",
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
];

/// Size of the [`Mode::HugeBody`] answer.
pub const HUGE_BODY_BYTES: usize = 16 * 1024 * 1024;

const HANG: Duration = Duration::from_secs(3600);

/// A webhook endpoint handler for `mode`, holding `secret` as its signing secret.
pub fn webhook_app(mode: Mode, secret: &str) -> Handler {
    let secret = match mode {
        Mode::WrongSecret => format!("whsec_{}", super::random_token(32)),
        _ => secret.to_owned(),
    };
    // Built once and shared: `Bytes` clones are reference counts, not copies.
    let huge = match mode {
        Mode::HugeBody => Bytes::from(vec![b'x'; HUGE_BODY_BYTES]),
        _ => Bytes::new(),
    };
    handler(move |req| match mode {
        Mode::AcceptsAnything => received(),
        Mode::ServerError => Resp::json(
            500,
            &serde_json::json!({ "error": "internal server error" }),
        ),
        Mode::Hang => Resp::new(200).delay(HANG),
        Mode::HugeBody => Resp::new(200)
            .header("content-type", "text/html; charset=utf-8")
            .body(huge.clone()),
        Mode::Verifying | Mode::WrongSecret => verifying(req, &secret, DEFAULT_TOLERANCE_S),
        Mode::NoReplayCheck => verifying(req, &secret, 0),
        Mode::Slow(pause) => verifying(req, &secret, DEFAULT_TOLERANCE_S).delay(pause),
        Mode::RefusesUnknownTypes { replay_check } => {
            let tolerance = if replay_check { DEFAULT_TOLERANCE_S } else { 0 };
            then(verifying(req, &secret, tolerance), req, |event| {
                let kind = event["type"].as_str().unwrap_or_default();
                (!HANDLED_TYPES.contains(&kind))
                    .then(|| Resp::text(400, format!("Unsupported event type: {kind}")))
            })
        }
        Mode::RefusesOtherLivemode { live } => {
            then(verifying(req, &secret, DEFAULT_TOLERANCE_S), req, |event| {
                let mode = event["livemode"].as_bool();
                (mode != Some(live)).then(|| {
                    Resp::json(
                        400,
                        &serde_json::json!({ "error": format!("ignoring event with livemode {}", mode.unwrap_or_default()) }),
                    )
                })
            })
        }
        Mode::IpAllowlist => Resp::text(403, "Forbidden"),
        Mode::RefetchesEvent { status } => {
            let verified = match verifying(req, &secret, DEFAULT_TOLERANCE_S) {
                r if r.status == 200 => r,
                _ => return Resp::text(400, "Invalid signature"),
            };
            then(verified, req, |event| {
                let id = event["id"].as_str().unwrap_or_default();
                Some(Resp::json(
                    status,
                    &serde_json::json!({ "error": format!("No such event: '{id}'") }),
                ))
            })
        }
    })
}

/// After a verification that passed, what the handler does with the event (`None`:
/// accept it).
fn then(
    verified: Resp,
    req: &Req,
    handle: impl FnOnce(&serde_json::Value) -> Option<Resp>,
) -> Resp {
    if verified.status != 200 {
        return verified;
    }
    let event: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
    handle(&event).unwrap_or(verified)
}

fn received() -> Resp {
    Resp::json(200, &serde_json::json!({ "received": true }))
}

/// What a handler built on `stripe.webhooks.constructEvent` answers.
fn verifying(req: &Req, secret: &str, tolerance_s: i64) -> Resp {
    if req.method != "POST" {
        return Resp::text(405, "method not allowed").header("allow", "POST");
    }
    let header = req.header("stripe-signature").unwrap_or_default();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match verify(header, &req.body, secret, now, tolerance_s) {
        Ok(()) => received(),
        Err(e) => Resp::text(400, format!("Webhook Error: {e}")),
    }
}
