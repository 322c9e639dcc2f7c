//! `http.canonical`: each alias redirects to the canonical origin, keeping the path and
//! the query, in at most two hops. Followed by hand from
//! `https://alias/launch-ready-probe?lr=1`, so a redirect that only sends everything to
//! the home page, or drops the query (and with it UTM tags and magic links), shows.

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::net::http::ChainEnd;
use crate::report::Outcome;

pub struct Canonical;

pub const PROBE_PATH: &str = "/launch-ready-probe";
pub const PROBE_QUERY: &str = "lr=1";
/// More redirects than this is a `fail` (each costs a round trip and link equity).
pub const MAX_HOPS: usize = 2;
/// How far the chain is followed for evidence before giving up.
const FOLLOW_LIMIT: usize = 10;

const FIX: &str = "Redirect every alias with one 301/308 straight to the canonical origin, keeping path and query (Vercel: add the alias as a redirecting domain; nginx: `return 301 https://www.example.com$request_uri;`).";

impl Check for Canonical {
    const META: &'static Meta = meta! {
        id: "http.canonical",
        title: "Aliases redirect to the canonical origin, keeping path and query",
        severity: Fail,
        needs: "manifest `web.aliases`; HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        match super::web(cx) {
            Err(skip) => skip,
            Ok(w) if w.aliases.is_empty() => Plan::skip(
                w.canonical.host().to_ascii_lowercase(),
                "no `web.aliases` in the manifest",
            ),
            Ok(w) => Plan::Targets(w.aliases.iter().map(|a| a.0.clone()).collect()),
        }
    }

    async fn run(&self, cx: &Context, alias: &str) -> Checked {
        let net = cx.net()?;
        let Some(web) = cx.manifest.web.as_ref() else {
            return Err(Outcome::skip("no `web` section in the manifest"));
        };
        let start = format!("https://{alias}{PROBE_PATH}?{PROBE_QUERY}");
        let chain = match net.http.follow(&start, FOLLOW_LIMIT).await {
            Ok(c) => c,
            Err(e) => return Err(super::unanswered(&start, &e)),
        };
        let line = super::chain_line(&chain);
        let details = super::chain_details(&start, &chain);
        let fail = |why: String| {
            Outcome::fail(format!("{alias}: {why}: {line}"))
                .details(details.clone())
                .remediation(FIX)
        };
        let end = match &chain.end {
            ChainEnd::Loop(_) => return Err(fail("redirect loop".into())),
            ChainEnd::TooManyHops => {
                return Err(fail(format!("more than {FOLLOW_LIMIT} redirects")));
            }
            ChainEnd::Final(resp) => resp,
        };
        let Ok(end_url) = url::Url::parse(&end.url) else {
            return Err(fail("the chain ends at an unparsable URL".into()));
        };
        let hops = super::redirects(&chain);
        if hops == 0 {
            return Err(fail(format!(
                "serves the site itself ({}) instead of redirecting",
                end.status
            )));
        }
        let canonical = &web.canonical.0;
        if end_url.origin() != canonical.origin() {
            return Err(fail(format!(
                "ends at {} instead of the canonical origin {}",
                end_url.origin().ascii_serialization(),
                canonical.origin().ascii_serialization()
            )));
        }
        let path_kept = end_url.path().trim_end_matches('/') == PROBE_PATH;
        let query_kept = end_url.query_pairs().any(|(k, v)| k == "lr" && v == "1");
        match (path_kept, query_kept) {
            (false, false) => return Err(fail("the path and the query are dropped".into())),
            (false, true) => return Err(fail("the path is dropped".into())),
            (true, false) => return Err(fail("the query is dropped".into())),
            (true, true) => {}
        }
        if hops > MAX_HOPS {
            return Err(fail(format!("{hops} redirects (at most {MAX_HOPS})")));
        }
        Ok(Outcome::pass(format!(
            "{alias} redirects to the canonical origin in {hops} hop{}, keeping path and query",
            if hops == 1 { "" } else { "s" }
        ))
        .details(details))
    }
}
