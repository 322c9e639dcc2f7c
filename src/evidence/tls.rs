//! TLS: one handshake per host on port 443 (read by `tls.*` and `dns.caa`), the
//! legacy-version ClientHellos of `tls.protocol`, and the audit's trust anchors.

use serde_json::json;

use super::{Source, Unavailable, net};
use crate::context::Context;
pub use crate::net::NetFailure;
pub use crate::net::legacy_tls::{LegacyAnswer, TLS1_0, TLS1_1, version_name};
pub use crate::net::tls::TlsInfo;

/// The modern (rustls) handshake with a host on port 443, or why there was none —
/// a refused handshake is evidence too (`tls.protocol` judges it).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Handshake(pub String);

impl Source for Handshake {
    type Value = Result<std::sync::Arc<TlsInfo>, NetFailure>;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        Ok(net(cx)?.tls.probe(&self.0, 443).await)
    }
}

/// The handshake, for checks that need one to judge anything: no handshake is an
/// `error` that says why.
pub async fn handshake(cx: &Context, host: &str) -> Result<std::sync::Arc<TlsInfo>, Unavailable> {
    match &*cx.get(Handshake(host.to_owned())).await? {
        Ok(info) => Ok(info.clone()),
        Err(e) => Err(unreachable(host, e)),
    }
}

/// No TLS connection to `host:443`: nothing about it can be judged.
pub fn unreachable(host: &str, e: &NetFailure) -> Unavailable {
    Unavailable::error(format!("no TLS handshake with {host}:443: {e}"))
        .details(json!({ "reason": e.to_string() }))
        .remediation("Make sure the host serves HTTPS on port 443 from outside, then run again.")
}

/// A hand-built TLS 1.0 and TLS 1.1 ClientHello to a host on port 443, in that
/// order; the list stops at the first offer that got no readable answer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LegacyOffers(pub String);

/// The offered version and the server's answer (or why it was unreadable).
pub type Offer = (u16, Result<LegacyAnswer, String>);

impl Source for LegacyOffers {
    type Value = Vec<Offer>;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let net = net(cx)?;
        let host = &self.0;
        let addr = net
            .tls
            .address(host, 443)
            .await
            .map_err(|e| unreachable(host, &e))?;
        let mut offers = Vec::new();
        for version in [TLS1_0, TLS1_1] {
            let permit = net.tls.permit().await;
            let answer = crate::net::legacy_tls::offer(addr, host, version, net.config.timeout)
                .await
                .map_err(|e| e.to_string());
            drop(permit);
            let failed = answer.is_err();
            offers.push((version, answer));
            if failed {
                break;
            }
        }
        Ok(offers)
    }
}

/// The subjects (DER) of every trust anchor this audit uses: the built-in roots and
/// `--ca-file`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TrustAnchors;

impl Source for TrustAnchors {
    type Value = Vec<Vec<u8>>;
    async fn fetch(&self, cx: &Context) -> Result<Self::Value, Unavailable> {
        let files = cx
            .net
            .as_ref()
            .map(|n| n.config.ca_files.clone())
            .unwrap_or_default();
        Ok(crate::net::tls::root_store(&files)
            .map(|store| {
                store
                    .roots
                    .iter()
                    .map(|a| a.subject.as_ref().to_vec())
                    .collect()
            })
            .unwrap_or_default())
    }
}
