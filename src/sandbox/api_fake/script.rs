//! Scripted misbehaviour: which requests get a fault instead of the fixture's
//! answer — every request, the first N, or the N after the first M, on one path or
//! all of them.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::sandbox::web::{Req, Resp};

/// A provider's error envelope for (status, code, message).
pub type ErrorShape = fn(u16, &str, &str) -> serde_json::Value;

/// What a provider can do wrong.
#[derive(Clone, Debug)]
pub enum Fault {
    /// This status in the provider's error envelope, with extra headers (e.g.
    /// `Stripe-Should-Retry: false`).
    Status {
        status: u16,
        headers: Vec<(String, String)>,
    },
    /// 429 with `Retry-After`.
    RateLimited { retry_after_secs: u64 },
    /// 200 with a body that is not JSON (a proxy's error page).
    Garbage,
    /// The normal answer, this late.
    Slow(Duration),
}

impl Fault {
    pub fn status(status: u16) -> Self {
        Fault::Status {
            status,
            headers: Vec::new(),
        }
    }
    /// A status with one extra header.
    pub fn status_with(status: u16, header: &str, value: &str) -> Self {
        Fault::Status {
            status,
            headers: vec![(header.to_owned(), value.to_owned())],
        }
    }
}

/// One scripted fault and which requests it hits.
#[derive(Clone, Debug)]
pub struct Rule {
    fault: Fault,
    path: Option<String>,
    skip: u32,
    times: Option<u32>,
    seen: Arc<AtomicU32>,
}

impl Rule {
    /// Every request, until narrowed by `on`, `after` and `times`.
    pub fn new(fault: Fault) -> Self {
        Self {
            fault,
            path: None,
            skip: 0,
            times: None,
            seen: Arc::new(AtomicU32::new(0)),
        }
    }
    /// Only requests to this path (a trailing `*` matches any rest).
    pub fn on(mut self, path: &str) -> Self {
        self.path = Some(path.to_owned());
        self
    }
    /// Let the first `n` matching requests through.
    pub fn after(mut self, n: u32) -> Self {
        self.skip = n;
        self
    }
    /// Then hit only `n` requests (a transient failure); without it, every one.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    fn matches_path(&self, path: &str) -> bool {
        match self.path.as_deref() {
            None => true,
            Some(p) => match p.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => p == path,
            },
        }
    }
}

/// What the script decided for one request.
pub enum Scripted {
    /// Answer this instead of the fixture.
    Replace(Resp),
    /// Answer the fixture, this late.
    Delay(Duration),
}

/// Rules in order; the first that hits a request decides.
#[derive(Clone, Debug, Default)]
pub struct Script {
    rules: Vec<Rule>,
}

impl Script {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn rule(mut self, rule: Rule) -> Self {
        self.rules.push(rule);
        self
    }
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Count the request against every matching rule; the first that hits decides.
    pub fn apply(&self, req: &Req, errors: ErrorShape) -> Option<Scripted> {
        let mut decided = None;
        for rule in self.rules.iter().filter(|r| r.matches_path(&req.path)) {
            let n = rule.seen.fetch_add(1, Ordering::SeqCst);
            let hit = n >= rule.skip && rule.times.is_none_or(|t| n < rule.skip + t);
            if hit && decided.is_none() {
                decided = Some(answer(&rule.fault, errors));
            }
        }
        decided
    }
}

fn answer(fault: &Fault, errors: ErrorShape) -> Scripted {
    match fault {
        Fault::Status { status, headers } => {
            let (code, message) = default_words(*status);
            let mut resp = Resp::json(*status, &errors(*status, code, message));
            for (k, v) in headers {
                resp = resp.header(k, v.clone());
            }
            Scripted::Replace(resp)
        }
        Fault::RateLimited { retry_after_secs } => Scripted::Replace(
            Resp::json(429, &errors(429, "rate_limit", default_words(429).1))
                .header("retry-after", retry_after_secs.to_string()),
        ),
        Fault::Garbage => Scripted::Replace(Resp::html(
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        )),
        Fault::Slow(d) => Scripted::Delay(*d),
    }
}

/// An error code and message for a status, in the words APIs use.
pub fn default_words(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("bad_request", "The request was malformed."),
        401 => ("unauthorized", "Invalid API token provided."),
        403 => (
            "forbidden",
            "The token does not have the required permissions for this endpoint.",
        ),
        404 => ("not_found", "Unrecognized request URL."),
        409 => (
            "conflict",
            "A conflicting request is in progress; retry it.",
        ),
        429 => (
            "rate_limit",
            "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
        ),
        500..=599 => ("api_error", "An unknown error occurred"),
        _ => ("error", "The request failed."),
    }
}
