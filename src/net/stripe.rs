//! The Stripe API on the shared client (`net::api`): Stripe's base rule, caps,
//! retries (the SDKs': twice, honouring `Stripe-Should-Retry`), and the two
//! listings the checks read, typed to the fields they use.

use serde::{Deserialize, Serialize};

use super::Net;
use super::api::{ApiClient, ApiSpec, Auth, Credential, Listing, Paging, Stop};
pub use super::api::{ApiError as StripeError, Problem};
use crate::stripe::keys::{StripeKeyKind, StripeMode, parse_key};

pub const DEFAULT_API_BASE: &str = "https://api.stripe.com";
/// Stripe's largest page.
pub const PAGE_LIMIT: usize = 100;
/// 50 pages of 100: beyond this an audit would hammer the API (and the audit
/// deadline) for evidence a person cannot read anyway; what was read is kept.
pub const MAX_PAGES: usize = 50;
/// Real events are ~5–25 KB pretty-printed, an expanded invoice far more: a page
/// of 100 can pass 2 MiB, so Stripe gets a cap of its own.
pub const PAGE_CAP: usize = 16 * 1024 * 1024;

pub static SPEC: ApiSpec = ApiSpec {
    name: "Stripe",
    default_base: DEFAULT_API_BASE,
    base_env: "STRIPE_API_BASE",
    base_field: "stripe.api_base",
    own_hosts: &["api.stripe.com"],
    auth: Auth::Bearer,
    body_cap: PAGE_CAP,
    max_pages: MAX_PAGES,
    max_listing_bytes: 128 * 1024 * 1024,
    max_retries: 2,
    should_retry_header: Some("stripe-should-retry"),
    permission_for,
    key_help: "a restricted key (rk_live_…) with read access to Webhook Endpoints and Events is enough (Stripe Dashboard → Developers → API keys)",
    key_settings: "Stripe Dashboard → Developers → API keys",
    status_page: "https://status.stripe.com",
    narrow_hint: "Lower stripe.lookback_hours so the audit reads fewer events.",
};

/// The permission a restricted key needs for a path, as the Dashboard names it.
pub fn permission_for(path: &str) -> String {
    match path {
        "/v1/webhook_endpoints" => "Webhook Endpoints: Read".to_owned(),
        "/v1/events" => "Events: Read".to_owned(),
        p if p.starts_with("/v1/customers") => "Customers: Read".to_owned(),
        other => format!("read access to {other}"),
    }
}

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
    /// Set on Connect endpoints (their events are the connected accounts', not
    /// listed by the platform's `/v1/events`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
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

pub struct StripeApi<'a> {
    client: ApiClient<'a>,
}

impl std::fmt::Debug for StripeApi<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.client.fmt(f)
    }
}

impl<'a> StripeApi<'a> {
    /// A client for the key in `credential`, if SPEC §6's rule lets it go to the
    /// base (`STRIPE_API_BASE` from the environment wins over `stripe.api_base`).
    /// Test-mode keys (`sk_test_`, `rk_test_`) are the only non-live credentials.
    /// The error names the base and `--allow-api-base`.
    pub fn connect(
        net: &'a Net,
        manifest_base: Option<&str>,
        env_base: Option<&str>,
        credential: Credential,
    ) -> Result<Self, String> {
        let parsed = parse_key(credential.expose());
        if let Some(key) = &parsed
            && matches!(
                key.kind,
                StripeKeyKind::Publishable | StripeKeyKind::WebhookSecret
            )
        {
            let kind = if key.kind == StripeKeyKind::Publishable {
                "publishable"
            } else {
                "webhook signing"
            };
            return Err(format!(
                "{} holds a {kind} key ({}…), not a secret or restricted API key",
                credential.var,
                key.prefix()
            ));
        }
        let test_mode = parsed.is_some_and(|k| k.mode == Some(StripeMode::Test));
        let credential = credential.live(!test_mode);
        let client = ApiClient::new(&SPEC, net, manifest_base, env_base, credential)?;
        Ok(Self { client })
    }

    pub fn base(&self) -> &str {
        self.client.base()
    }

    /// Every webhook endpoint of the account.
    pub async fn webhook_endpoints(&self) -> Result<Vec<WebhookEndpoint>, StripeError> {
        let listing = self.listing("/v1/webhook_endpoints", &[]).await?;
        complete("/v1/webhook_endpoints", listing)
    }

    /// Every event matching `filters` (e.g. `delivery_success=false`), newest
    /// first; a listing stopped at a cap is an error naming the cap.
    pub async fn events(&self, filters: &[(&str, String)]) -> Result<Vec<Event>, StripeError> {
        complete("/v1/events", self.events_listing(filters).await?)
    }

    /// The events matching `filters`, newest first, as far as the caps allowed:
    /// a partial listing still proves "at least N".
    pub async fn events_listing(
        &self,
        filters: &[(&str, String)],
    ) -> Result<Listing<Event>, StripeError> {
        self.listing("/v1/events", filters).await
    }

    /// The events matching `filters` as raw JSON (their `data.object` included),
    /// as far as the caps allowed.
    pub async fn raw_events_listing(
        &self,
        filters: &[(&str, String)],
    ) -> Result<Listing<serde_json::Value>, StripeError> {
        self.listing("/v1/events", filters).await
    }

    /// The events matching `filters`, typed by the caller (e.g. reduced to the few
    /// fields a check reads), as far as `caps` (pages, bytes) and `until` (default:
    /// the audit's listing deadline) allowed.
    pub async fn events_listing_as<T: serde::de::DeserializeOwned>(
        &self,
        filters: &[(&str, String)],
        caps: (usize, usize),
        until: Option<std::time::Instant>,
    ) -> Result<Listing<T>, StripeError> {
        let query: Vec<(String, String)> = filters
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let paging = Paging::StripeList { limit: PAGE_LIMIT };
        self.client
            .list_up_to("/v1/events", &query, paging, until, caps)
            .await
    }

    /// One customer object (`GET /v1/customers/{id}`).
    pub async fn customer(&self, id: &str) -> Result<serde_json::Value, StripeError> {
        if !id.starts_with("cus_") || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(StripeError::new(
                &SPEC,
                "/v1/customers",
                Problem::Malformed(format!("`{id}` is not a customer id")),
            ));
        }
        self.client
            .get_json(&format!("/v1/customers/{id}"), &[])
            .await
    }

    async fn listing<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        filters: &[(&str, String)],
    ) -> Result<Listing<T>, StripeError> {
        let query: Vec<(String, String)> = filters
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let paging = Paging::StripeList { limit: PAGE_LIMIT };
        self.client.list(path, &query, paging, None).await
    }
}

fn complete<T>(path: &str, listing: Listing<T>) -> Result<Vec<T>, StripeError> {
    match listing.stopped {
        None => Ok(listing.items),
        Some(Stop::Pages(pages)) => Err(StripeError::new(
            &SPEC,
            path,
            Problem::TooManyPages { pages },
        )),
        Some(Stop::Size(cap)) => Err(StripeError::new(&SPEC, path, Problem::TooLarge { cap })),
        Some(Stop::Time(spent)) => Err(StripeError::new(
            &SPEC,
            path,
            Problem::OutOfTime {
                secs: spent.as_secs(),
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{Event, WebhookEndpoint};

    #[test]
    fn real_shapes_deserialise_with_nulls_and_unknown_fields() {
        let endpoint: WebhookEndpoint = serde_json::from_str(
            r#"{"id": "we_1", "object": "webhook_endpoint", "api_version": null, "application": "ca_1",
                "created": 1234567890, "description": null, "enabled_events": ["*"], "livemode": true,
                "metadata": {}, "status": "enabled", "url": "https://www.acme.app/api/webhooks/stripe"}"#,
        )
        .unwrap();
        assert_eq!(endpoint.application.as_deref(), Some("ca_1"));
        assert!(endpoint.is_enabled() && endpoint.description.is_none());
        let event: Event = serde_json::from_str(
            r#"{"id": "evt_1", "object": "event", "api_version": null, "created": 1234567890,
                "data": {"object": {"id": "plan_1", "amount": null}}, "livemode": false,
                "pending_webhooks": 2, "request": {"id": null, "idempotency_key": null},
                "type": "plan.created"}"#,
        )
        .unwrap();
        assert_eq!(
            (event.kind.as_str(), event.pending_webhooks),
            ("plan.created", 2)
        );
        let bad = r#"{"id": "evt_1", "type": "x", "created": 12}"#;
        assert!(serde_json::from_str::<Event>(bad).is_err());
    }
}
