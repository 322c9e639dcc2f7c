//! `init` on a fresh clone, then `audit` on its draft (SPEC §7 placeholders): the
//! placeholders are reported once at the top and as one `manifest.valid` warn, every
//! check that reads one is `error`, none passes, and nothing is sent to example.com.

use std::net::UdpSocket;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::support::launch_ready;

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The name asked in a DNS query packet (question section, uncompressed).
fn qname(packet: &[u8]) -> String {
    let mut labels = Vec::new();
    let mut i = 12;
    while let Some(&len) = packet.get(i) {
        if len == 0 || len >= 64 {
            break;
        }
        let end = (i + 1 + len as usize).min(packet.len());
        labels.push(String::from_utf8_lossy(&packet[i + 1..end]).to_lowercase());
        i = end;
    }
    labels.join(".")
}

/// A name server that answers nothing and records every name it is asked about.
fn recording_nameserver() -> (String, Arc<Mutex<Vec<String>>>) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let addr = socket.local_addr().unwrap().to_string();
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = asked.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1500];
        for _ in 0..600 {
            if let Ok((n, _)) = socket.recv_from(&mut buf) {
                log.lock().unwrap().push(qname(&buf[..n]));
            }
        }
    });
    (addr, asked)
}

#[test]
fn audit_of_an_init_draft_reports_placeholders_and_never_runs_against_them() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/init/pages"),
        &repo,
    );
    let out = launch_ready().arg("init").arg(&repo).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (ns, asked) = recording_nameserver();
    let out = launch_ready()
        .current_dir(&repo)
        .args([
            "audit",
            "--format",
            "json",
            "--no-progress",
            "--timeout",
            "1",
            "--deadline",
            "30",
        ])
        .args(["--nameserver", &ns])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    let results = report["results"].as_array().unwrap();

    let notices = report["notices"].as_array().unwrap();
    assert_eq!(notices[0]["code"], "manifest-placeholders", "{notices:?}");
    let message = notices[0]["message"].as_str().unwrap();
    for field in ["web.canonical", "web.aliases[0]", "webhooks[0].url"] {
        assert!(message.contains(field), "{message}");
    }
    let valid = results
        .iter()
        .find(|r| r["check"] == "manifest.valid")
        .unwrap();
    assert_eq!(valid["status"], "warn", "{valid}");
    assert!(valid["summary"].as_str().unwrap().contains("web.canonical"));

    let placeholder_results: Vec<&Value> = results
        .iter()
        .filter(|r| {
            r["summary"]
                .as_str()
                .unwrap_or("")
                .starts_with("placeholder in ")
        })
        .collect();
    for id in [
        "http.hsts",
        "tls.certificate",
        "dns.resolves",
        "webhook.reachable",
        "env.urls",
    ] {
        assert!(
            placeholder_results.iter().any(|r| r["check"] == id),
            "{id} must be stopped by the placeholder: {stdout}"
        );
    }
    for r in &placeholder_results {
        assert_eq!(r["status"], "error", "{r}");
    }
    for r in results {
        let target = r["target"].as_str().unwrap();
        if target.contains("example.com") || r["check"].as_str().unwrap().starts_with("webhook.") {
            assert_ne!(
                r["status"], "pass",
                "a placeholder target never passes: {r}"
            );
        }
    }
    // The email domain (pageshop.io) is real and is audited; example.com never is.
    std::thread::sleep(Duration::from_millis(300));
    let asked = asked.lock().unwrap().clone();
    assert!(
        asked.iter().any(|n| n.ends_with("pageshop.io")),
        "the real email domain is looked up through this server: {asked:?}"
    );
    assert!(
        asked.iter().all(|n| !n.contains("example.")),
        "asked about a placeholder host: {asked:?}"
    );
}
