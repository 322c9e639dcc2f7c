//! `http.https-redirect`: `GET http://host/` must answer with a redirect to https, and
//! the whole chain, every hop counted, must end on https. Plain HTTP served (200 or
//! anything else that is not a redirect) or a later hop back to `http:` is a `fail`; a
//! first hop that leaves the host (`http://apex → https://www.apex`: the apex never
//! receives HSTS, hstspreload.org's rule) or a temporary redirect (302/303/307) is a
//! `warn`. Port 80 refusing or dropping connections while HTTPS answers is a `pass`
//! with a note: nothing is served in plain text (SPEC §7 "Headers").

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::net::http::ChainEnd;
use crate::net::{Net, NetFailure};
use crate::report::Outcome;

pub struct HttpsRedirect;

/// How far the chain from `http://host/` is followed.
const FOLLOW_LIMIT: usize = 10;

const FIX: &str = "Redirect every plain-HTTP request to https on the same host with a 301 or 308 (on Vercel and Cloudflare: \"Always Use HTTPS\"; nginx: `return 301 https://$host$request_uri;`).";

/// A host that only webhook URLs name (not canonical, an alias or a `web.hosts` entry).
fn webhook_only(cx: &Context, host: &str) -> bool {
    cx.manifest.web.as_ref().is_some_and(|w| {
        !(w.canonical.host().eq_ignore_ascii_case(host)
            || w.aliases.iter().any(|a| a.0 == host)
            || w.hosts.iter().any(|h| h.0 == host))
    })
}

impl Check for HttpsRedirect {
    const META: &'static Meta = meta! {
        id: "http.https-redirect",
        title: "Plain HTTP redirects to HTTPS",
        severity: Fail,
        needs: "manifest `web`; HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        // The browser-facing hosts of `web`; webhook URLs are https by contract
        // (Stripe refuses others) and are never typed into a browser.
        match super::web(cx) {
            Err(skip) => skip,
            Ok(_) => Plan::Targets(
                cx.web_hosts()
                    .into_iter()
                    .filter(|h| !webhook_only(cx, h))
                    .collect(),
            ),
        }
    }

    async fn run(&self, cx: &Context, host: &str) -> Checked {
        Ok(async move {
            let net = match cx.net() {
                Ok(n) => n,
                Err(e) => return e.into(),
            };
            let url = format!("http://{host}/");
            let resp = match net.http.get(&url).await {
                Ok(r) => r,
                Err(e @ (NetFailure::Connect(_) | NetFailure::Timeout(_))) => {
                    return no_plain_http(net, host, &url, &e).await;
                }
                Err(e) => return super::unanswered(&url, &e),
            };
            let location = resp.header("location").map(str::to_owned);
            let details = json!({ "url": url, "status": resp.status, "location": location });
            if !resp.is_redirect() {
                let what = if resp.status == 200 {
                    "serves the site over plain HTTP (200)".to_owned()
                } else {
                    format!(
                        "answers {} over plain HTTP instead of redirecting",
                        resp.status
                    )
                };
                return Outcome::fail(format!("{url} {what}"))
                    .details(details)
                    .remediation(FIX);
            }
            let Some(location) = location else {
                return Outcome::fail(format!(
                    "{url} answers {} without a Location header",
                    resp.status
                ))
                .details(details)
                .remediation(FIX);
            };
            let target = url::Url::parse(&url).and_then(|base| base.join(&location));
            let Ok(target) = target else {
                return Outcome::fail(format!(
                    "{url} redirects to an unparsable Location `{location}`"
                ))
                .details(details)
                .remediation(FIX);
            };
            if target.scheme() != "https" {
                return Outcome::fail(format!(
                    "{url} redirects ({}) not to https: {target}",
                    resp.status
                ))
                .details(details)
                .remediation(FIX);
            }
            // The whole chain, every hop counted: it must stay on https to the end.
            let chain = match net.http.follow(&url, FOLLOW_LIMIT).await {
                Ok(c) => c,
                Err(e) => return super::unanswered(&url, &e),
            };
            let line = super::chain_line(&chain);
            let details = super::chain_details(&url, &chain);
            if let Some(back) = chain
                .hops
                .iter()
                .skip(1)
                .find(|h| h.url.starts_with("http:"))
            {
                return Outcome::fail(format!(
                    "{url}: a later hop returns to plain HTTP ({}): {line}",
                    back.url
                ))
                .details(details)
                .remediation(FIX);
            }
            match &chain.end {
                ChainEnd::Loop(_) => {
                    return Outcome::fail(format!("{url}: redirect loop: {line}"))
                        .details(details)
                        .remediation(FIX);
                }
                ChainEnd::TooManyHops => {
                    return Outcome::fail(format!(
                        "{url}: more than {FOLLOW_LIMIT} redirects: {line}"
                    ))
                    .details(details)
                    .remediation(FIX);
                }
                ChainEnd::Final(_) => {}
            }
            let to_host = target.host_str().unwrap_or_default().to_ascii_lowercase();
            let hops = super::redirects(&chain);
            if to_host != host {
                // hstspreload.org: the first redirect must stay on the host, or the
                // host itself never receives HSTS and stays open to SSL stripping.
                return Outcome::warn(format!(
                    "{url} redirects straight to another host ({target}): redirect to https://{host}/ first, so {host} receives HSTS ({hops} redirect{})",
                    if hops == 1 { "" } else { "s" }
                ))
                .details(details)
                .remediation("First redirect http://host/ to https://host/ (same host), then to the canonical origin from https; this is what the HSTS preload list requires.");
            }
            if !matches!(resp.status, 301 | 308) {
                return Outcome::warn(format!(
                    "{url} redirects to {target} with a temporary {}: use 301 or 308",
                    resp.status
                ))
                .details(details)
                .remediation("Make the http → https redirect permanent (301 or 308) so browsers and search engines stop asking over plain HTTP.");
            }
            Outcome::pass(format!(
                "{url} redirects permanently ({}) to {target}, ending on https after {hops} redirect{}",
                resp.status,
                if hops == 1 { "" } else { "s" }
            ))
            .details(details)
        }
        .await)
    }
}

/// Port 80 refuses or drops the connection. Nothing is served in plain text — a
/// definite state, not an error — as long as HTTPS answers (SPEC §7 "Headers").
async fn no_plain_http(net: &Net, host: &str, url: &str, e: &NetFailure) -> Outcome {
    let https = format!("https://{host}/");
    match net.http.get(&https).await {
        Ok(r) => Outcome::pass(format!(
            "{url}: nothing is served over plain HTTP ({e}); {https} answers {}",
            r.status
        ))
        .details(json!({ "url": url, "plain_http": e.to_string(), "kind": e.kind(), "https": https, "https_status": r.status,
            "note": "port 80 refuses or drops connections: browsers typing the bare name fail instead of reaching https (HSTS preload fixes that)" })),
        Err(https_err) => super::unanswered(url, e).details(json!({
            "url": url, "error": e.to_string(), "kind": e.kind(), "https": https, "https_error": https_err.to_string()
        })),
    }
}
