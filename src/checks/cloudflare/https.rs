//! `cloudflare.https`: visitors reach the zone only over modern HTTPS. A minimum TLS
//! version below 1.2 accepts protocols with known attacks (`fail`, SPEC §7 "Levels");
//! Always Use HTTPS off leaves plain-HTTP requests served unless the origin redirects
//! them (`warn`: a hardening gap).

use serde_json::json;

use super::{all_hosts, plan_zone, proxied_hosts};
use crate::checks::{Check, Checked, Meta, Plan};
use crate::cloudflare::Settings;
use crate::context::Context;
use crate::evidence::cloudflare::ZoneSettings;
use crate::meta;
use crate::report::Outcome;

pub struct Https;

impl Check for Https {
    const META: &'static Meta = meta! {
        id: "cloudflare.https",
        title: "Cloudflare redirects to HTTPS and refuses TLS below 1.2",
        severity: Fail,
        needs: "manifest `cloudflare`; a Cloudflare API token (Zone Read, Zone Settings Read, DNS Read)",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        plan_zone(cx)
    }

    async fn run(&self, cx: &Context, _zone: &str) -> Checked {
        super::guard(cx)?;
        let (_, proxied) = proxied_hosts(cx, all_hosts(cx)).await?;
        let settings = cx.get(ZoneSettings).await?;
        Ok(judge(&settings, &proxied))
    }
}

pub(crate) fn judge(s: &Settings, proxied: &[String]) -> Outcome {
    let details = json!({
        "always_use_https": s.always_use_https,
        "min_tls_version": s.min_tls_version,
        "proxied_hosts": proxied,
    });
    let old_tls = matches!(s.min_tls_version.as_str(), "1.0" | "1.1");
    let known_tls = old_tls || matches!(s.min_tls_version.as_str(), "1.2" | "1.3");
    if !known_tls {
        return Outcome::error(format!(
            "unknown minimum TLS version `{}`: cannot tell",
            s.min_tls_version
        ))
        .details(details);
    }
    let https_off = s.always_use_https != "on";
    let mut problems = Vec::new();
    if old_tls {
        problems.push(format!(
            "minimum TLS version {} (below 1.2)",
            s.min_tls_version
        ));
    }
    if https_off {
        problems.push("Always Use HTTPS is off".to_owned());
    }
    let mut fixes = Vec::new();
    if old_tls {
        fixes.push("SSL/TLS → Edge Certificates → Minimum TLS Version: TLS 1.2");
    }
    if https_off {
        fixes.push("SSL/TLS → Edge Certificates → Always Use HTTPS: on");
    }
    let out = if old_tls {
        Outcome::fail(problems.join("; "))
    } else if https_off {
        Outcome::warn(format!(
            "{}: plain-HTTP requests reach the site unless the origin redirects them",
            problems.join("; ")
        ))
    } else {
        return Outcome::pass(format!(
            "Always Use HTTPS on; minimum TLS version {}",
            s.min_tls_version
        ))
        .details(details);
    };
    out.details(details).remediation(format!(
        "In the Cloudflare dashboard: {}.",
        fixes.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;

    fn settings(https: &str, tls: &str) -> Settings {
        Settings {
            ssl: "strict".to_owned(),
            ssl_automatic_mode: None,
            always_use_https: https.to_owned(),
            min_tls_version: tls.to_owned(),
            security_level: "medium".to_owned(),
        }
    }

    #[test]
    fn tls_below_1_2_fails_and_https_off_warns() {
        let h = vec!["www.acme.app".to_owned()];
        assert_eq!(judge(&settings("on", "1.2"), &h).status, Status::Pass);
        assert_eq!(judge(&settings("on", "1.3"), &h).status, Status::Pass);
        assert_eq!(judge(&settings("off", "1.2"), &h).status, Status::Warn);
        assert_eq!(judge(&settings("on", "1.0"), &h).status, Status::Fail);
        let both = judge(&settings("off", "1.1"), &h);
        assert_eq!(both.status, Status::Fail);
        assert!(
            both.summary.contains("Always Use HTTPS"),
            "{}",
            both.summary
        );
        assert_eq!(judge(&settings("on", "9"), &h).status, Status::Error);
    }
}
