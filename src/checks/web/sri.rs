//! `web.sri`: what the canonical page loads from elsewhere. Cross-origin scripts and
//! stylesheets without `integrity` are a `warn` (W3C Subresource Integrity §3: a
//! compromised CDN then runs its code in the page); any subresource over `http:` on
//! an https page is a `fail` (W3C Mixed Content §4: blocked or auto-upgraded by
//! browsers, and readable and rewritable on the way). The markup is read by
//! `crate::headers::html`.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::headers::html;
use crate::meta;
use crate::report::Outcome;

pub struct Sri;

/// At most this many URLs named per finding (the details hold them all).
const SHOWN: usize = 5;

fn shown(list: &[String]) -> String {
    let mut out = list
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if list.len() > SHOWN {
        out.push_str(&format!(" and {} more", list.len() - SHOWN));
    }
    out
}

impl Check for Sri {
    const META: &'static Meta = meta! {
        id: "web.sri",
        title: "Third-party scripts carry integrity, nothing loads over http:",
        severity: Fail,
        needs: "manifest `web.canonical`; HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        crate::checks::http::canonical_plan(cx)
    }

    async fn run(&self, cx: &Context, _host: &str) -> Checked {
        Ok(async move {
            let (url, resp) = match crate::checks::http::canonical_page(cx).await {
                Ok(p) => p,
                Err(o) => return o,
            };
            let Ok(page) = url::Url::parse(&url) else {
                return Outcome::error(format!("{url} is not a URL"));
            };
            let subs = html::subresources(&resp.text());
            let (mut insecure, mut unpinned, mut listed) = (Vec::new(), Vec::new(), Vec::new());
            for sub in &subs {
                let Ok(target) = page.join(&sub.url) else {
                    continue;
                };
                let cross_origin = target.origin() != page.origin();
                if page.scheme() == "https" && target.scheme() == "http" {
                    insecure.push(format!("{} {target}", sub.kind));
                }
                if cross_origin && sub.integrity_applies && sub.integrity.is_none() {
                    unpinned.push(format!("{} {target}", sub.kind));
                }
                listed.push(json!({ "kind": sub.kind, "url": target.as_str(), "cross_origin": cross_origin, "integrity": sub.integrity }));
            }
            let details = json!({ "url": url, "subresources": listed, "mixed_content": insecure,
                "without_integrity": unpinned, "truncated": resp.truncated });
            if !insecure.is_empty() {
                let mut text = format!("{url} loads over plain http: {}", shown(&insecure));
                if !unpinned.is_empty() {
                    text.push_str(&format!(
                        "; cross-origin without integrity: {}",
                        shown(&unpinned)
                    ));
                }
                return Outcome::fail(text)
                    .details(details)
                    .remediation("Load every subresource over https (browsers block or upgrade http: ones on an https page).");
            }
            if !unpinned.is_empty() {
                return Outcome::warn(format!(
                    "{url}: cross-origin without integrity: {}",
                    shown(&unpinned)
                ))
                .details(details)
                .remediation("Add `integrity=\"sha384-…\" crossorigin=\"anonymous\"` to third-party <script> and <link rel=stylesheet> tags (pin a version; `openssl dgst -sha384 -binary file | openssl base64 -A`), or self-host them.");
            }
            Outcome::pass(format!(
                "{url}: {} subresource{}, none over http:, every cross-origin script and stylesheet pinned with integrity",
                subs.len(),
                if subs.len() == 1 { "" } else { "s" }
            ))
            .details(details)
        }
        .await)
    }
}
