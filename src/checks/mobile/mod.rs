//! `mobile.*`: the files on the canonical host that let iOS universal links and
//! Android app links open the app instead of the browser.

pub mod aasa;
pub mod assetlinks;

use serde_json::{Value, json};

use crate::checks::Plan;
use crate::context::Context;
use crate::report::Outcome;

/// Both checks look at the canonical host only; without it, or without the app
/// list they need, they are skipped.
pub(crate) fn canonical_plan(cx: &Context, configured: bool, missing: &str) -> Plan {
    match cx.canonical_host() {
        None => Plan::skip("web", "no `web.canonical` in the manifest"),
        Some(_) if !configured => Plan::skip("mobile", missing),
        Some(host) => Plan::Targets(vec![host]),
    }
}

/// GET `https://host{path}` and parse it as JSON. Apple and Google fetch these files
/// without following redirects, so a 3xx is a finding, as are 404 and non-JSON; a
/// fetch that fails is an `error`.
pub(crate) async fn fetch_json(cx: &Context, host: &str, path: &str) -> Result<Value, Outcome> {
    let net = cx.net()?;
    let url = format!("https://{host}{path}");
    let resp = net.http.get(&url).await.map_err(|e| {
        Outcome::error(format!("{url}: {e}"))
            .details(json!({ "url": url, "reason": e.to_string() }))
    })?;
    let details =
        json!({ "url": url, "status": resp.status, "content_type": resp.header("content-type") });
    if resp.is_redirect() {
        let to = resp.header("location").unwrap_or("?").to_owned();
        return Err(Outcome::fail(format!(
            "{path} redirects ({} to {to}); the OS fetches it without following redirects",
            resp.status
        ))
        .details(json!({ "url": url, "status": resp.status, "location": to }))
        .remediation(format!(
            "Serve {path} directly on {host} with status 200, without a redirect."
        )));
    }
    if resp.status == 404 {
        return Err(Outcome::fail(format!("{path} is missing (404)"))
            .details(details)
            .remediation(format!(
                "Publish {path} on {host} (status 200, application/json)."
            )));
    }
    if !(200..300).contains(&resp.status) {
        return Err(
            Outcome::fail(format!("{path} answers HTTP {}", resp.status))
                .details(details)
                .remediation(format!("Serve {path} on {host} with status 200.")),
        );
    }
    if resp.truncated {
        return Err(Outcome::fail(format!("{path} is larger than the size cap"))
            .details(details)
            .remediation("Keep the file small (Apple's limit is 128 KB)."));
    }
    serde_json::from_slice(&resp.body).map_err(|e| {
        Outcome::fail(format!("{path} is not valid JSON ({e})"))
            .details(details)
            .remediation(format!(
                "Serve {path} as plain JSON (no HTML error page, no signature wrapper)."
            ))
    })
}
