//! TLS handshakes that capture the served chain and the verifier's verdict without
//! failing the handshake, so a check can name what is wrong (self-signed, incomplete
//! chain, expired, wrong host) instead of seeing "handshake failed".

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

use super::dns::Dns;
use super::{Memo, NetConfig, NetFailure};

/// Built-in roots plus every `--ca-file` anchor.
pub fn root_store(ca_files: &[PathBuf]) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for path in ca_files {
        let pem = std::fs::read(path)
            .map_err(|e| format!("cannot read --ca-file {}: {e}", path.display()))?;
        let certs =
            parse_pem_certs(&pem).map_err(|e| format!("--ca-file {}: {e}", path.display()))?;
        if certs.is_empty() {
            return Err(format!(
                "--ca-file {}: no PEM certificate found",
                path.display()
            ));
        }
        for cert in certs {
            roots
                .add(cert)
                .map_err(|e| format!("--ca-file {}: {e}", path.display()))?;
        }
    }
    Ok(roots)
}

fn parse_pem_certs(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    use rustls::pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("invalid PEM: {e}"))
}

pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The verifying client configuration every HTTPS request uses.
pub fn client_config(roots: Arc<RootCertStore>) -> Result<ClientConfig, String> {
    ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())
        .map(|b| b.with_root_certificates(roots).with_no_client_auth())
}

/// What one handshake showed.
#[derive(Clone, Debug)]
pub struct TlsInfo {
    pub host: String,
    pub addr: SocketAddr,
    /// Leaf first, as the server sent it.
    pub chain: Vec<CertificateDer<'static>>,
    /// The standard verifier's verdict for this host name (webpki, our roots).
    pub verification: Result<(), String>,
    pub protocol: String,
    pub cipher_suite: String,
    pub handshake_ms: u64,
    /// The server's handshake signature as the standard verifier judged it. A key the
    /// verifier refuses (RSA-1024) fails here; the handshake is still completed so
    /// the chain can be examined (`tls.key` names the weak key).
    pub handshake_signature: Result<(), String>,
}

pub struct Tls {
    dns: Arc<Dns>,
    roots: Arc<RootCertStore>,
    connect_to: std::collections::BTreeMap<String, SocketAddr>,
    timeout: Duration,
    limit: Arc<Semaphore>,
    memo: Memo<(String, u16), Result<Arc<TlsInfo>, NetFailure>>,
}

impl Tls {
    pub fn new(
        config: &NetConfig,
        dns: Arc<Dns>,
        roots: Arc<RootCertStore>,
        limit: Arc<Semaphore>,
    ) -> Self {
        Self {
            dns,
            roots,
            connect_to: config.connect_to.clone(),
            timeout: config.timeout,
            limit,
            memo: Memo::default(),
        }
    }

    /// One handshake per host and port per audit, shared by every TLS check.
    pub async fn probe(&self, host: &str, port: u16) -> Result<Arc<TlsInfo>, NetFailure> {
        let key = (host.to_ascii_lowercase(), port);
        self.memo
            .get_or_run(&key, || async {
                tokio::time::timeout(self.timeout, self.handshake(&key.0, port))
                    .await
                    .unwrap_or(Err(NetFailure::Timeout(self.timeout)))
                    .map(Arc::new)
            })
            .await
    }

    /// A place in the audit's shared limit of in-flight network operations, for
    /// probes made outside this module (the legacy-TLS ClientHellos).
    pub async fn permit(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        self.limit.acquire().await.ok()
    }

    /// The address a host connects to: `--connect-to` first, then DNS.
    pub async fn address(&self, host: &str, port: u16) -> Result<SocketAddr, NetFailure> {
        if let Some(sa) = self.connect_to.get(host) {
            let port = if sa.port() == 0 { port } else { sa.port() };
            return Ok(SocketAddr::new(sa.ip(), port));
        }
        let ips = self.dns.ips(host).await.map_err(NetFailure::Dns)?;
        ips.first()
            .map(|ip| SocketAddr::new(*ip, port))
            .ok_or(NetFailure::Dns(super::dns::DnsFailure::NoData))
    }

    async fn handshake(&self, host: &str, port: u16) -> Result<TlsInfo, NetFailure> {
        let addr = self.address(host, port).await?;
        let _permit = self.limit.acquire().await;
        let started = Instant::now();
        let capture = Arc::new(Capture::default());
        let inner = WebPkiServerVerifier::builder_with_provider(self.roots.clone(), provider())
            .build()
            .map_err(|e| NetFailure::Tls(e.to_string()))?;
        let verifier = Arc::new(CapturingVerifier {
            inner,
            capture: capture.clone(),
        });
        let config = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| NetFailure::Tls(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        let name = ServerName::try_from(host.to_owned())
            .map_err(|e| NetFailure::Tls(format!("invalid server name: {e}")))?;
        let tcp = TcpStream::connect(addr)
            .await
            .map_err(|e| NetFailure::Connect(format!("{addr}: {e}")))?;
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let stream = connector
            .connect(name, tcp)
            .await
            .map_err(|e| NetFailure::Tls(format!("handshake failed: {e}")))?;
        let (_, conn) = stream.get_ref();
        let protocol = conn
            .protocol_version()
            .map(|v| format!("{v:?}"))
            .unwrap_or_default();
        let cipher_suite = conn
            .negotiated_cipher_suite()
            .map(|s| format!("{:?}", s.suite()))
            .unwrap_or_default();
        let captured = match capture.0.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        };
        let (chain, verification) =
            captured.ok_or_else(|| NetFailure::Tls("no certificate was presented".into()))?;
        let handshake_signature = match capture.1.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
        .map_or(Ok(()), Err);
        Ok(TlsInfo {
            host: host.to_owned(),
            addr,
            chain,
            verification,
            protocol,
            cipher_suite,
            handshake_ms: started.elapsed().as_millis() as u64,
            handshake_signature,
        })
    }
}

type Captured = Option<(Vec<CertificateDer<'static>>, Result<(), String>)>;

#[derive(Default, Debug)]
struct Capture(Mutex<Captured>, Mutex<Option<String>>);

impl Capture {
    fn signature(
        &self,
        result: Result<HandshakeSignatureValid, rustls::Error>,
    ) -> HandshakeSignatureValid {
        if let Err(e) = result
            && let Ok(mut slot) = self.1.lock()
        {
            slot.get_or_insert(e.to_string());
        }
        HandshakeSignatureValid::assertion()
    }
}

/// Records the chain, the real verifier's verdict and its judgement of the handshake
/// signature, then lets the handshake finish. The connection is only inspected and
/// closed: no data is ever sent on it, so accepting an unverified handshake here
/// exposes nothing.
#[derive(Debug)]
struct CapturingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    capture: Arc<Capture>,
}

impl ServerCertVerifier for CapturingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ())
            .map_err(|e| e.to_string());
        let chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.clone().into_owned())
            .collect();
        if let Ok(mut slot) = self.capture.0.lock() {
            *slot = Some((chain, verdict));
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(self
            .capture
            .signature(self.inner.verify_tls12_signature(message, cert, dss)))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(self
            .capture
            .signature(self.inner.verify_tls13_signature(message, cert, dss)))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

impl TlsInfo {
    /// The issuer of the served leaf certificate, as an RFC 4514 string.
    pub fn leaf_issuer(&self) -> Option<String> {
        let leaf = self.chain.first()?;
        let (_, cert) = x509_parser::parse_x509_certificate(leaf.as_ref()).ok()?;
        Some(cert.issuer().to_string())
    }

    /// The issuer's organisation (or common name) — how people name a CA.
    pub fn leaf_issuer_name(&self) -> Option<String> {
        let leaf = self.chain.first()?;
        let (_, cert) = x509_parser::parse_x509_certificate(leaf.as_ref()).ok()?;
        let issuer = cert.issuer();
        let org = issuer.iter_organization().find_map(|a| a.as_str().ok());
        let cn = issuer.iter_common_name().find_map(|a| a.as_str().ok());
        org.or(cn).map(str::to_owned)
    }
}
