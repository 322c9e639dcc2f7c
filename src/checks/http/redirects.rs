//! `http.redirects`: each explicit rule of `web.redirects` is honoured — following
//! `from` by hand ends exactly at `to` within [`MAX_HOPS`] redirects.

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::net::http::ChainEnd;
use crate::report::Outcome;

pub struct Redirects;

/// Redirects a rule may take (e.g. http → https → www → the new path is three).
pub const MAX_HOPS: usize = 5;

const SEP: &str = " → ";

fn target(from: &str, to: &str) -> String {
    format!("{from}{SEP}{to}")
}

impl Check for Redirects {
    const META: &'static Meta = meta! {
        id: "http.redirects",
        title: "Explicit redirect rules are honoured",
        severity: Fail,
        needs: "manifest `web.redirects`; HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        match super::web(cx) {
            Err(skip) => skip,
            Ok(w) if w.redirects.is_empty() => Plan::skip(
                w.canonical.host().to_ascii_lowercase(),
                "no `web.redirects` rules in the manifest",
            ),
            Ok(w) => Plan::Targets(
                w.redirects
                    .iter()
                    .map(|r| target(r.from.as_str(), r.to.as_str()))
                    .collect(),
            ),
        }
    }

    async fn run(&self, cx: &Context, rule: &str) -> Checked {
        let net = cx.net()?;
        let Some(found) = cx.manifest.web.as_ref().and_then(|w| {
            w.redirects
                .iter()
                .find(|r| target(r.from.as_str(), r.to.as_str()) == rule)
        }) else {
            return Err(Outcome::error(format!(
                "no redirect rule `{rule}` in the manifest"
            )));
        };
        let (from, to) = (found.from.as_str(), &found.to.0);
        let chain = match net.http.follow(from, MAX_HOPS).await {
            Ok(c) => c,
            Err(e) => return Err(super::unanswered(from, &e)),
        };
        let line = super::chain_line(&chain);
        let details = super::chain_details(from, &chain);
        let fail = |why: String| {
            Outcome::fail(format!("{from}: {why}: {line}"))
                .details(details.clone())
                .remediation(format!(
                    "Add (or fix) a permanent redirect from {from} to {to}, in at most {MAX_HOPS} hops."
                ))
        };
        let end = match &chain.end {
            ChainEnd::Loop(_) => return Err(fail("redirect loop".into())),
            ChainEnd::TooManyHops => {
                return Err(fail(format!("more than {MAX_HOPS} redirects")));
            }
            ChainEnd::Final(resp) => resp,
        };
        let ends_at = url::Url::parse(&end.url).ok();
        if ends_at.as_ref() != Some(to) {
            return Err(fail(format!("ends at {} instead of {to}", end.url)));
        }
        let hops = super::redirects(&chain);
        Ok(if (200..300).contains(&end.status) {
            Outcome::pass(format!(
                "{from} ends at {to} ({}) after {hops} redirect(s)",
                end.status
            ))
            .details(details)
        } else {
            Outcome::warn(format!(
                "{from} ends at {to} as the rule says, but {to} answers {}",
                end.status
            ))
            .details(details)
            .remediation(format!("The redirect works; make {to} itself answer 2xx."))
        })
    }
}
