//! The OpenSPF RFC 7208 test suite (`rfc7208-tests.yml` from pyspf): its data model,
//! the conversion of `zonedata` into DNS records, and an in-memory [`MailDns`] serving
//! them. Kept outside `#[cfg(test)]` so the sandbox DNS server can serve the same zones.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicU32, Ordering};

use serde::Deserialize;
use serde_json::Value;

use super::{BoxFuture, Lookup, MailDns, is_valid_domain, normalize_name};

/// One YAML document of the suite.
#[derive(Debug, Clone, Deserialize)]
pub struct SuiteSection {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tests: BTreeMap<String, SuiteTest>,
    #[serde(default)]
    pub zonedata: BTreeMap<String, Vec<Value>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SuiteTest {
    pub host: String,
    #[serde(default)]
    pub mailfrom: String,
    #[serde(default)]
    pub helo: String,
    pub result: SuiteResult,
    #[serde(default)]
    pub spec: Value,
}

/// A test accepts one result or any of a list (first preferred).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SuiteResult {
    One(String),
    Any(Vec<String>),
}

impl SuiteResult {
    pub fn accepted(&self) -> Vec<&str> {
        match self {
            SuiteResult::One(r) => vec![r.as_str()],
            SuiteResult::Any(list) => list.iter().map(String::as_str).collect(),
        }
    }
}

/// A record as the suite describes it. `Spf` is the obsolete type 99, kept so a real
/// server can serve it; SPF evaluation only ever asks for TXT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuiteRecord {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Mx(u16, String),
    Txt(Vec<Vec<u8>>),
    Spf(Vec<Vec<u8>>),
    Ptr(String),
    Cname(String),
}

/// Everything served at one owner name.
///
/// Serving rule (from the suite's own driver): a query for a type that has records
/// gets them; otherwise, if `timeout` is set the server does not answer (TempError);
/// otherwise the answer is NODATA. Names not listed are NXDOMAIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteName {
    pub name: String,
    pub records: Vec<SuiteRecord>,
    pub timeout: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("zonedata for {name}: {message}")]
pub struct SuiteError {
    pub name: String,
    pub message: String,
}

/// Convert one section's `zonedata` into records per name, applying the suite's rules:
/// entries after `TIMEOUT` are never reached; a name whose only text records are
/// `SPF` entries serves them as TXT too; `TXT: NONE` only suppresses that copy.
pub fn zone_records_from_suite(
    zonedata: &BTreeMap<String, Vec<Value>>,
) -> Result<Vec<SuiteName>, SuiteError> {
    let mut out = Vec::new();
    for (owner, entries) in zonedata {
        let err = |message: String| SuiteError {
            name: owner.clone(),
            message,
        };
        let mut records = Vec::new();
        let mut has_txt = false;
        let mut timeout = false;
        for entry in entries {
            if entry.as_str() == Some("TIMEOUT") {
                timeout = true;
                break;
            }
            let Some((rtype, value)) = entry.as_object().and_then(|m| m.iter().next()) else {
                return Err(err(format!("unexpected entry {entry}")));
            };
            match rtype.as_str() {
                "TXT" => {
                    has_txt = true;
                    if value.as_str() != Some("NONE") {
                        records.push(SuiteRecord::Txt(strings(value).map_err(err)?));
                    }
                }
                "SPF" => records.push(SuiteRecord::Spf(strings(value).map_err(err)?)),
                "A" => records.push(SuiteRecord::A(parse_value(value).map_err(err)?)),
                "AAAA" => records.push(SuiteRecord::Aaaa(parse_value(value).map_err(err)?)),
                "PTR" => records.push(SuiteRecord::Ptr(text(value).map_err(err)?)),
                "CNAME" => records.push(SuiteRecord::Cname(text(value).map_err(err)?)),
                "MX" => {
                    let pref = value
                        .get(0)
                        .and_then(Value::as_u64)
                        .and_then(|p| u16::try_from(p).ok());
                    let host = value.get(1).and_then(Value::as_str);
                    match (pref, host) {
                        (Some(p), Some(h)) => records.push(SuiteRecord::Mx(p, h.to_string())),
                        _ => return Err(err(format!("bad MX {value}"))),
                    }
                }
                other => return Err(err(format!("unsupported record type {other}"))),
            }
        }
        if !has_txt && !timeout {
            let copies: Vec<SuiteRecord> = records
                .iter()
                .filter_map(|r| match r {
                    SuiteRecord::Spf(s) => Some(SuiteRecord::Txt(s.clone())),
                    _ => None,
                })
                .collect();
            records.extend(copies);
        }
        out.push(SuiteName {
            name: normalize_name(owner),
            records,
            timeout,
        });
    }
    Ok(out)
}

fn strings(value: &Value) -> Result<Vec<Vec<u8>>, String> {
    match value {
        Value::String(s) => Ok(vec![s.as_bytes().to_vec()]),
        Value::Array(list) => list
            .iter()
            .map(|v| {
                v.as_str()
                    .map(|s| s.as_bytes().to_vec())
                    .ok_or_else(|| format!("bad string {v}"))
            })
            .collect(),
        other => Err(format!("bad text value {other}")),
    }
}

fn text(value: &Value) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("bad name {value}"))
}

fn parse_value<T: std::str::FromStr>(value: &Value) -> Result<T, String> {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad address {value}"))
}

/// An in-memory zone set serving [`SuiteName`]s; CNAMEs are followed like a resolver.
#[derive(Debug, Default)]
pub struct ZoneDns {
    names: HashMap<String, SuiteName>,
    queries: AtomicU32,
}

impl ZoneDns {
    pub fn new(names: Vec<SuiteName>) -> ZoneDns {
        ZoneDns {
            names: names.into_iter().map(|n| (n.name.clone(), n)).collect(),
            queries: AtomicU32::new(0),
        }
    }

    /// Queries answered so far (tests use it to check work bounds).
    pub fn queries(&self) -> u32 {
        self.queries.load(Ordering::Relaxed)
    }

    fn answer<T>(&self, name: &str, pick: impl Fn(&SuiteRecord) -> Option<T>) -> Lookup<T> {
        self.queries.fetch_add(1, Ordering::Relaxed);
        if !is_valid_domain(name, false) {
            return Lookup::TempError(format!("cannot build a query for {name:?}"));
        }
        let mut current = normalize_name(name);
        // A bounded chain: CNAME loops in hostile zones must end.
        for _ in 0..10 {
            let Some(entry) = self.names.get(&current) else {
                return Lookup::NxDomain;
            };
            let found: Vec<T> = entry.records.iter().filter_map(&pick).collect();
            if !found.is_empty() {
                return Lookup::Records(found);
            }
            let cname = entry.records.iter().find_map(|r| match r {
                SuiteRecord::Cname(t) => Some(normalize_name(t)),
                _ => None,
            });
            match cname {
                Some(target) => current = target,
                None if entry.timeout => return Lookup::TempError("timeout".to_string()),
                None => return Lookup::NoData,
            }
        }
        Lookup::NoData
    }
}

impl MailDns for ZoneDns {
    fn txt<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<Vec<Vec<u8>>>> {
        Box::pin(async move {
            self.answer(name, |r| match r {
                SuiteRecord::Txt(s) => Some(s.clone()),
                _ => None,
            })
        })
    }

    fn a<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<IpAddr>> {
        Box::pin(async move {
            self.answer(name, |r| match r {
                SuiteRecord::A(a) => Some(IpAddr::V4(*a)),
                _ => None,
            })
        })
    }

    fn aaaa<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<IpAddr>> {
        Box::pin(async move {
            self.answer(name, |r| match r {
                SuiteRecord::Aaaa(a) => Some(IpAddr::V6(*a)),
                _ => None,
            })
        })
    }

    fn mx<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<(u16, String)>> {
        Box::pin(async move {
            self.answer(name, |r| match r {
                SuiteRecord::Mx(p, h) => Some((*p, h.clone())),
                _ => None,
            })
        })
    }

    fn ptr<'a>(&'a self, ip: IpAddr) -> BoxFuture<'a, Lookup<String>> {
        Box::pin(async move {
            self.answer(&crate::net::dns::reverse_name(ip), |r| match r {
                SuiteRecord::Ptr(n) => Some(n.clone()),
                _ => None,
            })
        })
    }

    fn cname<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<String>> {
        Box::pin(async move {
            self.queries.fetch_add(1, Ordering::Relaxed);
            match self.names.get(&normalize_name(name)) {
                None => Lookup::NxDomain,
                Some(entry) => {
                    let targets: Vec<String> = entry
                        .records
                        .iter()
                        .filter_map(|r| match r {
                            SuiteRecord::Cname(t) => Some(t.clone()),
                            _ => None,
                        })
                        .collect();
                    if targets.is_empty() {
                        Lookup::NoData
                    } else {
                        Lookup::Records(targets)
                    }
                }
            }
        })
    }
}
