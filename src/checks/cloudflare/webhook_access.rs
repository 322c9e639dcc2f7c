//! `cloudflare.webhook-access`: Cloudflare lets webhook deliveries through. Stripe
//! and other senders cannot solve a challenge: Under Attack mode, or a custom or
//! rate-limiting rule that blocks or challenges the webhook path, loses events
//! (`fail`) unless an earlier skip rule covers the path; Bot Fight Mode can challenge
//! senders (`warn`). Managed WAF rulesets are not judged.

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::cloudflare::access::judge;
use crate::cloudflare::hosts::{HostState, host_state};
use crate::cloudflare::{Request, Ruleset, pagerule};
use crate::context::Context;
use crate::evidence::cloudflare::{
    BotSettings, CUSTOM_PHASE, DnsRecords, PageRules, PhaseRules, RATELIMIT_PHASE, ZoneSettings,
};
use crate::meta;
use crate::report::Outcome;

pub struct WebhookAccess;

impl Check for WebhookAccess {
    const META: &'static Meta = meta! {
        id: "cloudflare.webhook-access",
        title: "Cloudflare lets webhook deliveries through",
        severity: Fail,
        needs: "manifest `cloudflare` and `webhooks`; a Cloudflare API token (Zone Read, Zone Settings Read, DNS Read, Zone WAF Read, Page Rules Read, Bot Management Read)",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        if cx.manifest.cloudflare.is_none() {
            return Plan::skip("cloudflare", "no `cloudflare` section in the manifest");
        }
        if cx.manifest.webhooks.is_empty() {
            return Plan::skip("cloudflare", "no webhooks in the manifest");
        }
        Plan::Targets(
            cx.manifest
                .webhooks
                .iter()
                .map(|w| w.name.clone())
                .collect(),
        )
    }

    async fn run(&self, cx: &Context, name: &str) -> Checked {
        super::guard(cx)?;
        let Some(webhook) = cx.manifest.webhooks.iter().find(|w| w.name == name) else {
            return Ok(Outcome::error(format!("no webhook named {name}")));
        };
        let zone = super::zone_name(cx).unwrap_or_default();
        let host = webhook.url.host().to_ascii_lowercase();
        if let Some(why) = super::zone_inactive(cx).await? {
            return Ok(Outcome::skip(why));
        }
        let records = cx.get(DnsRecords).await?;
        match host_state(&records.records, &zone, &host) {
            HostState::Proxied(_) => {}
            HostState::OutsideZone => {
                return Ok(Outcome::skip(format!("{host} is not in the zone {zone}")));
            }
            HostState::DnsOnly(rs) => {
                let names: Vec<String> = rs.iter().map(|r| r.describe()).collect();
                return Ok(Outcome::skip(format!(
                    "{host} is not proxied, so Cloudflare's rules do not see its traffic: {}",
                    names.join("; ")
                )));
            }
            HostState::NoRecord if records.stopped.is_some() => {
                return Ok(Outcome::error(format!(
                    "no record for {host} among the DNS records read ({})",
                    records.stopped.as_deref().unwrap_or("")
                )));
            }
            HostState::NoRecord => {
                return Ok(Outcome::skip(format!(
                    "the zone has no record for {host}: its traffic does not pass through Cloudflare"
                )));
            }
        }
        let settings = cx.get(ZoneSettings).await?;
        let custom = cx.get(PhaseRules(CUSTOM_PHASE)).await?;
        let ratelimit = cx.get(PhaseRules(RATELIMIT_PHASE)).await?;
        let bots = cx.get(BotSettings).await?;
        let path = match webhook.url.0.query() {
            Some(q) => format!("{}?{q}", webhook.url.0.path()),
            None => webhook.url.0.path().to_owned(),
        };
        let req = Request::new(&host, &path, "POST");
        // A page rule's Security Level wins over the zone's for the URLs it matches.
        let page_rules = cx.get(PageRules).await?;
        let page_rule = pagerule::applying(&page_rules, &req).and_then(|pr| {
            Some((
                pr.label(),
                pr.action("security_level")?.as_str()?.to_owned(),
            ))
        });
        let level = match &page_rule {
            Some((_, level)) => level.clone(),
            None => settings.security_level.clone(),
        };
        let rules = |r: &Option<Ruleset>| r.as_ref().map(|r| r.rules.clone()).unwrap_or_default();
        let access = judge(
            &req,
            &level,
            &rules(&custom),
            &rules(&ratelimit),
            Some(&bots),
        );
        let unevaluable: Vec<String> = access
            .unevaluable
            .iter()
            .map(|(r, why)| format!("{r}: {why}"))
            .collect();
        let details = json!({
            "url": webhook.url.as_str(),
            "security_level": level,
            "security_level_from": page_rule.as_ref().map_or("zone setting".to_owned(), |(label, _)| label.clone()),
            "blocked_by": access.fails,
            "warnings": access.warns,
            "unevaluable_rules": unevaluable,
            "skipped_by": access.skipped_by,
            "bot_fight_mode": bots.fight_mode,
        });
        let cannot = if unevaluable.is_empty() {
            String::new()
        } else {
            format!(
                "; cannot evaluate {}",
                access
                    .unevaluable
                    .iter()
                    .map(|(r, _)| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let fix = format!(
            "Add a custom rule with action Skip for `http.request.uri.path eq \"{}\"` placed first (skip the remaining custom rules, rate limiting, Super Bot Fight Mode and Security Level), and turn Bot Fight Mode off; the webhook's signature is its protection.",
            webhook.url.0.path()
        );
        if !access.fails.is_empty() {
            return Ok(
                Outcome::fail(format!("{}{cannot}", access.fails.join("; ")))
                    .details(details)
                    .remediation(fix),
            );
        }
        if !access.warns.is_empty() || !unevaluable.is_empty() {
            let mut words = access.warns.clone();
            words.extend(unevaluable.iter().map(|u| format!("cannot evaluate {u}")));
            return Ok(Outcome::warn(words.join("; "))
                .details(details)
                .remediation(fix));
        }
        Ok(Outcome::pass(format!(
            "no rule blocks or challenges POST {} (security level {})",
            webhook.url.0.path(),
            level
        ))
        .details(details))
    }
}
