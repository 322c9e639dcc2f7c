//! `http.cors`: each `web.cors_paths` entry on canonical is asked, with a foreign
//! `Origin`, for a preflight (OPTIONS with `Access-Control-Request-Method: POST`) and
//! a GET. Reflecting that Origin in `Access-Control-Allow-Origin`, or `*` together with
//! `Access-Control-Allow-Credentials: true`, is a `fail`.

use serde_json::{Value, json};

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::net::NetFailure;
use crate::net::http::{Request, Response};
use crate::report::Outcome;

pub struct Cors;

/// An origin no site owns (`.invalid` is reserved, RFC 2606).
pub const FOREIGN_ORIGIN: &str = "https://evil.launch-ready.invalid";

const HEADERS: [&str; 4] = [
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "vary",
];

const FIX: &str = "Answer CORS only for an allow-list of your own origins: compare the request's Origin with the list and echo it only on a match; never combine `*` with credentials.";

fn preflight(url: &str) -> Request {
    Request::options(url)
        .header("origin", FOREIGN_ORIGIN)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
}

/// What is wrong with one answer's CORS headers.
pub fn findings(resp: &Response) -> Vec<String> {
    let acao = resp
        .header("access-control-allow-origin")
        .map(str::trim)
        .unwrap_or_default();
    let credentials = resp
        .header("access-control-allow-credentials")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let mut out = Vec::new();
    if acao == "*" && credentials {
        out.push(
            "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true".to_owned(),
        );
    }
    if acao.eq_ignore_ascii_case(FOREIGN_ORIGIN) {
        let with = if credentials { " with credentials" } else { "" };
        out.push(format!(
            "the foreign Origin {FOREIGN_ORIGIN} is reflected{with}"
        ));
    }
    out
}

fn evidence(a: &Result<Response, NetFailure>) -> Value {
    match a {
        Ok(r) => super::header_evidence(r, &HEADERS),
        Err(e) => json!({ "error": e.to_string() }),
    }
}

impl Check for Cors {
    const META: &'static Meta = meta! {
        id: "http.cors",
        title: "CORS does not trust foreign origins",
        severity: Fail,
        needs: "manifest `web.cors_paths`; HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        match super::web(cx) {
            Err(skip) => skip,
            Ok(w) if w.cors_paths.is_empty() => Plan::skip(
                w.canonical.host().to_ascii_lowercase(),
                "no `web.cors_paths` in the manifest",
            ),
            Ok(w) => Plan::Targets(
                w.cors_paths
                    .iter()
                    .filter_map(|p| super::on_canonical(w, p))
                    .collect(),
            ),
        }
    }

    async fn run(&self, cx: &Context, url: &str) -> Checked {
        let net = cx.net()?;
        let get = Request::get(url).header("origin", FOREIGN_ORIGIN);
        let (pre, got) = tokio::join!(net.http.send(preflight(url)), net.http.send(get));
        let details =
            json!({ "origin": FOREIGN_ORIGIN, "preflight": evidence(&pre), "get": evidence(&got) });
        let mut found = Vec::new();
        for (what, answer) in [("preflight", &pre), ("GET", &got)] {
            if let Ok(r) = answer {
                found.extend(findings(r).into_iter().map(|f| format!("{what}: {f}")));
            }
        }
        if !found.is_empty() {
            return Ok(Outcome::fail(format!("{url}: {}", found.join("; ")))
                .details(details)
                .remediation(FIX));
        }
        Ok(match (&pre, &got) {
            (Err(e), _) | (_, Err(e)) => super::unanswered(url, e).details(details),
            // A redirect's CORS headers say nothing about the resource behind it.
            (Ok(r), _) | (_, Ok(r)) if r.is_redirect() => Outcome::error(format!(
                "{url} redirects ({}) to {}: cannot tell what the resource answers a foreign Origin",
                r.status,
                r.header("location").unwrap_or("nowhere")
            ))
            .details(details)
            .remediation("List the final URL (as the browser reaches it) in web.cors_paths."),
            (Ok(p), Ok(g)) => Outcome::pass(format!(
                "{url}: a foreign Origin is not trusted (preflight {}, GET {})",
                p.status, g.status
            ))
            .details(details),
        })
    }
}
