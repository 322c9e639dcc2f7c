//! Servers that misbehave (hang, refuse, answer garbage or a huge body, have no
//! DNS) end as `error` or `fail` within the timeout; and the demo shows its findings.

use std::io::Write;
use std::time::Duration;

use launch_ready::sandbox::webhook_app::{Mode, webhook_app};
use launch_ready::sandbox::{Site, World};

use super::{CHECKS, manifest, secret, summary, zones};
use crate::support::Project;

/// A TCP server that answers every connection with bytes that are not HTTP.
fn garbage_server() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\x00\x01garbage\r\n\r\n");
        }
    });
    addr
}

#[test]
fn misbehaving_servers_end_as_error_or_fail_within_the_timeout() {
    let whsec = secret();
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let garbage = garbage_server();
    let hooks = [
        ("hang", "https://hooks.acme.app/hang", ", latency_probes: 2"),
        ("huge", "https://hooks.acme.app/huge", ", latency_probes: 2"),
        ("refused", "https://refused.acme.app/hook", ""),
        ("garbage", "http://garbage.acme.app/hook", ""),
        ("servfail", "https://servfail.acme.app/hook", ""),
        ("nxdomain", "https://gone.acme.app/hook", ""),
    ];
    let world = {
        let whsec = whsec.clone();
        move || World {
            zones: zones(),
            sites: vec![
                Site::new("hooks.acme.app")
                    .route("/hang", webhook_app(Mode::Hang, &whsec))
                    .route("/huge", webhook_app(Mode::HugeBody, &whsec)),
            ],
        }
    };
    let run = Project::new(&manifest(&hooks))
        .file(".env", &format!("STRIPE_WEBHOOK_SECRET={whsec}\n"))
        .world(world)
        .audit(&[
            "--active",
            "--timeout",
            "2",
            "--connect-to",
            &format!("refused.acme.app:{refused}"),
            "--connect-to",
            &format!("garbage.acme.app:{garbage}"),
        ]);
    assert!(
        run.audit_time() < Duration::from_secs(20),
        "took {:?}",
        run.audit_time()
    );
    // Without an answer there is no evidence: no check may pass. (The huge answer
    // is an answer: it truthfully has no redirect and a latency.)
    for (target, _, _) in hooks.iter().filter(|h| h.0 != "huge") {
        for check in CHECKS {
            let status = run.status(check, target);
            assert_ne!(
                status,
                "pass",
                "{check} {target}: {}",
                run.result(check, target)
            );
        }
    }
    let status = |check, target| run.status(check, target);
    assert_eq!(status("webhook.reachable", "hang"), "error");
    assert!(summary(&run, "webhook.reachable", "hang").contains("timed out after 2s"));
    assert_eq!(status("webhook.latency", "hang"), "error");
    assert_eq!(status("webhook.signature-enforced", "hang"), "error");
    let reachable_huge = run.result("webhook.reachable", "huge");
    assert_eq!(reachable_huge["status"], "fail", "{reachable_huge}");
    let huge = &reachable_huge["details"]["probes"]["unsigned_probe"];
    assert_eq!(huge["body_truncated"], true, "{reachable_huge}");
    assert_eq!(status("webhook.signature-enforced", "huge"), "fail");
    assert_eq!(status("webhook.reachable", "refused"), "fail");
    assert!(summary(&run, "webhook.reachable", "refused").contains("connection failed"));
    assert_eq!(status("webhook.signed-accepted", "refused"), "error");
    assert_eq!(status("webhook.reachable", "garbage"), "error");
    assert_eq!(status("webhook.reachable", "servfail"), "error");
    assert!(
        summary(&run, "webhook.reachable", "servfail").contains("SERVFAIL"),
        "{}",
        summary(&run, "webhook.reachable", "servfail")
    );
    assert_eq!(status("webhook.reachable", "nxdomain"), "fail");
    assert!(summary(&run, "webhook.reachable", "nxdomain").contains("NXDOMAIN"));
    assert_eq!(run.code, 1);
}

#[test]
fn demo_shows_forgeable_events_and_the_apex_redirect() {
    let out = crate::support::launch_ready()
        .args(["demo", "--format", "json", "--no-progress", "--active"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = |check: &str, target: &str| {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["check"] == check && r["target"] == target)
            .cloned()
            .unwrap_or_else(|| panic!("no {check} {target}"))
    };
    assert_eq!(
        result("webhook.signature-enforced", "stripe")["status"],
        "fail"
    );
    assert_eq!(
        result("webhook.no-redirect", "stripe-apex")["status"],
        "fail"
    );
    assert_eq!(result("webhook.reachable", "stripe")["status"], "pass");
    // `demo --active` signs with the demo's own secret (issue 11 item 8): the handler
    // accepts the signed event, and the stale replay too.
    assert_eq!(
        result("webhook.signed-accepted", "stripe")["status"],
        "pass",
        "{}",
        result("webhook.signed-accepted", "stripe")
    );
    assert_eq!(
        result("webhook.replay-rejected", "stripe")["status"],
        "fail",
        "{}",
        result("webhook.replay-rejected", "stripe")
    );
}
