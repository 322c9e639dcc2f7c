//! The Cloudflare zone in front of production, read once per audit through the
//! read-only client (`crate::net::cloudflare`): the zone, its settings, DNS records,
//! rulesets, page rules and bot settings — each a source of its own, so a token
//! without one permission costs only the checks that need it. No `cloudflare`
//! section is a `skip`; a missing token a `skip` naming the variable; a refused
//! base, a placeholder zone or an API failure an `error` naming the variable or the
//! missing permission.

use super::{Source, Unavailable, net};
use crate::cloudflare::{Bots, Records, Ruleset, Settings, ZoneInfo};
use crate::context::Context;
use crate::manifest::CloudflareSection;
use crate::net::api::{ApiError, Credential};
use crate::net::cloudflare::{CloudflareApi, SPEC};

pub const CACHE_PHASE: &str = "http_request_cache_settings";
pub const CUSTOM_PHASE: &str = "http_request_firewall_custom";
pub const RATELIMIT_PHASE: &str = "http_ratelimit";

fn api_error(e: ApiError) -> Unavailable {
    Unavailable::error(e.to_string())
        .details(e.details())
        .remediation(e.remediation())
}

pub fn section(cx: &Context) -> Result<&CloudflareSection, Unavailable> {
    cx.manifest
        .cloudflare
        .as_ref()
        .ok_or_else(|| Unavailable::skip("no `cloudflare` section in the manifest"))
}

fn api(cx: &Context) -> Result<CloudflareApi<'_>, Unavailable> {
    let cf = section(cx)?;
    if cf.zone.contains("TODO") || cf.zone.trim().is_empty() {
        return Err(Unavailable::error("placeholder in cloudflare.zone")
            .remediation("Set cloudflare.zone to the name of the zone in front of production (e.g. acme.app)."));
    }
    let credential = Credential::read(
        &cf.token_env,
        cx.env.get(&cf.token_env),
        "the cloudflare.* checks need a read-only API token",
    )
    .map_err(Unavailable::skip)?;
    let net = net(cx)?;
    let env_base = cx.env.get(SPEC.base_env).filter(|b| !b.trim().is_empty());
    let manifest_base = cf.api_base.as_ref().map(|b| b.as_str());
    CloudflareApi::connect(net, manifest_base, env_base, credential).map_err(Unavailable::error)
}

/// The zone named by `cloudflare.zone`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Zone;

impl Source for Zone {
    type Value = ZoneInfo;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let name = section(cx)?.zone.trim().to_ascii_lowercase();
        let api = api(cx)?;
        match api.zone(&name).await.map_err(api_error)? {
            Some(z) => Ok(z),
            None => Err(Unavailable::error(format!(
                "Cloudflare has no zone {name} that this token can read"
            ))
            .remediation(format!(
                "Check cloudflare.zone, and give the token in {} \"Zone Read\" on that zone.",
                section(cx)?.token_env
            ))),
        }
    }
}

/// SSL mode (and automatic SSL/TLS), Always Use HTTPS, minimum TLS, security level.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ZoneSettings;

impl Source for ZoneSettings {
    type Value = Settings;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let zone = cx.get(Zone).await?;
        let api = api(cx)?;
        let id = zone.id.as_str();
        let (ssl, auto, https, tls, level) = futures::join!(
            api.setting(id, "ssl"),
            api.setting(id, "ssl_automatic_mode"),
            api.setting(id, "always_use_https"),
            api.setting(id, "min_tls_version"),
            api.setting(id, "security_level"),
        );
        let text =
            |r: Result<crate::cloudflare::SettingValue, ApiError>| -> Result<String, Unavailable> {
                let s = r.map_err(api_error)?;
                s.text().map(str::to_owned).ok_or_else(|| {
                    Unavailable::error(format!("Cloudflare setting {} has no text value", s.id))
                })
            };
        // Zones without automatic SSL/TLS answer 404 there: the mode is the custom one.
        let ssl_automatic_mode = match auto {
            Ok(s) => s.text().map(str::to_owned),
            Err(e) if e.status() == Some(404) => None,
            Err(e) => return Err(api_error(e)),
        };
        Ok(Settings {
            ssl: text(ssl)?,
            ssl_automatic_mode,
            always_use_https: text(https)?,
            min_tls_version: text(tls)?,
            security_level: text(level)?,
        })
    }
}

/// Every DNS record of the zone.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DnsRecords;

impl Source for DnsRecords {
    type Value = Records;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let zone = cx.get(Zone).await?;
        let listing = api(cx)?.dns_records(&zone.id).await.map_err(api_error)?;
        Ok(Records {
            stopped: listing
                .stopped
                .as_ref()
                .map(|s| format!("{s}, {} records read", listing.items.len())),
            records: listing.items,
        })
    }
}

/// The entry-point ruleset of a phase (`None`: the zone has no rules there).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PhaseRules(pub &'static str);

impl Source for PhaseRules {
    type Value = Option<Ruleset>;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let zone = cx.get(Zone).await?;
        api(cx)?
            .entrypoint(&zone.id, self.0)
            .await
            .map_err(api_error)
    }
}

/// Every page rule of the zone.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageRules;

impl Source for PageRules {
    type Value = Vec<crate::cloudflare::PageRule>;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let zone = cx.get(Zone).await?;
        api(cx)?.page_rules(&zone.id).await.map_err(api_error)
    }
}

/// Bot Fight Mode and Super Bot Fight Mode.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BotSettings;

impl Source for BotSettings {
    type Value = Bots;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let zone = cx.get(Zone).await?;
        api(cx)?.bot_management(&zone.id).await.map_err(api_error)
    }
}
