//! `http.https-redirect`: `GET http://host/` must answer with a redirect to https on the
//! same host or the canonical one. Plain HTTP served (200 or anything else that is not
//! a redirect) is a `fail`; a temporary redirect (302/303/307) is a `warn`, because
//! browsers and search engines keep asking over plain HTTP.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct HttpsRedirect;

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
        let net = cx.net()?;
        let url = format!("http://{host}/");
        let resp = match net.http.get(&url).await {
            Ok(r) => r,
            Err(e) => return Err(super::unanswered(&url, &e)),
        };
        let location: Option<String> = resp.header("location").map(str::to_owned);
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
            return Ok(Outcome::fail(format!("{url} {what}"))
                .details(details)
                .remediation(FIX));
        }
        let Some(location) = location else {
            return Ok(Outcome::fail(format!(
                "{url} answers {} without a Location header",
                resp.status
            ))
            .details(details)
            .remediation(FIX));
        };
        let target = url::Url::parse(&url).and_then(|base| base.join(&location));
        let Ok(target) = target else {
            return Ok(Outcome::fail(format!(
                "{url} redirects to an unparsable Location `{location}`"
            ))
            .details(details)
            .remediation(FIX));
        };
        let to_host = target.host_str().unwrap_or_default().to_ascii_lowercase();
        let allowed = to_host == host || Some(to_host.clone()) == cx.canonical_host();
        if target.scheme() != "https" || !allowed {
            let why = if target.scheme() != "https" {
                "not to https"
            } else {
                "to a host that is neither this one nor the canonical one"
            };
            return Ok(
                Outcome::fail(format!("{url} redirects ({}) {why}: {target}", resp.status))
                    .details(details)
                    .remediation(FIX),
            );
        }
        Ok(if matches!(resp.status, 301 | 308) {
            Outcome::pass(format!(
                "{url} redirects permanently ({}) to {target}",
                resp.status
            ))
            .details(details)
        } else {
            Outcome::warn(format!(
                "{url} redirects to {target} with a temporary {}: use 301 or 308",
                resp.status
            ))
            .details(details)
            .remediation("Make the http → https redirect permanent (301 or 308) so browsers and search engines stop asking over plain HTTP.")
        })
    }
}
