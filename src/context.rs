//! What a check can see: the manifest, the resolved environment, the network (unless
//! `--offline`) and the audit's clock.

use std::path::PathBuf;

use crate::manifest::{Env, Manifest};
use crate::net::Net;

pub struct Context {
    pub manifest: Manifest,
    pub manifest_path: PathBuf,
    /// Relative paths in the manifest are resolved against this folder.
    pub base_dir: PathBuf,
    pub env: Env,
    /// `None` with `--offline`.
    pub net: Option<Net>,
    /// `--active`: probes that send signed test events are allowed.
    pub active: bool,
    pub now: time::OffsetDateTime,
    /// Every evidence source's answers, fetched once per audit.
    pub evidence: crate::evidence::Store,
}

impl Context {
    /// The evidence `key` names: fetched by the first check that asks, shared by all.
    pub async fn get<S: crate::evidence::Source>(&self, key: S) -> crate::evidence::Got<S::Value> {
        self.evidence.get(self, key).await
    }

    pub fn today(&self) -> time::Date {
        self.now.date()
    }

    /// The network, or the reason there is none (the runner skips network checks
    /// under `--offline` before they run, so this is a safeguard).
    pub fn net(&self) -> Result<&Net, crate::evidence::Unavailable> {
        crate::evidence::net(self)
    }

    pub fn canonical_host(&self) -> Option<String> {
        self.manifest
            .web
            .as_ref()
            .map(|w| w.canonical.host().to_ascii_lowercase())
    }

    /// Every web host the manifest names: canonical, aliases, further hosts and the
    /// hosts of webhook URLs, de-duplicated in manifest order.
    pub fn web_hosts(&self) -> Vec<String> {
        let mut hosts = Vec::new();
        if let Some(web) = &self.manifest.web {
            hosts.push(web.canonical.host().to_ascii_lowercase());
            hosts.extend(web.aliases.iter().map(|h| h.0.clone()));
            hosts.extend(web.hosts.iter().map(|h| h.0.clone()));
        }
        hosts.extend(
            self.manifest
                .webhooks
                .iter()
                .map(|w| w.url.host().to_ascii_lowercase()),
        );
        let mut seen = std::collections::HashSet::new();
        hosts.retain(|h| seen.insert(h.clone()));
        hosts
    }

    /// Registrable domains (zone apexes) behind the web hosts and the email domain.
    pub fn apexes(&self) -> Vec<String> {
        let mut out: Vec<String> = self.web_hosts().iter().map(|h| apex_of(h)).collect();
        if let Some(email) = &self.manifest.email {
            out.push(apex_of(&email.domain.0));
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|h| seen.insert(h.clone()));
        out
    }

    pub fn resolve_path(&self, relative: &str) -> PathBuf {
        self.base_dir.join(relative)
    }
}

/// The registrable domain of a host name: `www.acme.app` → `acme.app`. One heuristic
/// for the whole tool: DMARC's organisational domain (see its list of two-level
/// suffixes); a wrong guess only moves which name `dns.ns` and `dns.caa` ask.
pub fn apex_of(host: &str) -> String {
    crate::email::dmarc::organizational_domain(host)
}

#[cfg(test)]
mod tests {
    use super::apex_of;

    #[test]
    fn apex_keeps_the_registrable_domain() {
        assert_eq!(apex_of("www.acme.app"), "acme.app");
        assert_eq!(apex_of("acme.app."), "acme.app");
        assert_eq!(apex_of("a.b.shop.co.uk"), "shop.co.uk");
        assert_eq!(apex_of("localhost"), "localhost");
    }
}
