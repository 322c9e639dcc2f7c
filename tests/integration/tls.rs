//! tls.certificate, tls.expiry, tls.protocol and tls.key against the sandbox server
//! (rcgen certificates per scenario), the lab servers for chains rcgen will not make
//! and a legacy-TLS front, and servers that misbehave.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use launch_ready::sandbox::tls_lab::{chain_server, legacy_front, private_ca_chain, relabel_sha1};
use launch_ready::sandbox::{LeafSpec, Site, World, Zones};
use rustls::pki_types::CertificateDer;

use crate::support::{Project, Run};

const HOSTS: [&str; 15] = [
    "expired.acme.app",
    "future.acme.app",
    "wrong.acme.app",
    "selfsigned.acme.app",
    "soon.acme.app",
    "urgent.acme.app",
    "incomplete.acme.app",
    "untrusted.acme.app",
    "sha1.acme.app",
    "legacy.acme.app",
    "legacyonly.acme.app",
    "closes.acme.app",
    "garbage.acme.app",
    "silent.acme.app",
    "nodns.acme.app",
];

fn manifest(extra: &str) -> String {
    format!(
        "version: 1\nproject: acme\nweb:\n  canonical: https://ok.acme.app\n  hosts: [{}]\n{extra}",
        HOSTS.join(", ")
    )
}

fn spec(names: &[&str], not_before_days: i64, not_after_days: i64) -> LeafSpec {
    LeafSpec {
        not_before_days,
        not_after_days,
        ..LeafSpec::valid(names)
    }
}

fn world() -> World {
    let self_signed = LeafSpec {
        self_signed: true,
        ..LeafSpec::valid(&["selfsigned.acme.app"])
    };
    World {
        zones: Zones::new().zone("acme.app").a("ok.acme.app", "127.0.0.1"),
        sites: vec![
            Site::new("ok.acme.app"),
            Site::new("expired.acme.app").cert(spec(&["expired.acme.app"], -90, -2)),
            Site::new("future.acme.app").cert(spec(&["future.acme.app"], 5, 90)),
            Site::new("wrong.acme.app").cert(LeafSpec::valid(&["shop.other.example"])),
            Site::new("selfsigned.acme.app").cert(self_signed),
            Site::new("soon.acme.app").cert(spec(&["soon.acme.app"], -80, 10)),
            Site::new("urgent.acme.app").cert(spec(&["urgent.acme.app"], -80, 3)),
            Site::new("legacy.acme.app"),
        ],
    }
}

fn cert_server(host: &str, send_root: bool, sha1: bool) -> SocketAddr {
    let (leaf, root, key) = private_ca_chain(host).unwrap();
    let leaf = if sha1 {
        CertificateDer::from(relabel_sha1(leaf.as_ref()).unwrap())
    } else {
        leaf
    };
    let chain = if send_root {
        vec![leaf, root]
    } else {
        vec![leaf]
    };
    chain_server(chain, key).unwrap()
}

/// Accepts and then does `what` with each connection.
fn raw_server(what: fn(std::net::TcpStream)) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || what(stream));
        }
    });
    addr
}

fn audit_all(extra_manifest: &str) -> (Run, Duration) {
    let project = Project::new(&manifest(extra_manifest)).world(world);
    let web = project.sandbox.as_ref().unwrap().web_addr;
    let pins = [
        (
            "incomplete.acme.app",
            cert_server("incomplete.acme.app", false, false),
        ),
        (
            "untrusted.acme.app",
            cert_server("untrusted.acme.app", true, false),
        ),
        ("sha1.acme.app", cert_server("sha1.acme.app", true, true)),
        ("legacy.acme.app", legacy_front(Some(web), 0x0301).unwrap()),
        ("legacyonly.acme.app", legacy_front(None, 0x0302).unwrap()),
        ("closes.acme.app", raw_server(drop)),
        (
            "garbage.acme.app",
            raw_server(|mut s| {
                let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n\x00\xffgarbage");
            }),
        ),
        (
            "silent.acme.app",
            raw_server(|s| {
                std::thread::sleep(Duration::from_secs(8));
                drop(s);
            }),
        ),
    ];
    let mut args: Vec<String> = vec![
        "--timeout".into(),
        "1".into(),
        "--only".into(),
        "tls.*".into(),
    ];
    for (host, addr) in pins {
        args.extend(["--connect-to".into(), format!("{host}:{addr}")]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = project.audit(&args);
    let elapsed = run.audit_time();
    (run, elapsed)
}

fn problems(run: &Run, host: &str) -> Vec<String> {
    let r = run.result("tls.certificate", host);
    assert_eq!(r["status"], "fail", "{r}");
    r["details"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn certificate_problems_are_each_named() {
    let (run, _) = audit_all("");
    assert_eq!(run.status("tls.certificate", "ok.acme.app"), "pass");
    assert_eq!(run.status("tls.certificate", "soon.acme.app"), "pass");
    assert_eq!(problems(&run, "expired.acme.app"), ["expired"]);
    assert_eq!(problems(&run, "future.acme.app"), ["not-yet-valid"]);
    assert_eq!(problems(&run, "wrong.acme.app"), ["hostname-mismatch"]);
    assert_eq!(problems(&run, "selfsigned.acme.app"), ["self-signed"]);
    assert_eq!(problems(&run, "incomplete.acme.app"), ["incomplete-chain"]);
    assert_eq!(problems(&run, "untrusted.acme.app"), ["untrusted-root"]);
    let wrong = run.result("tls.certificate", "wrong.acme.app");
    assert!(
        wrong["summary"]
            .as_str()
            .unwrap()
            .contains("shop.other.example")
    );
    // The legacy front relays modern handshakes to the sandbox: its certificate is fine.
    assert_eq!(run.status("tls.certificate", "legacy.acme.app"), "pass");
    assert_eq!(run.code, 1);
}

#[test]
fn expiry_warns_and_fails_at_the_default_thresholds() {
    let (run, _) = audit_all("");
    let ok = run.result("tls.expiry", "ok.acme.app");
    assert_eq!(ok["status"], "pass");
    assert_eq!(ok["details"]["days_left"], 60);
    let soon = run.result("tls.expiry", "soon.acme.app");
    assert_eq!(soon["status"], "warn");
    assert!(
        soon["summary"]
            .as_str()
            .unwrap()
            .starts_with("certificate expires in 10 days (")
    );
    assert_eq!(run.status("tls.expiry", "urgent.acme.app"), "fail");
    let expired = run.result("tls.expiry", "expired.acme.app");
    assert_eq!(expired["status"], "fail");
    assert!(expired["summary"].as_str().unwrap().contains("expired"));
}

#[test]
fn expiry_thresholds_come_from_the_manifest() {
    let (run, _) = audit_all("tls:\n  warn_days: 90\n  fail_days: 14\n");
    assert_eq!(run.status("tls.expiry", "ok.acme.app"), "warn");
    assert_eq!(run.status("tls.expiry", "soon.acme.app"), "fail");
}

#[test]
fn protocol_fails_when_tls_1_0_or_1_1_is_accepted_or_1_2_missing() {
    let (run, _) = audit_all("");
    let ok = run.result("tls.protocol", "ok.acme.app");
    assert_eq!(ok["status"], "pass", "{ok}");
    assert_eq!(
        ok["details"]["legacy_accepted"].as_array().unwrap().len(),
        0
    );
    let legacy = run.result("tls.protocol", "legacy.acme.app");
    assert_eq!(legacy["status"], "fail", "{legacy}");
    assert!(
        legacy["summary"]
            .as_str()
            .unwrap()
            .contains("still accepts TLS 1.0")
    );
    let only = run.result("tls.protocol", "legacyonly.acme.app");
    assert_eq!(only["status"], "fail", "{only}");
    assert!(
        only["summary"]
            .as_str()
            .unwrap()
            .contains("no TLS 1.2 or 1.3, only TLS 1.1")
    );
    assert_eq!(
        run.status("tls.certificate", "legacyonly.acme.app"),
        "error"
    );
}

#[test]
fn key_fails_on_a_sha1_signature_and_passes_p256() {
    let (run, _) = audit_all("");
    let ok = run.result("tls.key", "ok.acme.app");
    assert_eq!(ok["status"], "pass");
    assert_eq!(ok["details"]["bits"], 256);
    let sha1 = run.result("tls.key", "sha1.acme.app");
    assert_eq!(sha1["status"], "fail", "{sha1}");
    assert!(
        sha1["summary"]
            .as_str()
            .unwrap()
            .contains("ecdsa-with-SHA1")
    );
    // The root's own signature is not judged: the untrusted chain's key is fine.
    assert_eq!(run.status("tls.key", "untrusted.acme.app"), "pass");
}

#[test]
fn misbehaving_servers_are_errors_within_the_timeout() {
    let (run, elapsed) = audit_all("");
    for host in [
        "closes.acme.app",
        "garbage.acme.app",
        "silent.acme.app",
        "nodns.acme.app",
    ] {
        for check in ["tls.certificate", "tls.expiry", "tls.protocol", "tls.key"] {
            assert_eq!(
                run.status(check, host),
                "error",
                "{check} {host}: {}",
                run.result(check, host)
            );
        }
    }
    let silent = run.result("tls.certificate", "silent.acme.app");
    assert!(
        silent["summary"].as_str().unwrap().contains("timed out"),
        "{silent}"
    );
    assert!(elapsed < Duration::from_secs(8), "took {elapsed:?}");
}
