//! Comparing the manifest's webhook URL with the URLs registered in Stripe. Stripe
//! posts to exactly the registered URL and follows no redirect, so "almost the same"
//! (apex vs www, a trailing slash, http vs https, path case) is a broken webhook —
//! and worth naming, because it is the usual cause.

use serde_json::{Value, json};
use url::Url;

use crate::evidence::stripe::WebhookEndpoint;

/// The endpoints registered for the manifest's URL, or almost.
pub(crate) struct Matches<'a> {
    pub exact: Vec<&'a WebhookEndpoint>,
    pub near: Vec<(&'a WebhookEndpoint, Vec<String>)>,
}

impl Matches<'_> {
    pub(crate) fn near_json(&self) -> Value {
        Value::Array(
            self.near
                .iter()
                .map(|(e, diffs)| {
                    json!({ "id": e.id, "url": e.url, "status": e.status, "differences": diffs })
                })
                .collect(),
        )
    }
}

pub(crate) fn find<'a>(want: &Url, endpoints: &'a [WebhookEndpoint]) -> Matches<'a> {
    let mut matches = Matches {
        exact: Vec::new(),
        near: Vec::new(),
    };
    for endpoint in endpoints {
        // Parsing normalises what Stripe and HTTP ignore: scheme and host case, the
        // default port, an empty path. Everything else must be equal.
        let Ok(have) = Url::parse(endpoint.url.trim()) else {
            continue;
        };
        if have == *want {
            matches.exact.push(endpoint);
        } else if let Some(diffs) = differences(want, &have) {
            matches.near.push((endpoint, diffs));
        }
    }
    matches
}

/// How `have` differs from `want`, when it is a near miss; `None` when it is another
/// URL altogether.
fn differences(want: &Url, have: &Url) -> Option<Vec<String>> {
    let mut diffs = Vec::new();
    if want.scheme() != have.scheme() {
        diffs.push(format!(
            "{}:// instead of {}://",
            have.scheme(),
            want.scheme()
        ));
    }
    let (wh, hh) = (want.host_str()?, have.host_str()?);
    if wh != hh {
        if wh.trim_start_matches("www.") != hh.trim_start_matches("www.") {
            return None;
        }
        let which = if hh.starts_with("www.") {
            "www"
        } else {
            "apex"
        };
        diffs.push(format!("{which} host {hh} instead of {wh}"));
    }
    if want.port_or_known_default() != have.port_or_known_default()
        && want.scheme() == have.scheme()
    {
        diffs.push(format!(
            "port {} instead of {}",
            have.port_or_known_default().unwrap_or(0),
            want.port_or_known_default().unwrap_or(0)
        ));
    }
    let (wp, hp) = (want.path(), have.path());
    if wp.ends_with('/') != hp.ends_with('/') && wp != "/" && hp != "/" {
        diffs.push(if hp.ends_with('/') {
            "trailing slash added".to_owned()
        } else {
            "trailing slash missing".to_owned()
        });
    }
    let (wt, ht) = (wp.trim_end_matches('/'), hp.trim_end_matches('/'));
    if wt != ht {
        if !wt.eq_ignore_ascii_case(ht) {
            return None;
        }
        diffs.push(format!("path {hp} differs in letter case from {wp}"));
    }
    if want.query() != have.query() {
        diffs.push("query string differs".to_owned());
    }
    (!diffs.is_empty()).then_some(diffs)
}

#[cfg(test)]
mod tests {
    use super::differences;
    use url::Url;

    fn diff(want: &str, have: &str) -> Option<Vec<String>> {
        differences(&Url::parse(want).unwrap(), &Url::parse(have).unwrap())
    }

    #[test]
    fn names_each_near_miss() {
        let want = "https://www.acme.app/api/webhooks/stripe";
        assert_eq!(
            diff(want, "https://acme.app/api/webhooks/stripe").unwrap(),
            ["apex host acme.app instead of www.acme.app"]
        );
        assert_eq!(
            diff(want, "https://www.acme.app/api/webhooks/stripe/").unwrap(),
            ["trailing slash added"]
        );
        assert_eq!(
            diff(want, "http://www.acme.app/api/webhooks/stripe").unwrap(),
            ["http:// instead of https://"]
        );
        assert_eq!(
            diff(want, "https://www.acme.app/api/webhooks/Stripe").unwrap(),
            ["path /api/webhooks/Stripe differs in letter case from /api/webhooks/stripe"]
        );
        assert!(diff(want, "https://www.other.app/api/webhooks/stripe").is_none());
        assert!(diff(want, "https://www.acme.app/api/stripe").is_none());
    }
}
