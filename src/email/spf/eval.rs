//! The receiver's `check_host()` (RFC 7208 §4–5), sequential as the RFC describes it.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::Serialize;

use super::macros::{MacroContext, MacroString};
use super::{
    MAX_DNS_LOOKUPS, MAX_NAMES_PER_TERM, MAX_VOID_LOOKUPS, Mechanism, Qualifier, Selected,
    parse_record, select_record,
};
use crate::email::{BoxFuture, Lookup, MailDns, is_valid_domain, normalize_name};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpfResult {
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}

impl SpfResult {
    pub fn as_str(self) -> &'static str {
        match self {
            SpfResult::None => "none",
            SpfResult::Neutral => "neutral",
            SpfResult::Pass => "pass",
            SpfResult::Fail => "fail",
            SpfResult::SoftFail => "softfail",
            SpfResult::TempError => "temperror",
            SpfResult::PermError => "permerror",
        }
    }
}

impl From<Qualifier> for SpfResult {
    fn from(q: Qualifier) -> Self {
        match q {
            Qualifier::Pass => SpfResult::Pass,
            Qualifier::Fail => SpfResult::Fail,
            Qualifier::SoftFail => SpfResult::SoftFail,
            Qualifier::Neutral => SpfResult::Neutral,
        }
    }
}

/// Include/redirect nesting bound; the lookup limit normally ends evaluation first.
const MAX_RECURSION: u32 = 20;

/// Evaluate MAIL FROM as a receiver does: the domain is the mailbox's domain, or the
/// HELO name for the null reverse-path (RFC 7208 §2.4).
pub async fn check_mail_from(
    dns: &dyn MailDns,
    ip: IpAddr,
    mail_from: &str,
    helo: &str,
) -> SpfResult {
    let sender = if mail_from.is_empty() {
        format!("postmaster@{helo}")
    } else {
        mail_from.to_string()
    };
    let domain = match sender.rfind('@') {
        Some(at) => sender[at + 1..].to_string(),
        None => sender.clone(),
    };
    check_host(dns, ip, &domain, &sender, helo).await
}

/// RFC 7208 `check_host(<ip>, <domain>, <sender>)`; `helo` feeds the `%{h}` macro.
pub async fn check_host(
    dns: &dyn MailDns,
    ip: IpAddr,
    domain: &str,
    sender: &str,
    helo: &str,
) -> SpfResult {
    // RFC 7208 §4.3: a sender without a local-part is treated as "postmaster".
    let (local, sender_domain) = match sender.rfind('@') {
        Some(0) => ("postmaster".to_string(), sender[1..].to_string()),
        Some(at) => (sender[..at].to_string(), sender[at + 1..].to_string()),
        None => ("postmaster".to_string(), sender.to_string()),
    };
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    };
    let eval = Eval {
        dns,
        ip,
        sender: format!("{local}@{sender_domain}"),
        local,
        sender_domain,
        helo: helo.to_string(),
        lookups: AtomicU32::new(0),
        voids: AtomicU32::new(0),
    };
    // RFC 7208 §4.3: a malformed or single-label domain is "none", not an error.
    if !is_mail_domain(domain) {
        return SpfResult::None;
    }
    eval.check(normalize_name(domain), 0).await
}

/// Host-name syntax for the starting domain: it excludes address literals like `[1.2.3.4]`.
fn is_mail_domain(domain: &str) -> bool {
    is_valid_domain(domain, true)
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

struct Eval<'a> {
    dns: &'a dyn MailDns,
    ip: IpAddr,
    sender: String,
    local: String,
    sender_domain: String,
    helo: String,
    // Atomics, not Cell: the boxed futures must be Send, so `&Eval` must be Sync.
    lookups: AtomicU32,
    voids: AtomicU32,
}

/// `Err` carries a final result (permerror/temperror) that ends the evaluation.
type Step<T> = Result<T, SpfResult>;

impl<'a> Eval<'a> {
    fn check<'s>(&'s self, domain: String, depth: u32) -> BoxFuture<'s, SpfResult> {
        Box::pin(async move {
            match self.check_inner(&domain, depth).await {
                Ok(r) | Err(r) => r,
            }
        })
    }

    async fn check_inner(&self, domain: &str, depth: u32) -> Step<SpfResult> {
        if depth > MAX_RECURSION {
            return Err(SpfResult::PermError);
        }
        if !is_valid_domain(domain, true) {
            return Ok(SpfResult::None);
        }
        let txt = match self.dns.txt(domain).await {
            Lookup::Records(r) => r,
            Lookup::NxDomain | Lookup::NoData => return Ok(SpfResult::None),
            Lookup::TempError(_) => return Err(SpfResult::TempError),
        };
        let text = match select_record(&txt) {
            Selected::None => return Ok(SpfResult::None),
            Selected::Many(_) => return Err(SpfResult::PermError),
            Selected::One(t) => t,
        };
        let record = parse_record(&text).map_err(|_| SpfResult::PermError)?;
        for directive in &record.directives {
            if self.matches(&directive.mechanism, domain, depth).await? {
                return Ok(directive.qualifier.into());
            }
        }
        if let Some(redirect) = &record.redirect {
            self.count_lookup()?;
            let target = self.expand(redirect, domain).await?;
            return match self.check(target, depth + 1).await {
                // RFC 7208 §6.1: a redirect target without a record is a permerror.
                SpfResult::None => Err(SpfResult::PermError),
                other => Ok(other),
            };
        }
        Ok(SpfResult::Neutral)
    }

    async fn matches(&self, mechanism: &Mechanism, domain: &str, depth: u32) -> Step<bool> {
        match mechanism {
            Mechanism::All => Ok(true),
            Mechanism::Ip4 { network, prefix } => {
                Ok(in_network(self.ip, IpAddr::V4(*network), *prefix))
            }
            Mechanism::Ip6 { network, prefix } => {
                Ok(in_network(self.ip, IpAddr::V6(*network), *prefix))
            }
            Mechanism::Include { domain: spec } => {
                self.count_lookup()?;
                let target = self.expand(spec, domain).await?;
                match self.check(target, depth + 1).await {
                    SpfResult::Pass => Ok(true),
                    SpfResult::Fail | SpfResult::SoftFail | SpfResult::Neutral => Ok(false),
                    SpfResult::TempError => Err(SpfResult::TempError),
                    SpfResult::PermError | SpfResult::None => Err(SpfResult::PermError),
                }
            }
            Mechanism::A {
                domain: spec,
                cidr4,
                cidr6,
            } => {
                self.count_lookup()?;
                let target = self.target(spec.as_ref(), domain).await?;
                let addrs = self.void_checked(self.addresses(&target).await)?;
                Ok(addrs.iter().any(|a| self.in_dual(*a, *cidr4, *cidr6)))
            }
            Mechanism::Mx {
                domain: spec,
                cidr4,
                cidr6,
            } => {
                self.count_lookup()?;
                let target = self.target(spec.as_ref(), domain).await?;
                let mut hosts = self.void_checked(self.query_mx(&target).await)?;
                if hosts.len() > MAX_NAMES_PER_TERM {
                    return Err(SpfResult::PermError);
                }
                hosts.sort();
                for (_, host) in hosts {
                    let host = normalize_name(&host);
                    if host.is_empty() {
                        continue;
                    }
                    let addrs = match self.addresses(&host).await {
                        Lookup::Records(r) => r,
                        Lookup::TempError(_) => return Err(SpfResult::TempError),
                        _ => continue,
                    };
                    if addrs.iter().any(|a| self.in_dual(*a, *cidr4, *cidr6)) {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Mechanism::Ptr { domain: spec } => {
                self.count_lookup()?;
                let target = self.target(spec.as_ref(), domain).await?;
                let names = self.validated_names().await?;
                Ok(names.iter().any(|n| is_same_or_sub(n, &target)))
            }
            Mechanism::Exists { domain: spec } => {
                self.count_lookup()?;
                let target = self.expand(spec, domain).await?;
                // RFC 7208 §5.7: always an A query, whatever the connection's family.
                let found = self.void_checked(self.query_a(&target).await)?;
                Ok(!found.is_empty())
            }
        }
    }

    fn count_lookup(&self) -> Step<()> {
        if self.lookups.fetch_add(1, Ordering::Relaxed) + 1 > MAX_DNS_LOOKUPS {
            return Err(SpfResult::PermError);
        }
        Ok(())
    }

    /// Records or an empty list; void answers count toward the limit of two.
    fn void_checked<T>(&self, lookup: Lookup<T>) -> Step<Vec<T>> {
        match lookup {
            Lookup::TempError(_) => Err(SpfResult::TempError),
            other if other.is_void() => {
                if self.voids.fetch_add(1, Ordering::Relaxed) + 1 > MAX_VOID_LOOKUPS {
                    return Err(SpfResult::PermError);
                }
                Ok(Vec::new())
            }
            Lookup::Records(r) => Ok(r),
            _ => Ok(Vec::new()),
        }
    }

    // A name no query can be built for (empty or over-long label) is treated as
    // non-existent, as RFC 7208 §4.3 does for the starting domain.
    async fn query_a(&self, name: &str) -> Lookup<IpAddr> {
        if is_valid_domain(name, false) {
            self.dns.a(name).await
        } else {
            Lookup::NxDomain
        }
    }

    async fn query_mx(&self, name: &str) -> Lookup<(u16, String)> {
        if is_valid_domain(name, false) {
            self.dns.mx(name).await
        } else {
            Lookup::NxDomain
        }
    }

    async fn addresses(&self, name: &str) -> Lookup<IpAddr> {
        match self.ip {
            IpAddr::V4(_) => self.query_a(name).await,
            IpAddr::V6(_) if is_valid_domain(name, false) => self.dns.aaaa(name).await,
            IpAddr::V6(_) => Lookup::NxDomain,
        }
    }

    fn in_dual(&self, addr: IpAddr, cidr4: u8, cidr6: u8) -> bool {
        let prefix = if addr.is_ipv4() { cidr4 } else { cidr6 };
        in_network(self.ip, addr, prefix)
    }

    async fn target(&self, spec: Option<&MacroString>, domain: &str) -> Step<String> {
        match spec {
            Some(spec) => self.expand(spec, domain).await,
            None => Ok(domain.to_string()),
        }
    }

    async fn expand(&self, spec: &MacroString, domain: &str) -> Step<String> {
        let validated = if spec.uses_validated_name() {
            let names = self.validated_names().await.unwrap_or_default();
            // RFC 7208 §7.3: prefer the domain itself, then a subdomain of it.
            names
                .iter()
                .find(|n| n.as_str() == domain)
                .or_else(|| names.iter().find(|n| is_same_or_sub(n, domain)))
                .or_else(|| names.first())
                .cloned()
        } else {
            None
        };
        let ctx = MacroContext {
            sender: &self.sender,
            local_part: &self.local,
            sender_domain: &self.sender_domain,
            domain,
            ip: self.ip,
            helo: &self.helo,
            validated_name: validated.as_deref(),
        };
        Ok(normalize_name(&spec.expand_domain(&ctx)))
    }

    /// RFC 7208 §5.5: PTR names whose forward lookup contains the IP, first 10 only.
    /// A DNS error on the PTR query means no match, not temperror.
    async fn validated_names(&self) -> Step<Vec<String>> {
        let names = match self.dns.ptr(self.ip).await {
            Lookup::TempError(_) => return Ok(Vec::new()),
            other => self.void_checked(other)?,
        };
        let mut validated = Vec::new();
        for name in names.into_iter().take(MAX_NAMES_PER_TERM) {
            let name = normalize_name(&name);
            if let Lookup::Records(addrs) = self.addresses(&name).await
                && addrs.contains(&self.ip)
            {
                validated.push(name);
            }
        }
        Ok(validated)
    }
}

fn is_same_or_sub(name: &str, target: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let target = target.to_ascii_lowercase();
    name == target || name.ends_with(&format!(".{target}"))
}

/// Whether `ip` lies in `network/prefix`; different families never match.
pub(crate) fn in_network(ip: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX
                .checked_shl(32 - u32::from(prefix.min(32)))
                .unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(prefix.min(128)))
                .unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_matching() {
        let ip = IpAddr::from([192, 0, 2, 77]);
        assert!(in_network(ip, IpAddr::from([192, 0, 2, 0]), 24));
        assert!(!in_network(ip, IpAddr::from([192, 0, 3, 0]), 24));
        assert!(in_network(ip, IpAddr::from([10, 0, 0, 0]), 0));
        assert!(in_network(ip, ip, 32));
        assert!(!in_network(ip, IpAddr::from([0u16; 8]), 0));
        let v6: IpAddr = "2001:db8::1".parse().unwrap_or(ip);
        assert!(in_network(v6, "2001:db8::".parse().unwrap_or(ip), 32));
        assert!(in_network(v6, v6, 128));
    }

    #[test]
    fn subdomain_rule() {
        assert!(is_same_or_sub("mail.example.com", "example.com"));
        assert!(is_same_or_sub("Example.com", "example.COM"));
        assert!(!is_same_or_sub("badexample.com", "example.com"));
    }
}
