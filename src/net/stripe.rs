//! A read-only Stripe API client: plain GETs through the audit's HTTP stack (so
//! `--connect-to`, `--ca-file`, `--nameserver`, the timeout and the body cap apply),
//! list pagination to the end within a bound, and Stripe's errors turned into
//! messages that name the variable or the missing permission — never the key.

mod error;

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::http::{Http, Request, Response};
pub use error::{Problem, StripeError};

pub const DEFAULT_API_BASE: &str = "https://api.stripe.com";
/// Stripe's largest page.
pub const PAGE_LIMIT: usize = 100;
/// 50 pages of 100: beyond this an audit would hammer the API (and the audit
/// deadline) for evidence a person cannot read anyway.
pub const MAX_PAGES: usize = 50;
/// 429s retried before giving up.
pub const MAX_RETRIES: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// A `Retry-After` longer than this is cut: the audit has a deadline.
const RETRY_AFTER_CAP: Duration = Duration::from_secs(5);

/// The fields of a `webhook_endpoint` the checks read.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct WebhookEndpoint {
    pub id: String,
    pub url: String,
    pub status: String,
    #[serde(default)]
    pub enabled_events: Vec<String>,
    #[serde(default)]
    pub livemode: bool,
    #[serde(default)]
    pub description: Option<String>,
}

impl WebhookEndpoint {
    pub fn is_enabled(&self) -> bool {
        self.status == "enabled"
    }
}

/// The fields of an `event` the checks read. `data` (the payload, which holds
/// customer data) is deliberately not deserialised.
#[derive(Clone, Debug, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(deserialize_with = "unix_time")]
    pub created: i64,
    #[serde(default)]
    pub livemode: bool,
    #[serde(default)]
    pub pending_webhooks: u64,
}

/// A Unix time a Stripe object can have (2001–2100): anything else is a malformed
/// answer, and would make the checks' time arithmetic meaningless.
fn unix_time<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let t = i64::deserialize(d)?;
    if (1_000_000_000..=4_102_444_800).contains(&t) {
        Ok(t)
    } else {
        Err(serde::de::Error::custom(format!(
            "`created` {t} is not a plausible time"
        )))
    }
}

trait Identified {
    fn id(&self) -> &str;
}
impl Identified for WebhookEndpoint {
    fn id(&self) -> &str {
        &self.id
    }
}
impl Identified for Event {
    fn id(&self) -> &str {
        &self.id
    }
}

#[derive(Deserialize)]
struct Page<T> {
    object: String,
    data: Vec<T>,
    #[serde(default)]
    has_more: bool,
}

pub struct StripeApi<'a> {
    http: &'a Http,
    base: String,
    key: String,
    key_env: String,
}

impl std::fmt::Debug for StripeApi<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StripeApi({}, key from {})", self.base, self.key_env)
    }
}

impl<'a> StripeApi<'a> {
    /// `key` is the value of the variable `key_env`; only the latter is ever shown.
    pub fn new(http: &'a Http, base: &str, key: String, key_env: &str) -> Self {
        Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            key,
            key_env: key_env.to_owned(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Every webhook endpoint of the account.
    pub async fn webhook_endpoints(&self) -> Result<Vec<WebhookEndpoint>, StripeError> {
        self.list("/v1/webhook_endpoints", &[]).await
    }

    /// Every event matching `filters` (e.g. `delivery_success=false`), newest first.
    pub async fn events(&self, filters: &[(&str, String)]) -> Result<Vec<Event>, StripeError> {
        self.list("/v1/events", filters).await
    }

    async fn list<T: DeserializeOwned + Identified>(
        &self,
        path: &str,
        filters: &[(&str, String)],
    ) -> Result<Vec<T>, StripeError> {
        let mut items = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let url = self.page_url(path, filters, after.as_deref());
            let body = self.get(path, &url).await?;
            let page: Page<T> = serde_json::from_slice(&body).map_err(|e| {
                StripeError::new(
                    path,
                    Problem::Malformed(format!(
                        "not a Stripe list object (JSON error at line {} column {})",
                        e.line(),
                        e.column()
                    )),
                )
            })?;
            if page.object != "list" {
                return Err(StripeError::new(
                    path,
                    Problem::Malformed(format!("`object` is {:?}, not \"list\"", page.object)),
                ));
            }
            let last = page.data.last().map(|item| item.id().to_owned());
            items.extend(page.data);
            match (page.has_more, last) {
                (false, _) => return Ok(items),
                (true, Some(id)) => after = Some(id),
                (true, None) => {
                    return Err(StripeError::new(
                        path,
                        Problem::Malformed("`has_more` on an empty page".to_owned()),
                    ));
                }
            }
        }
        Err(StripeError::new(
            path,
            Problem::TooManyPages { pages: MAX_PAGES },
        ))
    }

    fn page_url(&self, path: &str, filters: &[(&str, String)], after: Option<&str>) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("limit", &PAGE_LIMIT.to_string());
        for (k, v) in filters {
            query.append_pair(k, v);
        }
        if let Some(id) = after {
            query.append_pair("starting_after", id);
        }
        format!("{}{path}?{}", self.base, query.finish())
    }

    /// One GET, retrying 429s with backoff; any other non-2xx is an error.
    async fn get(&self, path: &str, url: &str) -> Result<Vec<u8>, StripeError> {
        let mut retries = 0;
        loop {
            let req = Request::get(url)
                .header("authorization", format!("Bearer {}", self.key))
                .header("accept", "application/json");
            let resp = self
                .http
                .send(req)
                .await
                .map_err(|e| StripeError::new(path, Problem::Net(e)))?;
            match resp.status {
                200..=299 if resp.truncated => {
                    return Err(StripeError::new(
                        path,
                        Problem::Malformed("the answer exceeded the body size cap".to_owned()),
                    ));
                }
                200..=299 => return Ok(resp.body),
                429 if retries < MAX_RETRIES => {
                    tokio::time::sleep(retry_wait(&resp, retries)).await;
                    retries += 1;
                }
                _ => {
                    return Err(error::from_response(
                        path,
                        &resp,
                        &self.key,
                        &self.key_env,
                        retries + 1,
                    ));
                }
            }
        }
    }
}

/// `Retry-After` (seconds) when the server sends it, capped; else exponential backoff.
fn retry_wait(resp: &Response, retries: u32) -> Duration {
    resp.header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s).min(RETRY_AFTER_CAP))
        .unwrap_or_else(|| FIRST_BACKOFF * 2u32.saturating_pow(retries))
}
