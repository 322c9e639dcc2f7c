//! HubSpot's CRM API on the shared client (`net::api`): a private app token as a
//! bearer, HubSpot's base rule, caps and retries. The contacts search itself (its
//! batching and limits) lives in `crate::crm::hubspot`.

use serde_json::Value;

use super::Net;
use super::api::{ApiClient, ApiError, ApiSpec, Auth, Credential};
use crate::crm::hubspot::{DEFAULT_API_BASE, MAX_SEARCHES, SCOPE, SEARCH_PATH, find_contacts};
use crate::crm::{Directory, FindError, Found, MatchKey};

pub static SPEC: ApiSpec = ApiSpec {
    name: "HubSpot",
    default_base: DEFAULT_API_BASE,
    base_env: "HUBSPOT_API_BASE",
    base_field: "crm.api_base",
    own_hosts: &["api.hubapi.com", "api.hubspot.com"],
    auth: Auth::Bearer,
    // A search page of 100 contacts with three properties is ~40 KB.
    body_cap: 4 * 1024 * 1024,
    max_pages: 100,
    max_listing_bytes: 64 * 1024 * 1024,
    max_retries: 2,
    should_retry_header: None,
    permission_for,
    key_help: "a private app token with the crm.objects.contacts.read scope (HubSpot → Settings → Integrations → Private Apps)",
    key_settings: "HubSpot → Settings → Integrations → Private Apps → the app → Scopes",
    status_page: "https://status.hubspot.com",
    narrow_hint: "Lower crm.lookback_hours so fewer customers are looked up.",
};

pub fn permission_for(_path: &str) -> String {
    SCOPE.to_owned()
}

pub struct HubSpotApi<'a> {
    client: ApiClient<'a>,
}

impl<'a> HubSpotApi<'a> {
    /// A client for the token in `credential`, if the base rule lets it go to the
    /// base (`HUBSPOT_API_BASE` from the environment wins over `crm.api_base`).
    pub fn connect(
        net: &'a Net,
        manifest_base: Option<&str>,
        env_base: Option<&str>,
        credential: Credential,
    ) -> Result<Self, String> {
        let client = ApiClient::new(&SPEC, net, manifest_base, env_base, credential)?;
        Ok(Self { client })
    }

    /// One page of the contacts search.
    pub async fn search_contacts(&self, body: &Value) -> Result<Value, ApiError> {
        self.client.post_json(SEARCH_PATH, body).await
    }
}

impl Directory for HubSpotApi<'_> {
    type Error = ApiError;
    async fn find_contacts(
        &self,
        keys: &[String],
        by: &MatchKey,
        until: Option<tokio::time::Instant>,
    ) -> Result<Found, FindError<ApiError>> {
        find_contacts(keys, by, MAX_SEARCHES, until, |body| async move {
            self.search_contacts(&body).await
        })
        .await
    }
}
