//! When a failed request is worth repeating, and after how long — the official
//! Stripe SDKs' rules (stripe-node `_shouldRetry`, stripe-python `_should_retry`):
//! a provider hint (`Stripe-Should-Retry`) wins; otherwise connection failures,
//! timeouts, 409, 429 and 5xx are retried with exponential backoff, and a
//! `Retry-After` is honoured when the budget (`--timeout`) allows it.

use std::time::Duration;

use super::ApiSpec;
use crate::net::NetFailure;
use crate::net::http::Response;

/// The SDKs' first delay; it doubles per retry.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// The SDKs' longest delay.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// What one attempt produced, for the retry decision.
pub(super) enum Attempt<'a> {
    Answer(&'a Response),
    Failed(&'a NetFailure),
}

/// `Some(wait)` when the attempt is worth repeating after `wait`; `retries` is how
/// many retries were made already.
pub(super) fn wait_before_retry(
    spec: &ApiSpec,
    attempt: Attempt,
    retries: u32,
) -> Option<Duration> {
    if retries >= spec.max_retries {
        return None;
    }
    let backoff = (FIRST_BACKOFF * 2u32.saturating_pow(retries)).min(MAX_BACKOFF);
    match attempt {
        Attempt::Failed(failure) => match failure {
            NetFailure::Timeout(_) | NetFailure::Connect(_) | NetFailure::Protocol(_) => {
                Some(backoff)
            }
            // A name that does not resolve or a certificate that does not verify
            // will not change within seconds.
            NetFailure::Dns(_) | NetFailure::Tls(_) => None,
        },
        Attempt::Answer(resp) => {
            let hint = spec
                .should_retry_header
                .and_then(|h| resp.header(h))
                .map(|v| v.trim().to_ascii_lowercase());
            let retryable = match hint.as_deref() {
                Some("false") => false,
                Some("true") => true,
                _ => matches!(resp.status, 409 | 429 | 500..=599),
            };
            retryable.then(|| retry_after(resp).unwrap_or(backoff))
        }
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by these APIs).
fn retry_after(resp: &Response) -> Option<Duration> {
    resp.header("retry-after")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.min(3600.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::stripe::SPEC;

    fn resp(status: u16, headers: &[(&str, &str)]) -> Response {
        Response {
            url: "https://api.stripe.com/v1/events".to_owned(),
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Vec::new(),
            truncated: false,
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn retries_as_the_stripe_sdks_do() {
        let wait = |r: &Response, n| wait_before_retry(&SPEC, Attempt::Answer(r), n);
        assert_eq!(wait(&resp(503, &[]), 0), Some(FIRST_BACKOFF));
        assert_eq!(wait(&resp(500, &[]), 1), Some(FIRST_BACKOFF * 2));
        assert_eq!(wait(&resp(500, &[]), 2), None, "twice, then give up");
        assert_eq!(wait(&resp(409, &[]), 0), Some(FIRST_BACKOFF));
        assert_eq!(
            wait(&resp(429, &[("retry-after", "2")]), 0),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            wait(&resp(503, &[("stripe-should-retry", "false")]), 0),
            None
        );
        assert!(wait(&resp(400, &[("stripe-should-retry", "true")]), 0).is_some());
        assert_eq!(wait(&resp(400, &[]), 0), None);
        assert_eq!(wait(&resp(401, &[]), 0), None);
        let reset = NetFailure::Connect("connection reset by peer".into());
        assert!(wait_before_retry(&SPEC, Attempt::Failed(&reset), 0).is_some());
        let tls = NetFailure::Tls("bad certificate".into());
        assert_eq!(wait_before_retry(&SPEC, Attempt::Failed(&tls), 0), None);
    }
}

#[cfg(test)]
mod deadline_tests {
    use std::time::{Duration, Instant};

    use crate::net::api::listing_deadline;

    #[test]
    fn listings_stop_one_timeout_before_the_deadline() {
        let now = Instant::now();
        let at = listing_deadline(120.0, 10.0).unwrap();
        let left = at.duration_since(now);
        assert!(
            left > Duration::from_secs(109) && left <= Duration::from_millis(110_100),
            "{left:?}"
        );
        let short = listing_deadline(4.0, 3.0).unwrap().duration_since(now);
        assert!(short <= Duration::from_millis(2_100), "{short:?}");
        assert!(listing_deadline(f64::NAN, 1.0).is_none());
    }
}
