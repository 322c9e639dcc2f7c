#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use crate::net::{Net, NetConfig};
use crate::sandbox::{Resp, Sandbox, Site, World, Zones, handler};

async fn sandbox() -> Sandbox {
    let zones = Zones::new()
        .zone("acme.test")
        .a("www.acme.test", "127.0.0.1")
        .a("api.acme.test", "127.0.0.1");
    let sites = ["www.acme.test", "api.acme.test"]
        .map(|host| Site::new(host).route("/", handler(|_| Resp::html("ok"))))
        .to_vec();
    Sandbox::start(World { zones, sites }).await.unwrap()
}

/// Issue 11 item 2: with one permit, a request took it and then waited for the same
/// permit inside reqwest's lookup, until --timeout. Names now resolve first; the
/// sandbox's names are looked up through --nameserver, nothing is pinned.
#[tokio::test]
async fn requests_to_unresolved_hosts_finish_at_concurrency_one() {
    let sb = sandbox().await;
    let net = Net::new(NetConfig {
        nameservers: vec![sb.dns.addr],
        concurrency: 1,
        timeout: Duration::from_secs(5),
        ..NetConfig::default()
    })
    .unwrap();
    let port = sb.web.addr.port();
    let urls = [
        format!("http://www.acme.test:{port}/"),
        format!("http://api.acme.test:{port}/"),
        format!("http://www.acme.test:{port}/again"),
    ];
    let started = tokio::time::Instant::now();
    let answers =
        futures::future::join_all(urls.iter().map(|u| net.http.send(super::Request::get(u)))).await;
    for (url, answer) in urls.iter().zip(&answers) {
        let resp = answer.as_ref().unwrap_or_else(|e| panic!("{url}: {e}"));
        assert!(resp.status < 500, "{url}: {}", resp.status);
    }
    // Well under the 5 s timeout each stalled request used to wait out.
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_name_that_does_not_exist_is_a_dns_failure_not_a_timeout() {
    let sb = sandbox().await;
    let net = Net::new(NetConfig {
        nameservers: vec![sb.dns.addr],
        concurrency: 1,
        timeout: Duration::from_secs(5),
        ..NetConfig::default()
    })
    .unwrap();
    let port = sb.web.addr.port();
    let err = net
        .http
        .send(super::Request::get(format!(
            "http://missing.acme.test:{port}/"
        )))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "NXDOMAIN", "{err}");
}
