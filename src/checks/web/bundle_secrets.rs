//! `web.bundle-secrets`: fetch the canonical page and the same-origin JavaScript it
//! loads, and search all of it for secret patterns and for the literal value of every
//! secret environment variable. Next.js inlines `process.env.X` at build time, so a
//! server secret read in a client component ships as a plain string: names are not
//! enough, values are what is searched for.
//!
//! Cross-origin scripts (js.stripe.com, CDNs) are listed, never fetched: they are not
//! built from this app's environment. Bounded work: at most `MAX_FILES` scripts, each
//! cut at the HTTP layer's body cap.

use std::collections::VecDeque;

use serde_json::json;

use super::found::{Found, known_secrets};
use super::scripts::{chunk_refs, script_refs};
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::net::http::ChainEnd;
use crate::report::Outcome;

pub struct BundleSecrets;

/// Scripts fetched per audit, beyond the page itself.
const MAX_FILES: usize = 150;
/// Redirects followed from the canonical URL to the page (e.g. `/` → `/en`).
const MAX_PAGE_HOPS: usize = 5;

impl Check for BundleSecrets {
    const META: &'static Meta = meta! {
        id: "web.bundle-secrets",
        title: "No secret in the JavaScript the site serves",
        severity: Fail,
        needs: "manifest `web.canonical` with `web.bundle_scan: true`; HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        match &cx.manifest.web {
            None => Plan::skip("web", "no `web` section in the manifest"),
            Some(web) if !web.bundle_scan => Plan::skip(
                web.canonical.host().to_ascii_lowercase(),
                "web.bundle_scan is not enabled: set it to true to fetch and scan the canonical page's scripts",
            ),
            Some(web) => Plan::Targets(vec![web.canonical.host().to_ascii_lowercase()]),
        }
    }

    async fn run(&self, cx: &Context, _host: &str) -> Checked {
        Ok(match scan_site(cx).await {
            Ok(outcome) | Err(outcome) => outcome,
        })
    }
}

async fn scan_site(cx: &Context) -> Result<Outcome, Outcome> {
    let net = cx.net()?;
    let web = cx
        .manifest
        .web
        .as_ref()
        .ok_or_else(|| Outcome::skip("no `web` section in the manifest"))?;
    let canonical = web.canonical.as_str();
    let chain = net
        .http
        .follow(canonical, MAX_PAGE_HOPS)
        .await
        .map_err(|e| Outcome::error(format!("cannot fetch the canonical page {canonical}: {e}")))?;
    let page = match chain.end {
        ChainEnd::Final(resp) => resp,
        ChainEnd::Loop(url) => {
            return Err(
                Outcome::error(format!("the canonical page redirects in a loop at {url}"))
                    .details(json!({ "hops": chain.hops })),
            );
        }
        ChainEnd::TooManyHops => {
            return Err(Outcome::error(format!(
                "the canonical page redirects more than {MAX_PAGE_HOPS} times"
            ))
            .details(json!({ "hops": chain.hops })));
        }
    };
    if !(200..300).contains(&page.status) {
        return Err(Outcome::error(format!(
            "the canonical page {} answered {}: nothing to scan",
            page.url, page.status
        ))
        .details(json!({ "url": page.url, "status": page.status })));
    }
    let base = url::Url::parse(&page.url)
        .map_err(|e| Outcome::error(format!("unusable page URL {}: {e}", page.url)))?;
    let mut found = Found::new(base.clone(), known_secrets(cx));
    let html = page.text();
    found.scan(base.path(), &html, page.truncated);

    let mut queue: VecDeque<url::Url> = VecDeque::new();
    found.enqueue(&mut queue, script_refs(&html));
    let mut fetched = 0;
    while !queue.is_empty() && fetched < MAX_FILES {
        let take = queue.len().min(MAX_FILES - fetched);
        let batch: Vec<url::Url> = queue.drain(..take).collect();
        fetched += batch.len();
        let responses =
            futures::future::join_all(batch.iter().map(|u| net.http.get(u.as_str()))).await;
        for (url, response) in batch.iter().zip(responses) {
            let path = url.path();
            match response {
                Ok(resp) if (200..300).contains(&resp.status) => {
                    let text = resp.text();
                    found.scan(path, &text, resp.truncated);
                    found.scripts_scanned += 1;
                    if path.ends_with("_buildManifest.js") {
                        found.enqueue(&mut queue, chunk_refs(&text));
                    }
                }
                Ok(resp) if resp.is_redirect() => {
                    found.unreadable(path, format!("{} redirect, not followed", resp.status));
                }
                // Not served: nothing there to leak.
                Ok(resp) if matches!(resp.status, 404 | 410) => {
                    found.failed(path, format!("HTTP {}", resp.status))
                }
                Ok(resp) => found.unreadable(path, format!("HTTP {}", resp.status)),
                Err(e) => found.unreadable(path, e.to_string()),
            }
        }
    }
    found.not_fetched = queue.len();
    Ok(found.outcome(page.url.as_str()))
}
