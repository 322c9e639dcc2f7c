//! `http.cookies`: every `Set-Cookie` the canonical page and each `web.cookie_paths`
//! page send (every hop of their redirects included: browsers store cookies set on a
//! 3xx), judged by RFC 6265bis as `crate::headers::cookies` reads it. Levels (SPEC §7
//! "Levels where a row gives none"): no `Secure` on https, `SameSite=None` without
//! `Secure` and a broken `__Host-`/`__Secure-` prefix are `fail`; a session cookie
//! without `HttpOnly` and a missing or invalid `SameSite` are `warn`. Cookie values
//! never appear in the output.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::headers::cookies;
use crate::headers::csp_grade::Level;
use crate::meta;
use crate::net::http::ChainEnd;
use crate::report::Outcome;

pub struct Cookies;

const FIX: &str = "Set session cookies as `Set-Cookie: __Host-session=…; Path=/; Secure; HttpOnly; SameSite=Lax` (Next.js `cookies().set(name, value, { secure: true, httpOnly: true, sameSite: 'lax', path: '/' })`).";

/// How far a cookie page's redirects are followed.
const FOLLOW_LIMIT: usize = 5;

impl Check for Cookies {
    const META: &'static Meta = meta! {
        id: "http.cookies",
        title: "Cookies are Secure, HttpOnly where they carry a session, and SameSite",
        severity: Fail,
        needs: "manifest `web.canonical` (and `web.cookie_paths`); HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        match super::web(cx) {
            Err(skip) => skip,
            Ok(w) => {
                let mut targets = vec![w.canonical.as_str().to_owned()];
                for path in &w.cookie_paths {
                    if let Some(url) = super::on_canonical(w, path)
                        && !targets.contains(&url)
                    {
                        targets.push(url);
                    }
                }
                Plan::Targets(targets)
            }
        }
    }

    async fn run(&self, cx: &Context, url: &str) -> Checked {
        Ok(async move {
            let net = match cx.net() {
                Ok(n) => n,
                Err(e) => return e.into(),
            };
            let chain = match net.http.follow(url, FOLLOW_LIMIT).await {
                Ok(c) => c,
                Err(e) => return super::unanswered(url, &e),
            };
            if !matches!(chain.end, ChainEnd::Final(_)) {
                return Outcome::error(format!(
                    "{url}: cannot tell which cookies the page sets: {}",
                    super::chain_line(&chain)
                ))
                .details(json!({ "hops": chain.hops }));
            }
            let mut seen = Vec::new();
            let (mut fails, mut warns) = (Vec::new(), Vec::new());
            for hop in &chain.hops {
                // Every hop is already memoised by `follow`: no new request.
                let resp = match net.http.get(&hop.url).await {
                    Ok(r) => r,
                    Err(e) => return super::unanswered(&hop.url, &e),
                };
                let https = hop.url.starts_with("https://");
                for line in crate::headers::lines(&resp.headers, "set-cookie") {
                    let c = cookies::parse(line);
                    for (level, text) in cookies::findings(&c, https) {
                        let list = if level == Level::Fail {
                            &mut fails
                        } else {
                            &mut warns
                        };
                        if !list.contains(&text) {
                            list.push(text);
                        }
                    }
                    seen.push(json!({ "url": hop.url, "name": c.name, "secure": c.secure, "http_only": c.http_only,
                        "same_site": c.same_site, "domain": c.domain, "path": c.path, "deletes": c.deletes,
                        "rejected_by_browsers": cookies::rejected(&c) }));
                }
            }
            let details = json!({ "cookies": seen, "hops": chain.hops });
            if seen.is_empty() {
                return Outcome::pass(format!("{url} sets no cookies")).details(details);
            }
            if !fails.is_empty() {
                let mut all = fails;
                all.extend(warns);
                return Outcome::fail(format!("{url}: {}", all.join("; ")))
                    .details(details)
                    .remediation(FIX);
            }
            if !warns.is_empty() {
                return Outcome::warn(format!("{url}: {}", warns.join("; ")))
                    .details(details)
                    .remediation(FIX);
            }
            Outcome::pass(format!(
                "{url}: {} cookie{} Secure, SameSite, HttpOnly where they carry a session",
                seen.len(),
                if seen.len() == 1 { " is" } else { "s are" }
            ))
            .details(details)
        }
        .await)
    }
}
