//! `http.csp`: the quality of the Content-Security-Policy in force on the canonical
//! page, as browsers enforce it — every header policy and `<meta http-equiv>` policy
//! together, their intersection being what applies (CSP3 §2.2, §4.1). The rules live
//! in `crate::headers::csp` and `crate::headers::csp_grade`; this file only judges.
//! SPEC §7 "http.csp": no enforced policy is `warn`; `fail` is for an enforced policy
//! whose `script-src` (or `default-src`) still allows script injection.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::headers::csp_grade::{Level, grade};
use crate::headers::{self, csp, html};
use crate::meta;
use crate::report::Outcome;

pub struct Csp;

const FIX: &str = "Enforce a nonce- or hash-based policy: `Content-Security-Policy: script-src 'nonce-{random}' 'strict-dynamic'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'` (Next.js: generate the nonce in middleware). Drop 'unsafe-inline', `*`, `https:` and `data:` from script-src.";

impl Check for Csp {
    const META: &'static Meta = meta! {
        id: "http.csp",
        title: "The Content-Security-Policy in force stops script injection",
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
            let lines = |n: &str| headers::lines(&resp.headers, n);
            let policies = csp::policies(
                &lines("content-security-policy"),
                &lines("content-security-policy-report-only"),
                &html::meta_csp(&resp.text()),
            );
            let findings = grade(&policies);
            let details = json!({ "url": url, "policies": policies, "findings": findings });
            let texts = |level: Level| -> Vec<&str> {
                findings
                    .iter()
                    .filter(|f| f.level == level)
                    .map(|f| f.text.as_str())
                    .collect()
            };
            let (fails, warns) = (texts(Level::Fail), texts(Level::Warn));
            if !fails.is_empty() {
                let mut all = fails;
                all.extend(warns);
                return Outcome::fail(format!("{url}: {}", all.join("; ")))
                    .details(details)
                    .remediation(FIX);
            }
            if !warns.is_empty() {
                return Outcome::warn(format!("{url}: {}", warns.join("; ")))
                    .details(details)
                    .remediation(FIX);
            }
            let n = policies.iter().filter(|p| p.enforced()).count();
            Outcome::pass(format!(
                "{url}: {n} enforced polic{} stop script injection, plugins and <base> hijacking",
                if n == 1 { "y" } else { "ies" }
            ))
            .details(details)
        }
        .await)
    }
}
