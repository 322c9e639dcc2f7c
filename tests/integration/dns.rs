//! dns.resolves, dns.dangling-cname and dns.ns against the sandbox DNS server.

use std::time::Duration;

use launch_ready::sandbox::{Behaviour, World, Zones};

use crate::support::Project;

const MANIFEST: &str = "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n  hosts: [gone.acme.app, empty.acme.app, broken.acme.app, slow.acme.app, shop.acme.app, old.acme.app, loop.acme.app]\n";

fn world() -> World {
    let zones = Zones::new()
        .zone("acme.app")
        .ns("acme.app", "ns1.dns.example")
        .a("www.acme.app", "127.0.0.1")
        .a("www.acme.app", "::1")
        // `empty` exists (it has a TXT record) but has no address: NODATA.
        .txt("empty.acme.app", &["hello"])
        .a("broken.acme.app", "127.0.0.1")
        .behave("broken.acme.app", Behaviour::ServFail)
        .a("slow.acme.app", "127.0.0.1")
        .behave("slow.acme.app", Behaviour::Drop)
        .cname("shop.acme.app", "shops.provider.example")
        .cname("old.acme.app", "acme-old.provider.example")
        .cname("loop.acme.app", "loop2.acme.app")
        .cname("loop2.acme.app", "loop.acme.app")
        .zone("provider.example")
        .a("shops.provider.example", "127.0.0.1");
    World {
        zones,
        sites: Vec::new(),
    }
}

#[test]
fn resolves_names_nxdomain_nodata_and_servfail_apart() {
    let run = Project::new(MANIFEST)
        .world(world)
        .audit(&["--timeout", "1"]);
    assert_eq!(run.status("dns.resolves", "www.acme.app"), "pass");
    let www = run.result("dns.resolves", "www.acme.app");
    assert_eq!(
        www["details"]["addresses"].as_array().map(Vec::len),
        Some(2),
        "A and AAAA"
    );
    let gone = run.result("dns.resolves", "gone.acme.app");
    assert_eq!(gone["status"], "fail");
    assert!(gone["summary"].as_str().unwrap().contains("NXDOMAIN"));
    let empty = run.result("dns.resolves", "empty.acme.app");
    assert_eq!(empty["status"], "fail");
    assert!(empty["summary"].as_str().unwrap().contains("NODATA"));
    let broken = run.result("dns.resolves", "broken.acme.app");
    assert_eq!(broken["status"], "error", "SERVFAIL is not a verdict");
    assert_eq!(broken["details"]["rcode"], "SERVFAIL");
    let slow = run.result("dns.resolves", "slow.acme.app");
    assert_eq!(slow["status"], "error", "a timeout is never a pass");
    assert_eq!(slow["details"]["rcode"], "TIMEOUT");
    assert_eq!(run.code, 1);
}

#[test]
fn dangling_cname_fails_and_a_live_one_passes() {
    let run = Project::new(MANIFEST).world(world).audit(&[
        "--timeout",
        "1",
        "--only",
        "dns.dangling-cname",
    ]);
    let old = run.result("dns.dangling-cname", "old.acme.app");
    assert_eq!(old["status"], "fail");
    assert!(old["summary"].as_str().unwrap().contains("takeover"));
    assert_eq!(old["details"]["chain"][1], "acme-old.provider.example");
    assert_eq!(run.status("dns.dangling-cname", "shop.acme.app"), "pass");
    assert_eq!(run.status("dns.dangling-cname", "www.acme.app"), "pass");
    assert_eq!(run.status("dns.dangling-cname", "loop.acme.app"), "fail");
    assert_eq!(run.status("dns.dangling-cname", "slow.acme.app"), "error");
}

#[test]
fn a_single_name_server_fails_and_two_pass() {
    let run = Project::new(MANIFEST)
        .world(world)
        .audit(&["--only", "dns.ns"]);
    assert_eq!(run.status("dns.ns", "acme.app"), "fail");
    let two = || World {
        zones: Zones::new()
            .zone("acme.app")
            .ns("acme.app", "a.ns.example")
            .ns("acme.app", "b.ns.example"),
        sites: Vec::new(),
    };
    let run = Project::new(MANIFEST)
        .world(two)
        .audit(&["--only", "dns.ns"]);
    assert_eq!(run.status("dns.ns", "acme.app"), "pass");
    assert_eq!(run.code, 0);
}

#[test]
fn unreachable_nameserver_is_an_error_within_the_timeout() {
    // A UDP port nothing listens on: queries go unanswered (or are refused).
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = socket.local_addr().unwrap().port();
    drop(socket);
    let run = Project::new(MANIFEST).audit(&[
        "--nameserver",
        &format!("127.0.0.1:{port}"),
        "--timeout",
        "1",
        "--only",
        "dns.resolves",
    ]);
    let elapsed = run.audit_time();
    assert_eq!(run.status("dns.resolves", "www.acme.app"), "error");
    assert_eq!(run.code, 1);
    assert!(
        elapsed < Duration::from_secs(6),
        "took {elapsed:?}; expected about the 1 s timeout"
    );
}

#[test]
fn deadline_turns_unfinished_checks_into_errors() {
    let world = || World {
        zones: Zones::new()
            .zone("acme.app")
            .a("www.acme.app", "127.0.0.1")
            .behave("www.acme.app", Behaviour::Delay(Duration::from_secs(5))),
        sites: Vec::new(),
    };
    let manifest = "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n";
    let run = Project::new(manifest).world(world).audit(&[
        "--deadline",
        "1",
        "--timeout",
        "10",
        "--only",
        "dns.resolves",
    ]);
    let r = run.result("dns.resolves", "www.acme.app");
    assert_eq!(r["status"], "error");
    assert!(r["summary"].as_str().unwrap().contains("deadline"), "{r}");
    // The server answers after 5 s; the 1 s deadline must end the audit first.
    assert!(
        run.audit_time() < Duration::from_secs(4),
        "{:?}",
        run.audit_time()
    );
}
