//! A kit for provider API fakes (SPEC §6: "every provider has a sandbox fake built
//! from the provider's real response shapes, serving 401/403/429/5xx/garbage/slow
//! answers on demand"). One [`ApiFake`] is one API host in the sandbox's web
//! server; it does what every provider fake needs, so a provider module only
//! supplies fixtures in the provider's real shapes:
//!
//! - **auth**: which tokens it accepts and in which header (401 otherwise);
//! - **routes**: `GET` paths answered from a JSON fixture or a closure, each with
//!   the query parameters it knows — an unknown one is 400 `parameter_unknown`,
//!   as Stripe answers (real APIs are strict; a fake that is not would hide a
//!   client bug);
//! - **faults** ([`Script`], [`Rule`], [`Fault`]): 401/403/429/5xx, garbage,
//!   slow answers — always, the first N, or N after M (a transient failure);
//! - **the provider's error envelope** ([`ErrorShape`]);
//! - **pretty-printed JSON** (default on: real APIs answer indented JSON, and
//!   size caps must be judged on real sizes);
//! - **a request log** ([`RequestLog`]) tests assert on, e.g. "the token never
//!   reached a foreign base" (`log.saw_secret(token)` on that base's fake).
//!
//! A new provider fake, e.g. Vercel, is a few lines:
//!
//! ```no_run
//! use launch_ready::sandbox::api_fake::{ApiFake, Fault, RequestLog, Rule};
//! use serde_json::json;
//!
//! fn vercel_error(_status: u16, code: &str, message: &str) -> serde_json::Value {
//!     json!({ "error": { "code": code, "message": message } })
//! }
//!
//! let log = RequestLog::new();
//! let site = ApiFake::new("api.vercel.sandbox")
//!     .bearer("vercel-token-made-at-run-time")
//!     .errors(vercel_error)
//!     .fixture("/v9/projects/acme-web", &["teamId"], json!({ "id": "prj_1", "name": "acme-web" }))
//!     .fault(Rule::new(Fault::status(503)).times(1))
//!     .log_to(&log)
//!     .site();
//! ```
//!
//! Fixtures are written by hand in the shapes of the provider's official SDK types
//! or OpenAPI fixtures (nullable fields, extra fields, nested objects) — never
//! copied files. `stripe_fake` is the worked example with several accounts.

mod log;
mod script;

use std::sync::Arc;

use serde_json::{Value, json};

pub use log::{Logged, RequestLog};
pub use script::{ErrorShape, Fault, Rule, Script, Scripted, default_words};

use super::web::{Handler, Req, Resp, Site};

/// Answers a request the fake accepted.
pub type Answer = Arc<dyn Fn(&Req) -> Resp + Send + Sync>;
/// Decides whether a token is accepted.
pub type TokenCheck = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// How the fake reads the token.
#[derive(Clone)]
enum Auth {
    None,
    /// From this header (`authorization` expects `Bearer <token>`).
    Tokens {
        header: String,
        check: TokenCheck,
    },
}

struct FakeRoute {
    /// `GET`, or `POST` for read-only search APIs (HubSpot's CRM search).
    method: &'static str,
    path: String,
    params: Option<Vec<String>>,
    answer: Answer,
}

/// A generic envelope, `{"error": {"code", "message"}}`.
pub fn plain_error(_status: u16, code: &str, message: &str) -> Value {
    json!({ "error": { "code": code, "message": message } })
}

pub struct ApiFake {
    host: String,
    auth: Auth,
    routes: Vec<FakeRoute>,
    script: Script,
    log: RequestLog,
    errors: ErrorShape,
    unauthorized: Option<Answer>,
    pretty: bool,
}

impl ApiFake {
    pub fn new(host: &str) -> Self {
        Self {
            host: host.to_owned(),
            auth: Auth::None,
            routes: Vec::new(),
            script: Script::new(),
            log: RequestLog::new(),
            errors: plain_error,
            unauthorized: None,
            pretty: true,
        }
    }

    /// The provider's own 401 (e.g. Stripe echoes the key, starred); default: the
    /// error envelope with a generic message.
    pub fn unauthorized(mut self, answer: impl Fn(&Req) -> Resp + Send + Sync + 'static) -> Self {
        self.unauthorized = Some(Arc::new(answer));
        self
    }

    /// Accept `Authorization: Bearer <token>` with exactly this token (repeatable).
    pub fn bearer(self, token: &str) -> Self {
        let token = token.to_owned();
        self.accept("authorization", move |t| t == token)
    }

    /// Accept tokens `check` approves, read from `header` (`authorization`
    /// means `Bearer <token>`). Several calls accept any of them.
    pub fn accept(
        mut self,
        header: &str,
        check: impl Fn(&str) -> bool + Send + Sync + 'static,
    ) -> Self {
        let check: TokenCheck = Arc::new(check);
        self.auth = match self.auth {
            Auth::Tokens {
                header: h,
                check: old,
            } if h.eq_ignore_ascii_case(header) => Auth::Tokens {
                header: h,
                check: Arc::new(move |t| old(t) || check(t)),
            },
            _ => Auth::Tokens {
                header: header.to_ascii_lowercase(),
                check,
            },
        };
        self
    }

    /// The provider's error envelope.
    pub fn errors(mut self, shape: ErrorShape) -> Self {
        self.errors = shape;
        self
    }

    /// Compact JSON instead of the real APIs' indented JSON.
    pub fn compact(mut self) -> Self {
        self.pretty = false;
        self
    }

    /// `GET path` answered with `fixture`; `params` are the query parameters the
    /// endpoint knows.
    pub fn fixture(self, path: &str, params: &[&str], fixture: Value) -> Self {
        self.route(path, Some(params), move |_| Resp::json(200, &fixture))
    }

    /// `GET path` (a trailing `*` matches any rest) answered by `answer`; with
    /// `params`, any other query parameter is 400 `parameter_unknown`. A parameter
    /// listed as `name[]` or `name[*]` also covers `name[...]` forms.
    pub fn route(
        mut self,
        path: &str,
        params: Option<&[&str]>,
        answer: impl Fn(&Req) -> Resp + Send + Sync + 'static,
    ) -> Self {
        self.routes.push(FakeRoute {
            method: "GET",
            path: path.to_owned(),
            params: params.map(|p| p.iter().map(|s| s.to_string()).collect()),
            answer: Arc::new(answer),
        });
        self
    }

    /// `POST path` answered by `answer` (a search endpoint that reads: the body is
    /// the query). Any query-string parameter is 400 `parameter_unknown`.
    pub fn post(
        mut self,
        path: &str,
        answer: impl Fn(&Req) -> Resp + Send + Sync + 'static,
    ) -> Self {
        self.routes.push(FakeRoute {
            method: "POST",
            path: path.to_owned(),
            params: Some(Vec::new()),
            answer: Arc::new(answer),
        });
        self
    }

    pub fn fault(mut self, rule: Rule) -> Self {
        self.script = self.script.rule(rule);
        self
    }

    /// Record every request in `log` (a clone kept by the test).
    pub fn log_to(mut self, log: &RequestLog) -> Self {
        self.log = log.clone();
        self
    }

    pub fn site(self) -> Site {
        let host = self.host.clone();
        let fake = Arc::new(self);
        let handler: Handler = Arc::new(move |req: Req| {
            let fake = fake.clone();
            Box::pin(async move { fake.answer(&req) })
        });
        Site::new(&host).route("*", handler)
    }

    fn answer(&self, req: &Req) -> Resp {
        self.log.record(req);
        let errors = self.errors;
        if let Auth::Tokens { header, check } = &self.auth {
            let token = req.header(header).map(|v| {
                if header == "authorization" {
                    v.strip_prefix("Bearer ").unwrap_or("").trim()
                } else {
                    v.trim()
                }
            });
            if !token.is_some_and(|t| check(t)) {
                let resp = match &self.unauthorized {
                    Some(answer) => answer(req),
                    None => {
                        let (code, message) = default_words(401);
                        Resp::json(401, &errors(401, code, message))
                    }
                };
                return self.finish(resp);
            }
        }
        let delay = match self.script.apply(req, errors) {
            Some(Scripted::Replace(resp)) => return self.finish(resp),
            Some(Scripted::Delay(d)) => Some(d),
            None => None,
        };
        let resp = match self
            .routes
            .iter()
            .find(|r| path_matches(&r.path, &req.path))
        {
            None => {
                let message = format!("Unrecognized request URL ({} {}).", req.method, req.path);
                Resp::json(404, &errors(404, "resource_missing", &message))
            }
            Some(route) if req.method != route.method => Resp::json(
                405,
                &errors(405, "method_not_allowed", "The fake API is read-only."),
            ),
            Some(route) => match unknown_param(route.params.as_deref(), &req.query) {
                Some(name) => {
                    let message = format!("Received unknown parameter: {name}");
                    Resp::json(400, &errors(400, "parameter_unknown", &message))
                }
                None => (route.answer)(req),
            },
        };
        let resp = self.finish(resp);
        match delay {
            Some(d) => resp.delay(d),
            None => resp,
        }
    }

    /// Indent JSON answers, as the real APIs do.
    fn finish(&self, resp: Resp) -> Resp {
        if !self.pretty {
            return resp;
        }
        pretty(resp)
    }
}

/// Re-indent a JSON body (what real APIs send; sizes then match theirs).
pub fn pretty(resp: Resp) -> Resp {
    let is_json = resp
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v.contains("json"));
    // Already indented (a fake that serialised pretty itself): leave it.
    if !is_json || resp.body.starts_with(b"{\n") || resp.body.starts_with(b"[\n") {
        return resp;
    }
    match serde_json::from_slice::<Value>(&resp.body).and_then(|v| serde_json::to_vec_pretty(&v)) {
        Ok(body) => resp.body(body),
        Err(_) => resp,
    }
}

fn path_matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => pattern == path,
    }
}

/// The first query parameter `known` does not list (`created[gte]` is covered by
/// `created`, `types[]`/`types[0]` by `types[]`).
pub fn unknown_param(known: Option<&[String]>, query: &str) -> Option<String> {
    let known = known?;
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, _)| k.into_owned())
        .find(|name| {
            let stem = name.split('[').next().unwrap_or(name);
            !known.iter().any(|k| {
                k == name
                    || (k.split('[').next() == Some(stem)
                        && (k.contains('[') || name.contains('[')))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::unknown_param;

    #[test]
    fn unknown_parameters_are_named() {
        let known: Vec<String> = ["limit", "created", "types[]", "starting_after"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let k = Some(known.as_slice());
        assert_eq!(
            unknown_param(k, "limit=100&created%5Bgte%5D=5&types%5B%5D=a"),
            None
        );
        assert_eq!(
            unknown_param(k, "limit=1&expand=x").as_deref(),
            Some("expand")
        );
        assert_eq!(unknown_param(k, "limt=1").as_deref(), Some("limt"));
        assert_eq!(unknown_param(None, "anything=1"), None);
    }
}
