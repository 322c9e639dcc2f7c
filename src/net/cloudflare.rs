//! The Cloudflare API (v4) on the shared client (`net::api`): a bearer token,
//! Cloudflare's envelope (`success`, `errors`, `result`, `result_info`), numbered
//! pages, and the permission each read needs, as the token editor names it. Typed to
//! the fields the checks read (`crate::cloudflare`).

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Net;
use super::api::{ApiClient, ApiError, ApiSpec, Auth, Credential, Listing, Paging, Problem};
use crate::cloudflare::{Bots, DnsRecord, PageRule, Ruleset, SettingValue, ZoneInfo};

pub const DEFAULT_API_BASE: &str = "https://api.cloudflare.com/client/v4";
/// DNS records per page (the API's default; the fake pages at the same size).
pub const DNS_PAGE: usize = 100;

pub static SPEC: ApiSpec = ApiSpec {
    name: "Cloudflare",
    default_base: DEFAULT_API_BASE,
    base_env: "CLOUDFLARE_API_BASE",
    base_field: "cloudflare.api_base",
    own_hosts: &["api.cloudflare.com"],
    auth: Auth::Bearer,
    // A page of 100 DNS records is ~40 KB pretty-printed; a large ruleset ~1 MB.
    body_cap: 8 * 1024 * 1024,
    // 50 pages of 100 records: a zone larger than that is read in part.
    max_pages: 50,
    max_listing_bytes: 64 * 1024 * 1024,
    max_retries: 2,
    should_retry_header: None,
    permission_for,
    key_help: "an API token with read permissions on the zone (My Profile → API Tokens → Create Token → \"Read all resources\" template, or the permissions each check's doc names)",
    key_settings: "Cloudflare dashboard → My Profile → API Tokens → the token → Edit",
    status_page: "https://www.cloudflarestatus.com",
    narrow_hint: "The zone is larger than the audit reads; raise --deadline or audit a smaller zone.",
};

/// The token permission a path needs, as Cloudflare's token editor names it.
pub fn permission_for(path: &str) -> String {
    let p = path;
    let name = if p == "/zones" {
        "Zone Read"
    } else if p.contains("/dns_records") {
        "DNS Read"
    } else if p.contains("/pagerules") {
        "Page Rules Read"
    } else if p.contains("/bot_management") {
        "Bot Management Read"
    } else if p.contains("/http_request_cache_settings") {
        "Cache Rules Read"
    } else if p.contains("/rulesets") {
        "Zone WAF Read"
    } else if p.contains("/settings") {
        "Zone Settings Read"
    } else {
        "Zone Read"
    };
    name.to_owned()
}

pub struct CloudflareApi<'a> {
    client: ApiClient<'a>,
}

impl<'a> CloudflareApi<'a> {
    /// A client for the token, if the base rule lets it go to the base
    /// (`CLOUDFLARE_API_BASE` from the environment wins over `cloudflare.api_base`).
    pub fn connect(
        net: &'a Net,
        manifest_base: Option<&str>,
        env_base: Option<&str>,
        credential: Credential,
    ) -> Result<Self, String> {
        let client = ApiClient::new(&SPEC, net, manifest_base, env_base, credential)?;
        Ok(Self { client })
    }

    /// The `result` of a Cloudflare envelope; `success: false` on a 2xx answer is an
    /// error carrying Cloudflare's own message.
    async fn result<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(String, String)],
    ) -> Result<T, ApiError> {
        let body = self.client.get_json(path, query).await?;
        let malformed = |why: String| ApiError::new(&SPEC, path, Problem::Malformed(why));
        if body.get("success").and_then(Value::as_bool) != Some(true) {
            let message = body
                .pointer("/errors/0/message")
                .and_then(Value::as_str)
                .map(|m| crate::net::api::sanitise(m, ""))
                .unwrap_or_else(|| "no `success: true` in the answer".to_owned());
            return Err(malformed(format!(
                "Cloudflare answered unsuccessfully: {message}"
            )));
        }
        let result = body.get("result").cloned().unwrap_or(Value::Null);
        serde_json::from_value(result).map_err(|e| malformed(format!("`result`: {e}")))
    }

    /// The zone of this name the token can see (`None`: no such zone for it).
    pub async fn zone(&self, name: &str) -> Result<Option<ZoneInfo>, ApiError> {
        let query = [("name".to_owned(), name.to_owned())];
        let zones: Vec<ZoneInfo> = self.result("/zones", &query).await?;
        Ok(zones
            .into_iter()
            .find(|z| z.name.eq_ignore_ascii_case(name)))
    }

    /// One zone setting (`/zones/{id}/settings/{name}`).
    pub async fn setting(&self, zone: &str, name: &str) -> Result<SettingValue, ApiError> {
        self.result(&format!("/zones/{zone}/settings/{name}"), &[])
            .await
    }

    pub async fn bot_management(&self, zone: &str) -> Result<Bots, ApiError> {
        self.result(&format!("/zones/{zone}/bot_management"), &[])
            .await
    }

    /// Every DNS record, page by page (`Listing::stopped` past the caps).
    pub async fn dns_records(&self, zone: &str) -> Result<Listing<DnsRecord>, ApiError> {
        let paging = Paging::Numbered {
            items: "/result",
            page_param: "page",
            size: ("per_page", DNS_PAGE),
            total_pages: "/result_info/total_pages",
        };
        self.client
            .list(&format!("/zones/{zone}/dns_records"), &[], paging, None)
            .await
    }

    /// The zone's entry-point ruleset of a phase; `None` when the zone has none
    /// (Cloudflare answers 404: no rules were ever made in that phase).
    pub async fn entrypoint(&self, zone: &str, phase: &str) -> Result<Option<Ruleset>, ApiError> {
        let path = format!("/zones/{zone}/rulesets/phases/{phase}/entrypoint");
        match self.result(&path, &[]).await {
            Ok(ruleset) => Ok(Some(ruleset)),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every page rule (the endpoint does not page).
    pub async fn page_rules(&self, zone: &str) -> Result<Vec<PageRule>, ApiError> {
        self.result(&format!("/zones/{zone}/pagerules"), &[]).await
    }
}
