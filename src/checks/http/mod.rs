//! What the web hosts answer over HTTP: redirects (http → https, aliases → canonical,
//! explicit rules), security headers, caching of private routes, CORS and health.
//! Redirects are followed by hand, hop by hop (each hop is evidence); the canonical
//! page is fetched once (`Http::get` is memoised) and read by `http.hsts` and
//! `http.security-headers`.

pub mod cache;
pub mod canonical;
pub mod cookies;
pub mod cors;
pub mod csp;
pub mod health;
pub mod hsts;
pub mod https_redirect;
pub mod redirects;
pub mod security_headers;

use std::sync::Arc;

use serde_json::{Value, json};

use crate::checks::Plan;
use crate::context::Context;
use crate::manifest::WebSection;
use crate::net::NetFailure;
use crate::net::http::{Chain, ChainEnd, Response};
use crate::report::Outcome;

/// The manifest's `web` section, or the `skip` plan saying it is absent.
pub(crate) fn web(cx: &Context) -> Result<&WebSection, Plan> {
    cx.manifest
        .web
        .as_ref()
        .ok_or_else(|| Plan::skip("web", "no `web` section in the manifest"))
}

/// Checks of the canonical origin itself target its host.
pub(crate) fn canonical_plan(cx: &Context) -> Plan {
    match web(cx) {
        Ok(w) => Plan::Targets(vec![w.canonical.host().to_ascii_lowercase()]),
        Err(skip) => skip,
    }
}

/// `path` (absolute, e.g. `/api/`) on the canonical origin.
pub(crate) fn on_canonical(web: &WebSection, path: &str) -> Option<String> {
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    web.canonical.0.join(&path).ok().map(|u| u.to_string())
}

/// No answer from `url`: nothing can be judged, so `error` with the reason.
pub(crate) fn unanswered(url: &str, e: &NetFailure) -> Outcome {
    Outcome::error(format!("{url}: {e}"))
        .details(json!({ "url": url, "error": e.to_string(), "kind": e.kind() }))
        .remediation("Nobody could tell: make the host answer over HTTPS promptly, then run again.")
}

/// The canonical page (one memoised GET shared by the header checks).
pub(crate) async fn canonical_page(cx: &Context) -> Result<(String, Arc<Response>), Outcome> {
    let net = cx.net()?;
    let web = cx
        .manifest
        .web
        .as_ref()
        .ok_or_else(|| Outcome::skip("no `web` section in the manifest"))?;
    let url = web.canonical.as_str().to_owned();
    let first = net.http.get(&url).await.map_err(|e| unanswered(&url, &e))?;
    if !first.is_redirect() {
        return Ok((url, first));
    }
    // The canonical origin may redirect inside itself (`/` → `/en`): the page people
    // see is at the end. Leaving the origin means the canonical is not canonical.
    let chain = net
        .http
        .follow(&url, 5)
        .await
        .map_err(|e| unanswered(&url, &e))?;
    let origin = web.canonical.0.origin();
    match &chain.end {
        ChainEnd::Final(last) if url::Url::parse(&last.url).is_ok_and(|u| u.origin() == origin) => {
            Ok((last.url.clone(), last.clone()))
        }
        _ => Err(Outcome::error(format!(
            "the canonical page redirects away from its origin: {}",
            chain_line(&chain)
        ))
        .details(json!({ "hops": chain.hops }))
        .remediation("Set web.canonical to the origin the site finally serves from.")),
    }
}

/// A chain in one line: `https://a/ (301) → https://b/ (200)`.
pub(crate) fn chain_line(chain: &Chain) -> String {
    let mut parts: Vec<String> = chain
        .hops
        .iter()
        .map(|h| format!("{} ({})", h.url, h.status))
        .collect();
    match &chain.end {
        ChainEnd::Loop(url) => parts.push(format!("{url} (loop)")),
        ChainEnd::TooManyHops => parts.push("…".to_owned()),
        ChainEnd::Final(_) => {}
    }
    parts.join(" → ")
}

/// The chain as report evidence.
pub(crate) fn chain_details(start: &str, chain: &Chain) -> Value {
    let end = match &chain.end {
        ChainEnd::Final(r) => json!({ "final": r.url, "status": r.status }),
        ChainEnd::Loop(url) => json!({ "loop": url }),
        ChainEnd::TooManyHops => json!({ "too_many_hops": true }),
    };
    json!({ "start": start, "hops": chain.hops, "end": end, "redirects": redirects(chain) })
}

/// How many redirects the chain took.
pub(crate) fn redirects(chain: &Chain) -> usize {
    chain
        .hops
        .iter()
        .filter(|h| (300..400).contains(&h.status))
        .count()
}

/// Response headers worth showing as evidence (the ones these checks read).
pub(crate) fn header_evidence(resp: &Response, names: &[&str]) -> Value {
    let mut map = serde_json::Map::new();
    for name in names {
        let values: Vec<&str> = resp
            .headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        if !values.is_empty() {
            map.insert((*name).to_owned(), json!(values.join(", ")));
        }
    }
    json!({ "url": resp.url, "status": resp.status, "headers": map })
}
