//! `tls.*`: one handshake per HTTPS host (`net.tls.probe`, memoized), read four ways:
//! is the certificate trusted for this name, how long until it expires, which
//! protocol versions the server accepts, and how strong its key and signatures are.

pub mod certificate;
pub mod chain;
pub mod expiry;
pub mod key;
pub mod protocol;

use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use serde_json::{Value, json};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::checks::Plan;
use crate::context::Context;
use crate::net::NetFailure;
use crate::net::tls::TlsInfo;
use crate::report::Outcome;

/// Every HTTPS host the manifest names (canonical, aliases, hosts, webhook hosts).
pub(crate) fn host_plan(cx: &Context) -> Plan {
    let hosts = cx.web_hosts();
    if hosts.is_empty() {
        Plan::skip("web", "no `web` section or webhooks in the manifest")
    } else {
        Plan::Targets(hosts)
    }
}

/// The shared handshake on port 443, or the `error` outcome that explains why there
/// is none.
pub(crate) async fn handshake(cx: &Context, host: &str) -> Result<Arc<TlsInfo>, Outcome> {
    let net = cx.net()?;
    net.tls
        .probe(host, 443)
        .await
        .map_err(|e| unreachable(host, &e))
}

pub(crate) fn unreachable(host: &str, e: &NetFailure) -> Outcome {
    Outcome::error(format!("no TLS handshake with {host}:443: {e}"))
        .details(json!({ "reason": e.to_string() }))
        .remediation("Make sure the host serves HTTPS on port 443 from outside, then run again.")
}

/// Parse one certificate of the served chain.
pub(crate) fn parse<'a>(der: &'a CertificateDer<'_>) -> Option<X509Certificate<'a>> {
    X509Certificate::from_der(der.as_ref()).ok().map(|(_, c)| c)
}

/// The served leaf, parsed.
pub(crate) fn leaf(info: &TlsInfo) -> Option<X509Certificate<'_>> {
    info.chain.first().and_then(parse)
}

/// A server that sends an unreadable certificate cannot be judged.
pub(crate) fn unparsable() -> Outcome {
    Outcome::error("the server's certificate could not be parsed")
}

/// The certificate fields people recognise, for `details`.
pub(crate) fn cert_fields(cert: &X509Certificate<'_>) -> Value {
    json!({
        "subject": cert.subject().to_string(),
        "issuer": cert.issuer().to_string(),
        "not_before": date(cert.validity().not_before.timestamp()),
        "not_after": date(cert.validity().not_after.timestamp()),
        "names": dns_names(cert),
    })
}

pub(crate) fn dns_names(cert: &X509Certificate<'_>) -> Vec<String> {
    use x509_parser::extensions::GeneralName;
    cert.subject_alternative_name()
        .ok()
        .flatten()
        .map(|san| {
            san.value
                .general_names
                .iter()
                .filter_map(|n| match n {
                    GeneralName::DNSName(d) => Some(d.to_ascii_lowercase()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `2026-12-09` for a Unix timestamp (or the number, if out of range).
pub(crate) fn date(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .map(|t| t.date().to_string())
        .unwrap_or_else(|_| ts.to_string())
}

/// The subjects (DER) of every trust anchor this audit uses: the built-in roots and
/// `--ca-file`, read once per audit.
pub(crate) async fn anchor_subjects(cx: &Context) -> Arc<Vec<Vec<u8>>> {
    cx.shared("tls.anchor-subjects", || async {
        let files = cx
            .net
            .as_ref()
            .map(|n| n.config.ca_files.clone())
            .unwrap_or_default();
        crate::net::tls::root_store(&files)
            .map(|store| {
                store
                    .roots
                    .iter()
                    .map(|a| a.subject.as_ref().to_vec())
                    .collect()
            })
            .unwrap_or_default()
    })
    .await
}
