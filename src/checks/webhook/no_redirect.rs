//! `webhook.no-redirect`: Stripe does not follow redirects — a 3xx is a failed
//! delivery, retried until the endpoint is disabled. The classic cause is a webhook
//! URL on the apex when the site redirects apex → www (or http → https, or a
//! trailing-slash rule).

use serde_json::json;

use super::probe::{self, Attempt};
use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::meta;
use crate::report::Outcome;

pub struct NoRedirect;

/// What kind of redirect `from` → `to` is, in the words people use for it.
fn kind(from: &url::Url, to: &url::Url) -> &'static str {
    let (fh, th) = (from.host_str().unwrap_or(""), to.host_str().unwrap_or(""));
    if th == format!("www.{fh}") {
        "apex → www"
    } else if fh == format!("www.{th}") {
        "www → apex"
    } else if fh != th {
        "to another host"
    } else if from.scheme() != to.scheme() {
        "http → https"
    } else if to.path() == format!("{}/", from.path()) || from.path() == format!("{}/", to.path()) {
        "trailing slash"
    } else {
        "to another path"
    }
}

fn redirect_of(a: &Attempt) -> Option<(u16, Option<String>)> {
    match a {
        Ok(r) if r.is_redirect() => Some((r.status, r.header("location").map(str::to_owned))),
        _ => None,
    }
}

impl Check for NoRedirect {
    const META: &'static Meta = meta! {
        id: "webhook.no-redirect",
        title: "Webhook endpoints answer without redirecting",
        severity: Fail,
        needs: "manifest `webhooks`; HTTP",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::plan(cx)
    }

    async fn run(&self, cx: &Context, name: &str) -> Checked {
        let probes = cx.get(super::probe::PassiveProbes(name.to_owned())).await?;
        let hook = super::probe::webhook(cx, name)?;
        let url = hook.url.as_str();
        let details = json!({ "url": url, "probes": probe::passive_details(&probes) });
        let redirect = redirect_of(&probes.unsigned).or_else(|| redirect_of(&probes.bad_signature));
        if let Some((status, location)) = redirect {
            let Some(location) = location else {
                return Ok(Outcome::fail(format!("{url} answered {status} (a redirect without Location): Stripe counts it as a failed delivery"))
                    .details(details)
                    .remediation("Serve the webhook handler at this URL with no redirect in front of it."));
            };
            let target = hook.url.0.join(&location).ok();
            let shown = target.as_ref().map_or(location.clone(), |t| t.to_string());
            let what = target
                .as_ref()
                .map_or("to an unparsable Location", |t| kind(&hook.url.0, t));
            return Ok(Outcome::fail(format!(
                "{url} redirects ({status}, {what}) to {shown}: Stripe does not follow redirects, so every delivery fails"
            ))
            .details(json!({ "url": url, "status": status, "location": location, "redirect": what, "probes": probe::passive_details(&probes) }))
            .remediation(format!(
                "Set the endpoint URL in the Stripe dashboard (and in the manifest) to the final URL, {shown} — or serve the handler at {url} without a redirect."
            )));
        }
        Ok(match (&probes.unsigned, &probes.bad_signature) {
            (Err(a), Err(_)) => super::unanswered(format!("{url}: could not probe: {a}"), details),
            (Ok(r), _) | (_, Ok(r)) => {
                Outcome::pass(format!("{url} answered {} without redirecting", r.status))
                    .details(details)
            }
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::kind;

    fn k(from: &str, to: &str) -> &'static str {
        kind(
            &url::Url::parse(from).unwrap(),
            &url::Url::parse(to).unwrap(),
        )
    }

    #[test]
    fn names_the_usual_redirects() {
        assert_eq!(
            k("https://acme.app/hook", "https://www.acme.app/hook"),
            "apex → www"
        );
        assert_eq!(
            k("https://www.acme.app/hook", "https://acme.app/hook"),
            "www → apex"
        );
        assert_eq!(
            k("http://acme.app/hook", "https://acme.app/hook"),
            "http → https"
        );
        assert_eq!(
            k("https://acme.app/hook", "https://acme.app/hook/"),
            "trailing slash"
        );
        assert_eq!(
            k("https://acme.app/hook", "https://other.app/hook"),
            "to another host"
        );
        assert_eq!(
            k("https://acme.app/hook", "https://acme.app/login"),
            "to another path"
        );
    }
}
