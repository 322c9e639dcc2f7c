//! The Stripe API checks. Their evidence — the account's webhook endpoints and its
//! unsuccessfully delivered events — is fetched once per audit (`cx.shared`) and read
//! by every check that needs it.

pub mod deliveries;
pub mod endpoint;
pub mod endpoint_events;
mod evidence;
mod matching;
pub mod pending;

use std::sync::Arc;

use crate::checks::Plan;
use crate::context::Context;
use crate::manifest::{StripeSection, Webhook, WebhookProvider};
use crate::net::stripe::{DEFAULT_API_BASE, Event, StripeApi, StripeError, WebhookEndpoint};
use crate::report::Outcome;
use crate::stripe::keys::{StripeKeyKind, parse_key};

/// The target of the account-wide checks.
pub const ACCOUNT_TARGET: &str = "stripe";

/// Why the Stripe evidence is not there: a missing prerequisite is `skip`, anything
/// else `error` — never a verdict.
#[derive(Clone, Debug)]
pub(crate) enum Unavailable {
    Skip(String),
    Config(String),
    Api(Box<StripeError>),
}

impl Unavailable {
    pub(crate) fn outcome(&self) -> Outcome {
        match self {
            Unavailable::Skip(reason) => Outcome::skip(reason.clone()),
            Unavailable::Config(why) => Outcome::error(why.clone()),
            Unavailable::Api(e) => Outcome::error(e.to_string())
                .details(e.details())
                .remediation(e.remediation()),
        }
    }
}

/// Each webhook with `provider: stripe`, by name.
pub(crate) fn webhook_plan(cx: &Context) -> Plan {
    if cx.manifest.stripe.is_none() {
        return Plan::skip("stripe", "no `stripe` section in the manifest");
    }
    let names: Vec<String> = stripe_webhooks(cx).map(|w| w.name.clone()).collect();
    if names.is_empty() {
        Plan::skip(
            "webhooks",
            "no webhook with `provider: stripe` in the manifest",
        )
    } else {
        Plan::Targets(names)
    }
}

/// The account as a whole.
pub(crate) fn account_plan(cx: &Context) -> Plan {
    match cx.manifest.stripe {
        Some(_) => Plan::Targets(vec![ACCOUNT_TARGET.to_owned()]),
        None => Plan::skip("stripe", "no `stripe` section in the manifest"),
    }
}

fn stripe_webhooks(cx: &Context) -> impl Iterator<Item = &Webhook> {
    cx.manifest
        .webhooks
        .iter()
        .filter(|w| w.provider == WebhookProvider::Stripe)
}

pub(crate) fn webhook<'a>(cx: &'a Context, name: &str) -> Option<&'a Webhook> {
    stripe_webhooks(cx).find(|w| w.name == name)
}

fn section(cx: &Context) -> Result<&StripeSection, Unavailable> {
    cx.manifest
        .stripe
        .as_ref()
        .ok_or_else(|| Unavailable::Skip("no `stripe` section in the manifest".to_owned()))
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
            _ => Err(Unavailable::Config(
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
            return Err(Unavailable::Skip(format!(
                "{var} is empty: the Stripe API checks need a secret or restricted key"
            )));
        }
        None => {
            return Err(Unavailable::Skip(format!(
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
        return Err(Unavailable::Config(format!(
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
    let net = cx
        .net()
        .map_err(|e| Unavailable::Config(Outcome::from(e).summary))?;
    Ok(StripeApi::new(&net.http, &base, key, var))
}

/// Evidence fetched once per audit (`cx.shared`) and read by every check that needs
/// it — or the outcome those checks return when it is not there.
async fn fetched_once<T, F, Fut>(cx: &Context, key: &str, fetch: F) -> Result<Arc<T>, Outcome>
where
    T: Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, Unavailable>>,
{
    let shared = cx
        .shared(key, || async { fetch().await.map(Arc::new) })
        .await;
    match &*shared {
        Ok(evidence) => Ok(Arc::clone(evidence)),
        Err(u) => Err(u.outcome()),
    }
}

/// Every webhook endpoint of the account.
pub(crate) async fn endpoints(cx: &Context) -> Result<Arc<Vec<WebhookEndpoint>>, Outcome> {
    fetched_once(cx, "stripe.webhook_endpoints", || async {
        api(cx)?
            .webhook_endpoints()
            .await
            .map_err(|e| Unavailable::Api(Box::new(e)))
    })
    .await
}

/// The Stripe webhook a target names and every webhook endpoint of the account.
pub(crate) async fn webhook_and_endpoints<'a>(
    cx: &'a Context,
    name: &str,
) -> Result<(&'a Webhook, Arc<Vec<WebhookEndpoint>>), Outcome> {
    let Some(webhook) = webhook(cx, name) else {
        return Err(Outcome::error(format!(
            "no Stripe webhook named {name} in the manifest"
        )));
    };
    Ok((webhook, endpoints(cx).await?))
}

/// Events created within `lookback_hours` that Stripe has not delivered
/// successfully (`delivery_success=false`: pending or failed every attempt).
pub(crate) struct Undelivered {
    pub events: Vec<Event>,
    pub since: i64,
    pub lookback_hours: u32,
}

pub(crate) async fn undelivered(cx: &Context) -> Result<Arc<Undelivered>, Outcome> {
    fetched_once(cx, "stripe.undelivered_events", || async {
        let lookback_hours = section(cx)?.lookback_hours;
        let since = cx.now.unix_timestamp() - i64::from(lookback_hours) * 3600;
        let filters = [
            ("delivery_success", "false".to_owned()),
            ("created[gte]", since.to_string()),
        ];
        let events = api(cx)?
            .events(&filters)
            .await
            .map_err(|e| Unavailable::Api(Box::new(e)))?;
        Ok(Undelivered {
            events,
            since,
            lookback_hours,
        })
    })
    .await
}
