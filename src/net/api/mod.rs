//! The one read-only API client every provider check uses (SPEC §6): plain GETs
//! through the audit's HTTP stack (so `--connect-to`, `--ca-file`, `--nameserver`
//! and `--timeout` apply), a token from a named variable, retries for 429 and
//! transient failures within `--timeout`, a response size cap fit for the API,
//! bounded pagination that keeps what it fetched, and errors that name the variable
//! and the missing permission — never the token.
//!
//! A provider is one [`ApiSpec`] constant (see `net::stripe::SPEC`) plus typed
//! methods over [`ApiClient::get_json`] and [`ApiClient::list`].

mod base;
mod error;
mod paging;
mod retry;
mod sanitise;

use std::time::{Duration, Instant};

use serde_json::Value;

use super::Net;
use super::http::{Http, Request, Response};
pub use base::{ApiBase, BaseSource, choose as choose_base, is_loopback, parse_allowed};
pub use error::{ApiError, Problem, ProviderError};
pub use paging::{Listing, Paging, Stop};
pub use sanitise::sanitise;

/// How the token travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>` (Stripe, Vercel, Cloudflare, HubSpot, Better Stack).
    Bearer,
    /// The token as the value of this header.
    Header(&'static str),
    /// The token as this field of a form-encoded POST body (UptimeRobot's
    /// `api_key`): never in a URL, where proxies and logs keep it.
    FormField(&'static str),
}

/// What the client knows of one provider's API.
#[derive(Debug)]
pub struct ApiSpec {
    /// As people name it: "Stripe".
    pub name: &'static str,
    pub default_base: &'static str,
    /// The environment variable that overrides the base, e.g. `STRIPE_API_BASE`.
    pub base_env: &'static str,
    /// The manifest field, e.g. `stripe.api_base`.
    pub base_field: &'static str,
    /// Hosts that are the provider's own: a live credential may go there.
    pub own_hosts: &'static [&'static str],
    pub auth: Auth,
    /// One answer is cut (and the request fails) beyond this many bytes.
    pub body_cap: usize,
    pub max_pages: usize,
    /// A listing stops (partial) once it has read this many bytes.
    pub max_listing_bytes: usize,
    /// Retries after the first attempt (the official SDKs' default).
    pub max_retries: u32,
    /// A header by which the provider says whether to retry (`Stripe-Should-Retry`).
    pub should_retry_header: Option<&'static str>,
    /// The permission (scope) a path needs, as the provider's settings name it.
    pub permission_for: fn(&str) -> String,
    /// What token to put in the variable, and where to make one.
    pub key_help: &'static str,
    /// Where the token's permissions are edited.
    pub key_settings: &'static str,
    pub status_page: &'static str,
    /// How to make a listing smaller.
    pub narrow_hint: &'static str,
}

/// One spec per provider: its name identifies it.
impl PartialEq for ApiSpec {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for ApiSpec {}

/// A token read from a named variable. Its value is registered with the output
/// scrubber the moment it is read and never shown: `Debug` prints the variable.
#[derive(Clone)]
pub struct Credential {
    pub var: String,
    token: String,
    /// A live credential (anything but a Stripe test-mode key): see the base rule.
    pub live: bool,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credential(from {})", self.var)
    }
}

impl Credential {
    /// `value` is the variable's value as resolved; missing or empty is the skip
    /// reason naming the variable and what needs it.
    pub fn read(var: &str, value: Option<&str>, needed_by: &str) -> Result<Self, String> {
        match value.map(str::trim) {
            Some(t) if !t.is_empty() => {
                crate::redact::register(t);
                Ok(Self {
                    var: var.to_owned(),
                    token: t.to_owned(),
                    live: true,
                })
            }
            Some(_) => Err(format!("{var} is empty: {needed_by}")),
            None => Err(format!("{var} is not set: {needed_by}")),
        }
    }

    pub fn live(mut self, live: bool) -> Self {
        self.live = live;
        self
    }

    /// The value, for kind checks (a publishable key where a secret one belongs).
    pub fn expose(&self) -> &str {
        &self.token
    }
}

/// When API listings stop (SPEC §7 "Caps": `--deadline` bounds a whole listing):
/// one `--timeout` before the audit's deadline, or half-way for a short deadline.
pub fn listing_deadline(deadline_secs: f64, timeout_secs: f64) -> Option<Instant> {
    if !(deadline_secs.is_finite() && timeout_secs.is_finite() && deadline_secs > 0.0) {
        return None;
    }
    let margin = if timeout_secs < deadline_secs / 2.0 {
        timeout_secs
    } else {
        deadline_secs / 2.0
    };
    Instant::now().checked_add(Duration::from_secs_f64((deadline_secs - margin).max(0.0)))
}

pub struct ApiClient<'a> {
    spec: &'static ApiSpec,
    http: &'a Http,
    base: ApiBase,
    credential: Credential,
    /// `--timeout`: one request with its retries.
    budget: Duration,
    /// Listings stop here, keeping what they read.
    listing_deadline: Option<Instant>,
}

impl std::fmt::Debug for ApiClient<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ApiClient({} at {}, key from {})",
            self.spec.name, self.base.url, self.credential.var
        )
    }
}

impl<'a> ApiClient<'a> {
    /// A client for `spec`, if the base rule lets the credential go to the base:
    /// `manifest_base` from the manifest, `env_base` from the environment (it wins).
    /// The error names the base and `--allow-api-base`.
    pub fn new(
        spec: &'static ApiSpec,
        net: &'a Net,
        manifest_base: Option<&str>,
        env_base: Option<&str>,
        credential: Credential,
    ) -> Result<Self, String> {
        let base = base::choose(
            spec,
            manifest_base,
            env_base,
            &net.config.allow_api_bases,
            credential.live,
        )?;
        Ok(Self {
            spec,
            http: &net.http,
            base,
            credential,
            budget: net.config.timeout,
            listing_deadline: net.config.listing_deadline,
        })
    }

    pub fn base(&self) -> &str {
        &self.base.url
    }

    pub fn spec(&self) -> &'static ApiSpec {
        self.spec
    }

    pub fn url(&self, path: &str, query: &[(String, String)]) -> String {
        if query.is_empty() {
            return format!("{}{path}", self.base.url);
        }
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in query {
            q.append_pair(k, v);
        }
        format!("{}{path}?{}", self.base.url, q.finish())
    }

    /// One GET parsed as JSON.
    pub async fn get_json(
        &self,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Value, ApiError> {
        let resp = self.get(path, query).await?;
        serde_json::from_slice(&resp.body).map_err(|e| {
            ApiError::new(
                self.spec,
                path,
                Problem::Malformed(format!(
                    "not JSON (error at line {} column {})",
                    e.line(),
                    e.column()
                )),
            )
        })
    }

    /// One GET, retried as [`retry`] decides while `--timeout` allows; a 2xx answer
    /// larger than the API's cap is [`Problem::TooLarge`].
    pub async fn get(&self, path: &str, query: &[(String, String)]) -> Result<Response, ApiError> {
        self.send(path, query, None).await
    }

    /// One POST of a form-encoded body that reads (UptimeRobot's `getMonitors`),
    /// retried like a GET; with [`Auth::FormField`] the token is added as that field.
    pub async fn post_form(
        &self,
        path: &str,
        fields: &[(String, String)],
    ) -> Result<Response, ApiError> {
        let body = {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            if let Auth::FormField(name) = self.spec.auth {
                form.append_pair(name, &self.credential.token);
            }
            for (k, v) in fields {
                form.append_pair(k, v);
            }
            form.finish().into_bytes()
        };
        self.send(
            path,
            &[],
            Some((&body, "application/x-www-form-urlencoded")),
        )
        .await
    }

    /// When listings stop (the audit's deadline), for provider-specific paging.
    pub fn listing_deadline(&self) -> Option<Instant> {
        self.listing_deadline
    }

    /// The token, for masking it out of provider messages (never shown).
    pub(crate) fn token(&self) -> &str {
        &self.credential.token
    }

    /// The variable the token came from.
    pub fn credential_var(&self) -> &str {
        &self.credential.var
    }

    /// One POST of a JSON body that reads (a search API such as HubSpot's CRM
    /// search), parsed as JSON; retried like a GET, since it changes nothing.
    pub async fn post_json(&self, path: &str, body: &Value) -> Result<Value, ApiError> {
        let body = serde_json::to_vec(body).unwrap_or_default();
        let resp = self
            .send(path, &[], Some((&body, "application/json")))
            .await?;
        serde_json::from_slice(&resp.body).map_err(|e| {
            ApiError::new(
                self.spec,
                path,
                Problem::Malformed(format!(
                    "not JSON (error at line {} column {})",
                    e.line(),
                    e.column()
                )),
            )
            .sent_with("POST")
        })
    }

    async fn send(
        &self,
        path: &str,
        query: &[(String, String)],
        body: Option<(&[u8], &'static str)>,
    ) -> Result<Response, ApiError> {
        let method = if body.is_some() { "POST" } else { "GET" };
        self.attempt(path, query, body)
            .await
            .map_err(|e| e.sent_with(method))
    }

    async fn attempt(
        &self,
        path: &str,
        query: &[(String, String)],
        body: Option<(&[u8], &'static str)>,
    ) -> Result<Response, ApiError> {
        let url = self.url(path, query);
        let started = Instant::now();
        let mut retries = 0;
        let mut previous: Option<ApiError> = None;
        loop {
            let left = self.budget.saturating_sub(started.elapsed());
            let sent = tokio::time::timeout(
                left,
                self.http
                    .send_capped(self.request(&url, body), self.spec.body_cap),
            )
            .await
            .unwrap_or(Err(super::NetFailure::Timeout(self.budget)));
            let attempts = retries + 1;
            let (error, wait) = match sent {
                Ok(resp) if (200..300).contains(&resp.status) => {
                    if resp.truncated {
                        return Err(ApiError::new(
                            self.spec,
                            path,
                            Problem::TooLarge {
                                cap: self.spec.body_cap,
                            },
                        ));
                    }
                    return Ok(resp);
                }
                Ok(resp) => (
                    error::from_response(
                        self.spec,
                        path,
                        &resp,
                        &self.credential.token,
                        &self.credential.var,
                        attempts,
                    ),
                    retry::wait_before_retry(self.spec, retry::Attempt::Answer(&resp), retries),
                ),
                Err(failure) => {
                    // A retry cut short by the budget: the earlier answer says more.
                    if let (Some(prev), super::NetFailure::Timeout(_)) = (previous.take(), &failure)
                        && left < self.budget
                    {
                        return Err(prev);
                    }
                    (
                        ApiError::new(
                            self.spec,
                            path,
                            Problem::Net {
                                failure: failure.clone(),
                                attempts,
                            },
                        ),
                        retry::wait_before_retry(
                            self.spec,
                            retry::Attempt::Failed(&failure),
                            retries,
                        ),
                    )
                }
            };
            match wait {
                Some(wait) if started.elapsed() + wait < self.budget => {
                    tokio::time::sleep(wait).await;
                    retries += 1;
                    previous = Some(error);
                }
                _ => return Err(error),
            }
        }
    }

    fn request(&self, url: &str, body: Option<(&[u8], &'static str)>) -> Request {
        let req = match body {
            Some((body, kind)) => Request::post(url, body.to_vec()).header("content-type", kind),
            None => Request::get(url),
        }
        .header("accept", "application/json");
        match self.spec.auth {
            Auth::Bearer => {
                req.header("authorization", format!("Bearer {}", self.credential.token))
            }
            Auth::Header(name) => req.header(name, self.credential.token.clone()),
            // Added to the body by `post_form`.
            Auth::FormField(_) => req,
        }
    }
}
