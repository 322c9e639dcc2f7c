//! `tls.protocol`: TLS 1.2 or 1.3 is offered, and TLS 1.0 and 1.1 (deprecated by
//! RFC 8996) are refused. The modern side comes from the shared rustls handshake; the
//! legacy side from hand-built ClientHellos (`net::legacy_tls`).

use serde_json::json;

use crate::checks::{Check, Checked, Meta, Plan};
use crate::context::Context;
use crate::evidence::tls::{
    Handshake, LegacyAnswer, LegacyOffers, NetFailure, TLS1_1, unreachable, version_name,
};
use crate::meta;
use crate::report::Outcome;

pub struct Protocol;

impl Check for Protocol {
    const META: &'static Meta = meta! {
        id: "tls.protocol",
        title: "TLS 1.2+ offered, TLS 1.0/1.1 refused",
        severity: Fail,
        needs: "manifest `web` or `webhooks`; TLS",
        network: true,
        active: false,
    };

    async fn plan(&self, cx: &Context) -> Plan {
        super::host_plan(cx)
    }

    async fn run(&self, cx: &Context, host: &str) -> Checked {
        let modern = cx.get(Handshake(host.to_owned())).await?;
        let modern = &*modern;
        // Only a refused handshake can mean "no TLS 1.2+"; a dead or unknown host
        // cannot be judged at all.
        if let Err(e @ (NetFailure::Dns(_) | NetFailure::Connect(_) | NetFailure::Timeout(_))) =
            modern
        {
            return Err(unreachable(host, e).into());
        }
        let offers = cx.get(LegacyOffers(host.to_owned())).await?;
        let mut accepted = Vec::new();
        let mut answers = serde_json::Map::new();
        for (version, answer) in offers.iter() {
            let version = *version;
            match answer {
                Ok(LegacyAnswer::Accepted(chosen)) => {
                    let chosen = *chosen;
                    answers.insert(
                        version_name(version),
                        json!(format!("accepted ({})", version_name(chosen))),
                    );
                    if chosen <= TLS1_1 && !accepted.contains(&chosen) {
                        accepted.push(chosen);
                    }
                }
                Ok(LegacyAnswer::Refused(how)) => {
                    answers.insert(version_name(version), json!(format!("refused ({how})")));
                }
                Err(e) => {
                    return Err(Outcome::error(format!(
                        "{host}: no readable answer to a {} ClientHello: {e}",
                        version_name(version)
                    ))
                    .details(json!({ "legacy": answers, "reason": e.to_string() })));
                }
            }
        }
        accepted.sort_unstable();
        let legacy: Vec<String> = accepted.iter().map(|v| version_name(*v)).collect();
        let negotiated = modern.as_ref().ok().map(|i| i.protocol.clone());
        let details = json!({
            "negotiated": negotiated,
            "modern_handshake": modern.as_ref().err().map(ToString::to_string),
            "legacy": answers,
            "legacy_accepted": legacy,
        });
        let fix = "Disable TLS 1.0 and 1.1 and enable TLS 1.2 and 1.3 at the TLS terminator (CDN, load balancer or web server); RFC 8996 deprecates the old versions.";
        Ok(match (modern, legacy.is_empty()) {
            (Ok(info), true) => Outcome::pass(format!("{host} negotiates {}; TLS 1.0 and 1.1 refused", pretty(&info.protocol))).details(details),
            (Ok(info), false) => Outcome::fail(format!("{host} still accepts {} (and negotiates {})", legacy.join(" and "), pretty(&info.protocol)))
                .details(details)
                .remediation(fix),
            (Err(_), false) => Outcome::fail(format!("{host} offers no TLS 1.2 or 1.3, only {}", legacy.join(" and ")))
                .details(details)
                .remediation(fix),
            (Err(e), true) => Outcome::error(format!("no TLS handshake with {host}:443: {e}"))
                .details(details)
                .remediation("The server refused TLS 1.2/1.3 and the legacy versions alike: check its TLS configuration and certificate, then run again."),
        })
    }
}

/// `TLSv1_3` (rustls' name) → `TLS 1.3`.
fn pretty(rustls_name: &str) -> String {
    rustls_name
        .replace("TLSv1_", "TLS 1.")
        .replace("TLSv1", "TLS 1")
}
