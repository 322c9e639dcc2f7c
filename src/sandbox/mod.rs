//! The loopback world used by the tests and by `launch-ready demo`: an authoritative
//! DNS server, one HTTP+HTTPS server with per-host certificates and routes, and (from
//! the webhook and Stripe work) a Stripe API fake and webhook apps. Everything binds
//! to 127.0.0.1 on ephemeral ports; nothing is reachable from outside the machine.

pub mod acme;
pub mod api_fake;
pub mod betterstack_fake;
pub mod certs;
pub mod cloudflare_fake;
pub mod dns;
pub mod hubspot_fake;
pub mod monitors;
pub mod stripe_fake;
pub mod tls_lab;
pub mod uptimerobot_fake;
pub mod vercel_fake;
pub mod web;
pub mod webhook_app;

use std::path::{Path, PathBuf};

pub use certs::{LeafSpec, TestCa};
pub use dns::{Behaviour, DnsServer, Zones};
pub use web::{Req, Resp, Route, Site, WebServer, handler};

/// Everything a scenario describes.
#[derive(Default)]
pub struct World {
    pub zones: Zones,
    pub sites: Vec<Site>,
}

/// A started world.
pub struct Sandbox {
    pub dns: DnsServer,
    pub web: WebServer,
    pub ca: TestCa,
    /// Each host and whether it is served only over TLS (`Site::https_only`).
    hosts: Vec<(String, bool)>,
    /// Loopback names of the zones that no site serves, pinned to an address that
    /// refuses connections: tests never depend on what listens on 127.0.0.1:443.
    unserved: Vec<String>,
    refusing: std::net::SocketAddr,
}

impl Sandbox {
    pub async fn start(world: World) -> Result<Self, String> {
        let ca = TestCa::new().map_err(|e| format!("cannot create the sandbox CA: {e}"))?;
        let hosts: Vec<(String, bool)> = world
            .sites
            .iter()
            .map(|s| (s.host.clone(), s.https_only))
            .collect();
        let unserved = world
            .zones
            .loopback_names()
            .into_iter()
            .filter(|n| !hosts.iter().any(|(h, _)| h == n))
            .filter(|n| crate::manifest::valid_host(n).is_ok())
            .collect();
        let refusing = refusing_addr()
            .map_err(|e| format!("cannot pick a refusing port for the sandbox: {e}"))?;
        let dns = DnsServer::start(world.zones)
            .await
            .map_err(|e| format!("cannot start the sandbox DNS server: {e}"))?;
        let web = WebServer::start(&ca, world.sites).await?;
        Ok(Self {
            dns,
            web,
            ca,
            hosts,
            unserved,
            refusing,
        })
    }

    /// Write the CA certificate where `--ca-file` can read it.
    pub fn write_ca(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let path = dir.join("sandbox-ca.pem");
        std::fs::write(&path, &self.ca.pem)?;
        Ok(path)
    }

    /// Every sandbox host pinned to the web server (what `--connect-to` says).
    pub fn connect_to(&self) -> Vec<(String, std::net::SocketAddr)> {
        let served = self.hosts.iter().map(|(host, https_only)| {
            let addr = if *https_only {
                self.web.tls_only_addr
            } else {
                self.web.addr
            };
            (host.clone(), addr)
        });
        let refused = self.unserved.iter().map(|h| (h.clone(), self.refusing));
        served.chain(refused).collect()
    }

    /// The audit flags that point every lookup and connection at this sandbox.
    pub fn audit_flags(&self, ca_file: &Path) -> Vec<String> {
        let mut flags = vec!["--nameserver".to_owned(), self.dns.addr.to_string()];
        for (host, addr) in self.connect_to() {
            flags.push("--connect-to".to_owned());
            flags.push(format!("{host}:{addr}"));
        }
        flags.push("--ca-file".to_owned());
        flags.push(ca_file.display().to_string());
        flags
    }
}

/// A sandbox on its own runtime thread, for callers that are not async (tests that
/// drive the real binary). Dropping it stops the servers.
pub struct Running {
    pub flags: Vec<String>,
    pub dns_addr: std::net::SocketAddr,
    pub web_addr: std::net::SocketAddr,
    pub ca_file: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    pub fn start(
        dir: &Path,
        world: impl FnOnce() -> World + Send + 'static,
    ) -> Result<Self, String> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let dir = dir.to_path_buf();
        let thread = std::thread::spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(e.to_string()));
                    return;
                }
            };
            rt.block_on(async move {
                let started = Sandbox::start(world()).await.and_then(|sb| {
                    let ca = sb.write_ca(&dir).map_err(|e| e.to_string())?;
                    Ok((sb, ca))
                });
                match started {
                    Ok((sb, ca)) => {
                        let _ =
                            ready_tx.send(Ok((sb.audit_flags(&ca), sb.dns.addr, sb.web.addr, ca)));
                        let _ = stop_rx.await;
                        drop(sb);
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
        });
        let (flags, dns_addr, web_addr, ca_file) = ready_rx
            .recv()
            .map_err(|_| "the sandbox thread ended before starting".to_owned())??;
        Ok(Self {
            flags,
            dns_addr,
            web_addr,
            ca_file,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A loopback address that refuses connections: a port bound once by us and released
/// (nothing else on this machine is likely to take it within a test's lifetime).
fn refusing_addr() -> std::io::Result<std::net::SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.local_addr()
}

/// A random alphanumeric string: fake secrets are made at run time, never committed.
pub fn random_token(len: usize) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect()
}
