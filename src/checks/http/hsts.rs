//! `http.hsts`: the canonical page sends `Strict-Transport-Security` (RFC 6797) with a
//! `max-age` of at least 180 days. Missing, malformed or too short is a `fail`;
//! without `includeSubDomains` it is a `warn` (subdomains stay open to SSL stripping,
//! and the site cannot be preloaded).

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct Hsts;

/// 180 days, the floor the HSTS preload list and most scanners use.
pub const MIN_MAX_AGE: u64 = 15_552_000;

const FIX: &str = "Send `Strict-Transport-Security: max-age=63072000; includeSubDomains` on every HTTPS response (Next.js: `headers()` in next.config.js; Vercel and Cloudflare have a setting).";

/// The directives that matter, parsed from one header value.
#[derive(Debug, PartialEq, Eq)]
pub struct Policy {
    pub max_age: u64,
    pub include_subdomains: bool,
    pub preload: bool,
}

/// Parse an STS header value; `Err` says why it is malformed (RFC 6797 §6.1).
pub fn parse(value: &str) -> Result<Policy, String> {
    let mut max_age = None;
    let mut include_subdomains = false;
    let mut preload = false;
    let mut seen = std::collections::HashSet::new();
    for directive in value.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        let (name, arg) = match directive.split_once('=') {
            Some((n, a)) => (n.trim(), Some(a.trim().trim_matches('"'))),
            None => (directive, None),
        };
        let name = name.to_ascii_lowercase();
        if !seen.insert(name.clone()) {
            return Err(format!("directive `{name}` appears twice"));
        }
        match (name.as_str(), arg) {
            ("max-age", Some(a)) => {
                let age = a
                    .parse::<u64>()
                    .map_err(|_| format!("max-age `{a}` is not a number of seconds"))?;
                max_age = Some(age);
            }
            ("max-age", None) => return Err("max-age has no value".into()),
            ("includesubdomains", _) => include_subdomains = true,
            ("preload", _) => preload = true,
            // Unknown directives are ignored (RFC 6797 §6.1).
            _ => {}
        }
    }
    let max_age = max_age.ok_or("no max-age directive")?;
    Ok(Policy {
        max_age,
        include_subdomains,
        preload,
    })
}

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
        let (url, resp) = match super::canonical_page(cx).await {
            Ok(p) => p,
            Err(o) => return Err(o),
        };
        let evidence = super::header_evidence(&resp, &["strict-transport-security"]);
        if !url.starts_with("https://") {
            return Ok(Outcome::fail(format!(
                "{url} is not https: browsers ignore HSTS sent over plain HTTP"
            ))
            .details(evidence)
            .remediation("Make the canonical origin https, then send HSTS from it."));
        }
        let Some(value) = resp.header("strict-transport-security") else {
            return Err(
                Outcome::fail(format!("{url} sends no Strict-Transport-Security header"))
                    .details(evidence)
                    .remediation(FIX),
            );
        };
        let policy = match parse(value) {
            Ok(p) => p,
            Err(why) => {
                return Ok(Outcome::fail(format!(
                    "malformed Strict-Transport-Security `{value}`: {why}"
                ))
                .details(evidence)
                .remediation(FIX));
            }
        };
        let details = json!({ "response": evidence, "max_age": policy.max_age, "include_subdomains": policy.include_subdomains, "preload": policy.preload, "min_max_age": MIN_MAX_AGE });
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
            return Ok(Outcome::fail(format!("{url}: {what}"))
                .details(details)
                .remediation(FIX));
        }
        if !policy.include_subdomains {
            return Ok(Outcome::warn(format!(
                "{url}: HSTS max-age={} without includeSubDomains",
                policy.max_age
            ))
            .details(details)
            .remediation("Add `includeSubDomains` once every subdomain serves HTTPS."));
        }
        Ok(Outcome::pass(format!(
            "{url}: HSTS max-age={} ({} days) with includeSubDomains",
            policy.max_age,
            policy.max_age / 86_400
        ))
        .details(details))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::parse;

    #[test]
    fn parses_the_usual_forms_and_refuses_malformed_ones() {
        let p = parse("max-age=63072000; includeSubDomains; preload").unwrap();
        assert_eq!(p.max_age, 63_072_000);
        assert!(p.include_subdomains && p.preload);
        assert_eq!(parse("MAX-AGE=\"300\"").unwrap().max_age, 300);
        assert!(!parse("max-age=300").unwrap().include_subdomains);
        assert!(parse("includeSubDomains").is_err());
        assert!(parse("max-age=abc").is_err());
        assert!(parse("max-age=1; max-age=2").is_err());
        assert!(parse("max-age").is_err());
        assert!(parse("").is_err());
    }
}
