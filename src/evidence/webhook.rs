//! Webhook probes: one evidence source shared by the six webhook checks. The
//! requests are shaped like a Stripe delivery: `POST` of a
//! Stripe `event` object (2-space indented JSON, `application/json; charset=utf-8`)
//! with a `Stripe-Signature` header — absent, wrong, correct, or correct but stale.
//! Every probe event has type `launch_ready.probe` and id `evt_launchready_probe_…`.

use serde_json::{Value, json};

use super::{Source, Unavailable, net};
use crate::context::Context;
use crate::manifest::{Environment, Webhook, WebhookProvider};
use crate::net::NetFailure;
use crate::net::http::{Request, Response};
use crate::stripe::{probe_event, signature};

/// Stripe-like, but saying who really sends it.
pub const USER_AGENT: &str = concat!(
    "Stripe/1.0 (+https://stripe.com/docs/webhooks; compatible; launch-ready/",
    env!("CARGO_PKG_VERSION"),
    " probe)"
);

/// How old the replayed event of `webhook.replay-rejected` is: twice the SDKs'
/// default tolerance (300 s), so any verifier with the default refuses it.
pub const STALE_AGE_S: i64 = 600;

/// The answer to one probe, or why there was none.
pub type Attempt = Result<Response, NetFailure>;

/// The passive probes of one webhook (`webhook.reachable`, `webhook.no-redirect`,
/// `webhook.signature-enforced` read them).
#[derive(Debug)]
pub struct Passive {
    /// No `Stripe-Signature` header at all.
    pub unsigned: Attempt,
    /// A well-formed header signed with a random key.
    pub bad_signature: Attempt,
    /// Where response bodies were cut.
    pub body_cap: usize,
}

/// The active probes of one webhook (`--active`): signed with the secret from env.
#[derive(Debug)]
pub struct Active {
    /// Signed now.
    pub fresh: Attempt,
    /// Signed with a timestamp [`STALE_AGE_S`] seconds old.
    pub stale: Attempt,
}

fn now_s() -> i64 {
    // The receiver compares with its own clock, so sign with the real one.
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn nonce() -> String {
    use rand::Rng;
    let bytes: [u8; 8] = rand::rng().random();
    hex::encode(bytes)
}

/// A delivery-shaped POST of `body`, with `signature` as `Stripe-Signature` if any.
pub fn request(url: &str, body: Vec<u8>, signature: Option<String>) -> Request {
    let req = Request::post(url, body)
        .header("content-type", "application/json; charset=utf-8")
        .header("accept", "*/*; q=0.5, application/json")
        .header("cache-control", "no-cache")
        .header("user-agent", USER_AGENT);
    match signature {
        Some(sig) => req.header("stripe-signature", sig),
        None => req,
    }
}

/// The probe event as Stripe would send it to this deployment: `livemode` follows the
/// manifest's `environment`, so a handler that refuses events of the other mode (a
/// common guard against test events in production) sees the mode it expects.
fn probe_body(live: bool, now: i64, nonce: &str) -> Vec<u8> {
    let mut event = probe_event(now, nonce);
    event["livemode"] = Value::Bool(live);
    event["data"]["object"]["livemode"] = Value::Bool(live);
    serde_json::to_vec_pretty(&event).unwrap_or_default()
}

fn live(cx: &Context) -> bool {
    cx.manifest.environment == Environment::Production
}

/// An unsigned probe event (also what `webhook.latency` repeats).
fn unsigned_request(live: bool, url: &str) -> Request {
    request(url, probe_body(live, now_s(), &nonce()), None)
}

fn bad_signature_request(live: bool, url: &str) -> Request {
    let now = now_s();
    let body = probe_body(live, now, &nonce());
    let random_key = format!("whsec_{}", nonce() + &nonce());
    let header = signature::header(&random_key, now, &body);
    request(url, body, Some(header))
}

fn signed_request(live: bool, url: &str, secret: &str, age_s: i64) -> Request {
    let t = now_s() - age_s;
    let body = probe_body(live, t, &nonce());
    let header = signature::header(secret, t, &body);
    request(url, body, Some(header))
}

/// The webhook a target names (the first one, should names repeat).
pub fn webhook<'a>(cx: &'a Context, name: &str) -> Result<&'a Webhook, Unavailable> {
    cx.manifest
        .webhooks
        .iter()
        .find(|w| w.name == name)
        .ok_or_else(|| Unavailable::error(format!("no webhook named `{name}` in the manifest")))
}

/// The unsigned and the wrongly signed probe of the webhook named here.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PassiveProbes(pub String);

impl Source for PassiveProbes {
    type Value = Passive;
    async fn fetch(&self, cx: &Context) -> Result<Passive, Unavailable> {
        let net = net(cx)?;
        let url = webhook(cx, &self.0)?.url.as_str();
        let (unsigned, bad_signature) = tokio::join!(
            net.http.send(unsigned_request(live(cx), url)),
            net.http.send(bad_signature_request(live(cx), url))
        );
        Ok(Passive {
            unsigned,
            bad_signature,
            body_cap: net.config.body_cap,
        })
    }
}

/// The correctly signed probes (fresh and stale) of the webhook named here: `skip`
/// for `provider: generic`, without `--active` or without a secret (decided before
/// the network, so an offline run without them still says why).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SignedProbes(pub String);

impl Source for SignedProbes {
    type Value = Active;
    async fn fetch(&self, cx: &Context) -> Result<Active, Unavailable> {
        let hook = webhook(cx, &self.0)?;
        if hook.provider == WebhookProvider::Generic {
            return Err(Unavailable::skip(format!(
                "webhook `{}` is `provider: generic`: the signed probe is a Stripe-signed event, which a generic receiver does not verify the Stripe way",
                hook.name
            )));
        }
        let secret = secret(cx, hook).map_err(Unavailable::skip)?;
        let url = hook.url.as_str();
        let net = net(cx)?;
        let live = live(cx);
        let (fresh, stale) = tokio::join!(
            net.http.send(signed_request(live, url, secret, 0)),
            net.http
                .send(signed_request(live, url, secret, STALE_AGE_S))
        );
        Ok(Active { fresh, stale })
    }
}

/// Pause between latency probes, so the figure is not one burst's.
const SPACING: std::time::Duration = std::time::Duration::from_millis(50);
/// More probes than this add time, not information.
const MAX_PROBES: u32 = 100;

/// `latency_probes` unsigned probes in a row (after the passive probes, so our own
/// concurrent requests do not skew the samples and the connection is warm).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LatencyProbes(pub String);

/// The samples taken, and the failure that stopped the series early, if any.
#[derive(Debug)]
pub struct Latency {
    pub probes: u32,
    pub samples_ms: Vec<f64>,
    pub statuses: Vec<u16>,
    pub failure: Option<NetFailure>,
}

impl Source for LatencyProbes {
    type Value = Latency;
    async fn fetch(&self, cx: &Context) -> Result<Latency, Unavailable> {
        cx.get(PassiveProbes(self.0.clone())).await?;
        let net = net(cx)?;
        let hook = webhook(cx, &self.0)?;
        let url = hook.url.as_str();
        let probes = hook.latency_probes.clamp(1, MAX_PROBES);
        let mut out = Latency {
            probes,
            samples_ms: Vec::with_capacity(probes as usize),
            statuses: Vec::with_capacity(probes as usize),
            failure: None,
        };
        for i in 0..probes {
            if i > 0 {
                tokio::time::sleep(SPACING).await;
            }
            match net.http.send(unsigned_request(live(cx), url)).await {
                Ok(r) => {
                    out.samples_ms.push(ms(r.elapsed));
                    out.statuses.push(r.status);
                }
                Err(e) => {
                    out.failure = Some(e);
                    break;
                }
            }
        }
        Ok(out)
    }
}

/// Where the secret for the active probes comes from, or why there is none (a
/// `skip` reason that names the variable, never its value).
pub fn secret<'a>(cx: &'a Context, hook: &Webhook) -> Result<&'a str, String> {
    if !cx.active {
        return Err("needs --active (sends a signed test event to the endpoint)".into());
    }
    let Some(var) = hook.secret_env.as_deref() else {
        return Err(format!(
            "webhook `{}` has no `secret_env`: nothing to sign the test event with",
            hook.name
        ));
    };
    match cx.env.get(var) {
        // Signed with the value exactly as the deployment would read it.
        Some(v) if !v.trim().is_empty() => Ok(v),
        Some(_) => Err(format!("{var} is empty: cannot sign the test event")),
        None => Err(format!("{var} is not set: cannot sign the test event")),
    }
}

pub fn is_success(a: &Attempt) -> bool {
    matches!(a, Ok(r) if (200..300).contains(&r.status))
}

/// The answers a verifying handler gives a bad event. Other 4xx (404 no route, 405,
/// 408, 410, 429 rate limit) say nothing about signature checking.
pub fn is_refusal(a: &Attempt) -> bool {
    matches!(a, Ok(r) if matches!(r.status, 400 | 401 | 403) && !r.truncated)
}

/// Evidence for the report: status, Location, timing and a short body excerpt.
pub fn evidence(a: &Attempt) -> Value {
    match a {
        Ok(r) => {
            let excerpt = excerpt(r, 160);
            json!({
                "status": r.status,
                "location": r.header("location"),
                "content_type": r.header("content-type"),
                "elapsed_ms": ms(r.elapsed),
                "body_bytes": r.body.len(),
                "body_truncated": r.truncated,
                "body_excerpt": excerpt,
            })
        }
        Err(e) => json!({ "error": e.to_string(), "kind": failure_kind(e) }),
    }
}

/// The start of a response body, for reports: control characters dropped, at most
/// `chars` characters, withheld whole when it looks like it holds a secret (a server
/// may echo configuration in its error pages).
pub fn excerpt(r: &Response, chars: usize) -> String {
    let text: String = r
        .text()
        .chars()
        .filter(|c| !c.is_control())
        .take(chars)
        .collect();
    if crate::secrets::scan_text(&text, &[]).is_empty() && !text.contains("whsec_") {
        text
    } else {
        "[withheld: the body contains something that looks like a secret]".into()
    }
}

/// One answer in a sentence: `400 "Unsupported event type: launch_ready.probe"`.
pub fn describe(a: &Attempt) -> String {
    match a {
        Ok(r) => {
            let body = excerpt(r, 120);
            let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
            if body.is_empty() {
                format!("{} (empty body)", r.status)
            } else {
                format!("{} \"{body}\"", r.status)
            }
        }
        Err(e) => format!("no answer ({e})"),
    }
}

/// SPEC §7: two answers are the same when their status codes are equal and their
/// bodies are equal after removing digits, hexadecimal ids and whitespace — so the
/// timestamps, request ids and event ids that differ between probes do not count.
/// No answer is never the same as anything.
pub fn same_answer(a: &Attempt, b: &Attempt) -> bool {
    match (a, b) {
        (Ok(a), Ok(b)) => a.status == b.status && normalised(&a.text()) == normalised(&b.text()),
        _ => false,
    }
}

/// The body with hexadecimal ids, digits and whitespace removed. A hexadecimal id is
/// an alphanumeric run made only of hex digits that holds a digit (`4f1a`, the
/// `9c0e…` of `evt_launchready_probe_9c0e…`) or is at least 8 long.
fn normalised(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let hex = word.chars().all(|c| c.is_ascii_hexdigit());
        let has_digit = word.chars().any(|c| c.is_ascii_digit());
        if !(hex && (has_digit || word.len() >= 8)) {
            out.push_str(word);
        }
        word.clear();
    };
    for c in body.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        if !c.is_whitespace() {
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out.retain(|c| !c.is_ascii_digit());
    out
}

pub fn failure_kind(e: &NetFailure) -> &'static str {
    e.kind()
}

/// Milliseconds with 0.1 ms resolution (loopback answers take well under 1 ms).
pub fn ms(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

/// Both passive probes as report details.
pub fn passive_details(p: &Passive) -> Value {
    json!({
        "unsigned_probe": evidence(&p.unsigned),
        "bad_signature_probe": evidence(&p.bad_signature),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Attempt {
        Ok(Response {
            url: "https://hooks.test/x".into(),
            status,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
            truncated: false,
            elapsed: std::time::Duration::ZERO,
        })
    }

    #[test]
    fn answers_differing_only_in_digits_hex_ids_and_whitespace_are_the_same() {
        let a = answer(
            400,
            "No such event: 'evt_launchready_probe_9c0e1f2a3b4c5d6e' (t=1700000000)",
        );
        let b = answer(
            400,
            "No such event:  'evt_launchready_probe_0a1b2c3d4e5f6a7b'\n(t=1700000123)",
        );
        assert!(same_answer(&a, &b));
        let ray = |id: &str| answer(403, &format!("Forbidden. Ray ID: {id}"));
        assert!(same_answer(
            &ray("8f1ab2c3d4e5f607"),
            &ray("deadbeefcafebabe")
        ));
    }

    #[test]
    fn answers_differing_in_status_or_words_are_not_the_same() {
        let bad = answer(
            400,
            "Webhook Error: no signatures found matching the expected signature for payload",
        );
        let unknown = answer(400, "Unsupported event type: launch_ready.probe");
        assert!(!same_answer(&bad, &unknown));
        assert!(!same_answer(
            &answer(400, "Forbidden"),
            &answer(403, "Forbidden")
        ));
        // Words made of hex letters are words, not ids.
        assert!(!same_answer(
            &answer(400, "bad face"),
            &answer(400, "bad fade")
        ));
        let none: Attempt = Err(NetFailure::Timeout(std::time::Duration::ZERO));
        assert!(!same_answer(&none, &none));
    }

    #[test]
    fn the_probe_event_is_live_only_for_production() {
        for live in [true, false] {
            let event: Value = serde_json::from_slice(&probe_body(live, 1, "ab")).unwrap();
            assert_eq!(event["livemode"], live);
            assert_eq!(event["data"]["object"]["livemode"], live);
        }
    }
}
