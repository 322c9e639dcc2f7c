//! `http.health`: `web.health` on canonical answers 2xx, without redirecting, within
//! [`SLOW_MS`]. Not 2xx is a `fail`; slower is a `warn`; no answer is an `error`.

use serde_json::json;

use crate::checks::webhook::probe::ms;
use crate::checks::{BoxFuture, Check, Meta, Plan, Severity};
use crate::context::Context;
use crate::report::Outcome;

pub struct Health;

static META: Meta = Meta {
    id: "http.health",
    title: "The health endpoint answers 2xx, quickly",
    severity: Severity::Fail,
    needs: "manifest `web.health`; HTTP",
    network: true,
    active: false,
    doc: include_str!("../../../checks/http.health.md"),
};

/// A health check slower than this is a `warn`: uptime monitors and load balancers
/// commonly time out at 1–2 s, and a health endpoint should not do real work.
pub const SLOW_MS: f64 = 1000.0;

impl Check for Health {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn plan(&self, cx: &Context) -> Plan {
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

    fn run<'a>(&'a self, cx: &'a Context, url: &'a str) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let net = match cx.net() {
                Ok(n) => n,
                Err(e) => return Outcome::error(e),
            };
            let resp = match net.http.get(url).await {
                Ok(r) => r,
                Err(e) => return super::unanswered(url, &e),
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
                return Outcome::fail(format!("{url} {what}, not 2xx"))
                    .details(details)
                    .remediation("Serve the health endpoint at exactly this path with a 2xx status (and no redirect), or correct `web.health`.");
            }
            if elapsed > SLOW_MS {
                return Outcome::warn(format!(
                    "{url} answered {} in {elapsed:.0} ms (slower than {SLOW_MS:.0} ms)",
                    resp.status
                ))
                .details(details)
                .remediation("Keep the health endpoint cheap: no slow queries or external calls on the request path.");
            }
            Outcome::pass(format!("{url} answered {} in {elapsed:.0} ms", resp.status))
                .details(details)
        })
    }
}
