//! DNS lookups through hickory-resolver, with failures named apart (NXDOMAIN, NODATA,
//! SERVFAIL, REFUSED, timeout) because each means something different to a person.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Label, Name, RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};
use tokio::sync::Semaphore;

use super::{Memo, NetConfig};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnsFailure {
    /// The name does not exist.
    NxDomain,
    /// The name exists but has no record of this type.
    NoData,
    ServFail,
    Refused,
    Timeout,
    Other(String),
}

impl DnsFailure {
    /// NXDOMAIN and NODATA are answers ("there is nothing"); the rest mean nobody
    /// could tell, and a check must not turn them into a verdict.
    pub fn is_answer(&self) -> bool {
        matches!(self, DnsFailure::NxDomain | DnsFailure::NoData)
    }

    pub fn code(&self) -> &'static str {
        match self {
            DnsFailure::NxDomain => "NXDOMAIN",
            DnsFailure::NoData => "NODATA",
            DnsFailure::ServFail => "SERVFAIL",
            DnsFailure::Refused => "REFUSED",
            DnsFailure::Timeout => "TIMEOUT",
            DnsFailure::Other(_) => "ERROR",
        }
    }
}

impl std::fmt::Display for DnsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DnsFailure::NxDomain => f.write_str("NXDOMAIN (the name does not exist)"),
            DnsFailure::NoData => f.write_str("NODATA (the name exists but has no such record)"),
            DnsFailure::ServFail => f.write_str("SERVFAIL (the name server failed to answer)"),
            DnsFailure::Refused => f.write_str("REFUSED (the name server refused the query)"),
            DnsFailure::Timeout => f.write_str("timed out waiting for the name server"),
            DnsFailure::Other(e) => write!(f, "lookup failed: {e}"),
        }
    }
}

pub type Answer = Result<Arc<Vec<RData>>, DnsFailure>;

pub struct Dns {
    resolver: TokioResolver,
    /// Why there is no usable resolver (no system configuration and no
    /// --nameserver): every lookup is then an `error` with this reason, and checks
    /// that need no DNS still run.
    unavailable: Option<String>,
    timeout: Duration,
    limit: Arc<Semaphore>,
    memo: Memo<(String, RecordType), Answer>,
    health: std::sync::Mutex<Health>,
}

/// How the audit's lookups went, for the shared-cause notice "no DNS answers".
#[derive(Clone, Debug, Default)]
pub struct Health {
    pub queries: usize,
    /// Queries that got an answer, NXDOMAIN and NODATA included.
    pub answered: usize,
    /// The first failure, in words (empty when none).
    pub first_failure: String,
}

impl Dns {
    pub fn new(config: &NetConfig, limit: Arc<Semaphore>) -> Result<Self, String> {
        let mut unavailable = None;
        let mut opts = ResolverOpts::default();
        // Two tries inside one `--timeout`: a lost UDP datagram is not a verdict.
        opts.timeout = config.timeout / 2;
        opts.attempts = 2;
        // Our own per-audit memo is the cache: every check sees the same answer.
        opts.cache_size = 0;
        opts.num_concurrent_reqs = 1;
        opts.use_hosts_file = hickory_resolver::config::ResolveHosts::Never;
        opts.ndots = 0;
        let builder = if config.nameservers.is_empty() {
            match Resolver::builder_tokio() {
                Ok(mut b) => {
                    *b.options_mut() = opts;
                    b
                }
                Err(e) => {
                    unavailable = Some(format!(
                        "no resolver: cannot read the system configuration ({e}); pass --nameserver"
                    ));
                    Resolver::builder_with_config(
                        ResolverConfig::from_name_servers(Vec::new()),
                        TokioRuntimeProvider::default(),
                    )
                    .with_options(opts)
                }
            }
        } else {
            let servers = config
                .nameservers
                .iter()
                .map(|sa| name_server(*sa))
                .collect();
            Resolver::builder_with_config(
                ResolverConfig::from_name_servers(servers),
                TokioRuntimeProvider::default(),
            )
            .with_options(opts)
        };
        let resolver = builder
            .build()
            .map_err(|e| format!("cannot build the DNS resolver: {e}"))?;
        Ok(Self {
            resolver,
            unavailable,
            timeout: config.timeout,
            limit,
            memo: Memo::default(),
            health: Default::default(),
        })
    }

    /// Records of one type at `name` (CNAMEs on the way are followed by the resolver
    /// and left out unless `rtype` is CNAME).
    pub async fn lookup(&self, name: &str, rtype: RecordType) -> Answer {
        let key = (normalize(name), rtype);
        self.memo
            .get_or_run(&key, || self.query(key.0.clone(), rtype))
            .await
    }

    /// How the lookups of this audit went so far.
    pub fn health(&self) -> Health {
        match self.health.lock() {
            Ok(h) => h.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    async fn query(&self, name: String, rtype: RecordType) -> Answer {
        let answer = self.ask(name, rtype).await;
        let mut health = match self.health.lock() {
            Ok(h) => h,
            Err(p) => p.into_inner(),
        };
        health.queries += 1;
        match &answer {
            Ok(_) => health.answered += 1,
            Err(e) if e.is_answer() => health.answered += 1,
            Err(e) if health.first_failure.is_empty() => health.first_failure = e.to_string(),
            Err(_) => {}
        }
        drop(health);
        answer
    }

    async fn ask(&self, name: String, rtype: RecordType) -> Answer {
        if let Some(why) = &self.unavailable {
            return Err(DnsFailure::Other(why.clone()));
        }
        let _permit = self.limit.acquire().await;
        let Some(fqdn) = raw_name(&name) else {
            return Err(DnsFailure::Other(format!(
                "`{name}` is not a valid DNS name"
            )));
        };
        let result = tokio::time::timeout(self.timeout, self.resolver.lookup(fqdn, rtype)).await;
        match result {
            Err(_) => Err(DnsFailure::Timeout),
            Ok(Err(e)) => Err(classify(&e)),
            Ok(Ok(lookup)) => {
                let data: Vec<RData> = lookup
                    .answers()
                    .iter()
                    .map(|r| r.data.clone())
                    .filter(|d| d.record_type() == rtype)
                    .collect();
                if data.is_empty() {
                    Err(DnsFailure::NoData)
                } else {
                    Ok(Arc::new(data))
                }
            }
        }
    }

    /// A and AAAA together. NODATA only when both are empty; a failure of either that
    /// is not an answer wins, because half an answer cannot be trusted.
    pub async fn ips(&self, name: &str) -> Result<Vec<IpAddr>, DnsFailure> {
        let (a, aaaa) = tokio::join!(
            self.addresses(name, RecordType::A),
            self.addresses(name, RecordType::AAAA)
        );
        let mut ips = Vec::new();
        for answer in [&a, &aaaa] {
            match answer {
                Ok(found) => ips.extend(found.iter().copied()),
                Err(e) if !e.is_answer() => return Err(e.clone()),
                Err(_) => {}
            }
        }
        if !ips.is_empty() {
            return Ok(ips);
        }
        match (a, aaaa) {
            (Err(DnsFailure::NxDomain), _) | (_, Err(DnsFailure::NxDomain)) => {
                Err(DnsFailure::NxDomain)
            }
            _ => Err(DnsFailure::NoData),
        }
    }

    /// TXT records, each as its list of character-strings.
    pub async fn txt(&self, name: &str) -> Result<Vec<Vec<Vec<u8>>>, DnsFailure> {
        let data = self.lookup(name, RecordType::TXT).await?;
        Ok(data
            .iter()
            .filter_map(|d| match d {
                RData::TXT(t) => Some(t.txt_data.iter().map(|s| s.to_vec()).collect()),
                _ => None,
            })
            .collect())
    }

    /// Names of a record type that holds one name (CNAME, NS, PTR).
    pub async fn names(&self, name: &str, rtype: RecordType) -> Result<Vec<String>, DnsFailure> {
        let data = self.lookup(name, rtype).await?;
        Ok(data
            .iter()
            .filter_map(|d| match d {
                RData::CNAME(n) => Some(name_text(&n.0)),
                RData::NS(n) => Some(name_text(&n.0)),
                RData::PTR(n) => Some(name_text(&n.0)),
                _ => None,
            })
            .collect())
    }

    /// MX records as (preference, exchange).
    pub async fn mx(&self, name: &str) -> Result<Vec<(u16, String)>, DnsFailure> {
        let data = self.lookup(name, RecordType::MX).await?;
        Ok(data
            .iter()
            .filter_map(|d| match d {
                RData::MX(mx) => Some((mx.preference, name_text(&mx.exchange))),
                _ => None,
            })
            .collect())
    }
}

fn name_server(sa: SocketAddr) -> NameServerConfig {
    let mut udp = ConnectionConfig::udp();
    udp.port = sa.port();
    let mut tcp = ConnectionConfig::tcp();
    tcp.port = sa.port();
    NameServerConfig::new(sa.ip(), true, vec![udp, tcp])
}

/// Reverse-lookup name for an address (`4.3.2.1.in-addr.arpa`, nibbles for IPv6).
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
        }
        IpAddr::V6(v6) => {
            let nibbles: Vec<String> = v6
                .octets()
                .iter()
                .rev()
                .flat_map(|b| [b & 0xf, b >> 4])
                .map(|n| format!("{n:x}"))
                .collect();
            format!("{}.ip6.arpa", nibbles.join("."))
        }
    }
}

/// A name built label by label from raw bytes, not through IDNA: names in records
/// (SPF targets, test suites) may hold any printable byte (`foo:bar/baz`, `xn--…`)
/// and must be asked exactly as written. `None` for an empty or over-long label.
pub fn raw_name(name: &str) -> Option<Name> {
    let trimmed = name.trim_end_matches('.');
    if trimmed.is_empty() {
        return Some(Name::root());
    }
    let labels = trimmed
        .split('.')
        .map(|l| {
            if l.is_empty() {
                None
            } else {
                Label::from_raw_bytes(l.as_bytes()).ok()
            }
        })
        .collect::<Option<Vec<Label>>>()?;
    let mut name = Name::from_labels(labels).ok()?;
    name.set_fqdn(true);
    Some(name)
}

/// A wire name as text from its raw label bytes (no IDNA, no escaping), lower-case,
/// no trailing dot — the inverse of [`raw_name`].
pub fn name_text(name: &Name) -> String {
    let labels: Vec<String> = name
        .iter()
        .map(|l| String::from_utf8_lossy(l).to_ascii_lowercase())
        .collect();
    labels.join(".")
}

/// Lower-case, no trailing dot: the form every check and memo key uses.
pub fn normalize(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

fn classify(e: &NetError) -> DnsFailure {
    match e {
        NetError::Dns(DnsError::NoRecordsFound(nr)) => match nr.response_code {
            ResponseCode::NXDomain => DnsFailure::NxDomain,
            ResponseCode::NoError => DnsFailure::NoData,
            ResponseCode::ServFail => DnsFailure::ServFail,
            ResponseCode::Refused => DnsFailure::Refused,
            other => DnsFailure::Other(format!("response code {other}")),
        },
        NetError::Dns(DnsError::ResponseCode(code)) => match *code {
            ResponseCode::NXDomain => DnsFailure::NxDomain,
            ResponseCode::ServFail => DnsFailure::ServFail,
            ResponseCode::Refused => DnsFailure::Refused,
            other => DnsFailure::Other(format!("response code {other}")),
        },
        NetError::Timeout => DnsFailure::Timeout,
        other => {
            let text = other.to_string();
            if text.contains("timed out") || text.contains("timeout") {
                DnsFailure::Timeout
            } else {
                DnsFailure::Other(text)
            }
        }
    }
}

/// The email checks' view of DNS: the same lookups, memo and timeouts as everything
/// else in the audit.
impl crate::email::MailDns for Dns {
    fn txt<'a>(&'a self, name: &'a str) -> crate::email::BoxFuture<'a, Lookup<Vec<Vec<u8>>>> {
        Box::pin(async move { to_lookup(self.txt(name).await) })
    }

    fn a<'a>(&'a self, name: &'a str) -> crate::email::BoxFuture<'a, Lookup<IpAddr>> {
        Box::pin(async move { to_lookup(self.addresses(name, RecordType::A).await) })
    }

    fn aaaa<'a>(&'a self, name: &'a str) -> crate::email::BoxFuture<'a, Lookup<IpAddr>> {
        Box::pin(async move { to_lookup(self.addresses(name, RecordType::AAAA).await) })
    }

    fn mx<'a>(&'a self, name: &'a str) -> crate::email::BoxFuture<'a, Lookup<(u16, String)>> {
        Box::pin(async move { to_lookup(self.mx(name).await) })
    }

    fn ptr<'a>(&'a self, ip: IpAddr) -> crate::email::BoxFuture<'a, Lookup<String>> {
        Box::pin(async move {
            let name = reverse_name(ip);
            to_lookup(self.names(&name, RecordType::PTR).await)
        })
    }

    fn cname<'a>(&'a self, name: &'a str) -> crate::email::BoxFuture<'a, Lookup<String>> {
        Box::pin(async move { to_lookup(self.names(name, RecordType::CNAME).await) })
    }
}

use crate::email::Lookup;

fn to_lookup<T>(answer: Result<Vec<T>, DnsFailure>) -> Lookup<T> {
    match answer {
        Ok(records) => Lookup::Records(records),
        Err(DnsFailure::NxDomain) => Lookup::NxDomain,
        Err(DnsFailure::NoData) => Lookup::NoData,
        Err(other) => Lookup::TempError(other.to_string()),
    }
}

impl Dns {
    /// Addresses of one family (A or AAAA).
    pub async fn addresses(
        &self,
        name: &str,
        rtype: RecordType,
    ) -> Result<Vec<IpAddr>, DnsFailure> {
        let data = self.lookup(name, rtype).await?;
        Ok(data
            .iter()
            .filter_map(|d| match d {
                RData::A(a) => Some(IpAddr::V4(a.0)),
                RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                _ => None,
            })
            .collect())
    }
}

/// One CAA record as published: flags, tag and raw value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caa {
    pub flags: u8,
    pub tag: String,
    pub value: String,
}

impl Dns {
    /// CAA records at exactly `name` (no climbing; the caller walks the tree).
    pub async fn caa(&self, name: &str) -> Result<Vec<Caa>, DnsFailure> {
        let data = self.lookup(name, RecordType::CAA).await?;
        Ok(data
            .iter()
            .filter_map(|d| match d {
                RData::CAA(c) => Some(Caa {
                    flags: if c.issuer_critical { 0x80 } else { 0 } | c.reserved_flags,
                    tag: c.tag.to_ascii_lowercase(),
                    value: String::from_utf8_lossy(&c.value).into_owned(),
                }),
                _ => None,
            })
            .collect())
    }
}

#[cfg(test)]
mod reverse_tests {
    use super::reverse_name;

    #[test]
    fn reverse_names_for_both_families() {
        assert_eq!(
            reverse_name("192.0.2.10".parse().expect("ip")),
            "10.2.0.192.in-addr.arpa"
        );
        let v6 = reverse_name("2001:db8::1".parse().expect("ip"));
        assert!(v6.starts_with("1.0.0.0.0.0.0.0."), "{v6}");
        assert!(v6.ends_with(".8.b.d.0.1.0.0.2.ip6.arpa"), "{v6}");
    }
}
