//! Stripe: the account's webhook endpoints and its undelivered events, listed once
//! per audit through the read-only client (`crate::net::stripe::StripeApi`). A missing
//! key is a `skip` naming the variable; a wrong key or an API failure an `error`.

use super::{Source, Unavailable, net};
use crate::context::Context;
use crate::manifest::{Environment, StripeSection};
use crate::net::api::Credential;
pub use crate::net::api::Stop;
pub use crate::net::stripe::{Event, StripeError, WebhookEndpoint};
use crate::net::stripe::{SPEC, StripeApi};
use crate::stripe::keys::{StripeMode, parse_key};

/// The error every Stripe result gets for a test-mode key in production (SPEC §7).
pub const TEST_KEY_IN_PRODUCTION: &str = "test-mode key: live endpoints and events are not visible";

/// An API failure, with what the client knows about fixing it.
fn api_error(e: StripeError) -> Unavailable {
    Unavailable::error(e.to_string())
        .details(e.details())
        .remediation(e.remediation())
}

pub(crate) fn section(cx: &Context) -> Result<&StripeSection, Unavailable> {
    cx.manifest
        .stripe
        .as_ref()
        .ok_or_else(|| Unavailable::skip("no `stripe` section in the manifest".to_owned()))
}

/// Whether the key in `secret_key_env` is a test-mode key (`sk_test_`, `rk_test_`):
/// it sees only test-mode endpoints and events.
pub fn test_mode(cx: &Context) -> bool {
    cx.manifest
        .stripe
        .as_ref()
        .and_then(|s| cx.env.get(&s.secret_key_env))
        .and_then(parse_key)
        .is_some_and(|k| k.mode == Some(StripeMode::Test))
}

/// The client for the key in `secret_key_env`: a missing key is a skip naming
/// the variable; a wrong kind of key, a test-mode key auditing production, or a
/// base SPEC §6 does not let the key go to (named with `--allow-api-base`), an
/// error.
pub(crate) fn api(cx: &Context) -> Result<StripeApi<'_>, Unavailable> {
    let stripe = section(cx)?;
    let var = &stripe.secret_key_env;
    let credential = Credential::read(
        var,
        cx.env.get(var),
        "the Stripe API checks need a secret or restricted key (a read-only rk_live_ key is enough)",
    )
    .map_err(Unavailable::skip)?;
    if test_mode(cx) && cx.manifest.environment == Environment::Production {
        return Err(Unavailable::error(TEST_KEY_IN_PRODUCTION)
            .details(serde_json::json!({ "variable": var, "environment": "production" }))
            .remediation(format!(
                "Put a live restricted key (rk_live_… with Webhook Endpoints: Read and Events: Read) in {var} for the production audit; keep test keys for staging (environment: staging)."
            )));
    }
    let net = net(cx)?;
    let env_base = cx.env.get(SPEC.base_env).filter(|b| !b.trim().is_empty());
    let manifest_base = stripe.api_base.as_ref().map(|b| b.as_str());
    StripeApi::connect(net, manifest_base, env_base, credential).map_err(Unavailable::error)
}

/// Every webhook endpoint of the account.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Endpoints;

impl Source for Endpoints {
    type Value = Vec<WebhookEndpoint>;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        api(cx)?.webhook_endpoints().await.map_err(api_error)
    }
}

/// Events created within `lookback_hours` that Stripe has not delivered
/// successfully (`delivery_success=false`: pending or failed every attempt).
/// A listing stopped at a cap keeps what it read (`stopped` says which cap): the
/// checks judge it only where it already proves `fail` ("at least N").
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UndeliveredEvents;

pub struct Undelivered {
    pub events: Vec<Event>,
    pub since: i64,
    pub lookback_hours: u32,
    pub stopped: Option<Stop>,
}

impl Source for UndeliveredEvents {
    type Value = Undelivered;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let lookback_hours = section(cx)?.lookback_hours;
        let since = cx.now.unix_timestamp() - i64::from(lookback_hours) * 3600;
        let filters = [
            ("delivery_success", "false".to_owned()),
            ("created[gte]", since.to_string()),
        ];
        let listing = api(cx)?.events_listing(&filters).await.map_err(api_error)?;
        Ok(Undelivered {
            events: listing.items,
            since,
            lookback_hours,
            stopped: listing.stopped,
        })
    }
}

/// The event types `stripe.checkout-errors` counts as payment attempts.
pub const PAYMENT_ATTEMPT_TYPES: [&str; 2] =
    ["payment_intent.succeeded", "payment_intent.payment_failed"];

/// Payment-attempt events (`payment_intent.succeeded`/`payment_failed`) within
/// `lookback_hours`, raw: the check reads `data.object.id` and
/// `data.object.last_payment_error`, never a customer field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PaymentAttemptEvents;

pub struct PaymentAttempts {
    pub events: Vec<serde_json::Value>,
    pub lookback_hours: u32,
    pub stopped: Option<Stop>,
}

impl Source for PaymentAttemptEvents {
    type Value = PaymentAttempts;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let lookback_hours = section(cx)?.lookback_hours;
        let since = cx.now.unix_timestamp() - i64::from(lookback_hours) * 3600;
        let mut filters = vec![("created[gte]", since.to_string())];
        filters.extend(PAYMENT_ATTEMPT_TYPES.map(|t| ("types[]", t.to_owned())));
        let listing = api(cx)?
            .raw_events_listing(&filters)
            .await
            .map_err(api_error)?;
        Ok(PaymentAttempts {
            events: listing.items,
            lookback_hours,
            stopped: listing.stopped,
        })
    }
}
