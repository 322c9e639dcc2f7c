//! `http.cors`: each `web.cors_paths` entry on canonical is asked, with a foreign
//! `Origin`, for a preflight (OPTIONS with `Access-Control-Request-Method: POST`) and
//! a GET, and for a preflight with `Origin: null`. Judged by the Fetch CORS check
//! (`crate::headers::cors`) at the levels of SPEC §7 "Headers": a foreign or `null`
//! Origin reflected with `Access-Control-Allow-Credentials: true` is a `fail`; a
//! reflection without credentials, `*` with credentials (browsers refuse it) and `*`
//! alone are `warn`.

use serde_json::{Value, json};

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::headers::cors::Cors as Verdict;
use crate::headers::{self, cors};
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

/// The `Origin` of a sandboxed iframe, a `data:` page or a redirect chain: sites that
/// allow-list `null` hand their users' data to any of those (Fetch §3.2.5).
pub const NULL_ORIGIN: &str = "null";

fn preflight(url: &str, origin: &str) -> Request {
    Request::options(url)
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
}

/// How one answer treats the Origin it was asked with (`crate::headers::cors`).
pub fn judge(origin: &str, resp: &Response) -> Verdict {
    cors::judge(
        origin,
        &headers::lines(&resp.headers, "access-control-allow-origin"),
        &headers::lines(&resp.headers, "access-control-allow-credentials"),
    )
}

fn describe(origin: &str, verdict: &Verdict) -> String {
    match verdict {
        Verdict::Reflected { credentials: true } => {
            format!("the Origin `{origin}` is reflected with Access-Control-Allow-Credentials: true (any such page reads signed-in users' data)")
        }
        Verdict::Reflected { credentials: false } => {
            format!("the Origin `{origin}` is reflected (without credentials: no worse than `*`)")
        }
        Verdict::WildcardWithCredentials => "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true (browsers refuse it: a broken configuration)".to_owned(),
        Verdict::Wildcard => "Access-Control-Allow-Origin: * (any site reads it, without cookies)".to_owned(),
        Verdict::NotTrusted | Verdict::Invalid { .. } => String::new(),
    }
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
        Ok(async move {
            let net = match cx.net() {
                Ok(n) => n,
                Err(e) => return e.into(),
            };
            let get = Request::get(url).header("origin", FOREIGN_ORIGIN);
            let (pre, got, null_pre) = tokio::join!(
                net.http.send(preflight(url, FOREIGN_ORIGIN)),
                net.http.send(get),
                net.http.send(preflight(url, NULL_ORIGIN))
            );
            let details = json!({ "origin": FOREIGN_ORIGIN, "preflight": evidence(&pre), "get": evidence(&got), "null_preflight": evidence(&null_pre) });
            let (mut fails, mut warns) = (Vec::new(), Vec::new());
            let asked = [
                ("preflight", FOREIGN_ORIGIN, &pre),
                ("GET", FOREIGN_ORIGIN, &got),
                ("preflight", NULL_ORIGIN, &null_pre),
            ];
            for (what, origin, answer) in asked {
                let Ok(r) = answer else { continue };
                let verdict = judge(origin, r);
                let line = format!("{what}: {}", describe(origin, &verdict));
                if verdict.is_fail() {
                    fails.push(line);
                } else if verdict.is_warn() && !warns.contains(&line) {
                    warns.push(line);
                }
            }
            if !fails.is_empty() {
                return Outcome::fail(format!("{url}: {}", fails.join("; ")))
                    .details(details)
                    .remediation(FIX);
            }
            match (&pre, &got) {
                (Err(e), _) | (_, Err(e)) => super::unanswered(url, e).details(details),
                _ if let Err(e) = &null_pre => super::unanswered(url, e).details(details),
                _ if !warns.is_empty() => Outcome::warn(format!("{url}: {}", warns.join("; ")))
                    .details(details)
                    .remediation(FIX),
                // A redirect's CORS headers say nothing about the resource behind it.
                (Ok(r), _) | (_, Ok(r)) if r.is_redirect() => Outcome::error(format!(
                    "{url} redirects ({}) to {}: cannot tell what the resource answers a foreign Origin",
                    r.status,
                    r.header("location").unwrap_or("nowhere")
                ))
                .details(details)
                .remediation("List the final URL (as the browser reaches it) in web.cors_paths."),
                (Ok(p), Ok(g)) => Outcome::pass(format!(
                    "{url}: neither a foreign Origin nor `null` is trusted (preflight {}, GET {})",
                    p.status, g.status
                ))
                .details(details),
            }
        }
        .await)
    }
}
