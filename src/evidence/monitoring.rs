//! The uptime monitors of the `monitoring` provider, read once per audit through
//! its read-only API (Better Stack `GET /api/v2/monitors`, UptimeRobot
//! `POST /v2/getMonitors`).

use super::{Source, Unavailable, net};
use crate::context::Context;
use crate::manifest::{MonitoringProvider, MonitoringSection};
use crate::monitoring::Monitor;
use crate::net::api::{ApiError, Credential, Listing, Stop};
use crate::net::betterstack::{self, BetterStackApi};
use crate::net::uptimerobot::{self, UptimeRobotApi};

/// Every monitor of the account (or the token's team).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Monitors;

pub struct MonitorSet {
    pub provider: &'static str,
    pub monitors: Vec<Monitor>,
    pub pages: usize,
    /// Where the listing stopped before its end (a cap), if it did.
    pub stopped: Option<Stop>,
}

pub fn section(cx: &Context) -> Result<&MonitoringSection, Unavailable> {
    cx.manifest
        .monitoring
        .as_ref()
        .ok_or_else(|| Unavailable::skip("no `monitoring` section in the manifest"))
}

fn api_error(e: ApiError) -> Unavailable {
    Unavailable::error(e.to_string())
        .details(e.details())
        .remediation(e.remediation())
}

impl Source for Monitors {
    type Value = MonitorSet;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let section = section(cx)?;
        let var = section.token_var();
        let needed_by = match section.provider {
            MonitoringProvider::Betterstack => {
                "monitoring.coverage needs a Better Stack Uptime API token"
            }
            MonitoringProvider::Uptimerobot => {
                "monitoring.coverage needs an UptimeRobot read-only API key"
            }
        };
        let credential =
            Credential::read(var, cx.env.get(var), needed_by).map_err(Unavailable::skip)?;
        let net = net(cx)?;
        let env_base = cx
            .env
            .get("MONITORING_API_BASE")
            .filter(|b| !b.trim().is_empty());
        let manifest_base = section.api_base.as_ref().map(|b| b.as_str());
        let listing: Listing<Monitor> = match section.provider {
            MonitoringProvider::Betterstack => {
                BetterStackApi::connect(net, manifest_base, env_base, credential)
                    .map_err(Unavailable::error)?
                    .monitors()
                    .await
            }
            MonitoringProvider::Uptimerobot => {
                UptimeRobotApi::connect(net, manifest_base, env_base, credential)
                    .map_err(Unavailable::error)?
                    .monitors()
                    .await
            }
        }
        .map_err(api_error)?;
        Ok(MonitorSet {
            provider: match section.provider {
                MonitoringProvider::Betterstack => betterstack::SPEC.name,
                MonitoringProvider::Uptimerobot => uptimerobot::SPEC.name,
            },
            monitors: listing.items,
            pages: listing.pages,
            stopped: listing.stopped,
        })
    }
}
