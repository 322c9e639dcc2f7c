//! The handover documents (Markdown, HTML): snapshots, the first screen, the checklist,
//! escaping of hostile results; `init` drafting the manual items.

use launch_ready::sandbox::{World, Zones};

use crate::support::Project;

/// A manifest whose handover items use `area`, `by` and `date`.
const MANIFEST: &str = "version: 1\nproject: acme\nenvironment: production\nenv:\n  required: [PRESENT, MISSING]\nweb:\n  canonical: https://www.acme.app\n  aliases: [acme.app]\nhandover:\n  - { item: Registrar account owned by the company, done: true, by: cto@acme.app, date: 2026-11-20 }\n  - { item: Rollback plan written down, area: rollback, by: ops@acme.app }\n";

fn world() -> World {
    World {
        zones: Zones::new()
            .zone("acme.app")
            .ns("acme.app", "ns1.dns.example")
            .ns("acme.app", "ns2.dns.example")
            .a("www.acme.app", "127.0.0.1"),
        sites: Vec::new(),
    }
}

/// Render `format` for the fixed set of checks the report snapshots use.
pub fn document(format: &str) -> String {
    let p = Project::new(MANIFEST)
        .file(".env", "PRESENT=1234567890abc\n")
        .world(world);
    let out = p
        .command()
        .args(["audit", "launch-ready.yaml", "--env-file", ".env"])
        .args(["--timeout", "2", "--format", format])
        .args([
            "--only",
            "dns.*",
            "--only",
            "env.required",
            "--only",
            "manifest.*",
        ])
        .args(&p.sandbox.as_ref().unwrap().flags)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the documents never change the exit code"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn filters() -> insta::Settings {
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "[time]");
    settings.add_filter(r"launch-ready \d+\.\d+\.\d+", "launch-ready [version]");
    settings.add_filter(&regex_escape(&today), "[today]");
    settings
}

fn regex_escape(text: &str) -> String {
    text.replace('-', "\\-")
}

#[test]
fn markdown_snapshot() {
    let md = document("markdown");
    filters().bind(|| insta::assert_snapshot!("markdown", md));
}

#[test]
fn html_snapshot() {
    let html = document("html");
    filters().bind(|| insta::assert_snapshot!("html", html));
}

#[test]
fn first_screen_says_verdict_counts_and_what_to_fix_first() {
    let md = document("markdown");
    let fix = md.find("## Fix first").expect("fix first");
    let areas = md.find("## Results by area").expect("areas");
    assert!(md[..fix].contains("**Verdict: FAIL**"), "{md}");
    assert!(
        md[..fix].contains("| DNS | 1 | 0 | 1 | 4 | 0 | 0 |"),
        "{md}"
    );
    let audited = md.lines().find(|l| l.starts_with("Audited ")).unwrap();
    assert!(
        audited.contains(" UTC by ") && !audited.contains('Z'),
        "{audited}"
    );
    let first = &md[fix..areas];
    // Fails ordered before warns never appear here; each has evidence and a fix.
    assert!(first.contains("`env.required`** — `MISSING`"), "{first}");
    assert!(first.contains("`dns.resolves`** — `acme.app`"), "{first}");
    assert!(
        !first.contains("dns.caa"),
        "a warn is not in fix first: {first}"
    );
    assert!(first.contains("Fix: "), "{first}");
}

#[test]
fn passes_fold_skips_read_not_checked_and_only_findings_have_a_fix() {
    let md = document("markdown");
    let dns = &md[md.find("### DNS").unwrap()..md.find("### Environment").unwrap()];
    let fail = dns.find("| FAIL |").unwrap();
    let warn = dns.find("| WARN |").unwrap();
    let folded = dns.find("<details><summary>4 passed</summary>").unwrap();
    assert!(fail < warn && warn < folded, "{dns}");
    let passes = &dns[folded..];
    assert!(
        !passes.contains("Fix:"),
        "no remediation on a pass: {passes}"
    );
    assert!(
        md.contains("| not checked | `manifest.waiver-expired` |"),
        "{md}"
    );
    assert!(!md.contains("[ ]"), "skips are not open checkboxes");
}

#[test]
fn checklist_ticks_what_the_audit_verified_and_lists_what_to_attest() {
    let md = document("markdown");
    let list = &md[md.find("## Handover checklist").unwrap()..];
    let today = time::OffsetDateTime::now_utc().date().to_string();
    // NS is verified → no, dns.caa warned: the item is open with its finding.
    assert!(
        list.contains("| ☐ | At least two name servers; CAA allows the issuing CA |  | open: 1 finding (dns.caa) |"),
        "{list}"
    );
    assert!(
        list.contains(
            "| ☑ | Registrar account owned by the company | cto@acme.app | done | 2026-11-20 |"
        ),
        "{list}"
    );
    let rollback = &list[list.find("### Rollback").unwrap()..];
    assert!(
        rollback.contains("| ☐ | Rollback plan written down | ops@acme.app | open |"),
        "{rollback}"
    );
    assert!(
        !rollback.contains("to attest"),
        "the manifest covers the rollback plan"
    );
    for seed in [
        "Registrar lock",
        "Cloudflare account access",
        "least-privilege",
        "Secret rotation",
        "Uptime monitors",
        "Access to Stripe, CRM and support tools",
    ] {
        let line = list
            .lines()
            .find(|l| l.contains(seed))
            .unwrap_or_else(|| panic!("{seed}: {list}"));
        assert!(line.contains("to attest"), "{line}");
    }
    // A check that passed everywhere is ticked with the date it was verified.
    let env = Project::new("version: 1\nproject: acme\nenv:\n  required: [PRESENT]\n")
        .file(".env", "PRESENT=1\n")
        .command()
        .args([
            "audit",
            "--offline",
            "--env-file",
            ".env",
            "--format",
            "markdown",
        ])
        .output()
        .unwrap();
    let env = String::from_utf8_lossy(&env.stdout);
    assert!(
        env.contains(&format!("| ☑ | Production environment complete and pointing at production | verified by launch-ready | done | {today} |")),
        "{env}"
    );
}

#[test]
fn html_escapes_results_and_renders_remediation_markdown() {
    let html = document("html");
    assert!(html.contains("<p id=\"verdict\" class=\"verdict fail\">Verdict: FAIL</p>"));
    assert!(html.contains("<svg class=\"chart\""), "an inline SVG chart");
    assert!(
        html.contains("<code class=\"id\">dns.dangling-cname</code>"),
        "ids do not break"
    );
    assert!(
        html.contains("break-before:page"),
        "print CSS breaks pages between areas"
    );
    // dns.caa's remediation has code spans: rendered, not literal backticks.
    let caa = &html[html.find("<code class=\"id\">dns.caa</code>").unwrap()..];
    let caa = &caa[..caa.find("</tr>").unwrap()];
    assert!(caa.contains("<code>") && !caa.contains('`'), "{caa}");
    // Hostile text from the manifest and from an audited DNS server never becomes markup.
    let p = Project::new(
        "version: 1\nproject: \"<script>alert(1)</script>\"\nemail:\n  domain: acme.app\n  sends_mail: true\n",
    )
    .world(|| World {
        zones: Zones::new()
            .zone("acme.app")
            .txt("acme.app", &["v=spf1 include:<img src=x onerror=alert(1)> -all"]),
        sites: Vec::new(),
    });
    let out = p
        .command()
        .args([
            "audit",
            "--format",
            "html",
            "--only",
            "email.spf",
            "--timeout",
            "2",
        ])
        .args(&p.sandbox.as_ref().unwrap().flags)
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.contains("email.spf"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x"),
        "the record is shown, escaped: {html}"
    );
}

#[test]
fn handover_area_and_date_are_checked_by_the_manifest_schema() {
    let bad = Project::new("version: 1\nproject: acme\nhandover:\n  - { item: x, area: dns }\n")
        .command()
        .args(["audit", "--offline"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let date =
        Project::new("version: 1\nproject: acme\nhandover:\n  - { item: x, date: 20-11-2026 }\n")
            .command()
            .args(["audit", "--offline"])
            .output()
            .unwrap();
    assert_eq!(date.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&date.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn init_drafts_the_manual_handover_items() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::support::launch_ready()
        .args(["init"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let manifest = std::fs::read_to_string(dir.path().join("launch-ready.yaml")).unwrap();
    assert!(manifest.contains("handover:"), "{manifest}");
    let out = crate::support::launch_ready()
        .current_dir(dir.path())
        .env("COLUMNS", "100")
        .args(["audit", "--offline", "--format", "markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    let list = &md[md.find("## Handover checklist").unwrap()..];
    assert!(
        !list.contains("to attest"),
        "the draft lists every manual item: {list}"
    );
    assert!(
        list.contains("| ☐ | Rollback plan"),
        "drafted items are open: {list}"
    );
}
