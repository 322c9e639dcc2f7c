//! The only place that talks to the network: DNS (hickory), HTTP (reqwest) and TLS
//! (rustls). Checks reach it through `Context`, so an upgrade touches these files only.

pub mod api;
pub mod betterstack;
pub mod cloudflare;
pub mod dns;
pub mod http;
pub mod hubspot;
pub mod legacy_tls;
mod memo;
pub mod stripe;
pub mod tls;
pub mod uptimerobot;
pub mod vercel;

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use memo::Memo;

/// How every connection of an audit is made.
#[derive(Clone, Debug)]
pub struct NetConfig {
    /// `--nameserver`: the resolvers for every lookup; empty = the system's.
    pub nameservers: Vec<SocketAddr>,
    /// `--connect-to HOST:ADDR`: pinned addresses; the port is optional (0 = the scheme's).
    pub connect_to: BTreeMap<String, SocketAddr>,
    /// `--ca-file`: extra trust anchors (PEM), added to the built-in roots.
    pub ca_files: Vec<PathBuf>,
    /// Per network operation.
    pub timeout: Duration,
    /// In-flight network operations.
    pub concurrency: usize,
    /// Response bodies are cut here.
    pub body_cap: usize,
    /// `--allow-api-base`: bases a live credential may go to although the
    /// manifest alone names them (SPEC §6).
    pub allow_api_bases: Vec<String>,
    /// API listings stop here and keep what they read (`--deadline`, less a margin
    /// for judging), so a long listing ends as a partial one, not as a check cut off.
    pub listing_deadline: Option<std::time::Instant>,
}

impl Default for NetConfig {
    fn default() -> Self {
        Self {
            nameservers: Vec::new(),
            connect_to: BTreeMap::new(),
            ca_files: Vec::new(),
            timeout: Duration::from_secs(10),
            concurrency: 32,
            body_cap: 2 * 1024 * 1024,
            allow_api_bases: Vec::new(),
            listing_deadline: None,
        }
    }
}

/// Parse `IP[:PORT]` (IPv6 as `[::1]:53` or bare `::1`).
pub fn parse_addr(text: &str, default_port: u16) -> Result<SocketAddr, String> {
    if let Ok(sa) = text.parse::<SocketAddr>() {
        return Ok(sa);
    }
    let bare = text.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, default_port))
        .map_err(|_| format!("`{text}` is not an IP address with an optional port"))
}

/// Parse `HOST:ADDR` of `--connect-to`.
pub fn parse_connect_to(text: &str) -> Result<(String, SocketAddr), String> {
    let (host, addr) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}`: expected HOST:ADDR, e.g. www.acme.app:203.0.113.7"))?;
    let host = crate::manifest::valid_host(host)?;
    Ok((host, parse_addr(addr, 0)?))
}

/// Why a network operation did not produce an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetFailure {
    Timeout(Duration),
    Dns(dns::DnsFailure),
    Connect(String),
    Tls(String),
    Protocol(String),
}

impl NetFailure {
    /// A short machine-readable name for report details.
    pub fn kind(&self) -> &'static str {
        match self {
            NetFailure::Timeout(_) => "timeout",
            NetFailure::Dns(d) => d.code(),
            NetFailure::Connect(_) => "connect",
            NetFailure::Tls(_) => "tls",
            NetFailure::Protocol(_) => "protocol",
        }
    }
}

impl std::fmt::Display for NetFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NetFailure::Timeout(d) => write!(f, "timed out after {}s", d.as_secs_f64()),
            NetFailure::Dns(e) => write!(f, "DNS: {e}"),
            NetFailure::Connect(e) => write!(f, "connection failed: {e}"),
            NetFailure::Tls(e) => write!(f, "TLS: {e}"),
            NetFailure::Protocol(e) => write!(f, "{e}"),
        }
    }
}

/// DNS, HTTP and TLS access for one audit, sharing one concurrency limit and caches.
pub struct Net {
    pub config: NetConfig,
    pub dns: Arc<dns::Dns>,
    pub http: http::Http,
    pub tls: tls::Tls,
}

impl Net {
    pub fn new(config: NetConfig) -> Result<Self, String> {
        let limit = Arc::new(tokio::sync::Semaphore::new(config.concurrency.max(1)));
        let dns = Arc::new(dns::Dns::new(&config, limit.clone())?);
        let roots = Arc::new(tls::root_store(&config.ca_files)?);
        let http = http::Http::new(&config, dns.clone(), roots.clone(), limit.clone())?;
        let tls = tls::Tls::new(&config, dns.clone(), roots, limit);
        Ok(Self {
            config,
            dns,
            http,
            tls,
        })
    }
}
