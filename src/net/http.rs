//! HTTP through reqwest: redirects never followed automatically (each hop is evidence),
//! bodies capped, every request under `--timeout`, names resolved through our DNS.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use rustls::RootCertStore;
use tokio::sync::Semaphore;

use super::dns::Dns;
use super::{Memo, NetConfig, NetFailure};

#[derive(Clone, Debug)]
pub struct Request {
    pub method: reqwest::Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl Request {
    pub fn get(url: impl Into<String>) -> Self {
        Self {
            method: reqwest::Method::GET,
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }
    pub fn post(url: impl Into<String>, body: Vec<u8>) -> Self {
        Self {
            method: reqwest::Method::POST,
            url: url.into(),
            headers: Vec::new(),
            body: Some(body),
        }
    }
    /// A CORS preflight.
    pub fn options(url: impl Into<String>) -> Self {
        Self {
            method: reqwest::Method::OPTIONS,
            ..Self::get(url)
        }
    }
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }
}

#[derive(Clone, Debug)]
pub struct Response {
    pub url: String,
    pub status: u16,
    /// Names lower-cased, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body was longer than the cap and was cut.
    pub truncated: bool,
    pub elapsed: Duration,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
    /// Every value of a repeated header, joined with ", " (RFC 9110 §5.3).
    pub fn header_joined(&self, name: &str) -> Option<String> {
        let name = name.to_ascii_lowercase();
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
    pub fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status)
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One step of a redirect chain.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Hop {
    pub url: String,
    pub status: u16,
    pub location: Option<String>,
}

pub struct Http {
    client: reqwest::Client,
    timeout: Duration,
    body_cap: usize,
    limit: Arc<Semaphore>,
    memo: Memo<String, Result<Arc<Response>, NetFailure>>,
    dns: Arc<Dns>,
    /// Hosts pinned by `--connect-to`: reqwest never asks our resolver about them.
    pinned: std::collections::BTreeSet<String>,
}

impl Http {
    pub fn new(
        config: &NetConfig,
        dns: Arc<Dns>,
        roots: Arc<RootCertStore>,
        limit: Arc<Semaphore>,
    ) -> Result<Self, String> {
        let tls = super::tls::client_config(roots)?;
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .user_agent(concat!("launch-ready/", env!("CARGO_PKG_VERSION")))
            .tls_backend_preconfigured(tls)
            .dns_resolver(Arc::new(OurResolver(dns.clone())));
        for (host, addr) in &config.connect_to {
            builder = builder.resolve(host, *addr);
        }
        let client = builder
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Self {
            client,
            timeout: config.timeout,
            body_cap: config.body_cap,
            limit,
            memo: Memo::default(),
            dns,
            pinned: config.connect_to.keys().cloned().collect(),
        })
    }

    /// A GET shared by every check that reads the same URL.
    pub async fn get(&self, url: &str) -> Result<Arc<Response>, NetFailure> {
        let key = url.to_owned();
        self.memo
            .get_or_run(&key, || async {
                self.send(Request::get(url)).await.map(Arc::new)
            })
            .await
    }

    /// One request, never following redirects; the body is read up to the cap.
    pub async fn send(&self, req: Request) -> Result<Response, NetFailure> {
        self.send_capped(req, self.body_cap).await
    }

    /// [`Http::send`] with a body cap of its own (an API's pages can be larger
    /// than any web page the audit reads).
    pub async fn send_capped(&self, req: Request, body_cap: usize) -> Result<Response, NetFailure> {
        // Resolve first, outside the permit: reqwest asks our resolver, which takes a
        // permit of the same limit, so holding one here would deadlock at
        // --concurrency 1 (and stall whenever every permit is a waiting request). The
        // answer is memoised; the resolver reads it back without a permit.
        // Each query is bounded by the resolver's own timeout, so a SERVFAIL stays a
        // SERVFAIL rather than becoming this request's timeout.
        if let Some(host) = self.host_to_resolve(&req.url) {
            self.dns.ips(&host).await.map_err(NetFailure::Dns)?;
        }
        let _permit = self.limit.acquire().await;
        let started = Instant::now();
        let work = async {
            let mut builder = self.client.request(req.method.clone(), &req.url);
            for (k, v) in &req.headers {
                builder = builder.header(k, v);
            }
            if let Some(body) = &req.body {
                builder = builder.body(body.clone());
            }
            let mut resp = builder
                .send()
                .await
                .map_err(|e| classify(e, self.timeout))?;
            let status = resp.status().as_u16();
            let headers = resp
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_ascii_lowercase(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let mut body = Vec::new();
            let mut truncated = false;
            while let Some(chunk) = resp.chunk().await.map_err(|e| classify(e, self.timeout))? {
                let room = body_cap.saturating_sub(body.len());
                if chunk.len() > room {
                    body.extend_from_slice(&chunk[..room]);
                    truncated = true;
                    break;
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Response {
                url: req.url.clone(),
                status,
                headers,
                body,
                truncated,
                elapsed: started.elapsed(),
            })
        };
        tokio::time::timeout(self.timeout, work)
            .await
            .unwrap_or(Err(NetFailure::Timeout(self.timeout)))
    }

    /// The host of `url` when a request to it needs a lookup (a name, not an address
    /// literal, not pinned by --connect-to).
    fn host_to_resolve(&self, url: &str) -> Option<String> {
        let parsed = url::Url::parse(url).ok()?;
        match parsed.host()? {
            url::Host::Domain(d) => {
                let host = d.trim_end_matches('.').to_ascii_lowercase();
                (!self.pinned.contains(&host)).then_some(host)
            }
            url::Host::Ipv4(_) | url::Host::Ipv6(_) => None,
        }
    }

    /// Follow redirects by hand, at most `max_hops`, stopping at a loop.
    pub async fn follow(&self, url: &str, max_hops: usize) -> Result<Chain, NetFailure> {
        let mut hops = Vec::new();
        let mut current = url.to_owned();
        let mut seen = std::collections::HashSet::new();
        loop {
            if !seen.insert(current.clone()) {
                return Ok(Chain {
                    hops,
                    end: ChainEnd::Loop(current),
                });
            }
            let resp = self.get(&current).await?;
            let location = resp.header("location").map(str::to_owned);
            hops.push(Hop {
                url: current.clone(),
                status: resp.status,
                location: location.clone(),
            });
            match (resp.is_redirect(), location) {
                (true, Some(loc)) => {
                    let next = url::Url::parse(&current)
                        .and_then(|base| base.join(&loc))
                        .map_err(|e| NetFailure::Protocol(format!("bad Location `{loc}`: {e}")))?;
                    if hops.len() > max_hops {
                        return Ok(Chain {
                            hops,
                            end: ChainEnd::TooManyHops,
                        });
                    }
                    current = next.to_string();
                }
                _ => {
                    return Ok(Chain {
                        hops,
                        end: ChainEnd::Final(resp),
                    });
                }
            }
        }
    }
}

#[cfg(all(test, feature = "sandbox"))]
#[path = "http_tests.rs"]
mod tests;

#[derive(Clone, Debug)]
pub struct Chain {
    pub hops: Vec<Hop>,
    pub end: ChainEnd,
}

#[derive(Clone, Debug)]
pub enum ChainEnd {
    Final(Arc<Response>),
    Loop(String),
    TooManyHops,
}

fn classify(e: reqwest::Error, timeout: Duration) -> NetFailure {
    if e.is_timeout() {
        return NetFailure::Timeout(timeout);
    }
    // Decide by the typed errors in the source chain first: the URL or a host name may
    // well contain "tls" or "certificate".
    let is_connect = e.is_connect();
    let e = e.without_url();
    let mut text = e.to_string();
    let mut dns = None;
    let mut tls = false;
    // A connection reset or aborted before any answer is a connection failure too
    // (a firewall or a TLS-only port answering plain HTTP), not a protocol error.
    let mut reset = false;
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        reset |= s.downcast_ref::<std::io::Error>().is_some_and(|io| {
            use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset};
            matches!(io.kind(), ConnectionReset | ConnectionAborted | BrokenPipe)
        });
        text = format!("{text}: {s}");
        dns = dns.or_else(|| s.downcast_ref::<ResolveError>().map(|r| r.failure.clone()));
        tls |= s.downcast_ref::<rustls::Error>().is_some()
            || s.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some());
        source = s.source();
    }
    // Some TLS errors reach us only as text (wrapped by the connector); with the URL
    // removed and DNS failures typed above, the words are safe to read.
    let lower = text.to_ascii_lowercase();
    tls |= ["certificate", "tls", "handshake", "alert"]
        .iter()
        .any(|w| lower.contains(w));
    if let Some(failure) = dns {
        NetFailure::Dns(failure)
    } else if tls {
        NetFailure::Tls(text)
    } else if is_connect || reset {
        NetFailure::Connect(text)
    } else {
        NetFailure::Protocol(text)
    }
}

/// A failed lookup behind an HTTP request, kept typed so the request's failure is
/// classified as DNS (NXDOMAIN is a verdict; SERVFAIL is not).
#[derive(Debug)]
struct ResolveError {
    host: String,
    failure: super::dns::DnsFailure,
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.host, self.failure)
    }
}

impl std::error::Error for ResolveError {}

/// Every name reqwest resolves goes through the audit's DNS (and so `--nameserver`).
struct OurResolver(Arc<Dns>);

impl Resolve for OurResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let dns = self.0.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let ips = dns.ips(&host).await.map_err(
                |failure| -> Box<dyn std::error::Error + Send + Sync> {
                    Box::new(ResolveError {
                        host: host.clone(),
                        failure,
                    })
                },
            )?;
            let addrs: Addrs = Box::new(
                ips.into_iter()
                    .map(|ip| std::net::SocketAddr::new(ip, 0))
                    .collect::<Vec<_>>()
                    .into_iter(),
            );
            Ok(addrs)
        })
    }
}
