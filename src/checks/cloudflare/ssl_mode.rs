//! `cloudflare.ssl-mode`: how Cloudflare reaches the origin. `flexible` and `off`
//! send visitors' traffic to the origin in plain HTTP (and `flexible` behind an
//! origin that redirects to https is the classic redirect loop); `full` encrypts but
//! accepts any origin certificate; `strict` validates it. Under automatic SSL/TLS
//! the mode Cloudflare applies now is judged.

use serde_json::json;

use super::{all_hosts, plan_zone, proxied_hosts};
use crate::checks::{Check, Checked, Meta, Plan};
use crate::cloudflare::Settings;
use crate::context::Context;
use crate::evidence::cloudflare::ZoneSettings;
use crate::meta;
use crate::report::Outcome;

pub struct SslMode;

impl Check for SslMode {
    const META: &'static Meta = meta! {
        id: "cloudflare.ssl-mode",
        title: "Cloudflare reaches the origin over validated HTTPS",
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
    let how = if s.automatic_ssl() {
        "automatic SSL/TLS has set the encryption mode to"
    } else {
        "encryption mode"
    };
    let details = json!({
        "ssl": s.ssl,
        "ssl_automatic_mode": s.ssl_automatic_mode,
        "proxied_hosts": proxied,
    });
    let out = match s.ssl.as_str() {
        "strict" | "origin_pull" => Outcome::pass(format!("{how} Full (strict): the origin certificate is validated")),
        "full" => Outcome::warn(format!("{how} Full: the origin is reached over HTTPS but its certificate is not validated"))
            .remediation("Install a certificate the origin can present (a Cloudflare Origin CA certificate is free), then set SSL/TLS → Overview → Full (strict)."),
        "flexible" => Outcome::fail(format!("{how} Flexible: Cloudflare reaches the origin in plain HTTP (and an origin that redirects to https loops)"))
            .remediation("Serve HTTPS on the origin (a Cloudflare Origin CA certificate is free) and set SSL/TLS → Overview → Full (strict)."),
        "off" => Outcome::fail(format!("{how} Off: visitors are served without HTTPS"))
            .remediation("Set SSL/TLS → Overview → Full (strict) once the origin serves HTTPS."),
        other => Outcome::error(format!("unknown Cloudflare SSL mode `{other}`: cannot tell")),
    };
    out.details(details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;

    fn settings(ssl: &str, auto: Option<&str>) -> Settings {
        Settings {
            ssl: ssl.to_owned(),
            ssl_automatic_mode: auto.map(str::to_owned),
            always_use_https: "on".to_owned(),
            min_tls_version: "1.2".to_owned(),
            security_level: "medium".to_owned(),
        }
    }

    #[test]
    fn modes_map_to_verdicts() {
        let hosts = vec!["www.acme.app".to_owned()];
        for (mode, status) in [
            ("strict", Status::Pass),
            ("origin_pull", Status::Pass),
            ("full", Status::Warn),
            ("flexible", Status::Fail),
            ("off", Status::Fail),
            ("weird", Status::Error),
        ] {
            assert_eq!(
                judge(&settings(mode, None), &hosts).status,
                status,
                "{mode}"
            );
        }
        let auto = judge(&settings("full", Some("auto")), &hosts);
        assert_eq!(auto.status, Status::Warn);
        assert!(
            auto.summary.contains("automatic SSL/TLS"),
            "{}",
            auto.summary
        );
    }
}
