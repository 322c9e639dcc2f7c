//! `http.security-headers`: the canonical page sends the headers every browser-facing
//! app should, as browsers enforce them: `X-Content-Type-Options: nosniff` (Fetch
//! §3.5.1), frame protection (`X-Frame-Options` DENY/SAMEORIGIN, HTML §7.1.1, or CSP
//! `frame-ancestors`), a Referrer-Policy that does not leak full URLs (absent is fine:
//! the browser default is safe), an enforced `Content-Security-Policy`, and the
//! cross-origin isolation headers COOP (HTML §7.1.3) and CORP (Fetch §3.7). Missing
//! ones are named together in one `warn` (SPEC §3: each entry starts with its family).

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::headers::{self, csp, html, nosniff, referrer, xfo};
use crate::meta;
use crate::net::http::Response;
use crate::report::Outcome;

pub struct SecurityHeaders;

const HEADERS: [&str; 8] = [
    "x-content-type-options",
    "x-frame-options",
    "content-security-policy",
    "content-security-policy-report-only",
    "referrer-policy",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
    "permissions-policy",
];

/// Cross-Origin-Opener-Policy values that isolate the page (HTML §7.1.3.1); anything
/// else, `unsafe-none` included, leaves it reachable from the pages it opens.
const COOP_ISOLATING: [&str; 3] = [
    "same-origin",
    "same-origin-allow-popups",
    "noopener-allow-popups",
];

/// Cross-Origin-Resource-Policy values (Fetch §3.7); an invalid one is ignored.
const CORP_VALUES: [&str; 3] = ["same-origin", "same-site", "cross-origin"];

/// A structured-header token, its parameters dropped (`same-origin; report-to="x"`).
fn token(resp: &Response, name: &str) -> Option<String> {
    let lines = headers::lines(&resp.headers, name);
    let first = lines.first()?;
    let value = first.split(';').next().unwrap_or_default().trim();
    Some(value.to_ascii_lowercase())
}

/// What is missing or too weak, in words, one entry per header family, each starting
/// with the family's name (SPEC §3). Read as browsers read them: see `crate::headers`.
pub fn missing(resp: &Response) -> Vec<String> {
    let mut out = Vec::new();
    let lines = |n: &str| headers::lines(&resp.headers, n);
    let html = resp.text();
    if !nosniff::enforced(&lines("x-content-type-options")) {
        let sent = lines("x-content-type-options");
        out.push(match sent.first() {
            None => "X-Content-Type-Options: nosniff".to_owned(),
            Some(v) => {
                format!("X-Content-Type-Options: nosniff (the first value, `{v}`, is not nosniff)")
            }
        });
    }
    let policies = csp::policies(
        &lines("content-security-policy"),
        &lines("content-security-policy-report-only"),
        &html::meta_csp(&html),
    );
    // An enforced frame-ancestors replaces X-Frame-Options (HTML §7.1.1 step 2).
    match csp::frame_ancestors_protects(&policies) {
        Some(true) => {}
        Some(false) => out.push("frame protection (CSP frame-ancestors lets any site frame the page, and browsers then ignore X-Frame-Options)".to_owned()),
        None if xfo::framing(&lines("x-frame-options")).protects() => {}
        None => {
            let ignored = xfo::ignored_values(&lines("x-frame-options"));
            let note = if ignored.is_empty() {
                String::new()
            } else {
                format!("; browsers ignore `{}`", ignored.join("`, `"))
            };
            out.push(format!(
                "frame protection (X-Frame-Options: DENY/SAMEORIGIN or CSP frame-ancestors{note})"
            ));
        }
    }
    let referrer = referrer::effective(&lines("referrer-policy"), &html::meta_referrer(&html));
    if referrer.leaks_full_url() {
        out.push(format!(
            "Referrer-Policy other than {} (it sends full URLs to other origins)",
            referrer.policy
        ));
    }
    if !policies
        .iter()
        .any(|p| p.enforced() && p.restricts_anything())
    {
        let inert: Vec<&str> = policies
            .iter()
            .filter(|p| p.enforced())
            .flat_map(|p| p.ignored.iter().map(String::as_str))
            .collect();
        let note = if !inert.is_empty() {
            format!(" (no directive browsers know: `{}`)", inert.join("`, `"))
        } else if policies.iter().any(|p| !p.enforced()) {
            " (only Report-Only is sent, which enforces nothing)".to_owned()
        } else {
            String::new()
        };
        out.push(format!("Content-Security-Policy{note}"));
    }
    match token(resp, "cross-origin-opener-policy") {
        Some(v) if COOP_ISOLATING.contains(&v.as_str()) => {}
        Some(v) => out.push(format!(
            "Cross-Origin-Opener-Policy (`{v}` does not isolate the page)"
        )),
        None => out.push("Cross-Origin-Opener-Policy".to_owned()),
    }
    match token(resp, "cross-origin-resource-policy") {
        Some(v) if CORP_VALUES.contains(&v.as_str()) => {}
        Some(v) => out.push(format!(
            "Cross-Origin-Resource-Policy (`{v}` is not a value browsers know)"
        )),
        None => out.push("Cross-Origin-Resource-Policy".to_owned()),
    }
    out
}

impl Check for SecurityHeaders {
    const META: &'static Meta = meta! {
        id: "http.security-headers",
        title: "The canonical page sends browser security headers",
        severity: Warn,
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
            let missing = missing(&resp);
            let details =
                json!({ "response": super::header_evidence(&resp, &HEADERS), "missing": missing });
            if missing.is_empty() {
                return Outcome::pass(format!(
                    "{url} sends nosniff, frame protection, CSP, COOP and CORP (referrer policy {})",
                    referrer::effective(
                        &headers::lines(&resp.headers, "referrer-policy"),
                        &html::meta_referrer(&resp.text())
                    )
                    .policy
                ))
                .details(details);
            }
            Outcome::warn(format!("{url} is missing: {}", missing.join("; ")))
                .details(details)
                .remediation("Add the missing headers to every page (Next.js: `headers()` in next.config.js), e.g. `X-Content-Type-Options: nosniff`, `Content-Security-Policy: frame-ancestors 'self'; …`, `Cross-Origin-Opener-Policy: same-origin`, `Cross-Origin-Resource-Policy: same-origin`; drop a leaking `Referrer-Policy`.")
        }
        .await)
    }
}
