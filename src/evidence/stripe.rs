//! Stripe: the account's webhook endpoints and its undelivered events, listed once
//! per audit through the read-only client (`crate::net::stripe::StripeApi`). A missing
//! key is a `skip` naming the variable; a wrong key or an API failure an `error`.

use super::{Source, Unavailable, net};
use crate::context::Context;
use crate::manifest::StripeSection;
use crate::net::stripe::{DEFAULT_API_BASE, StripeApi};
pub use crate::net::stripe::{Event, StripeError, WebhookEndpoint};
use crate::stripe::keys::{StripeKeyKind, parse_key};

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

/// `stripe.api_base`, else `STRIPE_API_BASE` from the environment, else Stripe's.
fn api_base(cx: &Context, stripe: &StripeSection) -> Result<String, Unavailable> {
    if let Some(base) = &stripe.api_base {
        return Ok(base.as_str().to_owned());
    }
    match cx.env.get("STRIPE_API_BASE").map(str::trim) {
        Some(base) if !base.is_empty() => match url::Url::parse(base) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
                Ok(base.to_owned())
            }
            _ => Err(Unavailable::error(
                "STRIPE_API_BASE is not an absolute http(s) URL".to_owned(),
            )),
        },
        _ => Ok(DEFAULT_API_BASE.to_owned()),
    }
}

fn api(cx: &Context) -> Result<StripeApi<'_>, Unavailable> {
    let stripe = section(cx)?;
    let var = &stripe.secret_key_env;
    let key = match cx.env.get(var).map(str::trim) {
        Some(k) if !k.is_empty() => k.to_owned(),
        Some(_) => {
            return Err(Unavailable::skip(format!(
                "{var} is empty: the Stripe API checks need a secret or restricted key"
            )));
        }
        None => {
            return Err(Unavailable::skip(format!(
                "{var} is not set: the Stripe API checks need a secret or restricted key (a read-only rk_live_ key is enough)"
            )));
        }
    };
    if let Some(parsed) = parse_key(&key)
        && matches!(
            parsed.kind,
            StripeKeyKind::Publishable | StripeKeyKind::WebhookSecret
        )
    {
        return Err(Unavailable::error(format!(
            "{var} holds a {} key ({}…), not a secret or restricted API key",
            if parsed.kind == StripeKeyKind::Publishable {
                "publishable"
            } else {
                "webhook signing"
            },
            parsed.prefix()
        )));
    }
    let base = api_base(cx, stripe)?;
    let net = net(cx)?;
    Ok(StripeApi::new(&net.http, &base, key, var))
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
