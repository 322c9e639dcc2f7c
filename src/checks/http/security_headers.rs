//! `http.security-headers`: the canonical page sends the headers every browser-facing
//! app should: `X-Content-Type-Options: nosniff`, frame protection (`X-Frame-Options`
//! DENY/SAMEORIGIN or CSP `frame-ancestors`), a `Referrer-Policy` and a
//! `Content-Security-Policy`. Missing ones are named together in one `warn`.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::net::http::Response;
use crate::report::Outcome;

pub struct SecurityHeaders;

const HEADERS: [&str; 5] = [
    "x-content-type-options",
    "x-frame-options",
    "content-security-policy",
    "content-security-policy-report-only",
    "referrer-policy",
];

/// What is missing or too weak, in words, one entry per header family.
pub fn missing(resp: &Response) -> Vec<String> {
    let mut out = Vec::new();
    let get = |n: &str| resp.header(n).map(|v| v.trim().to_ascii_lowercase());
    if get("x-content-type-options").as_deref() != Some("nosniff") {
        out.push("X-Content-Type-Options: nosniff".to_owned());
    }
    let csp = get("content-security-policy");
    let frame_ancestors = csp.as_deref().is_some_and(|c| {
        c.split(';')
            .any(|d| d.trim().starts_with("frame-ancestors"))
    });
    let xfo = matches!(
        get("x-frame-options").as_deref(),
        Some("deny" | "sameorigin")
    );
    if !xfo && !frame_ancestors {
        out.push(
            "frame protection (X-Frame-Options: DENY/SAMEORIGIN or CSP frame-ancestors)".to_owned(),
        );
    }
    match get("referrer-policy").as_deref() {
        None | Some("") => out.push("Referrer-Policy".to_owned()),
        Some("unsafe-url") => out.push("Referrer-Policy other than unsafe-url".to_owned()),
        Some(_) => {}
    }
    if csp.is_none_or(|c| c.is_empty()) {
        let note = if get("content-security-policy-report-only").is_some() {
            " (only Report-Only is sent, which enforces nothing)"
        } else {
            ""
        };
        out.push(format!("Content-Security-Policy{note}"));
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
        let (url, resp) = match super::canonical_page(cx).await {
            Ok(p) => p,
            Err(o) => return Err(o),
        };
        let missing = missing(&resp);
        let details =
            json!({ "response": super::header_evidence(&resp, &HEADERS), "missing": missing });
        if missing.is_empty() {
            return Ok(Outcome::pass(format!(
                "{url} sends nosniff, frame protection, Referrer-Policy and CSP"
            ))
            .details(details));
        }
        Ok(Outcome::warn(format!("{url} is missing: {}", missing.join("; ")))
            .details(details)
            .remediation("Add the missing headers to every page (Next.js: `headers()` in next.config.js), e.g. `X-Content-Type-Options: nosniff`, `Content-Security-Policy: frame-ancestors 'self'; …`, `Referrer-Policy: strict-origin-when-cross-origin`."))
    }
}
