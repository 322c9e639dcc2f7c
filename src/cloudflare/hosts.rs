//! Which manifest hosts the zone proxies. A host's traffic passes through Cloudflare
//! (and its settings and rules) only when its A/AAAA/CNAME records are proxied; a
//! name without records of its own is answered by the nearest wildcard record.

use super::{DnsRecord, in_zone};

/// How the zone answers for one host.
#[derive(Clone, Debug, PartialEq)]
pub enum HostState<'a> {
    /// Every web record of the host is proxied.
    Proxied(Vec<&'a DnsRecord>),
    /// At least one web record is DNS only (traffic to it bypasses Cloudflare).
    DnsOnly(Vec<&'a DnsRecord>),
    /// The zone has no A/AAAA/CNAME record for it (nor a wildcard).
    NoRecord,
    /// The host is not in the zone.
    OutsideZone,
}

impl HostState<'_> {
    pub fn is_proxied(&self) -> bool {
        matches!(self, HostState::Proxied(_))
    }
}

/// The web records answering for `host` (its own, else the nearest wildcard's).
pub fn records_for<'a>(records: &'a [DnsRecord], host: &str) -> Vec<&'a DnsRecord> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let named = |name: &str| -> Vec<&'a DnsRecord> {
        records
            .iter()
            .filter(|r| r.is_web() && r.name.trim_end_matches('.').eq_ignore_ascii_case(name))
            .collect()
    };
    let own = named(&host);
    if !own.is_empty() {
        return own;
    }
    let mut rest = host.as_str();
    while let Some((_, parent)) = rest.split_once('.') {
        let wild = named(&format!("*.{parent}"));
        if !wild.is_empty() {
            return wild;
        }
        rest = parent;
    }
    Vec::new()
}

pub fn host_state<'a>(records: &'a [DnsRecord], zone: &str, host: &str) -> HostState<'a> {
    if !in_zone(host, zone) {
        return HostState::OutsideZone;
    }
    let found = records_for(records, host);
    if found.is_empty() {
        HostState::NoRecord
    } else if found.iter().all(|r| r.proxied) {
        HostState::Proxied(found)
    } else {
        HostState::DnsOnly(found)
    }
}

/// Of `hosts`, the proxied ones and the descriptions of the DNS-only records of the
/// others (for a `skip` that names them).
pub fn split_proxied(
    records: &[DnsRecord],
    zone: &str,
    hosts: &[String],
) -> (Vec<String>, Vec<String>) {
    let mut proxied = Vec::new();
    let mut dns_only = Vec::new();
    for h in hosts {
        match host_state(records, zone, h) {
            HostState::Proxied(_) => proxied.push(h.clone()),
            HostState::DnsOnly(rs) => dns_only.extend(rs.iter().map(|r| r.describe())),
            HostState::NoRecord => dns_only.push(format!("{h} (no record in the zone)")),
            HostState::OutsideZone => {}
        }
    }
    (proxied, dns_only)
}

/// DNS-only address records anywhere in the zone pointing at an address that also
/// serves one of `host`'s proxied records: a way to reach the origin around
/// Cloudflare.
pub fn exposing<'a>(records: &'a [DnsRecord], host: &str) -> Vec<&'a DnsRecord> {
    let origins: Vec<&str> = records_for(records, host)
        .iter()
        .filter(|r| r.proxied && r.is_address())
        .map(|r| r.content.as_str())
        .collect();
    records
        .iter()
        .filter(|r| r.is_address() && !r.proxied && origins.contains(&r.content.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(name: &str, kind: &str, content: &str, proxied: bool) -> DnsRecord {
        DnsRecord {
            id: String::new(),
            name: name.to_owned(),
            kind: kind.to_owned(),
            content: content.to_owned(),
            proxied,
        }
    }

    #[test]
    fn states_follow_the_records_and_wildcards() {
        let rs = vec![
            rec("acme.app", "A", "203.0.113.10", true),
            rec("www.acme.app", "CNAME", "acme.app", true),
            rec("api.acme.app", "A", "203.0.113.20", false),
            rec("*.acme.app", "A", "203.0.113.30", true),
            rec("direct.acme.app", "A", "203.0.113.10", false),
            rec("acme.app", "MX", "mx.mail.example", false),
        ];
        assert!(host_state(&rs, "acme.app", "www.acme.app").is_proxied());
        assert!(host_state(&rs, "acme.app", "ACME.app").is_proxied());
        assert!(matches!(
            host_state(&rs, "acme.app", "api.acme.app"),
            HostState::DnsOnly(_)
        ));
        assert!(host_state(&rs, "acme.app", "x.y.acme.app").is_proxied());
        assert_eq!(
            host_state(&rs, "acme.app", "acme.dev"),
            HostState::OutsideZone
        );
        let exposed = exposing(&rs, "acme.app");
        assert_eq!(exposed.len(), 1);
        assert_eq!(exposed[0].name, "direct.acme.app");
        assert!(exposing(&rs, "www.acme.app").is_empty());
        let (p, d) = split_proxied(
            &rs,
            "acme.app",
            &["www.acme.app".into(), "api.acme.app".into()],
        );
        assert_eq!(p, vec!["www.acme.app".to_owned()]);
        assert_eq!(
            d,
            vec!["api.acme.app (A 203.0.113.20, DNS only)".to_owned()]
        );
    }
}
