//! `http.cache`: private routes (each `web.private_paths` prefix on canonical, each
//! webhook URL) must not be served from or marked for a shared cache. Each URL is
//! fetched twice with GET (never POST: the webhook checks already do): a CDN often
//! answers the first request as a MISS and stores it, and the second as a HIT. Any
//! status is judged — a 404 or 405 still carries the caching headers that matter.

use serde_json::{Value, json};

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::net::http::{Chain, ChainEnd, Request, Response};
use crate::report::Outcome;

pub struct Cache;

const HEADERS: [&str; 6] = [
    "cache-control",
    "age",
    "cf-cache-status",
    "x-vercel-cache",
    "x-cache",
    "cdn-cache-control",
];

const FIX: &str = "Mark private routes `Cache-Control: private, no-store` and exclude them from CDN caching (Cloudflare: a Cache Rule \"Bypass cache\" for /api/*; Vercel: no `s-maxage` on API routes; Next.js: `export const dynamic = 'force-dynamic'`).";

/// Why a response was (or may be) served from a shared cache.
pub fn cache_signs(resp: &Response) -> Vec<String> {
    let mut signs = Vec::new();
    // Each value of a (possibly repeated) header, upper-cased.
    let values = |n: &str| -> Vec<String> {
        resp.header_joined(n)
            .map(|v| {
                v.split(',')
                    .map(|t| t.trim().to_ascii_uppercase())
                    .collect()
            })
            .unwrap_or_default()
    };
    for v in values("cf-cache-status") {
        if matches!(v.as_str(), "HIT" | "STALE" | "UPDATING" | "REVALIDATED") {
            signs.push(format!("cf-cache-status: {v}"));
        }
    }
    for v in values("x-vercel-cache") {
        if matches!(v.as_str(), "HIT" | "STALE" | "PRERENDER") {
            signs.push(format!("x-vercel-cache: {v}"));
        }
    }
    for v in values("x-cache") {
        if v.starts_with("HIT") {
            signs.push(format!("x-cache: {v}"));
        }
    }
    if let Some(v) = resp.header_joined("age") {
        signs.push(format!("Age: {} (answered from a cache)", v.trim()));
    }
    for name in ["cache-control", "cdn-cache-control"] {
        let Some(cc) = resp.header_joined(name) else {
            continue;
        };
        let cc = cc.as_str();
        let lower = cc.to_ascii_lowercase();
        let directives: Vec<&str> = lower.split(',').map(str::trim).collect();
        if directives.contains(&"public") {
            signs.push(format!("{name}: {cc} (public)"));
        } else if directives.iter().any(|d| d.starts_with("s-maxage")) {
            signs.push(format!("{name}: {cc} (s-maxage)"));
        }
    }
    signs
}

/// The URLs to examine: private prefixes on canonical, then webhook URLs.
fn targets(cx: &Context) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    if let Some(web) = &cx.manifest.web {
        urls.extend(
            web.private_paths
                .iter()
                .filter_map(|p| super::on_canonical(web, p)),
        );
    }
    urls.extend(
        cx.manifest
            .webhooks
            .iter()
            .map(|w| w.url.as_str().to_owned()),
    );
    let mut seen = std::collections::HashSet::new();
    urls.retain(|u| seen.insert(u.clone()));
    urls
}

fn evidence(resp: &Response) -> Value {
    super::header_evidence(resp, &HEADERS)
}

impl Check for Cache {
    const META: &'static Meta = meta! {
        id: "http.cache",
        title: "Private routes are never cached",
        severity: Fail,
        needs: "manifest `web.private_paths` or `webhooks`; HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        let urls = targets(cx);
        if urls.is_empty() {
            Plan::skip(
                "web",
                "no `web.private_paths` or `webhooks` in the manifest",
            )
        } else {
            Plan::Targets(urls)
        }
    }

    async fn run(&self, cx: &Context, url: &str) -> Checked {
        let net = cx.net()?;
        let mut first = match net.http.get(url).await {
            Ok(r) => r,
            Err(e) => return Err(super::unanswered(url, &e)),
        };
        // A redirect (`/api` → `/api/`) is judged, and then what it leads to: the
        // cached response a visitor gets is the one at the end.
        let mut signs = Vec::new();
        let mut judged = url.to_owned();
        if first.is_redirect() {
            signs.extend(
                cache_signs(&first)
                    .into_iter()
                    .map(|s| format!("{s} on the redirect")),
            );
            match net.http.follow(url, 5).await {
                Ok(Chain {
                    end: ChainEnd::Final(last),
                    ..
                }) => {
                    judged = last.url.clone();
                    first = last;
                }
                Ok(chain) => {
                    return Err(Outcome::error(format!(
                        "{url}: the redirect chain does not end (after {} hops): cannot tell what is cached",
                        chain.hops.len()
                    ))
                    .details(json!({ "hops": chain.hops })));
                }
                Err(e) => return Err(super::unanswered(url, &e)),
            }
        }
        // Sent after the first has been answered, so a cache has had its chance to store it.
        let second = match net
            .http
            .send(Request::get(judged.as_str()).header("accept", "*/*"))
            .await
        {
            Ok(r) => r,
            Err(e) => return Err(super::unanswered(url, &e)),
        };
        signs.extend(cache_signs(&first));
        for s in cache_signs(&second) {
            if !signs.contains(&s) {
                signs.push(format!("{s} on the second request"));
            }
        }
        let details = json!({
            "judged_url": judged,
            "first": evidence(&first),
            "second": evidence(&second),
            "cache_signs": signs,
        });
        Ok(if signs.is_empty() {
            Outcome::pass(format!(
                "{url} ({}): no cache hit and no shared-cache directive, twice",
                first.status
            ))
            .details(details)
        } else {
            Outcome::fail(format!(
                "{url} is cacheable or cached: {}",
                signs.join("; ")
            ))
            .details(details)
            .remediation(FIX)
        })
    }
}
