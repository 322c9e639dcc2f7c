//! DKIM key records from dkimpy's test data, and the `email.dkim` audit.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::path::Path;

use launch_ready::email::dkim;
use launch_ready::email::{BoxFuture, Level, Lookup, MailDns};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    expected: BTreeMap<String, Expected>,
}

#[derive(Deserialize)]
struct Expected {
    level: Option<String>,
    codes: Vec<String>,
    key_type: Option<String>,
    bits: Option<u32>,
}

fn level_name(level: Option<Level>) -> Option<String> {
    level.map(|l| format!("{l:?}").to_lowercase())
}

#[test]
fn dkimpy_key_records() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dkim");
    let fixture: Fixture = serde_json::from_str(include_str!("../../fixtures/dkim/expected.json"))
        .unwrap_or_else(|e| panic!("expected.json: {e}"));
    let on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".txt") || n.ends_with(".dns"))
        .collect();
    for name in &on_disk {
        assert!(
            fixture.expected.contains_key(name),
            "{name} has no expectation"
        );
    }
    assert_eq!(fixture.expected.len(), 17);
    for (file, want) in &fixture.expected {
        let text =
            std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let check = dkim::check_key_record(&text);
        let mut got_codes: Vec<&str> = check.problems.iter().map(|p| p.code).collect();
        let mut want_codes: Vec<&str> = want.codes.iter().map(String::as_str).collect();
        got_codes.sort_unstable();
        want_codes.sort_unstable();
        assert_eq!(got_codes, want_codes, "{file}: {:?}", check.problems);
        let worst = check.problems.iter().map(|p| p.level).max();
        assert_eq!(level_name(worst), want.level, "{file}");
        assert_eq!(
            check.key.as_ref().map(|k| k.key_type.clone()),
            want.key_type,
            "{file}"
        );
        assert_eq!(check.key.as_ref().and_then(|k| k.bits), want.bits, "{file}");
    }
    crate::email_spf_suite::figure(&format!(
        "DKIM fixture: {}/{} key records agree",
        fixture.expected.len(),
        fixture.expected.len()
    ));
}

#[test]
fn key_record_edge_cases() {
    let codes = |text: &str| {
        dkim::check_key_record(text)
            .problems
            .iter()
            .map(|p| p.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(codes("v=DKIM1; k=rsa; p="), ["dkim.revoked"]);
    assert_eq!(codes("v=DKIM1; p= ; t=y"), ["dkim.testing", "dkim.revoked"]);
    assert_eq!(codes("k=rsa; v=DKIM1; p=AAAA"), ["dkim.version"]);
    assert_eq!(codes("v=DKIM2; p=AAAA"), ["dkim.version"]);
    assert_eq!(codes("v=DKIM1; p=AAAA; p=BBBB"), ["dkim.syntax"]);
    assert_eq!(codes("v=DKIM1; k=rsa"), ["dkim.syntax"]);
    assert_eq!(codes("garbage"), ["dkim.syntax"]);
    assert_eq!(codes("v=DKIM1; k=ed25519; p=AAAA"), ["dkim.key-unparsable"]);
    assert_eq!(codes("v=DKIM1; k=rsa; p=!!!!"), ["dkim.key-unparsable"]);
    assert_eq!(codes("v=DKIM1; k=rsa; p=AAAAAAAA"), ["dkim.key-unparsable"]);
    assert_eq!(
        codes("v=DKIM1; h=sha1; k=ed25519; p=yi50DjK5O9pqbFpNHklsv9lqaS0ArSYu02qp1S0DW1Y="),
        ["dkim.hash"]
    );
    // Whitespace inside p= is folding, not data.
    assert!(
        codes("v=DKIM1; k=ed25519; p=yi50DjK5O9pqbFpNHklsv9lq aS0ArSYu02qp1S0DW1Y=").is_empty()
    );
    // Hostile input: huge, binary, unterminated.
    let _ = dkim::check_key_record(&"p=".repeat(100_000));
    let _ = dkim::check_key_record(&format!("v=DKIM1; p={}", "A".repeat(200_000)));
    let _ = dkim::check_key_record("\u{0}\u{ff};;;==;");
}

/// TXT and CNAME only, and no CNAME chasing: like a stub resolver that leaves it to us.
#[derive(Default)]
struct Stub {
    txt: HashMap<String, Lookup<Vec<Vec<u8>>>>,
    cname: HashMap<String, String>,
}

impl MailDns for Stub {
    fn txt<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<Vec<Vec<u8>>>> {
        Box::pin(async move { self.txt.get(name).cloned().unwrap_or(Lookup::NxDomain) })
    }
    fn a<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Lookup<IpAddr>> {
        Box::pin(async { Lookup::NxDomain })
    }
    fn aaaa<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Lookup<IpAddr>> {
        Box::pin(async { Lookup::NxDomain })
    }
    fn mx<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Lookup<(u16, String)>> {
        Box::pin(async { Lookup::NxDomain })
    }
    fn ptr<'a>(&'a self, _: IpAddr) -> BoxFuture<'a, Lookup<String>> {
        Box::pin(async { Lookup::NxDomain })
    }
    fn cname<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Lookup<String>> {
        Box::pin(async move {
            match self.cname.get(name) {
                Some(t) => Lookup::Records(vec![t.clone()]),
                None => Lookup::NoData,
            }
        })
    }
}

const ED25519: &str = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

fn txt(text: &str) -> Lookup<Vec<Vec<u8>>> {
    Lookup::Records(vec![vec![text.as_bytes().to_vec()]])
}

#[tokio::test]
async fn audit_follows_provider_cname() {
    let mut dns = Stub::default();
    dns.cname.insert(
        "resend._domainkey.acme.app".into(),
        "resend.domainkey.provider.example.".into(),
    );
    dns.txt
        .insert("resend.domainkey.provider.example".into(), txt(ED25519));
    let audit = dkim::audit_dkim(&dns, "Acme.app", "resend").await;
    assert_eq!(audit.name, "resend._domainkey.acme.app");
    assert_eq!(audit.cname_chain, ["resend.domainkey.provider.example"]);
    assert_eq!(audit.level(), None, "{:?}", audit.problems);
    assert_eq!(audit.key.and_then(|k| k.bits), Some(256));
}

#[tokio::test]
async fn audit_findings() {
    let mut dns = Stub::default();
    dns.cname
        .insert("loop._domainkey.acme.app".into(), "a.example".into());
    dns.cname
        .insert("a.example".into(), "loop._domainkey.acme.app".into());
    dns.txt
        .insert("old._domainkey.acme.app".into(), txt("v=DKIM1; k=rsa; p="));
    dns.txt
        .insert("spf._domainkey.acme.app".into(), txt("v=spf1 -all"));
    dns.txt.insert(
        "dead._domainkey.acme.app".into(),
        Lookup::TempError("SERVFAIL".into()),
    );
    let code = |a: &dkim::DkimAudit| a.problems.first().map(|p| (p.code, p.level));
    let missing = dkim::audit_dkim(&dns, "acme.app", "google").await;
    assert_eq!(code(&missing), Some(("dkim.missing", Level::Fail)));
    assert!(
        missing.problems[0]
            .message
            .contains("google._domainkey.acme.app")
    );
    let looped = dkim::audit_dkim(&dns, "acme.app", "loop").await;
    assert_eq!(code(&looped), Some(("dkim.missing", Level::Fail)));
    assert!(looped.cname_chain.len() <= 5);
    assert_eq!(
        code(&dkim::audit_dkim(&dns, "acme.app", "old").await),
        Some(("dkim.revoked", Level::Fail))
    );
    assert_eq!(
        code(&dkim::audit_dkim(&dns, "acme.app", "spf").await),
        Some(("dkim.missing", Level::Fail))
    );
    assert_eq!(
        code(&dkim::audit_dkim(&dns, "acme.app", "dead").await),
        Some(("dkim.temperror", Level::Error))
    );
}
