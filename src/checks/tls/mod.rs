//! `tls.*`: one handshake per HTTPS host (`net.tls.probe`, memoized), read four ways:
//! is the certificate trusted for this name, how long until it expires, which
//! protocol versions the server accepts, and how strong its key and signatures are.

pub mod certificate;
pub mod chain;
pub mod expiry;
pub mod key;
pub mod protocol;

use serde_json::{Value, json};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::evidence::tls::TlsInfo;
use crate::report::Outcome;

/// Every HTTPS host the manifest names (canonical, aliases, hosts, webhook hosts).
pub(crate) use crate::checks::dns::host_plan;

/// Parse one certificate of the served chain.
pub(crate) fn parse(der: &[u8]) -> Option<X509Certificate<'_>> {
    X509Certificate::from_der(der).ok().map(|(_, c)| c)
}

/// The served leaf, parsed.
pub(crate) fn leaf(info: &TlsInfo) -> Option<X509Certificate<'_>> {
    info.chain.first().and_then(|c| parse(c.as_ref()))
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
