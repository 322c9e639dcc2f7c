//! `http.hsts`: the canonical page sends `Strict-Transport-Security` (RFC 6797) with a
//! `max-age` of at least 180 days. Missing, malformed or too short is a `fail`;
//! without `includeSubDomains` it is a `warn` (subdomains stay open to SSL stripping,
//! and the site cannot be preloaded). The header is read as browsers read it
//! (`crate::headers::hsts`): only the first field counts (RFC 6797 §8.1), and a field
//! with a repeated directive or a comma-joined second header is ignored whole (§6.1).

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::headers::hsts::{Sts, effective};
use crate::meta;
use crate::report::Outcome;

pub struct Hsts;

/// 180 days, the floor the HSTS preload list and most scanners use.
pub const MIN_MAX_AGE: u64 = 15_552_000;

const FIX: &str = "Send `Strict-Transport-Security: max-age=63072000; includeSubDomains` on every HTTPS response (Next.js: `headers()` in next.config.js; Vercel and Cloudflare have a setting).";

impl Check for Hsts {
    const META: &'static Meta = meta! {
        id: "http.hsts",
        title: "HTTPS is enforced with HSTS",
        severity: Fail,
        needs: "manifest `web.canonical`; HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::canonical_plan(cx)
    }

    async fn run(&self, cx: &Context, _host: &str) -> Checked {
        Ok(async move {
            let (url, resp) = match super::canonical_page(cx).await {
                Ok(p) => p,
                Err(o) => return o,
            };
            let evidence = super::header_evidence(&resp, &["strict-transport-security"]);
            if !url.starts_with("https://") {
                return Outcome::fail(format!(
                    "{url} is not https: browsers ignore HSTS sent over plain HTTP"
                ))
                .details(evidence)
                .remediation("Make the canonical origin https, then send HSTS from it.");
            }
            let lines = crate::headers::lines(&resp.headers, "strict-transport-security");
            let policy = match effective(&lines) {
                Sts::Absent => {
                    return Outcome::fail(format!(
                        "{url} sends no Strict-Transport-Security header"
                    ))
                    .details(evidence)
                    .remediation(FIX);
                }
                Sts::Invalid(why) => {
                    // RFC 6797 §6.1 rule 4: the browser ignores the whole field.
                    return Outcome::fail(format!(
                        "malformed Strict-Transport-Security `{}`: {why}; browsers ignore it",
                        lines.first().copied().unwrap_or_default()
                    ))
                    .details(evidence)
                    .remediation(FIX);
                }
                Sts::Valid(p) => p,
            };
            let ignored_lines = lines.len().saturating_sub(1);
            let details = json!({ "response": evidence, "ignored_lines": ignored_lines, "max_age": policy.max_age, "include_subdomains": policy.include_subdomains, "preload": policy.preload, "min_max_age": MIN_MAX_AGE });
            if policy.max_age < MIN_MAX_AGE {
                let what = if policy.max_age == 0 {
                    "max-age=0 switches HSTS off".to_owned()
                } else {
                    format!(
                        "max-age={} ({} days) is below 180 days ({MIN_MAX_AGE})",
                        policy.max_age,
                        policy.max_age / 86_400
                    )
                };
                return Outcome::fail(format!("{url}: {what}"))
                    .details(details)
                    .remediation(FIX);
            }
            if !policy.include_subdomains {
                return Outcome::warn(format!(
                    "{url}: HSTS max-age={} without includeSubDomains",
                    policy.max_age
                ))
                .details(details)
                .remediation("Add `includeSubDomains` once every subdomain serves HTTPS.");
            }
            Outcome::pass(format!(
                "{url}: HSTS max-age={} ({} days) with includeSubDomains",
                policy.max_age,
                policy.max_age / 86_400
            ))
            .details(details)
        }
        .await)
    }
}
