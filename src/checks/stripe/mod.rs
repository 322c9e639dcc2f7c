//! The Stripe API checks. Their evidence — the account's webhook endpoints and its
//! unsuccessfully delivered events — comes from `crate::evidence::stripe`.

pub mod checkout_errors;
pub mod deliveries;
pub mod endpoint;
pub mod endpoint_events;
mod evidence;
pub mod handled_events;
mod matching;
pub mod pending;
mod scope;

use std::sync::Arc;

use crate::checks::{Checked, Plan};
use crate::context::Context;
use crate::evidence::stripe::{Endpoints, WebhookEndpoint, test_mode};
use crate::manifest::{Environment, Webhook, WebhookProvider};
use crate::report::Outcome;

/// SPEC §7: a test-mode key sees only test-mode endpoints and events. Judging them
/// (staging, development) is fine, but every summary says so; in production the
/// evidence is already an error (`evidence::stripe::TEST_KEY_IN_PRODUCTION`).
pub(crate) fn in_mode(cx: &Context, checked: Checked) -> Outcome {
    let mut out = checked.unwrap_or_else(|o| o);
    if test_mode(cx) && cx.manifest.environment != Environment::Production {
        out.summary = format!("test mode: {}", out.summary);
    }
    out
}

/// What to do about a listing stopped at a cap.
pub(crate) const NARROW: &str =
    "Lower stripe.lookback_hours so the audit reads fewer events, or raise --deadline.";

/// "at least " when a listing stopped at a cap: what was read is a lower bound.
pub(crate) fn at_least(partial: bool) -> &'static str {
    if partial { "at least " } else { "" }
}

/// The target of the account-wide checks.
pub const ACCOUNT_TARGET: &str = "stripe";

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
    Ok((webhook, cx.get(Endpoints).await?))
}
