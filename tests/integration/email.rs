//! email.spf, email.dmarc, email.dkim, email.mx and dns.caa against the sandbox.

use launch_ready::sandbox::{Behaviour, Resp, Site, World, Zones, handler};

use crate::support::{Project, Run};

const KEY_1024: &str = include_str!("../../fixtures/dkim/1024_testkey_wo_markers.pub.txt");
const KEY_2048: &str = include_str!("../../fixtures/dkim/2048_testkey_wo_markers.pub.txt");

fn manifest(extra: &str) -> String {
    format!(
        "version: 1\nproject: acme\nemail:\n  domain: acme.app\n  dkim_selectors: [s1]\n  dmarc_min_policy: quarantine\n{extra}"
    )
}

/// A well-configured mail domain; `edit` changes it per scenario.
fn mail_zone() -> Zones {
    Zones::new()
        .zone("acme.app")
        .zone("mailhost.example")
        .mx("acme.app", 10, "mx1.mailhost.example")
        .a("mx1.mailhost.example", "127.0.0.1")
        .txt("_spf.mailhost.example", &["v=spf1 ip4:192.0.2.0/24 -all"])
        .txt("s1._domainkey.acme.app", &[KEY_2048.trim()])
}

fn audit(manifest: &str, zones: impl FnOnce() -> Zones + Send + 'static, only: &str) -> Run {
    Project::new(manifest)
        .world(move || World {
            zones: zones(),
            sites: Vec::new(),
        })
        .audit(&["--only", only, "--timeout", "1"])
}

fn healthy() -> Zones {
    mail_zone()
        .txt("acme.app", &["v=spf1 include:_spf.mailhost.example -all"])
        .txt(
            "_dmarc.acme.app",
            &["v=DMARC1; p=reject; rua=mailto:dmarc@acme.app"],
        )
}

#[test]
fn a_healthy_mail_domain_passes_every_email_check() {
    let run = audit(&manifest(""), healthy, "email.*");
    for check in ["email.spf", "email.dmarc", "email.mx"] {
        assert_eq!(
            run.status(check, "acme.app"),
            "pass",
            "{check}: {}",
            run.result(check, "acme.app")
        );
    }
    assert_eq!(run.status("email.dkim", "s1._domainkey.acme.app"), "pass");
    let spf = run.result("email.spf", "acme.app");
    assert_eq!(spf["details"]["lookups"], 1);
    assert_eq!(run.code, 0);
}

#[test]
fn spf_over_ten_lookups_fails_and_shows_the_include_tree() {
    let zones = || {
        let mut z = mail_zone().txt(
            "_dmarc.acme.app",
            &["v=DMARC1; p=reject; rua=mailto:d@acme.app"],
        );
        // include:_spf.crm → 6 nested includes; include:_spf.help → 4 a: terms: 1+6+1+4 = 12.
        let crm: Vec<String> = (0..6)
            .map(|i| format!("include:n{i}.mailhost.example"))
            .collect();
        z = z.txt(
            "_spf.crm.acme.app",
            &[&format!("v=spf1 {} -all", crm.join(" "))],
        );
        for i in 0..6 {
            z = z.txt(
                &format!("n{i}.mailhost.example"),
                &["v=spf1 ip4:192.0.2.1 -all"],
            );
        }
        z.txt("_spf.help.acme.app", &["v=spf1 a:mx1.mailhost.example a:mx1.mailhost.example a:mx1.mailhost.example a:mx1.mailhost.example -all"])
            .txt("acme.app", &["v=spf1 include:_spf.crm.acme.app include:_spf.help.acme.app -all"])
    };
    let run = audit(&manifest(""), zones, "email.spf");
    let spf = run.result("email.spf", "acme.app");
    assert_eq!(spf["status"], "fail", "{spf}");
    assert_eq!(spf["details"]["lookups"], 12);
    let tree = spf["details"]["include_tree"].as_str().unwrap();
    assert!(tree.contains("include:_spf.crm.acme.app (7)"), "{tree}");
    assert!(
        spf["summary"]
            .as_str()
            .unwrap()
            .contains("include:_spf.crm.acme.app"),
        "{spf}"
    );
}

#[test]
fn spf_permissive_all_and_duplicate_records_fail() {
    let plus_all = || {
        mail_zone().txt("acme.app", &["v=spf1 +all"]).txt(
            "_dmarc.acme.app",
            &["v=DMARC1; p=reject; rua=mailto:d@acme.app"],
        )
    };
    let run = audit(&manifest(""), plus_all, "email.spf");
    assert_eq!(run.status("email.spf", "acme.app"), "fail");
    let two = || healthy().txt("acme.app", &["v=spf1 -all"]);
    let run = audit(&manifest(""), two, "email.spf");
    let r = run.result("email.spf", "acme.app");
    assert_eq!(r["status"], "fail");
    assert!(
        r["details"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "spf.multiple"),
        "{r}"
    );
}

#[test]
fn spf_softfail_needs_dmarc_enforcement() {
    let zones = || {
        mail_zone()
            .txt("acme.app", &["v=spf1 include:_spf.mailhost.example ~all"])
            .txt(
                "_dmarc.acme.app",
                &["v=DMARC1; p=none; rua=mailto:d@acme.app"],
            )
    };
    let run = audit(&manifest(""), zones, "email.spf");
    assert_eq!(run.status("email.spf", "acme.app"), "warn");
    let enforced = || {
        mail_zone()
            .txt("acme.app", &["v=spf1 include:_spf.mailhost.example ~all"])
            .txt(
                "_dmarc.acme.app",
                &["v=DMARC1; p=quarantine; rua=mailto:d@acme.app"],
            )
    };
    let run = audit(&manifest(""), enforced, "email.spf");
    assert_eq!(run.status("email.spf", "acme.app"), "pass");
}

#[test]
fn a_dns_timeout_inside_the_include_tree_is_an_error_never_a_pass() {
    let zones = || {
        mail_zone()
            .zone("slow.example")
            .txt(
                "_dmarc.acme.app",
                &["v=DMARC1; p=reject; rua=mailto:d@acme.app"],
            )
            .txt(
                "acme.app",
                &["v=spf1 include:_spf.mailhost.example include:_spf.slow.example -all"],
            )
            .txt("_spf.slow.example", &["v=spf1 -all"])
            .behave("_spf.slow.example", Behaviour::Drop)
    };
    let run = audit(&manifest(""), zones, "email.spf");
    let r = run.result("email.spf", "acme.app");
    assert_eq!(r["status"], "error", "{r}");
    assert_eq!(run.code, 1);
}

#[test]
fn dmarc_policy_pct_and_report_authorization() {
    let none = || {
        healthy().txt(
            "_dmarc.acme.app",
            &["v=DMARC1; p=none; rua=mailto:d@acme.app"],
        )
    };
    // healthy() already has a _dmarc record: two records make it fail on "multiple".
    let run = audit(&manifest(""), none, "email.dmarc");
    assert_eq!(run.status("email.dmarc", "acme.app"), "fail");

    let below = || {
        mail_zone().txt("acme.app", &["v=spf1 -all"]).txt(
            "_dmarc.acme.app",
            &["v=DMARC1; p=none; rua=mailto:d@acme.app"],
        )
    };
    let run = audit(&manifest(""), below, "email.dmarc");
    let r = run.result("email.dmarc", "acme.app");
    assert_eq!(r["status"], "fail", "p=none is below quarantine: {r}");

    let external = || {
        mail_zone().zone("reports.example").txt(
            "_dmarc.acme.app",
            &["v=DMARC1; p=reject; pct=50; rua=mailto:agg@reports.example"],
        )
    };
    let run = audit(&manifest(""), external, "email.dmarc");
    let r = run.result("email.dmarc", "acme.app");
    assert_eq!(r["status"], "warn", "{r}");
    let codes: Vec<&str> = r["details"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"dmarc.pct"), "{codes:?}");
    assert!(codes.contains(&"dmarc.report-unauthorized"), "{codes:?}");
    assert!(
        r["details"]["findings"]
            .to_string()
            .contains("acme.app._report._dmarc.reports.example")
    );

    let authorized = || {
        mail_zone()
            .zone("reports.example")
            .txt(
                "_dmarc.acme.app",
                &["v=DMARC1; p=reject; rua=mailto:agg@reports.example"],
            )
            .txt("acme.app._report._dmarc.reports.example", &["v=DMARC1"])
    };
    let run = audit(&manifest(""), authorized, "email.dmarc");
    assert_eq!(run.status("email.dmarc", "acme.app"), "pass");
}

#[test]
fn dkim_weak_revoked_missing_and_delegated_keys() {
    let m = manifest("").replace("[s1]", "[weak, revoked, missing, delegated]");
    let zones = || {
        healthy()
            .txt("weak._domainkey.acme.app", &[KEY_1024.trim()])
            .txt("revoked._domainkey.acme.app", &["v=DKIM1; k=rsa; p="])
            .cname("delegated._domainkey.acme.app", "s1.dkim.mailhost.example")
            .txt("s1.dkim.mailhost.example", &[KEY_2048.trim()])
    };
    let run = audit(&m, zones, "email.dkim");
    assert_eq!(run.status("email.dkim", "weak._domainkey.acme.app"), "warn");
    assert_eq!(
        run.status("email.dkim", "revoked._domainkey.acme.app"),
        "fail"
    );
    assert_eq!(
        run.status("email.dkim", "missing._domainkey.acme.app"),
        "fail"
    );
    let delegated = run.result("email.dkim", "delegated._domainkey.acme.app");
    assert_eq!(delegated["status"], "pass", "{delegated}");
    assert_eq!(delegated["details"]["key"]["bits"], 2048);
}

#[test]
fn dkim_without_selectors_is_skipped_with_a_pointer() {
    let m = manifest("").replace("  dkim_selectors: [s1]\n", "");
    let run = audit(&m, healthy, "email.dkim");
    let r = run.result("email.dkim", "acme.app");
    assert_eq!(r["status"], "skip");
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .contains("email.dkim_selectors")
    );
}

#[test]
fn mx_missing_unresolvable_and_parked_domains() {
    let no_mx = || {
        Zones::new()
            .zone("acme.app")
            .txt("acme.app", &["v=spf1 -all"])
    };
    let run = audit(&manifest(""), no_mx, "email.mx");
    assert_eq!(run.status("email.mx", "acme.app"), "fail");

    let dangling = || {
        Zones::new()
            .zone("acme.app")
            .mx("acme.app", 10, "gone.acme.app")
    };
    let run = audit(&manifest(""), dangling, "email.mx");
    let r = run.result("email.mx", "acme.app");
    assert_eq!(r["status"], "fail");
    assert!(
        r["summary"].as_str().unwrap().contains("gone.acme.app"),
        "{r}"
    );

    let parked = manifest("  sends_mail: false\n");
    let locked = || {
        Zones::new()
            .zone("acme.app")
            .mx("acme.app", 0, ".")
            .txt("acme.app", &["v=spf1 -all"])
            .txt("_dmarc.acme.app", &["v=DMARC1; p=reject;"])
    };
    let run = audit(&parked, locked, "email.mx");
    assert_eq!(
        run.status("email.mx", "acme.app"),
        "pass",
        "{}",
        run.result("email.mx", "acme.app")
    );
    let open = || {
        Zones::new()
            .zone("acme.app")
            .mx("acme.app", 0, ".")
            .txt("acme.app", &["v=spf1 ip4:192.0.2.1 ~all"])
            .txt("_dmarc.acme.app", &["v=DMARC1; p=none;"])
    };
    let run = audit(&parked, open, "email.mx");
    let r = run.result("email.mx", "acme.app");
    assert_eq!(r["status"], "fail");
    let codes = r["details"]["findings"].to_string();
    assert!(
        codes.contains("mx.parked-spf") && codes.contains("mx.parked-dmarc"),
        "{codes}"
    );
}

fn caa_world(caa: Option<&'static str>) -> impl FnOnce() -> World + Send + 'static {
    move || {
        let mut zones = Zones::new().zone("acme.app").a("www.acme.app", "127.0.0.1");
        if let Some(value) = caa {
            zones = zones.caa("acme.app", false, "issue", value).caa(
                "acme.app",
                false,
                "iodef",
                "mailto:security@acme.app",
            );
        }
        World {
            zones,
            sites: vec![Site::new("www.acme.app").route("/", handler(|_| Resp::html("ok")))],
        }
    }
}

const CAA_MANIFEST: &str = "version: 1\nproject: acme\nweb:\n  canonical: https://www.acme.app\n";

#[test]
fn caa_that_forbids_the_serving_ca_fails() {
    // The sandbox CA reads as Let's Encrypt; CAA naming only DigiCert forbids it.
    let run = Project::new(CAA_MANIFEST)
        .world(caa_world(Some("digicert.com")))
        .audit(&["--only", "dns.caa"]);
    let r = run.result("dns.caa", "acme.app");
    assert_eq!(r["status"], "fail", "{r}");
    assert!(r["summary"].as_str().unwrap().contains("next renewal"));
    let run = Project::new(CAA_MANIFEST)
        .world(caa_world(Some("letsencrypt.org")))
        .audit(&["--only", "dns.caa"]);
    assert_eq!(
        run.status("dns.caa", "acme.app"),
        "pass",
        "{}",
        run.result("dns.caa", "acme.app")
    );
}

#[test]
fn caa_absence_follows_the_manifest_policy() {
    let run = Project::new(CAA_MANIFEST)
        .world(caa_world(None))
        .audit(&["--only", "dns.caa"]);
    assert_eq!(run.status("dns.caa", "acme.app"), "warn");
    let required = format!("{CAA_MANIFEST}dns:\n  caa: required\n");
    let run = Project::new(&required)
        .world(caa_world(None))
        .audit(&["--only", "dns.caa"]);
    assert_eq!(run.status("dns.caa", "acme.app"), "fail");
    let off = format!("{CAA_MANIFEST}dns:\n  caa: 'off'\n");
    let run = Project::new(&off)
        .world(caa_world(None))
        .audit(&["--only", "dns.caa"]);
    assert_eq!(run.status("dns.caa", "dns"), "skip");
}

#[test]
fn caa_servfail_is_an_error() {
    let world = || World {
        zones: Zones::new()
            .zone("acme.app")
            .a("www.acme.app", "127.0.0.1")
            .behave("www.acme.app", Behaviour::ServFail),
        sites: Vec::new(),
    };
    let run =
        Project::new(CAA_MANIFEST)
            .world(world)
            .audit(&["--only", "dns.caa", "--timeout", "1"]);
    assert_eq!(run.status("dns.caa", "acme.app"), "error");
}

#[test]
fn caa_that_cannot_be_matched_to_the_serving_ca_is_an_error_not_a_pass() {
    // CAA restricts issuance, but nothing answers HTTPS for www (no sandbox site: the
    // sandbox pins it to an address that refuses connections): the issuer is unknown.
    let world = || World {
        zones: Zones::new()
            .zone("acme.app")
            .a("www.acme.app", "127.0.0.1")
            .caa("acme.app", false, "issue", "digicert.com"),
        sites: Vec::new(),
    };
    let run =
        Project::new(CAA_MANIFEST)
            .world(world)
            .audit(&["--only", "dns.caa", "--timeout", "1"]);
    let r = run.result("dns.caa", "acme.app");
    assert_eq!(r["status"], "error", "{r}");
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .contains("could not be checked"),
        "{r}"
    );
}

#[test]
fn caa_with_an_issuer_the_ccadb_table_cannot_map_warns_never_errors() {
    use launch_ready::sandbox::tls_lab::{chain_server, private_ca_chain};
    let (leaf, root, key) = private_ca_chain("www.acme.app").unwrap();
    let addr = chain_server(vec![leaf, root], key).unwrap();
    let world = || World {
        zones: Zones::new()
            .zone("acme.app")
            .a("www.acme.app", "127.0.0.1")
            .caa("acme.app", false, "issue", "letsencrypt.org"),
        sites: Vec::new(),
    };
    let run = Project::new(CAA_MANIFEST).world(world).audit(&[
        "--only",
        "dns.caa",
        "--connect-to",
        &format!("www.acme.app:{addr}"),
    ]);
    let r = run.result("dns.caa", "acme.app");
    assert_eq!(r["status"], "warn", "{r}");
    assert!(
        r["summary"]
            .as_str()
            .unwrap()
            .contains("cannot tell which CAA domain"),
        "{r}"
    );
    assert_eq!(r["details"]["hosts"][0]["unknown_issuer"], true);
}
