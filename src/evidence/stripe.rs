//! Stripe: the account's webhook endpoints and its undelivered events, listed once
//! per audit through the read-only client (`crate::net::stripe::StripeApi`). A missing
//! key is a `skip` naming the variable; a wrong key or an API failure an `error`.

use super::{Source, Unavailable, net};
use crate::context::Context;
use crate::manifest::StripeSection;
use crate::net::api::Credential;
pub use crate::net::stripe::{Event, StripeError, WebhookEndpoint};
use crate::net::stripe::{SPEC, StripeApi};

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

/// The client for the key in `secret_key_env`: a missing key is a skip naming
/// the variable; a wrong kind of key, or a base SPEC §6 does not let the key go
/// to (named with `--allow-api-base`), an error.
pub(crate) fn api(cx: &Context) -> Result<StripeApi<'_>, Unavailable> {
    let stripe = section(cx)?;
    let var = &stripe.secret_key_env;
    let credential = Credential::read(
        var,
        cx.env.get(var),
        "the Stripe API checks need a secret or restricted key (a read-only rk_live_ key is enough)",
    )
    .map_err(Unavailable::skip)?;
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UndeliveredEvents;

pub struct Undelivered {
    pub events: Vec<Event>,
    pub since: i64,
    pub lookback_hours: u32,
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
        let events = api(cx)?.events(&filters).await.map_err(api_error)?;
        Ok(Undelivered {
            events,
            since,
            lookback_hours,
        })
    }
}
