//! `env.stripe-keys`: every Stripe key in the environment is well formed, in the
//! variable meant for its kind, in the mode the environment needs, and not mixed
//! with keys of the other mode. The key itself is never shown: only its variable,
//! kind, mode, prefix, mask and fingerprint.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::env::{AuditedEnv, EnvValues, Reading};
use crate::manifest::{Environment, WebhookProvider};
use crate::meta;
use crate::report::Outcome;
use crate::secrets::{fingerprint, mask};
use crate::stripe::keys::{StripeKey, StripeKeyKind, StripeMode, parse_key};

pub struct StripeKeys;

/// Why a variable is examined: the manifest names it for a purpose, or its value
/// simply looks like a Stripe key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    SecretKey,
    PublishableKey,
    WebhookSecret,
    Found,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::SecretKey => "stripe.secret_key_env",
            Role::PublishableKey => "stripe.publishable_key_env",
            Role::WebhookSecret => "webhooks[].secret_env",
            Role::Found => "holds a Stripe key",
        }
    }

    /// The kinds this variable may hold; `None`: any kind.
    fn expects(self, env: &EnvValues, name: &str) -> Option<&'static [StripeKeyKind]> {
        const SECRET: &[StripeKeyKind] = &[StripeKeyKind::Secret, StripeKeyKind::Restricted];
        match self {
            Role::SecretKey => Some(SECRET),
            Role::PublishableKey => Some(&[StripeKeyKind::Publishable]),
            Role::WebhookSecret => Some(&[StripeKeyKind::WebhookSecret]),
            // A public-prefixed or "publishable" variable ships to browsers.
            Role::Found if env.is_public(name) || name.contains("PUBLISHABLE") => {
                Some(&[StripeKeyKind::Publishable])
            }
            Role::Found => None,
        }
    }
}

/// The Stripe key variables, in a stable order: the manifest's roles first, then
/// any other variable whose value parses as a Stripe key.
fn key_vars(cx: &Context, env: &EnvValues) -> Vec<(String, Role)> {
    let mut out: Vec<(String, Role)> = Vec::new();
    if let Some(s) = &cx.manifest.stripe {
        out.push((s.secret_key_env.clone(), Role::SecretKey));
        out.extend(
            s.publishable_key_env
                .iter()
                .map(|p| (p.clone(), Role::PublishableKey)),
        );
    }
    for w in &cx.manifest.webhooks {
        if w.provider == WebhookProvider::Stripe {
            out.extend(
                w.secret_env
                    .iter()
                    .map(|e| (e.clone(), Role::WebhookSecret)),
            );
        }
    }
    for (name, var) in env.iter() {
        if var.value().and_then(parse_key).is_some() {
            out.push((name.to_owned(), Role::Found));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|(name, _)| seen.insert(name.clone()));
    out
}

fn kind_name(kind: StripeKeyKind) -> &'static str {
    match kind {
        StripeKeyKind::Secret => "secret key",
        StripeKeyKind::Restricted => "restricted key",
        StripeKeyKind::Publishable => "publishable key",
        StripeKeyKind::WebhookSecret => "webhook signing secret",
    }
}

fn mode_name(mode: StripeMode) -> &'static str {
    match mode {
        StripeMode::Live => "live",
        StripeMode::Test => "test",
    }
}

/// The mode every key should share, and the variable that sets it: `live` in
/// production, otherwise the mode of the first key (in `key_vars` order) that has one.
fn reference_mode(
    cx: &Context,
    env: &EnvValues,
    vars: &[(String, Role)],
) -> Option<(StripeMode, String)> {
    if cx.manifest.environment == Environment::Production {
        return Some((StripeMode::Live, "environment: production".to_owned()));
    }
    vars.iter().find_map(|(name, _)| {
        let key = parse_key(env.get(name)?)?;
        Some((key.mode?, name.clone()))
    })
}

impl Check for StripeKeys {
    const META: &'static Meta = meta! {
        id: "env.stripe-keys",
        title: "Stripe keys are well formed, in the right variables and mode",
        severity: Fail,
        needs: "manifest `stripe` or `webhooks`, or any variable holding a Stripe key; dotenv files or the process environment (or the platform's production environment with env.source: platform)",
        network: false,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        let env = match super::values_for_plan(cx).await {
            Ok(env) => env,
            Err(plan) => return plan,
        };
        let vars = key_vars(cx, &env);
        if vars.is_empty() {
            Plan::skip(
                "stripe",
                "no `stripe` section, no Stripe webhook and no variable holding a Stripe key",
            )
        } else {
            Plan::Targets(vars.into_iter().map(|(name, _)| name).collect())
        }
    }

    async fn run(&self, cx: &Context, name: &str) -> Checked {
        let env = cx.get(AuditedEnv).await?;
        Ok(judge(cx, &env, name))
    }
}

fn judge(cx: &Context, env: &EnvValues, name: &str) -> Outcome {
    let vars = key_vars(cx, env);
    let role = vars
        .iter()
        .find(|(n, _)| n == name)
        .map_or(Role::Found, |(_, r)| *r);
    let (value, source) = match env.var(name) {
        Some(var) if var.is_sensitive() => return super::sensitive(name, &var.source),
        Some(var) if var.reading == Reading::Unreadable => {
            return super::unreadable(name, &var.source);
        }
        Some(var) if var.value().is_some_and(|v| !v.trim().is_empty()) => {
            (var.value().unwrap_or_default(), var.source.as_str())
        }
        _ => {
            return Outcome::skip(format!(
                "{name} is not set (env.required reports missing variables)"
            ))
            .details(json!({ "variable": name, "role": role.as_str() }));
        }
    };
    let expected = role.expects(env, name);
    let mut details = json!({
        "variable": name,
        "source": source,
        "role": role.as_str(),
    });
    let Some(key) = parse_key(value) else {
        details["length"] = json!(value.chars().count());
        return Outcome::fail(format!("{name} does not hold a Stripe key"))
            .details(details)
            .remediation(format!(
                "Copy the {} from the Stripe dashboard (Developers → API keys, or the webhook endpoint's signing secret) into {name}.",
                expected.and_then(|k| k.first()).map_or("key", |k| kind_name(*k))
            ));
    };
    describe(&mut details, &key, value);
    let label = format!("{} {}", key.prefix(), kind_name(key.kind));
    if let Some(problem) = &key.problem {
        details["problem"] = json!(problem);
        return Outcome::fail(format!("{name}: malformed {label}: {problem}"))
            .details(details)
            .remediation(format!(
                "Paste the key into {name} again from the Stripe dashboard, without quotes, spaces or line breaks."
            ));
    }
    if let Some(kinds) = expected
        && !kinds.contains(&key.kind)
    {
        return wrong_variable(name, &label, key.kind, kinds).details(details);
    }
    if let Some(mode) = key.mode
        && let Some(outcome) = mode_problem(cx, env, name, &label, mode, &vars, &mut details)
    {
        return outcome;
    }
    if key.kind == StripeKeyKind::Secret && key.is_live() {
        return Outcome::warn(format!(
            "{name} holds a full live secret key (sk_live_); a restricted key would do"
        ))
        .details(details)
        .remediation(
            "Create a restricted key (rk_live_) in the Stripe dashboard with only the permissions this app uses (read-only for audits and dashboards), deploy it, then roll the full secret key.",
        );
    }
    Outcome::pass(format!("{name}: well-formed {label}")).details(details)
}

fn describe(details: &mut serde_json::Value, key: &StripeKey, value: &str) {
    details["kind"] = json!(key.kind);
    details["mode"] = json!(key.mode);
    details["prefix"] = json!(key.prefix());
    details["masked"] = json!(mask(value));
    details["fingerprint"] = json!(fingerprint(value));
}

fn wrong_variable(name: &str, label: &str, have: StripeKeyKind, want: &[StripeKeyKind]) -> Outcome {
    let want_text = want
        .iter()
        .map(|k| kind_name(*k))
        .collect::<Vec<_>>()
        .join(" or ");
    let exposed = matches!(have, StripeKeyKind::Secret | StripeKeyKind::Restricted)
        && want.contains(&StripeKeyKind::Publishable);
    let remediation = if exposed {
        format!(
            "{name} ships to browsers: roll this key in the Stripe dashboard now, then put the publishable key (pk_) in {name} and keep secret keys in server-only variables."
        )
    } else {
        format!("Put the {want_text} in {name}; keep each Stripe key in the variable meant for it.")
    };
    Outcome::fail(format!("{name} holds a {label}; expected a {want_text}"))
        .remediation(remediation)
}

fn mode_problem(
    cx: &Context,
    env: &EnvValues,
    name: &str,
    label: &str,
    mode: StripeMode,
    vars: &[(String, Role)],
    details: &mut serde_json::Value,
) -> Option<Outcome> {
    let set: Vec<serde_json::Value> = vars
        .iter()
        .filter_map(|(n, _)| {
            let key = parse_key(env.get(n)?)?;
            Some(json!({ "variable": n, "prefix": key.prefix(), "mode": key.mode }))
        })
        .collect();
    let modes: Vec<&serde_json::Value> = set.iter().map(|k| &k["mode"]).collect();
    let mixed = modes.contains(&&json!("live")) && modes.contains(&&json!("test"));
    details["key_set"] = json!(set);
    details["mixed_modes"] = json!(mixed);
    let (reference, by) = reference_mode(cx, env, vars)?;
    if mode == reference {
        return None;
    }
    let production = cx.manifest.environment == Environment::Production;
    let summary = if production {
        format!("{name} holds a test-mode {label} in production")
    } else {
        format!(
            "live and test keys mixed: {name} is {} but {by} is {}",
            mode_name(mode),
            mode_name(reference)
        )
    };
    Some(
        Outcome::fail(summary)
            .details(details.clone())
            .remediation(format!(
                "Use keys of one mode everywhere: put the {} key from the Stripe dashboard in {name} (test and live objects cannot see each other, so mixed keys break checkout and webhooks).",
                mode_name(reference)
            )),
    )
}
