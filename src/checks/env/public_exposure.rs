//! `env.public-exposure`: a public-prefixed variable (`NEXT_PUBLIC_`, `EXPO_PUBLIC_`,
//! `VITE_`…) is inlined into every browser and app bundle at build time, so it must
//! never hold a credential. One result per public variable.
//!
//! Public values are not scrubbed from reports (they are public by design), so this
//! check is careful to print nothing of them but a mask of a detected secret.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::env::{AuditedEnv, EnvValues, Reading};
use crate::meta;
use crate::report::Outcome;
use crate::secrets::{classify_value, fingerprint, is_secret_name, mask};
use crate::stripe::keys::{StripeKeyKind, parse_key};

pub struct PublicExposure;

/// Below this, a value under a secret-sounding name is more likely a flag or an id.
const MIN_SUSPECT_LEN: usize = 12;

impl Check for PublicExposure {
    const META: &'static Meta = meta! {
        id: "env.public-exposure",
        title: "No secret in a public (browser-bundled) variable",
        severity: Fail,
        needs: "public-prefixed variables in dotenv files or the process environment (or the platform's production environment with env.source: platform)",
        network: false,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        let env = match super::values_for_plan(cx).await {
            Ok(env) => env,
            Err(plan) => return plan,
        };
        let public: Vec<String> = env
            .iter()
            .filter(|(name, _)| env.is_public(name))
            .map(|(name, _)| name.to_owned())
            .collect();
        if public.is_empty() {
            Plan::skip(
                "env",
                format!(
                    "no variable with a public prefix ({})",
                    env.public_prefixes.join(", ")
                ),
            )
        } else {
            Plan::Targets(public)
        }
    }

    async fn run(&self, cx: &Context, name: &str) -> Checked {
        let env = cx.get(AuditedEnv).await?;
        Ok(judge(&env, name))
    }
}

fn judge(env: &EnvValues, name: &str) -> Outcome {
    let Some(var) = env.var(name) else {
        return Outcome::skip(format!("{name} is not set"));
    };
    let value = match &var.reading {
        Reading::Value(v) => v.trim(),
        Reading::Sensitive => return super::sensitive(name, &var.source),
        Reading::Unreadable => return super::unreadable(name, &var.source),
    };
    let prefix = env
        .public_prefixes
        .iter()
        .find(|p| name.starts_with(p.as_str()))
        .cloned()
        .unwrap_or_default();
    let mut details =
        json!({ "variable": name, "source": var.source.to_string(), "public_prefix": prefix });
    if value.is_empty() {
        return Outcome::pass(format!("{name} is empty")).details(details);
    }
    if let Some(kind) = classify_value(value) {
        details["kind"] = json!(kind);
        details["masked"] = json!(mask(value));
        details["fingerprint"] = json!(fingerprint(value));
        if kind.client_exposure_expected() {
            details["note"] = json!(
                "browser API keys are public by design; restrict this one by HTTP referrer and API in the Google Cloud console"
            );
            return Outcome::pass(format!(
                "{name} holds a {kind}, which is meant for browsers"
            ))
            .details(details);
        }
        return Outcome::fail(format!(
            "{name} holds a {kind}: every {prefix} variable is shipped to browsers"
        ))
        .details(details)
        .remediation(format!(
            "Treat the {kind} as leaked: roll it at the provider now. Then rename the variable without the {prefix} prefix and read it only in server code (route handlers, server actions, getServerSideProps)."
        ));
    }
    if let Some(key) = parse_key(value)
        && key.kind == StripeKeyKind::Publishable
    {
        details["kind"] = json!("stripe-publishable-key");
        return Outcome::pass(format!(
            "{name} holds a Stripe publishable key, which is meant for browsers"
        ))
        .details(details);
    }
    if value.contains("://") {
        details["kind"] = json!("url");
        return Outcome::pass(format!("{name} holds a URL")).details(details);
    }
    if is_secret_name(name) && value.chars().count() >= MIN_SUSPECT_LEN {
        details["length"] = json!(value.chars().count());
        return Outcome::warn(format!(
            "{name} is named like a credential and is shipped to browsers"
        ))
        .details(details)
        .remediation(format!(
            "If {name} holds a credential, roll it and move it to a server-only variable (without {prefix}); if it is public by design, rename it to say so (e.g. …_PUBLISHABLE_KEY, …_SITE_KEY)."
        ));
    }
    Outcome::pass(format!("{name} holds no secret-looking value")).details(details)
}
