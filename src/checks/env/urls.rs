//! `env.urls`: in production, every URL variable (`NEXT_PUBLIC_APP_URL`,
//! `NEXTAUTH_URL`…) is `https://` on the canonical origin. A localhost, staging or
//! preview URL left over from development breaks sign-in callbacks, emails and
//! Stripe return URLs in ways nobody notices until a customer does.
//!
//! URLs are shown, but without userinfo, query or fragment (they can carry tokens).

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::env::{AuditedEnv, Reading};
use crate::manifest::Environment;
use crate::meta;
use crate::report::Outcome;

pub struct Urls;

/// Host suffixes of preview deployments and platform default domains.
const PREVIEW_SUFFIXES: &[&str] = &[
    ".vercel.app",
    ".netlify.app",
    ".pages.dev",
    ".herokuapp.com",
    ".onrender.com",
    ".fly.dev",
    ".up.railway.app",
    ".ngrok.io",
    ".ngrok-free.app",
    ".ngrok.app",
];

/// Host labels that name a non-production deployment.
const STAGING_WORDS: &[&str] = &[
    "staging", "stage", "stg", "preview", "dev", "develop", "test", "qa", "uat", "sandbox",
];

impl Check for Urls {
    const META: &'static Meta = meta! {
        id: "env.urls",
        title: "URL variables point at the canonical https origin",
        severity: Fail,
        needs: "manifest `env.url_vars` (and `web.canonical`); `environment: production`; dotenv or the platform's production environment",
        network: false,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        let Some(env) = &cx.manifest.env else {
            return Plan::skip("env", "no `env` section in the manifest");
        };
        if env.url_vars.is_empty() {
            return Plan::skip("env.url_vars", "env.url_vars lists no variables");
        }
        if cx.manifest.environment != Environment::Production {
            return Plan::skip(
                "env.url_vars",
                format!(
                    "environment is {}: URL variables are checked for production only",
                    cx.manifest.environment.as_str()
                ),
            );
        }
        Plan::Targets(env.url_vars.clone())
    }

    async fn run(&self, cx: &Context, name: &str) -> Checked {
        let env = cx.get(AuditedEnv).await?;
        let var = match env.var(name) {
            Some(var) => var,
            None => return Ok(not_set(name)),
        };
        match &var.reading {
            Reading::Value(v) if v.trim().is_empty() => Ok(not_set(name)),
            Reading::Value(v) => Ok(judge(cx, name, v, &var.source)),
            Reading::Sensitive => Ok(super::sensitive(name, &var.source)),
            Reading::Unreadable => Ok(super::unreadable(name, &var.source)),
        }
    }
}

/// The URL as it may be shown: scheme, host, port and path only.
pub(crate) fn shown(url: &url::Url) -> String {
    let mut clean = url.clone();
    let _ = clean.set_username("");
    let _ = clean.set_password(None);
    clean.set_query(None);
    clean.set_fragment(None);
    clean.to_string()
}

fn is_local(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        return match ip {
            std::net::IpAddr::V4(v4) => {
                v4.is_loopback() || v4.is_unspecified() || v4.is_private() || v4.is_link_local()
            }
            std::net::IpAddr::V6(v6) => v6.is_loopback() || v6.is_unspecified(),
        };
    }
    host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
}

/// Why `host` looks like a staging or preview deployment, if it does.
fn staging_reason(host: &str) -> Option<String> {
    if let Some(suffix) = PREVIEW_SUFFIXES.iter().find(|s| host.ends_with(*s)) {
        return Some(format!("a platform preview/default domain (*{suffix})"));
    }
    let labels: Vec<&str> = host.split('.').collect();
    let sub = &labels[..labels.len().saturating_sub(2)];
    sub.iter()
        .flat_map(|label| label.split('-'))
        .find(|word| STAGING_WORDS.contains(word))
        .map(|word| format!("a `{word}` host"))
}

fn not_set(name: &str) -> Outcome {
    Outcome::skip(format!(
        "{name} is not set (env.required reports missing variables)"
    ))
    .details(json!({ "variable": name }))
}

fn judge(cx: &Context, name: &str, value: &str, source: &str) -> Outcome {
    let canonical = cx.manifest.web.as_ref().map(|w| w.canonical.0.clone());
    let mut details = json!({
        "variable": name,
        "source": source,
        "canonical": canonical.as_ref().map(|c| c.origin().ascii_serialization()),
    });
    let url = match url::Url::parse(value.trim()) {
        Ok(u) if u.host_str().is_some() => u,
        _ => {
            return Outcome::fail(format!("{name} is not an absolute URL"))
                .details(details)
                .remediation(format!(
                    "Set {name} to the full canonical URL, e.g. https://www.example.com."
                ));
        }
    };
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    details["url"] = json!(shown(&url));
    details["host"] = json!(host);
    let fix = match &canonical {
        Some(c) => format!(
            "Set {name} to {} in the production environment and redeploy.",
            c.origin().ascii_serialization()
        ),
        None => format!("Set {name} to the production https URL and redeploy."),
    };
    if !url.username().is_empty() || url.password().is_some() {
        details["userinfo"] = json!("removed from this report");
        return Outcome::fail(format!("{name} embeds credentials (user:password@)"))
            .details(details)
            .remediation(format!("Remove the credentials from {name}. {fix}"));
    }
    if is_local(&host) {
        return Outcome::fail(format!(
            "{name} points at a local address ({host}) in production"
        ))
        .details(details)
        .remediation(fix);
    }
    if url.scheme() != "https" {
        return Outcome::fail(format!(
            "{name} uses {}://, not https:// ({})",
            url.scheme(),
            shown(&url)
        ))
        .details(details)
        .remediation(fix);
    }
    let Some(canonical) = canonical else {
        if let Some(reason) = staging_reason(&host) {
            return Outcome::fail(format!("{name} points at {reason}: {host}"))
                .details(details)
                .remediation(fix);
        }
        details["note"] = json!("no web.canonical in the manifest: the host was not compared");
        return Outcome::pass(format!("{name} is https ({host})")).details(details);
    };
    if url.origin() == canonical.origin() {
        return Outcome::pass(format!("{name} is on the canonical origin ({host})"))
            .details(details);
    }
    let summary = match staging_reason(&host) {
        Some(reason) => format!("{name} points at {reason}: {host}"),
        None if host == canonical.host_str().unwrap_or_default() => {
            format!("{name} uses another port than the canonical origin")
        }
        None => format!(
            "{name} points at {host}, not the canonical host {}",
            canonical.host_str().unwrap_or_default()
        ),
    };
    Outcome::fail(summary).details(details).remediation(fix)
}

#[cfg(test)]
mod tests {
    use super::{is_local, staging_reason};

    #[test]
    fn recognises_local_and_staging_hosts() {
        assert!(is_local("localhost"));
        assert!(is_local("127.0.0.1"));
        assert!(is_local("0.0.0.0"));
        assert!(is_local("[::1]"));
        assert!(is_local("app.localhost"));
        assert!(!is_local("www.acme.app"));
        assert!(staging_reason("staging.acme.app").is_some());
        assert!(staging_reason("acme-git-main-acme.vercel.app").is_some());
        assert!(staging_reason("app-preview.acme.app").is_some());
        assert!(staging_reason("www.acme.app").is_none());
        assert!(staging_reason("testing.acme.app").is_none());
        assert!(staging_reason("dev.to").is_none());
    }
}
