//! `http.health`: `web.health` on canonical answers 2xx, without redirecting, within
//! [`SLOW_MS`]. Not 2xx is a `fail`; slower twice in a row (the second request is
//! warm) is a `warn`; no answer is an `error`.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::webhook::ms;
use crate::meta;
use crate::report::Outcome;

pub struct Health;

/// A health check slower than this is a `warn`: uptime monitors and load balancers
/// commonly time out at 1–2 s, and a health endpoint should not do real work.
pub const SLOW_MS: f64 = 1000.0;

impl Check for Health {
    const META: &'static Meta = meta! {
        id: "http.health",
        title: "The health endpoint answers 2xx, quickly",
        severity: Fail,
        needs: "manifest `web.health`; HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        match super::web(cx) {
            Err(skip) => skip,
            Ok(w) => match w.health.as_deref().and_then(|p| super::on_canonical(w, p)) {
                Some(url) => Plan::Targets(vec![url]),
                None => Plan::skip(
                    w.canonical.host().to_ascii_lowercase(),
                    "no `web.health` in the manifest",
                ),
            },
        }
    }

    async fn run(&self, cx: &Context, url: &str) -> Checked {
        let net = cx.net()?;
        let resp = match net.http.get(url).await {
            Ok(r) => r,
            Err(e) => return Err(super::unanswered(url, &e)),
        };
        let elapsed = ms(resp.elapsed);
        let details = json!({
            "url": url,
            "status": resp.status,
            "location": resp.header("location"),
            "elapsed_ms": elapsed,
            "slow_ms": SLOW_MS,
        });
        if !(200..300).contains(&resp.status) {
            let what = match resp.header("location") {
                Some(loc) if resp.is_redirect() => {
                    format!("redirects ({}) to {loc}", resp.status)
                }
                _ => format!("answers {}", resp.status),
            };
            return Ok(Outcome::fail(format!("{url} {what}, not 2xx"))
                .details(details)
                .remediation("Serve the health endpoint at exactly this path with a 2xx status (and no redirect), or correct `web.health`."));
        }
        if elapsed <= SLOW_MS {
            return Ok(
                Outcome::pass(format!("{url} answered {} in {elapsed:.0} ms", resp.status))
                    .details(details),
            );
        }
        // A serverless function's first request after idle pays its cold start (and a
        // busy runner pays scheduling): judge the warm answer, as monitors that poll
        // every minute see it. Both timings stay in the details.
        // A fresh request: `get` is memoised per audit and would repeat the first.
        let warm = match net.http.send(crate::net::http::Request::get(url)).await {
            Ok(r) if (200..300).contains(&r.status) => Some(ms(r.elapsed)),
            _ => None,
        };
        let mut details = details;
        details["second_elapsed_ms"] = json!(warm);
        match warm {
            Some(second) if second <= SLOW_MS => Ok(Outcome::pass(format!(
                "{url} answered {} in {second:.0} ms (the first request took {elapsed:.0} ms: a cold start?)",
                resp.status
            ))
            .details(details)),
            _ => Ok(Outcome::warn(format!(
                "{url} answered {} in {elapsed:.0} ms (slower than {SLOW_MS:.0} ms, twice)",
                resp.status
            ))
            .details(details)
            .remediation("Keep the health endpoint cheap: no slow queries or external calls on the request path.")),
        }
    }
}
