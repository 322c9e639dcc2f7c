//! One loopback port that speaks both plain HTTP and HTTPS (it looks at the first
//! byte: 0x16 opens a TLS handshake), with a certificate per host chosen by SNI and
//! scriptable routes per host. `--connect-to host:127.0.0.1:PORT` sends every scheme of
//! a host here, the way port 80 and 443 of one address would.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use super::certs::{LeafSpec, TestCa};

pub type BoxFuture<T> = std::pin::Pin<Box<dyn Future<Output = T> + Send>>;

/// What a handler sees of a request.
#[derive(Clone, Debug)]
pub struct Req {
    pub scheme: &'static str,
    pub host: String,
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The query string's value for `name` (first occurrence, percent-decoded).
    pub fn query_param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

#[derive(Clone, Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// Pause before answering (a slow server).
    pub delay: Duration,
}

impl Resp {
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
            delay: Duration::ZERO,
        }
    }
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Self::new(status)
            .header("content-type", "text/plain; charset=utf-8")
            .body(body.into())
    }
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::new(status)
            .header("content-type", "application/json")
            .body(value.to_string())
    }
    pub fn html(body: impl Into<String>) -> Self {
        Self::new(200)
            .header("content-type", "text/html; charset=utf-8")
            .body(body.into())
    }
    pub fn redirect(status: u16, location: impl Into<String>) -> Self {
        Self::new(status).header("location", location)
    }
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

pub type Handler = Arc<dyn Fn(Req) -> BoxFuture<Resp> + Send + Sync>;

/// Wrap a plain function as a handler.
pub fn handler(f: impl Fn(&Req) -> Resp + Send + Sync + 'static) -> Handler {
    let f = Arc::new(f);
    Arc::new(move |req| {
        let f = f.clone();
        Box::pin(async move { f(&req) })
    })
}

/// A route: an optional scheme, a path (a trailing `*` matches any rest) and a handler.
#[derive(Clone)]
pub struct Route {
    pub scheme: Option<&'static str>,
    pub path: String,
    pub handler: Handler,
}

/// One virtual host: its certificate and its routes (first match wins).
#[derive(Clone)]
pub struct Site {
    pub host: String,
    pub cert: LeafSpec,
    pub routes: Vec<Route>,
    /// Served only on the TLS-only listener: plain HTTP connections are reset
    /// unanswered, like a host with nothing listening on port 80.
    pub https_only: bool,
}

impl Site {
    pub fn new(host: &str) -> Self {
        Self {
            host: host.to_owned(),
            cert: LeafSpec::valid(&[host]),
            routes: Vec::new(),
            https_only: false,
        }
    }
    /// Nothing answers plain HTTP for this host (see `WebServer::tls_only_addr`).
    pub fn https_only(mut self) -> Self {
        self.https_only = true;
        self
    }
    pub fn cert(mut self, spec: LeafSpec) -> Self {
        self.cert = spec;
        self
    }
    pub fn route(mut self, path: &str, h: Handler) -> Self {
        self.routes.push(Route {
            scheme: None,
            path: path.to_owned(),
            handler: h,
        });
        self
    }
    pub fn route_on(mut self, scheme: &'static str, path: &str, h: Handler) -> Self {
        self.routes.push(Route {
            scheme: Some(scheme),
            path: path.to_owned(),
            handler: h,
        });
        self
    }
    fn find(&self, scheme: &str, path: &str) -> Option<&Handler> {
        self.routes
            .iter()
            .find(|r| {
                r.scheme.is_none_or(|s| s == scheme)
                    && match r.path.strip_suffix('*') {
                        Some(prefix) => path.starts_with(prefix),
                        None => r.path == path,
                    }
            })
            .map(|r| &r.handler)
    }
}

struct CertsBySni(HashMap<String, Arc<CertifiedKey>>);

impl std::fmt::Debug for CertsBySni {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CertsBySni({} hosts)", self.0.len())
    }
}

impl ResolvesServerCert for CertsBySni {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        hello
            .server_name()
            .and_then(|n| self.0.get(&n.to_ascii_lowercase()))
            .cloned()
    }
}

/// A running web server; dropped, it stops accepting.
pub struct WebServer {
    pub addr: SocketAddr,
    /// A second port that speaks only TLS: a plain-HTTP connection is reset without an
    /// answer. `https_only` sites are pointed here, since `--connect-to` sends both
    /// schemes of a host to one address.
    pub tls_only_addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
    tls_only_task: tokio::task::JoinHandle<()>,
}

impl Drop for WebServer {
    fn drop(&mut self) {
        self.task.abort();
        self.tls_only_task.abort();
    }
}

/// Request bodies the sandbox reads; larger ones get 413.
const MAX_REQUEST_BODY: usize = 1024 * 1024;

impl WebServer {
    pub async fn start(ca: &TestCa, sites: Vec<Site>) -> Result<Self, String> {
        let provider = crate::net::tls::provider();
        let mut certs = HashMap::new();
        for site in &sites {
            let leaf = ca.issue(&site.cert).map_err(|e| e.to_string())?;
            let key = CertifiedKey::from_der(leaf.chain, leaf.key, &provider)
                .map_err(|e| e.to_string())?;
            certs.insert(site.host.to_ascii_lowercase(), Arc::new(key));
        }
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(CertsBySni(certs)));
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let tls_only = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let tls_only_addr = tls_only.local_addr().map_err(|e| e.to_string())?;
        let sites: Arc<HashMap<String, Site>> = Arc::new(
            sites
                .into_iter()
                .map(|s| (s.host.to_ascii_lowercase(), s))
                .collect(),
        );
        let task = tokio::spawn(accept_loop(
            listener,
            acceptor.clone(),
            sites.clone(),
            false,
        ));
        let tls_only_task = tokio::spawn(accept_loop(tls_only, acceptor, sites, true));
        Ok(Self {
            addr,
            tls_only_addr,
            task,
            tls_only_task,
        })
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    sites: Arc<HashMap<String, Site>>,
    tls_only: bool,
) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let acceptor = acceptor.clone();
        let sites = sites.clone();
        tokio::spawn(async move {
            let _ = serve_connection(stream, acceptor, sites, tls_only).await;
        });
    }
}

async fn serve_connection(
    stream: TcpStream,
    acceptor: TlsAcceptor,
    sites: Arc<HashMap<String, Site>>,
    tls_only: bool,
) -> Result<(), String> {
    let mut first = [0u8; 1];
    let n = tokio::time::timeout(Duration::from_secs(10), stream.peek(&mut first))
        .await
        .map_err(|_| "idle".to_string())?
        .map_err(|e| e.to_string())?;
    if n == 1 && first[0] == 0x16 {
        let tls = acceptor.accept(stream).await.map_err(|e| e.to_string())?;
        serve_http(TokioIo::new(tls), "https", sites).await
    } else if tls_only {
        // Closing with the request unread makes the kernel send a reset: the client
        // sees its connection refused mid-request, with no answer.
        drop(stream);
        Ok(())
    } else {
        serve_http(TokioIo::new(stream), "http", sites).await
    }
}

async fn serve_http<I>(
    io: I,
    scheme: &'static str,
    sites: Arc<HashMap<String, Site>>,
) -> Result<(), String>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = service_fn(move |req: hyper::Request<Incoming>| {
        let sites = sites.clone();
        async move { Ok::<_, Infallible>(dispatch(req, scheme, &sites).await) }
    });
    hyper::server::conn::http1::Builder::new()
        .serve_connection(io, service)
        .await
        .map_err(|e| e.to_string())
}

async fn dispatch(
    req: hyper::Request<Incoming>,
    scheme: &'static str,
    sites: &HashMap<String, Site>,
) -> hyper::Response<Full<Bytes>> {
    let host = req
        .headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .map(|h| h.split(':').next().unwrap_or(h).to_ascii_lowercase())
        .unwrap_or_default();
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or_default().to_owned();
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match Limited::new(req.into_body(), MAX_REQUEST_BODY)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => return to_hyper(Resp::text(413, "request body too large")),
    };
    let resp = match sites.get(&host).and_then(|s| s.find(scheme, &path)) {
        Some(h) => {
            h(Req {
                scheme,
                host,
                method,
                path,
                query,
                headers,
                body,
            })
            .await
        }
        None => Resp::text(404, "not found"),
    };
    if !resp.delay.is_zero() {
        tokio::time::sleep(resp.delay).await;
    }
    to_hyper(resp)
}

fn to_hyper(resp: Resp) -> hyper::Response<Full<Bytes>> {
    let mut builder = hyper::Response::builder().status(resp.status);
    for (k, v) in &resp.headers {
        builder = builder.header(k, v);
    }
    builder
        .body(Full::new(resp.body))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::from_static(b"bad response"))))
}
