//! Every request a fake received, for tests to assert on: what was asked, how
//! often, and whether a token reached a host it must never reach.

use std::sync::{Arc, Mutex};

use crate::sandbox::web::Req;

/// One request as the fake saw it (headers included: the log stays in the test).
#[derive(Clone, Debug)]
pub struct Logged {
    pub host: String,
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    /// The request body (UptimeRobot's key travels in a form body).
    pub body: Vec<u8>,
}

impl Logged {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The query's value for `name`, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

/// A shared, cloneable log: make it in the test, hand a clone to the fake.
#[derive(Clone, Debug, Default)]
pub struct RequestLog(Arc<Mutex<Vec<Logged>>>);

impl RequestLog {
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn record(&self, req: &Req) {
        let entry = Logged {
            host: req.host.clone(),
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            headers: req.headers.clone(),
            body: req.body.to_vec(),
        };
        match self.0.lock() {
            Ok(mut g) => g.push(entry),
            Err(p) => p.into_inner().push(entry),
        }
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<Logged> {
        match self.0.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    pub fn count(&self) -> usize {
        self.requests().len()
    }

    /// Requests to this path.
    pub fn count_path(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }

    /// Whether `secret` appeared anywhere in a request (headers, path, query, body,
    /// form-decoded or raw).
    pub fn saw_secret(&self, secret: &str) -> bool {
        self.requests().iter().any(|r| {
            let body = String::from_utf8_lossy(&r.body);
            let form_has = url::form_urlencoded::parse(&r.body).any(|(_, v)| v.contains(secret));
            r.path.contains(secret)
                || r.query.contains(secret)
                || body.contains(secret)
                || form_has
                || r.headers.iter().any(|(_, v)| v.contains(secret))
        })
    }
}
