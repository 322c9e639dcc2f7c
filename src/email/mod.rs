//! Email authentication checks (SPF, DMARC, DKIM, MX) and CAA policy logic.
//!
//! Everything here is pure logic over the small [`MailDns`] trait so that it can be
//! tested against in-memory zones and served by any resolver (hickory in the binary).

pub mod caa;
pub mod caa_issuers;
pub mod dkim;
pub mod dmarc;
pub mod spf;
pub mod spf_suite;

use std::net::IpAddr;

use serde::Serialize;

pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// Outcome of one DNS query as the email logic needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<T> {
    Records(Vec<T>),
    NxDomain,
    NoData,
    /// SERVFAIL, timeout, refused: the reason text, shown to the user.
    TempError(String),
}

impl<T> Lookup<T> {
    /// NXDOMAIN, NODATA and an empty answer are all "void" in RFC 7208 terms.
    pub fn is_void(&self) -> bool {
        match self {
            Lookup::Records(r) => r.is_empty(),
            Lookup::NxDomain | Lookup::NoData => true,
            Lookup::TempError(_) => false,
        }
    }

    pub fn records(&self) -> &[T] {
        match self {
            Lookup::Records(r) => r,
            _ => &[],
        }
    }
}

/// The DNS queries the email checks need. Implementations follow CNAMEs for
/// `txt`/`a`/`aaaa`/`mx` the way a recursive resolver does; `cname` exists for
/// DKIM's provider delegation, where the chain itself is worth reporting.
pub trait MailDns: Send + Sync {
    /// Each TXT record as its character-strings.
    fn txt<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<Vec<Vec<u8>>>>;
    /// A records only.
    fn a<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<IpAddr>>;
    fn aaaa<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<IpAddr>>;
    fn mx<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<(u16, String)>>;
    fn ptr<'a>(&'a self, ip: IpAddr) -> BoxFuture<'a, Lookup<String>>;
    fn cname<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<String>>;
}

/// Severity of one finding. `Error` means the check could not finish (DNS failure,
/// work bound) and must never read as a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth showing, not a problem (e.g. SPF `~all`, fine when DMARC enforces).
    Info,
    Warn,
    Fail,
    Error,
}

/// One finding of an email check; `code` is stable for reports and baselines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub level: Level,
    pub code: &'static str,
    pub message: String,
}

impl Problem {
    pub fn new(level: Level, code: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            level,
            code,
            message: message.into(),
        }
    }
}

/// The worst level among findings, `None` when there are none.
pub fn worst(problems: &[Problem]) -> Option<Level> {
    problems.iter().map(|p| p.level).max()
}

/// Lowercase, without the trailing root dot: how names are compared everywhere here.
pub fn normalize_name(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// RFC 1035 shape: 1..=63 octet labels, at most 253 octets, no empty label but an
/// optional trailing root dot. `multi_label` also demands at least two labels.
/// Any octet is allowed inside a label: macro expansion can produce spaces and `%`.
pub fn is_valid_domain(name: &str, multi_label: bool) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() || name.len() > 253 {
        return false;
    }
    let mut labels = 0;
    for label in name.split('.') {
        if label.is_empty() || label.len() > 63 {
            return false;
        }
        labels += 1;
    }
    !multi_label || labels >= 2
}

/// TXT character-strings joined without separators (RFC 7208 §3.3, RFC 7489 §6.3).
pub fn join_txt(strings: &[Vec<u8>]) -> Vec<u8> {
    strings.concat()
}

/// One MX answer, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MxHost {
    pub preference: u16,
    pub exchange: String,
}

/// What the MX answer of a domain says about mail delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MxStatus {
    /// Hosts sorted by preference.
    Hosts {
        hosts: Vec<MxHost>,
    },
    /// RFC 7505: a single `0 .` record: the domain accepts no mail.
    NullMx,
    /// A null MX mixed with other records, or with a non-zero preference: RFC 7505 §3
    /// says senders should treat it as invalid.
    InvalidNullMx {
        hosts: Vec<MxHost>,
    },
    /// No MX at all (NXDOMAIN or NODATA): senders fall back to the A record.
    None,
    TempError {
        reason: String,
    },
}

/// Classify MX records (preference, exchange) as returned by [`MailDns::mx`].
pub fn classify_mx(records: &[(u16, String)]) -> MxStatus {
    let mut hosts: Vec<MxHost> = records
        .iter()
        .map(|(preference, exchange)| MxHost {
            preference: *preference,
            exchange: normalize_name(exchange),
        })
        .collect();
    hosts.sort_by(|a, b| (a.preference, &a.exchange).cmp(&(b.preference, &b.exchange)));
    let null_count = hosts.iter().filter(|h| h.exchange.is_empty()).count();
    match (null_count, hosts.as_slice()) {
        (_, []) => MxStatus::None,
        (1, [only]) if only.preference == 0 => MxStatus::NullMx,
        (0, _) => MxStatus::Hosts { hosts },
        _ => MxStatus::InvalidNullMx { hosts },
    }
}

/// Query and classify the MX records of `domain`.
pub async fn lookup_mx(dns: &dyn MailDns, domain: &str) -> MxStatus {
    match dns.mx(domain).await {
        Lookup::Records(r) => classify_mx(&r),
        Lookup::NxDomain | Lookup::NoData => MxStatus::None,
        Lookup::TempError(reason) => MxStatus::TempError { reason },
    }
}

/// The `email.mx` check. `sends_mail: false` is a parked domain, which should publish
/// a null MX (RFC 7505) so that nobody queues mail for it.
pub async fn audit_mx(
    dns: &dyn MailDns,
    domain: &str,
    sends_mail: bool,
) -> (MxStatus, Vec<Problem>) {
    let status = lookup_mx(dns, domain).await;
    let problem = match (&status, sends_mail) {
        (MxStatus::TempError { reason }, _) => Some(Problem::new(
            Level::Error,
            "mx.temperror",
            format!("MX lookup for {domain} failed: {reason}"),
        )),
        (MxStatus::InvalidNullMx { .. }, _) => Some(Problem::new(
            Level::Fail,
            "mx.invalid-null-mx",
            "a null MX (\"0 .\") must be the only MX record, with preference 0 (RFC 7505)",
        )),
        (MxStatus::None, true) => Some(Problem::new(
            Level::Fail,
            "mx.missing",
            format!(
                "{domain} has no MX records: replies and bounces fall back to its A record or fail"
            ),
        )),
        (MxStatus::NullMx, true) => Some(Problem::new(
            Level::Fail,
            "mx.null-mx",
            format!(
                "{domain} publishes a null MX but is configured to send mail: replies and bounces cannot be delivered"
            ),
        )),
        (MxStatus::None | MxStatus::Hosts { .. }, false) => Some(Problem::new(
            Level::Warn,
            "mx.parked-without-null-mx",
            format!(
                "{domain} does not send mail but has no null MX: publish \"MX 0 .\" (RFC 7505)"
            ),
        )),
        (MxStatus::Hosts { .. }, true) | (MxStatus::NullMx, false) => None,
    };
    (status, problem.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mx(list: &[(u16, &str)]) -> Vec<(u16, String)> {
        list.iter().map(|(p, n)| (*p, n.to_string())).collect()
    }

    #[test]
    fn null_mx_is_detected() {
        assert_eq!(classify_mx(&mx(&[(0, ".")])), MxStatus::NullMx);
        assert_eq!(classify_mx(&mx(&[(0, "")])), MxStatus::NullMx);
        assert!(matches!(
            classify_mx(&mx(&[(10, ".")])),
            MxStatus::InvalidNullMx { .. }
        ));
        assert!(matches!(
            classify_mx(&mx(&[(0, "."), (10, "mx.example.com")])),
            MxStatus::InvalidNullMx { .. }
        ));
        assert_eq!(classify_mx(&[]), MxStatus::None);
    }

    #[test]
    fn mx_hosts_sorted_and_normalized() {
        let status = classify_mx(&mx(&[(20, "B.example.com."), (10, "a.example.com")]));
        let MxStatus::Hosts { hosts } = status else {
            panic!("expected hosts, got {status:?}");
        };
        assert_eq!(hosts[0].exchange, "a.example.com");
        assert_eq!(hosts[1].exchange, "b.example.com");
    }

    #[tokio::test]
    async fn mx_audit() {
        use spf_suite::{SuiteName, SuiteRecord, ZoneDns};
        let name = |n: &str, records: Vec<SuiteRecord>, timeout| SuiteName {
            name: n.into(),
            records,
            timeout,
        };
        let dns = ZoneDns::new(vec![
            name(
                "mail.com",
                vec![SuiteRecord::Mx(10, "mx.mail.com".into())],
                false,
            ),
            name("parked.com", vec![SuiteRecord::Mx(0, ".".into())], false),
            name("dead.com", vec![], true),
        ]);
        let code = |r: (MxStatus, Vec<Problem>)| r.1.first().map(|p| p.code);
        assert_eq!(code(audit_mx(&dns, "mail.com", true).await), None);
        assert_eq!(code(audit_mx(&dns, "parked.com", false).await), None);
        assert_eq!(
            code(audit_mx(&dns, "parked.com", true).await),
            Some("mx.null-mx")
        );
        assert_eq!(
            code(audit_mx(&dns, "mail.com", false).await),
            Some("mx.parked-without-null-mx")
        );
        assert_eq!(
            code(audit_mx(&dns, "none.com", true).await),
            Some("mx.missing")
        );
        assert_eq!(
            code(audit_mx(&dns, "dead.com", true).await),
            Some("mx.temperror")
        );
    }

    #[test]
    fn domain_shape() {
        assert!(is_valid_domain("example.com", true));
        assert!(is_valid_domain("example.com.", true));
        assert!(!is_valid_domain("localhost", true));
        assert!(is_valid_domain("localhost", false));
        assert!(!is_valid_domain("a..example.com", false));
        assert!(!is_valid_domain(&format!("{}.com", "a".repeat(64)), false));
        assert!(is_valid_domain("macro%percent  space.example.com", true));
        assert!(!is_valid_domain(&"a.".repeat(128), false));
    }
}
